/** Which Dockerfiles a run covers: files as given, directories walked for Dockerfile names. */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

/** What a directory without any Dockerfile is reported as (`org` counts it as skipped). */
export const NO_DOCKERFILE =
  'no Dockerfile in it (Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile)';

const SKIP = new Set([
  '.git',
  'node_modules',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  '.mypy_cache',
]);

export function isDockerfileName(name: string): boolean {
  return (
    /^(Dockerfile|Containerfile)(\..+)?$/.test(name) ||
    /\.(Dockerfile|dockerfile|Containerfile)$/.test(name)
  );
}

export interface Discovery {
  files: string[];
  /** Paths given that yield nothing to migrate, and directories that cannot be read, with the reason. */
  problems: { path: string; message: string }[];
  /** Links met while walking that would have been taken (a Dockerfile name, a directory): not followed. */
  skipped: { path: string; message: string }[];
}

/**
 * Files are taken as given (a link among them is refused when read); directories are walked.
 * Links met while walking are skipped, never followed: a link could lead outside the paths given.
 */
export function discover(paths: string[]): Discovery {
  const files = new Set<string>();
  const problems: Discovery['problems'] = [];
  const skipped: Discovery['skipped'] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      problems.push({ path, message: 'no such file or directory' });
      continue;
    }
    if (stat.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
      problems.push({ path, message: 'is a symbolic link to a directory; links are not followed' });
    } else if (stat.isDirectory() && isDockerfileName(basename(path))) {
      problems.push({ path, message: 'is a directory, not a Dockerfile' });
    } else if (stat.isDirectory()) {
      const before = files.size;
      walk(path, files, problems, skipped);
      if (files.size === before) {
        problems.push({
          path,
          message: NO_DOCKERFILE,
        });
      }
    } else {
      files.add(path);
    }
  }
  return { files: [...files].sort(), problems, skipped };
}

function walk(
  dir: string,
  out: Set<string>,
  problems: Discovery['problems'],
  skipped: Discovery['skipped'],
): void {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    problems.push({
      path: dir,
      message: `the directory cannot be read${code === 'EACCES' ? ' (permission denied)' : code ? ` (${code})` : ''}`,
    });
    return;
  }
  for (const name of entries) {
    const path = join(dir, name);
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue; // gone since the listing
    }
    if (st.isSymbolicLink()) {
      if (isDockerfileName(name)) {
        skipped.push({
          path,
          message: 'is a symbolic link; links met while walking are not followed',
        });
      } else if (!SKIP.has(name) && statSync(path, { throwIfNoEntry: false })?.isDirectory()) {
        skipped.push({
          path,
          message: 'is a symbolic link to a directory; links met while walking are not followed',
        });
      }
      continue;
    }
    if (st.isDirectory()) {
      if (!SKIP.has(name)) walk(path, out, problems, skipped);
    } else if (st.isFile() && isDockerfileName(name)) {
      out.add(path);
    }
  }
}
