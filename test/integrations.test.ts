/**
 * The GitHub Action and the pre-commit hooks, as far as they run without GitHub: their files parse,
 * name the right things, and their shell steps, run here as the runner would run them, give SARIF,
 * a Markdown job summary and the right exit codes.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isDockerfileName } from '../src/io/discover.js';
import { assertBuilt, bin, checkout, cleanup, fixture, repo } from './helpers/cli.js';
import { sarifValidator } from './helpers/schemas.js';

beforeAll(assertBuilt);
afterEach(cleanup);

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  if?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
const action = parse(readFileSync(join(repo, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
};
const hooks = parse(readFileSync(join(repo, '.pre-commit-hooks.yaml'), 'utf8')) as {
  id: string;
  entry: string;
  language: string;
  files: string;
}[];
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  files: string[];
};

/** Run a step's script with bash, as a runner does, with the env it would get. */
function runStep(step: Step, cwd: string, env: Record<string, string>) {
  return spawnSync('bash', ['-e', '-c', step.run!], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...env },
  });
}

describe('action.yml', () => {
  const steps = action.runs.steps;
  const check = steps.find((s) => s.id === 'check')!;

  it('is a composite action: build, check as SARIF, upload always, then fail on findings', () => {
    expect(action.runs.using).toBe('composite');
    expect(check.run).toContain('--check --format sarif');
    expect(check.run).toContain('--format markdown');
    expect(check.run).toContain('GITHUB_STEP_SUMMARY');
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    expect(upload.if).toContain('always()');
    expect(upload.with!.sarif_file).toBe('${{ inputs.sarif-file }}');
    expect(steps.indexOf(upload)).toBeGreaterThan(steps.indexOf(check));
    // Inputs reach the scripts through env, never spliced into the script text.
    for (const s of steps) expect(s.run ?? '').not.toMatch(/\$\{\{\s*inputs\./);
    expect(pkg.files).toEqual(expect.arrayContaining(['action.yml', '.pre-commit-hooks.yaml']));
  });

  it('its check step writes valid SARIF, a Markdown job summary and the exit code', () => {
    const dir = checkout();
    const out = join(dir, 'github-output');
    const summary = join(dir, 'step-summary.md');
    writeFileSync(out, '');
    const r = runStep(check, dir, {
      DOCKMIG: bin,
      PATHS: action.inputs.paths.default!,
      ARGS: '--uid 1001',
      SARIF_FILE: 'dockmig.sarif',
      GITHUB_OUTPUT: out,
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(r.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('exit-code=1\n');
    const log = JSON.parse(readFileSync(join(dir, 'dockmig.sarif'), 'utf8'));
    expect(sarifValidator()(log)).toBe(true);
    expect(JSON.stringify(log)).toContain('USER 1001:1001');
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('## dockmig: Dockerfile hardening review');
    expect(md).toContain('```diff\ndiff --git a/svc/Dockerfile');

    const fail = steps.find((s) => s.name === 'Fail when a Dockerfile needs migrating')!;
    expect(runStep(fail, dir, { CODE: '1' }).status).toBe(1);
  });
});

describe('.pre-commit-hooks.yaml', () => {
  it('offers dockmig --check and --write as node hooks calling the package binary', () => {
    expect(hooks.map((h) => [h.id, h.entry, h.language])).toEqual([
      ['dockmig', 'dockmig --check', 'node'],
      ['dockmig-write', 'dockmig --write', 'node'],
    ]);
    expect(Object.keys(pkg.bin)).toContain('dockmig');
  });

  it.each([
    'Dockerfile',
    'services/api/Dockerfile',
    'Dockerfile.prod',
    'api.Dockerfile',
    'worker.dockerfile',
    'Containerfile',
    'Containerfile.dev',
    'docs/Dockerfile.md',
    'README.md',
    'Dockerfile/notes.txt',
    'my-Dockerfile',
    'scripts/build-docker.sh',
  ])('its files pattern agrees with the directory walk on %s', (path) => {
    const name = path.split('/').pop()!;
    for (const hook of hooks) {
      expect(new RegExp(hook.files).test(path)).toBe(isDockerfileName(name));
    }
  });

  it('its entry, given the files as pre-commit gives them, fails a legacy file and passes a hardened one', () => {
    const dir = checkout();
    cpSync(join(dir, 'svc'), join(dir, 'done'), { recursive: true });
    writeFileSync(
      join(dir, 'done', 'Dockerfile'),
      readFileSync(fixture('python-latest-uvicorn-reload')),
    );
    writeFileSync(join(dir, 'done', '.dockerignore'), '.venv\n__pycache__\n.git\n.env\n');
    const run = (...files: string[]) =>
      spawnSync(process.execPath, [bin, ...hooks[0].entry.split(' ').slice(1), ...files], {
        cwd: dir,
        encoding: 'utf8',
      });
    expect(run('svc/Dockerfile').status).toBe(1);
    expect(run('done/Dockerfile').status).toBe(0);
  });
});
