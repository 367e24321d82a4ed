/** Reading and writing files: strict UTF-8 in; change sets written atomically, all or nothing. */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';

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
    throw new InputError(describeIo(error, path));
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
    throw new InputError(describeIo(error, path));
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new InputError('the file is not valid UTF-8 text');
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
 * Write a whole change set or none of it. First every target is checked against what was read
 * (changed, removed or created meanwhile, a link, not a regular file, read-only: nothing is
 * written); then every new text goes to a temp file beside its target; then the temps are renamed
 * over the targets. A failure before the renames removes the temps and leaves every file as it was.
 */
export function writeChangeSet(writes: PlannedWrite[]): void {
  for (const w of writes) checkTarget(w);
  const temps: { temp: string; path: string }[] = [];
  try {
    for (const w of writes) temps.push({ temp: writeTemp(w.path, w.after), path: w.path });
  } catch (error) {
    for (const t of temps) unlinkSync(t.temp);
    throw new InputError(`could not be written: ${describeIo(error, '')}`);
  }
  for (const t of temps) renameSync(t.temp, t.path);
}

function checkTarget(w: PlannedWrite): void {
  let stat: Stats | null = null;
  try {
    stat = lstatSync(w.path);
  } catch {
    stat = null;
  }
  if (w.before === null) {
    if (stat)
      throw new InputError(`${w.display} appeared on disk while dockmig ran; nothing was written`);
    return;
  }
  if (!stat)
    throw new InputError(`${w.display} disappeared while dockmig ran; nothing was written`);
  if (stat.isSymbolicLink())
    throw new InputError(`${w.display} is a symbolic link; nothing was written through it`);
  if (!stat.isFile())
    throw new InputError(`${w.display} is not a regular file; nothing was written`);
  if ((stat.mode & 0o222) === 0)
    throw new InputError(`${w.display} is read-only; nothing was written`);
  const now = readFileSync(w.path).toString('utf8');
  if (now !== w.before)
    throw new InputError(`${w.display} changed on disk since it was read; nothing was written`);
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

export function describeIo(error: unknown, path: string): string {
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
      return `cannot be read (${code ?? String(error)}) : ${path}`;
  }
}
