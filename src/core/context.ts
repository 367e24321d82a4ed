/**
 * ProjectContext from file contents: the IO layer reads, this decides what the contents mean.
 */
import { parse as parseToml } from 'smol-toml';
import type { ProjectContext, Pyproject } from './types.js';
import type { Doc } from './document.js';
import { COMPOSE_FILE, isComposeFile } from './compose.js';
import { dirname, joinPath } from './paths.js';

/** Files of the build context whose content the migration reads. */
export const CONTEXT_FILES = ['pyproject.toml', '.python-version', '.dockerignore'] as const;
/** Context files read into facts here; the others stay in `files`, where transforms edit them. */
const READ_HERE: readonly string[] = ['pyproject.toml', '.python-version'];
/** Files whose presence alone matters (their content is not read). */
export const PRESENCE_FILES = [
  'uv.lock',
  'poetry.lock',
  'Pipfile',
  'Pipfile.lock',
  'requirements.txt',
] as const;

export interface ContextInput {
  /** The Dockerfile's path relative to the build context. */
  dockerfile: string;
  /** Contents by path relative to the build context; a missing key means the file does not exist. */
  files: Record<string, string>;
  /** Environment variables the project's code reads (see `envNamesRead`). */
  appEnv?: string[];
  /** The context's path from the repository root (default `.`). */
  contextPath?: string;
  /** COPY/ADD sources that are directories of the context (see ProjectContext.directories). */
  directories?: string[];
}

export function buildContext(input: ContextInput): ProjectContext {
  const { files } = input;
  const problems: string[] = [];
  let pyproject: Pyproject | null = null;
  if (files['pyproject.toml'] !== undefined) {
    try {
      pyproject = readPyproject(parseToml(files['pyproject.toml']) as Record<string, unknown>);
    } catch (error) {
      problems.push(
        `pyproject.toml could not be read as TOML (${firstLine(error)}); project facts from it are not used`,
      );
    }
  }
  const pythonVersion =
    files['.python-version']
      ?.split(/\r?\n/)
      .map((l) => l.trim())
      .find((l) => l !== '' && !l.startsWith('#')) ?? null;
  const others: Record<string, string> = {};
  for (const [path, text] of Object.entries(files)) {
    if (
      !READ_HERE.includes(path) &&
      (!(PRESENCE_FILES as readonly string[]).includes(path) ||
        (path === 'requirements.txt' && text !== ''))
    ) {
      others[path] = text;
    }
  }
  return {
    dockerfile: input.dockerfile,
    pyproject,
    pythonVersion,
    hasUvLock: files['uv.lock'] !== undefined,
    hasPoetryLock: files['poetry.lock'] !== undefined,
    poetryLock: files['poetry.lock'] ?? null,
    hasPipfile: files['Pipfile'] !== undefined,
    hasPipfileLock: files['Pipfile.lock'] !== undefined,
    pipfile: files['Pipfile'] ?? null,
    hasRequirementsTxt: files['requirements.txt'] !== undefined,
    files: others,
    problems,
    composeFiles: Object.keys(files).filter(isComposeFile).sort(),
    appEnv: input.appEnv ?? [],
    contextPath: input.contextPath ?? '.',
    directories: input.directories ?? [],
  };
}

function readPyproject(toml: Record<string, unknown>): Pyproject {
  const project = asTable(toml.project);
  const tool = asTable(toml.tool);
  const uv = asTable(tool.uv);
  const workspace = asTable(uv.workspace);
  const groups = Object.keys(asTable(toml['dependency-groups']));
  if (Array.isArray(uv['dev-dependencies']) && !groups.includes('dev')) groups.push('dev');
  const scripts: Record<string, string> = {};
  const poetry = asTable(tool.poetry);
  // Poetry's own tables count as the standard ones do: its groups, and its console scripts.
  for (const name of Object.keys(asTable(poetry.group)))
    if (!groups.includes(name)) groups.push(name);
  if (poetry['dev-dependencies'] !== undefined && !groups.includes('dev')) groups.push('dev');
  for (const table of [poetry.scripts, project.scripts])
    for (const [name, target] of Object.entries(asTable(table))) {
      if (typeof target === 'string') scripts[name] = target;
    }
  return {
    name: typeof project.name === 'string' ? project.name : null,
    requiresPython:
      typeof project['requires-python'] === 'string' ? project['requires-python'] : null,
    hasBuildSystem: toml['build-system'] !== undefined,
    uvPackage: typeof uv.package === 'boolean' ? uv.package : null,
    workspaceMembers: Array.isArray(workspace.members)
      ? workspace.members.filter((m): m is string => typeof m === 'string')
      : [],
    scripts,
    dependencyGroups: groups,
    poetry: tool.poetry !== undefined,
    poetryPackage: typeof poetry['package-mode'] === 'boolean' ? poetry['package-mode'] : null,
  };
}

function asTable(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function firstLine(error: unknown): string {
  return String(error instanceof Error ? error.message : error).split('\n')[0];
}

/**
 * Context paths of scripts the image may run: `.sh` files copied in by COPY/ADD, files copied to a
 * name an ENTRYPOINT/CMD runs (`COPY docker/start /start`), and `.sh` paths named by
 * ENTRYPOINT/CMD (as written, without `./`, and relative to the WORKDIR).
 */
/** Context paths of the requirement and constraint files a RUN names with -r/-c (relative paths only). */
export function requirementCandidates(doc: Doc): string[] {
  const out = new Set<string>();
  for (const instr of doc.instructions) {
    if (instr.keyword !== 'RUN') continue;
    const text = doc.logical(instr.argsStart, instr.argsEnd);
    for (const m of text.matchAll(
      /(?:^|\s)(?:-r|-c|--requirement|--constraint)(?:=|\s+)([^\s;&|'"$]+)/g,
    ))
      if (!m[1].startsWith('/') && !m[1].startsWith('-')) out.add(joinPath(m[1]));
  }
  return [...out];
}

/**
 * The requirement and constraint files a requirements file names on its own lines (`-r base.txt`,
 * `--constraint=constraints.txt`), as context paths: pip reads them relative to the file naming them.
 */
export function requirementsNamedIn(path: string, text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:-r|-c|--requirement|--constraint)(?:=|\s+)(\S+)/.exec(line);
    if (!m || m[1].startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(m[1]) || m[1].includes('$'))
      continue;
    out.push(joinPath(dirname(path), m[1]));
  }
  return out;
}

export function scriptCandidates(doc: Doc): string[] {
  const out = new Set<string>();
  const started = new Set<string>();
  for (const instr of doc.instructions)
    if (instr.keyword === 'CMD' || instr.keyword === 'ENTRYPOINT')
      for (const word of instr.json ?? doc.logical(instr.argsStart, instr.argsEnd).split(/\s+/))
        if (word) started.add(word.split('/').pop()!);
  for (const stage of doc.stages) {
    const workdir = doc.workdir(stage);
    for (const instr of stage.instructions) {
      if (
        (instr.keyword === 'COPY' || instr.keyword === 'ADD') &&
        !instr.flags.some((f) => f.name === 'from')
      ) {
        const words = doc.logical(instr.argsStart, instr.argsEnd).trim().split(/\s+/);
        const dest = words[words.length - 1].split('/').pop()!;
        for (const src of words.slice(0, -1))
          if (/\.sh$/.test(src) || started.has(src.split('/').pop()!) || started.has(dest))
            out.add(src.replace(/^\.\//, ''));
      }
      if (instr.keyword === 'CMD' || instr.keyword === 'ENTRYPOINT') {
        // An array that is not JSON (`["./start.sh"]  # note`) is repaired by exec-form later:
        // its words are read without the brackets, quotes and commas.
        const words =
          instr.json ??
          doc
            .logical(instr.argsStart, instr.argsEnd)
            .trim()
            .split(/\s+/)
            .map((w) => (instr.jsonInvalid ? w.replace(/^\[?["']?|["']?,?\]?$/g, '') : w));
        words.forEach((word, k) => {
          // `python -m orders.worker`: the module's file, at the root or under src/.
          if (words[k - 1] === '-m' && /^[A-Za-z_][\w.]*$/.test(word)) {
            const path = word.split('.').join('/');
            for (const root of ['', 'src/'])
              for (const file of [`${path}.py`, `${path}/__main__.py`]) out.add(root + file);
          }
        });
        for (const word of words) {
          // A shell script the image runs, or the Python file it starts (read for signals).
          if (!/\.(sh|py)$/.test(word)) continue;
          out.add(word.replace(/^\.\//, ''));
          const base = word.split('/').pop()!;
          out.add(base);
          if (workdir && word.startsWith(workdir.replace(/\/?$/, '/')))
            out.add(word.slice(workdir.replace(/\/?$/, '/').length));
          // `COPY ./src /src` then `CMD /src/run.sh` (in this stage or one built on it): the script is
          // src/run.sh in the context.
          for (const c of doc.stages.flatMap((s) => doc.copies(s))) {
            const into = c.dest.replace(/\/?$/, '/');
            if (c.from !== null || c.sources.length !== 1 || !into.startsWith('/')) continue;
            if (!word.startsWith(into)) continue;
            const source = c.sources[0].replace(/^\.\/?/, '').replace(/\/?$/, '/');
            out.add(`${source === '/' ? '' : source}${word.slice(into.length)}`);
          }
        }
      }
    }
  }
  return [...out].filter((p) => !p.startsWith('/') && !p.includes('..') && !p.includes('$'));
}

/** The modules a Python file imports (`from orders.jobs import x`, `import os, orders.jobs`). */
export function importedModules(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(
    /^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import|import[ \t]+([A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*))/gm,
  ))
    out.push(...(m[1] ? [m[1]] : m[2].split(',').map((x) => x.trim())));
  return out;
}

/**
 * The files a module could be in the build context (`orders.jobs` -> `orders/jobs.py`,
 * `orders/jobs/__init__.py`, `orders/__init__.py`, each also under src/).
 */
export function moduleFiles(module: string): string[] {
  const out: string[] = [];
  const parts = module.split('.');
  for (let n = parts.length; n >= 1; n--) {
    const path = parts.slice(0, n).join('/');
    for (const root of ['', 'src/']) out.push(`${root}${path}.py`, `${root}${path}/__init__.py`);
  }
  return out;
}

/** How the context is reached: the IO layer passes the filesystem, tests pass a map. */
export interface ContextReader {
  /** The text of a regular file of the context, or undefined. */
  read(path: string): string | undefined;
  exists(path: string): boolean;
  /** The regular files and directories in a directory of the context (no links), or undefined. */
  list?(dir: string): { name: string; dir: boolean }[] | undefined;
  /** The repository root relative to the context (`.`, `..`), or null when there is none to use. */
  root?: string | null;
  /** The context relative to the repository root (`services/api`); `.` when there is no root. */
  contextPath?: string;
}

/**
 * A tree of texts (path relative to the build context -> text) read as the IO layer reads a
 * directory: a path with something under it is a directory; the tree's root is the repository's.
 */
export function treeReader(tree: Record<string, string>): ContextReader {
  return {
    read: (p) => tree[p],
    exists: (p) => p in tree,
    list(dir) {
      const prefix = dir === '.' ? '' : `${dir}/`;
      const entries = new Map<string, boolean>();
      for (const path of Object.keys(tree)) {
        if (!path.startsWith(prefix)) continue;
        const rest = path.slice(prefix.length);
        const slash = rest.indexOf('/');
        entries.set(slash < 0 ? rest : rest.slice(0, slash), slash >= 0);
      }
      // Like a file system: a name with nothing under it is not a directory.
      if (entries.size === 0 && dir !== '.') return undefined;
      return [...entries].map(([name, isDir]) => ({ name, dir: isDir }));
    },
    root: '.',
    contextPath: '.',
  };
}

export interface GatherOptions {
  /** Read the project's Python files for the environment variables they read (for `--compose`). */
  scanSources?: boolean;
}

/** Directories never searched for the project's own Python code. */
const NOT_SOURCE = new Set([
  '.git',
  '.venv',
  'venv',
  'env',
  'node_modules',
  '__pycache__',
  '.tox',
  '.nox',
  'build',
  'dist',
  'site-packages',
  '.mypy_cache',
  '.pytest_cache',
]);
const MAX_SOURCES = 400;

/** Everything the migration reads around a Dockerfile, through `reader`. */
export function gatherContext(
  doc: Doc,
  dockerfile: string,
  reader: ContextReader,
  options: GatherOptions = {},
): ProjectContext {
  const files: Record<string, string> = {};
  if (reader.list) {
    const dirs = new Set(
      [dirname(dockerfile), '.', ...(reader.root ? [reader.root] : [])].map((d) => joinPath(d)),
    );
    for (const dir of dirs) {
      for (const entry of reader.list(dir) ?? []) {
        if (entry.dir || !COMPOSE_FILE.test(entry.name)) continue;
        const path = joinPath(dir, entry.name);
        const text = reader.read(path);
        if (text !== undefined) files[path] = text;
      }
    }
  }
  let appEnv: string[] | undefined;
  if (options.scanSources && reader.list) {
    const names = new Set<string>();
    let count = 0;
    const walk = (dir: string, depth: number) => {
      for (const entry of reader.list!(dir) ?? []) {
        if (count >= MAX_SOURCES) return;
        const path = joinPath(dir, entry.name);
        if (entry.dir) {
          if (depth < 8 && !NOT_SOURCE.has(entry.name) && !entry.name.startsWith('.'))
            walk(path, depth + 1);
        } else if (entry.name.endsWith('.py')) {
          count++;
          const text = reader.read(path);
          if (text !== undefined) for (const n of envNamesRead(text)) names.add(n);
        }
      }
    };
    walk('.', 0);
    appEnv = [...names].sort();
  }
  for (const name of CONTEXT_FILES) {
    const text = reader.read(name);
    if (text !== undefined) files[name] = text;
  }
  for (const name of PRESENCE_FILES) if (reader.exists(name)) files[name] = '';
  // Which Poetry wrote the lockfile decides the group flags poetry install gets.
  if (files['poetry.lock'] !== undefined) files['poetry.lock'] = reader.read('poetry.lock') ?? '';
  // A Pipfile that installs from a path needs the source before pipenv install.
  if (files['Pipfile'] !== undefined) files['Pipfile'] = reader.read('Pipfile') ?? '';
  for (const name of scriptCandidates(doc)) {
    const text = reader.read(name);
    if (text !== undefined) files[name] = text;
  }
  // The project modules a started Python file imports, and theirs (read for signal handling).
  const queue = Object.keys(files).filter((p) => p.endsWith('.py'));
  for (let seen = 0; queue.length > 0 && seen < MAX_SOURCES; seen++) {
    for (const path of importedModules(files[queue.shift()!]).flatMap(moduleFiles)) {
      if (files[path] !== undefined) continue;
      const text = reader.read(path);
      if (text === undefined) continue;
      files[path] = text;
      queue.push(path);
    }
  }
  // Requirement files the Dockerfile names, and those they name in turn (`-r base.txt`,
  // `-c constraints.txt`): a dependency layer has to copy all of them before the source.
  const pending = requirementCandidates(doc);
  for (let i = 0; i < pending.length && i < 50; i++) {
    const text = reader.read(pending[i]);
    if (text === undefined) continue;
    files[pending[i]] = text;
    for (const named of requirementsNamedIn(pending[i], text))
      if (!pending.includes(named)) pending.push(named);
  }
  return buildContext({
    dockerfile,
    files,
    appEnv,
    contextPath: reader.contextPath,
    directories: copiedDirectories(doc, reader),
  });
}

/**
 * Environment variables a Python file reads: `os.environ["X"]`, `os.environ.get("X")`,
 * `os.getenv("X")`, and the fields of a pydantic `BaseSettings` class (upper-cased, as pydantic
 * matches them without regard to case).
 */
export function envNamesRead(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(
    /\b(?:environ\s*(?:\[\s*|\.get\s*\(\s*)|getenv\s*\(\s*)["']([A-Za-z_][A-Za-z0-9_]*)["']/g,
  ))
    names.add(m[1]);
  for (const m of text.matchAll(
    /^class\s+\w+\s*\([^)]*BaseSettings[^)]*\)\s*:[^\n]*\n((?:[ \t]+[^\n]*\n|[ \t]*\n)*)/gm,
  )) {
    for (const f of m[1].matchAll(/^[ \t]+([A-Za-z_][A-Za-z0-9_]*)\s*:(?!\s*\n)/gm))
      if (f[1] !== 'model_config') names.add(f[1].toUpperCase());
  }
  return [...names];
}

/**
 * The sources COPY and ADD take from the context, as written without `./` or a trailing `/`, that
 * are directories there: a directory copies its contents into the destination, a file lands under
 * its own name in a destination ending in `/`, and only the context can tell which a name is.
 */
function copiedDirectories(doc: Doc, reader: ContextReader): string[] {
  if (!reader.list) return [];
  const out = new Set<string>();
  for (const stage of doc.stages)
    for (const copy of doc.copies(stage)) {
      if (copy.from !== null) continue;
      for (const source of copy.sources) {
        if (/[*?[$]|^[a-z]+:\/\//i.test(source)) continue;
        const path = joinPath(source);
        if (path === '.' || path.startsWith('..')) continue;
        if (reader.list(path) !== undefined) out.add(path);
      }
    }
  return [...out].sort();
}
