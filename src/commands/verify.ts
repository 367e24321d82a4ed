/**
 * `dockmig verify [dir]`: build the migrated Dockerfile with a real engine, start it, and check the
 * promises of the hardened target on the image and the running container. The project is copied to
 * a temporary build context (its `.git` left out), the migration is written there, never in the
 * project; a canary `.env` and `.git/` are placed in that copy when the project has none, so the
 * secrets check proves the ignore rules rather than an absence. Containers, tagged images and the
 * copy are removed on every path out: success, failure, an exception, Ctrl-C.
 */
import { dirname, join, relative, resolve, sep } from 'node:path';
import { InputError, lastLines, UsageError } from '../errors.js';
import { Engine, findEngine, type EngineName, type Ran } from '../io/container-engine.js';
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
} from './verify-checks.js';
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
export class Cleanup {
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
  try {
    const run = await prepare({
      opts,
      engine,
      say,
      cwd: io.cwd,
      dir,
      id,
      cleanup,
      stepImages,
    });
    const results = await runChecks(run);
    const report: VerifyReport = {
      schemaVersion: 1,
      engine: engine.name,
      builder: run.builder,
      notes: run.notes,
      dockerfile: relative(io.cwd, dockerfile).split(sep).join('/'),
      migrated: !opts.asIs,
      checks: results,
      passed: verifyExitCode(results) === 0,
    };
    io.stdout(
      opts.format === 'json'
        ? JSON.stringify(report, null, 2) + '\n'
        : renderText(results, report.dockerfile, run.notes),
    );
    return verifyExitCode(results);
  } finally {
    await cleanup.run();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
  }
}

/**
 * What the checks share: the run's engine and names, its build context, and what earlier checks
 * found.
 */
export interface VerifyRun {
  opts: VerifyOptions;
  engine: Engine;
  say: (line: string) => void;
  cwd: string;
  /** The project, never written. */
  dir: string;
  /** This run's label value, and the suffix of its image and container names. */
  id: string;
  image: string;
  container: string;
  cleanup: Cleanup;
  stepImages: string[];
  /** The build context: a copy of the project, the migration written into it. */
  copy: string;
  /** The Dockerfile in the copy. */
  file: string;
  /** The canaries placed in the copy (`.env`, `.git/`). */
  planted: string[];
  builder: string;
  notes: string[];
  /** The built image as the engine inspects it; `build` sets it when the image built. */
  facts: ImageFacts | null;
  /** The venv and whether its interpreter runs; `venv-python` sets it. */
  venv: { dir: string; python: string; runs: boolean } | null;
  /** Memo of `devNames()` and `probe()`: each is asked of the project or the container once. */
  memo: { devNames?: string[]; probe?: Promise<Ran> };
}

/** A check as verify runs it: `run` is called only when what it `needs` is there. */
interface VerifyCheck {
  id: CheckId;
  /** `image`: the image built; `container`: the container started and kept running. */
  needs: 'nothing' | 'image' | 'container';
  /** Why the check does not apply to this image, told before it needs the container; else null. */
  skipped?: (run: VerifyRun) => string | null;
  run: (run: VerifyRun) => Promise<CheckResult>;
}

/**
 * The copy of the project the image is built from, migrated unless --as-is. A Dockerfile that
 * cannot be migrated has nothing to verify: that is an InputError, before any build.
 */
async function prepare(
  base: Pick<
    VerifyRun,
    'opts' | 'engine' | 'say' | 'cwd' | 'dir' | 'id' | 'cleanup' | 'stepImages'
  >,
): Promise<VerifyRun> {
  const { opts, engine, say, dir, cleanup } = base;
  const copy = copyProject(dir, 'dockmig-verify-');
  cleanup.add(() => removeTree(copy));
  const planted = plantCanaries(copy, dir);
  const file = join(copy, opts.file);
  if (!opts.asIs) {
    const m = await migrateAll(
      { ...opts.run, paths: [file], mode: 'write', quiet: true },
      { cwd: copy, stderr: () => {} },
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
  return {
    ...base,
    image: `localhost/dockmig-verify:${base.id}`,
    container: `dockmig-verify-${base.id}`,
    copy,
    file,
    planted,
    builder: engine.name === 'podman' ? builderOf('podman', '') : 'docker build',
    notes: buildNotes(engine.name, null, process.env.BUILDAH_FORMAT),
    facts: null,
    venv: null,
    memo: {},
  };
}

/**
 * Every check in `VERIFY_CHECKS` order, reported in `CHECKS` order. A check whose image did not
 * build or whose container did not start is not run, and says why; one that does not apply to
 * the image is skipped, even without a container.
 */
export async function runChecks(run: VerifyRun): Promise<CheckResult[]> {
  const results = new Map<CheckId, CheckResult>();
  const passed = (id: CheckId) => results.get(id)?.status === 'pass';
  for (const check of VERIFY_CHECKS) {
    let result: CheckResult;
    if (check.needs !== 'nothing' && !passed('build'))
      result = notRun(check.id, 'the image did not build');
    else {
      const why = check.skipped?.(run) ?? null;
      if (why !== null) result = skip(check.id, why);
      else if (check.needs === 'container' && !passed('start'))
        result = notRun(check.id, 'the container did not start');
      else result = await check.run(run);
    }
    results.set(check.id, result);
  }
  return CHECKS.map((c) => results.get(c.id)!);
}

/**
 * The checks in the order they run: the order is the contract, as each may use what an earlier
 * one found (the image's facts, whether the container started, the venv's interpreter). The
 * rebuild for `cache` comes before `sigterm` stops the container; `size` comes last, as
 * `--compare` builds the original then.
 */
const VERIFY_CHECKS: readonly VerifyCheck[] = [
  {
    id: 'build',
    needs: 'nothing',
    async run(r) {
      r.say(
        `building with ${r.engine.name === 'podman' ? 'podman --format docker (the OCI default would drop HEALTHCHECK and SHELL)' : 'docker'}`,
      );
      const built = await build(r, r.file, r.copy, r.image);
      r.cleanup.add(() => r.engine.run(['rmi', '-f', r.image]));
      r.builder = builderOf(r.engine.name, built.stdout + built.stderr);
      const result = judgeBuild(built, r.image);
      if (built.code !== 0) return result;
      r.facts = imageFacts(
        JSON.parse(await r.engine.must(['image', 'inspect', r.image], 'image inspect')),
      );
      r.notes = buildNotes(r.engine.name, r.facts, process.env.BUILDAH_FORMAT);
      return result;
    },
  },
  {
    id: 'start',
    needs: 'image',
    // The container, as the image says to run it. Nothing is published: every check runs inside
    // it (exec, the image's own HEALTHCHECK), so no host port or network is needed.
    async run(r) {
      r.say('starting the container');
      const started = await r.engine.run([
        'run',
        '-d',
        '--name',
        r.container,
        '--label',
        `dockmig.verify=${r.id}`,
        ...(facts(r).healthcheck ? healthRunFlags(r.engine) : []),
        ...r.opts.env.flatMap((e) => ['--env', e]),
        ...r.opts.envFiles.flatMap((f) => ['--env-file', resolve(r.cwd, f)]),
        r.image,
      ]);
      // Docker's rm has no -t; podman's waits out the stop timeout without it.
      r.cleanup.add(() =>
        r.engine.run(['rm', '-f', ...(r.engine.name === 'podman' ? ['-t', '0'] : []), r.container]),
      );
      const running = started.code === 0 ? await stillRunning(r) : null;
      return judgeStart(started, running?.state ?? started, running?.exited ?? null);
    },
  },
  {
    id: 'non-root',
    needs: 'container',
    async run(r) {
      const idu = await r.engine.run(['exec', r.container, 'id', '-u']);
      return idu.code === 0
        ? judgeUser(facts(r).user, idu.stdout)
        : fail('non-root', `\`id -u\` could not run in the container: ${lastLines(idu.stderr)}`);
    },
  },
  {
    id: 'venv-python',
    needs: 'container',
    async run(r) {
      const f = facts(r);
      const dir = venvDirectory(f.env) ?? join(f.workdir, '.venv').split(sep).join('/');
      const python = `${dir}/bin/python`;
      const resolves = await r.engine.run(['exec', r.container, python, '-c', 'import sys']);
      r.venv = { dir, python, runs: resolves.code === 0 };
      return resolves.code === 0
        ? pass('venv-python', `${python} runs`)
        : fail(
            'venv-python',
            `${python} does not run (a dangling link to a Python the runtime lacks?): ${lastLines(resolves.stderr + resolves.stdout)}`,
          );
    },
  },
  {
    id: 'no-uv',
    needs: 'container',
    async run(r) {
      const p = await probe(r);
      if (!p.ok) return notRun('no-uv', p.why);
      return p.uv.length === 0
        ? pass('no-uv', 'no uv on PATH, in /, /bin, /usr/bin, /usr/local/bin or the venv')
        : fail('no-uv', `found ${p.uv.join(', ')}`);
    },
  },
  {
    id: 'no-dev-dependencies',
    needs: 'container',
    skipped: (r) => (devNames(r).length === 0 ? 'the project declares no dev dependencies' : null),
    async run(r) {
      const p = await probe(r);
      if (!p.ok) return notRun('no-dev-dependencies', p.why);
      if (!r.venv?.runs)
        return notRun('no-dev-dependencies', "the venv's interpreter does not run");
      const installed = Object.entries(p.dev);
      return installed.length === 0
        ? pass('no-dev-dependencies', `none of ${devNames(r).join(', ')} is installed`)
        : fail(
            'no-dev-dependencies',
            `installed: ${installed.map(([n, v]) => `${n} ${v}`).join(', ')}`,
          );
    },
  },
  {
    id: 'no-secrets',
    needs: 'container',
    async run(r) {
      const p = await probe(r);
      if (!p.ok) return notRun('no-secrets', p.why);
      const canaries = r.planted.length > 0 ? ` (canary ${r.planted.join(' and ')} placed)` : '';
      return p.secrets.length === 0
        ? pass('no-secrets', `no .env or .git anywhere in the image${canaries}`)
        : fail('no-secrets', `found ${p.secrets.join(', ')}${canaries}`);
    },
  },
  {
    id: 'healthcheck',
    needs: 'container',
    skipped: (r) => (facts(r).healthcheck ? null : NO_HEALTHCHECK),
    run: (r) => health(r.engine, r.container, facts(r)),
  },
  {
    id: 'cache',
    needs: 'image',
    // A source-only change, rebuilt: the dependency layer must come from the cache.
    async run(r) {
      touchSource(dirname(r.file));
      r.say('rebuilding after a source-only change');
      const tag = `${r.image}-rebuild`;
      const rebuilt = await build(r, r.file, r.copy, tag);
      r.cleanup.add(() => r.engine.run(['rmi', '-f', tag]));
      return rebuilt.code === 0
        ? judgeCache(rebuilt.stdout + rebuilt.stderr)
        : fail(
            'cache',
            `the rebuild failed (exit ${rebuilt.code}): ${lastLines(rebuilt.stdout + rebuilt.stderr)}`,
          );
    },
  },
  {
    id: 'sigterm',
    needs: 'container',
    async run(r) {
      const grace = r.opts.grace;
      r.say(`stopping it (SIGTERM, ${grace} s grace)`);
      const t0 = Date.now();
      const stopped = await r.engine.run(['stop', '-t', String(grace), r.container], {
        timeoutMs: (grace + 30) * 1000,
      });
      const elapsed = Date.now() - t0;
      const code = await r.engine.run(['inspect', '--format', '{{.State.ExitCode}}', r.container]);
      return judgeStopped(stopped, code, elapsed, grace);
    },
  },
  {
    id: 'size',
    needs: 'image',
    async run(r) {
      const after = facts(r).size;
      if (!r.opts.compare) return judgeSize(after, null, '');
      const original = await new Git(r.dir).show('HEAD', r.opts.file).catch((e: Error) => e);
      if (original instanceof Error)
        return judgeSize(after, null, `; the original could not be read: ${original.message}`);
      const originalFile = join(tempDir('dockmig-original-'), 'Dockerfile');
      r.cleanup.add(() => removeTree(dirname(originalFile)));
      writeScratch(originalFile, original);
      r.say('building the original (HEAD) for the size comparison');
      const tag = `${r.image}-original`;
      const built = await build(r, originalFile, r.dir, tag);
      r.cleanup.add(() => r.engine.run(['rmi', '-f', tag]));
      if (built.code !== 0)
        return judgeSize(
          after,
          null,
          `; the original did not build: ${lastLines(built.stdout + built.stderr, 1)}`,
        );
      const before = imageFacts(
        JSON.parse(await r.engine.must(['image', 'inspect', tag], 'inspect')),
      );
      return judgeSize(after, before.size, '');
    },
  },
];

/** The image's facts: every check that needs the image runs after `build` has set them. */
function facts(r: VerifyRun): ImageFacts {
  if (!r.facts) throw new Error('a check that needs the image ran before the image was inspected');
  return r.facts;
}

/** The dev dependencies the project declares, read from the copy's pyproject.toml once. */
function devNames(r: VerifyRun): string[] {
  r.memo.devNames ??= devDependencies(readOptional(join(dirname(r.file), 'pyproject.toml')));
  return r.memo.devNames;
}

type Probed =
  | { ok: true; uv: string[]; dev: Record<string, string>; secrets: string[] }
  | { ok: false; why: string };

/** One look inside the container with its own Python, shared by the checks that need it. */
async function probe(r: VerifyRun): Promise<Probed> {
  const python = r.venv?.runs ? r.venv.python : 'python3';
  const venv = r.venv?.dir ?? '';
  r.memo.probe ??= r.engine.run([
    'exec',
    r.container,
    python,
    '-c',
    PROBE,
    venv,
    JSON.stringify(devNames(r)),
  ]);
  const probed = await r.memo.probe;
  if (probed.code !== 0)
    return { ok: false, why: `no Python in the image to look with: ${lastLines(probed.stderr)}` };
  return { ok: true, ...(JSON.parse(probed.stdout) as Omit<Probed & { ok: true }, 'ok'>) };
}

/** Whether the container still runs a moment after `run -d` (one that dies at once has stopped). */
async function stillRunning(r: VerifyRun) {
  const { engine, container } = r;
  await sleep(500);
  const state = await engine.run(['inspect', '--format', '{{.State.Running}}', container]);
  if (state.code !== 0 || state.stdout.trim() === 'true') return { state, exited: null };
  const exit = await engine.run(['inspect', '--format', '{{.State.ExitCode}}', container]);
  const logs = await engine.run(['logs', container]);
  const exitCode =
    exit.code === 0 && /^-?\d+$/.test(exit.stdout.trim()) ? Number(exit.stdout) : null;
  return { state, exited: { exitCode, logs: logs.stdout + logs.stderr } };
}

/** Builds with this run's label, pull policy and build args; the classic builder's step images noted. */
async function build(r: VerifyRun, file: string, context: string, tag: string): Promise<Ran> {
  const e = r.engine;
  const built = await e.run(
    [
      'build',
      ...(e.name === 'podman' ? ['--format', 'docker'] : []),
      ...pullFlags(e.name, r.opts.pull),
      '-f',
      file,
      '-t',
      tag,
      '--label',
      `dockmig.verify=${r.id}`,
      ...r.opts.buildArgs.flatMap((a) => ['--build-arg', a]),
      context,
    ],
    { timeoutMs: 30 * 60_000 },
  );
  if (e.name === 'docker') r.stepImages.push(...classicStepImages(built.stdout + built.stderr));
  return built;
}

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
