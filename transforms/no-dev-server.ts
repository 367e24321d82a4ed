/**
 * CMD uvicorn app:app --host 0.0.0.0 --reload   ->  CMD uvicorn app:app --host 0.0.0.0
 * CMD ["fastapi", "dev", "app/main.py"]         ->  CMD ["fastapi", "run", "app/main.py"]
 * CMD flask run --debug                         ->  STOPSIGNAL SIGINT
 *                                                   CMD flask run
 *
 * uvicorn, hypercorn, gunicorn, granian --reload* flags; flask --debug/--reload; fastapi dev;
 * streamlit --server.runOnSave. Also through `uv run` and `python -m`. Reported, not fixed:
 * Django's runserver, FLASK_DEBUG / FLASK_ENV=development. In every runtime stage: the final one
 * and targets such as `FROM build AS api` (development and test targets keep their reloaders).
 *
 * `flask run` without its reloader (which --debug turned on) handles no SIGTERM: as PID 1 it would
 * ignore `docker stop` and be killed after the timeout. It stops cleanly on SIGINT (Ctrl-C), so the
 * stage gets `STOPSIGNAL SIGINT`, unless it or a stage it is built on sets a STOPSIGNAL.
 */
import { defineTransform } from '../src/core/transform.js';
import { programWords, rewriteFindings, rewriteInstruction } from '../src/core/command.js';
import type { Doc, Stage } from '../src/core/document.js';
import { devFlags, dropDevFlags } from '../src/core/runtime-command.js';
import { flaskRunReloader } from '../src/core/signals.js';
import type { Finding } from '../src/core/types.js';

export default defineTransform({
  id: 'no-dev-server',
  title: 'No development-server flags in production',
  rationale:
    '`--reload` watches the filesystem and respawns workers, `fastapi dev` and `flask --debug` ' +
    'enable debuggers and auto-reload meant for a laptop. In a container they waste CPU, restart ' +
    'workers on stray file changes and, for debuggers, can expose code execution. Every other ' +
    'option, including --host, stays as written.',
  uvOnly: false,
  detect(doc) {
    const findings: Finding[] = doc.runtimeStages().flatMap((s) => stopOnSigint(doc, s));
    for (const instr of doc.runtimeStages().flatMap((s) => s.instructions)) {
      const range = { start: instr.start, end: instr.end };
      if (instr.keyword === 'ENV') {
        for (const { name, value } of doc.properties(instr)) {
          if (
            (name === 'FLASK_DEBUG' && /^(1|true)$/i.test(value ?? '')) ||
            (name === 'FLASK_ENV' && value === 'development')
          ) {
            findings.push({
              message: `${name}=${value} turns on Flask's debugger; left as is: remove it for production`,
              range,
              severity: 'warning',
            });
          }
        }
      }
      if (instr.keyword !== 'CMD' && instr.keyword !== 'ENTRYPOINT') continue;
      findings.push(...rewriteFindings(instr, rewriteInstruction(doc, instr, dropDevFlags)));
    }
    return findings;
  },
});

/** STOPSIGNAL SIGINT for a stage whose `flask run` has no reloader once its dev flags are gone. */
function stopOnSigint(doc: Doc, stage: Stage): Finding[] {
  if (doc.lineage(stage).some((s) => s.instructions.some((i) => i.keyword === 'STOPSIGNAL')))
    return [];
  const env = doc.containerEnv(stage);
  const dropped = new Set(devFlags('flask'));
  for (const instr of doc.starts(stage)) {
    if (!stage.instructions.includes(instr)) continue;
    const reloader = programWords(doc, instr)
      .map((a) => flaskRunReloader(a, env, dropped))
      .find((r) => r !== null);
    if (reloader !== false) continue;
    return [
      {
        message: `${instr.keyword}: flask run is Werkzeug's development server, and without its reloader (--debug, --reload or FLASK_DEBUG) nothing in it handles SIGTERM: as PID 1 it would ignore \`docker stop\` and be killed after the timeout (exit 137). STOPSIGNAL SIGINT added, on which it stops cleanly, as on Ctrl-C; for production, serve the app with gunicorn`,
        range: { start: instr.start, end: instr.end },
        edits: [doc.insertBefore(instr, ['STOPSIGNAL SIGINT'])],
      },
    ];
  }
  return [];
}
