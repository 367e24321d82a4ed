/**
 * `dockmig verify` with Docker: Debian's dockerd, started by this suite on a private socket and
 * stopped after (test/helpers/dockerd.ts), with the same base image and uv stand-in as the podman
 * suite. verify is given only DOCKER_HOST, as a user with Docker would be, and picks Docker
 * itself. Both of Docker's builders: BuildKit (what Docker 23 and later use, and what the
 * migrated Dockerfile's RUN --mount needs) and the classic builder, whose output the cache check
 * reads differently. Skipped with a warning where dockerd cannot be had, a failure under CI=true.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cleanup, STACK } from '../helpers/cli.js';
import {
  canMakeBridge,
  dockerdWorks,
  loadImages,
  startDockerd,
  type Dockerd,
} from '../helpers/dockerd.js';
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

const SUITE = 'test/verify/docker.test.ts';
const works = needs(SUITE, 'dockerd (Debian package docker.io)', dockerdWorks());
const buildkit =
  works &&
  needs(
    `${SUITE} (BuildKit)`,
    'a network bridge for the dockerd (ip link add, CAP_NET_ADMIN), which BuildKit RUN steps need',
    canMakeBridge(),
  );

/**
 * The hardened shape without RUN --mount, which the classic builder cannot build: the
 * dependencies copied in their own layer instead of bind-mounted.
 */
const HARDENED_CLASSIC = [
  'FROM python:3.11-slim-bookworm AS builder',
  'COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/',
  'ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy',
  'WORKDIR /app',
  'COPY pyproject.toml uv.lock ./',
  'RUN uv sync --frozen --no-install-project --no-dev',
  'COPY . .',
  'RUN uv sync --frozen --no-dev',
  '',
  'FROM python:3.11-slim-bookworm',
  'RUN groupadd --system --gid 10001 app \\',
  ' && useradd --system --uid 10001 --gid 10001 --no-create-home app',
  'WORKDIR /app',
  'COPY --from=builder --chown=10001:10001 /app /app',
  'ENV PATH="/app/.venv/bin:$PATH"',
  'USER 10001:10001',
  'EXPOSE 8000',
  'HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \\',
  `  CMD ["python", "-c", "import socket; socket.create_connection(('127.0.0.1', 8000), 4).close()"]`,
  'CMD ["python", "-m", "service", "--host", "0.0.0.0", "--port", "8000"]',
  '',
].join('\n');
const DOCKERIGNORE = '.git\n.env\n.venv\n';

describe.runIf(works)('dockmig verify with Docker (a dockerd of its own)', () => {
  let dockerd: Dockerd;
  let runner: VerifyRunner;
  let baseline: string[];
  const images = () => dockerd.docker('images', '-a', '-q').split('\n').filter(Boolean).sort();
  /** Nothing of verify's is left: no container, no image the suite did not start with, no copy. */
  const leftovers = () => ({
    containers: dockerd.docker('ps', '-a', '-q').trim(),
    images: images().filter((i) => !baseline.includes(i)),
    dirs: runner.leftDirs(),
  });
  const NOTHING = { containers: '', images: [], dirs: [] };
  const verify = (builder: 'buildkit' | 'classic', dir: string, ...args: string[]) =>
    runner.run(dir, args, { DOCKER_BUILDKIT: builder === 'buildkit' ? '1' : '0' });

  beforeAll(async () => {
    assertBuilt();
    dockerd = await startDockerd();
    loadImages(dockerd);
    runner = new VerifyRunner(dockerd.env);
    baseline = images();
  }, 600_000);
  afterAll(async () => {
    runner?.dispose();
    await dockerd?.stop();
  }, 120_000);
  afterEach(() => {
    cleanup();
    expect(leftovers()).toEqual(NOTHING);
  });

  describe.runIf(buildkit)('BuildKit', () => {
    it('the migrated service passes every check; health polled, the cache read from BuildKit', () => {
      const r = verify('buildkit', service(), '--debian', 'bookworm', '--format', 'json');
      const report = JSON.parse(r.stdout) as Report;
      expect(report.engine).toBe('docker');
      expect(report.builder).toBe('docker build (BuildKit)');
      // Docker keeps HEALTHCHECK in every image it builds: nothing to warn about.
      expect(report.notes).toEqual([]);
      expect(statuses(report)).toEqual(ALL_PASS);
      expect(r.code).toBe(0);
      expect(evidence(report, 'healthcheck')).toMatch(
        /^healthy after \d+\.\d s \(start period 10 s; Docker polled every 1 s\)$/,
      );
      expect(evidence(report, 'cache')).toMatch(
        /^the rebuild reused: \[builder \d+\/\d+\]: uv sync --frozen --no-install-project --no-dev$/,
      );
      expect(evidence(report, 'non-root')).toBe('uid 10001 (USER 10001:10001)');
      expect(evidence(report, 'sigterm')).toMatch(/^exit code 0 after \d+\.\d s$/);
    }, 300_000);
  });

  describe('classic builder', () => {
    it('the migrated Dockerfile needs BuildKit: the build fails with what Docker said, and verify with it', () => {
      const r = verify('classic', service(), '--debian', 'bookworm');
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^FAIL {2}build: the build failed \(exit 1\): .*requires BuildKit/m);
      expect(r.stdout).toMatch(/^NOT RUN {2}start: the image did not build$/m);
      expect(r.stdout).toMatch(/: 0 passed, 1 failed, 0 skipped, 10 not run\n$/);
    }, 300_000);

    it('a hardened Dockerfile without mounts passes every check; the cache read from its steps', () => {
      const dir = service(HARDENED_CLASSIC, { '.dockerignore': DOCKERIGNORE });
      const r = verify('classic', dir, '--as-is', '--format', 'json');
      const report = JSON.parse(r.stdout) as Report;
      expect(report.builder).toBe('docker build (classic builder)');
      expect(statuses(report)).toEqual(ALL_PASS);
      expect(r.code).toBe(0);
      expect(evidence(report, 'cache')).toMatch(
        /^the rebuild reused: Step \d+\/\d+: uv sync --frozen --no-install-project --no-dev$/,
      );
      expect(evidence(report, 'healthcheck')).toMatch(/^healthy after /);
    }, 300_000);

    it('a container that dies at once fails verify with its logs, not a stack', () => {
      const r = verify('classic', service(DIES_AT_ONCE), '--as-is');
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /^FAIL {2}start: the container exited at once with code 1: no DATABASE_URL: giving up$/m,
      );
      expect(r.stdout).toMatch(/^NOT RUN {2}sigterm: the container did not start$/m);
      expect(r.stderr).not.toMatch(STACK);
    }, 300_000);

    it('Ctrl-C while the container runs removes the container, the images and the copy', async () => {
      const dir = service(HARDENED_CLASSIC, { '.dockerignore': DOCKERIGNORE });
      const r = await runner.interrupt(
        dir,
        ['--as-is'],
        () => dockerd.docker('ps', '-q', '--filter', 'label=dockmig.verify').trim() !== '',
        { DOCKER_BUILDKIT: '0' },
      );
      expect(r.stderr).toContain('interrupted: removing the containers and images of this run');
      expect(r.code).toBe(130);
      // afterEach checks that nothing is left.
    }, 300_000);
  });
});
