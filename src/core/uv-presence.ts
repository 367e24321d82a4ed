/**
 * Where uv is at run time: which stages have a uv binary, and which start commands still call it.
 * A migration that leaves a start command calling uv in a stage without uv makes an image that
 * cannot start; the engine refuses such an output (outputRegression).
 */
import { programWords, wrapperLength } from './command.js';
import type { Doc, Instr, Stage } from './document.js';
import type { ProjectContext } from './types.js';
import { isUvImage, parseImageRef } from './images.js';
import { uvCallOf } from './uv.js';

/** `COPY --from=ghcr.io/astral-sh/uv...`, `--mount=from=...uv`: the uv image, by any tag or digest. */
const UV_IMAGE = /(^|[/=])astral(-sh)?\/uv([:@,\s]|$)/;
/** `pip install uv`, `pipx install uv`, the installer script. */
const INSTALLS_UV = /\bpip[x0-9.]*\s+install\b[^&|;]*\suv(\s|==|>=|$)|astral\.sh\/uv/;

/** An ENV that only sets uv's own settings (UV_*): the builder needs it, a runtime without uv does not. */
export function onlyUvSettings(doc: Doc, instr: Instr): boolean {
  if (instr.keyword !== 'ENV') return false;
  const props = doc.properties(instr);
  return props.length > 0 && props.every((p) => p.name.startsWith('UV_'));
}

/** A RUN that installs uv: `pip install uv` (pinned or among others), `pipx install uv`, the installer script. */
export function installsUv(doc: Doc, instr: Instr): boolean {
  return instr.keyword === 'RUN' && INSTALLS_UV.test(doc.logical(instr.argsStart, instr.argsEnd));
}

/** Whether a stage has uv: its base is a uv image, or it copies, mounts or installs uv, or inherits it. */
export function stageHasUv(doc: Doc, stage: Stage): boolean {
  if (stage.image && !stage.image.includes('$') && isUvImage(parseImageRef(stage.image)))
    return true;
  const parent = doc.parentStage(stage);
  if (parent && stageHasUv(doc, parent)) return true;
  return stage.instructions.some((i) => {
    if (i.keyword === 'COPY' || i.keyword === 'RUN')
      if (i.flags.some((f) => UV_IMAGE.test(f.value ?? ''))) return true;
    return installsUv(doc, i);
  });
}

/** A command that runs uv or uvx, behind `exec`, `env`, `gosu`/`su-exec` or `tini`/`dumb-init` too. */
export function callsUv(values: readonly (string | null)[]): boolean {
  const w = values.slice(wrapperLength(values.map((value) => ({ value }))));
  return uvCallOf(w) !== null || /(^|\/)uvx$/.test(w[0] ?? '');
}

/** The CMD or ENTRYPOINT of a stage that calls uv or uvx (exec form, shell form, `sh -c`), if any. */
export function startCallingUv(doc: Doc, stage: Stage): string | null {
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'CMD' && instr.keyword !== 'ENTRYPOINT') continue;
    if (programWords(doc, instr).some(callsUv)) return instr.keyword;
  }
  return null;
}

/** Whether the Dockerfile names uv anywhere: a uv call, the uv image, `pip install uv`, a UV_ setting. */
export function uvNamed(doc: Doc): boolean {
  // In instructions only: a commented-out `# COPY --from=ghcr.io/astral-sh/uv ...` names nothing.
  return doc.instructions.some((i) =>
    /(^|[\s/"'=])uv(\s|$|")|astral-sh\/uv|astral\/uv|\bUV_[A-Z_]+=/m.test(
      doc.logical(i.start, i.end),
    ),
  );
}

/** Whether conda, mamba or micromamba installs here: a conda image, or one of them run by a RUN. */
export function condaNamed(doc: Doc): boolean {
  const image =
    /(^|\/)(miniconda\d*|anaconda\d*|miniforge\d*|mambaforge|micromamba|condaforge)(:|$)/;
  return (
    doc.stages.some((s) => image.test(s.image ?? '')) ||
    doc.instructions.some(
      (i) =>
        i.keyword === 'RUN' &&
        doc
          .shell(i)
          .commands.some((c) => /(^|\/)(conda|mamba|micromamba)$/.test(c.words[0]?.value ?? '')),
    )
  );
}

/**
 * Whether the project is a uv one: a uv.lock in the context, or uv used by the Dockerfile. A
 * Dockerfile that never names uv but installs with pip, Poetry or Pipenv beside a uv.lock is read
 * by those tools' recognisers first (the engine decides): the image is built as written.
 */
export function uvProject(doc: Doc, ctx: ProjectContext): { yes: boolean; why: string } {
  if (ctx.hasUvLock) return { yes: true, why: 'uv.lock' };
  if (uvNamed(doc)) return { yes: true, why: 'uv in the Dockerfile' };
  if (condaNamed(doc))
    return {
      yes: false,
      why: 'a conda project: conda (or mamba) installs Python and the packages into an environment of its own, which neither the uv nor the venv layout describes, so the image is not restructured; only the transforms that do not depend on the installer ran (pinned base, exec form, secrets)',
    };
  const kind =
    ctx.pyproject?.poetry || ctx.hasPoetryLock
      ? 'a Poetry project'
      : ctx.hasPipfile
        ? 'a Pipenv project'
        : ctx.hasRequirementsTxt
          ? 'a pip project (requirements.txt)'
          : 'not a uv project';
  return {
    yes: false,
    why: `${kind}: no uv.lock and no uv in the Dockerfile, so only the transforms that do not depend on uv ran`,
  };
}
