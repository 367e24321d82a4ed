/**
 * A lock beside a file that one run at a time may write (the `org` state file): `<file>.lock`,
 * created exclusively, holding who took it. A lock left by a run that is gone (same host, no such
 * process) is taken over; one held by a live run, or by another host, stops the second run with a
 * message that says whose it is and how to clear it.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { InputError, UsageError } from '../errors.js';
import { describeIo } from './files.js';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderOf(lock: string): Holder | null {
  try {
    const h = JSON.parse(readFileSync(lock, 'utf8')) as Holder;
    return Number.isInteger(h.pid) && typeof h.host === 'string' ? h : null;
  } catch {
    return null;
  }
}

/** Take the lock of `path`; the function returned releases it (also done when the process exits). */
export function lock(path: string): () => void {
  const file = `${path}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        throw new InputError(`the lock ${file} cannot be created: ${describeIo(error)}`);
      const holder = holderOf(file);
      if (holder && holder.host === hostname() && !alive(holder.pid)) {
        // Left by a run that was killed: nobody holds it.
        try {
          unlinkSync(file);
        } catch {
          // Another run took it over first; the next attempt says so.
        }
        continue;
      }
      const who = holder
        ? `pid ${holder.pid} on ${holder.host}, since ${holder.since}`
        : 'a lock file that does not say whose it is';
      throw new UsageError(
        `${path} is in use by another dockmig run (${who}); wait for it to end, or delete ${file} if that run is gone`,
      );
    }
    const holder: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
    writeSync(fd, `${JSON.stringify(holder)}\n`);
    closeSync(fd);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      process.removeListener('exit', release);
      try {
        if (holderOf(file)?.pid === process.pid) unlinkSync(file);
      } catch {
        // Already gone.
      }
    };
    process.on('exit', release);
    return release;
  }
  throw new UsageError(`${path} is in use by another dockmig run (it took the lock ${file} first)`);
}
