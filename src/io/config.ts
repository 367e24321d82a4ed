/** Finding and reading the config file: upward from the working directory, or the one given. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FILES, parseConfig, type Config } from '../config/config.js';
import { UsageError } from '../errors.js';

export interface LoadedConfig {
  /** Absolute path of the file. */
  path: string;
  /** Its directory: override globs and relative paths in it are relative to this. */
  dir: string;
  config: Config;
}

export function findConfigFile(cwd: string): string | null {
  let dir = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILES) {
      const candidate = join(dir, name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export function loadConfig(
  cwd: string,
  explicit: string | null,
  transformIds: readonly string[],
): LoadedConfig | null {
  const path = explicit ? resolve(cwd, explicit) : findConfigFile(cwd);
  if (!path) return null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `${explicit ?? path}: ${code === 'ENOENT' ? 'no such config file' : `cannot be read (${code})`}`,
    );
  }
  return { path, dir: dirname(path), config: parseConfig(text, explicit ?? path, transformIds) };
}
