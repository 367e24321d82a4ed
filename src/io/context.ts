/** Reads the build context around a Dockerfile from disk into the plain ProjectContext. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { gatherContext } from '../core/context.js';
import type { Doc } from '../core/document.js';
import type { ProjectContext } from '../core/types.js';

/** Context files larger than this are not read (a generated module, a data file named .py). */
const MAX_CONTEXT_FILE = 2 * 1024 * 1024;

export interface LoadOptions {
  /** Read the project's Python files for the environment variables they read (`--compose`). */
  scanSources?: boolean;
  /**
   * The repository root's Compose files are read only when the root is this directory or below
   * it, so that every file of a change set stays under the directory the run was started in.
   */
  within?: string;
}

export function loadContext(
  dockerfile: string,
  contextDir: string,
  doc: Doc,
  options: LoadOptions = {},
): ProjectContext {
  const posix = (p: string) => p.split(sep).join('/') || '.';
  const root = repositoryRoot(dirname(dockerfile));
  const usable =
    root !== null &&
    (options.within === undefined || !relative(options.within, root).startsWith('..'));
  return gatherContext(
    doc,
    posix(relative(contextDir, dockerfile)),
    {
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
    },
    { scanSources: options.scanSources },
  );
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
