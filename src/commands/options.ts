/**
 * The options of a run, from the command line and the config file: a flag given on the command line
 * wins over the file, the file over the defaults; paths in the file are relative to it.
 */
import { relative, resolve, sep } from 'node:path';
import { migrationOptionsFor, parseSize } from '../config/config.js';
import { DEFAULT_OPTIONS, type MigrationOptions } from '../core/types.js';
import { UsageError } from '../errors.js';
import { loadConfig } from '../io/config.js';
import { DEFAULT_MAX_SIZE } from '../io/files.js';
import { TRANSFORMS } from '../../transforms/index.js';
import type { Format, RunOptions } from './run.js';

export interface CommandLine {
  paths: string[];
  /** Paths were named on the command line (else the file's `paths`, else `.`). */
  pathsGiven: boolean;
  flags: Record<string, unknown>;
  /** Whether a flag was given on the command line (not a default). */
  given: (key: string) => boolean;
  cwd: string;
  version: string;
}

export function resolveRunOptions(cl: CommandLine): RunOptions {
  const { flags, given, cwd } = cl;
  const known = TRANSFORMS.map((t) => t.id);
  for (const id of [...((flags.only as string[]) ?? []), ...((flags.skip as string[]) ?? [])]) {
    if (!known.includes(id))
      throw new UsageError(`unknown transform "${id}"; the transforms are: ${known.join(', ')}`);
  }
  const loaded =
    flags.config === false
      ? null
      : loadConfig(cwd, (flags.config as string | undefined) ?? null, known);
  const file = (loaded?.config ?? {}) as Record<string, unknown>;
  const pick = <T>(key: string): T | undefined => (given(key) ? flags[key] : file[key]) as T;
  const pickPath = (key: string): string | null => {
    if (given(key)) return flags[key] as string;
    const value = file[key] as string | undefined;
    return value === undefined ? null : resolve(loaded!.dir, value);
  };
  const write = Boolean(pick('write'));
  const check = Boolean(pick('check'));
  if (write && check) throw new UsageError('--write and --check cannot be used together');
  const fromCli = (key: string) => (given(key) ? flags[key] : undefined);
  const cli = {
    python: fromCli('python'),
    uvVersion: fromCli('uvVersion'),
    lockFlag: fromCli('lockFlag'),
    uid: fromCli('uid'),
    healthPath: fromCli('healthPath'),
    healthcheck: fromCli('healthcheck'),
    debian: fromCli('debian'),
    only: fromCli('only') as string[] | undefined,
    skip: fromCli('skip') as string[] | undefined,
  };
  const optionsFor = (path: string): MigrationOptions =>
    migrationOptionsFor(
      DEFAULT_OPTIONS,
      loaded?.config ?? null,
      cli,
      loaded ? relative(loaded.dir, path).split(sep).join('/') : path,
    );
  const fileSize = file.maxSize;
  const maxSize =
    (fromCli('maxSize') as number | undefined) ??
    (typeof fileSize === 'string' ? parseSize(fileSize) : (fileSize as number | undefined)) ??
    DEFAULT_MAX_SIZE;
  const filePaths = loaded && file.paths ? (file.paths as string[]) : null;
  return {
    paths: cl.pathsGiven
      ? cl.paths
      : (filePaths?.map((p) => relative(cwd, resolve(loaded!.dir, p)) || '.') ?? cl.paths),
    mode: write ? 'write' : check ? 'check' : 'dry-run',
    context: pickPath('context'),
    quiet: Boolean(pick('quiet')),
    verbose: Boolean(pick('verbose')),
    maxSize,
    migration: optionsFor(resolve(cwd, 'Dockerfile')),
    optionsFor,
    format: pick<Format>('format') ?? 'diff',
    reportFile: pickPath('report'),
    version: cl.version,
  };
}
