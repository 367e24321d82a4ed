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
