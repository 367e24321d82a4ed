/**
 * `dockmig [paths...]`: discover -> read -> context -> migrate -> report -> write. Each file is
 * processed on its own: one that cannot be read or migrated never stops the others.
 */
import { availableParallelism } from 'node:os';
import { relative, resolve, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import { writeFileSync } from 'node:fs';
import type { MigrationOptions, MigrationResult } from '../core/types.js';
import { discover } from '../io/discover.js';
import { isKnown } from '../errors.js';
import { describeIo, writeChangeSet } from '../io/files.js';
import { unifiedDiff } from '../report/diff.js';
import { exitCode, type Mode } from '../report/exit-code.js';
import { summary } from '../report/summary.js';
import { buildReport, type Problem } from '../report/model.js';
import { colorDiff, progressLine } from '../report/color.js';
import { json } from '../report/json.js';
import { markdown } from '../report/markdown.js';
import { sarif } from '../report/sarif.js';
import { TRANSFORMS } from '../../transforms/index.js';
import { InputError } from '../errors.js';
import { processFile, type Processed } from './process-file.js';

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
  /** Also write the HTML review page here. */
  reportFile?: string | null;
  version?: string;
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

export async function run(opts: RunOptions, io: Io): Promise<number> {
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
  const showProgress = Boolean(io.progress) && found.files.length > PROGRESS_THRESHOLD;
  const tick = showProgress
    ? (done: number) => io.stderr(`\r${progressLine(done, found.files.length)}`)
    : undefined;
  const processed = await processAll(found.files, io.cwd, opts, tick);
  if (showProgress) io.stderr(`\r${' '.repeat(progressLine(0, found.files.length).length)}\r`);
  const results = processed.map((p) => p.result);
  const absolute = new Map<MigrationResult, string[]>(processed.map((p) => [p.result, p.targets]));

  if (opts.mode === 'write') {
    for (const result of results) {
      if (result.status !== 'changed') continue;
      const targets = absolute.get(result)!;
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
  const report = buildReport({
    version: opts.version ?? '0.0.0',
    mode: opts.mode,
    results: results.map((r) => (r.status === 'error' ? { ...r, changes: [] } : r)),
    problems,
    skipped,
    transforms: TRANSFORMS,
  });
  const format = opts.format ?? 'diff';
  if (format === 'diff') {
    const diff = unifiedDiff(results.flatMap((r) => r.changes));
    if (opts.mode !== 'write' && diff) io.stdout(colorDiff(diff, io.color?.stdout ?? false));
  } else if (format === 'json') io.stdout(json(report));
  else if (format === 'markdown') io.stdout(markdown(report));
  else io.stdout(sarif(report, results, TRANSFORMS));
  if (opts.reportFile) {
    const { htmlAssets } = await import('../io/assets.js');
    const { htmlReport } = await import('../report/html.js');
    writeReport(resolve(io.cwd, opts.reportFile), htmlReport(report, htmlAssets()));
  }
  io.stderr(
    summary(report, {
      written: opts.mode === 'write',
      quiet: opts.quiet,
      verbose: opts.verbose,
      color: io.color?.stderr ?? false,
    }),
  );
  return exitCode(results, opts.mode, problems.length);
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

function writeReport(path: string, html: string): void {
  try {
    writeFileSync(path, html);
  } catch (error) {
    throw new InputError(`the report ${path} could not be written: ${describeIo(error)}`);
  }
}
