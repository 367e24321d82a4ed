/**
 * What a RUN leaves outside the app directory. A runtime stage receives the app directory (with
 * its venv), the runtime packages and the users, nothing else: a symlink into /etc, a config file
 * written with `echo >`, a browser downloaded into /root/.cache, a tool installed with `npm -g`
 * stay in the builder. Such a RUN is either replayed in the runtime (it only moves, links, edits or
 * removes files with the standard tools, which the runtime has) or, when it does more, the stage
 * cannot be split without losing what it made.
 *
 * Read from the shell model, command by command; programs it does not know are taken to work in
 * the directory they run in (the app directory), as builds do (`python manage.py collectstatic`).
 */
import {
  copyLandings,
  isUnder,
  normalizePath,
  type Doc,
  type Instr,
  type Stage,
} from './document.js';
import { runnerRun } from './runtime-command.js';
import type { ShellCommand, ShellWord } from './shell.js';

export type SystemChange =
  /** Nothing outside the app directory that the runtime would lack. */
  | { kind: 'none' }
  /** Files moved, linked, edited or removed with the standard tools: the RUN can run again in the runtime. */
  | { kind: 'replay'; what: string }
  /**
   * Something made outside the app directory that only this build can make; `path` is where.
   * `files`, when every such change is a whole file written in place, names them: the runtime can
   * take them from the builder as they are.
   */
  | { kind: 'kept'; what: string; path: string; files?: string[] };

/** Places whose contents a runtime stage does not need: caches, temporary files, package lists. */
// /etc/apt: keyrings and sources serve the build's own package installs; the package manager's
// own records (/var/lib/apt, /var/lib/dpkg) and manuals are the runtime's own after its installs.
const SCRATCH = [
  '/tmp',
  '/var/tmp',
  '/dev',
  '/proc',
  '/var/lib/apt',
  '/var/lib/dpkg',
  '/usr/share/man',
  '/var/cache',
  '/root/.cache',
  '/usr/share/doc',
  '/etc/apt',
];

/** Programs that change files and that every Python image has, with nothing downloaded or built. */
const FILE_TOOLS = new Set([
  // The user tools too: a RUN that creates users is copied to the runtime whole.
  'groupadd',
  'useradd',
  'addgroup',
  'adduser',
  'usermod',
  'groupmod',
  'chpasswd',
  'tee',
  'ln',
  'rm',
  'mkdir',
  'chmod',
  'chown',
  'chgrp',
  'touch',
  'sed',
  'cp',
  'mv',
  'install',
]);
/** Programs that change nothing on disk unless their output is redirected. */
const QUIET = new Set([
  'echo',
  'printf',
  'cat',
  'true',
  ':',
  'set',
  'export',
  'cd',
  'test',
  '[',
  'find',
  'ls',
  'id',
  'whoami',
  'uname',
  'date',
  'env',
  'printenv',
  'pwd',
  'which',
  'command',
  'type',
  'grep',
  'head',
  'tail',
  'wc',
  'sort',
  'cut',
  'tr',
  'basename',
  'dirname',
  'readlink',
  'stat',
  'du',
  'df',
  'nproc',
  'sleep',
]);

export function systemChange(
  doc: Doc,
  instr: Instr,
  appDir: string,
  /** Places the runtime gets, or needs not have, another way (files the stage copied in for the build). */
  elsewhere: readonly string[] = [],
): SystemChange {
  if (instr.keyword !== 'RUN' || instr.json) return { kind: 'none' };
  const workdir = doc.workdirAt(instr);
  let cwd: string | null = workdir.exact ? workdir.value : null;
  const where = (path: string | null): string | null => {
    if (path === null) return null;
    if (path.startsWith('/')) return normalizePath(path);
    return cwd === null ? null : normalizePath(`${cwd}/${path}`);
  };
  /** A place written that the runtime would not have: outside the app directory and not scratch. */
  const outside = (word: ShellWord | undefined): string | null => {
    if (!word) return null;
    const path = where(expanded(doc, instr, word));
    if (path === null) return word.raw;
    return [appDir, ...SCRATCH, ...elsewhere].some((dir) => isUnder(path, dir)) ? null : path;
  };
  const browsers = doc.scope(instr).get('PLAYWRIGHT_BROWSERS_PATH')?.value;
  let replay: { what: string; path: string } | null = null;
  // A program other than the file tools: a RUN with one cannot simply run again in the runtime.
  let other: string | null = null;
  let kept: { what: string; path: string } | null = null;
  // Whole files written in place (`>`, `tee`, `curl -o`): the runtime can take them as built.
  const files: string[] = [];
  let onlyFiles = true;
  // Directories made (and their modes): a runtime without them still starts, as before dockmig.
  let onlyDirs = true;
  // `[ ! -d /data ] && mkdir /data` run again where /data exists fails the build.
  let conditional = false;
  for (const command of doc.shell(instr).commands) {
    const c = runBy(command);
    const values = c.words.map((w) => w.value);
    const program = (values[0] ?? '').replace(/^.*\//, '');
    if (program === 'cd') {
      cwd = c.words.length > 1 ? where(expanded(doc, instr, c.words[1])) : '/root';
      continue;
    }
    const redirected = (c.writes ?? []).map(outside).filter((p) => p !== null);
    const written = redirected[0] ?? writesOutside(c, program, outside, browsers);
    // A command of assignments only (`URL=$(...)`) sets variables, nothing on disk.
    // `python --version`, `uv -V`: a question about the build, nothing written.
    const asks = c.words.length === 2 && /^(--version|-V|version)$/.test(values[1] ?? '');
    const tool = c.words.length === 0 || asks || FILE_TOOLS.has(program) || QUIET.has(program);
    if (program === '[' || program === 'test') conditional = true;
    if (written === null) {
      if (!tool) other ??= commandText(command);
      continue;
    }
    if (!['mkdir', 'chmod', 'chown', 'chgrp'].includes(program)) onlyDirs = false;
    const file =
      written.startsWith('/') &&
      (redirected.length > 0 ||
        program === 'tee' ||
        (program === 'curl' && !!values.find((v) => v === '-o' || v === '--output')) ||
        (program === 'wget' && !!values.find((v) => v === '-O' || v === '--output-document')));
    const placed = redirected.length > 0 ? null : placedFile(c, program, written);
    if (file) files.push(...(redirected.length > 0 ? redirected : [written]));
    else if (placed) files.push(placed);
    // The mode of a file taken whole comes with it.
    else if (!(['chmod', 'chown', 'chgrp'].includes(program) && files.includes(written)))
      onlyFiles = false;
    if (!tool) kept ??= { what: commandText(command), path: written };
    else replay ??= { what: commandText(command), path: written };
  }
  const carry = onlyFiles && files.length > 0 ? { files: [...new Set(files)] } : {};
  if (kept) return { kind: 'kept', ...kept, ...carry };
  if (replay === null) return { kind: 'none' };
  if (other === null && !conditional) return { kind: 'replay', what: replay.what };
  return onlyDirs
    ? { kind: 'none' }
    : {
        kind: 'kept',
        what: `${replay.what}, in the same RUN as ${other}`,
        path: replay.path,
        ...carry,
      };
}

/** Directories every image has, so that a file moved or copied there lands inside them. */
const BIN_DIRS = new Set(['/usr/local/bin', '/usr/local/sbin', '/usr/bin', '/usr/sbin', '/bin']);

/**
 * The one file `mv`, `cp` or `install` puts outside the app directory (`mv ngrok /usr/local/bin`
 * -> /usr/local/bin/ngrok): a single plain source, not a tree, into a bin directory or to a path
 * ending in the source's own name. Null for anything else: `mv tool /opt` may rename the file or
 * move it into a directory, which only the builder's filesystem can tell.
 */
function placedFile(c: ShellCommand, program: string, written: string): string | null {
  if (!['mv', 'cp', 'install'].includes(program)) return null;
  const args = c.words.slice(1).map((w) => w.value);
  if (args.some((v) => v === null || /^-(-recursive|-target-directory.*|[a-zA-Z]*[rRatd])/.test(v)))
    return null;
  const operands = args.filter((v) => !v!.startsWith('-')) as string[];
  if (install(program, args) || operands.length !== 2) return null;
  const name = operands[0].replace(/\/$/, '').split('/').pop()!;
  if (name === '' || name === '.' || name === '..' || /[*?[]/.test(operands[0])) return null;
  const dir = written.replace(/\/$/, '');
  if (BIN_DIRS.has(dir)) return `${dir}/${name}`;
  return dir.split('/').pop() === name ? dir : null;
}

/** `install` given options with values (`-m 755`, `-o root`) reads them as operands here: skip it. */
function install(program: string, args: (string | null)[]): boolean {
  return program === 'install' && args.some((v) => /^-[a-zA-Z]*[mogS]$/.test(v ?? ''));
}

/**
 * The place outside the app directory a command writes, by what the program is known to do; null
 * when it writes only inside, nowhere, or the program is not one known here.
 */
function writesOutside(
  c: ShellCommand,
  program: string,
  outside: (w: ShellWord | undefined) => string | null,
  browsers: string | undefined,
): string | null {
  const values = c.words.map((w) => w.value);
  const args = c.words.slice(1);
  const operands = args.filter((w) => !(w.value ?? '').startsWith('-'));
  const flagValue = (...names: string[]): ShellWord | undefined => {
    const i = args.findIndex((w) => names.includes(w.value ?? ''));
    if (i >= 0) return args[i + 1];
    const joined = args.find((w) =>
      names.some((n) => n.startsWith('--') && (w.value ?? '').startsWith(`${n}=`)),
    );
    return joined
      ? { ...joined, value: joined.value!.slice(joined.value!.indexOf('=') + 1) }
      : undefined;
  };
  const first = (words: ShellWord[]) => words.map(outside).find((p) => p !== null) ?? null;
  const playwright = () =>
    browsers === undefined
      ? '/root/.cache/ms-playwright'
      : outside({ value: browsers, raw: browsers, start: 0, end: 0 });
  switch (program) {
    case 'ln':
    case 'cp':
    case 'mv':
    case 'install': {
      const into = flagValue('-t', '--target-directory');
      if (into) return outside(into);
      return operands.length < 2 ? null : outside(operands[operands.length - 1]);
    }
    case 'rm':
    case 'mkdir':
    case 'touch':
    case 'tee':
      return first(operands);
    case 'chmod':
    case 'chown':
    case 'chgrp':
      return first(operands.slice(1));
    case 'sed':
      return args.some(
        (w) => /^-[a-zA-Z]*i/.test(w.value ?? '') || (w.value ?? '').startsWith('--in-place'),
      )
        ? first(operands.slice(1))
        : null;
    case 'curl':
      return outside(flagValue('-o', '--output'));
    case 'wget':
      return (
        outside(flagValue('-O', '--output-document')) ??
        outside(flagValue('-P', '--directory-prefix'))
      );
    case 'tar':
      return outside(flagValue('-C', '--directory'));
    case 'unzip':
      return outside(flagValue('-d'));
    case 'git':
      return values[1] === 'clone' ? outside(cloneDirectory(args.slice(1))) : null;
    case 'npm':
    case 'pnpm':
      return values.some((v) => v === '-g' || v === '--global')
        ? '/usr/local/lib/node_modules'
        : null;
    case 'yarn':
      return values[1] === 'global' ? '/usr/local/share/.config/yarn/global' : null;
    case 'crontab':
      // `crontab FILE` installs it for the user; `-l` lists, `-r` removes, `-e` needs a terminal.
      return values.some((v) => /^-[lre]$/.test(v ?? '')) ? null : '/var/spool/cron/crontabs';
    case 'playwright':
      return playwrightInstall(values.slice(1));
    default:
      // `python -m playwright install`: the browsers, not the package, go outside.
      return /^python[0-9.]*$/.test(program) && values[1] === '-m' && values[2] === 'playwright'
        ? playwrightInstall(values.slice(3))
        : null;
  }

  /** `install` puts browsers outside; `install-deps` and `--with-deps` install system packages. */
  function playwrightInstall(rest: (string | null)[]): string | null {
    if (rest[0] === 'install-deps') return SYSTEM_LIBRARIES;
    if (rest[0] !== 'install') return null;
    return rest.includes('--with-deps') ? SYSTEM_LIBRARIES : playwright();
  }
}

/** Where the system packages playwright installs for its browsers go (with apt-get, as root). */
const SYSTEM_LIBRARIES = '/usr/lib';

/**
 * The command a project runner starts (`poetry run python -m playwright install`, `pipenv run`,
 * `uv run` without options): what it writes is what that command writes.
 */
function runBy(c: ShellCommand): ShellCommand {
  const values = c.words.map((w) => w.value);
  const run =
    runnerRun(values)?.run ?? (/(^|\/)uv$/.test(values[0] ?? '') && values[1] === 'run' ? 1 : null);
  // Options of the run itself (`uv run --with x`) change what runs: read as written.
  return run !== null && !(values[run + 1] ?? '-').startsWith('-')
    ? { ...c, words: c.words.slice(run + 1) }
    : c;
}

/** Options of `git clone` that take the next word as their value (`-b v2.5.0`). */
const CLONE_VALUED = new Set([
  '-b',
  '--branch',
  '-o',
  '--origin',
  '-c',
  '--config',
  '-u',
  '--upload-pack',
  '-j',
  '--jobs',
  '--depth',
  '--reference',
  '--separate-git-dir',
  '--template',
  '--filter',
  '--shallow-since',
  '--shallow-exclude',
]);

/**
 * Where `git clone` puts the repository: the directory named after the URL, or, without one, the
 * URL's last part less `.git` in the current directory (`kubespray` of `.../kubespray.git`), as git
 * does. Option values are not operands: `-b v2.5.0 URL` clones URL, not into `URL`.
 */
function cloneDirectory(args: ShellWord[]): ShellWord | undefined {
  const operands: ShellWord[] = [];
  for (let i = 0; i < args.length; i++) {
    const v = args[i].value ?? '';
    if (CLONE_VALUED.has(v)) i++;
    else if (!v.startsWith('-')) operands.push(args[i]);
  }
  if (operands.length >= 2) return operands[1];
  const url = operands[0]?.value;
  if (!url) return undefined;
  const name = url
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split(/[/:]/)
    .pop();
  return name ? { ...operands[0], value: name, raw: name } : undefined;
}

function expanded(doc: Doc, instr: Instr, word: ShellWord): string | null {
  if (word.value !== null && !word.value.includes('$')) return word.value;
  const r = doc.expand(word.value ?? word.raw, doc.scope(instr));
  return r.exact ? r.value : null;
}

function commandText(c: ShellCommand): string {
  return c.words.map((w) => w.raw).join(' ');
}

/**
 * Where the stage's copies from the build context land outside the app directory: the build's own
 * inputs (`COPY requirements/ /requirements/`) or scripts the runtime receives from the builder.
 */
function copiedOutside(doc: Doc, stage: Stage, appDir: string): string[] {
  return doc
    .copies(stage)
    .flatMap((c) => (c.from === null ? (copyLandings(c, []) ?? []) : []))
    .filter((path) => path.startsWith('/') && !isUnder(path, appDir));
}

/**
 * What every RUN of a stage leaves outside its app directory, read once; the files the stage
 * copied in outside it are its build's inputs (or scripts the runtime receives another way).
 */
export function stageChanges(doc: Doc, stage: Stage, appDir: string): Map<Instr, SystemChange> {
  const copied = copiedOutside(doc, stage, appDir);
  return new Map(
    stage.instructions
      .filter((i) => i.keyword === 'RUN')
      .map((i) => [i, systemChange(doc, i, appDir, copied)] as const),
  );
}
