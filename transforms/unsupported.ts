/**
 * ONBUILD RUN uv sync --locked      ->  reported: the trigger runs in images built FROM this one;
 *                                        dockmig does not rewrite triggers.
 * CMD uvicorn app:app --reload       ->  reported: only the last CMD of a stage runs; the earlier
 * CMD ["gunicorn", "app:app"]            one is dead text, rewritten like the other but kept.
 *
 * Nothing is fixed here: these are constructs whose meaning dockmig does not decide for a team.
 * The other transforms still apply what is safe around them; each finding is an error, so the run
 * ends with exit code 2 and the file is named for a person to finish.
 */
import { defineTransform } from '../src/core/transform.js';
import type { Finding } from '../src/core/types.js';

const USES_UV = /(^|[^\w-])(uvx?|astral-sh\/uv|astral\/uv)([^\w-]|$)/;

export default defineTransform({
  id: 'unsupported',
  title: 'Constructs left to a person',
  rationale:
    'Some Dockerfile constructs change what a migration means: an ONBUILD trigger runs in ' +
    'somebody else’s build, and a second CMD or ENTRYPOINT silently replaces the first. dockmig ' +
    'does not guess which one the team meant; it names them so a person decides.',
  uvOnly: false,
  detect(doc) {
    const findings: Finding[] = [];
    for (const instr of doc.instructions) {
      if (instr.keyword !== 'ONBUILD') continue;
      if (!USES_UV.test(doc.logical(instr.argsStart, instr.argsEnd))) continue;
      findings.push({
        message:
          'an ONBUILD trigger runs uv in the images built FROM this one; triggers are not migrated: rewrite it by hand (or move it into this build)',
        range: { start: instr.start, end: instr.end },
        severity: 'error',
      });
    }
    for (const stage of doc.stages) {
      for (const keyword of ['CMD', 'ENTRYPOINT'] as const) {
        const all = stage.instructions.filter((i) => i.keyword === keyword);
        if (all.length < 2) continue;
        findings.push({
          message: `${keyword} appears ${all.length} times in one stage and only the last one takes effect; the earlier ones are dead text, left in place (rewritten alike): remove them by hand`,
          range: { start: all[0].start, end: all[0].end },
          severity: 'error',
        });
      }
    }
    return findings;
  },
});
