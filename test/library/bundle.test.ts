/**
 * The library runs where there is no Node: src/index.ts, bundled by esbuild for a browser, imports
 * nothing from `node:` and no Node builtin, in any module it reaches (its own, the transforms, the
 * parsers). The parsers the core loads lazily under Node come through `process.getBuiltinModule`,
 * a call at run time rather than an import, and a browser host hands them over with
 * `provideModules` (the playground does; test/e2e/playground.test.ts runs it in Chromium).
 */
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

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
});
