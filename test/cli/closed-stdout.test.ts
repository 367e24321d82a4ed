/**
 * A reader that stops early (`dockmig --help | head`): the binary ends quietly, with its own exit
 * code, whatever the command and format; a stdout that fails otherwise (a full disk) is an error.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, bin, repo, STACK } from '../helpers/cli.js';

/** Two projects to migrate and one already hardened: `--check` exits 1 on them. */
const SOME = ['alpine-uv', 'bom-and-no-final-newline', 'already-hardened'].map((name) =>
  join('fixtures', name, 'input'),
);
/**
 * Enough projects for a JSON report (about 300 KB) that the part left after the reader's first
 * chunk is still more than a pipe's buffer (64 KB): the binary is writing when the pipe closes.
 */
const MANY = readdirSync(join(repo, 'fixtures'))
  .sort()
  .slice(0, 30)
  .map((name) => join('fixtures', name, 'input'));

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** What the reader took before it closed the pipe. */
  read: string;
}

/**
 * The binary with stdout on a pipe whose reader closes it after `keep` chunks (0: before the
 * binary has written anything, as `head -c 0` or a reader that exits at once).
 */
function readThenClose(args: string[], keep: number): Promise<Ended> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: repo,
      env: { ...process.env, DOCKMIG_DEBUG: '', NO_COLOR: '1' },
    });
    let read = '';
    let chunks = 0;
    if (keep === 0) child.stdout.destroy();
    else
      child.stdout.on('data', (d: Buffer) => {
        read += d.toString();
        if (++chunks === keep) child.stdout.destroy();
      });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stderr, read }));
  });
}

beforeAll(() => assertBuilt());

describe('a stdout closed by its reader', () => {
  it.each([
    [['--help'], 0],
    [['--version'], 0],
    [['transforms'], 0],
    [['org', '--help'], 0],
    [['-q', ...SOME], 0],
    [['-q', '--check', ...SOME], 1],
    [['-q', '--format', 'json', ...SOME], 0],
    [['-q', '--format', 'sarif', '--check', ...SOME], 1],
    [['-q', '--format', 'markdown', ...SOME], 0],
  ])('dockmig %j ends quietly with its own exit code %i', async (args, code) => {
    const r = await readThenClose(args, 0);
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.code).toBe(code);
  });

  it('a report larger than the pipe, read up to its first chunk (`| head -1`)', async () => {
    const args = ['-q', '--format', 'json', ...MANY];
    const r = await readThenClose(args, 1);
    expect(r.read.startsWith('{\n  "schemaVersion": 1,')).toBe(true);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toBe('');
    // The code of the same run with nobody closing its stdout.
    const whole = spawnSync(process.execPath, [bin, ...args], {
      cwd: repo,
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    expect(r.code).toBe(whole.status);
  });

  it('the summary on stderr is still printed whole', async () => {
    const r = await readThenClose(['--format', 'json', ...SOME], 0);
    expect(r.stderr).toMatch(/\n3 files: 2 changed, 1 unchanged, 0 errors\n$/);
    expect(r.code).toBe(0);
  });
});

describe('a stdout that cannot be written', () => {
  it('says so on one line and exits 2 (a full disk)', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [bin, '--help'], {
        cwd: repo,
        encoding: 'utf8',
        stdio: ['ignore', full, 'pipe'],
        env: { ...process.env, DOCKMIG_DEBUG: '' },
      });
      expect(r.stderr).toBe('dockmig: the output could not be written: an I/O error (ENOSPC)\n');
      expect(r.status).toBe(2);
    } finally {
      closeSync(full);
    }
  });
});
