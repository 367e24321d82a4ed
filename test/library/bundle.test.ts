/**
 * The library runs where there is no Node: src/index.ts, bundled by esbuild for a browser, imports
 * nothing from `node:` and no Node builtin, in any module it reaches (its own, the transforms, the
 * parsers). The parsers the core loads lazily under Node come through `process.getBuiltinModule`,
 * a call at run time rather than an import, and a browser host hands them over with
 * `provideModules` (the playground does; test/e2e/playground.test.ts runs it in Chromium).
 */
import { builtinModules } from 'node:module';
import { createContext, runInContext } from 'node:vm';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/index.js';

const root = join(import.meta.dirname, '..', '..');
const BUILTINS = new Set(builtinModules);

function isNodeBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]);
}

/** What a browser bundle of `entry` would import from Node: `importer -> specifier`. */
async function nodeImports(
  entry: { file: string } | { code: string },
): Promise<{ found: string[]; metafile: Metafile }> {
  const { metafile } = await build({
    ...('file' in entry
      ? { entryPoints: [join(root, entry.file)] }
      : { stdin: { contents: entry.code, resolveDir: root, loader: 'ts' } }),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    metafile: true,
    write: false,
    logLevel: 'silent',
    // Kept in the metafile as external imports rather than failing the build, so that the
    // test names each one and who imports it.
    external: ['node:*', ...builtinModules],
  });
  const found: string[] = [];
  for (const [input, { imports }] of Object.entries(metafile.inputs)) {
    if (isNodeBuiltin(input)) found.push(`(input) ${input}`);
    for (const i of imports) if (isNodeBuiltin(i.path)) found.push(`${input} -> ${i.path}`);
  }
  return { found, metafile };
}

describe('the library bundles for a browser', () => {
  it('imports nothing from node: and no Node builtin, in any module src/index.ts reaches', async () => {
    const { found, metafile } = await nodeImports({ file: 'src/index.ts' });
    expect(found).toEqual([]);
    // The whole core is in it, so an empty list means something: the engine, every transform,
    // the lazily loaded parsers' host, the Dockerfile and TOML parsers.
    const inputs = Object.keys(metafile.inputs);
    for (const f of [
      'src/core/engine.ts',
      'src/core/modules.ts',
      'transforms/index.ts',
      'transforms/healthcheck.ts',
    ])
      expect(inputs).toContain(f);
    expect(inputs.some((f) => f.includes('node_modules/dockerfile-ast/'))).toBe(true);
    expect(inputs.some((f) => f.includes('node_modules/smol-toml/'))).toBe(true);
  });

  it('so does the playground page, the parsers and diff2html included', async () => {
    const { found, metafile } = await nodeImports({ file: 'src/playground/main.ts' });
    expect(found).toEqual([]);
    const inputs = Object.keys(metafile.inputs);
    for (const pkg of ['mvdan-sh', 'yaml', 'diff2html'])
      expect(inputs.some((f) => f.includes(`node_modules/${pkg}/`))).toBe(true);
  });

  it.each([
    ["import { readFileSync } from 'node:fs';\nexport const read = readFileSync;", 'node:fs'],
    ["import { join } from 'path';\nexport const j = join;", 'path'],
    ["import { promises } from 'fs';\nexport const p = promises;", 'fs'],
    ["export const cp = () => import('node:child_process');", 'node:child_process'],
    ["export const os = require('os');", 'os'],
    ["import { spawn } from 'child_process';\nexport const s = spawn;", 'child_process'],
    [
      "import { createRequire } from 'node:module';\nexport const r = createRequire;",
      'node:module',
    ],
  ])('the check itself rejects %j', async (code, spec) => {
    const { found } = await nodeImports({ code });
    expect(found).toEqual([`<stdin> -> ${spec}`]);
  });

  it('rejects a Node import reached through the library, named with its importer', async () => {
    const { found } = await nodeImports({
      code: "export * from './src/index.ts';\nexport { hostname } from 'node:os';",
    });
    expect(found).toEqual(['<stdin> -> node:os']);
  });

  it('runs with no Node globals at all: bundled, in a bare JavaScript context, it migrates', async () => {
    const { outputFiles } = await build({
      stdin: {
        contents: `import mvdan from 'mvdan-sh';
          import * as yaml from 'yaml';
          import { migrate, provideModules } from './src/index.ts';
          provideModules({ mvdanSh: () => mvdan, yaml: () => yaml });
          globalThis.run = (input) => JSON.stringify(migrate(input));`,
        resolveDir: root,
        loader: 'ts',
      },
      bundle: true,
      platform: 'browser',
      format: 'iife',
      write: false,
      logLevel: 'silent',
      define: { 'import.meta.url': 'undefined' },
    });
    // No Buffer, no process, no require: what the language itself has, the timers every browser
    // has, and `self` naming the global object as in a browser or a worker (mvdan-sh's runtime
    // looks for both).
    const bare = createContext({ setTimeout, clearTimeout });
    runInContext('globalThis.self = globalThis;', bare);
    runInContext(outputFiles[0].text, bare);
    const input = {
      // A BOM (dockerfile-ast's own check used Buffer), shell text only mvdan-sh reads, and a
      // Compose file that yaml reads.
      dockerfile:
        '\uFEFFFROM python:latest\nWORKDIR /app\nCOPY . .\nRUN pip install uv && uv sync --locked\nCMD uv run uvicorn app:app --port "${PORT:-8000}" --reload\n',
      files: {
        'pyproject.toml': '[project]\nname = "app"\n',
        '.python-version': '3.12\n',
        'uv.lock': '',
        'compose.yaml':
          'services:\n  app:\n    build: .\n    command: uv run uvicorn app:app --reload\n',
      },
    };
    const inBare = JSON.parse((bare.run as (i: unknown) => string)(input));
    expect(inBare.errors).toEqual([]);
    expect(inBare.status).toBe('changed');
    expect(inBare.changes.map((c: { path: string }) => c.path)).toEqual([
      'Dockerfile',
      '.dockerignore',
      'compose.yaml',
    ]);
    // The same answer as under Node.
    expect(inBare).toEqual(JSON.parse(JSON.stringify(migrate(input))));
  });
});
