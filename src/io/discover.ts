/** Which Dockerfiles a run covers: files as given, directories walked for Dockerfile names. */
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
  missing: string[];
}

export function discover(paths: string[]): Discovery {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      missing.push(path);
      continue;
    }
    if (stat.isDirectory()) walk(path, files);
    else files.add(path);
  }
  return { files: [...files].sort(), missing };
}

function walk(dir: string, out: Set<string>): void {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of entries) {
    const path = join(dir, name);
    const st = lstatSync(path);
    if (st.isSymbolicLink()) continue;
    if (st.isDirectory()) {
      if (!SKIP.has(name)) walk(path, out);
    } else if (st.isFile() && isDockerfileName(name)) {
      out.add(path);
    }
  }
}
