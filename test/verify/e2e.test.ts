/**
 * `dockmig verify` with a real engine: podman, images made offline (test/helpers/engine-images.ts:
 * a debootstrap Python base under the name the migrated Dockerfile asks for, and a uv stand-in,
 * not uv). Skipped with a warning where podman does not run, a failure under CI=true
 * (test/helpers/tools.ts). The same with Docker: docker.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cleanup, tempDir } from '../helpers/cli.js';
import { engineEnv, ensureImages, podman, podmanWorks } from '../helpers/engine-images.js';
import { needs } from '../helpers/tools.js';
import {
  ALL_PASS,
  DIES_AT_ONCE,
  evidence,
  service,
  statuses,
  VerifyRunner,
  type Report,
} from './run-verify.js';

const works = needs('test/verify/e2e.test.ts', 'podman', podmanWorks());

const runner = new VerifyRunner(engineEnv);
const verify = (dir: string, ...args: string[]) => runner.run(dir, args);
afterAll(() => runner.dispose());

/** Whatever this run's containers and images were, none is left. */
function leftovers(): string {
  return (
    podman('ps', '-a', '--filter', 'label=dockmig.verify', '--format', '{{.Names}}') +
    podman('images', '--filter', 'label=dockmig.verify', '--format', '{{.Repository}}:{{.Tag}}') +
    runner.leftDirs().join('\n')
  ).trim();
}

describe.runIf(works)('dockmig verify with podman', () => {
  beforeAll(() => {
    assertBuilt();
    ensureImages();
    expect(leftovers()).toBe('');
  }, 300_000);
  afterEach(() => {
    cleanup();
    expect(leftovers()).toBe('');
  });

  it('a migrated FastAPI-style service passes every check', () => {
    const dir = service();
    const r = verify(
      dir,
      '--debian',
      'bookworm',
      '--format',
      'json',
      '--compare',
      '--env',
      'LOG_LEVEL=debug',
    );
    const report = JSON.parse(r.stdout) as Report;
    expect(report.engine).toBe('podman');
    expect(report.builder).toBe('podman build --format docker');
    expect(report.notes[1]).toMatch(/^this image has a HEALTHCHECK, which your own `podman build`/);
    expect(statuses(report)).toEqual(ALL_PASS);
    expect(r.code).toBe(0);
    expect(evidence(report, 'non-root')).toBe('uid 10001 (USER 10001:10001)');
    expect(evidence(report, 'no-dev-dependencies')).toBe('none of pytest is installed');
    expect(evidence(report, 'sigterm')).toMatch(/^exit code 0 after \d+\.\d s$/);
    expect(evidence(report, 'cache')).toContain('uv sync --frozen --no-install-project --no-dev');
    // The original asks for python:latest, which is not here: said, not fatal.
    expect(evidence(report, 'size')).toMatch(/^\d+\.\d MB; the original did not build: /);
    expect(r.stderr).toContain('Dockerfile: migrated in a temporary copy');
  }, 240_000);

  it('a root, shell-form image fails the right checks with the evidence', () => {
    const dir = service(
      [
        'FROM python:3.11-slim-bookworm',
        'WORKDIR /app',
        'COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/',
        'COPY . .',
        'RUN uv sync --locked',
        'CMD cd /app && .venv/bin/python -m service --host 0.0.0.0 --port 8000',
        '',
      ].join('\n'),
    );
    const r = verify(dir, '--as-is', '--grace', '2', '--format', 'json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(statuses(report)).toEqual({
      build: 'pass',
      start: 'pass',
      'non-root': 'fail',
      'venv-python': 'pass',
      'no-uv': 'fail',
      'no-dev-dependencies': 'fail',
      'no-secrets': 'fail',
      healthcheck: 'skip',
      sigterm: 'fail',
      cache: 'fail',
      size: 'pass',
    });
    expect(evidence(report, 'non-root')).toBe(
      'the process runs as root (id -u: 0; USER is not set)',
    );
    expect(evidence(report, 'no-uv')).toContain('/bin/uv');
    expect(evidence(report, 'no-dev-dependencies')).toBe('installed: pytest 0+stand.in');
    expect(evidence(report, 'no-secrets')).toMatch(/found \/app\/\.env, \/app\/\.git/);
    expect(evidence(report, 'healthcheck')).toBe('the image has no HEALTHCHECK');
    expect(evidence(report, 'sigterm')).toMatch(
      /^exit code 137 after \d+\.\d s: SIGTERM was ignored/,
    );
    expect(evidence(report, 'cache')).toMatch(/^no dependency-only step/);
    expect(report.passed).toBe(false);
    // Text output: one line per check and the verdict.
    const text = verify(dir, '--as-is', '--grace', '1');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^FAIL {2}non-root: the process runs as root/m);
    expect(text.stdout).toMatch(/: 4 passed, 6 failed, 1 skipped\n$/);
  }, 240_000);

  it("a Dockerfile that does not build fails, with the engine's words; nothing else was checked", () => {
    const dir = service('FROM python:3.11-slim-bookworm\nRUN exit 3\n');
    const r = verify(dir, '--as-is', '--format', 'json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(statuses(report).build).toBe('fail');
    expect(evidence(report, 'build')).toMatch(/^the build failed \(exit \d+\): .*exit status 3/);
    expect(report.checks.slice(1).every((c) => c.status === 'not-run')).toBe(true);
    expect(evidence(report, 'non-root')).toBe('the image did not build');
  }, 120_000);

  it('an image whose container dies at once fails verify: its logs, and no container check passes or skips', () => {
    const dir = service(DIES_AT_ONCE);
    const r = verify(dir, '--as-is');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^FAIL {2}start: the container exited at once with code 1: no DATABASE_URL: giving up$/m,
    );
    expect(r.stdout).toMatch(/^NOT RUN {2}non-root: the container did not start$/m);
    expect(r.stdout).toMatch(/^NOT RUN {2}healthcheck: the container did not start$/m);
    // build and size pass; cache fails (no dependency-only step); the 7 container checks not run.
    expect(r.stdout).toMatch(/: 2 passed, 2 failed, 0 skipped, 7 not run\n$/);
  }, 120_000);

  it('Ctrl-C while the container runs removes the container, the images and the copy', async () => {
    const dir = service();
    const r = await runner.interrupt(
      dir,
      ['--debian', 'bookworm'],
      () => podman('ps', '-q', '--filter', 'label=dockmig.verify').trim() !== '',
    );
    expect(r.stderr).toContain('interrupted: removing the containers and images of this run');
    expect(r.stderr).toContain('still removing the containers and images of this run');
    expect(r.code).toBe(130);
    // afterEach checks that nothing is left.
  }, 120_000);
});

describe('engine choice', () => {
  it('--engine docker without a Docker daemon says so and exits 2', () => {
    const dockerAnswers = spawnSync('docker', ['info'], { timeout: 15_000 }).status === 0;
    if (dockerAnswers) return; // a machine with Docker running: nothing to refuse
    const dir = tempDir('dockmig-verify-test-');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM python:3.12-slim\n');
    const r = verify(dir, '--engine', 'docker');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--engine docker: `docker info` does not answer');
  });
});
