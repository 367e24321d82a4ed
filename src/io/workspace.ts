/**
 * Directories a command works in and removes again: `verify`'s build context (a copy of the
 * project the migration is written into, never the project itself) and the checkouts `org`
 * clones into.
 */
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

/** A fresh temporary directory, `prefix` followed by a random suffix, under the system's tmp. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes a directory and everything under it; nothing there is not an error. */
export function removeTree(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** Makes a directory and its parents, when they are not there yet. */
export function ensureDir(path: string): void {
  mkdirSync(path, { recursive: true });
}

/** Writes a scratch file a command made (a file of its own, in a directory of its own). */
export function writeScratch(path: string, text: string): void {
  writeFileSync(path, text);
}

/**
 * A copy of the project in a fresh temporary directory, its own `.git` left out (it can be large,
 * and the image must not see it anyway). Returns the copy's path.
 */
export function copyProject(dir: string, prefix: string): string {
  const copy = tempDir(prefix);
  cpSync(dir, copy, {
    recursive: true,
    filter: (src) => !(basename(src) === '.git' && dirname(src) === dir),
  });
  return copy;
}

/**
 * A canary `.env` and `.git/` in the copy when the project has none, so that finding neither in
 * the image proves the ignore rules rather than an absence. Returns what was placed.
 */
export function plantCanaries(copy: string, project: string): string[] {
  const planted: string[] = [];
  if (!existsSync(join(project, '.env'))) {
    writeFileSync(join(copy, '.env'), 'DOCKMIG_VERIFY_CANARY=1\n');
    planted.push('.env');
  }
  // The real .git is never copied (it can be large): a small one stands in for it.
  mkdirSync(join(copy, '.git'), { recursive: true });
  writeFileSync(join(copy, '.git', 'HEAD'), 'ref: refs/heads/dockmig-verify-canary\n');
  planted.push('.git/');
  return planted;
}

/** Appends a comment to one Python source file (else adds a file): a change to source only. */
export function touchSource(project: string): void {
  const find = (d: string, depth: number): string | null => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === '__pycache__' || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isFile() && e.name.endsWith('.py')) return p;
      if (e.isDirectory() && depth < 4) {
        const found = find(p, depth + 1);
        if (found) return found;
      }
    }
    return null;
  };
  const source = find(project, 0);
  if (source) appendFileSync(source, '\n# dockmig verify: a source-only change\n');
  else writeFileSync(join(project, 'dockmig_verify_probe.py'), '# a source-only change\n');
}
