/**
 * ONBUILD RUN uv sync --locked      ->  reported: the trigger runs in images built FROM this one;
 *                                        dockmig does not rewrite triggers.
 * CMD uvicorn app:app --reload       ->  reported: only the last CMD of a stage runs; the earlier
 * CMD ["gunicorn", "app:app"]            one is dead text, rewritten like the other but kept.
 *
 * RUN ["pip", "install", "."] # deps  ->  warned: not JSON, so /bin/sh -c runs `[pip,` and the
 *                                        build stops there.
 * RUN [ -z "$X" || uv sync            ->  warned: the test has no closing `]`; sh rejects it.
 *
 * Nothing is fixed here: these are constructs whose meaning dockmig does not decide for a team.
 * The other transforms still apply what is safe around them. An ONBUILD trigger or a repeated
 * CMD/ENTRYPOINT is an error, so the run ends with exit code 2 and the file is named for a person
 * to finish; text that Docker accepts and the shell then stops on is a warning (the file is valid,
 * and migrated as Docker reads it).
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
    'does not guess which one the team meant; it names them so a person decides. Text that Docker ' +
    'accepts but the shell then rejects (an array that is not JSON, a `[` test without its `]`) is ' +
    'named too: the build or the start fails there, before and after the migration.',
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
    for (const instr of doc.instructions) {
      const range = { start: instr.start, end: instr.end };
      if (instr.keyword === 'RUN' && instr.jsonInvalid) {
        findings.push({
          message: `RUN ${quoted(doc.logical(instr.argsStart, instr.argsEnd))} is written like an exec-form array but is not valid JSON (double quotes only, nothing after the \`]\`), so Docker runs the text as a shell command (/bin/sh -c) and the build stops there; left as is`,
          range,
          severity: 'warning',
        });
        continue;
      }
      if (!['RUN', 'CMD', 'ENTRYPOINT'].includes(instr.keyword) || instr.json || instr.jsonInvalid)
        continue;
      for (const command of doc.shell(instr).commands) {
        const words = command.words;
        if (words[0]?.value !== '[' || words[words.length - 1].value === ']') continue;
        findings.push({
          message: `${instr.keyword} runs the test ${quoted(doc.logical(command.start, command.end))} without its closing \`]\`, which the shell rejects whatever the values ("[: missing ]"); left as is`,
          range,
          severity: 'warning',
        });
      }
    }
    return findings;
  },
});

/** Shell text quoted in a message, shortened when long. */
function quoted(text: string): string {
  const t = text.trim();
  return `\`${t.length > 60 ? `${t.slice(0, 57)}...` : t}\``;
}
