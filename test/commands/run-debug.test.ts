/**
 * A bug met while migrating one file: the run goes on, the file's line says it is a bug, and
 * DOCKMIG_DEBUG=1 prints where it happened. The transforms are replaced by one that throws.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_OPTIONS } from '../../src/core/types.js';

vi.mock('../../transforms/index.js', () => ({
  TRANSFORMS: [
    {
      id: 'boom',
      title: 'throws',
      rationale: 'a bug, on purpose',
      uvOnly: false,
      detect: function explodeOnPurpose() {
        throw new Error('kaput');
      },
    },
  ],
}));

const { run } = await import('../../src/commands/run.js');
let dir = '';
const saved = process.env.DOCKMIG_DEBUG;
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env.DOCKMIG_DEBUG;
  else process.env.DOCKMIG_DEBUG = saved;
});

async function stderrOfRun(debug: boolean): Promise<{ code: number; err: string }> {
  dir = mkdtempSync(join(tmpdir(), 'dockmig-debug-'));
  writeFileSync(join(dir, 'Dockerfile'), 'FROM python:3.12\nCMD ["python", "app.py"]\n');
  if (debug) process.env.DOCKMIG_DEBUG = '1';
  else delete process.env.DOCKMIG_DEBUG;
  const err: string[] = [];
  const code = await run(
    {
      paths: ['.'],
      mode: 'dry-run',
      context: null,
      quiet: false,
      maxSize: 1024 * 1024,
      migration: DEFAULT_OPTIONS,
    },
    { cwd: dir, stdout: () => {}, stderr: (t) => err.push(t) },
  );
  return { code, err: err.join('') };
}

describe('a bug in a transform', () => {
  it('is one line naming it a bug, and exit 2', async () => {
    const { code, err } = await stderrOfRun(false);
    expect(code).toBe(2);
    expect(err).toContain('internal error while migrating, a bug in dockmig');
    expect(err).toContain('kaput');
    expect(err).not.toContain('explodeOnPurpose');
  });

  it('shows where it happened under DOCKMIG_DEBUG=1', async () => {
    const { err } = await stderrOfRun(true);
    expect(err).toMatch(/\nDockerfile: Error: kaput\n\s+at Object\.explodeOnPurpose/);
  });
});
