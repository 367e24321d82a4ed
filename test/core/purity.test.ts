/**
 * The core decides what a Dockerfile becomes and nothing else: it reads no file, runs nothing from
 * the repository or the Dockerfile, and makes no network call (shell text is only parsed). This
 * scans every module of `src/core`, `transforms` and `src/verify` (the judges of `dockmig verify`) for what it imports and for the APIs that would
 * break that promise; the IO layer (`src/io`) is the only place allowed to touch the world.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const PURE_DIRS = ['src/core', 'transforms', 'src/verify'];
/** Parsers the core may use, and `node:module` to load the shell parser lazily. */
const ALLOWED_PACKAGES = new Set([
  'dockerfile-ast',
  'mvdan-sh',
  'smol-toml',
  'yaml',
  'node:module',
]);
const FORBIDDEN_CODE: [RegExp, string][] = [
  [/\bprocess\.(env|argv|cwd|chdir|exit|binding)\b/, 'process state'],
  [/\bfetch\s*\(/, 'a network call'],
  [/\b(XMLHttpRequest|WebSocket)\b/, 'a network call'],
  [/\beval\s*\(|\bnew\s+Function\s*\(/, 'code evaluation'],
  [/\brequire\s*\(\s*['"](?!mvdan-sh['"])/, 'a require other than the shell parser'],
];

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

/** Import specifiers of a module: static, type-only, dynamic and `require`. */
function specifiers(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*['"]([^'"]+)['"]/gm))
    out.push(m[1]);
  for (const m of code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) out.push(m[1]);
  for (const m of code.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g))
    out.push(m[1]);
  return out;
}

/** What is wrong with one module of the core, if anything. */
function violations(file: string, code: string): string[] {
  const found: string[] = [];
  for (const spec of specifiers(code)) {
    if (spec.startsWith('.')) {
      const target = relative(root, resolve(root, dirname(file), spec));
      if (!PURE_DIRS.some((d) => target.startsWith(d + '/')))
        found.push(`${file} imports ${spec} (outside the core)`);
    } else if (!ALLOWED_PACKAGES.has(spec)) {
      found.push(`${file} imports ${spec}`);
    }
  }
  const code_ = code.replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
  for (const [pattern, what] of FORBIDDEN_CODE) {
    if (pattern.test(code_)) found.push(`${file} uses ${what} (${pattern})`);
  }
  return found;
}

describe('the core is pure', () => {
  const files = PURE_DIRS.flatMap(sources);

  it('covers every module of src/core and transforms', () => {
    expect(files.length).toBeGreaterThan(25);
    expect(files).toContain('src/core/engine.ts');
    expect(files).toContain('transforms/pin-uv.ts');
  });

  it('imports only its own modules and its parsers; no fs, process, child_process or network', () => {
    const found = files.flatMap((f) => violations(f, readFileSync(join(root, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it.each([
    ["import { readFileSync } from 'node:fs';", 'imports node:fs'],
    ["import type { X } from '../io/files.js';", 'outside the core'],
    ["const cp = await import('node:child_process');", 'imports node:child_process'],
    ["import {\n  request,\n} from 'node:https';", 'imports node:https'],
    ['const token = process.env.GITHUB_TOKEN;', 'process state'],
    ["await fetch('https://example.com');", 'a network call'],
    ["const fs = require('fs');", 'a require other than the shell parser'],
  ])('the scan itself catches %j', (code, message) => {
    expect(violations('src/core/example.ts', code).join('\n')).toContain(message);
  });
});
