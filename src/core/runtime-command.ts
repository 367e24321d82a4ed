/**
 * Rewriters for the command a container starts: strip `uv run` (the venv is on PATH) and drop
 * development-server flags. Both work on an Argv, so they serve exec form, shell form, `sh -c`
 * strings and entrypoint scripts alike.
 */
import { dropWords, spell, type Argv, type Rewrite, type Rewriter } from './command.js';
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

/** `uv run [opts] X` -> `X`; `uv run x.py` / `uv run -m m` -> `python ...`. */
export const stripUvRun: Rewriter = (argv) => {
  const out: Rewrite = { edits: [], changes: [], problems: [] };
  const values = argv.words.map((w) => w.value);
  if (values[0] === 'uvx' || (values[0] === 'uv' && values[1] === 'tool' && values[2] === 'run')) {
    out.problems.push(
      `${values[0] === 'uvx' ? 'uvx' : 'uv tool run'} fetches and runs a tool at container start; left as is: add the tool to the project and run it from the venv`,
    );
    return out;
  }
  const shape = uvShape(values);
  if (!shape) return out;
  if (
    shape.subcommand === 'sync' ||
    (shape.subcommand === 'pip' && values[shape.sub + 1] === 'install')
  ) {
    out.problems.push(
      `the container runs \`uv ${shape.subcommand}${shape.subcommand === 'pip' ? ' install' : ''}\` at start, installing dependencies at run time; left as is: install them in the build`,
    );
    return out;
  }
  if (shape.subcommand !== 'run') return out;
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
  if (shape.program >= values.length) {
    out.problems.push('uv run without a program; left as is');
    return out;
  }
  const program = values[shape.program];
  const needsPython = program === '-m' || (program !== null && /\.py$/.test(program));
  const edit: Edit = dropWords(argv, 0, shape.program);
  if (needsPython) edit.text = spell(argv.form, 'python') + (argv.form === 'exec' ? ', ' : ' ');
  out.edits.push(edit);
  out.changes.push(
    `uv run removed before ${needsPython ? `python ${program}` : (program ?? 'the program')}`,
  );
  return out;
};

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

/** Index of the server program: after `uv run [opts]`, `python -m`, and a path prefix. */
function serverAt(values: (string | null)[]): { index: number; name: string } | null {
  let i = 0;
  const shape = uvShape(values);
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
  const server = serverAt(values);
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
