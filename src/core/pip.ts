/**
 * pip, as the model reads it: every `pip install` of a stage (by any path, `pip3`, `python -m pip`),
 * the requirement and constraint files it names, whether it installs the project itself (`.`,
 * `-e .`), and where the packages go. pip installs into the Python that runs it: the first `pip` or
 * `python` on PATH (a venv's `bin` put there by ENV PATH or an `activate` in the RUN), a venv's own
 * `bin/pip`, or the system Python of the image; `--user` into the user site (`/root/.local` for
 * root), `--target`/`--prefix`/`--root` into a directory of their own. VIRTUAL_ENV alone does not
 * move pip: only PATH does.
 *
 * `pipProject` answers the question the engine asks: is this a pip project whose installs can move
 * into a venv in the app directory, so that the stage split and the runtime hardening apply?
 */
import { normalizePath, type Doc, type Instr, type Stage } from './document.js';
import { parseImageRef, parsePythonTag, runtimeImageFor } from './images.js';
import type { ShellCommand } from './shell.js';
import type { ProjectContext } from './types.js';
import { lockExports, lockToolInstalls } from './exports.js';
import { uvNamed, uvProject } from './uv-presence.js';
import {
  readOptions,
  resolvePath,
  venvAnchor,
  venvsCreated,
  wordValue,
  type PipOption,
  type VenvCreation,
} from './venv.js';

/** pip's general options (before or after the subcommand) and `pip install` options that take a separate value. */
const VALUED = new Set([
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-e',
  '--editable',
  '-t',
  '--target',
  '--platform',
  '--python-version',
  '--implementation',
  '--abi',
  '--root',
  '--prefix',
  '--src',
  '--upgrade-strategy',
  '-C',
  '--config-settings',
  '--global-option',
  '--no-binary',
  '--only-binary',
  '--progress-bar',
  '--root-user-action',
  '--report',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-f',
  '--find-links',
  '--log',
  '--proxy',
  '--retries',
  '--timeout',
  '--exists-action',
  '--trusted-host',
  '--cert',
  '--client-cert',
  '--cache-dir',
  '--python',
  '--use-feature',
  '--use-deprecated',
  '--group',
]);

/** pip's own tooling: upgrading it is not installing the app's dependencies. */
const TOOLING = /^(pip|setuptools|wheel)([<>=!~[].*)?$/i;
/** The project from the build context: `.`, `./`, `.[extra]`, `./[extra]`. */
const PROJECT = /^\.\/?(\[[^\]]*\])?$/;

/** Where one pip install puts its packages. */
export type PipTarget =
  | { kind: 'system' }
  /** A virtual environment; `dir` is null when it cannot be told which. */
  | { kind: 'venv'; dir: string | null }
  /** `--user`: the user site of whoever runs it (`/root/.local` for root). */
  | { kind: 'user' }
  | { kind: 'other'; why: string };

export interface RequirementFile {
  option: PipOption;
  /** The path as written, or null when it is an expansion that cannot be told. */
  path: string | null;
  constraint: boolean;
  /** A development file (`requirements-dev.txt`, `requirements/test.txt`): not for production. */
  dev: boolean;
}

export interface PipInstall {
  instr: Instr;
  command: ShellCommand;
  /** Index of the `install` word in `command.words`. */
  at: number;
  options: PipOption[];
  files: RequirementFile[];
  /** Positional arguments (packages, `.`, URLs), their values; null for an expansion. */
  packages: (string | null)[];
  /** It installs the project from the build context (`.`, `.[extra]`, `-e .`). */
  project: boolean;
  /** The `-e`/`--editable` option when it names a local directory. */
  editable: PipOption | null;
  /** It installs only pip's own tooling (`pip install --upgrade pip setuptools`). */
  tooling: boolean;
  target: PipTarget;
}

/** A requirements file meant for development or tests, by its name or directory. */
export function isDevRequirements(path: string): boolean {
  const parts = path.toLowerCase().split('/');
  const name = parts.pop() ?? '';
  const dev = /(^|[-_.])(dev|develop|development|test|tests|testing|lint|docs)([-_.]|$)/;
  return dev.test(name.replace(/\.(txt|in)$/, '')) || parts.some((p) => dev.test(p));
}

/** The word index after `pip` (or `python -m pip`), or -1 when the command is not pip. */
function pipStart(values: (string | null)[]): number {
  if (/(^|\/)pip[0-9.]*$/.test(values[0] ?? '')) return 1;
  if (/(^|\/)python[0-9.]*$/.test(values[0] ?? '') && values[1] === '-m' && values[2] === 'pip')
    return 3;
  return -1;
}

/** Every `pip install` in the RUNs of a stage, with what it installs and where. */
export function pipInstalls(doc: Doc, stage: Stage): PipInstall[] {
  const out: PipInstall[] = [];
  const created = venvsCreated(doc, stage);
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN') continue;
    for (const command of doc.shell(instr).commands) {
      const values = command.words.map((w) => w.value);
      const start = pipStart(values);
      if (start < 0) continue;
      // General options may come before the subcommand (`pip --no-cache-dir install`).
      let at = start;
      while (at < values.length && values[at]?.startsWith('-'))
        at += VALUED.has(values[at]!) ? 2 : 1;
      if (values[at] !== 'install') continue;
      const before = readOptions(command.words, start, VALUED).options.filter((o) => o.index < at);
      const read = readOptions(command.words, at + 1, VALUED);
      const options = [...before, ...read.options];
      const files: RequirementFile[] = options
        .filter((o) => ['-r', '--requirement', '-c', '--constraint'].includes(o.name))
        .map((o) => {
          const separate = !command.words[o.index].value?.includes('=');
          const path =
            o.value ??
            (separate && o.written !== null
              ? wordValue(doc, instr, command.words[o.index + 1])
              : null);
          return {
            option: o,
            path,
            constraint: o.name === '-c' || o.name === '--constraint',
            dev: path !== null && isDevRequirements(path),
          };
        });
      const packages = read.positional.map((i) => values[i]);
      const editable =
        options.find(
          (o) =>
            (o.name === '-e' || o.name === '--editable') &&
            o.value !== null &&
            PROJECT.test(o.value),
        ) ?? null;
      const project = editable !== null || packages.some((p) => p !== null && PROJECT.test(p));
      const tooling =
        files.length === 0 &&
        !options.some((o) => o.name === '-e' || o.name === '--editable') &&
        packages.length > 0 &&
        packages.every((p) => p !== null && TOOLING.test(p));
      out.push({
        instr,
        command,
        at,
        options,
        files,
        packages,
        project,
        editable,
        tooling,
        target: read.unreadable
          ? { kind: 'other', why: 'its arguments come from a shell variable' }
          : pipTarget(doc, instr, command, options, created),
      });
    }
  }
  return out;
}

function pipTarget(
  doc: Doc,
  instr: Instr,
  command: ShellCommand,
  options: PipOption[],
  created: VenvCreation[],
): PipTarget {
  const names = options.map((o) => o.name);
  if (names.includes('--user')) return { kind: 'user' };
  const place = options.find((o) => ['-t', '--target', '--prefix', '--root'].includes(o.name));
  if (place) return { kind: 'other', why: `${place.name} installs into a directory of its own` };
  if (names.includes('--python'))
    return { kind: 'other', why: '--python chooses the interpreter to install into' };
  const program = command.words[0].value;
  if (program === null) return { kind: 'other', why: 'pip is named through a variable' };
  if (program.includes('/')) {
    if (/^\/usr\/(local\/)?bin\//.test(program)) return { kind: 'system' };
    const dir = resolvePath(doc, instr, program.replace(/\/bin\/[^/]+$/, ''));
    return { kind: 'venv', dir };
  }
  const venvs = new Set(
    created
      .filter(
        (c) =>
          c.instr.index < instr.index || (c.instr === instr && c.command.start < command.start),
      )
      .map((c) => c.dir),
  );
  const env = doc.runEnv(instr);
  const virtualEnv = env.get('VIRTUAL_ENV');
  if (virtualEnv) venvs.add(normalizePath(virtualEnv));
  // An `activate` sourced (or PATH exported) earlier in the RUN comes first.
  // PATH keeps the base image's own part as `$PATH`, so it is read as written, not only when exact.
  let path = doc.scope(instr).get('PATH')?.value ?? null;
  for (const c of doc.shell(instr).commands) {
    if (c.start >= command.start) break;
    const [first] = c.words.map((w) => w.value);
    if ((first === '.' || first === 'source') && c.words.length === 2) {
      const script = wordValue(doc, instr, c.words[1]);
      if (script !== null && /(^|\/)bin\/activate$/.test(script)) {
        const dir = resolvePath(doc, instr, script.replace(/\/bin\/activate$/, ''));
        if (dir === null) return { kind: 'venv', dir: null };
        venvs.add(dir);
        path = `${dir}/bin:${path ?? '$PATH'}`;
      }
    } else if (first === 'export') {
      const set = c.words.slice(1).find((w) => w.value?.startsWith('PATH='));
      if (set) path = set.value!.slice('PATH='.length).replace(/\$\{?PATH\}?/, path ?? '$PATH');
    }
  }
  for (const entry of (path ?? '').split(':')) {
    if (entry === '' || /\$\{?PATH\}?/.test(entry)) break;
    const dir = normalizePath(entry).replace(/\/bin$/, '');
    if (entry.endsWith('/bin') && venvs.has(dir)) return { kind: 'venv', dir };
  }
  return { kind: 'system' };
}

/** The user site of root as written in a Dockerfile: `/root/.local`, `$HOME/.local`, `~/.local`. */
const USER_SITE = /(\/root|\$\{?HOME\}?|~)\/\.local\b/;
/** One PATH entry naming the user site's `bin`, with the colon that joins it to the rest of PATH. */
export const USER_BIN_ENTRY =
  /(\/root|\$\{?HOME\}?|~)\/\.local\/bin\/?:|:(\/root|\$\{?HOME\}?|~)\/\.local\/bin\/?(?=["'\s]|$)/;

/** An ENV whose only mentions of the user site are PATH entries of its `bin`. */
export function onlyPathNamesUserSite(doc: Doc, instr: Instr): boolean {
  return doc
    .properties(instr)
    .every(
      (p) =>
        !USER_SITE.test(p.value ?? '') ||
        (p.name === 'PATH' &&
          !USER_SITE.test((p.value ?? '').replace(new RegExp(USER_BIN_ENTRY, 'g'), ''))),
    );
}

/**
 * What a single stage needs for the venv layout of pip, Poetry and Pipenv projects (a builder and
 * a runtime on the same Python image, the venv in the app directory): a start command, an image
 * whose Python can be told, an app directory. The app directory, or why the layout does not apply.
 */
export function venvLayout(
  doc: Doc,
  stage: Stage,
  baseImage: string,
): { dir: string } | { why: string } {
  if (!stage.instructions.some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'))
    return { why: `no CMD or ENTRYPOINT: ${baseImage}` };
  const image = stage.image ?? '';
  if (image.includes('$') || runtimeImageFor(image) === null)
    return {
      why: `${image || 'the FROM'} is not an image whose Python can be told, so no runtime stage on the same Python could be made`,
    };
  // `python -m venv` came with Python 3.3; Python 2 needs virtualenv, which the image may not have.
  const python = parsePythonTag(parseImageRef(image).tag).python;
  if (python !== null && /^2(\.|$)/.test(python))
    return {
      why: `${image} is Python 2, which has no venv module (python -m venv came with Python 3.3), so no venv can be made for a runtime stage to receive`,
    };
  const app = doc.appDir(stage);
  return app.dir === null ? { why: app.why } : { dir: app.dir };
}

/** What the engine and pip-venv need to know about a project that installs with pip. */
export type PipProject =
  /** Not a pip project: uv, Poetry or Pipenv, no pip install, or a file with stages of its own. */
  | { kind: 'none' }
  /** A pip project the venv layout does not apply to (yet): `why` names the reason. */
  | { kind: 'blocked'; why: string; instr: Instr }
  /**
   * A single stage whose pip installs go, or can go, into a venv in its app directory: `venv` is
   * `<app>/.venv`, or the file's own venv elsewhere inside the app directory (`python -m venv venv`).
   */
  | { kind: 'ready'; stage: Stage; app: string; venv: string; installs: PipInstall[] };

/**
 * Whether the project is one for the pip venv layout: not a uv, Poetry or Pipenv project (unless
 * Poetry or Pipenv only export the lock for pip), one stage that installs with pip more than pip's
 * own tooling, and nothing that ties those packages to the system Python or to root.
 */
export function pipProject(doc: Doc, ctx: ProjectContext): PipProject {
  if (uvNamed(doc)) return { kind: 'none' };
  if (doc.stages.length !== 1) return { kind: 'none' };
  const stage = doc.stages[0];
  // Poetry or Pipenv that only export the lock to a requirements file leave the installing to pip:
  // pip's layout applies, and the tool's own pip install stays in the system Python of the builder.
  const exports = lockExports(doc, stage);
  const tool = (['poetry', 'pipenv'] as const).find(
    (t) => exports.some((e) => e.tool === t) && !lockToolInstalls(doc, stage, t),
  );
  // A Pipfile beside a Dockerfile that never calls Pipenv is not what the image installs: what the
  // Dockerfile runs decides the installer, so pip's layout applies to its pip installs.
  if (ctx.hasPipfile && tool !== 'pipenv' && callsTool(doc, stage, 'pipenv'))
    return { kind: 'none' };
  // A pyproject with [tool.poetry] (or a poetry.lock) beside a Dockerfile that never calls Poetry
  // is installed with pip as written (often from an exported requirements.txt): pip's layout applies.
  if (
    (ctx.pyproject?.poetry || ctx.hasPoetryLock) &&
    tool !== 'poetry' &&
    callsTool(doc, stage, 'poetry')
  )
    return { kind: 'none' };
  const toolInstall = tool ? toolPipInstall(doc, stage, tool, true) : null;
  const installs = pipInstalls(doc, stage).filter((i) => i.command !== toolInstall?.command);
  const app = installs.filter((i) => !i.tooling);
  if (app.length === 0) return { kind: 'none' };
  const blocked = (instr: Instr, why: string): PipProject => ({ kind: 'blocked', why, instr });
  const firstApp = app.find((i) => i.target.kind === 'system' || i.target.kind === 'user');
  if (toolInstall && firstApp && toolInstall.instr.index >= venvAnchor(stage, firstApp.instr).index)
    return blocked(
      toolInstall.instr,
      `${tool === 'poetry' ? 'Poetry' : 'Pipenv'} is installed in the RUN that installs the exported requirements, or after it, so the venv made for them would take ${tool === 'poetry' ? 'Poetry' : 'Pipenv'} in too; install it in a RUN of its own before them`,
    );
  const user = installs.find((i) => i.target.kind === 'user');
  if (user) {
    // `--user` as root only means "not into /usr/local": the venv gives that. Elsewhere it is a
    // place someone chose, which the venv would not replace.
    const base = doc.scope(user.instr).get('PYTHONUSERBASE');
    if (base)
      return blocked(
        base.instr,
        `pip installs with --user into PYTHONUSERBASE (${base.value}), a place of its own; moving those packages into a venv is for a person to decide`,
      );
    const named = stage.instructions.find(
      (i) =>
        i.keyword !== 'RUN' &&
        USER_SITE.test(doc.logical(i.argsStart, i.argsEnd)) &&
        !(i.keyword === 'ENV' && onlyPathNamesUserSite(doc, i)),
    );
    if (named)
      return blocked(
        named,
        `${named.keyword} refers to the user site (/root/.local) that pip --user installs into, which the venv would replace`,
      );
  }
  const other = installs.find((i) => i.target.kind === 'other');
  if (other && other.target.kind === 'other')
    return blocked(other.instr, `pip install: ${other.target.why}`);
  const layout = venvLayout(
    doc,
    stage,
    'a base image, and the images built FROM it may rely on the packages being in the system Python',
  );
  if ('why' in layout) return blocked(stage.from, layout.why);
  const dir = layout;
  const venv = `${dir.dir}/.venv`;
  // A venv of the file's own inside the app directory travels with it, whatever its name.
  const own = new Set(
    installs.flatMap((i) =>
      i.target.kind === 'venv' && i.target.dir !== venv ? [i.target.dir] : [],
    ),
  );
  const elsewhere = installs.find(
    (i) =>
      i.target.kind === 'venv' &&
      i.target.dir !== venv &&
      !(i.target.dir !== null && insideDir(i.target.dir, dir.dir)),
  );
  if (elsewhere && elsewhere.target.kind === 'venv')
    return blocked(
      elsewhere.instr,
      `pip installs into ${elsewhere.target.dir === null ? 'a virtual environment that cannot be told' : `${elsewhere.target.dir}, a virtual environment outside the app directory ${dir.dir}`}, which a runtime stage receiving the app directory would not get; copying it too is not done yet`,
    );
  if (own.size > 1)
    return blocked(
      installs.find((i) => i.target.kind === 'venv')!.instr,
      `pip installs into more than one virtual environment (${[...own].join(', ')}); which one the program runs with is for a person to say`,
    );
  const mixed = own.size === 1 && installs.find((i) => !i.tooling && i.target.kind !== 'venv');
  if (mixed)
    return blocked(
      mixed.instr,
      `pip installs both into ${[...own][0]} and outside it; which Python the program runs with is for a person to say`,
    );
  const virtualEnv = doc.stageScope(stage).get('VIRTUAL_ENV');
  if (virtualEnv && virtualEnv.value !== venv && installs.some((i) => i.target.kind === 'system'))
    return blocked(
      virtualEnv.instr,
      `VIRTUAL_ENV is set (${virtualEnv.value}) although pip installs into the system Python; which one is meant is for a person to say`,
    );
  // The user each install runs as: the last USER before it (`pip install --upgrade pip` as root,
  // then `USER app` and the requirements, is still an install by a user who does not own the venv).
  const userBefore = installs
    .filter((i) => i.target.kind === 'system' || i.target.kind === 'user')
    .map((install) =>
      stage.instructions
        .filter((i) => i.keyword === 'USER' && i.index < install.instr.index)
        .at(-1),
    )
    .find(
      (user) =>
        user !== undefined &&
        !/^(root|0)(:(root|0))?$/.test(doc.logical(user.argsStart, user.argsEnd).trim()),
    );
  if (userBefore)
    return blocked(
      userBefore,
      `USER ${doc.logical(userBefore.argsStart, userBefore.argsEnd).trim()} is set before the install, and the venv would be made by a user that may not own the app directory`,
    );
  const setup = stage.instructions.find(
    (i) =>
      i.keyword === 'RUN' &&
      doc.shell(i).commands.some((c) => {
        const v = c.words.map((w) => w.value);
        return (
          /(^|\/)python[0-9.]*$/.test(v[0] ?? '') &&
          /setup\.py$/.test(v[1] ?? '') &&
          /^(install|develop)$/.test(v[2] ?? '')
        );
      }),
  );
  if (setup)
    return blocked(
      setup,
      '`setup.py install` writes into the system Python, which a runtime stage does not receive',
    );
  for (const instr of stage.instructions.filter(
    (i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT',
  )) {
    const text = doc.logical(instr.argsStart, instr.argsEnd);
    if (/(^|[\s"/])pip[0-9.]*["\s]+install\b|-m["\s,]+pip["\s,]+install/.test(text))
      return blocked(
        instr,
        `${instr.keyword} installs packages at start; they belong in the build`,
      );
    if (/\/usr\/(local\/)?bin\/python/.test(text))
      return blocked(
        instr,
        `${instr.keyword} runs the system Python by its path, which would not see the venv`,
      );
  }
  // A RUN after the install that names it (`/usr/local/bin/python3 manage.py` in a cron line it
  // writes, or a build step) would run without the packages once they are in the venv.
  const firstInstall = installs.find((i) => !i.tooling);
  const later = firstInstall
    ? stage.instructions.find(
        (i) =>
          i.keyword === 'RUN' &&
          i.index > firstInstall.instr.index &&
          /\/usr\/(local\/)?bin\/python/.test(doc.logical(i.argsStart, i.argsEnd)),
      )
    : undefined;
  if (later) {
    const text = doc.logical(later.argsStart, later.argsEnd);
    const python = /\/usr\/(local\/)?bin\/python[\d.]*/.exec(text)![0];
    return blocked(
      later,
      /\/etc\/cron|\bcrontab\b/.test(text)
        ? `this RUN installs a cron job that runs the system Python by its path (${python}): it would not see the packages once they are in the venv, and the cron daemon that runs it must start as root beside the app, so the image cannot run as a non-root user either; run the job from a scheduler of its own (a separate container, a Kubernetes CronJob)`
        : `this RUN names the system Python by its path (${python}), which would not see the packages once they are in the venv; call python from PATH instead`,
    );
  }
  const reset = stage.instructions.find(
    (i) =>
      i.keyword === 'ENV' &&
      doc.properties(i).some((p) => p.name === 'PATH' && !/\$\{?PATH\}?/.test(p.value ?? '')),
  );
  if (reset)
    return blocked(
      reset,
      'an ENV PATH replaces PATH without keeping it, so the venv programs would not be found',
    );
  return { kind: 'ready', stage, app: dir.dir, venv: [...own][0] ?? venv, installs };
}

/**
 * Whether a RUN or the start command of the stage names the tool (`poetry`, `pipenv`), whatever it
 * does with it: a `pipenv run` at start needs Pipenv's layout as much as a `pipenv install` does.
 */
export function callsTool(doc: Doc, stage: Stage, tool: 'poetry' | 'pipenv'): boolean {
  const named = new RegExp(`\\b${tool}\\b`);
  return stage.instructions.some(
    (i) =>
      ['RUN', 'CMD', 'ENTRYPOINT'].includes(i.keyword) &&
      named.test(doc.logical(i.argsStart, i.argsEnd)),
  );
}

/** Whether `path` lies strictly inside `dir` (both normalised absolute paths). */
export function insideDir(path: string, dir: string): boolean {
  return path.startsWith(`${dir.replace(/\/$/, '')}/`);
}

/**
 * A single-stage Python image with a start command that installs nothing: no requirements file in
 * the context, no pip install beyond pip's own tooling, not a uv, Poetry or Pipenv project. There
 * is no dependency layer to split off; the answer is the first copy from the build context (where
 * a split would have gone), or null when the file is not of that kind.
 */
export function noInstallStep(doc: Doc, ctx: ProjectContext): Instr | null {
  if (uvProject(doc, ctx).yes || ctx.pyproject?.poetry || ctx.hasPoetryLock || ctx.hasPipfile)
    return null;
  if (ctx.hasRequirementsTxt || doc.stages.length !== 1) return null;
  const stage = doc.stages[0];
  const image = stage.image ?? '';
  if (image.includes('$') || runtimeImageFor(image) === null) return null;
  if (!stage.instructions.some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'))
    return null;
  if (pipInstalls(doc, stage).some((i) => !i.tooling)) return null;
  // Another installer (conda, a poetry or pipenv call, `setup.py install`) is not "nothing".
  const installs = stage.instructions.some(
    (i) =>
      i.keyword === 'RUN' &&
      /\b(conda|mamba|micromamba|poetry|pipenv|uv|easy_install|setup\.py)\b/.test(
        doc.logical(i.argsStart, i.argsEnd),
      ),
  );
  if (installs) return null;
  return doc.copies(stage).find((c) => c.from === null)?.instr ?? null;
}

/**
 * A pip install of a tool alone (`pip install poetry==1.8.5`, `"pipenv==$PIPENV_VERSION"`), or
 * null. Names are read as written, so a version from a variable is still the tool; with `plugins`,
 * the tool's plugins may come beside it (`poetry-plugin-export`), and pip's own tooling may always
 * (`pip install --upgrade pip poetry==1.8.4`): both stay in the builder's system Python with the tool.
 */
export function toolPipInstall(
  doc: Doc,
  stage: Stage,
  tool: string,
  plugins = false,
): PipInstall | null {
  const version = '([<>=!~[$].*)?$';
  const itself = new RegExp(`^${tool}${version}`, 'i');
  const family = new RegExp(`^${tool}${plugins ? '(-[a-z-]+)?' : ''}${version}`, 'i');
  return (
    pipInstalls(doc, stage).find((i) => {
      if (i.files.length > 0 || i.packages.length === 0) return false;
      const names = i.command.words
        .slice(i.at + 1)
        .map((w) => w.value ?? w.raw.replace(/^["']/, ''))
        .filter((v) => !v.startsWith('-'));
      return (
        names.length === i.packages.length &&
        names.some((n) => itself.test(n)) &&
        names.every((n) => family.test(n) || TOOLING.test(n))
      );
    }) ?? null
  );
}

/**
 * The stage exports the lock with `tool` (`poetry export`, `pipenv requirements`) and pip installs
 * all but the tool itself into `<app dir>/.venv`: a builder like one that syncs, the tool staying in
 * its system Python.
 */
export function exportedIntoVenv(doc: Doc, stage: Stage, tool: 'poetry' | 'pipenv'): boolean {
  if (!lockExports(doc, stage).some((e) => e.tool === tool) || lockToolInstalls(doc, stage, tool))
    return false;
  const own = toolPipInstall(doc, stage, tool, true);
  const installs = pipInstalls(doc, stage).filter((i) => i.command !== own?.command && !i.tooling);
  const app = doc.appDir(stage).dir;
  return (
    app !== null &&
    installs.length > 0 &&
    installs.every((i) => i.target.kind === 'venv' && i.target.dir === `${app}/.venv`)
  );
}
