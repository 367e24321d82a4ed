/**
 * Poetry, as the model reads it: every `poetry install` of a stage (by any path, `python -m
 * poetry`) with its flags, how Poetry itself gets into the image (`pip install poetry==X`, the
 * official installer script `curl -sSL https://install.python-poetry.org | python3 -`), and where
 * it installs: a venv of its own (in the cache, or `<project>/.venv` with
 * POETRY_VIRTUALENVS_IN_PROJECT), or the Python that runs it when `virtualenvs.create` is false.
 *
 * `poetryProject` answers the engine's question: is this a Poetry project whose install can go into
 * `<app dir>/.venv`, so that the stage split and the runtime hardening apply?
 */
import type { Doc, Instr, Stage } from './document.js';
import { exportedIntoVenv, toolPipInstall, venvLayout } from './pip.js';
import type { ShellCommand } from './shell.js';
import type { ProjectContext } from './types.js';
import { uvNamed } from './uv-presence.js';
import { readOptions, type PipOption } from './venv.js';

/** `poetry install` options that take a separate value. */
const VALUED = new Set([
  '--with',
  '--without',
  '--only',
  '-E',
  '--extras',
  '-C',
  '--directory',
  '-P',
  '--project',
]);

export interface PoetryInstall {
  instr: Instr;
  command: ShellCommand;
  /** Index of the `install` word in `command.words`. */
  at: number;
  options: PipOption[];
  /** `--no-root`: the dependencies only. */
  noRoot: boolean;
  /** `--only-root`: the project only. */
  onlyRoot: boolean;
}

/** The word index after `poetry` (or `python -m poetry`), or -1 when the command is not Poetry. */
function poetryStart(values: (string | null)[]): number {
  if (/(^|\/)poetry$/.test(values[0] ?? '')) return 1;
  if (/(^|\/)python[0-9.]*$/.test(values[0] ?? '') && values[1] === '-m' && values[2] === 'poetry')
    return 3;
  return -1;
}

/** Poetry's subcommand in a command (`install`, `config`, `run`...) and where it is; null when not Poetry. */
export function poetrySubcommand(
  values: (string | null)[],
): { at: number; name: string | null } | null {
  const start = poetryStart(values);
  if (start < 0) return null;
  let at = start;
  while (at < values.length && values[at]?.startsWith('-')) at += VALUED.has(values[at]!) ? 2 : 1;
  return { at, name: values[at] ?? null };
}

/** Every `poetry install` in the RUNs of a stage. */
export function poetryInstalls(doc: Doc, stage: Stage): PoetryInstall[] {
  const out: PoetryInstall[] = [];
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN') continue;
    for (const command of doc.shell(instr).commands) {
      const sub = poetrySubcommand(command.words.map((w) => w.value));
      if (sub?.name !== 'install') continue;
      const options = readOptions(command.words, sub.at + 1, VALUED).options;
      const names = options.map((o) => o.name);
      out.push({
        instr,
        command,
        at: sub.at,
        options,
        noRoot: names.includes('--no-root'),
        onlyRoot: names.includes('--only-root'),
      });
    }
  }
  return out;
}

/** `poetry config virtualenvs.create false` (or `0`) in a RUN of the stage. */
export function poetryConfigNoVenv(doc: Doc, stage: Stage): Instr | null {
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN') continue;
    for (const command of doc.shell(instr).commands) {
      const values = command.words.map((w) => w.value);
      const sub = poetrySubcommand(values);
      if (sub?.name !== 'config') continue;
      const rest = values.slice(sub.at + 1).filter((v) => !v?.startsWith('-'));
      if (rest[0] === 'virtualenvs.create' && /^(false|0)$/i.test(rest[1] ?? '')) return instr;
    }
  }
  return null;
}

/** The official installer script, piped into Python. */
export interface PoetryInstaller {
  instr: Instr;
  /** The pipeline (`curl -sSL https://install.python-poetry.org | python3 -`) in the text. */
  start: number;
  end: number;
  /**
   * The release it installs, as it can be written into `poetry==`: `--version X`, a
   * `POETRY_VERSION=X` before python, or `$POETRY_VERSION` from the ENV or ARG in scope (the
   * installer reads it); null for the latest.
   */
  version: string | null;
  /** Why it cannot be replaced by a pinned pip install; null when it can. */
  why: string | null;
}

const INSTALLER_URL = /install\.python-poetry\.org|python-poetry\/(poetry|install)|get-poetry\.py/;

/** The official installer script (`curl -sSL https://install.python-poetry.org | python3 -`), or null. */
export function poetryInstallerScript(doc: Doc, stage: Stage): PoetryInstaller | null {
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN') continue;
    for (const statement of doc.shell(instr).statements) {
      const download = statement.commands.findIndex(
        (c) =>
          /(^|\/)(curl|wget)$/.test(c.words[0]?.value ?? '') &&
          c.words.some((w) => INSTALLER_URL.test(w.value ?? w.raw)),
      );
      if (download < 0) continue;
      const found = { instr, start: statement.start, end: statement.end, version: null };
      const python = statement.commands[download + 1];
      const values = python?.words.map((w) => w.value) ?? [];
      if (
        statement.commands.length !== 2 ||
        !/(^|\/)python[0-9.]*$/.test(values[0] ?? '') ||
        values[1] !== '-'
      )
        return {
          ...found,
          why: 'the installer script is not piped straight into python, so what it installs cannot be told',
        };
      const rest = values.slice(2);
      const odd = rest.find(
        (v, i) => v === null || (v !== '--version' && rest[i - 1] !== '--version'),
      );
      if (odd !== undefined)
        return {
          ...found,
          why: `the installer script is given ${odd ?? 'a variable'}, which a pip install cannot say`,
        };
      const flag = rest.indexOf('--version');
      const assigned = python.assigns.find((a) => a.value?.startsWith('POETRY_VERSION='));
      const version =
        flag >= 0
          ? rest[flag + 1]!
          : assigned
            ? assigned.value!.slice('POETRY_VERSION='.length)
            : doc.scope(instr).has('POETRY_VERSION')
              ? '$POETRY_VERSION'
              : null;
      return { ...found, version, why: null };
    }
  }
  return null;
}

/**
 * The Poetry release that wrote the lockfile: 1 or 2, or null when it cannot be told. The header
 * names it (`@generated by Poetry 1.8.5`); otherwise `[metadata] lock-version` 2.1 is Poetry 2's
 * (Poetry 1.3 to 1.8 wrote 2.0, older ones 1.x).
 */
export function poetryLockMajor(lock: string | null | undefined): 1 | 2 | null {
  if (!lock) return null;
  const header = /@generated by Poetry (\d+)\./.exec(lock);
  if (header) return header[1] === '1' ? 1 : 2;
  const version = /^lock-version\s*=\s*"(\d+)\.(\d+)"/m.exec(lock);
  if (!version) return null;
  return Number(version[1]) > 2 || (version[1] === '2' && Number(version[2]) >= 1) ? 2 : 1;
}

/**
 * `virtualenvs.create` and `virtualenvs.in-project` as the stage's ENV sets them, or a `poetry
 * config virtualenvs.in-project true` run before the first install.
 */
export function poetryEnv(doc: Doc, stage: Stage): { noVenv: Instr | null; inProject: boolean } {
  const scope = doc.stageScope(stage);
  const create = scope.get('POETRY_VIRTUALENVS_CREATE');
  const inProject = scope.get('POETRY_VIRTUALENVS_IN_PROJECT');
  return {
    noVenv: create && /^(false|0)$/i.test(create.value ?? '') ? create.instr : null,
    inProject:
      (inProject !== undefined && /^(true|1)$/i.test(inProject.value ?? '')) ||
      configuredInProject(doc, stage),
  };
}

/** `poetry config virtualenvs.in-project true` before the first `poetry install` of the stage. */
function configuredInProject(doc: Doc, stage: Stage): boolean {
  const first = poetryInstalls(doc, stage)[0];
  if (!first) return false;
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN' || instr.index > first.instr.index) continue;
    for (const command of doc.shell(instr).commands) {
      if (instr === first.instr && command.start >= first.command.start) break;
      const values = command.words.map((w) => w.value);
      const sub = poetrySubcommand(values);
      if (sub?.name !== 'config') continue;
      const rest = values.slice(sub.at + 1).filter((v) => !v?.startsWith('-'));
      if (rest[0] === 'virtualenvs.in-project' && /^(true|1)$/i.test(rest[1] ?? '')) return true;
    }
  }
  return false;
}

/**
 * The Poetry release the builder installs once Poetry is pinned: what the pip install or the
 * installer script names (`poetry==1.1.15`, `"poetry==$POETRY_VERSION"` read through ENV and ARG,
 * `--version`), `unpinned` when it names none (the pin dockmig adds), or why it cannot be told (an
 * ARG without a default, a range such as `poetry<2`).
 */
export function poetryRelease(
  doc: Doc,
  stage: Stage,
  unpinned: string,
): { version: string } | { why: string } {
  const script = poetryInstallerScript(doc, stage);
  let written: string | null = null;
  let instr: Instr | null = null;
  if (script) {
    written = script.version;
    instr = script.instr;
  } else {
    const pip = toolPipInstall(doc, stage, 'poetry', true);
    const spec = pip?.command.words
      .slice(pip.at + 1)
      .map((w) => w.value ?? w.raw.replace(/^["']|["']$/g, ''))
      .find((v) => /^poetry(\[[^\]]*\])?([<>=!~;@ ]|$)/i.test(v));
    if (!pip || spec === undefined) return { why: 'how Poetry gets into the image cannot be told' };
    instr = pip.instr;
    const rest = spec.replace(/^poetry(\[[^\]]*\])?\s*/i, '');
    if (rest === '') written = null;
    else if (/^===?[^,;<>=!~]+$/.test(rest)) written = rest.replace(/^===?/, '');
    else return { why: `Poetry is installed as ${spec}, a range rather than one release` };
  }
  if (written === null) return { version: unpinned };
  const resolved = doc.expand(written, doc.scope(instr));
  if (!resolved.exact || resolved.value === '')
    return {
      why: `Poetry's release comes from ${written}, which has no value in the Dockerfile (a --build-arg sets it)`,
    };
  return { version: resolved.value };
}

/** Whether a Poetry release has dependency groups (`--only`, `--without`, `--only-root`): 1.2 and later. */
export function poetryHasGroups(version: string): boolean | null {
  const m = /^v?(\d+)(?:\.(\d+))?/.exec(version);
  if (!m) return null;
  const major = Number(m[1]);
  return major > 1 || (major === 1 && Number(m[2] ?? 0) >= 2);
}

export type PoetryProject =
  | { kind: 'none' }
  | { kind: 'blocked'; why: string; instr: Instr }
  | {
      kind: 'ready';
      stage: Stage;
      app: string;
      installs: PoetryInstall[];
      /** The lockfile's Poetry major release, null when there is no lockfile or it cannot be told. */
      lockMajor: 1 | 2 | null;
    };

/**
 * Whether the project is one for the Poetry venv layout: not a uv project, a Poetry project that
 * runs `poetry install` in its one stage, and nothing that ties the packages to another Python.
 */
export function poetryProject(doc: Doc, ctx: ProjectContext): PoetryProject {
  if (uvNamed(doc)) return { kind: 'none' };
  if (!ctx.pyproject?.poetry && !ctx.hasPoetryLock) return { kind: 'none' };
  if (doc.stages.length !== 1) return { kind: 'none' };
  const stage = doc.stages[0];
  const installs = poetryInstalls(doc, stage);
  if (installs.length === 0) return { kind: 'none' };
  const blocked = (instr: Instr, why: string): PoetryProject => ({ kind: 'blocked', why, instr });
  const config = poetryConfigNoVenv(doc, stage);
  if (config)
    return blocked(
      config,
      '`poetry config virtualenvs.create false` makes Poetry install into the Python that runs it (the system one here), which a runtime stage does not receive; which venv is meant is for a person to say',
    );
  const script = poetryInstallerScript(doc, stage);
  if (script?.why) return blocked(script.instr, script.why);
  const byPath = installs.find((i) => i.command.words[0].value?.includes('/'));
  if (script && byPath)
    return blocked(
      byPath.instr,
      `${byPath.command.words[0].value} is where the installer script puts Poetry; a pinned pip install would put it elsewhere`,
    );
  if (!script && !toolPipInstall(doc, stage, 'poetry', true))
    return blocked(installs[0].instr, 'how Poetry gets into the image cannot be told');
  const dir = venvLayout(doc, stage, 'a base image for others to build on');
  if ('why' in dir) return blocked(stage.from, dir.why);
  const scope = doc.stageScope(stage);
  for (const name of ['VIRTUAL_ENV', 'POETRY_VIRTUALENVS_PATH', 'POETRY_HOME']) {
    const set = scope.get(name);
    if (set && name !== 'POETRY_HOME')
      return blocked(
        set.instr,
        `${name} is set, so Poetry's venv is not ${dir.dir}/.venv; moving it is not done yet`,
      );
  }
  for (const instr of stage.instructions.filter(
    (i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT',
  )) {
    const text = doc.logical(instr.argsStart, instr.argsEnd);
    if (/(^|[\s"/])poetry["\s,]+install\b/.test(text))
      return blocked(
        instr,
        `${instr.keyword} installs packages at start; they belong in the build`,
      );
  }
  const directory = installs.find((i) =>
    i.options.some((o) => ['-C', '--directory', '-P', '--project'].includes(o.name)),
  );
  if (directory)
    return blocked(
      directory.instr,
      'poetry install works on another directory than the app directory',
    );
  const user = stage.instructions.find(
    (i) =>
      i.keyword === 'USER' &&
      i.index < installs[0].instr.index &&
      !/^(root|0)(:(root|0))?$/.test(doc.logical(i.argsStart, i.argsEnd).trim()),
  );
  if (user)
    return blocked(user, 'a non-root USER runs poetry install, and may not own the app directory');
  return {
    kind: 'ready',
    stage,
    app: dir.dir,
    installs,
    lockMajor: poetryLockMajor(ctx.poetryLock),
  };
}

/**
 * Poetry installs the stage's packages into `<app dir>/.venv` (POETRY_VIRTUALENVS_IN_PROJECT, no
 * `virtualenvs.create false`), the venv a runtime stage would receive: the stage is a builder like
 * one that syncs, and Poetry itself (in the system Python) stays behind.
 */
export function poetryInstallsIntoVenv(doc: Doc, stage: Stage): boolean {
  if (exportedIntoVenv(doc, stage, 'poetry')) return true;
  if (poetryInstalls(doc, stage).length === 0) return false;
  const env = poetryEnv(doc, stage);
  if (!env.inProject || env.noVenv || poetryConfigNoVenv(doc, stage)) return false;
  const app = doc.appDir(stage).dir;
  return app !== null && doc.venvDir(stage) === `${app}/.venv`;
}

/** An ENV that only configures Poetry (`POETRY_*`): the runtime, which has no Poetry, does not need it. */
export function onlyPoetrySettings(doc: Doc, instr: Instr): boolean {
  if (instr.keyword !== 'ENV') return false;
  const props = doc.properties(instr);
  return props.length > 0 && props.every((p) => p.name.startsWith('POETRY_'));
}
