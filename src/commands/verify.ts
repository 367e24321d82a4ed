/**
 * `dockmig verify [dir]`: build the migrated Dockerfile with a real engine, start it, and check the
 * promises of the hardened target on the image and the running container. The project is copied to
 * a temporary build context (its `.git` left out), the migration is written there, never in the
 * project; a canary `.env` and `.git/` are placed in that copy when the project has none, so the
 * secrets check proves the ignore rules rather than an absence. Containers, tagged images and the
 * copy are removed on every path out: success, failure, an exception, Ctrl-C.
 */
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { Engine, findEngine, type EngineName } from '../io/container-engine.js';
import { exists, readOptional } from '../io/files.js';
import { Git } from '../io/git.js';
import {
  copyProject,
  plantCanaries,
  removeTree,
  tempDir,
  touchSource,
  writeScratch,
} from '../io/workspace.js';
import {
  buildNotes,
  builderOf,
  CHECKS,
  classicStepImages,
  devDependencies,
  fail,
  imageFacts,
  judgeBuild,
  judgeCache,
  judgeSize,
  judgeStart,
  judgeStopped,
  judgeUser,
  lastLines,
  notRun,
  pass,
  renderText,
  skip,
  venvDirectory,
  verifyExitCode,
  type CheckId,
  type CheckResult,
  type ImageFacts,
  type VerifyReport,
} from '../verify/checks.js';
import { migrateAll, writeAll, type Io, type RunOptions } from './run.js';

export interface VerifyOptions {
  dir: string;
  /** The Dockerfile, relative to `dir`. */
  file: string;
  /** Verify the Dockerfile as it is, without migrating it first. */
  asIs: boolean;
  /** Also build the original (`git show HEAD:<file>`) for the size comparison. */
  compare: boolean;
  engine: EngineName | null;
  buildArgs: string[];
  env: string[];
  envFiles: string[];
  /** Seconds `stop` waits after SIGTERM before it kills. */
  grace: number;
  /** `--pull` policy passed to the build (`never` for local images only). */
  pull: string | null;
  format: 'text' | 'json';
  run: RunOptions;
}

/** Every container, image and directory made by this run, undone in reverse on the way out. */
class Cleanup {
  private readonly steps: (() => Promise<unknown> | void)[] = [];
  private done = false;
  add(step: () => Promise<unknown> | void): void {
    this.steps.push(step);
  }
  async run(): Promise<void> {
    if (this.done) return;
    this.done = true;
    for (const step of this.steps.reverse()) await Promise.resolve(step()).catch(() => {});
  }
}

const PROBE = `
import importlib.metadata, json, os, shutil, sys
venv, devs = sys.argv[1], json.loads(sys.argv[2])
uv = sorted({p for p in [shutil.which("uv"), shutil.which("uvx"), "/uv", "/bin/uv", "/usr/bin/uv",
    "/usr/local/bin/uv", os.path.join(venv, "bin", "uv")] if p and os.path.exists(p)})
dev = {}
for name in devs:
    try:
        dev[name] = importlib.metadata.distribution(name).version
    except importlib.metadata.PackageNotFoundError:
        pass
found = []
for root, dirs, files in os.walk("/"):
    if root == "/":
        dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
    for name in (".env", ".git"):
        if name in dirs or name in files:
            found.append(os.path.join(root, name))
    dirs[:] = [d for d in dirs if d != ".git"]
print(json.dumps({"uv": uv, "dev": dev, "secrets": sorted(found), "python": sys.executable}))
`;

export async function verify(opts: VerifyOptions, io: Io): Promise<number> {
  const dir = resolve(io.cwd, opts.dir);
  const dockerfile = join(dir, opts.file);
  if (!exists(dockerfile))
    throw new UsageError(`${relative(io.cwd, dockerfile) || dockerfile}: no such file`);
  const engine = await findEngine(opts.engine);
  const say = (line: string) => io.stderr(`${line}\n`);
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const image = `localhost/dockmig-verify:${id}`;
  const container = `dockmig-verify-${id}`;
  const cleanup = new Cleanup();
  // The classic builder's step images this run made (not those it took from the cache), removed
  // after the tagged images, children first.
  const stepImages: string[] = [];
  const existing =
    engine.name === 'docker'
      ? new Set(imageIds((await engine.run(['images', '-a', '-q'])).stdout))
      : null;
  cleanup.add(async () => {
    const made = stepImages.filter((i) => !existing?.has(i)).reverse();
    if (made.length > 0) await engine.run(['rmi', ...made]);
  });
  // Last on the way out: any image still labelled with this run (the intermediate images the
  // label reaches too).
  cleanup.add(async () => {
    const ids = await engine.run(['images', '-a', '-q', '--filter', `label=dockmig.verify=${id}`]);
    const list = [...new Set(imageIds(ids.stdout))];
    if (list.length > 0) await engine.run(['rmi', '-f', ...list]);
  });
  let stopping = false;
  const interrupted = async () => {
    // A second Ctrl-C while cleaning up is not allowed to leave containers behind.
    if (stopping) return say('still removing the containers and images of this run');
    stopping = true;
    say('interrupted: removing the containers and images of this run');
    await cleanup.run();
    process.exit(130);
  };
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', interrupted);
  let builder = engine.name === 'podman' ? builderOf('podman', '') : 'docker build';
  let notes: string[] = buildNotes(engine.name, null, process.env.BUILDAH_FORMAT);
  try {
    const results = await checks();
    const report: VerifyReport = {
      schemaVersion: 1,
      engine: engine.name,
      builder,
      notes,
      dockerfile: relative(io.cwd, dockerfile).split(sep).join('/'),
      migrated: !opts.asIs,
      checks: results,
      passed: verifyExitCode(results) === 0,
    };
    io.stdout(
      opts.format === 'json'
        ? JSON.stringify(report, null, 2) + '\n'
        : renderText(results, report.dockerfile, notes),
    );
    return verifyExitCode(results);
  } finally {
    await cleanup.run();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }

  async function checks(): Promise<CheckResult[]> {
    const results = new Map<CheckId, CheckResult>();
    const out = () => CHECKS.map((c) => results.get(c.id)!).filter(Boolean);
    const notRunRest = (why: string) => {
      for (const c of CHECKS) if (!results.has(c.id)) results.set(c.id, notRun(c.id, why));
    };
    const devs = () => devDependencies(readOptional(join(dirname(file), 'pyproject.toml')));
    const noDevs = () => skip('no-dev-dependencies', 'the project declares no dev dependencies');

    // The build context: a copy of the project, with the migration written into it.
    const ctx = copyProject(dir, 'dockmig-verify-');
    cleanup.add(() => removeTree(ctx));
    const planted = plantCanaries(ctx, dir);
    const file = join(ctx, opts.file);
    if (!opts.asIs) {
      const m = await migrateAll(
        { ...opts.run, paths: [file], mode: 'write', quiet: true },
        { cwd: ctx, stderr: () => {} },
      );
      const failed = [...m.problems, ...m.results.filter((r) => r.status === 'error')];
      if (failed.length > 0) {
        const r = m.results.find((x) => x.status === 'error');
        throw new InputError(
          `${opts.file}: cannot be migrated, so there is nothing to verify: ${r ? r.errors.join('; ') : m.problems[0].message}`,
        );
      }
      writeAll(m);
      const changed = m.results.some((r) => r.status === 'changed');
      say(`${opts.file}: ${changed ? 'migrated in a temporary copy' : 'already hardened'}`);
    }

    say(
      `building with ${engine.name === 'podman' ? 'podman --format docker (the OCI default would drop HEALTHCHECK and SHELL)' : 'docker'}`,
    );
    const built = await build(engine, file, ctx, image);
    cleanup.add(() => engine.run(['rmi', '-f', image]));
    builder = builderOf(engine.name, built.stdout + built.stderr);
    results.set('build', judgeBuild(built, image));
    if (built.code !== 0) {
      notRunRest('the image did not build');
      return out();
    }
    const facts = imageFacts(
      JSON.parse(await engine.must(['image', 'inspect', image], 'image inspect')),
    );
    notes = buildNotes(engine.name, facts, process.env.BUILDAH_FORMAT);

    // The container, as the image says to run it. Nothing is published: every check runs inside
    // it (exec, the image's own HEALTHCHECK), so no host port or network is needed.
    say('starting the container');
    const started = await engine.run([
      'run',
      '-d',
      '--name',
      container,
      '--label',
      `dockmig.verify=${id}`,
      ...(facts.healthcheck ? healthRunFlags(engine) : []),
      ...opts.env.flatMap((e) => ['--env', e]),
      ...opts.envFiles.flatMap((f) => ['--env-file', resolve(io.cwd, f)]),
      image,
    ]);
    // Docker's rm has no -t; podman's waits out the stop timeout without it.
    cleanup.add(() =>
      engine.run(['rm', '-f', ...(engine.name === 'podman' ? ['-t', '0'] : []), container]),
    );
    const running = started.code === 0 ? await stillRunning() : null;
    results.set('start', judgeStart(started, running?.state ?? started, running?.exited ?? null));
    if (results.get('start')!.status !== 'pass') {
      // What can be told without a container still is: size and the cache.
      if (!facts.healthcheck) results.set('healthcheck', skip('healthcheck', NO_HEALTHCHECK));
      if (devs().length === 0) results.set('no-dev-dependencies', noDevs());
      for (const c of CONTAINER_CHECKS)
        if (!results.has(c)) results.set(c, notRun(c, 'the container did not start'));
      results.set('cache', await cache());
      results.set('size', await size(facts));
      return out();
    }

    const idu = await engine.run(['exec', container, 'id', '-u']);
    results.set(
      'non-root',
      idu.code === 0
        ? judgeUser(facts.user, idu.stdout)
        : fail('non-root', `\`id -u\` could not run in the container: ${lastLines(idu.stderr)}`),
    );

    const venv = venvDirectory(facts.env) ?? join(facts.workdir, '.venv').split(sep).join('/');
    const venvPython = `${venv}/bin/python`;
    const resolves = await engine.run(['exec', container, venvPython, '-c', 'import sys']);
    results.set(
      'venv-python',
      resolves.code === 0
        ? pass('venv-python', `${venvPython} runs`)
        : fail(
            'venv-python',
            `${venvPython} does not run (a dangling link to a Python the runtime lacks?): ${lastLines(resolves.stderr + resolves.stdout)}`,
          ),
    );

    const devNames = devs();
    const python = resolves.code === 0 ? venvPython : 'python3';
    const probed = await engine.run([
      'exec',
      container,
      python,
      '-c',
      PROBE,
      venv,
      JSON.stringify(devNames),
    ]);
    if (probed.code !== 0) {
      for (const c of ['no-uv', 'no-dev-dependencies', 'no-secrets'] as const)
        results.set(
          c,
          c === 'no-dev-dependencies' && devNames.length === 0
            ? noDevs()
            : notRun(c, `no Python in the image to look with: ${lastLines(probed.stderr)}`),
        );
    } else {
      const p = JSON.parse(probed.stdout) as {
        uv: string[];
        dev: Record<string, string>;
        secrets: string[];
      };
      results.set(
        'no-uv',
        p.uv.length === 0
          ? pass('no-uv', 'no uv on PATH, in /, /bin, /usr/bin, /usr/local/bin or the venv')
          : fail('no-uv', `found ${p.uv.join(', ')}`),
      );
      const installed = Object.entries(p.dev);
      results.set(
        'no-dev-dependencies',
        devNames.length === 0
          ? noDevs()
          : resolves.code !== 0
            ? notRun('no-dev-dependencies', "the venv's interpreter does not run")
            : installed.length === 0
              ? pass('no-dev-dependencies', `none of ${devNames.join(', ')} is installed`)
              : fail(
                  'no-dev-dependencies',
                  `installed: ${installed.map(([n, v]) => `${n} ${v}`).join(', ')}`,
                ),
      );
      const canaries = planted.length > 0 ? ` (canary ${planted.join(' and ')} placed)` : '';
      results.set(
        'no-secrets',
        p.secrets.length === 0
          ? pass('no-secrets', `no .env or .git anywhere in the image${canaries}`)
          : fail('no-secrets', `found ${p.secrets.join(', ')}${canaries}`),
      );
    }

    results.set('healthcheck', await health(engine, container, facts));
    results.set('cache', await cache());

    say(`stopping it (SIGTERM, ${opts.grace} s grace)`);
    const t0 = Date.now();
    const stopped = await engine.run(['stop', '-t', String(opts.grace), container], {
      timeoutMs: (opts.grace + 30) * 1000,
    });
    const elapsed = Date.now() - t0;
    const code = await engine.run(['inspect', '--format', '{{.State.ExitCode}}', container]);
    results.set('sigterm', judgeStopped(stopped, code, elapsed, opts.grace));

    results.set('size', await size(facts));
    return out();

    /** Whether the container still runs a moment after `run -d` (one that dies at once has stopped). */
    async function stillRunning() {
      await sleep(500);
      const state = await engine.run(['inspect', '--format', '{{.State.Running}}', container]);
      if (state.code !== 0 || state.stdout.trim() === 'true') return { state, exited: null };
      const exit = await engine.run(['inspect', '--format', '{{.State.ExitCode}}', container]);
      const logs = await engine.run(['logs', container]);
      const exitCode =
        exit.code === 0 && /^-?\d+$/.test(exit.stdout.trim()) ? Number(exit.stdout) : null;
      return { state, exited: { exitCode, logs: logs.stdout + logs.stderr } };
    }

    /** A source-only change, rebuilt: the dependency layer must come from the cache. */
    async function cache(): Promise<CheckResult> {
      touchSource(dirname(file));
      say('rebuilding after a source-only change');
      const rebuilt = await build(engine, file, ctx, `${image}-rebuild`);
      cleanup.add(() => engine.run(['rmi', '-f', `${image}-rebuild`]));
      return rebuilt.code === 0
        ? judgeCache(rebuilt.stdout + rebuilt.stderr)
        : fail(
            'cache',
            `the rebuild failed (exit ${rebuilt.code}): ${lastLines(rebuilt.stdout + rebuilt.stderr)}`,
          );
    }
  }

  async function size(facts: ImageFacts): Promise<CheckResult> {
    if (!opts.compare) return judgeSize(facts.size, null, '');
    const original = await new Git(dir).show('HEAD', opts.file).catch((e: Error) => e);
    if (original instanceof Error)
      return judgeSize(facts.size, null, `; the original could not be read: ${original.message}`);
    const originalFile = join(tempDir('dockmig-original-'), 'Dockerfile');
    cleanup.add(() => removeTree(dirname(originalFile)));
    writeScratch(originalFile, original);
    say('building the original (HEAD) for the size comparison');
    const tag = `${image}-original`;
    const r = await build(engine, originalFile, dir, tag);
    cleanup.add(() => engine.run(['rmi', '-f', tag]));
    if (r.code !== 0)
      return judgeSize(
        facts.size,
        null,
        `; the original did not build: ${lastLines(r.stdout + r.stderr, 1)}`,
      );
    const before = imageFacts(JSON.parse(await engine.must(['image', 'inspect', tag], 'inspect')));
    return judgeSize(facts.size, before.size, '');
  }

  async function build(e: Engine, file: string, context: string, tag: string) {
    const r = await e.run(
      [
        'build',
        ...(e.name === 'podman' ? ['--format', 'docker'] : []),
        ...pullFlags(e.name, opts.pull),
        '-f',
        file,
        '-t',
        tag,
        '--label',
        `dockmig.verify=${id}`,
        ...opts.buildArgs.flatMap((a) => ['--build-arg', a]),
        context,
      ],
      { timeoutMs: 30 * 60_000 },
    );
    if (e.name === 'docker') stepImages.push(...classicStepImages(r.stdout + r.stderr));
    return r;
  }
}

/** The container checks: what cannot be seen without a running container. */
const CONTAINER_CHECKS: readonly CheckId[] = [
  'non-root',
  'venv-python',
  'no-uv',
  'no-dev-dependencies',
  'no-secrets',
  'healthcheck',
  'sigterm',
];

const NO_HEALTHCHECK = 'the image has no HEALTHCHECK';

/**
 * Podman runs health checks from a systemd timer, which this run does not need: verify runs them
 * itself. Docker runs them itself, the first one only after a whole interval (30 s by default;
 * Docker before 25 has no start interval), so verify asks for one every second: the same command,
 * judged within the image's start period.
 */
const DOCKER_HEALTH_INTERVAL_MS = 1000;
function healthRunFlags(e: Engine): string[] {
  return e.name === 'podman'
    ? ['--health-interval', 'disable']
    : ['--health-interval', `${DOCKER_HEALTH_INTERVAL_MS / 1000}s`];
}

/**
 * `--pull <policy>` as each engine takes it: podman's build has policies (`never`, `missing`,
 * `always`, `newer`); Docker's is a switch that means always, and without it Docker pulls only
 * what it does not have, so `never` and `missing` are its default.
 */
function pullFlags(engine: EngineName, policy: string | null): string[] {
  if (!policy) return [];
  if (engine === 'podman') return [`--pull=${policy}`];
  return ['always', 'true', 'newer'].includes(policy) ? ['--pull'] : [];
}

/** Polls the health check until healthy, for the start period (or one interval when none is set). */
async function health(e: Engine, container: string, facts: ImageFacts): Promise<CheckResult> {
  const h = facts.healthcheck;
  if (!h) return skip('healthcheck', NO_HEALTHCHECK);
  const window = h.startPeriodMs || h.intervalMs;
  const deadline = Date.now() + (e.name === 'docker' ? window + DOCKER_HEALTH_INTERVAL_MS : window);
  const t0 = Date.now();
  let last = '';
  for (;;) {
    if (e.name === 'podman') {
      const r = await e.run(['healthcheck', 'run', container], { timeoutMs: 60_000 });
      if (r.code === 0)
        return pass(
          'healthcheck',
          `healthy after ${((Date.now() - t0) / 1000).toFixed(1)} s (start period ${window / 1000} s)`,
        );
      last = lastLines(r.stdout + r.stderr, 1);
    } else {
      const r = await e.run(['inspect', '--format', '{{json .State.Health}}', container]);
      const state = healthState(r.stdout);
      if (state.status === 'healthy')
        return pass(
          'healthcheck',
          `healthy after ${((Date.now() - t0) / 1000).toFixed(1)} s (start period ${window / 1000} s; Docker polled every ${DOCKER_HEALTH_INTERVAL_MS / 1000} s)`,
        );
      last = r.code === 0 ? state.said : lastLines(r.stderr, 1);
    }
    if (Date.now() > deadline)
      return fail('healthcheck', `not healthy within ${window / 1000} s${last ? `: ${last}` : ''}`);
    await sleep(500);
  }
}

/** Docker's `State.Health`: the status, and the last probe's output when it failed. */
function healthState(json: string): { status: string; said: string } {
  try {
    const h = JSON.parse(json) as {
      Status?: string;
      Log?: { ExitCode?: number; Output?: string }[];
    } | null;
    const probe = h?.Log?.at(-1);
    const said =
      probe && probe.ExitCode !== 0
        ? `${h?.Status ?? 'no status'}, the last probe exited ${probe.ExitCode}: ${lastLines(probe.Output ?? '', 1) || 'no output'}`
        : (h?.Status ?? 'no status');
    return { status: h?.Status ?? '', said };
  } catch {
    return { status: '', said: json.trim() };
  }
}

const imageIds = (text: string) => text.split(/\s+/).filter(Boolean);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
