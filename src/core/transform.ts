/**
 * What a transform is: an id (= its file name), a title, the rationale a reviewer reads, and a
 * pure `detect` that inspects the parsed document and the project and returns findings with edits.
 */
import type { Doc } from './document.js';
import type { Finding, MigrationOptions, ProjectContext } from './types.js';

export interface Transform {
  id: string;
  title: string;
  rationale: string;
  /** True when the transform only makes sense for a uv project (skipped for pip, Poetry, Pipenv). */
  uvOnly: boolean;
  /**
   * With uvOnly: also runs for a pip project whose installs go into a venv in the app directory
   * (core/pip.ts): the transform is about the venv layout and the runtime, not about uv.
   */
  pip?: boolean;
  detect(doc: Doc, ctx: ProjectContext, options: MigrationOptions): Finding[];
}

export function defineTransform(transform: Transform): Transform {
  return transform;
}
