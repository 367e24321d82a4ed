/**
 * `dockmig verify`: the promises of the hardened target, checked on a built image and a running
 * container. This module is pure: the checks as an ordered table, and functions that judge what the
 * engine reported (build output, inspect data, command output) into pass, fail or skip with the
 * evidence. `commands/verify.ts` runs the engine and feeds them.
 *
 * A check that could not run (the image did not build, the container did not start, the engine
 * refused) is `not-run`, and that fails the verification: a verification that verified nothing
 * is not a pass. `skip` is only for a check that does not apply to this image.
 */
import { lastLines } from '../errors.js';
import { parse as parseToml } from 'smol-toml';

export type CheckId =
  | 'build'
  | 'start'
  | 'non-root'
  | 'venv-python'
  | 'no-uv'
  | 'no-dev-dependencies'
  | 'no-secrets'
  | 'healthcheck'
  | 'sigterm'
  | 'cache'
  | 'size';

export type CheckStatus = 'pass' | 'fail' | 'skip' | 'not-run';

export interface CheckResult {
  id: CheckId;
  title: string;
  status: CheckStatus;
  /** What was seen: the evidence for a pass or a failure, the reason for a skip or a check not run. */
  evidence: string;
}

/** The checks in the order they run and are reported; user-facing titles in one table. */
export const CHECKS: readonly { id: CheckId; title: string }[] = [
  { id: 'build', title: 'the Dockerfile builds' },
  { id: 'start', title: 'the container starts and keeps running' },
  { id: 'non-root', title: 'runs as a numeric non-root user' },
  { id: 'venv-python', title: "the venv's interpreter resolves" },
  { id: 'no-uv', title: 'uv is not in the runtime image' },
  { id: 'no-dev-dependencies', title: 'dev dependencies are not installed' },
  { id: 'no-secrets', title: '.env and .git are not in the image' },
  { id: 'healthcheck', title: 'the HEALTHCHECK turns healthy in its start period' },
  { id: 'sigterm', title: 'SIGTERM stops it with exit code 0 in the grace period' },
  { id: 'cache', title: 'a source-only change reuses the dependency layer' },
  { id: 'size', title: 'image size' },
];

const TITLES = new Map(CHECKS.map((c) => [c.id, c.title]));

export const pass = (id: CheckId, evidence: string): CheckResult => result(id, 'pass', evidence);
export const fail = (id: CheckId, evidence: string): CheckResult => result(id, 'fail', evidence);
export const skip = (id: CheckId, why: string): CheckResult => result(id, 'skip', why);
export const notRun = (id: CheckId, why: string): CheckResult => result(id, 'not-run', why);

function result(id: CheckId, status: CheckStatus, evidence: string): CheckResult {
  return { id, title: TITLES.get(id)!, status, evidence };
}

/** Exit code: 0 when every check that applies ran and passed, 1 when one failed or could not run. */
export function verifyExitCode(results: readonly CheckResult[]): number {
  return results.some((r) => r.status === 'fail' || r.status === 'not-run') ? 1 : 0;
}

/** What an engine command printed and how it ended (`io/container-engine.ts` Ran, without importing io). */
export interface EngineOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export function judgeBuild(built: EngineOutput, image: string): CheckResult {
  return built.code === 0
    ? pass('build', `built ${image}`)
    : fail(
        'build',
        `the build failed (exit ${built.code}): ${lastLines(built.stdout + built.stderr, 4) || 'no output'}`,
      );
}

/**
 * `run -d`, then whether the container still runs a moment later. `exited` is null while it
 * runs, else its exit code (null too when inspect could not tell) and its logs.
 */
export function judgeStart(
  started: EngineOutput,
  state: EngineOutput,
  exited: { exitCode: number | null; logs: string } | null,
): CheckResult {
  if (started.code !== 0)
    return fail(
      'start',
      `the container did not start (exit ${started.code}): ${lastLines(started.stderr + started.stdout) || 'no output'}`,
    );
  if (state.code !== 0)
    return fail(
      'start',
      `the engine could not say whether the container runs: ${lastLines(state.stderr) || 'no output'}`,
    );
  if (exited)
    return fail(
      'start',
      `the container exited at once${exited.exitCode === null ? '' : ` with code ${exited.exitCode}`}: ${lastLines(exited.logs) || 'it printed nothing'}`,
    );
  return pass('start', 'running');
}

/** The subset of `image inspect` the checks read (Docker and podman agree on these names). */
export interface ImageFacts {
  user: string;
  workdir: string;
  env: string[];
  healthcheck: { test: string[]; startPeriodMs: number; intervalMs: number } | null;
  size: number;
}

export function imageFacts(inspect: unknown): ImageFacts {
  const i = (Array.isArray(inspect) ? inspect[0] : inspect) as {
    Config?: { User?: string; WorkingDir?: string; Env?: string[]; Healthcheck?: RawHealth };
    /** podman puts it beside Config. */
    Healthcheck?: RawHealth;
    Size?: number;
  };
  const h = i.Config?.Healthcheck ?? i.Healthcheck ?? null;
  const test = h?.Test ?? [];
  return {
    user: i.Config?.User ?? '',
    workdir: i.Config?.WorkingDir || '/',
    env: i.Config?.Env ?? [],
    healthcheck:
      test.length > 0 && test[0] !== 'NONE'
        ? {
            test,
            startPeriodMs: Math.round((h?.StartPeriod ?? 0) / 1e6),
            intervalMs: Math.round((h?.Interval ?? 30e9) / 1e6),
          }
        : null,
    size: i.Size ?? 0,
  };
}

interface RawHealth {
  Test?: string[];
  StartPeriod?: number;
  Interval?: number;
}

/** `USER` as the image says it: numeric `uid[:gid]` other than 0, or why not. */
export function judgeUser(configured: string, idOutput: string): CheckResult {
  const uid = idOutput.trim();
  if (!/^\d+$/.test(uid)) return fail('non-root', `\`id -u\` in the container printed "${uid}"`);
  if (uid === '0')
    return fail(
      'non-root',
      `the process runs as root (id -u: 0; USER is ${configured ? `"${configured}"` : 'not set'})`,
    );
  if (!/^\d+(:\d+)?$/.test(configured))
    return fail(
      'non-root',
      `runs as uid ${uid}, but USER is "${configured}", a name: runAsNonRoot cannot verify it`,
    );
  return pass('non-root', `uid ${uid} (USER ${configured})`);
}

/** The venv directory the image puts on PATH (`…/.venv/bin`), or VIRTUAL_ENV. */
export function venvDirectory(env: readonly string[]): string | null {
  const vars = new Map(
    env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] as const),
  );
  if (vars.get('VIRTUAL_ENV')) return vars.get('VIRTUAL_ENV')!;
  for (const dir of (vars.get('PATH') ?? '').split(':')) {
    if (/\/\.?venv\/bin\/?$/.test(dir) || /\/venv\/bin\/?$/.test(dir))
      return dir.replace(/\/bin\/?$/, '');
  }
  return null;
}

/** The dev dependency names of a `pyproject.toml`: `[dependency-groups] dev` and `[tool.uv] dev-dependencies`. */
export function devDependencies(pyproject: string | null): string[] {
  if (!pyproject) return [];
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(pyproject) as Record<string, unknown>;
  } catch {
    return [];
  }
  const groups = (doc['dependency-groups'] ?? {}) as Record<string, unknown>;
  const uv = ((doc.tool as Record<string, unknown> | undefined)?.uv ?? {}) as Record<
    string,
    unknown
  >;
  const reqs = [
    ...(Array.isArray(groups.dev) ? groups.dev : []),
    ...(Array.isArray(uv['dev-dependencies']) ? uv['dev-dependencies'] : []),
  ].filter((r): r is string => typeof r === 'string');
  const names = reqs.map((r) => /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(r)?.[1]).filter(Boolean);
  return [...new Set(names as string[])];
}

/**
 * Whether the rebuild took the dependency-only `uv sync` step from the cache. Podman/buildah print
 * `STEP n/m: RUN …` then `--> Using cache`; Docker's classic builder `Step n/m : RUN …` then
 * `---> Using cache`; BuildKit (`--progress=plain`) `#n [stage k/m] RUN …` then `#n CACHED`.
 */
export function judgeCache(rebuildOutput: string): CheckResult {
  const lines = rebuildOutput.split(/\r?\n/);
  const isDepStep = (l: string) => /\buv\s+sync\b/.test(l) && /--no-install-project\b/.test(l);
  const at = lines.findIndex(
    (l) => (/STEP \d+\/\d+\s*:\s*RUN\b/i.test(l) || /^#\d+ \[.*\] RUN\b/.test(l)) && isDepStep(l),
  );
  if (at < 0)
    return fail(
      'cache',
      'no dependency-only step (`uv sync --no-install-project`) in the build: every source change reinstalls the dependencies',
    );
  const step = `${(/STEP \d+\/\d+/i.exec(lines[at]) ?? /\[[^\]]*\]/.exec(lines[at]))?.[0] ?? 'the step'}: ${/uv\s+sync\b.*$/.exec(lines[at])![0].replace(/\s+/g, ' ')}`;
  const buildkitId = /^(#\d+) /.exec(lines[at])?.[1];
  for (const l of lines.slice(at + 1, at + 30)) {
    if (/^\s*-{2,3}> Using cache/.test(l) || (buildkitId && l.startsWith(`${buildkitId} CACHED`)))
      return pass('cache', `the rebuild reused: ${step}`);
    if (/STEP \d+\/\d+\s*:/i.test(l) || /^#\d+ \[/.test(l)) break;
  }
  return fail('cache', `the rebuild ran again: ${step}`);
}

/**
 * `stop -t N` and the exit code inspect then read: the engine failing at either is a failure to
 * check, never an exit code 0.
 */
export function judgeStopped(
  stopped: EngineOutput,
  inspected: EngineOutput,
  elapsedMs: number,
  graceS: number,
): CheckResult {
  if (stopped.code !== 0)
    return fail(
      'sigterm',
      `\`stop\` failed (exit ${stopped.code}): ${lastLines(stopped.stderr) || 'no output'}`,
    );
  const code = inspected.stdout.trim();
  if (inspected.code !== 0 || !/^-?\d+$/.test(code))
    return fail(
      'sigterm',
      `stopped, but its exit code could not be read: ${lastLines(inspected.stderr + inspected.stdout) || 'no output'}`,
    );
  return judgeStop(Number(code), elapsedMs, graceS);
}

/** `docker stop` / `podman stop -t N`: 0 within the grace period, or what happened instead. */
export function judgeStop(exitCode: number, elapsedMs: number, graceS: number): CheckResult {
  const took = `${(elapsedMs / 1000).toFixed(1)} s`;
  if (exitCode === 0) return pass('sigterm', `exit code 0 after ${took}`);
  if (exitCode === 137)
    return fail(
      'sigterm',
      `exit code 137 after ${took}: SIGTERM was ignored (PID 1 a shell, or no handler) and the process was killed after the ${graceS} s grace period`,
    );
  if (exitCode === 143)
    return fail(
      'sigterm',
      `exit code 143 after ${took}: the process died of SIGTERM instead of shutting down cleanly`,
    );
  return fail('sigterm', `exit code ${exitCode} after ${took}`);
}

export function formatSize(bytes: number): string {
  return bytes >= 1e9
    ? `${(bytes / 1e9).toFixed(2)} GB`
    : bytes >= 1e6
      ? `${(bytes / 1e6).toFixed(1)} MB`
      : `${(bytes / 1e3).toFixed(0)} kB`;
}

export function judgeSize(after: number, before: number | null, beforeNote: string): CheckResult {
  if (before === null) return pass('size', `${formatSize(after)}${beforeNote}`);
  const delta = after - before;
  const pct =
    before > 0 ? ` (${delta <= 0 ? '' : '+'}${((delta / before) * 100).toFixed(0)} %)` : '';
  return pass('size', `${formatSize(after)}, was ${formatSize(before)}${pct}`);
}

/**
 * How the image was built, as the report says it: podman always with `--format docker`; Docker
 * with whichever builder its client chose, told apart by its output (BuildKit numbers its steps
 * `#n`, the classic builder prints `Step n/m :`).
 */
export function builderOf(engine: 'docker' | 'podman', buildOutput: string): string {
  if (engine === 'podman') return 'podman build --format docker';
  if (/^#\d+ /m.test(buildOutput)) return 'docker build (BuildKit)';
  if (/^Step \d+\/\d+ :/m.test(buildOutput)) return 'docker build (classic builder)';
  return 'docker build';
}

/**
 * The images Docker's classic builder made for each step (` ---> <id>` after each, `Successfully
 * built <id>`), in order, earliest first. It keeps them for its cache, untagged and without the
 * build's labels, and a failed build or a multi-stage builder leaves them behind as nobody's.
 */
export function classicStepImages(buildOutput: string): string[] {
  const ids = [
    ...buildOutput.matchAll(/^ *---> ([0-9a-f]{12})\s*$|^Successfully built ([0-9a-f]{12})\s*$/gm),
  ];
  return [...new Set(ids.map((m) => m[1] ?? m[2]))];
}

/**
 * What the reader should know beyond the checks. Podman and buildah build OCI images unless told
 * `--format docker` (or BUILDAH_FORMAT=docker, or image_default_format = "v2s2" in
 * containers.conf), and the OCI image config has no HEALTHCHECK or SHELL: they are dropped with
 * a warning in the build log that nobody reads. Verify builds in Docker format, so the
 * healthcheck check would pass on an image the user's own build makes without one.
 */
export function buildNotes(
  engine: 'docker' | 'podman',
  facts: Pick<ImageFacts, 'healthcheck'> | null,
  buildahFormat: string | undefined,
): string[] {
  if (engine !== 'podman') return [];
  const notes = [
    'built with `podman build --format docker`: podman and buildah make OCI images by default, and an OCI image keeps no HEALTHCHECK or SHELL',
  ];
  if (facts?.healthcheck && buildahFormat !== 'docker')
    notes.push(
      'this image has a HEALTHCHECK, which your own `podman build` or `buildah build` drops unless given `--format docker` (or BUILDAH_FORMAT=docker in its environment, or image_default_format = "v2s2" in containers.conf)',
    );
  return notes;
}

/** The report as text: one line per check, the notes, then the verdict. */
export function renderText(
  results: readonly CheckResult[],
  image: string,
  notes: readonly string[] = [],
): string {
  const mark: Record<CheckStatus, string> = {
    pass: 'pass',
    fail: 'FAIL',
    skip: 'skip',
    'not-run': 'NOT RUN',
  };
  const lines = results.map((r) => `${mark[r.status]}  ${r.id}: ${r.evidence}`);
  lines.push(...notes.map((n) => `note  ${n}`));
  const n = (s: CheckStatus) => results.filter((r) => r.status === s).length;
  const notChecked = n('not-run') > 0 ? `, ${n('not-run')} not run` : '';
  lines.push(
    `${image}: ${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped${notChecked}`,
  );
  return lines.join('\n') + '\n';
}

export interface VerifyReport {
  schemaVersion: 1;
  engine: string;
  /** The build command and, for Docker, the builder its client used. */
  builder: string;
  notes: string[];
  dockerfile: string;
  migrated: boolean;
  checks: CheckResult[];
  passed: boolean;
}
