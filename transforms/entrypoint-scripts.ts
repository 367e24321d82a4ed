/**
 * docker-entrypoint.sh:                         docker-entrypoint.sh:
 *   uv run alembic upgrade head           ->      alembic upgrade head
 *   exec uv run uvicorn app:app           ->      exec uvicorn app:app
 *
 * Scripts the final stage runs (its ENTRYPOINT/CMD program, or the script handed to a shell),
 * edited in place: shebang, comments, line endings and every other line stay byte-identical.
 * Reported: a script not found in the build context, one that does not parse, `uv sync` or
 * `uv run --with` in a script, and a stage where the venv is not on PATH.
 */
import { defineTransform } from '../src/core/transform.js';
import { rewriteScript, scriptFile, scriptsRun } from '../src/core/command.js';
import { stripUvRun, venvOnPath } from '../src/core/runtime-command.js';
import { parseShell } from '../src/core/shell.js';
import type { Finding } from '../src/core/types.js';

export default defineTransform({
  id: 'entrypoint-scripts',
  title: 'Scripts the image runs do not call uv',
  rationale:
    'The runtime stage has no uv. An entrypoint script that still says `uv run alembic upgrade head` ' +
    'fails at start with "uv: not found". The venv is on PATH, so the same commands run directly.',
  uvOnly: true,
  detect(doc, ctx) {
    const stage = doc.finalStage;
    if (!stage) return [];
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const instr of stage.instructions) {
      if (instr.keyword !== 'CMD' && instr.keyword !== 'ENTRYPOINT') continue;
      const range = { start: instr.start, end: instr.end };
      for (const program of scriptsRun(doc, instr)) {
        const script = scriptFile(program, ctx.files);
        if (!script) {
          findings.push({
            message: `${program} is not in the build context, so it was not checked for uv`,
            range,
            severity: 'info',
          });
          continue;
        }
        if (seen.has(script.path)) continue;
        seen.add(script.path);
        const parsed = parseShell(script.text, 0, script.text.length, {
          escape: '\\',
          continuations: false,
        });
        if (!parsed.ok) {
          findings.push({
            message: `${script.path} does not parse as shell (${parsed.error}); not checked`,
            range,
            severity: 'warning',
          });
          continue;
        }
        const r = rewriteScript(parsed, stripUvRun, {
          consoleScripts: new Set(Object.keys(ctx.pyproject?.scripts ?? {})),
        });
        for (const p of r.problems)
          findings.push({ message: `${script.path}: ${p}`, range, severity: 'warning' });
        if (r.edits.length === 0) continue;
        if (!venvOnPath(doc, stage)) {
          findings.push({
            message: `${script.path} runs uv run; kept, because the venv's bin directory is not on PATH in this stage`,
            range,
            severity: 'warning',
          });
          continue;
        }
        findings.push({
          message: `${script.path}: ${r.changes.join('; ')}`,
          range,
          edits: r.edits.map((e) => ({ ...e, file: script.path })),
        });
      }
    }
    return findings;
  },
});
