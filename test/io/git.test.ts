import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { Git } from '../../src/io/git.js';
import { git } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'dockmig-git-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Git.show', () => {
  it('reads a file as HEAD has it, not as the work tree has it', async () => {
    writeFileSync(join(dir, 'Dockerfile'), 'FROM python:latest\r\n');
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'initial');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM python:3.12-slim\n');
    writeFileSync(join(dir, 'new.txt'), 'not committed\n');

    const g = new Git(dir);
    expect(await g.show('HEAD', 'Dockerfile')).toBe('FROM python:latest\r\n');
    await expect(g.show('HEAD', 'new.txt')).rejects.toThrow(InputError);
    await expect(g.show('HEAD', 'new.txt')).rejects.toThrow(
      /^git show failed: fatal: path 'new.txt' exists on disk, but not in 'HEAD'/,
    );
  });
});
