/**
 * A pip, Poetry or Pipenv service whose Dockerfile already has stages of its own (wheels or a venv
 * built in a builder, then a runtime stage): no uv, an install in some stage, a start command in
 * the final one. Its stages are kept as written (restructuring them is not done), but the runtime
 * hardening that does not depend on the layout still applies: the numeric user, the health check,
 * `.dockerignore`.
 *
 * Giving a numeric uid to a user the final stage already runs as changes nothing the programs see.
 * Adding a user to a stage that runs as root is safe only on an image whose Python can be told: on
 * another base (`FROM ${FROM}`, ubuntu with a server that needs root), what the programs need root
 * for cannot be told here.
 */
import type { Doc, Instr, Stage } from './document.js';
import { runtimeImageFor } from './images.js';
import { pipInstalls } from './pip.js';
import { pipenvInstalls } from './pipenv.js';
import { poetryInstalls } from './poetry.js';
import type { ProjectContext } from './types.js';
import { uvNamed, uvProject } from './uv-presence.js';

export type StagedService =
  { kind: 'none' } | { kind: 'blocked'; why: string; instr: Instr } | { kind: 'ready' };

export function stagedPythonService(doc: Doc, ctx: ProjectContext): StagedService {
  if (uvNamed(doc)) return { kind: 'none' };
  // Stages that only name an image to copy from do not make a file multi-stage.
  if (doc.stages.filter((s) => s.instructions.length > 0).length < 2) return { kind: 'none' };
  const final = doc.finalStage;
  if (!final) return { kind: 'none' };
  const stages = doc.lineage(final);
  const has = (keyword: string) =>
    stages.some((s) => s.instructions.some((i) => i.keyword === keyword));
  if (!has('CMD') && !has('ENTRYPOINT')) return { kind: 'none' };
  const installs = doc.stages.some(
    (s) =>
      pipInstalls(doc, s).some((i) => !i.tooling) ||
      poetryInstalls(doc, s).length > 0 ||
      pipenvInstalls(doc, s).length > 0,
  );
  if (!installs) return { kind: 'none' };
  if (has('USER')) return { kind: 'ready' };
  const root = stages[stages.length - 1];
  const image = rootImage(doc, final);
  if (image === '' || runtimeImageFor(image) === null)
    return {
      kind: 'blocked',
      why: `its final stage runs as root on ${root.image ?? 'an image'}, not an image whose Python can be told, so what its programs need root for cannot be told here and no user is added; set a numeric USER by hand`,
      instr: final.from,
    };
  return { kind: 'ready' };
}

/**
 * A Python service with nothing to install: one stage on an image whose Python can be told, a
 * start command, no uv, pip, Poetry or Pipenv install and no USER (`COPY . .` then `CMD python
 * server.py`). Nothing is split, but it still gets the runtime hardening: the numeric user, the
 * health check, `.dockerignore`.
 */
export function plainPythonService(doc: Doc, ctx: ProjectContext): boolean {
  if (uvProject(doc, ctx).yes) return false;
  const built = doc.stages.filter((s) => s.instructions.length > 0);
  if (built.length !== 1 || built[0] !== doc.finalStage) return false;
  const stage = built[0];
  const has = (keyword: string) => stage.instructions.some((i) => i.keyword === keyword);
  if ((!has('CMD') && !has('ENTRYPOINT')) || has('USER')) return false;
  if (
    pipInstalls(doc, stage).length > 0 ||
    poetryInstalls(doc, stage).length > 0 ||
    pipenvInstalls(doc, stage).length > 0
  )
    return false;
  return !!stage.image && !stage.image.includes('$') && runtimeImageFor(stage.image) !== null;
}

/**
 * The image a stage is built on, at the root of its FROM chain, with global ARG defaults put in
 * (`FROM ${BASE}`); references that cannot be resolved stay as written.
 */
export function rootImage(doc: Doc, stage: Stage): string {
  const root = doc.lineage(stage).at(-1)!;
  return (root.image ?? '').replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
    (whole, name: string) => doc.globalArgDefault(name)?.value ?? whole,
  );
}
