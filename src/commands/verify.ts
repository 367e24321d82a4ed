/**
 * `dockmig verify [dir]`: build the migrated Dockerfile with a real engine, start it, and check the
 * promises of the hardened target on the image and the running container. The project is copied to
 * a temporary build context (its `.git` left out), the migration is written there, never in the
 * project; a canary `.env` and `.git/` are placed in that copy when the project has none, so the
 * secrets check proves the ignore rules rather than an absence. Containers, tagged images and the
 * copy are removed on every path out: success, failure, an exception, Ctrl-C.
 */
import { execFile } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { Engine, findEngine, lastLines, type EngineName } from '../io/engine.js';
import {
  CHECKS,
  devDependencies,
  fail,
  imageFacts,
  judgeCache,
  judgeSize,
  judgeStop,
  judgeUser,
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
  if (!existsSync(dockerfile))
    throw new UsageError(`${relative(io.cwd, dockerfile) || dockerfile}: no such file`);
  const engine = await findEngine(opts.engine);
  const say = (line: string) => io.stderr(`${line}\n`);
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const image = `localhost/dockmig-verify:${id}`;
  const container = `dockmig-verify-${id}`;
  const cleanup = new Cleanup();
  // Last on the way out: any image still labelled with this run (the intermediate images the
  // label reaches too).
  cleanup.add(async () => {
    const ids = await engine.run(['images', '-a', '-q', '--filter', `label=dockmig.verify=${id}`]);
    const list = [...new Set(ids.stdout.split(/\s+/).filter(Boolean))];
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
    const results = await checks();
    const report: VerifyReport = {
      schemaVersion: 1,
      engine: engine.name,
      dockerfile: relative(io.cwd, dockerfile).split(sep).join('/'),
      migrated: !opts.asIs,
      checks: results,
      passed: verifyExitCode(results) === 0,
    };
    io.stdout(
      opts.format === 'json'
        ? JSON.stringify(report, null, 2) + '\n'
        : renderText(results, report.dockerfile),
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
    const skipRest = (why: string) => {
      for (const c of CHECKS) if (!results.has(c.id)) results.set(c.id, skip(c.id, why));
    };

    // The build context: a copy of the project, with the migration written into it.
    const ctx = mkdtempSync(join(tmpdir(), 'dockmig-verify-'));
    cleanup.add(() => rmSync(ctx, { recursive: true, force: true }));
    cpSync(dir, ctx, {
      recursive: true,
      filter: (src) => !(basename(src) === '.git' && dirname(src) === dir),
    });
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

    say(`building with ${engine.name}`);
    const built = await build(engine, file, ctx, image);
    cleanup.add(() => engine.run(['rmi', '-f', image]));
    if (built.code !== 0) {
      results.set('build', fail('build', lastLines(built.stdout + built.stderr, 4)));
      skipRest('the image did not build');
      return out();
    }
    results.set('build', pass('build', `built ${image}`));
    const facts = imageFacts(
      JSON.parse(await engine.must(['image', 'inspect', image], 'image inspect')),
    );

    // The container, as the image says to run it.
    say('starting the container');
    const started = await engine.run([
      'run',
      '-d',
      '--name',
      container,
      '--label',
      `dockmig.verify=${id}`,
      ...(engine.name === 'podman' && facts.healthcheck ? ['--health-interval', 'disable'] : []),
      ...opts.env.flatMap((e) => ['--env', e]),
      ...opts.envFiles.flatMap((f) => ['--env-file', resolve(io.cwd, f)]),
      image,
    ]);
    cleanup.add(() => engine.run(['rm', '-f', '-t', '0', container]));
    if (started.code !== 0) {
      skipRest(`the container did not start: ${lastLines(started.stderr)}`);
      return out();
    }
    await sleep(500);
    const state = await engine.run(['inspect', '--format', '{{.State.Running}}', container]);
    if (state.stdout.trim() !== 'true') {
      const logs = await engine.run(['logs', container]);
      skipRest(
        `the container exited at once: ${lastLines(logs.stdout + logs.stderr) || 'no output'}`,
      );
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

    const devs = devDependencies(readText(join(dirname(file), 'pyproject.toml')));
    const python = resolves.code === 0 ? venvPython : 'python3';
    const probed = await engine.run([
      'exec',
      container,
      python,
      '-c',
      PROBE,
      venv,
      JSON.stringify(devs),
    ]);
    if (probed.code !== 0) {
      for (const c of ['no-uv', 'no-dev-dependencies', 'no-secrets'] as const)
        results.set(c, fail(c, `no Python to look with: ${lastLines(probed.stderr)}`));
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
        devs.length === 0
          ? skip('no-dev-dependencies', 'the project declares no dev dependencies')
          : resolves.code !== 0
            ? skip('no-dev-dependencies', "the venv's interpreter does not run")
            : installed.length === 0
              ? pass('no-dev-dependencies', `none of ${devs.join(', ')} is installed`)
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

    // A source-only change, rebuilt: the dependency layer must come from the cache.
    touchSource(ctx, dirname(file));
    say('rebuilding after a source-only change');
    const rebuilt = await build(engine, file, ctx, `${image}-rebuild`);
    cleanup.add(() => engine.run(['rmi', '-f', `${image}-rebuild`]));
    results.set(
      'cache',
      rebuilt.code === 0
        ? judgeCache(rebuilt.stdout + rebuilt.stderr)
        : fail('cache', `the rebuild failed: ${lastLines(rebuilt.stderr)}`),
    );

    say(`stopping it (SIGTERM, ${opts.grace} s grace)`);
    const t0 = Date.now();
    await engine.run(['stop', '-t', String(opts.grace), container], {
      timeoutMs: (opts.grace + 30) * 1000,
    });
    const elapsed = Date.now() - t0;
    const code = await engine.run(['inspect', '--format', '{{.State.ExitCode}}', container]);
    results.set('sigterm', judgeStop(Number(code.stdout.trim()), elapsed, opts.grace));

    results.set('size', await size(facts));
    return out();
  }

  async function size(facts: ImageFacts): Promise<CheckResult> {
    if (!opts.compare) return judgeSize(facts.size, null, '');
    const original = await gitShow(dir, opts.file).catch((e: Error) => e);
    if (original instanceof Error)
      return judgeSize(facts.size, null, `; the original could not be read: ${original.message}`);
    const originalFile = join(mkdtempSync(join(tmpdir(), 'dockmig-original-')), 'Dockerfile');
    cleanup.add(() => rmSync(dirname(originalFile), { recursive: true, force: true }));
    writeFileSync(originalFile, original);
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

  function build(e: Engine, file: string, context: string, tag: string) {
    return e.run(
      [
        'build',
        ...(e.name === 'podman' ? ['--format', 'docker'] : []),
        ...(opts.pull ? [`--pull=${opts.pull}`] : []),
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
  }
}

/** Polls the health check until healthy, for the start period (or one interval when none is set). */
async function health(e: Engine, container: string, facts: ImageFacts): Promise<CheckResult> {
  const h = facts.healthcheck;
  if (!h) return skip('healthcheck', 'the image has no HEALTHCHECK');
  const window = h.startPeriodMs || h.intervalMs;
  // Docker runs the checks itself, the first one after an interval unless a start interval is set.
  const deadline = Date.now() + (e.name === 'docker' ? window + h.intervalMs : window);
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
      const r = await e.run(['inspect', '--format', '{{.State.Health.Status}}', container]);
      if (r.stdout.trim() === 'healthy')
        return pass('healthcheck', `healthy after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      last = r.stdout.trim();
    }
    if (Date.now() > deadline)
      return fail('healthcheck', `not healthy within ${window / 1000} s${last ? `: ${last}` : ''}`);
    await sleep(500);
  }
}

/** A canary `.env` and `.git/` in the copy when the project has none: the check then proves something. */
function plantCanaries(ctx: string, dir: string): string[] {
  const planted: string[] = [];
  if (!existsSync(join(dir, '.env'))) {
    writeFileSync(join(ctx, '.env'), 'DOCKMIG_VERIFY_CANARY=1\n');
    planted.push('.env');
  }
  // The real .git is never copied (it can be large): a small one stands in for it.
  mkdirSync(join(ctx, '.git'), { recursive: true });
  writeFileSync(join(ctx, '.git', 'HEAD'), 'ref: refs/heads/dockmig-verify-canary\n');
  planted.push('.git/');
  return planted;
}

/** Appends a comment to one Python source file (else adds a file): a change to source only. */
function touchSource(ctx: string, project: string): void {
  const find = (d: string, depth: number): string | null => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === '__pycache__' || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isFile() && e.name.endsWith('.py')) return p;
      if (e.isDirectory() && depth < 4) {
        const found = find(p, depth + 1);
        if (found) return found;
      }
    }
    return null;
  };
  const source = find(project, 0);
  if (source) appendFileSync(source, '\n# dockmig verify: a source-only change\n');
  else writeFileSync(join(project, 'dockmig_verify_probe.py'), '# a source-only change\n');
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function gitShow(dir: string, file: string): Promise<string> {
  return new Promise((done, reject) => {
    execFile(
      'git',
      ['show', `HEAD:./${file}`],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? reject(new Error(lastLines(stderr) || error.message)) : done(stdout),
    );
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
