import { importedModules, moduleFiles } from './context.js';

/**
 * Whether the Python program a container starts stops on SIGTERM. As PID 1 a process gets no
 * default signal action: a program with no SIGTERM handler of its own ignores `docker stop` and is
 * killed after the timeout (exit 137), mid-work. The servers and workers that install a handler
 * (uvicorn, gunicorn, celery...) are recognised by their import; a plain script by its own
 * `signal` calls. Read only where the program's file is in the build context.
 */

/** Libraries whose run loop handles SIGTERM itself. */
const HANDLES_SIGTERM =
  /^\s*(?:from|import)\s+(uvicorn|gunicorn|granian|hypercorn|celery|dramatiq|daphne|aiohttp|waitress|twisted|tornado|streamlit|django|telegram|aiogram|discord|faust|kopf)\b/m;

/** The Python file a start command runs (`python server.py`, `python -m orders.worker`), as a path of `files`. */
function pythonProgram(
  argv: readonly (string | null)[],
  files: Record<string, string>,
): string | null {
  if (!/(^|\/)python[0-9.]*$/.test(argv[0] ?? '')) return null;
  let i = 1;
  while (argv[i] !== undefined && argv[i]?.startsWith('-') && argv[i] !== '-m') i++;
  const word = argv[i];
  if (word === null || word === undefined) return null;
  if (word === '-m') {
    const module = argv[i + 1];
    if (!module || !/^[A-Za-z_][\w.]*$/.test(module)) return null;
    const path = module.split('.').join('/');
    const found = ['', 'src/']
      .flatMap((root) => [`${root}${path}.py`, `${root}${path}/__main__.py`])
      .filter((p) => files[p] !== undefined);
    return found.length === 1 ? found[0] : null;
  }
  if (!word.endsWith('.py')) return null;
  const plain = word.replace(/^\.\//, '');
  if (files[plain] !== undefined) return plain;
  const base = word.split('/').pop()!;
  const matches = Object.keys(files).filter((p) => p === base || p.endsWith(`/${base}`));
  return matches.length === 1 ? matches[0] : null;
}

/**
 * The context file of the Python program `argv` starts when it handles no SIGTERM (no `signal`
 * use and no server library that handles it), or null (it does, or cannot be told).
 */
export function ignoresSigterm(
  argv: readonly (string | null)[],
  files: Record<string, string>,
): string | null {
  const path = pythonProgram(argv, files);
  if (path === null) return null;
  // The program and the project modules it imports: any of them may install the handler.
  const seen = new Set<string>();
  const queue = [path];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = files[file];
    if (/\bsignal\b/.test(text) || HANDLES_SIGTERM.test(text)) return null;
    for (const name of importedModules(text)) {
      const top = name.split('.')[0];
      const local = moduleFiles(name).filter((p) => files[p] !== undefined);
      // A module of the project the context did not give: what it does cannot be told.
      if (local.length === 0 && projectPackage(top, files)) return null;
      queue.push(...local);
    }
  }
  return path;
}

/** Whether a top-level name is a package or module of the project (some file of it is known). */
function projectPackage(top: string, files: Record<string, string>): boolean {
  return Object.keys(files).some(
    (p) =>
      p.startsWith(`${top}/`) ||
      p.startsWith(`src/${top}/`) ||
      p === `${top}.py` ||
      p === `src/${top}.py`,
  );
}

/** How Flask reads FLASK_DEBUG: set, not empty and none of these is on. */
const FLASK_DEBUG_OFF = new Set(['0', 'false', 'no']);
/** How click reads a boolean flag from the environment (FLASK_RUN_RELOAD). */
const CLICK_TRUE = new Set(['1', 'true', 't', 'yes', 'y', 'on']);
/** Options of the flask command group that take a value. */
const FLASK_GROUP_VALUE = new Set(['-A', '--app', '-e', '--env-file']);
/** Options of `flask run` that take a value. */
const FLASK_RUN_VALUE = new Set([
  '-h',
  '--host',
  '-p',
  '--port',
  '--cert',
  '--key',
  '--extra-files',
  '--exclude-patterns',
]);

/**
 * Whether `flask run` (Werkzeug's development server) starts its reloader: `--reload`, else debug
 * mode (`--debug`, or FLASK_DEBUG) unless `--no-reload`; click also reads FLASK_RUN_RELOAD. Only
 * the reloader handles SIGTERM (it exits 0); without it nothing does, and as PID 1 the server
 * ignores `docker stop`, though Ctrl-C (SIGINT) still stops it cleanly. `env` is the container's
 * environment (null: a value that cannot be told); `dropped` are options read as absent (those a
 * rewrite takes out). Null when argv is not `flask run` or the answer cannot be told.
 */
export function flaskRunReloader(
  argv: readonly (string | null)[],
  env: ReadonlyMap<string, string | null>,
  dropped: ReadonlySet<string> = new Set(),
): boolean | null {
  // `exec flask run`, as a shell string ends.
  const at = argv[0] === 'exec' ? 1 : 0;
  const program = (argv[at] ?? '').split('/').pop()!;
  let start: number;
  if (program === 'flask') start = at + 1;
  else if (/^python[0-9.]*$/.test(program) && argv[at + 1] === '-m' && argv[at + 2] === 'flask')
    start = at + 3;
  else return null;
  const words = argv.slice(start).filter((w) => w === null || !dropped.has(w));
  let i = 0;
  while (i < words.length && words[i] !== 'run') {
    const w = words[i];
    if (w === null || !w.startsWith('-')) return null;
    i += FLASK_GROUP_VALUE.has(w) ? 2 : 1;
  }
  if (i >= words.length) return null;
  const debugEnv = env.get('FLASK_DEBUG');
  const reloadEnv = env.get('FLASK_RUN_RELOAD');
  let debug: boolean | null =
    debugEnv === undefined
      ? false
      : debugEnv === null
        ? null
        : debugEnv !== '' && !FLASK_DEBUG_OFF.has(debugEnv.toLowerCase());
  let reload: boolean | null | undefined =
    reloadEnv === undefined || reloadEnv === ''
      ? undefined
      : reloadEnv === null
        ? null
        : CLICK_TRUE.has(reloadEnv.toLowerCase());
  for (const [k, w] of words.entries()) {
    // A variable may hold --reload, unless it is an option's value (`--port $PORT`).
    if (w === null) {
      // Before `run`, a null is a group option's value: anything else stopped the loop above.
      if (k < i) continue;
      const before = words[k - 1];
      if (before === null || before === undefined || !FLASK_RUN_VALUE.has(before)) return null;
      continue;
    }
    if (w === '--debug') debug = true;
    else if (w === '--no-debug') debug = false;
    else if (k > i && (w === '--reload' || w === '--no-reload')) reload = w === '--reload';
  }
  return reload !== undefined ? reload : debug;
}
