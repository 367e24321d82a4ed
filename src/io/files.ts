/**
 * Reading and writing files: strict UTF-8 in; change sets written atomically, all or nothing; the
 * small reads and writes around a run (a project's pyproject.toml, a report, a digests file).
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { takeLock } from './lock.js';

// ignoreBOM keeps a byte order mark in the text (by default TextDecoder drops it, and the write would too).
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Files larger than this are refused unless --max-size says otherwise. */
export const DEFAULT_MAX_SIZE = 1024 * 1024;

/**
 * A Dockerfile's text. Refused, with the reason: links (never followed nor written through),
 * anything but a regular file, files over `maxSize`, binary content, invalid UTF-8.
 */
export function readText(path: string, maxSize = DEFAULT_MAX_SIZE): string {
  let stat: Stats;
  try {
    stat = lstatSync(path);
  } catch (error) {
    throw new InputError(describeIo(error));
  }
  if (stat.isSymbolicLink()) {
    throw new InputError(
      'is a symbolic link; dockmig neither follows nor writes through links: name its target instead',
    );
  }
  if (stat.isDirectory()) throw new InputError('is a directory, not a Dockerfile');
  if (!stat.isFile()) throw new InputError('is not a regular file');
  if (stat.size > maxSize) {
    throw new InputError(
      `is ${formatSize(stat.size)}, over the ${formatSize(maxSize)} limit (--max-size)`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(`cannot be read: ${describeIo(error)}`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new InputError('the file is not valid UTF-8 text');
  }
}

/** Whether anything is at `path`. */
export function exists(path: string): boolean {
  return existsSync(path);
}

/** A file's text, or null when it cannot be read: for files a run can do without. */
export function readOptional(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * An output named on the command line (a report, a digests file), written in place: it may be a
 * device or a pipe (`--report-file /dev/stdout`), where a temp file and a rename cannot go.
 */
export function writeText(path: string, text: string): void {
  writeFileSync(path, text);
}

/**
 * `text` replaces the file at `path` whole or not at all: written to a temp file beside it,
 * synced, then renamed over it. A reader sees the old file or the new one, never half of either.
 */
export function writeAtomic(path: string, text: string): void {
  const temp = writeTemp(path, text);
  try {
    renameSync(temp, path);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** One file of a change set to write: `before` is what was read (null: the file is new). */
export interface PlannedWrite {
  /** Absolute path. */
  path: string;
  /** The name to use in messages (relative to the working directory). */
  display: string;
  before: string | null;
  after: string;
}

/**
 * Write a whole change set or none of it. The set is written under a lock file beside its first
 * file (the Dockerfile), so two dockmig processes on one tree take turns. Then every target is
 * checked against what was read: a file that already holds the new text is left alone (another
 * run wrote it); one changed, removed or created meanwhile, a link, not a regular file, or
 * read-only stops the whole set. Then every new text goes to a temp file beside its target and the
 * temps are renamed over the targets. A failure before the renames leaves every file as it was.
 */
export function writeChangeSet(writes: PlannedWrite[], lockWaitMs = LOCK_WAIT_MS): void {
  if (writes.length === 0) return;
  const release = lock(writes[0], lockWaitMs);
  try {
    const pending = writes.filter((w) => !checkTarget(w));
    const temps: { temp: string; path: string }[] = [];
    try {
      for (const w of pending) temps.push({ temp: writeTemp(w.path, w.after), path: w.path });
    } catch (error) {
      for (const t of temps) unlinkSync(t.temp);
      throw new InputError(`could not be written: ${describeIo(error)}`);
    }
    for (const t of temps) renameSync(t.temp, t.path);
  } finally {
    release();
  }
}

/** How long a run waits for another dockmig process to finish writing the same change set. */
const LOCK_WAIT_MS = 5000;

/** `.<name>.dockmig-lock` beside the file, waited for while another process writes the set. */
function lock(w: PlannedWrite, waitMs: number): () => void {
  const name = `.${basename(w.path)}.dockmig-lock`;
  return takeLock(join(dirname(w.path), name), {
    waitMs,
    held: (who) =>
      new InputError(
        `${w.display} is being written by another dockmig process (${who}); nothing was written (delete ${name} if that process is gone)`,
      ),
    unwritable: (error) => new InputError(`could not be written: ${describeIo(error)}`),
  });
}

/** Throws when the target may not be written; true when it already holds the new text. */
function checkTarget(w: PlannedWrite): boolean {
  let stat: Stats | null = null;
  try {
    stat = lstatSync(w.path);
  } catch {
    stat = null;
  }
  if (stat?.isSymbolicLink())
    throw new InputError(`${w.display} is a symbolic link; nothing was written through it`);
  if (stat && !stat.isFile())
    throw new InputError(`${w.display} is not a regular file; nothing was written`);
  const now = stat ? readFileSync(w.path).toString('utf8') : null;
  if (now === w.after) return true;
  if (w.before === null) {
    if (stat)
      throw new InputError(`${w.display} appeared on disk while dockmig ran; nothing was written`);
    return false;
  }
  if (!stat)
    throw new InputError(`${w.display} disappeared while dockmig ran; nothing was written`);
  if ((stat.mode & 0o222) === 0)
    throw new InputError(`${w.display} is read-only; nothing was written`);
  if (now !== w.before)
    throw new InputError(`${w.display} changed on disk since it was read; nothing was written`);
  return false;
}

/** The new text in a temp file beside the target, synced, with the target's mode (0644 when new). */
function writeTemp(path: string, text: string): string {
  let mode = 0o644;
  try {
    mode = statSync(path).mode & 0o7777;
  } catch {
    // A new file.
  }
  const temp = join(dirname(path), `.${basename(path)}.dockmig-${randomBytes(4).toString('hex')}`);
  const fd = openSync(temp, 'wx', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temp;
}

export function describeIo(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    default:
      return code ? `an I/O error (${code})` : String(error);
  }
}
