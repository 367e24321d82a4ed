/**
 * Pipenv, as the model reads it: every `pipenv install` / `pipenv sync` of a stage (by any path,
 * `python -m pipenv`) with its flags, the pip install that brings Pipenv itself into the image, and
 * where it installs: the system Python with `--system`, else a venv of its own (in
 * `~/.local/share/virtualenvs`, or `<project>/.venv` with PIPENV_VENV_IN_PROJECT).
 *
 * `pipenvProject` answers the engine's question: is this a Pipenv project whose install can go into
 * `<app dir>/.venv`, so that the stage split and the runtime hardening apply?
 */
import type { Doc, Instr, Stage } from './document.js';
import { exportedIntoVenv, toolPipInstall, venvLayout } from './pip.js';
import type { ShellCommand } from './shell.js';
import type { ProjectContext } from './types.js';
import { uvNamed } from './uv-presence.js';
import { readOptions, type PipOption } from './venv.js';

/** `pipenv install` options that take a separate value. */
const VALUED = new Set([
  '--python',
  '--categories',
  '--extra-pip-args',
  '-r',
  '--requirements',
  '-c',
  '--constraints',
  '--pypi-mirror',
  '-i',
  '--index',
]);

/** Variables that put Pipenv's venv or Pipfile somewhere else than `<app dir>/.venv` and `<app dir>/Pipfile`. */
const ELSEWHERE = ['VIRTUAL_ENV', 'WORKON_HOME', 'PIPENV_CUSTOM_VENV_NAME', 'PIPENV_PIPFILE'];

export interface PipenvInstall {
  instr: Instr;
  command: ShellCommand;
  /** Index of the `install` or `sync` word in `command.words`. */
  at: number;
  subcommand: 'install' | 'sync';
  options: PipOption[];
  /** Packages named on the command line: they would be added to the Pipfile. */
  packages: string[];
}

/** The word index after `pipenv` (or `python -m pipenv`), or -1 when the command is not Pipenv. */
function pipenvStart(values: (string | null)[]): number {
  if (/(^|\/)pipenv$/.test(values[0] ?? '')) return 1;
  if (/(^|\/)python[0-9.]*$/.test(values[0] ?? '') && values[1] === '-m' && values[2] === 'pipenv')
    return 3;
  return -1;
}

/** Every `pipenv install` and `pipenv sync` in the RUNs of a stage. */
export function pipenvInstalls(doc: Doc, stage: Stage): PipenvInstall[] {
  const out: PipenvInstall[] = [];
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN') continue;
    for (const command of doc.shell(instr).commands) {
      const values = command.words.map((w) => w.value);
      const start = pipenvStart(values);
      if (start < 0) continue;
      let at = start;
      while (at < values.length && values[at]?.startsWith('-'))
        at += VALUED.has(values[at]!) ? 2 : 1;
      const name = values[at];
      if (name !== 'install' && name !== 'sync') continue;
      const read = readOptions(command.words, at + 1, VALUED);
      out.push({
        instr,
        command,
        at,
        subcommand: name,
        options: read.options,
        packages: values
          .slice(at + 1)
          .filter(
            (v, i, all): v is string =>
              v !== null && !v.startsWith('-') && !VALUED.has(all[i - 1] ?? ''),
          ),
      });
    }
  }
  return out;
}

/** PIPENV_VENV_IN_PROJECT as the stage's ENV sets it: Pipenv makes `.venv` beside the Pipfile. */
export function pipenvInProject(doc: Doc, stage: Stage): boolean {
  const set = doc.stageScope(stage).get('PIPENV_VENV_IN_PROJECT');
  return set !== undefined && /^(true|1|yes|on)$/i.test(set.value ?? '');
}

export type PipenvProject =
  | { kind: 'none' }
  | { kind: 'blocked'; why: string; instr: Instr }
  | { kind: 'ready'; stage: Stage; app: string; installs: PipenvInstall[] };

/**
 * Whether the project is one for the Pipenv venv layout: not a uv or Poetry project, a Pipfile, a
 * single stage that runs `pipenv install` or `pipenv sync` with Pipenv from pip, and nothing that
 * puts the venv or the Pipfile elsewhere.
 */
export function pipenvProject(doc: Doc, ctx: ProjectContext): PipenvProject {
  if (uvNamed(doc)) return { kind: 'none' };
  if (ctx.pyproject?.poetry || ctx.hasPoetryLock || !ctx.hasPipfile) return { kind: 'none' };
  if (doc.stages.length !== 1) return { kind: 'none' };
  const stage = doc.stages[0];
  const installs = pipenvInstalls(doc, stage);
  if (installs.length === 0) return { kind: 'none' };
  const blocked = (instr: Instr, why: string): PipenvProject => ({ kind: 'blocked', why, instr });
  if (!toolPipInstall(doc, stage, 'pipenv'))
    return blocked(installs[0].instr, 'how Pipenv gets into the image cannot be told');
  const named = installs.find((i) => i.packages.length > 0);
  if (named)
    return blocked(
      named.instr,
      `pipenv install ${named.packages.join(' ')} adds packages to the Pipfile during the build; they belong in the Pipfile and its lock`,
    );
  const other = installs.find((i) =>
    i.options.some((o) => ['--python', '-r', '--requirements', '--site-packages'].includes(o.name)),
  );
  if (other)
    return blocked(
      other.instr,
      'pipenv install is given another Python, a requirements file or the site packages, so what its venv holds cannot be told',
    );
  const dir = venvLayout(doc, stage, 'a base image for others to build on');
  if ('why' in dir) return blocked(stage.from, dir.why);
  const scope = doc.stageScope(stage);
  for (const name of ELSEWHERE) {
    const set = scope.get(name);
    if (set)
      return blocked(
        set.instr,
        `${name} is set, so Pipenv's venv or Pipfile is not in ${dir.dir}; moving it is not done yet`,
      );
  }
  for (const instr of stage.instructions.filter(
    (i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT',
  )) {
    const text = doc.logical(instr.argsStart, instr.argsEnd);
    if (/(^|[\s"/])pipenv["\s,]+(install|sync)\b/.test(text))
      return blocked(
        instr,
        `${instr.keyword} installs packages at start; they belong in the build`,
      );
  }
  const user = stage.instructions.find(
    (i) =>
      i.keyword === 'USER' &&
      i.index < installs[0].instr.index &&
      !/^(root|0)(:(root|0))?$/.test(doc.logical(i.argsStart, i.argsEnd).trim()),
  );
  if (user)
    return blocked(user, 'a non-root USER runs pipenv install, and may not own the app directory');
  return { kind: 'ready', stage, app: dir.dir, installs };
}

/**
 * Pipenv installs the stage's packages into `<app dir>/.venv` (PIPENV_VENV_IN_PROJECT, no
 * `--system`), the venv a runtime stage would receive: the stage is a builder like one that syncs,
 * and Pipenv itself (in the system Python) stays behind.
 */
export function pipenvInstallsIntoVenv(doc: Doc, stage: Stage): boolean {
  if (exportedIntoVenv(doc, stage, 'pipenv')) return true;
  const installs = pipenvInstalls(doc, stage);
  if (installs.length === 0 || !pipenvInProject(doc, stage)) return false;
  if (installs.some((i) => i.options.some((o) => o.name === '--system'))) return false;
  const app = doc.appDir(stage).dir;
  return app !== null && doc.venvDir(stage) === `${app}/.venv`;
}

/**
 * The Pipenv release the builder installs once Pipenv is pinned: what its pip install names
 * (`pipenv==2022.1.8`, `"pipenv==$PIPENV_VERSION"` read through ENV and ARG), `unpinned` when it
 * names none, or why it cannot be told.
 */
export function pipenvRelease(
  doc: Doc,
  stage: Stage,
  unpinned: string,
): { version: string } | { why: string } {
  const pip = toolPipInstall(doc, stage, 'pipenv');
  const spec = pip?.command.words
    .slice(pip.at + 1)
    .map((w) => w.value ?? w.raw.replace(/^["']|["']$/g, ''))
    .find((v) => /^pipenv([<>=!~;@ ]|$)/i.test(v));
  if (!pip || spec === undefined) return { why: 'how Pipenv gets into the image cannot be told' };
  const rest = spec.replace(/^pipenv\s*/i, '');
  if (rest === '') return { version: unpinned };
  if (!/^===?[^,;<>=!~]+$/.test(rest))
    return { why: `Pipenv is installed as ${spec}, a range rather than one release` };
  const resolved = doc.expand(rest.replace(/^===?/, ''), doc.scope(pip.instr));
  if (!resolved.exact || resolved.value === '')
    return {
      why: `Pipenv's release comes from ${rest.replace(/^===?/, '')}, which has no value in the Dockerfile (a --build-arg sets it)`,
    };
  return { version: resolved.value };
}

/** Whether a Pipenv release has `pipenv requirements` and no `lock -r`: 2022.8.13 and later. */
export function pipenvHasRequirements(version: string): boolean | null {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return null;
  const [y, mo, d] = m.slice(1).map(Number);
  return y !== 2022 ? y > 2022 : mo !== 8 ? mo > 8 : d >= 13;
}
