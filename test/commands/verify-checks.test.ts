/** The pure judges of `dockmig verify`: engine output in, pass / fail / skip with evidence out. */
import { describe, expect, it } from 'vitest';
import {
  buildNotes,
  builderOf,
  CHECKS,
  classicStepImages,
  devDependencies,
  imageFacts,
  judgeBuild,
  judgeCache,
  judgeSize,
  judgeStart,
  judgeStop,
  judgeStopped,
  judgeUser,
  notRun,
  pass,
  renderText,
  skip,
  fail,
  venvDirectory,
  verifyExitCode,
} from '../../src/commands/verify-checks.js';

const ok = (stdout = '') => ({ code: 0, stdout, stderr: '' });
const failed = (code: number, stderr: string) => ({ code, stdout: '', stderr });

describe('judgeUser', () => {
  it.each([
    ['10001:10001', '10001\n', 'pass', 'uid 10001 (USER 10001:10001)'],
    ['10001', '10001', 'pass', 'uid 10001 (USER 10001)'],
    ['', '0\n', 'fail', 'the process runs as root (id -u: 0; USER is not set)'],
    ['root', '0', 'fail', 'the process runs as root (id -u: 0; USER is "root")'],
    [
      'app',
      '999',
      'fail',
      'runs as uid 999, but USER is "app", a name: runAsNonRoot cannot verify it',
    ],
    [
      '1000',
      'id: cannot find name',
      'fail',
      '`id -u` in the container printed "id: cannot find name"',
    ],
  ])('USER %j, id -u %j: %s', (user, out, status, evidence) => {
    expect(judgeUser(user, out)).toMatchObject({ id: 'non-root', status, evidence });
  });
});

describe('venvDirectory', () => {
  it.each([
    [['PATH=/app/.venv/bin:/usr/local/bin:/usr/bin'], '/app/.venv'],
    [['PATH=/usr/bin', 'VIRTUAL_ENV=/opt/venv'], '/opt/venv'],
    [['PATH=/opt/venv/bin/:/usr/bin'], '/opt/venv'],
    [['PATH=/usr/local/bin:/usr/bin'], null],
    [[], null],
  ])('%j -> %j', (env, dir) => expect(venvDirectory(env)).toBe(dir));
});

describe('devDependencies', () => {
  it('reads the dev group and the old tool.uv list, names only, once each', () => {
    const text = [
      '[project]',
      'name = "x"',
      '[dependency-groups]',
      'dev = ["pytest>=8", "pytest-cov[toml] ; python_version>\'3\'", {include-group = "lint"}]',
      'lint = ["ruff"]',
      '[tool.uv]',
      'dev-dependencies = ["mypy==1.0", "pytest"]',
    ].join('\n');
    expect(devDependencies(text)).toEqual(['pytest', 'pytest-cov', 'mypy']);
  });
  it.each([[null], [''], ['[project]\nname = "x"\n'], ['not toml = = =']])('none in %j', (text) =>
    expect(devDependencies(text)).toEqual([]),
  );
});

const PODMAN_CACHED = `[1/2] STEP 4/7: ENV UV_COMPILE_BYTECODE=1
--> Using cache 06872a428ec0
[1/2] STEP 5/7: RUN --mount=type=cache,target=/root/.cache/uv     uv sync --frozen --no-install-project --no-dev
--> Using cache c2ed8c855cf0
--> c2ed8c855cf
[1/2] STEP 6/7: COPY . .
--> a7e8a0097a5`;

describe('judgeCache', () => {
  it('podman: the dependency step taken from the cache', () => {
    expect(judgeCache(PODMAN_CACHED)).toEqual(
      pass('cache', 'the rebuild reused: STEP 5/7: uv sync --frozen --no-install-project --no-dev'),
    );
  });
  it('podman: the dependency step run again', () => {
    const ran = PODMAN_CACHED.replace('--> Using cache c2ed8c855cf0\n', 'Resolved 3 packages\n');
    expect(judgeCache(ran)).toMatchObject({
      status: 'fail',
      evidence: expect.stringMatching(/^the rebuild ran again: STEP 5\/7/),
    });
  });
  it('a cache line of the next step does not count for this one', () => {
    const text = `STEP 5/7: RUN uv sync --frozen --no-install-project\nsynced\nSTEP 6/7: COPY . .\n--> Using cache abc`;
    expect(judgeCache(text).status).toBe('fail');
  });
  it("Docker's classic builder", () => {
    const text =
      'Step 5/9 : RUN uv sync --locked --no-install-project\n ---> Using cache\n ---> 1a2b';
    expect(judgeCache(text)).toEqual(
      pass('cache', 'the rebuild reused: Step 5/9: uv sync --locked --no-install-project'),
    );
  });
  it('BuildKit, plain progress', () => {
    const text = [
      '#7 [builder 4/6] RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen --no-install-project --no-dev',
      '#7 CACHED',
      '#8 [builder 5/6] COPY . .',
    ].join('\n');
    expect(judgeCache(text)).toEqual(
      pass(
        'cache',
        'the rebuild reused: [builder 4/6]: uv sync --frozen --no-install-project --no-dev',
      ),
    );
    expect(judgeCache(text.replace('#7 CACHED', '#7 0.3 Resolved')).status).toBe('fail');
  });
  it('no dependency-only step at all', () => {
    expect(judgeCache('STEP 3/4: RUN uv sync --locked\n--> Using cache 1').evidence).toMatch(
      /^no dependency-only step/,
    );
  });
});

describe('judgeStop', () => {
  it.each([
    [0, 'pass', /^exit code 0 after 0\.4 s$/],
    [
      137,
      'fail',
      /^exit code 137 after 0\.4 s: SIGTERM was ignored .* after the 10 s grace period$/,
    ],
    [143, 'fail', /died of SIGTERM instead of shutting down cleanly/],
    [1, 'fail', /^exit code 1 after 0\.4 s$/],
  ])('exit %i: %s', (code, status, evidence) => {
    const r = judgeStop(code, 420, 10);
    expect(r.status).toBe(status);
    expect(r.evidence).toMatch(evidence);
  });
});

describe('a check that could not run fails the verification', () => {
  it("build: the engine's own last lines and its exit code", () => {
    const out = {
      code: 1,
      stdout: 'STEP 2/2: RUN exit 3\n',
      stderr: 'Error: building at STEP "RUN exit 3": while running runtime: exit status 3\n',
    };
    expect(judgeBuild(out, 'x')).toEqual(
      fail(
        'build',
        'the build failed (exit 1): STEP 2/2: RUN exit 3 / Error: building at STEP "RUN exit 3": while running runtime: exit status 3',
      ),
    );
    expect(judgeBuild(ok(), 'localhost/x:1')).toEqual(pass('build', 'built localhost/x:1'));
  });
  it.each([
    [
      'the engine cannot start containers',
      failed(126, 'Error: runc create failed: unable to start container process\n'),
      ok(),
      null,
      'fail',
      'the container did not start (exit 126): Error: runc create failed: unable to start container process',
    ],
    [
      'it dies at once',
      ok('abc\n'),
      ok('false\n'),
      {
        exitCode: 1,
        logs: 'Traceback (most recent call last):\nModuleNotFoundError: No module named "app"\n',
      },
      'fail',
      'the container exited at once with code 1: Traceback (most recent call last): / ModuleNotFoundError: No module named "app"',
    ],
    [
      'it dies silently, the exit code unknown',
      ok('abc\n'),
      ok('false\n'),
      { exitCode: null, logs: '' },
      'fail',
      'the container exited at once: it printed nothing',
    ],
    [
      'inspect fails',
      ok('abc\n'),
      failed(125, 'Error: no such container\n'),
      null,
      'fail',
      'the engine could not say whether the container runs: Error: no such container',
    ],
    ['it runs', ok('abc\n'), ok('true\n'), null, 'pass', 'running'],
  ])('start: %s', (_, started, state, exited, status, evidence) => {
    expect(judgeStart(started, state, exited)).toEqual({
      id: 'start',
      title: 'the container starts and keeps running',
      status,
      evidence,
    });
  });
  it('sigterm: an engine that failed to stop or to tell the exit code is no exit code 0', () => {
    expect(judgeStopped(failed(125, 'Error: cannot connect\n'), ok('0\n'), 10, 10)).toEqual(
      fail('sigterm', '`stop` failed (exit 125): Error: cannot connect'),
    );
    expect(judgeStopped(ok(), failed(125, 'Error: no such object\n'), 10, 10)).toEqual(
      fail('sigterm', 'stopped, but its exit code could not be read: Error: no such object'),
    );
    expect(judgeStopped(ok(), ok('\n'), 10, 10).status).toBe('fail');
    expect(judgeStopped(ok(), ok('0\n'), 300, 10)).toEqual(
      pass('sigterm', 'exit code 0 after 0.3 s'),
    );
  });
  it('not run counts as a failure of the verification, and is said so', () => {
    const results = [
      pass('build', 'built x'),
      fail('start', 'the container exited at once with code 1: boom'),
      notRun('non-root', 'the container did not start'),
      skip('healthcheck', 'the image has no HEALTHCHECK'),
    ];
    expect(verifyExitCode(results)).toBe(1);
    expect(verifyExitCode([pass('build', 'x'), notRun('cache', 'no rebuild')])).toBe(1);
    expect(renderText(results, 'Dockerfile')).toBe(
      [
        'pass  build: built x',
        'FAIL  start: the container exited at once with code 1: boom',
        'NOT RUN  non-root: the container did not start',
        'skip  healthcheck: the image has no HEALTHCHECK',
        'Dockerfile: 1 passed, 1 failed, 1 skipped, 1 not run',
        '',
      ].join('\n'),
    );
  });
  it('start is checked right after the build', () => {
    expect(CHECKS.map((c) => c.id).slice(0, 3)).toEqual(['build', 'start', 'non-root']);
  });
});

describe("how the image was built, and what a user's own build would lose", () => {
  it.each([
    ['podman', 'STEP 1/2: FROM x', 'podman build --format docker'],
    [
      'docker',
      '#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s',
      'docker build (BuildKit)',
    ],
    [
      'docker',
      'Sending build context to Docker daemon\nStep 1/4 : FROM x',
      'docker build (classic builder)',
    ],
    ['docker', 'unknown flag: --label', 'docker build'],
  ] as const)('%s: %j -> %s', (engine, output, builder) => {
    expect(builderOf(engine, output)).toBe(builder);
  });
  it("the classic builder's step images, in order, not its containers", () => {
    const output = [
      'Sending build context to Docker daemon  10.24kB',
      'Step 1/4 : FROM python:3.11-slim-bookworm AS builder',
      ' ---> 4db93d1fb18a',
      'Step 2/4 : COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/',
      ' ---> Using cache',
      ' ---> 5f0e1a2b3c4d',
      'Step 3/4 : RUN uv sync --frozen --no-install-project',
      ' ---> Running in 0a1b2c3d4e5f',
      'Removing intermediate container 0a1b2c3d4e5f',
      ' ---> 9e8d7c6b5a41',
      'Step 4/4 : LABEL dockmig.verify=x',
      ' ---> Running in 1b2c3d4e5f60',
      ' ---> 77aa88bb99cc',
      'Successfully built 77aa88bb99cc',
      'Successfully tagged localhost/dockmig-verify:x',
    ].join('\n');
    expect(classicStepImages(output)).toEqual([
      '4db93d1fb18a',
      '5f0e1a2b3c4d',
      '9e8d7c6b5a41',
      '77aa88bb99cc',
    ]);
    expect(classicStepImages('#5 [builder 2/6] COPY . .\n#5 CACHED')).toEqual([]);
  });
  const health = { healthcheck: { test: ['CMD', 'true'], startPeriodMs: 0, intervalMs: 30000 } };
  it('podman: says it built in Docker format; with a HEALTHCHECK, that a plain podman build drops it', () => {
    expect(buildNotes('podman', { healthcheck: null }, undefined)).toEqual([
      'built with `podman build --format docker`: podman and buildah make OCI images by default, and an OCI image keeps no HEALTHCHECK or SHELL',
    ]);
    const notes = buildNotes('podman', health, undefined);
    expect(notes).toHaveLength(2);
    expect(notes[1]).toMatch(
      /^this image has a HEALTHCHECK, which your own `podman build` or `buildah build` drops unless given `--format docker`/,
    );
    expect(buildNotes('podman', health, 'oci')).toHaveLength(2);
    // A user whose builds are in Docker format already keeps it.
    expect(buildNotes('podman', health, 'docker')).toHaveLength(1);
  });
  it('Docker keeps HEALTHCHECK in every image it builds: nothing to say', () => {
    expect(buildNotes('docker', health, undefined)).toEqual([]);
  });
  it('text: the notes before the verdict', () => {
    expect(renderText([pass('build', 'built x')], 'Dockerfile', ['built in Docker format'])).toBe(
      'pass  build: built x\nnote  built in Docker format\nDockerfile: 1 passed, 0 failed, 0 skipped\n',
    );
  });
});

describe('imageFacts', () => {
  it("reads podman's inspect (Healthcheck beside Config, nanoseconds)", () => {
    const facts = imageFacts([
      {
        Config: { User: '10001:10001', WorkingDir: '/app', Env: ['PATH=/app/.venv/bin:/usr/bin'] },
        Healthcheck: { Test: ['CMD', 'python', '-c', 'x'], StartPeriod: 10e9, Interval: 30e9 },
        Size: 175903218,
      },
    ]);
    expect(facts).toEqual({
      user: '10001:10001',
      workdir: '/app',
      env: ['PATH=/app/.venv/bin:/usr/bin'],
      healthcheck: { test: ['CMD', 'python', '-c', 'x'], startPeriodMs: 10000, intervalMs: 30000 },
      size: 175903218,
    });
  });
  it("reads Docker's (Healthcheck in Config), and NONE is no health check", () => {
    const docker = { Config: { Healthcheck: { Test: ['CMD-SHELL', 'true'] } }, Size: 5 };
    expect(imageFacts(docker).healthcheck).toEqual({
      test: ['CMD-SHELL', 'true'],
      startPeriodMs: 0,
      intervalMs: 30000,
    });
    expect(imageFacts({ Config: { Healthcheck: { Test: ['NONE'] } } }).healthcheck).toBeNull();
    expect(imageFacts({}).workdir).toBe('/');
  });
});

describe('results', () => {
  it('the exit code is 0 only when nothing failed; skips do not count', () => {
    expect(verifyExitCode([pass('build', 'x'), skip('healthcheck', 'none')])).toBe(0);
    expect(verifyExitCode([pass('build', 'x'), fail('sigterm', 'y')])).toBe(1);
  });
  it('every check has a title, in one table, ids unique', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(fail('no-uv', 'found /bin/uv').title).toBe('uv is not in the runtime image');
  });
  it('sizes compared', () => {
    expect(judgeSize(175_900_000, 1_020_000_000, '').evidence).toBe(
      '175.9 MB, was 1.02 GB (-83 %)',
    );
    expect(judgeSize(900_000, null, '; no original').evidence).toBe('900 kB; no original');
  });
  it('text: a line per check and the verdict', () => {
    expect(
      renderText([pass('build', 'built x'), fail('no-uv', 'found /bin/uv')], 'Dockerfile'),
    ).toBe(
      'pass  build: built x\nFAIL  no-uv: found /bin/uv\nDockerfile: 1 passed, 1 failed, 0 skipped\n',
    );
  });
});
