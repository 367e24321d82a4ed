/**
 * One Dockerfile: read, gather its context, migrate. Shared by the main thread and the workers
 * that take large runs; the result is plain data (it crosses a worker boundary).
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { buildContext } from '../core/context.js';
import { dockerfileDoc, migrate } from '../core/engine.js';
import type { MigrationOptions, MigrationResult } from '../core/types.js';
import { isKnown } from '../errors.js';
import { loadContext } from '../io/context.js';
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
  const rel = (p: string) => relative(cwd, p).split(sep).join('/') || '.';
  const path = rel(file);
  let text: string;
  try {
    text = readText(file, maxSize);
  } catch (error) {
    const reason = isKnown(error) ? error.message : describeIo(error);
    return {
      result: { path, status: 'error', changes: [], findings: [], errors: [reason], notes: [] },
      targets: [],
    };
  }
  const contextDir = context ? resolve(cwd, context) : dirname(file);
  const doc = dockerfileDoc(text);
  const ctx = doc
    ? loadContext(file, contextDir, doc, { scanSources: options.compose, within: cwd })
    : buildContext({ dockerfile: relative(contextDir, file), files: {} });
  const result = migrate(
    { path, text, context: ctx, ...(doc ? { doc } : {}) },
    options,
    TRANSFORMS,
  );
  // Change paths are relative to the build context; the report speaks relative to the cwd.
  const targets = result.changes.map((c) => resolve(contextDir, c.path));
  result.changes = result.changes.map((c, i) => ({ ...c, path: rel(targets[i]) }));
  for (const f of result.findings)
    if (f.file !== undefined) f.file = rel(resolve(contextDir, f.file));
  return { result, targets };
}
