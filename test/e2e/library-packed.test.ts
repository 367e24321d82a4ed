/**
 * The library as a user gets it: `npm pack` of this checkout, installed into a throwaway project
 * with npm, imported by its package name from plain JavaScript and type-checked from TypeScript
 * (strict, no skipLibCheck), never from the source tree. Its answer must be the CLI's.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cleanup, dockmig, example, repo, tempDir } from '../helpers/cli.js';

const npm = (cwd: string, ...args: string[]) => {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
};
const node = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });

let project: string;

beforeAll(() => {
  assertBuilt();
  project = tempDir('dockmig-library-');
  // dist/ is built by the e2e setup; packing without scripts does not build it a second time.
  const packed = JSON.parse(
    npm(repo, 'pack', '--ignore-scripts', '--json', '--pack-destination', project),
  ) as { filename: string }[];
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  npm(project, 'install', '--prefer-offline', '--no-audit', '--no-fund', `./${packed[0].filename}`);
}, 240_000);

afterAll(cleanup);

const EXAMPLE_FILES = ['pyproject.toml', '.python-version', 'uv.lock', 'Dockerfile'];

describe('the packed package', () => {
  it('is imported by name and migrates the example as the CLI does', () => {
    const files = Object.fromEntries(
      EXAMPLE_FILES.map((f) => [f, readFileSync(join(example, f), 'utf8')]),
    );
    writeFileSync(
      join(project, 'use.mjs'),
      `import { migrate, transforms, API_VERSION } from 'dockmig';
       const files = ${JSON.stringify(files)};
       const result = migrate({ dockerfile: files.Dockerfile, files });
       console.log(JSON.stringify({ API_VERSION, ids: transforms.map((t) => t.id), result }));`,
    );
    const r = node(project, 'use.mjs');
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as {
      API_VERSION: number;
      ids: string[];
      result: { status: string; changes: { path: string; after: string }[] };
    };
    expect(out.API_VERSION).toBe(1);
    expect(out.ids).toContain('multi-stage');
    expect(out.result.status).toBe('changed');
    // The files the CLI writes for the same tree are the library's change set, byte for byte.
    const tree = tempDir('dockmig-library-cli-');
    cpSync(example, tree, { recursive: true });
    expect(dockmig(tree, '--write', '.').code).toBe(0);
    expect(out.result.changes.map((c) => c.path)).toEqual(['Dockerfile', '.dockerignore']);
    for (const change of out.result.changes)
      expect(readFileSync(join(tree, change.path), 'utf8')).toBe(change.after);
  });

  it("runs the README's example as written", () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const block = /### Library\n\n```js\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    writeFileSync(
      join(project, 'readme.mjs'),
      `${block![1]}\nconsole.log(JSON.stringify([result.status, result.changes.map((c) => c.path)]));`,
    );
    const r = node(project, 'readme.mjs');
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(['changed', ['Dockerfile', '.dockerignore']]);
  });

  it('installs the command too, which runs from the package alone', () => {
    const version = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version;
    const bin = join(project, 'node_modules', '.bin', 'dockmig');
    const v = spawnSync(bin, ['--version'], { cwd: project, encoding: 'utf8' });
    expect(v.stdout.trim()).toBe(version);
    const r = spawnSync(bin, [example], { cwd: project, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('+USER 10001:10001');
  });

  it('resolves only through its exports: its internals are not importable', () => {
    writeFileSync(join(project, 'deep.mjs'), `await import('dockmig/dist/src/core/engine.js');`);
    const r = node(project, 'deep.mjs');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('type-checks in a strict TypeScript project from its declarations', () => {
    writeFileSync(
      join(project, 'use.ts'),
      `import { migrate, fixAlone, prepare, type MigrationResult, type ReportedFinding } from 'dockmig';
       const input = { dockerfile: 'FROM python:latest\\nCMD python app.py\\n', files: { 'requirements.txt': 'flask\\n' } };
       const result: MigrationResult = migrate(input, { uid: 2000, skip: ['healthcheck'] });
       const first: ReportedFinding | undefined = result.findings.find((f) => f.fixed);
       if (first) fixAlone(prepare(input), result, first)?.needs.join(',');
       // @ts-expect-error: uid is a number
       migrate(input, { uid: '2000' });
      `,
    );
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const r = node(
      project,
      tsc,
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      'use.ts',
    );
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
