/** Reads the build context around a Dockerfile from disk, for the core to gather what it needs. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { ContextReader } from '../core/context.js';

/** Context files larger than this are not read (a generated module, a data file named .py). */
const MAX_CONTEXT_FILE = 2 * 1024 * 1024;

export interface LoadOptions {
  /**
   * The repository root's Compose files are read only when the root is this directory or below
   * it, so that every file of a change set stays under the directory the run was started in.
   */
  within?: string;
}

/**
 * The build context `contextDir` of the Dockerfile `dockerfile`, read from disk for gatherContext
 * (core/context.ts): regular files up to a size, no links; the repository root is offered only
 * when it is `within` or below it.
 */
export function contextReader(
  dockerfile: string,
  contextDir: string,
  options: LoadOptions = {},
): ContextReader {
  const posix = (p: string) => p.split(sep).join('/') || '.';
  const root = repositoryRoot(dirname(dockerfile));
  const usable =
    root !== null &&
    (options.within === undefined || !relative(options.within, root).startsWith('..'));
  return {
    read(name) {
      const path = join(contextDir, name);
      try {
        const stat = statSync(path);
        return stat.isFile() && stat.size <= MAX_CONTEXT_FILE
          ? readFileSync(path, 'utf8')
          : undefined;
      } catch {
        return undefined;
      }
    },
    exists: (name) => existsSync(join(contextDir, name)),
    list(dir) {
      try {
        return readdirSync(join(contextDir, dir), { withFileTypes: true })
          .filter((e) => e.isFile() || e.isDirectory())
          .map((e) => ({ name: e.name, dir: e.isDirectory() }));
      } catch {
        return undefined;
      }
    },
    root: usable ? posix(relative(contextDir, root)) : null,
    contextPath: usable ? posix(relative(root, contextDir)) : '.',
  };
}

/** Repository roots found so far, by directory: a run over a tree asks for the same ones often. */
const roots = new Map<string, string | null>();

/** The nearest directory at or above `dir` holding `.git`, or null. */
function repositoryRoot(dir: string): string | null {
  const known = roots.get(dir);
  if (known !== undefined) return known;
  const root = existsSync(join(dir, '.git'))
    ? dir
    : dirname(dir) === dir
      ? null
      : repositoryRoot(dirname(dir));
  roots.set(dir, root);
  return root;
}
