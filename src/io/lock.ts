/**
 * The one lock file of dockmig: a change set beside its Dockerfile (`.Dockerfile.dockmig-lock`) and
 * the `org` state file (`FILE.lock`) are each written by one run at a time. The lock is created
 * exclusively and holds who took it: pid, host and time.
 *
 * A lock is stale, and taken over, only when it names a process on this host that is gone. Every
 * other lock is held: one that names a live process, one from another host (a shared file system:
 * its pid means nothing here), and one that cannot be read as a holder, which is what a lock looks
 * like between its creation and the write of its holder. Reading that empty file as "pid 0, gone"
 * would let a second run in beside the first; a lock left empty by a crash is rarer and costs only
 * the message that says which file to delete.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface Holder {
  pid: number;
  host: string;
  since: string;
}

export interface LockOptions {
  /** How long to wait for a live holder to finish before giving up; 0 gives up at once. */
  waitMs?: number;
  /** The error when the lock stays held; `who` names the holder as the lock file says it. */
  held: (who: string) => Error;
  /** The error when the lock file cannot be created at all (a read-only directory). */
  unwritable: (error: unknown) => Error;
}

const pause = new Int32Array(new SharedArrayBuffer(4));

/** Take `lockFile`; the function returned releases it (also done when the process exits). */
export function takeLock(lockFile: string, options: LockOptions): () => void {
  const deadline = Date.now() + (options.waitMs ?? 0);
  for (;;) {
    let fd: number | null = null;
    try {
      fd = openSync(lockFile, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw options.unwritable(error);
    }
    if (fd !== null) return hold(lockFile, fd);
    const holder = holderOf(lockFile);
    if (holder && stale(holder)) {
      try {
        unlinkSync(lockFile);
        continue;
      } catch (error) {
        // Removed by another run first: the next attempt meets whatever it left. Not ours to
        // remove (a sticky directory): it stays held, and the message says whose it is.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      }
    }
    if (Date.now() >= deadline) {
      throw options.held(
        holder
          ? `pid ${holder.pid} on ${holder.host}, since ${holder.since}`
          : 'a lock file that does not say whose it is',
      );
    }
    Atomics.wait(pause, 0, 0, 20);
  }
}

function hold(lockFile: string, fd: number): () => void {
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
  } finally {
    closeSync(fd);
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.removeListener('exit', release);
    const now = holderOf(lockFile);
    // Removed by hand and taken by another run meanwhile: that lock is not ours to remove.
    if (now?.pid !== me.pid || now.host !== me.host || now.since !== me.since) return;
    try {
      unlinkSync(lockFile);
    } catch {
      // Already gone.
    }
  };
  process.on('exit', release);
  return release;
}

/** The holder a lock file names, or null when it names none (being written, or not ours). */
export function holderOf(lockFile: string): Holder | null {
  try {
    const h = JSON.parse(readFileSync(lockFile, 'utf8')) as Partial<Holder>;
    return Number.isInteger(h.pid) &&
      (h.pid as number) > 0 &&
      typeof h.host === 'string' &&
      typeof h.since === 'string'
      ? (h as Holder)
      : null;
  } catch {
    return null;
  }
}

function stale(holder: Holder): boolean {
  return holder.host === hostname() && !alive(holder.pid);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
