/**
 * The contracts shared by the pure core, the transforms, the reports and the IO shell.
 * Nothing here touches the filesystem: a migration is strings and plain data in, strings and
 * findings out.
 */

import type { CanonicalImage } from './digests.js';

/** A replacement of `text[start, end)` by `text`, offsets in UTF-16 code units of the file's text. */
export interface Edit {
  start: number;
  end: number;
  text: string;
  /**
   * Which file of the change set the edit applies to, relative to the build context
   * (e.g. `.dockerignore`, `docker-entrypoint.sh`). Absent: the Dockerfile itself.
   * An edit on a file that does not exist creates it (its text starts empty).
   */
  file?: string;
}

export type Severity = 'error' | 'warning' | 'info';

/** What a transform returns: an observation, with the edits that fix it or the reason it is not fixed. */
export interface Finding {
  message: string;
  /** Where in the Dockerfile (or `file`) the finding points (offsets in the text the transform saw). */
  range?: { start: number; end: number };
  /**
   * The other file of the change set the finding is about (a Compose file), relative to the build
   * context; its `range` is then in that file's original text. Absent: the Dockerfile.
   */
  file?: string;
  /** The edits that fix it. None (or empty): reported only; `message` says why it is not fixed. */
  edits?: Edit[];
  severity?: Severity;
  /**
   * The image this finding pulls without a digest the digests map knows (pin-digests): a run that
   * resolves digests asks its registry for this one and migrates the file again.
   */
  missingDigest?: CanonicalImage;
}

/** A finding as the engine reports it: with the transform it came from and a 1-based line. */
export interface ReportedFinding {
  transform: string;
  title: string;
  message: string;
  severity: Severity;
  fixed: boolean;
  /** 1-based line in the original file, when the finding points into the original text. */
  line?: number;
  /** 1-based last line of that range. */
  endLine?: number;
  /** The file the finding is about when it is not the Dockerfile (a path like the changes'). */
  file?: string;
  /** The image left without a digest (see Finding.missingDigest). */
  missingDigest?: CanonicalImage;
  /**
   * Where it points, in the original text of the Dockerfile (without a BOM) or of `file`, as UTF-16
   * offsets: a finding about text the migration wrote points where that text was put.
   */
  range?: { start: number; end: number };
  /** It had a fix the caller declined (MigrationControls.accept): not applied. */
  declined?: boolean;
}

/** Facts about the Python project, read from `pyproject.toml`. */
export interface Pyproject {
  name: string | null;
  requiresPython: string | null;
  hasBuildSystem: boolean;
  /** `[tool.uv] package`: `false` for a virtual project; null when not set. */
  uvPackage: boolean | null;
  workspaceMembers: string[];
  /** `[project.scripts]`: console script name -> `module:function`. */
  scripts: Record<string, string>;
  /** Names of `[dependency-groups]` plus `dev` when `[tool.uv] dev-dependencies` is set. */
  dependencyGroups: string[];
  /** `[tool.poetry]` is present. */
  poetry: boolean;
  /** `[tool.poetry] package-mode`: false for a project that is not installed itself; null when unset. */
  poetryPackage?: boolean | null;
}

/**
 * Everything the transforms may know about the project around one Dockerfile. Plain data, built by
 * `buildContext` in `core/context.ts` from file contents the IO layer read.
 */
export interface ProjectContext {
  /** Path of the Dockerfile relative to the build context directory (usually `Dockerfile`). */
  dockerfile: string;
  pyproject: Pyproject | null;
  /** Content of `.python-version`, trimmed (first line), or null. */
  pythonVersion: string | null;
  hasUvLock: boolean;
  hasPoetryLock: boolean;
  /** poetry.lock's text, when there is one (its header and lock-version say which Poetry wrote it). */
  poetryLock?: string | null;
  hasPipfile: boolean;
  /** Pipfile.lock is present: `pipenv install --deploy` installs what it pins. */
  hasPipfileLock?: boolean;
  /** The Pipfile's text, when there is one (a `path =` entry needs the source to install). */
  pipfile?: string | null;
  hasRequirementsTxt: boolean;
  /**
   * Other text files of the build context that transforms may read or rewrite (`.dockerignore`,
   * scripts): a missing key means the file does not exist.
   */
  files: Record<string, string>;
  /** Problems met while reading the context (an unparseable `pyproject.toml`), in plain words. */
  problems: string[];
  /**
   * Compose files found beside the Dockerfile, at the context root and at the repository root, as
   * they were before the migration (paths relative to the context, maybe `../`); their text is in
   * `files`.
   */
  composeFiles: string[];
  /** The build context's path from the repository root (`services/api`), `.` without a root. */
  contextPath: string;
  /** Environment variables the project's Python code reads (only gathered for `--compose`). */
  appEnv: string[];
  /**
   * The COPY/ADD sources of the context that are directories (`confdir`, `src/app`: `/`-joined,
   * no `./`); every other literal source is a file or missing.
   */
  directories: string[];
}

export type LockFlag = 'frozen' | 'locked';
export type DebianRelease = 'trixie' | 'bookworm';

export interface MigrationOptions {
  /** Python `X.Y` forced by `--python`; wins over every other source. */
  python: string | null;
  /** Python used when neither the file nor the project says one. */
  defaultPython: string;
  uvVersion: string;
  /** Poetry release installed in the builder where the Dockerfile does not pin one. */
  poetryVersion: string;
  /** Pipenv release installed in the builder where the Dockerfile does not pin one. */
  pipenvVersion: string;
  lockFlag: LockFlag;
  uid: number;
  healthPath: string | null;
  healthcheck: boolean;
  debian: DebianRelease | null;
  /**
   * Digests to pin images to (`tag@sha256:...`), keyed by canonical reference
   * (`docker.io/library/python:3.12-slim-trixie`, see `core/digests.ts`); an image mapped to null
   * is left unpinned on purpose (one that exists only locally). Null: no pinning asked.
   */
  digests: Record<string, string | null> | null;
  /** Generate the organisation's `docker-compose.build.yml` and `docker-compose.dev.yml`. */
  compose: boolean;
  /** Platforms of the generated build file. */
  composePlatforms: string[];
  /** Registry host of the image the generated files name (`<host>/${REGISTRY_ID}/...`). */
  composeRegistry: string;
  /** Transform ids to run exclusively, or null for all. */
  only: string[] | null;
  skip: string[];
}

export const DEFAULT_OPTIONS: MigrationOptions = {
  python: null,
  defaultPython: '3.12',
  uvVersion: '0.13.8',
  poetryVersion: '2.5.1',
  pipenvVersion: '2026.10.3',
  lockFlag: 'frozen',
  uid: 10001,
  healthPath: null,
  healthcheck: true,
  debian: null,
  digests: null,
  compose: false,
  composePlatforms: ['linux/amd64'],
  composeRegistry: 'ghcr.io',
  only: null,
  skip: [],
};

/** One file of a change set: `before` null means the migration creates it. */
export interface FileChange {
  path: string;
  before: string | null;
  after: string;
}

export type MigrationStatus = 'changed' | 'unchanged' | 'error';

export interface MigrationResult {
  /** Path of the Dockerfile as given by the caller (for messages and diffs). */
  path: string;
  status: MigrationStatus;
  /** Files whose text differs after the migration, the Dockerfile first. Paths relative to the context. */
  changes: FileChange[];
  findings: ReportedFinding[];
  /** Plain-words reasons the file could not be migrated (status `error`). */
  errors: string[];
  /** Stack of an unexpected exception (a bug in dockmig), for `DOCKMIG_DEBUG=1` and bug reports. */
  internal?: string;
  /** Notes for the user that are not findings, e.g. "uv migration skipped: a Poetry project". */
  notes: string[];
}
