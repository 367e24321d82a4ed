/**
 * CMD uvicorn app:app --host 0.0.0.0 --reload   ->  CMD uvicorn app:app --host 0.0.0.0
 * CMD ["fastapi", "dev", "app/main.py"]         ->  CMD ["fastapi", "run", "app/main.py"]
 * CMD flask run --debug                         ->  CMD flask run
 *
 * uvicorn, hypercorn, gunicorn, granian --reload* flags; flask --debug/--reload; fastapi dev;
 * streamlit --server.runOnSave. Also through `uv run` and `python -m`. Reported, not fixed:
 * Django's runserver, FLASK_DEBUG / FLASK_ENV=development. In every runtime stage: the final one
 * and targets such as `FROM build AS api` (development and test targets keep their reloaders).
 */
import { defineTransform } from '../src/core/transform.js';
import { rewriteFindings, rewriteInstruction } from '../src/core/command.js';
import { dropDevFlags } from '../src/core/runtime-command.js';
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
    const findings: Finding[] = [];
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
      findings.push(
        ...rewriteFindings(instr, rewriteInstruction(doc, instr, dropDevFlags, new Set())),
      );
    }
    return findings;
  },
});
