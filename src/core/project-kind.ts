/**
 * What kind of project a Dockerfile builds, and so which transforms it gets: a uv project the
 * whole migration; a pip, Poetry or Pipenv project, a file with stages of its own, or one that
 * installs nothing the runtime hardening without uv (the transforms marked `pip`), with a note
 * that says why uv is not brought in.
 */
import { parse, type Doc } from './document.js';
import { applyEdits } from './edit.js';
import { pipProject } from './pip.js';
import { pipenvProject } from './pipenv.js';
import { poetryProject } from './poetry.js';
import { appDirectoryEdits } from './root-app.js';
import { plainPythonService, stagedPythonService } from './staged-project.js';
import type { Transform } from './transform.js';
import type { MigrationOptions, ProjectContext } from './types.js';
import { uvProject } from './uv-presence.js';

export interface ProjectKind {
  /** A uv project: every transform runs. */
  uv: boolean;
  /** Hardened without uv: the transforms marked `pip` run, the other uv ones do not. */
  withoutUv: boolean;
  /** Why the uv migration is skipped, for the result's notes; null for a uv project. */
  note: string | null;
}

/** The transform runs in this migration as far as --only and --skip go. */
function selected(id: string, options: MigrationOptions): boolean {
  return (options.only === null || options.only.includes(id)) && !options.skip.includes(id);
}

/**
 * The document a project's kind is read from. An app at the root is read as it is once
 * app-directory has given it its WORKDIR: what kind of project it is, and so which transforms
 * run, depends on having an app directory.
 */
export function kindDocument(
  doc: Doc,
  transforms: readonly Transform[],
  options: MigrationOptions,
): Doc {
  const moving =
    transforms.some((t) => t.id === 'app-directory') && selected('app-directory', options);
  const moved = moving ? appDirectoryEdits(doc) : null;
  return moved ? parse(applyEdits(doc.text, moved)) : doc;
}

export function projectKind(doc: Doc, context: ProjectContext): ProjectKind {
  const project = uvProject(doc, context);
  // A pip project whose installs move into a venv gets the venv layout transforms too (the split,
  // the user, the health check), never uv. The recognisers decline a Dockerfile that names uv; one
  // that never does is built with its own installer even beside a uv.lock.
  const poetry = poetryProject(doc, context).kind === 'ready';
  const pipenv = !poetry && pipenvProject(doc, context).kind === 'ready';
  const pip = poetry || pipenv || pipProject(doc, context).kind === 'ready';
  // A pip, Poetry or Pipenv file with stages of its own keeps them, and gets the runtime hardening
  // (user, health check, .dockerignore) the venv layout transforms give a split file.
  const staged = !pip && stagedPythonService(doc, context).kind === 'ready';
  const uv = project.yes && !pip && !staged;
  const besideLock = project.yes && !uv;
  // Nothing to install: nothing to split, but the same runtime hardening.
  const plain = !pip && !uv && !staged && plainPythonService(doc, context);
  // Beside a uv.lock, the lockfile is not what this Dockerfile installs: installing it with uv
  // sync instead may choose other versions, so that move is a person's step.
  const noUv = (tool: string) =>
    besideLock
      ? `the project has a uv.lock, but the Dockerfile never names uv and installs with ${tool}, so the image is built as it is written`
      : 'no uv.lock and no uv in the Dockerfile';
  const toUv = besideLock
    ? 'installing uv.lock with uv sync instead (which may choose other versions) is a separate step'
    : 'moving the project to uv is a separate step';
  const note = poetry
    ? `uv migration skipped: a Poetry project: ${noUv('Poetry')}. Poetry installs into a venv in the app directory and the image is split and hardened without uv; pyproject.toml and poetry.lock are unchanged, and ${toUv}`
    : pipenv
      ? `uv migration skipped: a Pipenv project: ${noUv('Pipenv')}. Pipenv installs into a venv in the app directory and the image is split and hardened without uv; Pipfile and Pipfile.lock are unchanged, and ${toUv}`
      : pip
        ? `uv migration skipped: a pip project: ${noUv('pip')}. Its pip installs move into a venv in the app directory and the image is split and hardened without uv; ${toUv}`
        : staged
          ? `uv migration skipped: ${besideLock ? noUv('pip, Poetry or Pipenv') : project.why.replace(/, so only .*$/, '')}. The file already has stages of its own, which are kept; its runtime stage is hardened without uv, and ${toUv}`
          : plain
            ? 'uv migration skipped: nothing is installed (no uv, pip, Poetry or Pipenv install), so there is no build to split; the image gets the runtime hardening (user, health check, .dockerignore)'
            : !uv
              ? `uv migration skipped: ${project.why}`
              : null;
  return { uv, withoutUv: pip || staged || plain, note };
}

/** The transforms a project of this kind gets, in their order, as far as --only and --skip go. */
export function activeTransforms(
  transforms: readonly Transform[],
  kind: ProjectKind,
  options: MigrationOptions,
): Transform[] {
  return transforms.filter(
    (t) => (!t.uvOnly || kind.uv || (kind.withoutUv && t.pip === true)) && selected(t.id, options),
  );
}
