import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { holderOf, takeLock, type LockOptions } from '../../src/io/lock.js';

const dirs: string[] = [];
function lockIn(): string {
  const d = mkdtempSync(join(tmpdir(), 'dockmig-lock-'));
  dirs.push(d);
  return join(d, 'state.json.lock');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const options: LockOptions = {
  held: (who) => new Error(`held by ${who}`),
  unwritable: (error) => new Error(`unwritable: ${(error as NodeJS.ErrnoException).code}`),
};
const gonePid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
const write = (file: string, h: object | string) =>
  writeFileSync(file, typeof h === 'string' ? h : JSON.stringify(h));

describe('takeLock', () => {
  it('writes who holds it, and its release removes it', () => {
    const file = lockIn();
    const release = takeLock(file, options);
    expect(holderOf(file)).toEqual({
      pid: process.pid,
      host: hostname(),
      since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(() => takeLock(file, options)).toThrow(`held by pid ${process.pid} on ${hostname()}`);
    release();
    expect(existsSync(file)).toBe(false);
    takeLock(file, options)();
  });

  it('is stale only when it names a process on this host that is gone', () => {
    const file = lockIn();
    const gone = gonePid();
    write(file, { pid: gone, host: hostname(), since: 'then' });
    const release = takeLock(file, options);
    expect(holderOf(file)?.pid).toBe(process.pid);
    release();

    for (const [content, who] of [
      [{ pid: process.pid, host: hostname(), since: 'then' }, `pid ${process.pid}`],
      [{ pid: gone, host: 'elsewhere', since: 'then' }, `pid ${gone} on elsewhere, since then`],
      ['', 'a lock file that does not say whose it is'],
      [`${gone}`, 'a lock file that does not say whose it is'],
      [{ pid: gone, host: hostname() }, 'a lock file that does not say whose it is'],
    ] as const) {
      write(file, content);
      expect(() => takeLock(file, options), JSON.stringify(content)).toThrow(`held by ${who}`);
      expect(readFileSync(file, 'utf8')).toBe(
        typeof content === 'string' ? content : JSON.stringify(content),
      );
    }
  });

  it('a release leaves alone a lock that another run took after this one was removed', () => {
    const file = lockIn();
    const release = takeLock(file, options);
    const other = JSON.stringify({ pid: process.pid, host: 'elsewhere', since: 'now' });
    write(file, other);
    release();
    expect(readFileSync(file, 'utf8')).toBe(other);
  });

  it('says why when the lock cannot be created', () => {
    expect(() => takeLock(join(lockIn(), 'missing', 'x.lock'), options)).toThrow(
      'unwritable: ENOENT',
    );
  });
});
