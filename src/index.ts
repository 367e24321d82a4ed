/**
 * dockmig as a library: the migration core the CLI, the editor's language server and the
 * playground all run. Text and the build context's files go in as plain data, the result comes
 * back as plain data; nothing here touches a disk, a process or the network, and nothing imports
 * from `node:` (a test bundles this entry for a browser and checks).
 *
 * The exports of this file are dockmig's API. `API_VERSION` counts its incompatible changes; the
 * README's "Library" section is its documentation.
 */
import { treeReader } from './core/context.js';
import { migrate as migrateInput, type FindingKey } from './core/engine.js';
import { lineEdits, reviewInputOf, type ReviewInput } from './core/review.js';
import type { Transform } from './core/transform.js';
import {
  DEFAULT_OPTIONS,
  type Edit,
  type FileChange,
  type MigrationOptions,
  type MigrationResult,
} from './core/types.js';
import { TRANSFORMS } from '../transforms/index.js';
import { migrationOptionProblem, unknownTransform } from './config/config.js';

/** Bumped on every incompatible change of what this module exports. */
export const API_VERSION = 1;

export interface Input {
  /** The Dockerfile's text (a BOM and CRLF line endings are kept). */
  dockerfile: string;
  /** Its path relative to the build context; `Dockerfile` when not given. */
  path?: string;
  /**
   * The build context's files by path relative to it: `pyproject.toml`, `.python-version`,
   * `.dockerignore`, the scripts the image runs, Compose files. A file whose presence is all that
   * matters (`uv.lock`, `poetry.lock`, `requirements.txt`) may be given as `''`. A path with files
   * under it (`app/main.py`) is a directory of the context.
   */
  files?: Record<string, string>;
}

export interface Options extends Partial<MigrationOptions> {
  /** The transforms to run, in order; `transforms` (all of them) when not given. */
  transforms?: readonly Transform[];
  /** Say no to a fix (per finding): it is reported with `declined` and not applied. */
  accept?: (finding: FindingKey) => boolean;
}

/** The engine's own inputs for `input`: for the review functions (`fixAlone`, `goesWith`). */
export function prepare(input: Input, options: Options = {}): ReviewInput {
  const path = input.path ?? 'Dockerfile';
  const tree = { ...input.files, [path]: input.dockerfile };
  const { transforms = TRANSFORMS, accept: _accept, ...rest } = options;
  refuseUnknown(rest, transforms);
  const migrationOptions: MigrationOptions = { ...DEFAULT_OPTIONS, ...rest };
  return reviewInputOf(
    path,
    path,
    input.dockerfile,
    treeReader(tree),
    migrationOptions,
    transforms,
  );
}

/** One file of the change set, with the edits on its text before that make its text after. */
export interface Change extends FileChange {
  /** Replacements of whole lines of `before` (`''` for a file created), in order, not overlapping. */
  edits: Edit[];
}

export interface Result extends MigrationResult {
  changes: Change[];
}

/**
 * A misspelt option or transform id would otherwise be ignored without a word (`skip:
 * ['healthchek']` runs the healthcheck), and a value out of range written into the file (`uid:
 * 0` runs as root): refused as the command line and the config file refuse them.
 */
function refuseUnknown(options: Partial<MigrationOptions>, transforms: readonly Transform[]): void {
  for (const key of Object.keys(options)) {
    if (!(key in DEFAULT_OPTIONS))
      throw new TypeError(
        `dockmig: unknown option "${key}"; the options are: ${[...Object.keys(DEFAULT_OPTIONS), 'transforms', 'accept'].join(', ')}`,
      );
  }
  for (const [key, value] of Object.entries(options)) {
    const problem = migrationOptionProblem(key, value);
    if (problem) throw new TypeError(`dockmig: option ${key} ${problem}`);
  }
  const unknown = unknownTransform(
    [...(options.only ?? []), ...(options.skip ?? [])],
    transforms.map((t) => t.id),
  );
  if (unknown) throw new TypeError(`dockmig: ${unknown}`);
}

/** Migrate one Dockerfile: its change set (the Dockerfile first), the findings, errors and notes. */
export function migrate(input: Input, options: Options = {}): Result {
  const review = prepare(input, options);
  const result = migrateInput(review.input, review.options, review.transforms, {
    accept: options.accept,
  });
  return {
    ...result,
    changes: result.changes.map((c) => ({ ...c, edits: lineEdits(c.before ?? '', c.after) })),
  };
}

/** The transforms in the order the engine runs them: id, title, the rationale a reviewer reads. */
export const transforms: readonly Transform[] = TRANSFORMS;

export { DEFAULT_OPTIONS } from './core/types.js';
export type {
  Edit,
  FileChange,
  Finding,
  MigrationOptions,
  MigrationResult,
  MigrationStatus,
  ReportedFinding,
  Severity,
} from './core/types.js';
export type { Transform } from './core/transform.js';
export type { FindingKey } from './core/engine.js';
export { sameFinding } from './core/engine.js';
export { fixAlone, goesWith, lineEdits, migrateAccepting } from './core/review.js';
export type { LoneFix, ReviewInput } from './core/review.js';
export { applyEdits } from './core/edit.js';
export { provideModules, type LazyModules } from './core/modules.js';
