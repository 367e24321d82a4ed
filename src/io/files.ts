/** Reading and writing files: strict UTF-8 in, atomic writes out, nothing written when unchanged. */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';

// ignoreBOM keeps a byte order mark in the text (by default TextDecoder drops it, and the write would too).
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function readText(path: string): string {
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

/** Write through a temp file in the same directory, fsync, rename; keep the mode of the file replaced. */
export function writeAtomic(path: string, text: string, mode?: number): void {
  let keep = mode ?? 0o644;
  try {
    keep = statSync(path).mode & 0o7777;
  } catch {
    // A new file.
  }
  const temp = join(dirname(path), `.${basename(path)}.dockmig-${randomBytes(4).toString('hex')}`);
  const fd = openSync(temp, 'wx', keep);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, path);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
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
