/**
 * A bug met while reading one Dockerfile's build context fails that file, not the run: the other
 * Dockerfiles are still migrated. The context reader is replaced by one that throws for one path.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_OPTIONS } from '../../src/core/types.js';

vi.mock('../../src/io/context.js', async (original) => {
  const real = await original<typeof import('../../src/io/context.js')>();
  return {
    ...real,
    contextReader: (...args: Parameters<typeof real.contextReader>) => {
      const reader = real.contextReader(...args);
      if (!args[0].includes('broken')) return reader;
      return {
        ...reader,
        read: () => {
          throw new Error('kaput');
        },
      };
    },
  };
});

const { run } = await import('../../src/commands/run.js');
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a bug while reading a build context', () => {
  it('fails that file with a line saying so; the others are migrated', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dockmig-context-bug-'));
    for (const name of ['broken', 'fine']) {
      mkdirSync(join(dir, name));
      writeFileSync(
        join(dir, name, 'Dockerfile'),
        'FROM python:latest\nCMD ["python", "app.py"]\n',
      );
    }
    const err: string[] = [];
    const out: string[] = [];
    const code = await run(
      {
        paths: ['broken', 'fine'],
        mode: 'dry-run',
        context: null,
        quiet: false,
        maxSize: 1024 * 1024,
        migration: DEFAULT_OPTIONS,
      },
      { cwd: dir, stdout: (t) => out.push(t), stderr: (t) => err.push(t) },
    );
    expect(code).toBe(2);
    expect(err.join('')).toContain(
      'broken/Dockerfile: error: internal error while reading the build context, a bug in dockmig',
    );
    expect(out.join('')).toContain('+++ b/fine/Dockerfile');
  });
});
