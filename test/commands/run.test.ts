/**
 * `run` in process, with one seam: a file edited by someone else after dockmig read it. The write
 * must notice and leave the whole change set unwritten, the other projects of the run written.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_OPTIONS } from '../../src/core/types.js';

const edited = new Set<string>();
vi.mock('../../src/io/files.js', async (original) => {
  const real = await original<typeof import('../../src/io/files.js')>();
  return {
    ...real,
    // Read as usual; then a person saves the file, before dockmig writes.
    readText: (path: string, maxSize?: number) => {
      const text = real.readText(path, maxSize);
      if (path.includes('edited')) {
        writeFileSync(path, `${text}# saved by a person meanwhile\n`);
        edited.add(path);
      }
      return text;
    },
  };
});

const { run } = await import('../../src/commands/run.js');
const example = join(import.meta.dirname, '..', '..', 'examples', 'legacy-fastapi');
const golden = join(
  import.meta.dirname,
  '..',
  '..',
  'fixtures',
  'python-latest-uvicorn-reload',
  'expected',
  'Dockerfile',
);
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a file that changes on disk between read and write', () => {
  it('is detected, not overwritten; one line names it; the others are written; exit 2', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dockmig-run-'));
    cpSync(example, join(dir, 'edited'), { recursive: true });
    cpSync(example, join(dir, 'svc'), { recursive: true });
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(
      {
        paths: ['edited', 'svc'],
        mode: 'write',
        context: null,
        quiet: false,
        maxSize: 1024 * 1024,
        migration: DEFAULT_OPTIONS,
      },
      { cwd: dir, stdout: (t) => out.push(t), stderr: (t) => err.push(t) },
    );
    expect(edited.size).toBe(1);
    expect(code).toBe(2);
    const stderr = err.join('');
    expect(stderr.split('\n').filter((l) => l.includes(': error: '))).toEqual([
      'edited/Dockerfile: error: the file changed on disk since it was read; nothing was written',
    ]);
    // The person's save stands, and no part of the change set was written.
    expect(readFileSync(join(dir, 'edited', 'Dockerfile'), 'utf8')).toBe(
      `${readFileSync(join(example, 'Dockerfile'), 'utf8')}# saved by a person meanwhile\n`,
    );
    expect(existsSync(join(dir, 'edited', '.dockerignore'))).toBe(false);
    expect(readFileSync(join(dir, 'svc', 'Dockerfile'), 'utf8')).toBe(readFileSync(golden, 'utf8'));
    expect(out.join('')).toBe('');
  });
});
