/**
 * The options of a run, from the command line and the config file: a flag given on the command line
 * wins over the file, the file over the defaults; paths in the file are relative to it.
 */
import { relative, resolve, sep } from 'node:path';
import {
  MIGRATION_OPTIONS,
  migrationOptionsFor,
  parseSize,
  unknownTransform,
} from '../config/config.js';
import { DEFAULT_OPTIONS, type MigrationOptions } from '../core/types.js';
import { UsageError } from '../errors.js';
import { loadConfig } from '../io/config.js';
import { DEFAULT_MAX_SIZE } from '../io/files.js';
import { TRANSFORMS } from '../../transforms/index.js';
import { loadDigestMap, parseMirror } from '../io/registry.js';
import type { Format, Pinning, RunOptions } from './run.js';

export interface CommandLine {
  paths: string[];
  /** Paths were named on the command line (else the file's `paths`, else `.`). */
  pathsGiven: boolean;
  flags: Record<string, unknown>;
  /** Whether a flag was given on the command line (not a default). */
  given: (key: string) => boolean;
  cwd: string;
  version: string;
  /** Where paths named on the command line are relative to (default `cwd`). */
  flagsCwd?: string;
  /** The environment (registry credentials for digest pinning). */
  env?: Record<string, string | undefined>;
}

export function resolveRunOptions(cl: CommandLine): RunOptions {
  const { flags, given, cwd } = cl;
  const known = TRANSFORMS.map((t) => t.id);
  const unknown = unknownTransform(
    [...((flags.only as string[]) ?? []), ...((flags.skip as string[]) ?? [])],
    known,
  );
  if (unknown) throw new UsageError(unknown);
  const loaded =
    flags.config === false
      ? null
      : loadConfig(cwd, (flags.config as string | undefined) ?? null, known);
  const file = (loaded?.config ?? {}) as Record<string, unknown>;
  const pick = <T>(key: string): T | undefined => (given(key) ? flags[key] : file[key]) as T;
  /** A path flag: as given (or resolved from `cliBase`), else the file's, relative to the file. */
  const pickPath = (key: string, cliBase?: string): string | null => {
    if (given(key))
      return cliBase ? resolve(cliBase, flags[key] as string) : (flags[key] as string);
    const value = file[key] as string | undefined;
    return value === undefined ? null : resolve(loaded!.dir, value);
  };
  const write = Boolean(pick('write'));
  const check = Boolean(pick('check'));
  if (write && check) throw new UsageError('--write and --check cannot be used together');
  const interactive = Boolean(pick('interactive'));
  const format = pick<Format>('format') ?? 'diff';
  if (interactive) {
    // The review is a conversation on the terminal: nothing else can share its stdout, and what it
    // writes is what was accepted, which no --check could judge.
    const clash = check
      ? '--check'
      : format !== 'diff'
        ? `--format ${format}`
        : pick('report') !== undefined
          ? '--report'
          : pick('pinDigests')
            ? '--pin-digests (resolve them first with --pin-digests --save-digests FILE, then review with --digests FILE)'
            : pick('saveDigests') !== undefined
              ? '--save-digests'
              : null;
    if (clash) throw new UsageError(`--interactive cannot be used with ${clash}`);
  }
  const fromCli = (key: string) => (given(key) ? flags[key] : undefined);
  const cli = {
    ...Object.fromEntries(Object.keys(MIGRATION_OPTIONS).map((key) => [key, fromCli(key)])),
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
  const pinning = resolvePinning(cl, pick, pickPath);
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
    format,
    interactive,
    reportFile: pickPath('report'),
    version: cl.version,
    pinning,
  };
}

/**
 * `--pin-digests`, `--digests FILE`, `--save-digests FILE`, `--registry-mirror`, from the flags or
 * the config file. Paths on the command line are relative to where dockmig was started (`pr` and
 * `org` run in a checkout).
 */
function resolvePinning(
  cl: CommandLine,
  pick: <T>(key: string) => T | undefined,
  pickPath: (key: string, cliBase?: string) => string | null,
): Pinning | null {
  const here = cl.flagsCwd ?? cl.cwd;
  const pin = Boolean(pick('pinDigests'));
  const digests = pickPath('digests', here);
  const saveTo = pickPath('saveDigests', here);
  if (!pin && !digests) {
    if (saveTo) throw new UsageError('--save-digests needs --pin-digests or --digests FILE');
    return null;
  }
  const mirrors = (pick<string[]>('registryMirror') ?? []).map(parseMirror);
  return {
    known: digests ? loadDigestMap(digests) : {},
    resolve: pin,
    registry: {
      mirrors: Object.fromEntries(mirrors),
      env: cl.env ?? {},
      timeoutMs: (pick<number>('registryTimeout') ?? 15) * 1000,
    },
    saveTo,
  };
}
