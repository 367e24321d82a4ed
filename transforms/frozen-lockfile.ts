/**
 * RUN uv sync --locked           ->  RUN uv sync --frozen --no-dev
 * RUN uv sync                    ->  RUN uv sync --frozen --no-dev
 * (--lock-flag locked)           ->  RUN uv sync --locked --no-dev
 *
 * Every `uv sync` of a RUN (chains, continuations with comment lines, heredoc bodies). Other
 * flags stay where they are. Not fixed, with the reason: flags from a shell variable, an explicit
 * request for dev dependencies (`--dev`, `--only-dev`, `--group dev`, `--all-groups`).
 * `uv lock` in a build re-resolves the dependencies: reported.
 */
import { defineTransform } from '../src/core/transform.js';
import { isUvCall } from '../src/core/document.js';
import { syncFlags } from '../src/core/uv-sync.js';
import type { Edit, Finding } from '../src/core/types.js';

export default defineTransform({
  id: 'frozen-lockfile',
  title: 'Install exactly the lockfile, without dev dependencies',
  rationale:
    '`uv sync --frozen` installs uv.lock as it is and never re-resolves, so the image holds what ' +
    'was reviewed (organisation standard). Upstream uv recommends `--locked`, which also fails when ' +
    'pyproject.toml and uv.lock disagree: choose it with `--lock-flag locked`. `--no-dev` keeps ' +
    'test and lint tools out of the production image.',
  uvOnly: true,
  detect(doc, _ctx, options) {
    const want = options.lockFlag === 'locked' ? '--locked' : '--frozen';
    const other = want === '--frozen' ? '--locked' : '--frozen';
    const findings: Finding[] = [];
    for (const instr of doc.instructions) {
      if (instr.keyword !== 'RUN') continue;
      const env =
        instr.stage >= 0 ? doc.stageEnv(doc.stages[instr.stage]) : new Map<string, string>();
      for (const command of doc.shell(instr).commands) {
        const range = { start: command.start, end: command.end };
        if (isUvCall(command, 'lock')) {
          findings.push({
            message:
              'uv lock runs during the build and re-resolves the dependencies; commit uv.lock and install it as it is',
            range,
            severity: 'warning',
          });
          continue;
        }
        if (!isUvCall(command, 'sync')) continue;
        const sync = syncFlags(command);
        if (sync.fromVariable) {
          findings.push({
            message: 'uv sync takes flags from a shell variable; left as is',
            range,
            severity: 'warning',
          });
          continue;
        }
        const dev = sync.flags.find(
          (f) =>
            ['--dev', '--only-dev', '--all-groups'].includes(f.name) ||
            (f.name === '--group' && f.value === 'dev'),
        );
        if (dev) {
          findings.push({
            message: `uv sync asks for dev dependencies (${dev.name}${dev.value ? ' ' + dev.value : ''}); left as is, decide whether production needs them`,
            range,
            severity: 'warning',
          });
          continue;
        }
        const edits: Edit[] = [];
        const changes: string[] = [];
        const has = (name: string) => sync.flags.find((f) => f.name === name);
        const wrong = has(other);
        const lockByEnv = env.get(want === '--frozen' ? 'UV_FROZEN' : 'UV_LOCKED');
        if (wrong) {
          edits.push({ start: wrong.start, end: wrong.end, text: want });
          changes.push(`${other} -> ${want}`);
        } else if (!has(want) && !(lockByEnv && lockByEnv !== '0' && lockByEnv !== 'false')) {
          edits.push({ start: sync.subcommand.end, end: sync.subcommand.end, text: ` ${want}` });
          changes.push(`${want} added`);
        }
        if (!has('--no-dev') && !has('--only-group') && !has('--no-default-groups')) {
          const after = wrong ?? has(want);
          if (after) edits.push({ start: after.end, end: after.end, text: ' --no-dev' });
          else if (edits.length > 0)
            edits[edits.length - 1] = {
              ...edits[edits.length - 1],
              text: `${edits[edits.length - 1].text} --no-dev`,
            };
          else
            edits.push({ start: sync.subcommand.end, end: sync.subcommand.end, text: ' --no-dev' });
          changes.push('--no-dev added');
        }
        if (edits.length > 0)
          findings.push({ message: `uv sync: ${changes.join(', ')}`, range, edits: merge(edits) });
      }
    }
    return findings;
  },
});

/** Two insertions at one offset become one edit, in order. */
function merge(edits: Edit[]): Edit[] {
  const out: Edit[] = [];
  for (const e of edits) {
    const prev = out.find(
      (o) => o.start === e.start && o.end === e.end && o.start === o.end && e.start === e.end,
    );
    if (prev) prev.text += e.text;
    else out.push({ ...e });
  }
  return out;
}
