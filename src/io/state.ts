/**
 * JSON a run keeps on disk and reads back: the `org` state file, the reports `merge-reports`
 * joins. A state file is rewritten after every repository, so each write is atomic and synced: a
 * crash or a full disk leaves the last whole state, never a truncated one to refuse on re-run.
 */
import { readFileSync } from 'node:fs';
import { writeAtomic } from './files.js';

/**
 * The JSON value in the file, or undefined when there is no such file. Any other failure (a file
 * that cannot be read, text that is not JSON) is thrown as it is, for the caller to word.
 */
export function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return JSON.parse(text) as unknown;
}

/** `value` as indented JSON, replacing the file whole (see `writeAtomic`). */
export function writeJsonState(path: string, value: unknown): void {
  writeAtomic(path, JSON.stringify(value, null, 2) + '\n');
}
