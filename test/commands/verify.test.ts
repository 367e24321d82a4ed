/**
 * verify's checks as it runs them, against a scripted engine: which check runs, in which order,
 * and what a check that cannot run says. What each check concludes from the engine's words is
 * test/commands/verify-checks.test.ts; the real engines are test/verify/e2e.test.ts and docker.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Cleanup,
  runChecks,
  type VerifyOptions,
  type VerifyRun,
} from '../../src/commands/verify.js';
import type { Engine, Ran } from '../../src/io/container-engine.js';
import { CHECKS } from '../../src/commands/verify-checks.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const ok = (stdout = ''): Ran => ({ code: 0, stdout, stderr: '' });
const BUILD_OUTPUT =
  'STEP 5/9: RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-install-project --no-dev\n--> Using cache 1f2e\n';
/** `image inspect` of the migrated image, with its HEALTHCHECK or without. */
const inspect = (healthcheck = true) =>
  JSON.stringify([
    {
      Config: {
        User: '10001:10001',
        WorkingDir: '/app',
        Env: ['PATH=/app/.venv/bin:/usr/local/bin:/usr/bin'],
        ...(healthcheck
          ? { Healthcheck: { Test: ['CMD', 'true'], StartPeriod: 2e9, Interval: 1e9 } }
          : {}),
      },
      Size: 150_000_000,
    },
  ]);

/** A podman that answers each command with what `answer` says, and remembers the commands. */
function scripted(answer: (args: string[]) => Ran | undefined) {
  const calls: string[][] = [];
  const run = (args: string[]) => {
    calls.push(args);
    return Promise.resolve(answer(args) ?? ok());
  };
  const engine = {
    name: 'podman',
    run,
    async must(args: string[]) {
      const r = await run(args);
      if (r.code !== 0) throw new Error(`${args.join(' ')} failed`);
      return r.stdout;
    },
  } as unknown as Engine;
  return { engine, calls };
}

/** A verify run of a project with `pyproject` in a temporary build context. */
function verifyRun(engine: Engine, pyproject: string): VerifyRun {
  const copy = mkdtempSync(join(tmpdir(), 'dockmig-verify-unit-'));
  dirs.push(copy);
  writeFileSync(join(copy, 'pyproject.toml'), pyproject);
  writeFileSync(join(copy, 'main.py'), 'print("hi")\n');
  return {
    opts: {
      grace: 10,
      compare: false,
      env: [],
      envFiles: [],
      buildArgs: [],
      pull: null,
    } as Partial<VerifyOptions> as VerifyOptions,
    engine,
    say: () => {},
    cwd: copy,
    dir: copy,
    id: 'test',
    image: 'localhost/dockmig-verify:test',
    container: 'dockmig-verify-test',
    cleanup: new Cleanup(),
    stepImages: [],
    copy,
    file: join(copy, 'Dockerfile'),
    planted: ['.env', '.git/'],
    builder: 'podman',
    notes: [],
    facts: null,
    venv: null,
    memo: {},
  };
}

const WITH_DEVS = '[project]\nname = "svc"\n\n[dependency-groups]\ndev = ["pytest>=8"]\n';
const NO_DEVS = '[project]\nname = "svc"\n';
const summary = (results: { id: string; status: string; evidence: string }[]) =>
  results.map((r) => `${r.id}: ${r.status}: ${r.evidence}`);

describe('verify runs its checks in order', () => {
  it('a healthy service: every check passes, cache rebuilt before the stop, one probe for three checks', async () => {
    const { engine, calls } = scripted((args) => {
      const line = args.join(' ');
      if (args[0] === 'build') return ok(BUILD_OUTPUT);
      if (line.startsWith('image inspect')) return ok(inspect());
      if (line.includes('{{.State.Running}}')) return ok('true\n');
      if (line.includes('{{.State.ExitCode}}')) return ok('0\n');
      if (line.endsWith('id -u')) return ok('10001\n');
      if (args.includes('-c') && args.length > 5)
        return ok(
          JSON.stringify({ uv: [], dev: {}, secrets: [], python: '/app/.venv/bin/python' }),
        );
      return undefined;
    });
    const results = await runChecks(verifyRun(engine, WITH_DEVS));
    expect(results.map((r) => r.id)).toEqual(CHECKS.map((c) => c.id));
    expect(summary(results)).toEqual([
      'build: pass: built localhost/dockmig-verify:test',
      'start: pass: running',
      'non-root: pass: uid 10001 (USER 10001:10001)',
      'venv-python: pass: /app/.venv/bin/python runs',
      'no-uv: pass: no uv on PATH, in /, /bin, /usr/bin, /usr/local/bin or the venv',
      'no-dev-dependencies: pass: none of pytest is installed',
      'no-secrets: pass: no .env or .git anywhere in the image (canary .env and .git/ placed)',
      expect.stringMatching(/^healthcheck: pass: healthy after \d+\.\d s \(start period 2 s\)$/),
      expect.stringMatching(/^sigterm: pass: /),
      'cache: pass: the rebuild reused: STEP 5/9: uv sync --frozen --no-install-project --no-dev',
      'size: pass: 150.0 MB',
    ]);
    const verbs = calls.map((a) =>
      a[0] === 'exec'
        ? `exec ${a[2]}`
        : a[0] === 'inspect'
          ? `inspect ${a[2]}`
          : a.slice(0, 2).join(' '),
    );
    expect(verbs).toEqual([
      'build --format',
      'image inspect',
      'run -d',
      'inspect {{.State.Running}}',
      'exec id',
      'exec /app/.venv/bin/python',
      'exec /app/.venv/bin/python',
      'healthcheck run',
      'build --format',
      'stop -t',
      'inspect {{.State.ExitCode}}',
    ]);
    // The probe is given the venv and the dev dependencies to look for.
    expect(calls[6].slice(-2)).toEqual(['/app/.venv', '["pytest"]']);
  });

  it('an image that does not build: every other check is not run, and says why', async () => {
    const { engine, calls } = scripted((args) =>
      args[0] === 'build'
        ? { code: 1, stdout: '', stderr: 'Error: no such base image\n' }
        : undefined,
    );
    const results = await runChecks(verifyRun(engine, WITH_DEVS));
    expect(summary(results)).toEqual([
      'build: fail: the build failed (exit 1): Error: no such base image',
      ...CHECKS.slice(1).map((c) => `${c.id}: not-run: the image did not build`),
    ]);
    expect(calls.map((a) => a[0])).toEqual(['build']);
  });

  it('a container that does not start: what does not apply is skipped, cache and size still run', async () => {
    const { engine, calls } = scripted((args) => {
      if (args[0] === 'build') return ok(BUILD_OUTPUT);
      if (args[0] === 'image') return ok(inspect(false));
      if (args[0] === 'run')
        return {
          code: 126,
          stdout: '',
          stderr: 'Error: crun: creating cgroup: permission denied\n',
        };
      return undefined;
    });
    const results = await runChecks(verifyRun(engine, NO_DEVS));
    expect(summary(results)).toEqual([
      'build: pass: built localhost/dockmig-verify:test',
      'start: fail: the container did not start (exit 126): Error: crun: creating cgroup: permission denied',
      'non-root: not-run: the container did not start',
      'venv-python: not-run: the container did not start',
      'no-uv: not-run: the container did not start',
      'no-dev-dependencies: skip: the project declares no dev dependencies',
      'no-secrets: not-run: the container did not start',
      'healthcheck: skip: the image has no HEALTHCHECK',
      'sigterm: not-run: the container did not start',
      'cache: pass: the rebuild reused: STEP 5/9: uv sync --frozen --no-install-project --no-dev',
      'size: pass: 150.0 MB',
    ]);
    expect(calls.map((a) => a[0])).toEqual(['build', 'image', 'run', 'build']);
  });

  it('no Python in the image: the probing checks are not run, with what the engine said', async () => {
    const { engine } = scripted((args) => {
      if (args[0] === 'build') return ok(BUILD_OUTPUT);
      if (args[0] === 'image') return ok(inspect());
      if (args.join(' ').includes('{{.State.Running}}')) return ok('true\n');
      if (args.join(' ').includes('{{.State.ExitCode}}')) return ok('0\n');
      if (args[0] === 'exec' && args[2] !== 'id')
        return { code: 127, stdout: '', stderr: `exec: "${args[2]}": not found\n` };
      if (args[0] === 'exec') return ok('10001\n');
      return undefined;
    });
    const results = await runChecks(verifyRun(engine, WITH_DEVS));
    expect(summary(results).slice(3, 7)).toEqual([
      'venv-python: fail: /app/.venv/bin/python does not run (a dangling link to a Python the runtime lacks?): exec: "/app/.venv/bin/python": not found',
      'no-uv: not-run: no Python in the image to look with: exec: "python3": not found',
      'no-dev-dependencies: not-run: no Python in the image to look with: exec: "python3": not found',
      'no-secrets: not-run: no Python in the image to look with: exec: "python3": not found',
    ]);
  });
});
