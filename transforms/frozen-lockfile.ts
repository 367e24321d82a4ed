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
import { assignments, unreadableUvCall, uvSettings } from '../src/core/uv.js';
import type { Doc, Instr } from '../src/core/document.js';
import type { ShellCommand } from '../src/core/shell.js';
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
    const settingFixes = new Set<number>();
    for (const instr of doc.instructions) {
      if (instr.keyword !== 'RUN') continue;
      const env = doc.runEnv(instr);
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
        const unreadable = unreadableUvCall(command.words);
        if (unreadable && command.words[1].value === 'sync') {
          findings.push({
            message: `${unreadable.raw} sync may be uv sync, but the value of ${unreadable.raw} cannot be told here; its flags are left as they are`,
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
        // Settings given as environment count as the flags they stand for.
        const settings = uvSettings(env, assignments(command.assigns));
        const byEnv = want === '--frozen' ? settings.frozen : settings.locked;
        const otherByEnv = want === '--frozen' ? settings.locked : settings.frozen;
        if (wrong) {
          edits.push({ start: wrong.start, end: wrong.end, text: want });
          changes.push(`${other} -> ${want}`);
        } else if (otherByEnv && !has(want)) {
          // uv refuses --frozen beside UV_LOCKED=1 (and the reverse): the setting itself changes.
          const setting = otherSetting(
            doc,
            instr,
            command,
            want === '--frozen' ? 'UV_LOCKED' : 'UV_FROZEN',
          );
          if (!setting) {
            findings.push({
              message: `uv sync is ${other.slice(2)} by a setting this file does not make (a build argument or the base image); left as is`,
              range,
              severity: 'warning',
            });
            continue;
          }
          if (!settingFixes.has(setting.start)) {
            settingFixes.add(setting.start);
            edits.push({ ...setting, text: want === '--frozen' ? 'UV_FROZEN' : 'UV_LOCKED' });
            changes.push(`${setting.name} -> ${want === '--frozen' ? 'UV_FROZEN' : 'UV_LOCKED'}`);
          }
        } else if (!has(want) && !byEnv) {
          edits.push({ start: sync.subcommand.end, end: sync.subcommand.end, text: ` ${want}` });
          changes.push(`${want} added`);
        }
        if (
          !has('--no-dev') &&
          !has('--only-group') &&
          !has('--no-default-groups') &&
          !settings.noDev
        ) {
          const after = wrong ?? has(want);
          if (after) edits.push({ start: after.end, end: after.end, text: ' --no-dev' });
          else if (edits.length > 0 && edits[edits.length - 1].start === sync.subcommand.end)
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

/**
 * Where the setting `name` is made for this command: an assignment on the command line, else the
 * ENV of the stage that sets it; the range is the name. Null when the file does not set it.
 */
function otherSetting(
  doc: Doc,
  instr: Instr,
  command: ShellCommand,
  name: string,
): { name: string; start: number; end: number } | null {
  const inline = command.assigns.find((w) => w.raw.startsWith(`${name}=`));
  if (inline) return { name, start: inline.start, end: inline.start + name.length };
  const v = doc.scope(instr).get(name);
  if (!v || v.kind !== 'env') return null;
  const p = doc.properties(v.instr).find((q) => q.name === name);
  if (!p) return null;
  const at = doc.text.lastIndexOf(name, p.valueStart);
  return at >= v.instr.start ? { name, start: at, end: at + name.length } : null;
}

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
