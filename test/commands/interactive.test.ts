/**
 * `dockmig --interactive` in process, keys from a list instead of a terminal: what is written for
 * the keys pressed. (test/e2e/interactive-tmux.test.ts drives the binary in a real terminal.)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { interactive } from '../../src/commands/interactive.js';
import { DEFAULT_OPTIONS } from '../../src/core/types.js';
import type { KeyReader } from '../../src/io/keys.js';
import type { RunOptions } from '../../src/commands/run.js';

const example = join(import.meta.dirname, '..', '..', 'examples', 'legacy-fastapi');
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function keys(list: string[]): () => KeyReader {
  return () => ({ next: async () => list.shift() ?? null, close: () => {} });
}

const options = (paths: string[]): RunOptions => ({
  paths,
  mode: 'write',
  context: null,
  quiet: false,
  maxSize: 1024 * 1024,
  migration: DEFAULT_OPTIONS,
  interactive: true,
});

const COMPOSE = `services:
  a:
    build: ./a
    command: uv run uvicorn app.main:app --host 0.0.0.0 --port 8000 --reload
  b:
    build: ./b
    command: uv run uvicorn app.main:app --host 0.0.0.0 --port 8000 --reload
`;

describe('interactive review', () => {
  it('writes the edits two accepted Dockerfiles make to one Compose file together', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dockmig-interactive-'));
    cpSync(example, join(dir, 'a'), { recursive: true });
    cpSync(example, join(dir, 'b'), { recursive: true });
    writeFileSync(join(dir, 'compose.yaml'), COMPOSE);
    spawnSync('git', ['init', '-q'], { cwd: dir });
    const err: string[] = [];
    const code = await interactive(
      options(['a', 'b']),
      { cwd: dir, stdout: () => {}, stderr: (t) => err.push(t) },
      keys(['a', 'a']),
    );
    expect(err.join('')).not.toMatch(/error|changed since/);
    expect(code).toBe(0);
    const compose = readFileSync(join(dir, 'compose.yaml'), 'utf8');
    expect(compose).not.toContain('uv run');
    expect(compose).not.toContain('--reload');
    expect(compose.match(/command:/g)).toHaveLength(2);
  });

  it('exits 2 when what it wrote leaves a file to a person, as --write does', async () => {
    dir = mkdtempSync(join(tmpdir(), 'dockmig-interactive-'));
    cpSync(example, join(dir, 'svc'), { recursive: true });
    writeFileSync(
      join(dir, 'svc', 'Dockerfile'),
      `${readFileSync(join(example, 'Dockerfile'), 'utf8')}ENV API_TOKEN=s3cr3t-value-0123\n`,
    );
    const err: string[] = [];
    const run = (list: string[]) =>
      interactive(
        options(['svc']),
        { cwd: dir, stdout: () => {}, stderr: (t) => err.push(t) },
        keys(list),
      );
    expect(await run(['a'])).toBe(2);
    expect(readFileSync(join(dir, 'svc', 'Dockerfile'), 'utf8')).toContain('USER 10001:10001');
  });
});
