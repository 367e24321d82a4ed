/**
 * `dockmig [paths...]`: discover -> read -> context -> migrate -> report -> write. Each file is
 * processed on its own: one that cannot be read or migrated never stops the others.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { buildContext } from '../core/context.js';
import { parse } from '../core/document.js';
import { inputProblem, migrate } from '../core/engine.js';
import type { MigrationOptions, MigrationResult } from '../core/types.js';
import { isKnown } from '../errors.js';
import { discover } from '../io/discover.js';
import { loadContext } from '../io/context.js';
import { readText, writeAtomic, describeIo } from '../io/files.js';
import { unifiedDiff } from '../report/diff.js';
import { exitCode, type Mode } from '../report/exit-code.js';
import { summary, type Problem } from '../report/summary.js';
import { TRANSFORMS } from '../../transforms/index.js';

export interface RunOptions {
  paths: string[];
  mode: Mode;
  context: string | null;
  quiet: boolean;
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
  const problems: Problem[] = found.missing.map((p) => ({
    path: rel(p),
    message: 'no such file or directory',
  }));
  if (found.files.length === 0 && problems.length === 0) {
    problems.push({
      path: opts.paths.join(' '),
      message: 'no Dockerfile found (Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile)',
    });
  }
  const results: MigrationResult[] = [];
  const absolute = new Map<MigrationResult, string[]>();
  for (const file of found.files) {
    const path = rel(file);
    let text: string;
    try {
      text = readText(file);
    } catch (error) {
      results.push(errorResult(path, isKnown(error) ? error.message : describeIo(error, path)));
      continue;
    }
    const contextDir = opts.context ? resolve(io.cwd, opts.context) : dirname(file);
    const early = inputProblem(text);
    const doc = early ? null : parse(text.replace(/^\uFEFF/, ''));
    const context = doc
      ? loadContext(file, contextDir, doc)
      : buildContext({ dockerfile: relative(contextDir, file), files: {} });
    const result = migrate({ path, text, context }, opts.migration, TRANSFORMS);
    // Change paths are relative to the build context; the report speaks relative to the cwd.
    const targets = result.changes.map((c) => resolve(contextDir, c.path));
    result.changes = result.changes.map((c, i) => ({ ...c, path: rel(targets[i]) }));
    absolute.set(result, targets);
    results.push(result);
  }

  const diff = unifiedDiff(results.flatMap((r) => r.changes));
  if (opts.mode !== 'write' && diff) io.stdout(diff);
  if (opts.mode === 'write') {
    for (const result of results) {
      if (result.status !== 'changed') continue;
      const targets = absolute.get(result)!;
      try {
        result.changes.forEach((c, i) => writeAtomic(targets[i], c.after));
      } catch (error) {
        result.status = 'error';
        result.errors.push(`could not be written: ${describeIo(error, result.path)}`);
      }
    }
  }
  if (!opts.quiet || results.some((r) => r.status === 'error') || problems.length > 0) {
    io.stderr(summary(results, problems, { written: opts.mode === 'write' }));
  }
  return exitCode(results, opts.mode, problems.length);
}

function errorResult(path: string, reason: string): MigrationResult {
  return { path, status: 'error', changes: [], findings: [], errors: [reason], notes: [] };
}
