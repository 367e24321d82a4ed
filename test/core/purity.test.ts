/**
 * The core decides what a Dockerfile becomes and nothing else: it reads no file, runs nothing from
 * the repository or the Dockerfile, and makes no network call (shell text is only parsed). This
 * scans every module of `src/core`, `transforms`, `src/report` (results to text, the pull request's
 * among them) and `src/config` (the option table and its rules), and the pure halves of two
 * commands beside them (verify's judges, which repositories `org` takes), for what they import and
 * for the APIs that would break that promise. The IO layer (`src/io`) is the only place allowed to touch the world:
 * the commands orchestrate and ask it for every read, write and process, so they import neither
 * `node:fs` nor `node:child_process`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const PURE_DIRS = ['src/core', 'transforms', 'src/report', 'src/config'];
/** The pure half of a command, beside the command that runs it. */
const PURE_FILES = [
  'src/commands/verify-checks.ts',
  'src/commands/repositories.ts',
  // The library's entry: the core as a package.
  'src/index.ts',
];
/** The error classes every layer throws: plain data, imported by pure modules too. */
const SHARED_PURE = new Set(['src/errors.ts']);
/**
 * Parsers and the diff the pure modules may use; nothing from `node:` (the library bundles for a
 * browser: the lazily loaded parsers come through core/modules.ts).
 */
const ALLOWED_PACKAGES = new Set([
  'dockerfile-ast',
  // Its BOM check, replaced by one that needs no Node global (core/document.ts).
  'dockerfile-ast/lib/util.js',
  'mvdan-sh',
  'smol-toml',
  'yaml',
  'diff',
]);
/** The commands orchestrate: what they read, write or run goes through `src/io`. */
const COMMANDS_DIR = 'src/commands';
const EDGE_ONLY = /^(node:)?(fs|fs\/promises|child_process)$/;
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
      const target = relative(root, resolve(root, dirname(file), spec)).replace(/\.js$/, '.ts');
      if (
        !PURE_DIRS.some((d) => target.startsWith(d + '/')) &&
        !PURE_FILES.includes(target) &&
        !SHARED_PURE.has(target)
      )
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

/** What a command imports that only `src/io` may. */
function edgeViolations(file: string, code: string): string[] {
  return specifiers(code)
    .filter((spec) => EDGE_ONLY.test(spec))
    .map((spec) => `${file} imports ${spec} (ask src/io)`);
}

describe('the core is pure', () => {
  const files = [...PURE_DIRS.flatMap(sources), ...PURE_FILES];

  it('covers every module of src/core, transforms, src/report and src/config, and the pure halves of commands', () => {
    expect(files.length).toBeGreaterThan(25);
    for (const f of [
      'src/core/engine.ts',
      'transforms/pin-uv.ts',
      'src/report/sarif.ts',
      'src/report/pull-request.ts',
      'src/config/config.ts',
      'src/commands/verify-checks.ts',
    ])
      expect(files).toContain(f);
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

  it('lets a pure module import the error classes and the diff, and nothing else of the edge', () => {
    expect(
      violations('src/config/example.ts', "import { UsageError } from '../errors.js';"),
    ).toEqual([]);
    expect(violations('src/report/example.ts', "import { structuredPatch } from 'diff';")).toEqual(
      [],
    );
    expect(violations('src/report/example.ts', "import { Git } from '../io/git.js';")).toEqual([
      'src/report/example.ts imports ../io/git.js (outside the core)',
    ]);
  });

  it("holds a command's pure half to the pure modules, not the command beside it", () => {
    const half = 'src/commands/repositories.ts';
    expect(violations(half, "import { globMatch } from '../config/config.js';")).toEqual([]);
    expect(violations(half, "import { judgeBuild } from './verify-checks.js';")).toEqual([]);
    expect(violations(half, "import { migrateAll } from './run.js';")).toEqual([
      `${half} imports ./run.js (outside the core)`,
    ]);
  });
});

describe('the commands and the command line leave IO to src/io', () => {
  const files = [...sources(COMMANDS_DIR), 'src/cli.ts', 'src/flags.ts'];

  it('covers every command', () => {
    for (const f of ['run', 'pr', 'org', 'verify', 'merge-reports'])
      expect(files).toContain(`src/commands/${f}.ts`);
  });

  it('imports neither node:fs nor node:child_process', () => {
    const found = files.flatMap((f) => edgeViolations(f, readFileSync(join(root, f), 'utf8')));
    expect(found).toEqual([]);
  });

  it.each([
    ["import { readFileSync } from 'node:fs';", 'imports node:fs'],
    ["import { writeFile } from 'fs/promises';", 'imports fs/promises'],
    ["import {\n  execFile,\n} from 'node:child_process';", 'imports node:child_process'],
    ["const { spawn } = await import('child_process');", 'imports child_process'],
  ])('the scan itself catches %j', (code, message) => {
    expect(edgeViolations('src/commands/example.ts', code).join('\n')).toContain(message);
  });

  it('leaves the rest of node to the commands', () => {
    expect(
      edgeViolations('src/commands/example.ts', "import { resolve } from 'node:path';"),
    ).toEqual([]);
  });
});
