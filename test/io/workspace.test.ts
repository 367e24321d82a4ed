import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  copyProject,
  plantCanaries,
  removeTree,
  tempDir,
  touchSource,
} from '../../src/io/workspace.js';

const dirs: string[] = [];
function made(path: string): string {
  dirs.push(path);
  return path;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A project with a .git of its own, and a package holding one that is not its own. */
function project(files: Record<string, string>): string {
  const dir = made(tempDir('dockmig-ws-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const tree = (dir: string) => readdirSync(dir, { recursive: true }).map(String).sort();

describe('copyProject', () => {
  it('copies the project into a fresh directory under tmp, without its own .git', () => {
    const dir = project({
      Dockerfile: 'FROM python:3.12\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      'app/__init__.py': '',
      'vendor/lib/.git': 'gitdir: ../../.git/modules/lib\n',
    });
    const copy = made(copyProject(dir, 'dockmig-verify-'));
    expect(copy.startsWith(tmpdir())).toBe(true);
    expect(basename(copy)).toMatch(/^dockmig-verify-.+/);
    // Only the project's own .git is left out: a submodule's link is part of what is built.
    expect(tree(copy)).toEqual(
      ['Dockerfile', 'app', 'app/__init__.py', 'vendor', 'vendor/lib', 'vendor/lib/.git'].sort(),
    );
    expect(readFileSync(join(copy, 'Dockerfile'), 'utf8')).toBe('FROM python:3.12\n');
  });
});

describe('plantCanaries', () => {
  it('places a .env the project lacks, and always a small .git', () => {
    const dir = project({ 'main.py': '' });
    const copy = made(copyProject(dir, 'dockmig-verify-'));
    expect(plantCanaries(copy, dir)).toEqual(['.env', '.git/']);
    expect(readFileSync(join(copy, '.env'), 'utf8')).toBe('DOCKMIG_VERIFY_CANARY=1\n');
    expect(readFileSync(join(copy, '.git', 'HEAD'), 'utf8')).toBe(
      'ref: refs/heads/dockmig-verify-canary\n',
    );
    expect(tree(dir)).toEqual(['main.py']);
  });

  it("keeps the project's own .env as it is", () => {
    const dir = project({ '.env': 'TOKEN=real\n' });
    const copy = made(copyProject(dir, 'dockmig-verify-'));
    expect(plantCanaries(copy, dir)).toEqual(['.git/']);
    expect(readFileSync(join(copy, '.env'), 'utf8')).toBe('TOKEN=real\n');
  });
});

describe('touchSource', () => {
  it('appends a comment to the first Python file outside hidden and cache directories', () => {
    const dir = project({
      '.venv/lib/site.py': 'x = 1\n',
      'app/__pycache__/mod.py': 'y = 1\n',
      'app/main.py': 'print("hi")\n',
    });
    touchSource(dir);
    expect(readFileSync(join(dir, 'app/main.py'), 'utf8')).toBe(
      'print("hi")\n\n# dockmig verify: a source-only change\n',
    );
    expect(readFileSync(join(dir, '.venv/lib/site.py'), 'utf8')).toBe('x = 1\n');
    expect(readFileSync(join(dir, 'app/__pycache__/mod.py'), 'utf8')).toBe('y = 1\n');
  });

  it('adds a source file when the project has none', () => {
    const dir = project({ 'pyproject.toml': '[project]\nname = "x"\n' });
    touchSource(dir);
    expect(readFileSync(join(dir, 'dockmig_verify_probe.py'), 'utf8')).toBe(
      '# a source-only change\n',
    );
  });
});

describe('removeTree', () => {
  it('removes a tree, and a path with nothing there is not an error', () => {
    const dir = project({ 'a/b/c.txt': 'x' });
    removeTree(dir);
    expect(() => readdirSync(dir)).toThrow(/ENOENT/);
    expect(() => removeTree(dir)).not.toThrow();
  });
});
