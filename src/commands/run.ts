/**
 * `dockmig [paths...]`: discover -> read -> context -> migrate -> report -> write. Each file is
 * processed on its own: one that cannot be read or migrated never stops the others.
 */
import { availableParallelism } from 'node:os';
import { relative, resolve, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { MigrationOptions, MigrationResult } from '../core/types.js';
import { discover } from '../io/discover.js';
import { isKnown } from '../errors.js';
import { describeIo, writeChangeSet } from '../io/files.js';
import { unifiedDiff } from '../report/diff.js';
import { exitCode, type Mode } from '../report/exit-code.js';
import { summary, type Problem } from '../report/summary.js';
import { processFile, type Processed } from './process-file.js';

export interface RunOptions {
  paths: string[];
  mode: Mode;
  context: string | null;
  quiet: boolean;
  /** Files larger than this many bytes are refused. */
  maxSize: number;
  migration: MigrationOptions;
}

export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

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
  const processed = await processAll(found.files, io.cwd, opts);
  const results = processed.map((p) => p.result);
  const absolute = new Map<MigrationResult, string[]>(processed.map((p) => [p.result, p.targets]));

  const diff = unifiedDiff(results.flatMap((r) => r.changes));
  if (opts.mode !== 'write' && diff) io.stdout(diff);
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
  if (!opts.quiet || results.some((r) => r.status === 'error') || problems.length > 0) {
    io.stderr(summary(results, problems, { written: opts.mode === 'write', skipped }));
  }
  return exitCode(results, opts.mode, problems.length);
}

/** Runs this large are spread over worker threads, one per core (the results keep their order). */
export const PARALLEL_THRESHOLD = 200;

async function processAll(files: string[], cwd: string, opts: RunOptions): Promise<Processed[]> {
  const workers = Math.min(availableParallelism(), 8);
  if (files.length < PARALLEL_THRESHOLD || workers < 2) {
    return files.map((f) => processFile(f, cwd, opts.context, opts.migration, opts.maxSize));
  }
  const size = Math.ceil(files.length / workers);
  const chunks = Array.from({ length: workers }, (_, i) =>
    files.slice(i * size, (i + 1) * size),
  ).filter((c) => c.length > 0);
  const parts = await Promise.all(
    chunks.map(
      (chunk) =>
        new Promise<Processed[]>((resolvePart, reject) => {
          const worker = new Worker(new URL('./worker.js', import.meta.url), {
            workerData: {
              files: chunk,
              cwd,
              context: opts.context,
              options: opts.migration,
              maxSize: opts.maxSize,
            },
          });
          worker.once('message', resolvePart);
          worker.once('error', reject);
          worker.once('exit', (code) => {
            if (code !== 0) reject(new Error(`a worker stopped with exit code ${code}`));
          });
        }),
    ),
  );
  return parts.flat();
}
