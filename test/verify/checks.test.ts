/** The pure judges of `dockmig verify`: engine output in, pass / fail / skip with evidence out. */
import { describe, expect, it } from 'vitest';
import {
  CHECKS,
  devDependencies,
  imageFacts,
  judgeCache,
  judgeSize,
  judgeStop,
  judgeUser,
  pass,
  renderText,
  skip,
  fail,
  venvDirectory,
  verifyExitCode,
} from '../../src/verify/checks.js';

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
