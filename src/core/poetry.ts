/**
 * Poetry, as the model reads it: every `poetry install` of a stage (by any path, `python -m
 * poetry`) with its flags, how Poetry itself gets into the image (`pip install poetry==X`, the
 * official installer script `curl -sSL https://install.python-poetry.org | python3 -`), and where
 * it installs: a venv of its own (in the cache, or `<project>/.venv` with
 * POETRY_VIRTUALENVS_IN_PROJECT), or the Python that runs it when `virtualenvs.create` is false.
 *
 * `poetryProject` answers the engine's question: is this a Poetry project whose install can go into
 * `<app dir>/.venv`, so that the stage split and the runtime hardening apply? A stage that turns
 * `virtualenvs.create` off can, once the setting is taken out (`poetryVenvOff`), unless something
 * relies on the packages being in the system Python.
 */
import { isUnder, type Copy, type Doc, type Instr, type Stage } from './document.js';
import { baseImageOf, isPythonImage, parseImageRef, parsePythonTag } from './images.js';
import { exportedIntoVenv, pipInstalls, toolPipInstall, venvLayout } from './pip.js';
import type { ShellCommand, ShellStatement } from './shell.js';
import { execWords } from './command.js';
import { POETRY_VALUED } from './exports.js';
import type { Edit, ProjectContext } from './types.js';
import { uvNamed } from './uv-presence.js';
import { readOptions, type PipOption } from './venv.js';

/** `poetry install` options that take a separate value. */
const VALUED = new Set(POETRY_VALUED);

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

/** Where `virtualenvs.create` is turned off, and the edit that takes the setting away. */
export interface PoetryVenvOff {
  instr: Instr;
  /** `poetry config virtualenvs.create false`, or the POETRY_VIRTUALENVS_CREATE it is set by. */
  written: string;
  removal: Edit;
  /** For an ENV property written `NAME=value`: the edit that makes it POETRY_VIRTUALENVS_IN_PROJECT=true. */
  replacement: Edit | null;
}

/**
 * What turns Poetry's own venv off in a stage, so that it installs into the Python that runs it:
 * `poetry config virtualenvs.create false` (or `0`) in a RUN, POETRY_VIRTUALENVS_CREATE=false by ENV
 * or ARG, or assigned before `poetry install`. Each setting comes with the edit that drops it: the
 * command from its list, the property from its ENV, the instruction when it holds nothing else.
 * `why` says when what the stage sets cannot be told (a variable) or the setting cannot be taken
 * out alone (inside a pipeline or a condition).
 */
export function poetryVenvOff(
  doc: Doc,
  stage: Stage,
): { settings: PoetryVenvOff[]; blocked: { instr: Instr; why: string } | null } {
  const settings: PoetryVenvOff[] = [];
  const fail = (instr: Instr, why: string) => ({ settings, blocked: { instr, why } });
  const scope = doc.stageScope(stage);
  const variable = scope.get('POETRY_VIRTUALENVS_CREATE');
  if (variable && !variable.exact)
    return fail(
      variable.instr,
      `POETRY_VIRTUALENVS_CREATE comes from ${variable.value}, which has no value in the Dockerfile (a --build-arg sets it), so whether Poetry makes a venv at all cannot be told`,
    );
  if (variable && OFF.test(variable.value))
    for (const instr of stage.instructions) {
      if (instr.keyword !== 'ENV' && instr.keyword !== 'ARG') continue;
      const props = doc.properties(instr);
      const at = props.findIndex((p) => p.name === 'POETRY_VIRTUALENVS_CREATE');
      if (at < 0) continue;
      const removal = dropProperty(doc, instr, props, at);
      if (!removal)
        return fail(
          instr,
          'POETRY_VIRTUALENVS_CREATE is set in a form whose property cannot be taken out alone',
        );
      const { valueStart, valueEnd, name } = props[at];
      const named = valueStart - name.length - 1;
      settings.push({
        instr,
        written: `${instr.keyword} POETRY_VIRTUALENVS_CREATE=${props[at].written ?? ''}`,
        removal,
        replacement:
          instr.keyword === 'ENV' && doc.text.slice(named, valueStart) === `${name}=`
            ? { start: named, end: valueEnd, text: 'POETRY_VIRTUALENVS_IN_PROJECT=true' }
            : null,
      });
    }
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN') continue;
    const statements = doc.shell(instr).statements;
    const found: { statement: ShellStatement; written: string }[] = [];
    for (const statement of statements)
      for (const command of statement.commands) {
        const values = command.words.map((w) => w.value);
        const inline = command.assigns.find((a) =>
          (a.value ?? a.raw).startsWith('POETRY_VIRTUALENVS_CREATE='),
        );
        if (inline && poetryStart(values) >= 0) {
          const value = inline.value?.slice('POETRY_VIRTUALENVS_CREATE='.length) ?? null;
          if (value === null)
            return fail(
              instr,
              `POETRY_VIRTUALENVS_CREATE is given to ${values
                .filter((v) => v !== null)
                .slice(0, 2)
                .join(' ')} from a variable, so whether Poetry makes a venv at all cannot be told`,
            );
          if (OFF.test(value)) {
            const next = command.words[0] ?? null;
            settings.push({
              instr,
              written: inline.raw,
              removal: { start: inline.start, end: next ? next.start : inline.end, text: '' },
              replacement: null,
            });
          }
        }
        const sub = poetrySubcommand(values);
        if (sub?.name !== 'config') continue;
        const rest = values.slice(sub.at + 1).filter((v) => !v?.startsWith('-'));
        if (rest[0] === null)
          return fail(
            instr,
            'poetry config is given a setting from a variable, which may turn virtualenvs.create off',
          );
        // Reading the setting, or resetting it to the default, leaves Poetry's venv as it is.
        if (rest[0] !== 'virtualenvs.create' || rest[1] === undefined || values.includes('--unset'))
          continue;
        if (rest[1] === null)
          return fail(
            instr,
            '`poetry config virtualenvs.create` is given a variable, so whether Poetry makes a venv at all cannot be told',
          );
        if (!OFF.test(rest[1])) continue;
        const written = values.filter((v) => v !== null).join(' ');
        if (statement.commands.length !== 1 || !removable(statements, statement))
          return fail(
            instr,
            `\`${written}\` is part of a pipeline or condition it cannot be taken out of alone`,
          );
        found.push({ statement, written });
      }
    if (found.length === 0) continue;
    const alone = found.length === statements.length;
    found.forEach(({ statement, written }, i) =>
      settings.push({
        instr,
        written,
        replacement: null,
        removal: alone
          ? i === 0
            ? doc.remove(instr, true)
            : { start: instr.start, end: instr.start, text: '' }
          : { start: statement.removal.start, end: statement.removal.end, text: '' },
      }),
    );
  }
  return { settings: settings.filter((s) => s.removal.start !== s.removal.end), blocked: null };
}

const OFF = /^(false|0)$/i;

/**
 * Whether anything but Poetry runs after the first install (`poetry install && python manage.py
 * collectstatic`, a later RUN): with `virtualenvs.create` off it found the packages in the Python on
 * PATH.
 */
export function runsAfterInstall(doc: Doc, stage: Stage, first: PoetryInstall): boolean {
  return stage.instructions.some(
    (instr) =>
      instr.keyword === 'RUN' &&
      instr.index >= first.instr.index &&
      doc
        .shell(instr)
        .commands.some(
          (c) =>
            (instr !== first.instr || c.start > first.command.start) &&
            c.words.length > 0 &&
            poetryStart(c.words.map((w) => w.value)) < 0,
        ),
  );
}

/** A statement joined to its neighbours by `&&`, `;` or a newline: dropping it leaves the rest as it ran. */
function removable(statements: ShellStatement[], statement: ShellStatement): boolean {
  const i = statements.indexOf(statement);
  const before = i > 0 ? statements[i - 1].next : null;
  return [before, statement.next].every(
    (op) => op === null || op === '&&' || op === ';' || op === '\n',
  );
}

/**
 * The edit that takes property `at` out of an ENV or ARG: the whole instruction when it is the only
 * one, else the property with the separator before it (after it, for the first). Null for the
 * `ENV NAME value` form, which holds one property only.
 */
function dropProperty(
  doc: Doc,
  instr: Instr,
  props: ReturnType<Doc['properties']>,
  at: number,
): Edit | null {
  if (props.length === 1) return doc.remove(instr, true);
  const start = (p: (typeof props)[number]) => {
    const from =
      p.written === null ? p.valueStart - p.name.length : p.valueStart - p.name.length - 1;
    return doc.text.slice(from, from + p.name.length) === p.name ? from : -1;
  };
  if (props.some((p) => start(p) < 0)) return null;
  return at === 0
    ? { start: start(props[0]), end: start(props[1]), text: '' }
    : { start: props[at - 1].valueEnd, end: props[at].valueEnd, text: '' };
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

/** A word that names Poetry where the installer script put it, and the edit that names it by PATH. */
export interface InstallerPathCall {
  instr: Instr;
  written: string;
  edit: Edit;
  /** `ln -s <place> /usr/local/bin/poetry`, which only put Poetry on PATH: taken out. */
  link?: boolean;
}

/** Where a link that only puts the installer's Poetry on PATH points from. */
const PATH_LINK = /^\/(usr\/local\/|usr\/)?bin(\/|\/poetry)?$/;

/**
 * The commands that call Poetry by the place the installer script put it (`/root/.local/bin/poetry
 * install`, `CMD ["/root/.local/bin/poetry", "run", ...]`, `$POETRY_HOME/bin/poetry`, the old
 * installer's `~/.poetry/bin/poetry`): a pinned pip install puts it in the Python's bin directory,
 * on PATH, so each becomes plain `poetry`. `why` when the stage names that place anywhere else
 * (`ln -s /root/.local/bin/poetry ...`, inside an `sh -c` string), which no word edit can follow.
 */
export function installerPathCalls(
  doc: Doc,
  stage: Stage,
  script: PoetryInstaller,
): { calls: InstallerPathCall[]; why: string | null } {
  const home = doc.scope(script.instr).get('POETRY_HOME');
  const homes = [
    String.raw`(?:/root|\$\{?HOME\}?|~)/\.local`,
    String.raw`(?:/root|\$\{?HOME\}?|~)/\.poetry`,
    String.raw`\$\{?POETRY_HOME\}?`,
  ];
  if (home?.exact && home.value.startsWith('/'))
    homes.push(home.value.replace(/\/+$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const place = `(?:${homes.join('|')})/bin/poetry`;
  const whole = new RegExp(`^${place}$`);
  const anywhere = new RegExp(`(?:^|[^\\w.$/-])${place}(?![\\w.-])`, 'g');
  const calls: InstallerPathCall[] = [];
  let mentions = 0;
  for (const instr of stage.instructions) {
    if (!['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'ENV', 'ARG', 'SHELL'].includes(instr.keyword))
      continue;
    mentions += [...doc.logical(instr.argsStart, instr.argsEnd).matchAll(anywhere)].length;
    if (instr.keyword === 'RUN' && !instr.json) {
      const statements = doc.shell(instr).statements;
      for (const statement of statements) {
        const values = statement.commands[0]?.words.map((w) => w.value) ?? [];
        const raws = statement.commands[0]?.words.map((w) => w.raw) ?? [];
        const operands = raws.slice(1).filter((w) => !w.startsWith('-'));
        const options = values.slice(1).filter((v) => v?.startsWith('-'));
        if (
          statement.commands.length !== 1 ||
          values[0] !== 'ln' ||
          !options.every((o) => /^-[sfnv]+$/.test(o ?? '')) ||
          operands.length !== 2 ||
          !whole.test(operands[0].replace(/^(["'])(.*)\1$/, '$2')) ||
          !PATH_LINK.test(operands[1]) ||
          !removable(statements, statement)
        )
          continue;
        const alone = statements.length === 1;
        calls.push({
          instr,
          written: raws.join(' '),
          link: true,
          edit: alone
            ? doc.remove(instr, true)
            : { start: statement.removal.start, end: statement.removal.end, text: '' },
        });
      }
    }
    if (instr.keyword === 'RUN' || instr.keyword === 'CMD' || instr.keyword === 'ENTRYPOINT') {
      const firsts = instr.json
        ? (execWords(doc, instr)?.slice(0, 1) ?? [])
        : doc.shell(instr).commands.flatMap((c) => c.words.slice(0, 1));
      for (const word of firsts) {
        const raw = doc.text.slice(word.start, word.end);
        const value = instr.json ? word.value : raw.replace(/^(["'])(.*)\1$/, '$2');
        if (value === null || !whole.test(value)) continue;
        calls.push({
          instr,
          written: value,
          edit: { start: word.start, end: word.end, text: instr.json ? '"poetry"' : 'poetry' },
        });
      }
    }
  }
  if (mentions > calls.length) {
    const other = stage.instructions.find(
      (i) =>
        [...doc.logical(i.argsStart, i.argsEnd).matchAll(anywhere)].length >
        calls.filter((c) => c.instr === i).length,
    )!;
    const named = new RegExp(place).exec(doc.logical(other.argsStart, other.argsEnd))![0];
    return {
      calls,
      why: `${other.keyword} names ${named}, where the installer script puts Poetry, other than as the program it runs; a pinned pip install puts Poetry in the Python's bin directory, and that use cannot be rewritten to follow it`,
    };
  }
  return { calls, why: null };
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
 * `virtualenvs.in-project` as the stage's ENV sets it, or a `poetry config virtualenvs.in-project
 * true` run before the first install.
 */
export function poetryEnv(doc: Doc, stage: Stage): { inProject: boolean } {
  const inProject = doc.stageScope(stage).get('POETRY_VIRTUALENVS_IN_PROJECT');
  return {
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

/** The oldest Python each line of Poetry releases runs on, newest line first. */
const POETRY_PYTHON: { from: string; python: number; newest: string }[] = [
  { from: '2.0', python: 9, newest: '' },
  { from: '1.6', python: 8, newest: '1.8.5' },
  { from: '1.2', python: 7, newest: '1.5.1' },
  { from: '0', python: 0, newest: '1.1.15' },
];

/**
 * The Poetry release to pin where the file names none: `configured`, unless the builder's Python
 * (the minor its FROM names) is older than that release supports, then the newest release that
 * runs on it (Poetry 2 needs 3.9, 1.6 to 1.8 need 3.8, 1.2 to 1.5 need 3.7), with the reason.
 */
export function poetryForPython(
  doc: Doc,
  stage: Stage,
  configured: string,
): { version: string; why: string | null } {
  const image = baseImageOf(doc, stage);
  const ref = image === null ? null : parseImageRef(image);
  const python = ref && isPythonImage(ref) ? parsePythonTag(ref.tag).python : null;
  const m = /^3\.(\d+)$/.exec(python ?? '');
  if (!m) return { version: configured, why: null };
  const minor = Number(m[1]);
  const line = (v: string) => POETRY_PYTHON.find((l) => !olderThan(v, l.from))!;
  if (minor >= line(configured).python) return { version: configured, why: null };
  const fits = POETRY_PYTHON.find((l) => l.newest !== '' && minor >= l.python)!;
  return {
    version: fits.newest,
    why: `Poetry ${configured} needs Python 3.${line(configured).python} or newer and the builder has ${python}; ${fits.newest} is the newest release that runs on it`,
  };
}

/** Whether release `a` comes before `b` (numeric parts compared in order). */
function olderThan(a: string, b: string): boolean {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  return false;
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
      /** Where `virtualenvs.create` is turned off: taken away for the in-project venv. */
      venvOff: PoetryVenvOff[];
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
  const off = poetryVenvOff(doc, stage);
  if (off.blocked) return blocked(off.blocked.instr, off.blocked.why);
  const script = poetryInstallerScript(doc, stage);
  if (script?.why) return blocked(script.instr, script.why);
  const byPath = script ? installerPathCalls(doc, stage, script) : null;
  if (script && byPath?.why) return blocked(script.instr, byPath.why);
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
  const outside = projectOutside(doc, stage, dir.dir, installs[0].instr);
  if (outside)
    return blocked(
      outside.instr,
      `pyproject.toml is copied to ${outside.target}, outside the app directory ${dir.dir}: Poetry's project, and a venv in it, would be there, which a runtime stage receiving the app directory does not get`,
    );
  if (off.settings.length > 0) {
    const system = systemPythonAfter(doc, stage, installs[0].instr);
    if (system) return blocked(system.instr, system.why);
  }
  return {
    kind: 'ready',
    stage,
    app: dir.dir,
    installs,
    lockMajor: poetryLockMajor(ctx.poetryLock),
    venvOff: off.settings,
  };
}

/**
 * A COPY before the first install that puts pyproject.toml outside the app directory, with none
 * put inside it: Poetry looks for the project from the working directory up, so the project (and
 * its in-project venv) would be that other directory.
 */
function projectOutside(
  doc: Doc,
  stage: Stage,
  app: string,
  install: Instr,
): { instr: Instr; target: string } | null {
  const copies = doc
    .copies(stage)
    .filter((c) => c.from === null && c.instr.index < install.index && c.target.exact);
  const names = (c: Copy) => c.sources.some((s) => /(^|\/)pyproject\.toml$/.test(s));
  const inside = (c: Copy) => isUnder(c.target.value.replace(/\/$/, ''), app);
  if (copies.some((c) => inside(c) && (names(c) || c.sources.some((s) => /^\.\/?$/.test(s)))))
    return null;
  const out = copies.find((c) => names(c) && !inside(c));
  return out ? { instr: out.instr, target: out.target.value.replace(/(.)\/$/, '$1') } : null;
}

/**
 * What relies on the system Python holding the project's packages, as `virtualenvs.create false`
 * made it: a pip install of anything but Poetry and pip's own tooling (it would go beside the venv,
 * not into it), or a program named by its place in the system Python (`/usr/local/bin/gunicorn`)
 * after the install or at start, where the venv's programs are not.
 */
function systemPythonAfter(
  doc: Doc,
  stage: Stage,
  install: Instr,
): { instr: Instr; why: string } | null {
  const own = toolPipInstall(doc, stage, 'poetry', true);
  const pip = pipInstalls(doc, stage).find(
    (i) => i.command !== own?.command && !i.tooling && i.target.kind !== 'venv',
  );
  if (pip)
    return {
      instr: pip.instr,
      why: `with \`virtualenvs.create\` off, Poetry and this pip install share the system Python; once Poetry installs into ${doc.appDir(stage).dir}/.venv, what pip installs would be apart from it and not in the runtime stage; which Python it is meant for is for a person to say`,
    };
  // Files the Dockerfile puts in /usr/local/bin itself (an entrypoint script) are still there.
  const copied = new Set(
    doc.copies(stage).flatMap((c) => {
      if (!c.target.exact || !c.target.value.startsWith('/usr/local/bin/')) return [];
      const file = c.target.value.slice('/usr/local/bin/'.length);
      return file === '' ? c.sources.map((s) => s.split('/').pop()!) : [file];
    }),
  );
  for (const instr of stage.instructions) {
    const checked =
      ['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(instr.keyword) ||
      (instr.keyword === 'RUN' && instr.index > install.index);
    if (!checked) continue;
    for (const m of doc.logical(instr.argsStart, instr.argsEnd).matchAll(SYSTEM_PYTHON_PATH)) {
      const name = m[1];
      // The interpreter is in the runtime image too: a health check's standard library call works.
      if (
        name &&
        (copied.has(name) ||
          name.endsWith('.sh') ||
          (instr.keyword === 'HEALTHCHECK' && /^python[\d.]*$/.test(name)))
      )
        continue;
      return {
        instr,
        why: `${instr.keyword} names ${m[0]}, where \`virtualenvs.create\` off put the project's programs and packages; in the venv they are elsewhere, and the runtime stage has the image's Python without them`,
      };
    }
  }
  return null;
}

/** A program or the packages of the image's Python (`/usr/local`), named by path. */
const SYSTEM_PYTHON_PATH = /\/usr\/local\/(?:bin\/([\w.-]+)|lib\/python[\d.]*\/site-packages\b)/g;

/**
 * Poetry installs the stage's packages into `<app dir>/.venv` (POETRY_VIRTUALENVS_IN_PROJECT, no
 * `virtualenvs.create false`), the venv a runtime stage would receive: the stage is a builder like
 * one that syncs, and Poetry itself (in the system Python) stays behind.
 */
export function poetryInstallsIntoVenv(doc: Doc, stage: Stage): boolean {
  if (exportedIntoVenv(doc, stage, 'poetry')) return true;
  if (poetryInstalls(doc, stage).length === 0) return false;
  const env = poetryEnv(doc, stage);
  if (!env.inProject) return false;
  const off = poetryVenvOff(doc, stage);
  if (off.blocked || off.settings.length > 0) return false;
  const app = doc.appDir(stage).dir;
  return app !== null && doc.venvDir(stage) === `${app}/.venv`;
}
