/**
 * COPY . .                        ->  RUN --mount=type=cache,target=/root/.cache/uv \
 * RUN uv sync --frozen --no-dev           --mount=type=bind,source=uv.lock,target=/app/uv.lock \
 *                                         --mount=type=bind,source=pyproject.toml,target=/app/pyproject.toml \
 *                                         uv sync --frozen --no-install-project --no-dev
 *                                     COPY . .
 *                                     RUN --mount=type=cache,target=/root/.cache/uv \
 *                                         uv sync --frozen --no-dev
 *
 * COPY pyproject.toml uv.lock ./  ->  COPY pyproject.toml uv.lock ./
 * RUN uv sync --frozen --no-dev       RUN --mount=type=cache,target=/root/.cache/uv \
 * COPY src ./src                          uv sync --frozen --no-install-project --no-dev
 *                                     COPY src ./src
 *                                     RUN --mount=type=cache,target=/root/.cache/uv \
 *                                         uv sync --frozen --no-dev
 *
 * The project is always installed by a sync that runs after its source is there, as uv's Docker
 * guide does: a packaged project synced before its source exists fails in the build backend, and
 * once `uv run` leaves the start command nothing else would install it. Virtual projects get the
 * same shape; it costs one no-op sync and stays right if a build system is added later.
 *
 * "The source" is every COPY/ADD from the build context (no --from, no URL, no heredoc) that lands
 * in the project directory (the WORKDIR uv sync runs in, a directory inside it, or one above it)
 * and copies something other than the project's metadata: pyproject.toml, uv.lock, uv.toml,
 * .python-version, README/LICENSE-like files and globs of them (`uv.lock*`, `*.toml`). So `COPY . .`,
 * `COPY . /app`, `ADD . .`, `COPY --chown=app ./ ./`, `COPY src ./src`, `COPY orders/ orders/` and
 * `COPY alembic.ini ./` are source; `COPY pyproject.toml uv.lock README.md ./` and
 * `COPY entrypoint.sh /usr/local/bin/` are not. A destination with a variable counts as source.
 *
 * Syncs before the first source copy install the dependencies only (`--no-install-project`); when
 * no sync follows a source copy, one is added after the last source copy, with the first sync's own
 * flags and environment (so the same extras, groups and venv), its secret, ssh and uv-image mounts,
 * and the uv cache mount. When only a sync after the source exists, the dependency step is added
 * before the first source copy: an original `COPY pyproject.toml uv.lock ./` stays and serves it,
 * bind mounts (absolute targets, WORKDIR + file: podman and buildah refuse relative ones) bring
 * the files not copied yet. Not changed, with the reason: a uv workspace (its first sync would need
 * every member pyproject.toml), no uv.lock in the context, a heredoc sync, flags from a variable,
 * a sync that depends on the shell state of its RUN (`cd sub && uv sync`), a WORKDIR or USER that
 * changes between the sync and the source copy.
 */
import { defineTransform } from '../src/core/transform.js';
import {
  isUnder,
  isUvCall,
  normalizePath,
  PLAIN_PATH,
  type Doc,
  type Flag,
  type Instr,
  type Stage,
} from '../src/core/document.js';
import type { ShellCommand } from '../src/core/shell.js';
import { syncFlags, type SyncLine } from '../src/core/uv-sync.js';
import { assignments, uvSettings } from '../src/core/uv.js';
import { installsUv, onlyUvSettings } from '../src/core/uv-presence.js';
import type { Edit, Finding, ProjectContext } from '../src/core/types.js';

const CACHE = '--mount=type=cache,target=/root/.cache/uv';
const NO_INSTALL = new Set(['--no-install-project', '--no-install-workspace']);

export default defineTransform({
  id: 'dependency-layer',
  title: 'Install dependencies in their own cached layer',
  rationale:
    'When the whole source is copied before `uv sync`, every code change reinstalls every ' +
    'dependency. Installing from pyproject.toml and uv.lock alone first (`--no-install-project`) ' +
    'keeps that layer cached until the lockfile changes, and a sync after the source is copied ' +
    'installs the project itself; a cache mount keeps downloaded wheels between builds without ' +
    'putting them in the image.',
  uvOnly: true,
  detect(doc, ctx) {
    const findings: Finding[] = [];
    for (const stage of doc.stages) {
      const syncs = syncsOf(doc, stage);
      if (syncs.length === 0) continue;
      findings.push(...layer(doc, stage, syncs, ctx));
      for (const instr of new Set(syncs.map((s) => s.instr)))
        findings.push(...absoluteTargets(doc, instr));
    }
    return findings;
  },
});

/**
 * `--mount=type=bind,source=uv.lock,target=uv.lock` (uv's own guide): BuildKit takes a target
 * relative to the WORKDIR, podman and buildah refuse it; written absolute, both build it.
 */
function absoluteTargets(doc: Doc, instr: Instr): Finding[] {
  const dir = doc.workdirAt(instr);
  const edits: Edit[] = [];
  for (const flag of instr.flags) {
    if (flag.name !== 'mount') continue;
    const text = doc.text.slice(flag.start, flag.end);
    for (const m of text.matchAll(/([=,])(target|dst|destination)=([^,\s"']+)/g)) {
      const path = m[3];
      if (path.startsWith('/') || path.includes('$')) continue;
      if (!dir.exact || !PLAIN_PATH.test(dir.value)) return [];
      const at = flag.start + m.index! + m[1].length + m[2].length + 1;
      edits.push({ start: at, end: at + path.length, text: normalizePath(`${dir.value}/${path}`) });
    }
  }
  return edits.length === 0
    ? []
    : [
        {
          message:
            'mount targets are written absolute (WORKDIR + path): podman and buildah refuse a relative target',
          range: { start: instr.start, end: instr.end },
          edits,
        },
      ];
}

interface Sync {
  instr: Instr;
  command: ShellCommand;
}

function syncsOf(doc: Doc, stage: Stage): Sync[] {
  const out: Sync[] = [];
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN') continue;
    for (const command of doc.shell(instr).commands)
      if (isUvCall(command, 'sync')) out.push({ instr, command });
  }
  return out;
}

function layer(doc: Doc, stage: Stage, syncs: Sync[], ctx: ProjectContext): Finding[] {
  const last = syncs[syncs.length - 1];
  const project = doc.workdirAt(last.instr).value;
  const sources = stage.instructions.filter((i) => copiesSource(doc, stage, i, project));
  if (sources.length === 0) return cacheMount(doc, last);
  const first = sources[0];
  const before = syncs.filter((s) => s.instr.index < first.index);
  if (before.length === 0) return split(doc, stage, first, last, ctx);
  const lastSource = sources[sources.length - 1];
  const packaged = ctx.pyproject?.hasBuildSystem && ctx.pyproject.uvPackage !== false;
  // `ADD . /app` + `RUN rm -rf /app/src` + `uv sync` + `ADD ./src /app/src`: the package removed
  // before the sync and copied back after it is never installed. A config file or another
  // directory copied after the sync (`COPY gunicorn.conf.py ./`) needs nothing.
  if (
    packaged &&
    lastSource.index > last.instr.index &&
    restoresRemoved(doc, stage, lastSource, last.instr)
  )
    return installProject(doc, stage, syncs, lastSource, ctx);
  if (syncs.some((s) => s.instr.index > first.index))
    return [
      ...dependencyOnly(before, ctx),
      ...before.flatMap((s) => cacheMount(doc, s)),
      ...cacheMount(doc, last),
    ];
  return installProject(doc, stage, before, sources[sources.length - 1], ctx);
}

/** The original already has a dependency step before the source copy: make it dependency-only. */
function dependencyOnly(before: Sync[], ctx: ProjectContext): Finding[] {
  const findings: Finding[] = [];
  for (const s of before) {
    const flags = syncFlags(s.command);
    if (flags.fromVariable || flags.flags.some((f) => NO_INSTALL.has(f.name))) continue;
    const range = { start: s.instr.start, end: s.instr.end };
    if (ctx.pyproject?.workspaceMembers.length) {
      findings.push(workspaceNote(range));
      continue;
    }
    findings.push({
      message:
        'the sync before the source copy installs only the dependencies (--no-install-project): the project is not there yet',
      range,
      edits: [noInstallProject(flags)],
    });
  }
  return findings;
}

/**
 * Every sync runs before the source is copied, so nothing installs the project: the syncs become
 * dependency-only and a sync after the last source copy installs it.
 */
function installProject(
  doc: Doc,
  stage: Stage,
  before: Sync[],
  lastSource: Instr,
  ctx: ProjectContext,
): Finding[] {
  const deps = before[before.length - 1];
  const range = { start: deps.instr.start, end: deps.instr.end };
  const lines = before.map((s) => syncFlags(s.command));
  if (lines.some((l) => l.fromVariable)) {
    return [
      {
        message:
          'uv sync takes its flags from a variable, so whether it installs the project cannot be told; the source is copied after it and no uv sync follows: if the project must be installed, add a uv sync after the last source copy',
        range,
        severity: 'warning',
      },
    ];
  }
  const moved = stage.instructions.find(
    (i) =>
      i.index > deps.instr.index &&
      i.index < lastSource.index &&
      (i.keyword === 'WORKDIR' || i.keyword === 'USER'),
  );
  const stateful = shellStateBefore(doc, deps);
  if (moved || stateful) {
    const why = moved
      ? `${moved.keyword} changes between the uv sync and the last source copy, so a sync added after the copy would not run as the first one does`
      : `the uv sync depends on \`${stateful}\` earlier in its RUN, so a sync added after the copy would not run as the first one does`;
    return [
      {
        message: `the source is copied after the last uv sync, so nothing installs the project into the venv; ${why}: add a uv sync after the last source copy by hand`,
        range,
        severity: 'warning',
      },
      ...cacheMount(doc, deps),
    ];
  }
  const edits: Edit[] = [];
  const notes: Finding[] = [];
  before.forEach((s, k) => {
    if (lines[k].flags.some((f) => NO_INSTALL.has(f.name))) return;
    if (ctx.pyproject?.workspaceMembers.length)
      notes.push(workspaceNote({ start: s.instr.start, end: s.instr.end }));
    else edits.push(noInstallProject(lines[k]));
  });
  edits.push(doc.insertAfter(lastSource, [finalSync(doc, deps)]));
  return [
    {
      message:
        edits.length > 1
          ? 'the source is copied after the last uv sync, so nothing installed the project: the sync before the copy now installs only the dependencies (--no-install-project) and a uv sync after the last source copy installs the project'
          : 'the source is copied after the last uv sync, so nothing installed the project: a uv sync after the last source copy installs it',
      range: { start: lastSource.start, end: lastSource.end },
      edits,
    },
    ...notes,
    ...cacheMount(doc, deps),
  ];
}

function workspaceNote(range: { start: number; end: number }): Finding {
  return {
    message:
      'a uv workspace: the sync before the source copy would need every member pyproject.toml; left as is',
    range,
    severity: 'warning',
  };
}

/** ` --no-install-project` after the lock flag (or after `sync`). */
function noInstallProject(line: SyncLine): Edit {
  const lock = line.flags.find((f) => f.name === '--frozen' || f.name === '--locked');
  const at = lock ? lock.end : line.subcommand.end;
  return { start: at, end: at, text: ' --no-install-project' };
}

/** Commands in a RUN before the sync that change what the sync sees (`cd`, `export`, `. activate`). */
function shellStateBefore(doc: Doc, sync: Sync): string | null {
  for (const command of doc.shell(sync.instr).commands) {
    if (command === sync.command) return null;
    const bin = command.words[0]?.value;
    if (command.words.length === 0 && command.assigns.length > 0) return command.assigns[0].raw;
    if (bin && /^(cd|pushd|popd|export|source|\.|set|unset|umask)$/.test(bin))
      return command.words.map((w) => w.raw).join(' ');
  }
  return null;
}

/**
 * The sync that installs the project once its source is there: the dependency sync's own command
 * (uv path, inline settings, extras, groups, lock flag) without its --no-install-* flags, because an
 * exact sync with other flags would remove what the first one installed.
 */
function finalSync(doc: Doc, deps: Sync): string {
  const dropped = syncFlags(deps.command).flags.filter((f) => NO_INSTALL.has(f.name));
  const words = deps.command.words.filter(
    (w) => !dropped.some((d) => w.start >= d.start && w.end <= d.end),
  );
  const command = [...deps.command.assigns, ...words].map((w) => w.raw).join(' ');
  const flags = deps.instr.flags
    .filter((f) => !(f.name === 'mount' && (dependencyBind(f) || otherCache(doc, f))))
    .map((f) => doc.text.slice(f.start, f.end));
  const cached = deps.instr.flags.some((f) => uvCache(doc, f)) || cacheOff(doc, deps);
  return doc.continued(runLines([...(cached ? [] : [CACHE]), ...flags, command]));
}

/** `RUN` and its first part on one line, each further part (flag, command) on its own. */
function runLines(parts: string[]): string[] {
  return [`RUN ${parts[0]}`, ...parts.slice(1)];
}

/** A bind mount of pyproject.toml or uv.lock: the dependency step needs it, the project step has the files. */
function dependencyBind(flag: Flag): boolean {
  const v = flag.value ?? '';
  return (
    !/(^|,)type=(?!bind(,|$))/.test(v) &&
    /(^|,)(source|src|target|dst|destination)=([^,]*\/)?(pyproject\.toml|uv\.lock)(,|$)/.test(v)
  );
}

function uvCache(doc: Doc, flag: Flag): boolean {
  return (
    flag.name === 'mount' &&
    /type=cache/.test(flag.value ?? '') &&
    /\.cache\/uv|UV_CACHE/.test(doc.text.slice(flag.start, flag.end))
  );
}

function otherCache(doc: Doc, flag: Flag): boolean {
  return /(^|,)type=cache(,|$)/.test(flag.value ?? '') && !uvCache(doc, flag);
}

/** Caching is off for this sync, or points elsewhere than the default directory. */
function cacheOff(doc: Doc, sync: Sync): boolean {
  if (syncFlags(sync.command).flags.some((f) => f.name === '--no-cache')) return true;
  const settings = uvSettings(doc.runEnv(sync.instr), assignments(sync.command.assigns));
  return settings.noCache || settings.cacheDir !== null;
}

/** The whole source is copied before the only sync: add the dependency step before that copy. */
function split(doc: Doc, stage: Stage, first: Instr, last: Sync, ctx: ProjectContext): Finding[] {
  const range = { start: last.instr.start, end: last.instr.end };
  if (last.instr.heredocs.length > 0) {
    return [
      {
        message:
          'uv sync runs in a heredoc; the dependency layer is not split automatically: sync with --no-install-project before copying the source',
        range,
        severity: 'warning',
      },
    ];
  }
  if (ctx.pyproject?.workspaceMembers.length) {
    return [
      {
        message:
          'a uv workspace: a dependency-only layer needs every member pyproject.toml, so the sync stays after the source copy',
        range,
        severity: 'info',
      },
      ...cacheMount(doc, last),
    ];
  }
  if (!ctx.hasUvLock) {
    return [
      {
        message: 'no uv.lock in the build context: the dependency layer needs it; commit uv.lock',
        range,
        severity: 'warning',
      },
    ];
  }
  const flags = syncFlags(last.command);
  if (flags.fromVariable) return [];
  const between = stage.instructions.filter(
    (i) => i.index > first.index && i.index < last.instr.index,
  );
  const moved = between.find((i) => i.keyword === 'WORKDIR' || i.keyword === 'USER');
  if (moved) {
    return [
      {
        message: `${moved.keyword} changes between the source copy and uv sync, so a dependency step before the copy would not run as the sync does; the dependency layer is not split`,
        range: { start: moved.start, end: moved.end },
        severity: 'warning',
      },
      ...cacheMount(doc, last),
    ];
  }
  const dir = doc.workdirAt(first).value;
  const missing = ['uv.lock', 'pyproject.toml'].filter(
    (file) => !copiedBefore(doc, stage, first, file, dir),
  );
  if (missing.length > 0 && !PLAIN_PATH.test(dir)) {
    return [
      {
        message: `the WORKDIR ${JSON.stringify(dir)} is not a plain absolute path, so the bind-mount targets cannot be written; the dependency layer is not split`,
        range,
        severity: 'warning',
      },
    ];
  }
  const installer = between.find((i) => installsUv(doc, i));
  if (installer) {
    return [
      {
        message:
          'uv is installed after the source copy in a way that cannot be moved; the dependency layer is not split: install uv before copying the source',
        range: { start: installer.start, end: installer.end },
        severity: 'warning',
      },
    ];
  }
  const words = last.command.words;
  const sub = words.indexOf(flags.subcommand);
  const lock = flags.flags.find((f) => f.name === '--frozen' || f.name === '--locked');
  const cut = lock ? words.findIndex((w) => w.end === lock.end) + 1 : sub + 1;
  const depsCommand = [
    ...last.command.assigns.map((w) => w.raw),
    ...words.slice(0, cut).map((w) => w.raw),
    '--no-install-project',
    ...words.slice(cut).map((w) => w.raw),
  ].join(' ');
  const target = (file: string) => `${dir.replace(/\/$/, '')}/${file}`;
  // Secrets, ssh agents and a uv mounted from its image are needed by the dependency sync as well.
  const carried = last.instr.flags
    .filter((f) => f.name === 'mount' && !/(^|,)type=cache(,|$)/.test(f.value ?? ''))
    .map((f) => doc.text.slice(f.start, f.end));
  // Commands before the sync in its RUN (`uv python install 3.12 && uv sync`) prepare it: they run first here too.
  const statements = doc.shell(last.instr).statements;
  const own = statements.find((st) => st.commands.includes(last.command));
  const prelude = own && own !== statements[0] ? doc.joined(statements[0].start, own.start) : '';
  const run = doc.continued(
    runLines([
      ...(cacheOff(doc, last) ? [] : [CACHE]),
      ...carried,
      ...missing.map((file) => `--mount=type=bind,source=${file},target=${target(file)}`),
      prelude + depsCommand,
    ]),
  );
  // uv itself, its settings and the build arguments and variables the sync sees may come in after
  // the source copy (`COPY . .` then `COPY --from=uv ...`, `ARG UV_INDEX_URL`): they move up with
  // the dependency layer, which needs them (an ARG or ENV only holds values, so it can go earlier).
  const movers = between.filter(
    (i) => uvImageCopy(i) || onlyUvSettings(doc, i) || i.keyword === 'ARG' || i.keyword === 'ENV',
  );
  return [
    {
      message:
        'dependencies are installed from pyproject.toml and uv.lock before the source is copied, so code changes keep that layer cached' +
        (movers.length > 0
          ? ' (uv, its settings and the variables the sync sees move up with them)'
          : ''),
      range: { start: first.start, end: first.end },
      edits: [
        doc.insertBefore(first, [...movers.map((i) => doc.sourceOf(i, true)), run], true),
        ...movers.map((i) => doc.remove(i, true)),
      ],
    },
    ...cacheMount(doc, last),
  ];
}

/** `COPY --from=<the uv image> ...`. */
function uvImageCopy(instr: Instr): boolean {
  return (
    instr.keyword === 'COPY' &&
    instr.flags.some((f) => f.name === 'from' && /astral(-sh)?\/uv/.test(f.value ?? ''))
  );
}

/** A cache mount for uv on a sync, unless caching is off or one is there. */
function cacheMount(doc: Doc, sync: Sync): Finding[] {
  const { instr } = sync;
  if (instr.flags.some((f) => uvCache(doc, f)) || cacheOff(doc, sync)) return [];
  const at = instr.flags[0]?.start ?? instr.argsStart;
  const edit: Edit = {
    start: at,
    end: at,
    text: `${CACHE} ${doc.escape}${doc.eol}${doc.continuationIndent}`,
  };
  return [
    {
      message:
        'the uv cache is a build cache mount: wheels are reused between builds and never stored in the image',
      range: { start: instr.start, end: instr.end },
      edits: [edit],
    },
  ];
}

/** What a COPY/ADD takes from the build context (the model's reading), or null when it takes nothing from it. */
function contextCopy(
  doc: Doc,
  stage: Stage,
  instr: Instr,
): { sources: string[]; dest: string } | null {
  const copy = doc.copies(stage).find((c) => c.instr === instr);
  if (!copy || copy.from !== null) return null;
  const sources = copy.sources.filter((s) => !/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(s));
  // The destination as the builder resolves it; unresolved variables stay in it.
  return sources.length > 0 ? { sources, dest: copy.target.value.replace(/(.)\/$/, '$1') } : null;
}

/** The copy puts back a path that a RUN before the sync removed (`rm -rf /app/src`). */
function restoresRemoved(doc: Doc, stage: Stage, copy: Instr, sync: Instr): boolean {
  const dest = contextCopy(doc, stage, copy)?.dest;
  if (!dest) return false;
  return stage.instructions.some(
    (i) =>
      i.keyword === 'RUN' &&
      i.index < sync.index &&
      doc.shell(i).commands.some((c) => {
        const [bin, ...args] = c.words.map((w) => w.value);
        const dir = doc.workdirAt(i).value;
        return (
          bin === 'rm' &&
          args.some(
            (a) =>
              a !== null &&
              !a.startsWith('-') &&
              normalizePath(a.startsWith('/') ? a : `${dir}/${a}`) === dest,
          )
        );
      }),
  );
}

/** Files that describe the project without being its code: pyproject.toml, uv.lock, the README. */
const METADATA =
  /^(pyproject\.toml|uv\.lock|uv\.toml|\.python-version|\*\.toml|\*\.lock|(readme|licen[cs]e|copying|notice|authors|changelog)(\.[\w*]+)?)\*?$/i;

function basename(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() ?? path;
}

/** Copies the project's source (see the doc comment at the top) into the project directory. */
function copiesSource(doc: Doc, stage: Stage, instr: Instr, project: string): boolean {
  const copy = contextCopy(doc, stage, instr);
  if (!copy || copy.sources.every((s) => METADATA.test(basename(s)))) return false;
  const dest = copy.dest;
  if (dest.includes('$') || project.includes('$')) return true;
  return isUnder(dest, project) || isUnder(project, dest);
}

/** `file` was copied into the project directory before `at` (`COPY pyproject.toml uv.lock ./`). */
function copiedBefore(doc: Doc, stage: Stage, at: Instr, file: string, dir: string): boolean {
  return stage.instructions.some((instr) => {
    if (instr.index >= at.index) return false;
    const copy = contextCopy(doc, stage, instr);
    if (!copy || !copy.sources.some((s) => basename(s).replace(/\*$/, '') === file)) return false;
    const dest = copy.dest;
    return dest === dir || dest === `${dir.replace(/\/$/, '')}/${file}`;
  });
}
