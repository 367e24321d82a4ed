import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { cleanup, tempDir } from '../helpers/cli.js';
import { afterEach, describe, expect, it } from 'vitest';
import { readText, writeChangeSet, type PlannedWrite } from '../../src/io/files.js';

/** A pid no process has any more: one that has exited. */
function gonePid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}
const holder = (pid: number, host = hostname()) => JSON.stringify({ pid, host, since: 'then' });

const dir = () => tempDir('dockmig-io-');
afterEach(cleanup);

describe('readText', () => {
  it('refuses links, directories, oversized files and invalid UTF-8, with the reason', () => {
    const d = dir();
    writeFileSync(join(d, 'Dockerfile'), 'FROM python:3.12\n');
    symlinkSync(join(d, 'Dockerfile'), join(d, 'link'));
    mkdirSync(join(d, 'sub'));
    writeFileSync(join(d, 'big'), 'x'.repeat(2048));
    writeFileSync(join(d, 'bin'), Buffer.from([0xc3, 0x28]));
    expect(() => readText(join(d, 'link'))).toThrow(/is a symbolic link/);
    expect(() => readText(join(d, 'sub'))).toThrow('is a directory, not a Dockerfile');
    expect(() => readText(join(d, 'big'), 1024)).toThrow(
      'is 2 KiB, over the 1 KiB limit (--max-size)',
    );
    expect(() => readText(join(d, 'bin'))).toThrow('the file is not valid UTF-8 text');
    expect(readText(join(d, 'Dockerfile'))).toBe('FROM python:3.12\n');
  });
});

describe('writeChangeSet', () => {
  function plan(d: string): PlannedWrite[] {
    writeFileSync(join(d, 'Dockerfile'), 'old\n');
    chmodSync(join(d, 'Dockerfile'), 0o640);
    return [
      { path: join(d, 'Dockerfile'), display: 'Dockerfile', before: 'old\n', after: 'new\n' },
      { path: join(d, '.dockerignore'), display: '.dockerignore', before: null, after: '.venv\n' },
    ];
  }

  it('writes every file, keeps the mode, leaves no temp file', () => {
    const d = dir();
    writeChangeSet(plan(d));
    expect(readFileSync(join(d, 'Dockerfile'), 'utf8')).toBe('new\n');
    expect(statSync(join(d, 'Dockerfile')).mode & 0o777).toBe(0o640);
    expect(readFileSync(join(d, '.dockerignore'), 'utf8')).toBe('.venv\n');
    expect(readdirSync(d).sort()).toEqual(['.dockerignore', 'Dockerfile']);
  });

  it.each([
    [
      'changed on disk since it was read',
      (d: string) => writeFileSync(join(d, 'Dockerfile'), 'edited\n'),
      'Dockerfile changed on disk since it was read; nothing was written',
    ],
    [
      'created meanwhile',
      (d: string) => writeFileSync(join(d, '.dockerignore'), '*\n'),
      '.dockerignore appeared on disk while dockmig ran; nothing was written',
    ],
    [
      'read-only',
      (d: string) => chmodSync(join(d, 'Dockerfile'), 0o444),
      'Dockerfile is read-only; nothing was written',
    ],
  ])('writes nothing when a file was %s', (_name, meddle, message) => {
    const d = dir();
    const writes = plan(d);
    meddle(d);
    const before = readdirSync(d)
      .sort()
      .map((n) => [n, readFileSync(join(d, n), 'utf8')]);
    expect(() => writeChangeSet(writes)).toThrow(message);
    expect(
      readdirSync(d)
        .sort()
        .map((n) => [n, readFileSync(join(d, n), 'utf8')]),
    ).toEqual(before);
  });

  it('never writes through a link', () => {
    const d = dir();
    const writes = plan(d);
    writeFileSync(join(d, 'real'), 'old\n');
    rmSync(join(d, 'Dockerfile'));
    symlinkSync(join(d, 'real'), join(d, 'Dockerfile'));
    expect(() => writeChangeSet(writes)).toThrow(
      'Dockerfile is a symbolic link; nothing was written through it',
    );
    expect(readFileSync(join(d, 'real'), 'utf8')).toBe('old\n');
  });

  it('leaves a file alone that already holds the new text (another run wrote it)', () => {
    const d = dir();
    const writes = plan(d);
    writeFileSync(join(d, 'Dockerfile'), 'new\n');
    utimesSync(join(d, 'Dockerfile'), 1_000_000, 1_000_000);
    writeChangeSet(writes);
    expect(statSync(join(d, 'Dockerfile')).mtimeMs).toBe(1_000_000_000);
    expect(readFileSync(join(d, '.dockerignore'), 'utf8')).toBe('.venv\n');
  });

  it('takes over the lock of a process on this host that is gone, and removes it after', () => {
    const d = dir();
    const writes = plan(d);
    writeFileSync(join(d, '.Dockerfile.dockmig-lock'), holder(gonePid()));
    writeChangeSet(writes);
    expect(readFileSync(join(d, 'Dockerfile'), 'utf8')).toBe('new\n');
    expect(readdirSync(d).sort()).toEqual(['.dockerignore', 'Dockerfile']);
  });

  it.each([
    [
      'a live process',
      () => holder(process.pid),
      `pid ${process.pid} on ${hostname()}, since then`,
    ],
    // Its pid means nothing on this host (a shared file system): only its own host can tell.
    ['a process on another host', () => holder(gonePid(), 'elsewhere'), 'on elsewhere'],
    // What a lock looks like between its creation and the write of its holder.
    ['nobody yet (empty)', () => '', 'a lock file that does not say whose it is'],
  ])('waits for the lock of %s, then writes nothing and says why', (_name, content, who) => {
    const d = dir();
    const writes = plan(d);
    writeFileSync(join(d, '.Dockerfile.dockmig-lock'), content());
    expect(() => writeChangeSet(writes, 50)).toThrow(
      /^Dockerfile is being written by another dockmig process \(.*\); nothing was written \(delete \.Dockerfile\.dockmig-lock if that process is gone\)$/,
    );
    expect(() => writeChangeSet(writes, 0)).toThrow(who);
    expect(readFileSync(join(d, 'Dockerfile'), 'utf8')).toBe('old\n');
    expect(existsSync(join(d, '.dockerignore'))).toBe(false);
    expect(existsSync(join(d, '.Dockerfile.dockmig-lock'))).toBe(true);
  });
});
