/**
 * The golden fixtures' outputs, built and started. Every fixture whose expected Dockerfile is a
 * service (a CMD or ENTRYPOINT in its last stage) is built with podman from its input tree with
 * the expected files laid over it, on images made offline (test/helpers/engine-images.ts: one
 * Debian Python under every `python:` tag asked for, and a uv stand-in, NOT uv, whose packages
 * come from a stand-in index). pip installs stand-in wheels of the same packages
 * (test/helpers/stand-in-wheels.ts), made for each fixture from what its tree asks for and
 * mounted at /stand-in-wheels for the build only, where the base image's pip.conf points pip. It
 * is then started and checked: it builds; the main process is not
 * root; the start command resolves (the container keeps running); a health request answers
 * (HTTP on the service's port, and the image's HEALTHCHECK); no uv binary in the image; and
 * `podman stop -t 10` ends it with exit code 0.
 *
 * NOT_RUN lists the fixtures that cannot be built or run here, each with the reason and a test
 * that the reason still holds. KNOWN_BROKEN lists the outputs that fail today, with the checks
 * that fail: each is asserted to fail exactly those, so the list cannot outlive the bug.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  debianWheels,
  engineEnv,
  ensureImages,
  ensureImagesNamed,
  podmanWorks,
} from '../helpers/engine-images.js';
import { goldenCases, migrateTree, type GoldenCase } from '../helpers/fixtures.js';
import { standInWheels } from '../helpers/stand-in-wheels.js';
import { needs } from '../helpers/tools.js';

const works = needs('test/e2e/fixture-images.test.ts', 'podman (`podman info`)', podmanWorks());

// Per run: two checkouts on one machine share podman's store, and may run this file at once.
const RUN = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const LABEL = `dockmig.fixture-images=${RUN}`;
type Check = 'build' | 'non-root' | 'starts' | 'answers' | 'healthy' | 'no-uv' | 'sigterm';

/** The output tree of a fixture: its input with the expected files laid over it. */
const output = (c: GoldenCase) => ({ ...c.input, ...c.expected });
const dockerfileOf = (c: GoldenCase) => output(c)[c.dockerfile].replace(/^\uFEFF/, '');

const hasText = (re: RegExp) => (c: GoldenCase) => re.test(dockerfileOf(c));
const fileHas = (path: string, re: RegExp) => (c: GoldenCase) => re.test(output(c)[path] ?? '');

/** Fixtures not built here, why, and how to tell that the reason still holds. */
const NOT_RUN: Record<string, { reason: string; still: (c: GoldenCase) => boolean }> = {
  'alpine-uv': {
    reason: 'python:3.12-alpine: no Alpine rootfs can be made offline here',
    still: hasText(/^FROM python:3\.12-alpine/m),
  },
  'alpine-adduser-named-user': {
    reason: 'python:3.12-alpine: no Alpine rootfs can be made offline here',
    still: hasText(/^FROM python:3\.12-alpine/m),
  },
  'conda-environment-reported': {
    reason:
      'continuumio/miniconda3: no conda image can be made offline here (and the output is the input)',
    still: hasText(/^FROM continuumio\/miniconda3/m),
  },
  'ubuntu-base': {
    reason: 'ubuntu:24.04: no Ubuntu rootfs can be made offline here',
    still: hasText(/^FROM ubuntu:/m),
  },
  'uv-digest-pinned': {
    reason: 'the uv image is pinned by digest, which no image made here can have',
    still: hasText(/astral-sh\/uv:[^\s@]+@sha256:/),
  },
  'uv-mount-from-image': {
    reason: '`RUN --mount=from=<image>`: this podman (buildah 1.28) takes only a stage name there',
    still: hasText(/--mount=from=ghcr\.io\/astral-sh\/uv:/),
  },
  'locked-in-heredoc': {
    reason: 'a heredoc RUN (`RUN <<EOF`), which this podman cannot build',
    still: hasText(/^RUN <<EOF/m),
  },
  's6-overlay-init': {
    reason: 'ADDs the s6-overlay tarballs from github.com, which the build cannot reach',
    still: hasText(/^ADD https:\/\/github\.com\//m),
  },
  'pip-alpine-build-base': {
    reason: 'python:3.12-alpine: no Alpine rootfs can be made offline here',
    still: hasText(/^FROM python:3\.12-alpine/m),
  },
  'uv-alpine-image-base': {
    reason: 'python:3.13-alpine: no Alpine rootfs can be made offline here',
    still: hasText(/^FROM python:3\.13-alpine/m),
  },
  'cmd-runs-uv-sync': {
    reason: 'left as is on purpose, with a finding: the start command runs `uv sync && uv run`',
    still: hasText(/^CMD \["sh", "-c", "uv sync && exec uv run app"\]/m),
  },
  'entrypoint-script-syncs-at-start': {
    reason:
      'left as is on purpose, with a finding: entrypoint.sh runs `uv sync` and `exec uv run` at start, so uv stays in the image',
    still: (c) =>
      hasText(/^ENTRYPOINT \["\.\/entrypoint\.sh"\]/m)(c) &&
      fileHas('entrypoint.sh', /^uv sync --frozen$/m)(c),
  },
  'uv-run-with-package': {
    reason:
      'left as is on purpose, with a finding: `uv run --with gunicorn` fetches the server at start',
    still: hasText(/^CMD \["uv", "run", "--with", "gunicorn"/m),
  },
  'compose-generated': {
    reason:
      'the app is no server: app/main.py prints a line and returns, and imports pydantic_settings, which pyproject.toml does not list',
    still: (c) =>
      fileHas('app/main.py', /print\(f"listening on/)(c) &&
      fileHas('app/settings.py', /pydantic_settings/)(c) &&
      !/pydantic-settings/.test(c.input['pyproject.toml']),
  },
  'console-script': {
    reason:
      'the app cannot start: ledger_sync/cli.py has a single Typer command, so Typer takes `serve` in `ledger-sync serve` as an extra argument',
    still: (c) =>
      (output(c)['src/ledger_sync/cli.py'].match(/@app\.command\(/g) ?? []).length === 1 &&
      hasText(/^CMD \["ledger-sync", "serve"/m)(c),
  },
  'invalid-json-exec-form': {
    reason:
      'the app cannot start: coupons/worker.py imports coupons.queue, which the fixture does not have (and would consume from a Redis server)',
    still: (c) =>
      fileHas('coupons/worker.py', /from coupons\.queue import consume/)(c) &&
      !('coupons/queue.py' in output(c)),
  },
  'uv-run-script-py': {
    reason: 'the bot needs TELEGRAM_TOKEN and api.telegram.org',
    still: fileHas('bot.py', /os\.environ\["TELEGRAM_TOKEN"\]/),
  },
  'uv-pip-install-in-chain': {
    reason:
      'a one-shot job, not a service: main.py writes a PDF and exits (and runs apt-get update twice)',
    still: fileHas('main.py', /write_pdf\(/),
  },
};

/**
 * Outputs that fail today, with the checks that fail; each is asserted to fail exactly those,
 * so that fixing one makes its test fail until it leaves this list.
 */
const KNOWN_BROKEN: Record<string, { fails: Check[]; reason: string; said?: RegExp }> = {
  'poetry-console-script': {
    fails: ['sigterm'],
    reason:
      'ticker-serve (http.server) is PID 1 and nothing in it handles SIGTERM, so it is killed after the timeout (137), and no finding says so',
  },
  'multi-target-api-worker': {
    fails: ['sigterm'],
    reason:
      'the worker target runs `python -m orders.worker` as PID 1 and nothing in it handles SIGTERM, so it is killed after the timeout (137), as before the migration; exec-form says so',
    said: /python -m orders\.worker: nothing in orders\/worker\.py .* handles SIGTERM/,
  },
  'python-script-no-dependencies': {
    fails: ['sigterm'],
    reason:
      '`python server.py` (http.server) is PID 1 and nothing in it handles SIGTERM, so it is killed after the timeout (137); exec-form says so',
    said: /python server\.py: nothing in server\.py .* handles SIGTERM/,
  },
  'uv-export-then-pip': {
    fails: ['no-uv'],
    reason:
      'one stage: the uv that exports requirements.txt for pip (`COPY --from=ghcr.io/astral-sh/uv` into /bin, as `pip install uv` put it in before) stays in the runtime image; nothing runs it at start, and multi-stage says why the stage is not split',
    said: /pip installs the packages into the system Python, which a runtime stage does not receive, and the project has a uv\.lock, so the uv path applies/,
  },
  'virtual-project': {
    fails: ['sigterm'],
    reason:
      '`python server.py` is PID 1 and nothing in it handles SIGTERM, so it is killed after the timeout (137); exec-form says so',
    said: /python server\.py: nothing in server\.py .* handles SIGTERM/,
  },
};

/** What a fixture's build needs beyond its tree. */
const BUILD_EXTRAS: Record<
  string,
  { contexts?: Record<string, Record<string, string>>; secrets?: Record<string, string> }
> = {
  // `docker build --build-context shared-config=../config`: the other tree it names.
  'named-build-context': {
    contexts: { 'shared-config': { 'settings/orders.toml': 'currency = "EUR"\n' } },
  },
  'secret-mount-kept': {
    secrets: { netrc: 'machine pypi.acme.internal login ci password stand-in\n' },
  },
};

/** Debian's real pip, setuptools and wheel wheels, served beside the stand-ins. */
let realWheels: string[] = [];

interface Ran {
  code: number | null;
  out: string;
}

function run(args: string[], timeout = 120_000): Ran {
  const r = spawnSync('podman', args, {
    env: engineEnv,
    encoding: 'utf8',
    timeout,
    maxBuffer: 1 << 28,
  });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
const lastLines = (text: string, n: number) => text.trim().split('\n').slice(-n).join(' | ');
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
/** A loopback port nothing listens on now, to publish the service's port on. */
const freePort = () =>
  new Promise<number>((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });

/** Images a Dockerfile names (FROM, COPY --from, RUN --mount from=), global ARGs resolved. */
function imagesOf(text: string, contexts: string[]): string[] {
  const args = new Map<string, string>();
  const stages = new Set<string>(contexts);
  const refs: string[] = [];
  const expand = (s: string) =>
    s.replace(/\$\{?(\w+)\}?/g, (whole, name: string) => args.get(name) ?? whole);
  let seenFrom = false;
  for (const line of text.split(/\r?\n/)) {
    const arg = /^ARG\s+(\w+)=(\S+)/i.exec(line);
    if (arg && !seenFrom) args.set(arg[1], arg[2].replace(/^"|"$/g, ''));
    const from = /^FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      seenFrom = true;
      const ref = expand(from[1]);
      if (!stages.has(ref.toLowerCase()) && ref !== 'scratch') refs.push(ref);
      if (from[2]) stages.add(from[2].toLowerCase());
    }
    for (const m of line.matchAll(/--(?:from=|mount=\S*?\bfrom=)([^\s,]+)/g)) {
      const ref = expand(m[1]);
      if (!stages.has(ref.toLowerCase()) && !/^\d+$/.test(ref)) refs.push(ref);
    }
  }
  return refs;
}

interface ImageConfig {
  User?: string;
  Env?: string[];
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  ExposedPorts?: Record<string, unknown> | null;
  Healthcheck?: { Test?: string[] } | null;
}

/** The port the service listens on: EXPOSE, else its command's --port/--bind, else the check's. */
function servicePort(config: ImageConfig): number | undefined {
  const exposed = Object.keys(config.ExposedPorts ?? {})[0];
  if (exposed) return Number.parseInt(exposed, 10);
  const env = new Map(
    (config.Env ?? []).map((e) => [e.split('=')[0], e.slice(e.indexOf('=') + 1)]),
  );
  const command = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])]
    .join(' ')
    .replace(/\$\{?(\w+)\}?/g, (whole, name: string) => env.get(name) ?? whole);
  const found =
    /--(?:port|server\.port)[= ](\d+)/.exec(command) ??
    /(?:--bind|-b)[= ][^\s:]*:(\d+)/.exec(command) ??
    /\b\d+\.\d+\.\d+\.\d+:(\d+)/.exec(command) ??
    /(?:'127\.0\.0\.1', |localhost:|127\.0\.0\.1:)(\d+)/.exec(
      (config.Healthcheck?.Test ?? []).join(' '),
    );
  return found ? Number(found[1]) : undefined;
}

interface Observation {
  check: Check;
  ok: boolean;
  evidence: string;
}

async function buildAndRun(c: GoldenCase, dir: string): Promise<Observation[]> {
  const outcomes: Observation[] = [];
  const note = (check: Check, ok: boolean, evidence: string) => {
    outcomes.push({ check, ok, evidence });
    return ok;
  };
  const tree = join(dir, 'tree');
  for (const [path, text] of Object.entries(output(c))) {
    const file = join(tree, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    // A repository commits its scripts executable; the fixtures hold text only.
    if (text.startsWith('#!')) chmodSync(file, 0o755);
  }
  const extras = BUILD_EXTRAS[c.name] ?? {};
  const buildArgs: string[] = [];
  for (const [name, files] of Object.entries(extras.contexts ?? {})) {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, name, path)), { recursive: true });
      writeFileSync(join(dir, name, path), text);
    }
    buildArgs.push('--build-context', `${name}=${join(dir, name)}`);
  }
  for (const [id, text] of Object.entries(extras.secrets ?? {})) {
    writeFileSync(join(dir, `secret-${id}`), text);
    buildArgs.push('--secret', `id=${id},src=${join(dir, `secret-${id}`)}`);
  }
  // The build's only package source for pip; the runtime image must do without it.
  const wheels = join(dir, 'wheels');
  standInWheels(output(c), wheels, { real: realWheels });
  buildArgs.push('--volume', `${wheels}:/stand-in-wheels:ro`);
  const missing = ensureImagesNamed(imagesOf(dockerfileOf(c), Object.keys(extras.contexts ?? {})));
  if (missing.length > 0)
    return [{ check: 'build', ok: false, evidence: `no such image here: ${missing.join(', ')}` }];

  const image = `localhost/dockmig-fixture:${c.name}-${RUN}`;
  const built = run(
    [
      'build',
      '--pull=never',
      '--format',
      'docker',
      '--layers=false',
      '--label',
      LABEL,
      '-t',
      image,
      '-f',
      join(tree, c.dockerfile),
      ...buildArgs,
      tree,
    ],
    600_000,
  );
  if (!note('build', built.code === 0, built.code === 0 ? 'built' : lastLines(built.out, 6)))
    return outcomes;

  // podman keeps the HEALTHCHECK beside Config, not in it.
  const inspected = (
    JSON.parse(run(['image', 'inspect', image]).out) as {
      Config: ImageConfig;
      Healthcheck?: ImageConfig['Healthcheck'];
    }[]
  )[0];
  const config = { ...inspected.Config, Healthcheck: inspected.Healthcheck };
  const port = servicePort(config);
  const container = `dockmig-fixture-${c.name}-${RUN}`;
  let hostPort: number | undefined;
  let started: Ran = { code: null, out: '' };
  // The free port may be taken by another test between looking and publishing: take another.
  for (let tries = 0; tries < 3; tries++) {
    hostPort = port ? await freePort() : undefined;
    started = run([
      'run',
      '-d',
      '--name',
      container,
      '--label',
      LABEL,
      // The healthcheck timer needs systemd; the check is run by hand below.
      ...(config.Healthcheck?.Test ? ['--health-interval', 'disable'] : []),
      ...(port ? ['-p', `127.0.0.1:${hostPort}:${port}`] : []),
      image,
    ]);
    if (started.code === 0 || !/address already in use/i.test(started.out)) break;
    run(['rm', '-f', container]);
  }
  const state = () =>
    run(['inspect', container, '--format', '{{.State.Running}} {{.State.ExitCode}}']).out.trim();
  const logs = () => lastLines(run(['logs', container]).out, 4);
  if (started.code !== 0) {
    // e.g. runc's "executable file not found", amid podman's complaints about the missing systemd
    const said = started.out.split('\n').filter((line) => !line.includes('systemd'));
    return [...outcomes, { check: 'starts', ok: false, evidence: lastLines(said.join('\n'), 3) }];
  }

  // Until the service answers on its port (or the container stops), then its own check.
  let answered = '';
  // Generous: on a loaded CI machine a server may take a while to import its app.
  for (let tries = 0; hostPort && tries < 240; tries++) {
    answered = await fetch(`http://127.0.0.1:${hostPort}/`, {
      signal: AbortSignal.timeout(2000),
    }).then(
      (r) => `HTTP ${r.status}`,
      () => '',
    );
    if (answered || !state().startsWith('true')) break;
    await sleep(500);
  }
  let healthy = false;
  for (let tries = 0; config.Healthcheck?.Test && tries < 30; tries++) {
    healthy = run(['healthcheck', 'run', container], 30_000).code === 0;
    if (healthy || !state().startsWith('true')) break;
    await sleep(1000);
  }
  // A worker has nothing to ask: still running after 3 s is all there is to see.
  if (!port && !config.Healthcheck?.Test) await sleep(3000);
  const now = state();
  const running = now.startsWith('true');
  note('starts', running, running ? 'running' : `exited ${now.split(' ')[1]}: ${logs()}`);
  if (hostPort)
    note(
      'answers',
      /^HTTP [1-4]\d\d$/.test(answered),
      answered ? `GET / on ${port}: ${answered}` : `nothing answers on ${port}`,
    );
  if (config.Healthcheck?.Test)
    note('healthy', healthy, healthy ? 'podman healthcheck run: healthy' : 'the HEALTHCHECK fails');
  if (running) {
    // As root, to see every file; the uid is the main process's (an entrypoint may drop root).
    const seen = run([
      'exec',
      '--user',
      '0',
      container,
      'sh',
      '-c',
      'grep ^Uid: /proc/1/status; find / -xdev -type f \\( -name uv -o -name uvx \\)',
    ]).out;
    const uid = /^Uid:\s+\d+\s+(\d+)/m.exec(seen)?.[1];
    note('non-root', uid !== undefined && uid !== '0', `the main process runs as uid ${uid}`);
    const uv = seen.split('\n').filter((l) => l.startsWith('/'));
    note('no-uv', uv.length === 0, uv.length ? `uv in the image: ${uv.join(', ')}` : 'no uv');
  }
  run(['stop', '-t', '10', container], 60_000);
  const code = run(['inspect', container, '--format', '{{.State.ExitCode}}']).out.trim();
  note('sigterm', code === '0', `exit code ${code} after podman stop -t 10`);
  return outcomes;
}

const cases = goldenCases();
const services = cases.filter((c) => {
  const text = dockerfileOf(c);
  const last = text.slice(text.search(/^FROM\s[^\n]*$(?![\s\S]*^FROM\s)/im));
  return /^(CMD|ENTRYPOINT)\s/im.test(last);
});

describe('the NOT_RUN and KNOWN_BROKEN tables', () => {
  const byName = new Map(cases.map((c) => [c.name, c]));
  it.each(Object.entries(NOT_RUN))('%s still exists and still has its reason', (name, entry) => {
    const c = byName.get(name);
    expect(c, `${name} is no longer a fixture: take it out of NOT_RUN`).toBeDefined();
    expect(entry.still(c!), `${name} no longer: ${entry.reason}`).toBe(true);
    expect(
      services.some((s) => s.name === name),
      `${name} is not a service: take it out of NOT_RUN`,
    ).toBe(true);
  });
  it.each(Object.entries(KNOWN_BROKEN).filter(([, e]) => e.said))(
    '%s: the migration tells its user why it fails',
    (name, entry) => {
      const c = byName.get(name)!;
      const r = migrateTree(c.input, c.dockerfile, c.meta.options ?? {});
      expect(r.findings.map((f) => f.message)).toContainEqual(expect.stringMatching(entry.said!));
    },
  );
  it('lists only fixtures that exist, once', () => {
    for (const name of Object.keys(KNOWN_BROKEN)) {
      expect(byName.has(name), `${name} is no longer a fixture`).toBe(true);
      expect(name in NOT_RUN, `${name} is in both tables`).toBe(false);
    }
  });
});

describe.runIf(works)('the fixtures build and start', () => {
  const dirs: string[] = [];
  const listed = (what: 'ps' | 'images') =>
    run([what, '-a', '-q', '--filter', `label=${LABEL}`])
      .out.split(/\s+/)
      .filter(Boolean);
  const clean = () => {
    const containers = listed('ps');
    if (containers.length) run(['rm', '-f', '-v', ...containers]);
    const images = [...new Set(listed('images'))];
    if (images.length) run(['rmi', '-f', ...images]);
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  };
  // A fresh machine first makes the Debian rootfs (debootstrap), maybe beside another file.
  beforeAll(() => {
    ensureImages();
    realWheels = debianWheels();
    clean();
  }, 1_800_000);
  afterEach(() => {
    clean();
    expect([...listed('ps'), ...listed('images')]).toEqual([]);
  }, 120_000);
  afterAll(clean, 120_000);

  for (const c of services.filter((s) => !(s.name in NOT_RUN))) {
    const broken = KNOWN_BROKEN[c.name];
    it(
      broken ? `${c.name} still fails ${broken.fails.join(', ')}: ${broken.reason}` : c.name,
      async () => {
        const dir = mkdtempSync(join(tmpdir(), 'dockmig-fixture-'));
        dirs.push(dir);
        const outcomes = await buildAndRun(c, dir);
        const failed = outcomes.filter((o) => !o.ok);
        const report = outcomes.map((o) => `${o.ok ? 'pass' : 'FAIL'} ${o.check}: ${o.evidence}`);
        expect(
          failed.map((o) => o.check),
          report.join('\n'),
        ).toEqual(broken?.fails ?? []);
      },
      900_000,
    );
  }
});
