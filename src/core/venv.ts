/**
 * Where a stage's Python packages go when uv pip installs them. `uv pip install` and `uv pip sync`
 * write into the system Python when asked to (`--system`, UV_SYSTEM_PYTHON), else into the virtual
 * environment uv discovers: VIRTUAL_ENV (also set by sourcing an `activate` script), or a `.venv`
 * in the working directory or one of its parents (uv's "Python discovery"). A runtime stage only
 * receives the directories it copies, so the stage split needs to know which one it is.
 */
import {
  isUnder,
  normalizePath,
  PLAIN_PATH,
  type Doc,
  type Instr,
  type Stage,
} from './document.js';
import type { ShellCommand, ShellWord } from './shell.js';
import { assignments, uvCall, uvSettings, type UvCall } from './uv.js';

/** Options of `uv pip install`/`uv pip sync` that take a separate value. */
const PIP_VALUE = new Set([
  '-r',
  '--requirement',
  '--requirements',
  '-c',
  '--constraint',
  '--constraints',
  '--override',
  '--overrides',
  '-b',
  '--build-constraint',
  '--build-constraints',
  '-e',
  '--editable',
  '-p',
  '--python',
  '-t',
  '--target',
  '--prefix',
  '-i',
  '--index-url',
  '--extra-index-url',
  '--index',
  '--default-index',
  '-f',
  '--find-links',
  '--cache-dir',
  '--config-file',
  '--extra',
  '--group',
  '--link-mode',
  '--resolution',
  '--prerelease',
  '--index-strategy',
  '--keyring-provider',
  '--python-platform',
  '--python-version',
  '--exclude-newer',
  '--no-binary',
  '--only-binary',
  '-P',
  '--upgrade-package',
  '--reinstall-package',
  '--refresh-package',
  '-C',
  '--config-setting',
  '--no-build-isolation-package',
  '--torch-backend',
  '--allow-insecure-host',
  '--directory',
  '--project',
  '--color',
]);

/** Options of `uv venv` that take a separate value. */
const VENV_VALUE = new Set([
  '-p',
  '--python',
  '--prompt',
  '--link-mode',
  '-i',
  '--index-url',
  '--extra-index-url',
  '--index',
  '--default-index',
  '-f',
  '--find-links',
  '--index-strategy',
  '--keyring-provider',
  '--exclude-newer',
  '--cache-dir',
  '--config-file',
  '--directory',
  '--project',
  '--color',
  '--allow-insecure-host',
]);

/** Where one uv pip call installs. */
export type PipTarget =
  /** The system Python, asked for by `--system` or UV_SYSTEM_PYTHON (an ENV, an ARG, or `X=1 uv ...`). */
  | { kind: 'system'; by: 'flag' | 'env' | 'arg' | 'assignment' }
  /** A virtual environment; `dir` is null when it cannot be told which. */
  | { kind: 'venv'; dir: string | null }
  /** Somewhere the stage split cannot follow (`--target`, `--python X`), or unknown; `why` says which. */
  | { kind: 'other'; why: string };

export interface PipOption {
  name: string;
  /** The value when literal, null when an expansion or when the option takes none. */
  value: string | null;
  /** The value as written (`$(which python)`), or null when the option takes none. */
  written: string | null;
  /** Index of the option's word in `command.words`; a separate value is the word after it. */
  index: number;
}

export interface UvPipCall {
  instr: Instr;
  command: ShellCommand;
  call: UvCall;
  action: 'install' | 'sync';
  options: PipOption[];
  target: PipTarget;
}

export interface VenvCreation {
  instr: Instr;
  command: ShellCommand;
  /** The directory it creates, absolute, or null when it cannot be told. */
  dir: string | null;
}

/** Every `uv pip install` and `uv pip sync` in the RUNs of a stage, with where it installs. */
export function uvPipCalls(doc: Doc, stage: Stage): UvPipCall[] {
  const out: UvPipCall[] = [];
  const created = venvsCreated(doc, stage);
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN') continue;
    for (const command of doc.shell(instr).commands) {
      const call = uvCall(command.words);
      if (call?.subcommand !== 'pip' || (call.action !== 'install' && call.action !== 'sync'))
        continue;
      const { options, unreadable } = readOptions(command.words, call.sub + 2, PIP_VALUE);
      out.push({
        instr,
        command,
        call,
        action: call.action,
        options,
        target: unreadable
          ? { kind: 'other', why: 'its arguments come from a shell variable' }
          : pipTarget(doc, instr, command, call, options, created),
      });
    }
  }
  return out;
}

/** The virtual environments a stage creates: `uv venv [dir]`, `python -m venv dir`, `virtualenv dir`. */
export function venvsCreated(doc: Doc, stage: Stage): VenvCreation[] {
  const out: VenvCreation[] = [];
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN') continue;
    for (const command of doc.shell(instr).commands) {
      const words = command.words;
      const call = uvCall(words);
      let from: number;
      let valued: Set<string>;
      if (call?.subcommand === 'venv') {
        from = call.sub + 1;
        valued = VENV_VALUE;
      } else if (
        /(^|\/)python[0-9.]*$/.test(words[0]?.value ?? '') &&
        words[1]?.value === '-m' &&
        (words[2]?.value === 'venv' || words[2]?.value === 'virtualenv')
      ) {
        from = 3;
        valued = new Set(['--prompt']);
      } else if (/(^|\/)virtualenv$/.test(words[0]?.value ?? '')) {
        from = 1;
        valued = new Set(['-p', '--python', '--prompt']);
      } else continue;
      const { options, unreadable, positional } = readOptions(words, from, valued);
      const path =
        positional.length > 0
          ? wordValue(doc, instr, words[positional[0]])
          : call && !unreadable
            ? '.venv'
            : null;
      out.push({
        instr,
        command,
        dir:
          path === null || options.some((o) => o.name === '--directory')
            ? null
            : resolvePath(doc, instr, path),
      });
    }
  }
  return out;
}

function pipTarget(
  doc: Doc,
  instr: Instr,
  command: ShellCommand,
  call: UvCall,
  options: PipOption[],
  created: VenvCreation[],
): PipTarget {
  const has = (...names: string[]) => options.find((o) => names.includes(o.name));
  const place = has('--target', '-t', '--prefix');
  if (place) return { kind: 'other', why: `${place.name} installs into a directory of its own` };
  const venv = venvFor(doc, instr, command, created);
  const python = has('--python', '-p');
  if (python || call.globals.includes('--python') || call.globals.includes('-p')) {
    // `--python /app/.venv/bin/python` names a venv; anything else (`$(which python)`, `3.12`) is
    // an interpreter of its own choosing.
    const value = python?.value ?? null;
    const dir =
      value !== null && /\/bin\/python[0-9.]*$/.test(value)
        ? resolvePath(doc, instr, value.replace(/\/bin\/python[0-9.]*$/, ''))
        : null;
    if (dir !== null && created.some((c) => c.dir === dir)) return { kind: 'venv', dir };
    return {
      kind: 'other',
      why: `${python ? `${python.name} ${python.written ?? ''}` : 'a global --python'} chooses the interpreter to install into`,
    };
  }
  const flags = options.map((o) => o.name);
  const systemFlag = flags.lastIndexOf('--system');
  if (systemFlag >= 0 && systemFlag > flags.lastIndexOf('--no-system'))
    return { kind: 'system', by: 'flag' };
  if (flags.includes('--no-system')) return { kind: 'venv', dir: venv };
  const scope = doc.scope(instr);
  const env = new Map<string, string | null>();
  for (const [name, v] of scope) env.set(name, v.exact ? v.value : null);
  const assigns = assignments(command.assigns);
  if (uvSettings(env, assigns).systemPython) {
    const by = assigns.some((a) => a.name === 'UV_SYSTEM_PYTHON')
      ? 'assignment'
      : scope.get('UV_SYSTEM_PYTHON')?.kind === 'arg'
        ? 'arg'
        : 'env';
    return { kind: 'system', by };
  }
  return { kind: 'venv', dir: venv };
}

/**
 * The venv a uv pip call discovers: VIRTUAL_ENV on the command, exported or activated earlier in
 * its RUN, or set by ENV/ARG; else a `.venv` an earlier command created in its working directory
 * or a parent. Null when none of these tell.
 */
function venvFor(
  doc: Doc,
  instr: Instr,
  command: ShellCommand,
  created: VenvCreation[],
): string | null {
  const inline = assignments(command.assigns).find((a) => a.name === 'VIRTUAL_ENV');
  if (inline) return inline.value === null ? null : resolvePath(doc, instr, inline.value);
  let active: string | null | undefined;
  for (const c of doc.shell(instr).commands) {
    if (c.start >= command.start) break;
    const [first, second] = c.words.map((w) => w.value);
    if ((first === '.' || first === 'source') && c.words.length === 2) {
      const script = wordValue(doc, instr, c.words[1]);
      if (script === null || /(^|\/)bin\/activate$/.test(script))
        active = script === null ? null : resolvePath(doc, instr, dirOf(dirOf(script)));
    } else if (first === 'export') {
      const set = assignments(c.words.slice(1)).find((a) => a.name === 'VIRTUAL_ENV');
      if (set) active = set.value === null ? null : resolvePath(doc, instr, set.value);
    } else if (first === 'deactivate' || (first === 'unset' && second === 'VIRTUAL_ENV')) {
      active = undefined;
    }
  }
  if (active !== undefined) return active;
  const env = doc.scope(instr).get('VIRTUAL_ENV');
  if (env) return env.exact ? resolvePath(doc, instr, env.value) : null;
  const cwd = doc.workdirAt(instr);
  let found: string | null = null;
  for (const c of created) {
    const before =
      c.instr.index < instr.index || (c.instr === instr && c.command.start < command.start);
    if (!before || c.dir === null || !cwd.exact) continue;
    if (c.dir.endsWith('/.venv') && isUnder(cwd.value, dirOf(c.dir))) found = c.dir;
  }
  if (found !== null || !cwd.exact) return found;
  // A venv copied in from another stage (`COPY --from=deps /app/.venv /app/.venv`) is found the same way.
  for (const copy of doc.copies(doc.stages[instr.stage])) {
    if (copy.instr.index >= instr.index || !copy.target.exact) continue;
    const dir = normalizePath(copy.target.value).replace(/(.)\/$/, '$1');
    if (dir.endsWith('/.venv') && isUnder(cwd.value, dirOf(dir))) found = dir;
  }
  return found;
}

/** Options from `from` on: each with its value, the indexes of positional words, and whether a word is an expansion. */
export function readOptions(
  words: readonly ShellWord[],
  from: number,
  valued: ReadonlySet<string>,
): { options: PipOption[]; positional: number[]; unreadable: boolean } {
  const options: PipOption[] = [];
  const positional: number[] = [];
  let unreadable = false;
  for (let i = from; i < words.length; i++) {
    const v = words[i].value;
    if (v === null) {
      // A word that starts with a literal other than `-` (`https://.../${VERSION}.zip`) is one
      // argument, not an option, whatever the variable holds; one that starts with an expansion
      // may be options or several words.
      if (/^["']?\$/.test(words[i].raw) || /^["']?-/.test(words[i].raw)) unreadable = true;
      positional.push(i);
      continue;
    }
    if (v.startsWith('--') && v.includes('=')) {
      const value = v.slice(v.indexOf('=') + 1);
      options.push({ name: v.slice(0, v.indexOf('=')), value, written: value, index: i });
    } else if (v.startsWith('-') && v !== '-') {
      if (valued.has(v)) {
        const next = words[i + 1];
        options.push({ name: v, value: next?.value ?? null, written: next?.raw ?? null, index: i });
        i++;
      } else options.push({ name: v, value: null, written: null, index: i });
    } else positional.push(i);
  }
  return { options, positional, unreadable };
}

/** A word's value, with `$VAR`/`${VAR}` taken from the ARG/ENV in scope; null when it cannot be told. */
export function wordValue(doc: Doc, instr: Instr, word: ShellWord): string | null {
  if (word.value !== null) return word.value;
  // The shell model's reading: what the RUN itself assigned, then ARG and ENV.
  if (word.fields !== undefined)
    return word.fields?.length === 1 && word.fields[0].length === 1 ? word.fields[0][0] : null;
  const raw = word.raw.replace(/^"(.*)"$/, '$1');
  if (/[`'"\\]|\$\(/.test(raw)) return null;
  const r = doc.expand(raw, doc.scope(instr));
  return r.exact ? r.value : null;
}

/** A path as the instruction sees it, absolute (variables and the WORKDIR resolved); null when it cannot be told. */
export function resolvePath(doc: Doc, instr: Instr, path: string): string | null {
  if (path.includes('$')) {
    const r = doc.expand(path, doc.scope(instr));
    if (!r.exact) return null;
    path = r.value;
  }
  if (path.startsWith('/')) return normalizePath(path);
  const cwd = doc.workdirAt(instr);
  return cwd.exact ? normalizePath(`${cwd.value}/${path}`) : null;
}

function dirOf(path: string): string {
  const i = path.replace(/\/$/, '').lastIndexOf('/');
  return i <= 0 ? (path.startsWith('/') ? '/' : '.') : path.slice(0, i);
}

/**
 * The app directory as the stage's WORKDIR writes it, when that is its only WORKDIR and names only
 * the stage's own ARGs (`WORKDIR ${APP_HOME}`): written that way in another place (the runtime
 * stage, a venv path), a `--build-arg` moves them together. Null otherwise.
 */
export function appDirAsWritten(doc: Doc, stage: Stage): string | null {
  const workdirs = stage.instructions.filter((i) => i.keyword === 'WORKDIR');
  if (workdirs.length !== 1) return null;
  const text = doc.logical(workdirs[0].argsStart, workdirs[0].argsEnd).trim();
  const names = [...text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
  if (names.length === 0 || (!text.startsWith('$') && !text.startsWith('/'))) return null;
  const scope = doc.scope(workdirs[0]);
  const ownArgs = names.every((n) => {
    const v = scope.get(n);
    return v?.kind === 'arg' && v.exact && v.instr.stage === stage.index;
  });
  return ownArgs && PLAIN_PATH.test(doc.expand(text, scope).value) ? text : null;
}

/**
 * Where a venv is made for an install into the system Python: before that install and the context
 * files copied just before it (the requirement files), so the copies keep their layer.
 */
export function venvAnchor(stage: Stage, install: Instr): Instr {
  let at = stage.instructions.indexOf(install);
  while (at > 0) {
    const prev = stage.instructions[at - 1];
    if (
      (prev.keyword !== 'COPY' && prev.keyword !== 'ADD') ||
      prev.flags.some((f) => f.name === 'from')
    )
      break;
    at -= 1;
  }
  return stage.instructions[at];
}
