/**
 * Rewriters for the command a container starts: strip `uv run` (the venv is on PATH) and drop
 * development-server flags. Both work on an Argv, so they serve exec form, shell form, `sh -c`
 * strings and entrypoint scripts alike.
 */
import { dropWords, spell, type Argv, type Rewrite, type Rewriter, type Word } from './command.js';
import type { Doc, Stage } from './document.js';
import type { Edit } from './types.js';
import { uvCallOf } from './uv.js';

const RUN_VALUE = new Set([
  '--package',
  '--directory',
  '--project',
  '--env-file',
  '--python',
  '-p',
  '--extra',
  '--group',
  '--only-group',
  '--no-group',
  '--index',
  '--index-url',
  '--extra-index-url',
  '--find-links',
  '-f',
  '--cache-dir',
  '--config-file',
  '--with',
  '--with-editable',
  '--with-requirements',
  '--python-platform',
  '--color',
  '--link-mode',
  '--exclude-newer',
]);
const RUN_AT_START = new Set(['--with', '--with-editable', '--with-requirements']);

export interface UvRunShape {
  /** Index of `run` (or the other subcommand) after uv and its global options. */
  sub: number;
  subcommand: string | null;
  /** Index of the program after `uv run` and its options; words.length when none. */
  program: number;
  /** Options of uv run seen, by name. */
  options: string[];
  /** An option's value could not be read (a variable). */
  unreadable: boolean;
}

/** `uv [global options] <sub> [options] program ...`, or null when the argv is not uv. */
export function uvShape(values: (string | null)[]): UvRunShape | null {
  const call = uvCallOf(values);
  if (!call) return null;
  const i = call.sub;
  const shape: UvRunShape = {
    sub: i,
    subcommand: values[i] ?? null,
    program: values.length,
    options: [],
    unreadable: false,
  };
  if (shape.subcommand !== 'run') return shape;
  let k = i + 1;
  while (k < values.length) {
    const v = values[k];
    if (v === null) {
      shape.unreadable = true;
      k++;
      continue;
    }
    if (v === '--') {
      k++;
      break;
    }
    if (!v.startsWith('-') || v === '-m') break;
    const name = v.includes('=') ? v.slice(0, v.indexOf('=')) : v;
    shape.options.push(name);
    k += RUN_VALUE.has(v) ? 2 : 1;
  }
  shape.program = k;
  return shape;
}

/**
 * `uv run [options]` with no program and no option that changes what runs (`--with`, `--env-file`):
 * it only puts uv in front of the command that follows it (an ENTRYPOINT before a CMD, a Compose
 * `entrypoint:` before its `command:`), so it can go as a whole.
 */
export function onlyUvRunPrefix(values: (string | null)[]): boolean {
  const shape = uvShape(values);
  return (
    shape?.subcommand === 'run' &&
    shape.program >= values.length &&
    !shape.unreadable &&
    !shape.options.some((o) => RUN_AT_START.has(o) || o === '--env-file')
  );
}

/**
 * Whether the programs of the venv are found without uv in this stage: its bin directory is on
 * PATH (an ENV of the stage), or uv installs into the system Python (UV_PROJECT_ENVIRONMENT=/usr/local
 * or `uv pip install --system`).
 */
export function venvOnPath(doc: Doc, stage: Stage): boolean {
  const venv = doc.venvDir(stage);
  if (venv === '/usr/local' || venv === '/usr') return true;
  const path = doc.runtimePath(stage);
  if (!path) return false;
  const bin = `${venv ?? '.venv'}/bin`;
  // A venv whose directory cannot be told (no WORKDIR) is still found by its name.
  return path.some((dir) => dir === bin || (!bin.startsWith('/') && dir.endsWith(`/${bin}`)));
}

/**
 * The uv binary at the start of an argv, however it is spelled: `uv` or a path to it
 * (`/usr/local/bin/uv`, `$HOME/.local/bin/uv`, `~/.cargo/bin/uv`), or `python -m uv`. Returns how
 * many words it takes, and whether it is uvx.
 */
function uvBinary(words: Word[]): { length: number; uvx: boolean } | null {
  const first = words[0];
  if (!first) return null;
  const name =
    first.value ??
    (first.raw && /^(\$HOME|\$\{HOME\}|"\$HOME|"\$\{HOME\}|~)\//.test(first.raw)
      ? first.raw.replace(/"/g, '')
      : null);
  if (name !== null && /(^|\/)uvx?$/.test(name)) return { length: 1, uvx: name.endsWith('uvx') };
  if (
    name !== null &&
    /^python[0-9.]*$/.test(name.split('/').pop()!) &&
    words[1]?.value === '-m' &&
    words[2]?.value === 'uv'
  )
    return { length: 3, uvx: false };
  return null;
}

/** `uv run` as written at the start of an argv: uvShape's reading, indexes into the argv's words. */
export function uvCall(words: Word[]): (UvRunShape & { uvx: boolean }) | null {
  const bin = uvBinary(words);
  if (!bin) return null;
  // `"$@"` is read as a program (the CMD an ENTRYPOINT script receives), not as unreadable options.
  const values = words.map((w) =>
    w.raw && ALL_ARGS.test(w.raw) ? w.raw : w.value === '--module' ? '-m' : w.value,
  );
  if (bin.uvx)
    return {
      sub: 1,
      subcommand: null,
      program: values.length,
      options: [],
      unreadable: false,
      uvx: true,
    };
  const shape = uvShape(['uv', ...values.slice(bin.length)])!;
  const shift = bin.length - 1;
  return { ...shape, sub: shape.sub + shift, program: shape.program + shift, uvx: false };
}

/** Options of uv run that pick extras or groups to sync before running. */
const SELECTIONS = new Set(['--extra', '--all-extras', '--group', '--only-group', '--all-groups']);

/** `"$@"`: the arguments the script was given, as they were given. */
const ALL_ARGS = /^("\$@"|"\$\{@\}"|\$@|\$\{@\})$/;

/** Poetry's options that change the project poetry run works in: it cannot be told without Poetry. */
const POETRY_PROJECT = new Set(['-C', '--directory', '-P', '--project']);

/**
 * `poetry [global options] run ...` or `pipenv [options] run ...`: the tool, where `run` is, and a
 * global option that runs the program in another project (`-C dir`), if any; null for anything
 * else. The one reading of a runner for the rewrite, the user and the messages.
 */
export function runnerRun(
  values: readonly (string | null)[],
): { tool: 'poetry' | 'pipenv'; run: number; project: string | null } | null {
  const tool = /(^|\/)(poetry|pipenv)$/.exec(values[0] ?? '')?.[2] as
    'poetry' | 'pipenv' | undefined;
  if (!tool) return null;
  let i = 1;
  let project: string | null = null;
  while (i < values.length && values[i] !== 'run') {
    const v = values[i];
    if (v === null || !v.startsWith('-')) return null;
    const name = v.split('=')[0];
    // `-C api`: the option's value is the next word.
    if (POETRY_PROJECT.has(name)) {
      project ??= name;
      if (!v.includes('=')) i++;
    }
    i++;
  }
  return values[i] === 'run' ? { tool, run: i, project } : null;
}

/**
 * `poetry [global options] run [options] X` -> `X`, and `pipenv run X` the same way: the venv on
 * PATH serves the program as Poetry or Pipenv would (neither hands .py files to anyone, so nothing
 * becomes python).
 */
function stripPoetryRun(argv: Argv, out: Rewrite): Rewrite | null {
  const values = argv.words.map((w) => w.value);
  const runner = runnerRun(values);
  if (!runner) return null;
  const { tool, run: i } = runner;
  if (runner.project) {
    out.problems.push(`${tool} ${runner.project} runs the program in another project; left as is`);
    return out;
  }
  let program = i + 1;
  while (program < values.length && values[program]?.startsWith('-') && values[program] !== '--')
    program++;
  if (values[program] === '--') program++;
  if (program >= values.length) {
    out.problems.push(`${tool} run without a program; left as is`);
    return out;
  }
  out.edits.push(dropWords(argv, 0, program));
  out.changes.push(`${tool} run removed before ${values[program] ?? 'the program'}`);
  return out;
}

/**
 * `uv run [opts] X` -> `X`; `uv run x.py` / `uv run -m m` -> `python ...`; `poetry run X` and
 * `pipenv run X` -> `X`:
 * the runner in front of a program the venv on PATH already provides.
 */
export const stripUvRun: Rewriter = (argv, ctx) => {
  const out: Rewrite = { edits: [], changes: [], problems: [] };
  const poetry = stripPoetryRun(argv, out);
  if (poetry) return poetry;
  const values = argv.words.map((w) => w.value);
  const shape = uvCall(argv.words);
  if (!shape) return out;
  if (shape.uvx || (shape.subcommand === 'tool' && values[shape.sub + 1] === 'run')) {
    out.problems.push(
      `${shape.uvx ? 'uvx' : 'uv tool run'} fetches and runs a tool at container start; left as is: add the tool to the project and run it from the venv`,
    );
    return out;
  }
  const pip = shape.subcommand === 'pip' ? values[shape.sub + 1] : null;
  if (shape.subcommand === 'sync' || pip === 'install' || pip === 'sync') {
    out.problems.push(
      `the container runs \`uv ${shape.subcommand}${pip ? ` ${pip}` : ''}\` at start, installing dependencies at run time; left as is: install them in the build`,
    );
    return out;
  }
  if (shape.subcommand !== 'run') {
    out.problems.push(
      `the container runs \`${values
        .slice(0, shape.sub + 1)
        .filter((v) => v !== undefined)
        .map((v) => v ?? '…')
        .join(' ')}\` at start, and a runtime stage has no uv; left as is`,
    );
    return out;
  }
  const withOpt = shape.options.find((o) => RUN_AT_START.has(o));
  if (withOpt) {
    out.problems.push(
      `uv run ${withOpt} adds packages at container start; not stripped: add them to the project's dependencies first`,
    );
    return out;
  }
  if (shape.options.includes('--env-file')) {
    out.problems.push(
      'uv run --env-file reads an env file that plain python would not; not stripped: pass the variables with ENV or at run time',
    );
    return out;
  }
  if (shape.unreadable) {
    out.problems.push('uv run takes options from a variable; left as is');
    return out;
  }
  const synced = (s: string) =>
    ctx.synced?.has(s) ||
    ctx.synced?.has(/^--(extra|all-extras)/.test(s) ? '--all-extras' : '--all-groups');
  const unsynced = selections(argv, shape).filter((s) => !synced(s));
  if (unsynced.length > 0 && !shape.options.includes('--no-sync')) {
    out.problems.push(
      `uv run ${unsynced.map((u) => u.replace('=', ' ')).join(' ')} installs ${unsynced.length > 1 ? 'them' : 'it'} at container start, and the build's uv sync does not; not stripped: sync ${unsynced.length > 1 ? 'them' : 'it'} in the build first`,
    );
    return out;
  }
  if (shape.program >= values.length) {
    out.problems.push('uv run without a program; left as is');
    return out;
  }
  const directory = optionValue(argv, shape, '--directory');
  if (directory !== undefined && (directory === null || !argv.shell)) {
    out.problems.push(
      directory === null
        ? 'uv run --directory takes its directory from a variable; left as is'
        : `uv --directory ${directory} runs the program from ${directory}, which ${argv.form === 'exec' ? 'exec form' : 'a command no shell runs'} cannot say without uv; left as is: set WORKDIR, or run it through sh -c "cd ${directory} && exec ..."`,
    );
    return out;
  }
  const programWord = argv.words[shape.program];
  const program = values[shape.program];
  let shown = program ?? 'the program';
  if (programWord.raw && ALL_ARGS.test(programWord.raw)) {
    // `exec uv run "$@"`: what runs is the CMD, which the venv on PATH serves as well as uv run,
    // unless it is a .py file or a module, which uv run hands to python.
    const first = ctx.args?.[0];
    if (first === undefined || first === null || first.startsWith('-') || /\.py$/.test(first)) {
      out.problems.push(
        first === undefined
          ? 'uv run "$@" runs whatever command the container is given, and none is known here (no CMD); left as is'
          : `uv run "$@" runs the CMD (${first ?? 'a variable'}), which needs uv run to become a python command; left as is`,
      );
      return out;
    }
    shown = `"$@" (the container's command, ${first} by default)`;
  }
  const module = program === '-m' || program === '--module';
  const python = module || (program !== null && /\.py$/.test(program));
  const sep = argv.form === 'exec' ? ', ' : ' ';
  // `--module` is uv run's own spelling; python only knows `-m`.
  const edit: Edit = dropWords(argv, 0, program === '--module' ? shape.program + 1 : shape.program);
  edit.text = (program === '--module' ? ['python', '-m'] : python ? ['python'] : [])
    .map((w) => spell(argv.form, w) + sep)
    .join('');
  if (python) shown = `python ${module ? '-m' : program}`;
  if (directory !== undefined && argv.shell) {
    const place = argv.shell;
    const dir = spell('shell', directory);
    const [open, close] =
      place.alone && (place.exec || place.last)
        ? [`cd ${dir} && `, '']
        : place.exec
          ? [`{ cd ${dir} && `, '; }']
          : [`(cd ${dir} && `, ')'];
    out.edits.push({ start: place.start, end: place.start, text: open });
    out.edits.push(edit);
    if (close) out.edits.push({ start: place.end, end: place.end, text: close });
    out.changes.push(`uv --directory ${directory} run -> cd ${directory} before ${shown}`);
    return out;
  }
  out.edits.push(edit);
  out.changes.push(`uv run removed before ${shown}`);
  return out;
};

/** The extras and groups a uv run selects, as `--extra=x`, `--all-extras`... */
function selections(argv: Argv, shape: UvRunShape): string[] {
  const out: string[] = [];
  const values = argv.words.map((w) => w.value);
  for (let i = shape.sub + 1; i < shape.program; i++) {
    const v = values[i];
    if (v === null) continue;
    const name = v.includes('=') ? v.slice(0, v.indexOf('=')) : v;
    if (!SELECTIONS.has(name)) continue;
    if (name.startsWith('--all-')) out.push(name);
    else {
      const value = v.includes('=')
        ? v.slice(v.indexOf('=') + 1)
        : (values[++i] ?? argv.words[i]?.raw);
      out.push(`${name === '--extra' ? '--extra' : '--group'}=${value}`);
    }
  }
  return out;
}

/**
 * The value of an option of uv (global, or of uv run) in a uv call: undefined when it is not
 * given, null when it is not literal. The last one given wins.
 */
function optionValue(argv: Argv, shape: UvRunShape, option: string): string | null | undefined {
  const values = argv.words.map((w) => w.value);
  let found: string | null | undefined;
  for (let i = 1; i < shape.program; i++) {
    const v = values[i];
    if (v === option) found = values[i + 1] ?? null;
    else if (v?.startsWith(`${option}=`)) found = v.slice(option.length + 1);
  }
  return found;
}

/** Flags that make a server watch files and restart: name -> whether it takes a value. */
const DEV_FLAGS: Record<string, Record<string, boolean>> = {
  uvicorn: {
    '--reload': false,
    '--reload-dir': true,
    '--reload-include': true,
    '--reload-exclude': true,
    '--reload-delay': true,
  },
  hypercorn: { '--reload': false },
  gunicorn: { '--reload': false, '--reload-engine': true, '--reload-extra-file': true },
  granian: { '--reload': false },
  flask: { '--debug': false, '--reload': false, '--debugger': false },
  fastapi: { '--reload': false },
};

/** The development flags dropDevFlags takes out of a server's command line. */
export function devFlags(server: string): string[] {
  return Object.keys(DEV_FLAGS[server] ?? {});
}

/** Index of the server program: after `uv run [opts]`, `python -m`, and a path prefix. */
function serverAt(words: Word[]): { index: number; name: string } | null {
  const values = words.map((w) => w.value);
  let i = 0;
  const shape = uvCall(words);
  if (shape?.subcommand === 'run') i = shape.program;
  else if ((values[0] === 'poetry' || values[0] === 'pipenv') && values[1] === 'run') i = 2;
  if (values[i] && /^python[0-9.]*$/.test(values[i]!.split('/').pop()!) && values[i + 1] === '-m')
    i += 2;
  const v = values[i];
  if (!v) return null;
  return { index: i, name: v.split('/').pop()! };
}

export const dropDevFlags: Rewriter = (argv) => {
  const out: Rewrite = { edits: [], changes: [], problems: [] };
  const values = argv.words.map((w) => w.value);
  const server = serverAt(argv.words);
  if (!server) return out;
  const { index, name } = server;
  const runserver = values.indexOf('runserver');
  if (
    (name === 'manage.py' ||
      name === 'django-admin' ||
      (name === 'python' && values[index + 1]?.endsWith('manage.py'))) &&
    runserver > index
  ) {
    out.problems.push(
      "Django's runserver is a development server; left as is: serve the app with gunicorn or uvicorn",
    );
    return out;
  }
  if (name === 'fastapi' && values[index + 1] === 'dev') {
    const w = argv.words[index + 1];
    out.edits.push({ start: w.start, end: w.end, text: spell(argv.form, 'run') });
    out.changes.push(
      'fastapi dev -> fastapi run (it also listens on 0.0.0.0 instead of 127.0.0.1)',
    );
  }
  const flags = DEV_FLAGS[name];
  if (name === 'streamlit') {
    for (let i = index + 1; i < values.length; i++) {
      const v = values[i];
      if (v === '--server.runOnSave=true') {
        out.edits.push(dropWords(argv, i, i + 1));
        out.changes.push(`${v} dropped`);
      } else if (v === '--server.runOnSave' && values[i + 1] === 'true') {
        out.edits.push(dropWords(argv, i, i + 2));
        out.changes.push(`${v} true dropped`);
        i++;
      }
    }
    return out;
  }
  if (!flags) return out;
  for (let i = index + 1; i < values.length; i++) {
    const v = values[i];
    if (v === '--') break;
    if (v === null) continue;
    const name = v.includes('=') ? v.slice(0, v.indexOf('=')) : v;
    if (!(name in flags)) continue;
    const span = flags[name] && !v.includes('=') ? 2 : 1;
    out.edits.push(dropWords(argv, i, Math.min(i + span, values.length)));
    out.changes.push(`${values.slice(i, i + span).join(' ')} dropped`);
    i += span - 1;
  }
  return out;
};
