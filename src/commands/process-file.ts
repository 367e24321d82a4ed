/**
 * One Dockerfile: read, gather its context, migrate. Shared by the main thread and the workers
 * that take large runs; the result is plain data (it crosses a worker boundary).
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { migrate } from '../core/engine.js';
import { reviewInputOf, type ReviewInput } from '../core/review.js';
import type { MigrationOptions, MigrationResult } from '../core/types.js';
import { isKnown } from '../errors.js';
import { contextReader } from '../io/context.js';
import { DEFAULT_MAX_SIZE, describeIo, readText } from '../io/files.js';
import { TRANSFORMS } from '../../transforms/index.js';

export interface Processed {
  result: MigrationResult;
  /** Absolute paths of the changed files, in the order of `result.changes`. */
  targets: string[];
}

export function processFile(
  file: string,
  cwd: string,
  context: string | null,
  options: MigrationOptions,
  maxSize: number = DEFAULT_MAX_SIZE,
): Processed {
  const prepared = prepareFile(file, cwd, context, options, maxSize);
  if ('error' in prepared) return prepared.error;
  const { review } = prepared;
  return place(prepared, migrate(review.input, review.options, review.transforms));
}

/** A Dockerfile read with its context, ready for the engine; where its change set goes. */
export interface Prepared {
  review: ReviewInput;
  /** The build context, which the paths of a change set are relative to. */
  contextDir: string;
  cwd: string;
}

/** Read a Dockerfile and its context: the engine's inputs, or the result of a file not read. */
export function prepareFile(
  file: string,
  cwd: string,
  context: string | null,
  options: MigrationOptions,
  maxSize: number = DEFAULT_MAX_SIZE,
): Prepared | { error: Processed } {
  const path = relativeTo(cwd)(file);
  let text: string;
  try {
    text = readText(file, maxSize);
  } catch (error) {
    const reason = isKnown(error) ? error.message : describeIo(error);
    return {
      error: {
        result: { path, status: 'error', changes: [], findings: [], errors: [reason], notes: [] },
        targets: [],
      },
    };
  }
  const contextDir = context ? resolve(cwd, context) : dirname(file);
  try {
    return { review: reviewInput(file, text, path, contextDir, options, cwd), contextDir, cwd };
  } catch (error) {
    // A bug while reading one file's context fails that file, as one in a transform does.
    const what = error instanceof Error ? error.message : String(error);
    return {
      error: {
        result: {
          path,
          status: 'error',
          changes: [],
          findings: [],
          errors: [
            `internal error while reading the build context, a bug in dockmig (please report it; DOCKMIG_DEBUG=1 shows where): ${what}`,
          ],
          notes: [],
          internal: error instanceof Error ? (error.stack ?? what) : what,
        },
        targets: [],
      },
    };
  }
}

/**
 * The engine's inputs for the text of the Dockerfile `file` (as read from disk, or an editor's
 * buffer), named `path`, with its build context read from `contextDir`; the repository root's
 * Compose files are read only when the root is `within` or below it.
 */
export function reviewInput(
  file: string,
  text: string,
  path: string,
  contextDir: string,
  options: MigrationOptions,
  within?: string,
): ReviewInput {
  return reviewInputOf(
    path,
    relativeTo(contextDir)(file),
    text,
    contextReader(file, contextDir, { within }),
    options,
    TRANSFORMS,
  );
}

/** A result of a prepared file with its paths as the run speaks them, and its files' targets. */
export function place(prepared: Prepared, result: MigrationResult): Processed {
  const rel = relativeTo(prepared.cwd);
  // Change paths are relative to the build context; the report speaks relative to the cwd.
  const targets = result.changes.map((c) => resolve(prepared.contextDir, c.path));
  result.changes = result.changes.map((c, i) => ({ ...c, path: rel(targets[i]) }));
  for (const f of result.findings)
    if (f.file !== undefined) f.file = rel(resolve(prepared.contextDir, f.file));
  return { result, targets };
}

function relativeTo(cwd: string): (p: string) => string {
  return (p) => relative(cwd, p).split(sep).join('/') || '.';
}
