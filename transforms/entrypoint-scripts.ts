/**
 * docker-entrypoint.sh:                                docker-entrypoint.sh:
 *   uv run alembic upgrade head                  ->      alembic upgrade head
 *   WORKERS=$(nproc) exec uv run granian app     ->      WORKERS=$(nproc) exec granian app
 *   exec uv --directory src run gunicorn app     ->      cd src && exec gunicorn app
 *   exec uv run uvicorn app:app --reload         ->      exec uvicorn app:app
 *
 * Scripts the final stage runs (its ENTRYPOINT/CMD program, the script handed to a shell, or a
 * file the Dockerfile copies to the path the command names), edited in place: shebang, comments,
 * line endings and every other line stay byte-identical. Every `uv run` of a script goes, or none
 * does. Reported: a script not found in the build context, one that does not parse, a script that
 * needs uv at start (`uv sync`, uvx, `uv run --with`, `uv run "$@"` of an unknown command), and a
 * stage where the venv is not on PATH.
 */
import { defineTransform } from '../src/core/transform.js';
import { venvOnPath } from '../src/core/runtime-command.js';
import { startScripts } from '../src/core/scripts.js';
import type { Finding, ProjectContext } from '../src/core/types.js';
import type { Doc, Stage } from '../src/core/document.js';

export default defineTransform({
  id: 'entrypoint-scripts',
  title: 'Scripts the image runs do not call uv',
  rationale:
    'The runtime stage has no uv. An entrypoint script that still says `uv run alembic upgrade head` ' +
    'fails at start with "uv: not found". The venv is on PATH, so the same commands run directly; ' +
    'development-server flags go as they do in the CMD.',
  uvOnly: true,
  detect(doc, ctx) {
    // A script several targets run (api and worker) is rewritten once.
    const seen = new Set<string>();
    return doc.runtimeStages().flatMap((stage) => inStage(doc, ctx, stage, seen));
  },
});

/** The scripts one stage the image can be built to run starts. */
function inStage(doc: Doc, ctx: ProjectContext, stage: Stage, seen: Set<string>): Finding[] {
  const findings: Finding[] = [];
  const scripts = startScripts(doc, stage, ctx.files);
  for (const script of scripts) {
    if (script.path !== null) {
      if (seen.has(script.path)) continue;
      seen.add(script.path);
    }
    const { instr, path } = script;
    const range = { start: instr.start, end: instr.end };
    if (path === null) {
      findings.push({
        message: `${script.program} is not in the build context, so it was not checked for uv`,
        range,
        severity: 'info',
      });
      continue;
    }
    if (script.unparsed !== null) {
      findings.push({
        message: `${path} does not parse as shell (${script.unparsed}); not checked`,
        range,
        severity: 'warning',
      });
      continue;
    }
    const { uv, dev } = script;
    for (const p of [...uv.problems, ...dev.problems])
      findings.push({ message: `${path}: ${p}`, range, severity: 'warning' });
    const onFile = (edits: typeof uv.edits) => edits.map((e) => ({ ...e, file: path }));
    if (uv.edits.length > 0) {
      if (uv.problems.length > 0) {
        // Half a rewrite would leave a script that needs uv beside lines that pretend it is gone.
        findings.push({
          message: `${path}: its other uv run lines are kept as well while the script needs uv at start`,
          range,
          severity: 'warning',
        });
      } else if (!venvOnPath(doc, stage)) {
        findings.push({
          message: `${path} runs uv run; kept, because the venv's bin directory is not on PATH in this stage`,
          range,
          severity: 'warning',
        });
      } else {
        findings.push({
          message: `${path}: ${uv.changes.join('; ')}`,
          range,
          edits: onFile(uv.edits),
        });
      }
    }
    if (dev.edits.length > 0)
      findings.push({
        message: `${path}: ${dev.changes.join('; ')}`,
        range,
        edits: onFile(dev.edits),
      });
  }
  return findings;
}
