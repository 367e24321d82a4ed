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
  detect(doc: Doc, ctx: ProjectContext, options: MigrationOptions): Finding[];
}

export function defineTransform(transform: Transform): Transform {
  return transform;
}
