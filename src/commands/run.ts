/**
 * `dockmig [paths...]`: discover -> read -> context -> migrate -> report -> write. Each file is
 * processed on its own: one that cannot be read or migrated never stops the others.
 */
import { availableParallelism } from 'node:os';
import { relative, resolve, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MigrationOptions, MigrationResult } from '../core/types.js';
import { discover } from '../io/discover.js';
import { formatDigestMap, type CanonicalImage } from '../core/digests.js';
import { Registry, type RegistryOptions } from '../io/registry.js';
import { debugEnabled, isKnown } from '../errors.js';
import { describeIo, writeChangeSet, writeText } from '../io/files.js';
import { runExitCode, type Mode } from '../report/exit-code.js';
import { summary } from '../report/summary.js';
import { buildReport, type Problem, type Report } from '../report/model.js';
import { colorDiff, progressLine } from '../report/color.js';
import { json } from '../report/json.js';
import { markdown } from '../report/markdown.js';
import { sarif } from '../report/sarif.js';
import { TRANSFORMS } from '../../transforms/index.js';
import { InputError } from '../errors.js';
import { processFile, type Processed } from './process-file.js';
import { joinSharedChanges } from './shared-files.js';

export type Format = 'diff' | 'json' | 'sarif' | 'markdown';

export interface RunOptions {
  paths: string[];
  mode: Mode;
  context: string | null;
  quiet: boolean;
  verbose?: boolean;
  /** Files larger than this many bytes are refused. */
  maxSize: number;
  migration: MigrationOptions;
  /** Per-file options (a config file's overrides); `migration` when absent. */
  optionsFor?: (file: string) => MigrationOptions;
  format?: Format;
  /** Ask about each fix on the terminal and write the accepted ones (`--interactive`). */
  interactive?: boolean;
  /** Also write the HTML review page here. */
  reportFile?: string | null;
  version?: string;
  /** Pin pulled images to digests (`--pin-digests`, `--digests FILE`); null: no pinning. */
  pinning?: Pinning | null;
}

export interface Pinning {
  /** Digests known without asking a registry (`--digests FILE`), by canonical key. */
  known: Record<string, string | null>;
  /** Ask the registries for the digests that are not known (`--pin-digests`). */
  resolve: boolean;
  registry: RegistryOptions;
  /** Write every digest the run used (known and resolved) to this file. */
  saveTo: string | null;
}

export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colour on stdout / stderr (decided by the shell from TTY and env). */
  color?: { stdout: boolean; stderr: boolean };
  /** stderr is a terminal: a progress bar is drawn for long runs. */
  progress?: boolean;
}

/** Runs longer than this draw a progress bar on a terminal. */
export const PROGRESS_THRESHOLD = 30;

/** What a run found and made, before anything is written or printed. */
export interface Migrated {
  results: MigrationResult[];
  /** Absolute paths of each result's changed files, in the order of its changes. */
  targets: Map<MigrationResult, string[]>;
  problems: Problem[];
  skipped: Problem[];
}

/** The Dockerfiles under the paths, and what could not be searched or was left out. */
export function discoverAll(
  opts: Pick<RunOptions, 'paths'>,
  io: Pick<Io, 'cwd'>,
): { files: string[]; problems: Problem[]; skipped: Problem[] } {
  const rel = (p: string) => relative(io.cwd, p).split(sep).join('/') || '.';
  const found = discover(opts.paths.map((p) => resolve(io.cwd, p)));
  const problems: Problem[] = found.problems.map((p) => ({
    path: rel(p.path),
    message: p.message,
  }));
  const skipped: Problem[] = found.skipped.map((p) => ({ path: rel(p.path), message: p.message }));
  if (found.files.length === 0 && problems.length === 0) {
    problems.push({
      path: opts.paths.join(' '),
      message: 'no Dockerfile found (Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile)',
    });
  }
  return { files: found.files, problems, skipped };
}

/** Discover the Dockerfiles under the paths and migrate each (nothing written). */
export async function migrateAll(
  opts: RunOptions,
  io: Pick<Io, 'cwd' | 'stderr' | 'progress'>,
): Promise<Migrated> {
  const found = discoverAll(opts, io);
  const { problems, skipped } = found;
  const showProgress = Boolean(io.progress) && found.files.length > PROGRESS_THRESHOLD;
  const tick = showProgress
    ? (done: number) => io.stderr(`\r${progressLine(done, found.files.length)}`)
    : undefined;
  const processed = opts.pinning
    ? await processPinned(found.files, io.cwd, opts, opts.pinning, tick)
    : await processAll(found.files, io.cwd, opts, tick);
  joinSharedChanges(processed);
  if (showProgress) io.stderr(`\r${' '.repeat(progressLine(0, found.files.length).length)}\r`);
  return {
    results: processed.map((p) => p.result),
    targets: new Map(processed.map((p) => [p.result, p.targets])),
    problems,
    skipped,
  };
}

/**
 * Write every changed result's change set (all or nothing per Dockerfile). A set that cannot be
 * written turns its result into an error with the reason; the others are still written.
 */
export function writeAll(m: Migrated): void {
  for (const result of m.results) {
    if (result.status !== 'changed') continue;
    const targets = m.targets.get(result)!;
    try {
      writeChangeSet(
        result.changes.map((c, i) => ({
          path: targets[i],
          // The line already names the Dockerfile: `svc/Dockerfile: error: the file is read-only`.
          display: c.path === result.path ? 'the file' : c.path,
          before: c.before,
          after: c.after,
        })),
      );
    } catch (error) {
      result.status = 'error';
      result.errors.push(
        isKnown(error) ? error.message : `could not be written: ${describeIo(error)}`,
      );
    }
  }
}

/** The report document of a run (a result that failed to be written shows no diff). */
export function reportOf(m: Migrated, mode: Mode, version: string): Report {
  return buildReport({
    version,
    mode,
    results: m.results.map((r) => (r.status === 'error' ? { ...r, changes: [] } : r)),
    problems: m.problems,
    skipped: m.skipped,
    transforms: TRANSFORMS,
  });
}

export async function run(opts: RunOptions, io: Io): Promise<number> {
  const m = await migrateAll(opts, io);
  if (opts.mode === 'write') writeAll(m);
  const report = reportOf(m, opts.mode, opts.version ?? '0.0.0');
  const format = opts.format ?? 'diff';
  if (format === 'diff') {
    // The same document as every other output: a file that failed to be written shows no diff.
    const diff = report.files.map((f) => f.diff).join('');
    if (opts.mode !== 'write' && diff) io.stdout(colorDiff(diff, io.color?.stdout ?? false));
  } else io.stdout(renderReport(report, format));
  if (opts.reportFile) await writeHtmlReport(resolve(io.cwd, opts.reportFile), report);
  io.stderr(
    summary(report, {
      written: opts.mode === 'write',
      quiet: opts.quiet,
      verbose: opts.verbose,
      color: io.color?.stderr ?? false,
    }),
  );
  // A bug met while migrating a file is one line of the summary; where it happened, on request.
  if (debugEnabled())
    for (const r of m.results) if (r.internal) io.stderr(`${r.path}: ${r.internal}\n`);
  return runExitCode(report.summary, opts.mode);
}

/** The report as `--format json|markdown|sarif` prints it. */
export function renderReport(report: Report, format: Exclude<Format, 'diff'>): string {
  if (format === 'json') return json(report);
  if (format === 'markdown') return markdown(report);
  return sarif(report, TRANSFORMS);
}

export async function writeHtmlReport(path: string, report: Report): Promise<void> {
  const { htmlAssets } = await import('../io/assets.js');
  const { htmlReport } = await import('../report/html.js');
  writeReport(path, htmlReport(report, htmlAssets()));
}

/**
 * With digest pinning: migrate with the digests known, list the images the results still pull
 * unpinned, ask their registries, and migrate those files again with the answers. A file whose
 * image cannot be resolved is an error and stays untouched; the others are pinned.
 */
async function processPinned(
  files: string[],
  cwd: string,
  opts: RunOptions,
  pinning: Pinning,
  tick?: (done: number) => void,
): Promise<Processed[]> {
  const base = opts.optionsFor ?? (() => opts.migration);
  const known = { ...pinning.known };
  const withDigests = { ...opts, optionsFor: (f: string) => ({ ...base(f), digests: known }) };
  const first = await processAll(files, cwd, withDigests, pinning.resolve ? undefined : tick);
  let out = first;
  if (pinning.resolve) {
    const missing = first.map((p, i) => (p.result.status === 'error' ? [] : stillUnpinned(p)));
    const wanted = new Map(missing.flat().map((c) => [c.key, c]));
    const registry = new Registry(pinning.registry);
    const answers = await registry.resolveAll([...wanted.values()]);
    for (const [key, answer] of answers) {
      if (!answer.ok) continue;
      known[key] = answer.digest;
      // Kept for the rest of the run: `org` migrates repository after repository with one Pinning.
      pinning.known[key] = answer.digest;
    }
    const again = files.filter(
      (_, i) => missing[i].length > 0 && missing[i].every((c) => answers.get(c.key)?.ok),
    );
    const redone = new Map(
      (await processAll(again, cwd, withDigests)).map((p, i) => [again[i], p] as const),
    );
    out = first.map((p, i) => {
      const failed = missing[i].flatMap((c) => {
        const answer = answers.get(c.key);
        return answer && !answer.ok
          ? [`the digest of ${c.key} could not be resolved: ${answer.error}`]
          : [];
      });
      if (failed.length > 0) {
        // Untouched: no half-pinned file, and no migration that was meant to be pinned.
        return {
          result: {
            ...p.result,
            status: 'error' as const,
            changes: [],
            errors: [...p.result.errors, ...failed],
          },
          targets: [],
        };
      }
      return redone.get(files[i]) ?? p;
    });
    out.forEach((_, i) => tick?.(i + 1));
  }
  if (pinning.saveTo) writeDigests(pinning.saveTo, known);
  return out;
}

/**
 * The images a processed file still pulls without a digest, as pin-digests reported them on the
 * migrated text: none when the transform did not run (--skip, --only) or found every digest.
 */
function stillUnpinned(p: Processed): CanonicalImage[] {
  const images = new Map<string, CanonicalImage>();
  for (const f of p.result.findings)
    if (f.missingDigest) images.set(f.missingDigest.key, f.missingDigest);
  return [...images.values()];
}

/** Runs this large are spread over worker threads, one per core (the results keep their order). */
export const PARALLEL_THRESHOLD = 200;

async function processAll(
  files: string[],
  cwd: string,
  opts: RunOptions,
  tick?: (done: number) => void,
): Promise<Processed[]> {
  const optionsFor = opts.optionsFor ?? (() => opts.migration);
  const workers = Math.min(availableParallelism(), 8);
  if (files.length < PARALLEL_THRESHOLD || workers < 2) {
    return files.map((f, i) => {
      const p = processFile(f, cwd, opts.context, optionsFor(f), opts.maxSize);
      tick?.(i + 1);
      return p;
    });
  }
  const size = Math.ceil(files.length / workers);
  const chunks = Array.from({ length: workers }, (_, i) =>
    files.slice(i * size, (i + 1) * size),
  ).filter((c) => c.length > 0);
  let done = 0;
  const parts = await Promise.all(
    chunks.map(
      (chunk) =>
        new Promise<Processed[]>((resolvePart, reject) => {
          const worker = new Worker(new URL('./worker.js', import.meta.url), {
            workerData: {
              files: chunk,
              cwd,
              context: opts.context,
              options: chunk.map(optionsFor),
              maxSize: opts.maxSize,
            },
          });
          worker.on('message', (m: { progress: number } | Processed[]) => {
            if (Array.isArray(m)) resolvePart(m);
            else tick?.((done += m.progress));
          });
          worker.once('error', reject);
          worker.once('exit', (code) => {
            if (code !== 0) reject(new Error(`a worker stopped with exit code ${code}`));
          });
        }),
    ),
  );
  return parts.flat();
}

function writeDigests(path: string, map: Record<string, string | null>): void {
  try {
    writeText(path, formatDigestMap(map));
  } catch (error) {
    throw new InputError(`the digests file ${path} could not be written: ${describeIo(error)}`);
  }
}

function writeReport(path: string, html: string): void {
  try {
    writeText(path, html);
  } catch (error) {
    throw new InputError(`the report ${path} could not be written: ${describeIo(error)}`);
  }
}
