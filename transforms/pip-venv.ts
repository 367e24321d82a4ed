/**
 * FROM python:3.12-slim-trixie                     FROM python:3.12-slim-trixie
 * WORKDIR /app                                     WORKDIR /app
 *                                            ->    RUN python -m venv /app/.venv
 *                                                  ENV VIRTUAL_ENV=/app/.venv \
 *                                                      PATH="/app/.venv/bin:$PATH"
 * COPY requirements.txt requirements-dev.txt .     COPY requirements.txt requirements-dev.txt .
 * RUN pip install --no-cache-dir \                 RUN --mount=type=cache,target=/root/.cache/pip \
 *     -r requirements.txt -r requirements-dev.txt      pip install -r requirements.txt
 * COPY . .                                         COPY . .
 * RUN pip install -e .                             RUN --mount=type=cache,target=/root/.cache/pip \
 *                                                      pip install .
 *
 * A pip project (no uv: core/pip.ts decides) whose single stage installs into the system Python:
 * the venv is made before the first install (and the requirement files copied just before it), so
 * every pip call, `--upgrade pip` included, runs the venv's pip; multi-stage then splits the stage
 * like one that runs uv sync, and the runtime receives the app directory with its venv. pip's cache
 * becomes a build cache mount instead of `--no-cache-dir`; development requirement files
 * (`requirements-dev.txt`, `requirements/test.txt`) are not installed; the project is installed
 * non-editable (`-e .` becomes `.`), as production runs it. uv is never brought in.
 *
 * A `COPY . .` before `pip install -r requirements.txt` becomes a copy of the requirement files
 * (with the files they name: `-r base.txt`, `-c constraints.txt`) and the source copy moves after
 * the install, unless something between them may read the source (then it is said). `--user` as
 * root only meant "not into /usr/local": it is dropped (pip refuses it in a venv), and PATH entries
 * for `/root/.local/bin` go.
 *
 * Reported, not changed (core/pip.ts says why): `--user` with a PYTHONUSERBASE or other mentions
 * of /root/.local, `--target`/`--prefix`, another
 * venv, no CMD/ENTRYPOINT, a base whose Python cannot be told, no app directory, a non-root USER
 * before the install, `setup.py install`, installs at start, a PATH that drops the venv. A
 * development-only install inside a longer `&&` chain is reported and left.
 */
import { defineTransform } from '../src/core/transform.js';
import type { Doc, Instr, Stage } from '../src/core/document.js';
import { dropWords } from '../src/core/command.js';
import {
  callsTool,
  noInstallStep,
  pipProject,
  USER_BIN_ENTRY,
  type PipInstall,
} from '../src/core/pip.js';
import { dirname, joinPath } from '../src/core/paths.js';
import { requirementsNamedIn } from '../src/core/context.js';
import { appDirAsWritten, venvAnchor } from '../src/core/venv.js';
import { stagedPythonService } from '../src/core/staged-project.js';
import type { Edit, Finding } from '../src/core/types.js';

const CACHE = '--mount=type=cache,target=/root/.cache/pip';

export default defineTransform({
  id: 'pip-venv',
  title: 'Install pip packages into a venv in the app directory',
  rationale:
    '`pip install` as root writes into the system Python (/usr/local), which a slim runtime stage ' +
    "cannot receive without copying the builder's whole Python installation, compilers' leftovers " +
    'and pip included. A venv in the app directory, made with `python -m venv` and put first on ' +
    'PATH, travels with the app: the stage is then split into a builder and a runtime that runs as ' +
    'a non-root user. pip stays the installer; moving the project to uv is a separate step.',
  uvOnly: false,
  detect(doc, ctx) {
    const project = pipProject(doc, ctx);
    if (project.kind === 'none') {
      const staged = stagedPythonService(doc, ctx);
      if (staged.kind === 'blocked')
        return [
          {
            message: `a Python service with stages of its own, kept as they are: ${staged.why}`,
            range: { start: staged.instr.start, end: staged.instr.end },
            severity: 'warning',
          },
        ];
      const copy = noInstallStep(doc, ctx);
      return copy
        ? [
            {
              message:
                'nothing to split: no requirements file and no pip install, so the image installs no Python packages of its own and has no dependency layer to put before the source; it keeps its single stage',
              range: { start: copy.start, end: copy.end },
              severity: 'info',
            },
          ]
        : [];
    }
    if (project.kind === 'blocked')
      return [
        {
          message: `a pip project, kept in its single stage: ${project.why}`,
          range: { start: project.instr.start, end: project.instr.end },
          severity: 'warning',
        },
      ];
    const { stage, installs } = project;
    const venv = `${project.app}/.venv`;
    const system = installs.filter(
      (i) => (i.target.kind === 'system' || i.target.kind === 'user') && !devOnly(i),
    );
    const edits: Edit[] = [];
    const notes: string[] = [];
    let range: Instr | null = null;
    if (system.length > 0) {
      const anchor = venvAnchor(stage, system[0].instr);
      const workdir = stage.instructions.find((i) => i.keyword === 'WORKDIR');
      const written =
        workdir && workdir.index < anchor.index
          ? `${appDirAsWritten(doc, stage) ?? project.app}/.venv`
          : venv;
      edits.push(
        doc.insertBefore(
          anchor,
          [
            `RUN python -m venv ${written}`,
            doc.continued([`ENV VIRTUAL_ENV=${written}`, `PATH="${written}/bin:$PATH"`]),
          ],
          true,
        ),
      );
      notes.push(
        `pip installs into a venv in the app directory (${venv}) instead of the system Python, so a runtime stage can receive it; pip stays the installer, and moving the project to uv is a separate step`,
      );
      if (ctx.hasPipfile && !callsTool(doc, stage, 'pipenv'))
        notes.push(
          'the Pipfile beside it is not what this image installs: the Dockerfile never calls Pipenv, so the Pipfile (and its lock) is left as it is',
        );
      range = system[0].instr;
    }
    if (installs.some((i) => i.target.kind === 'user')) {
      edits.push(...userBinOnPath(doc, stage));
      notes.push(
        '`--user` is dropped: the packages go into the venv instead of /root/.local, which a non-root runtime user could not read, and PATH no longer names /root/.local/bin',
      );
    }
    const layer = dependencyLayer(doc, stage, installs, ctx.files);
    if (layer && 'why' in layer)
      notes.push(
        `the source is copied before pip installs the requirements, so every code change reinstalls them; not split: ${layer.why}`,
      );
    else if (layer) {
      edits.push(...layer.edits);
      notes.push(
        `${layer.files.join(', ')} ${layer.files.length > 1 ? 'are' : 'is'} copied and installed before the source, so code changes keep the dependency layer cached`,
      );
      range ??= layer.at;
    }
    let cached = false;
    let noCacheDropped = false;
    for (const instr of new Set(installs.map((i) => i.instr))) {
      const own = installs.filter((i) => i.instr === instr);
      const dev = own.flatMap((c) => c.files.filter((f) => f.dev).map((f) => f.path));
      if (own.every(devOnly)) {
        if (doc.shell(instr).commands.length === 1 && !instr.json && instr.heredocs.length === 0) {
          edits.push(doc.remove(instr, true));
          notes.push(
            `${dev.join(', ')} ${dev.length > 1 ? 'hold' : 'holds'} development requirements, which production does not install: that RUN is gone`,
          );
        } else
          notes.push(
            `${dev.join(', ')} (development requirements) ${dev.length > 1 ? 'are' : 'is'} installed inside a longer RUN chain; left for a person to take out`,
          );
        range ??= instr;
        continue;
      }
      const mount = cacheMount(doc, instr);
      if (mount) {
        edits.push(mount);
        cached = true;
      }
      const hasCache = mount !== null || instr.flags.some((f) => isPipCache(doc, f));
      for (const call of own) {
        const words = { form: 'shell' as const, words: call.command.words };
        const files = call.files.filter((f) => f.dev);
        if (devOnly(call)) {
          notes.push(
            `${files.map((f) => f.path).join(', ')} (development requirements) ${files.length > 1 ? 'are' : 'is'} installed inside a longer RUN chain; left for a person to take out`,
          );
          continue;
        }
        for (const f of files) {
          const o = f.option;
          const joined = call.command.words[o.index].value?.includes('=');
          edits.push(dropWords(words, o.index, o.index + (joined ? 1 : 2)));
        }
        if (files.length > 0)
          notes.push(
            `${files.map((f) => f.path).join(', ')} (development requirements) ${files.length > 1 ? 'are' : 'is'} no longer installed`,
          );
        for (const o of call.options) {
          if (hasCache && o.name === '--no-cache-dir' && o.value === null) {
            edits.push(dropWords(words, o.index, o.index + 1));
            noCacheDropped = true;
          }
          // pip refuses --user inside a venv; the venv is where these packages go now.
          if (o.name === '--user') edits.push(dropWords(words, o.index, o.index + 1));
        }
        if (call.editable) {
          const o = call.editable;
          const word = call.command.words[o.index];
          edits.push(
            word.value?.includes('=')
              ? { start: word.start, end: word.end, text: o.value! }
              : dropWords(words, o.index, o.index + 1),
          );
          notes.push(
            'the project is installed as a regular package (`-e` dropped): production runs the installed code, not a link to the source tree',
          );
        }
      }
      range ??= instr;
    }
    if (cached)
      notes.push(
        `pip's cache is a build cache mount${noCacheDropped ? ' instead of --no-cache-dir' : ''}: wheels are reused between builds and never stored in the image`,
      );
    if (edits.length === 0) return [];
    return [
      {
        message: notes.join('; '),
        range: { start: range!.start, end: range!.end },
        edits,
      },
    ];
  },
});

/** Programs a RUN between the source copy and the install may run without reading the source. */
const SOURCE_FREE = /^(apt-get|apt|apk|groupadd|useradd|addgroup|adduser)$/;

/**
 * `COPY . .` before `pip install -r requirements.txt`: the requirement files (and those they name)
 * are copied in its place and the source copy moves down after the install, so the edits of the
 * install RUN stay on its original text. Null when there is nothing to split; `why` when the
 * split would change what the install or the source copy sees.
 */
function dependencyLayer(
  doc: Doc,
  stage: Stage,
  installs: PipInstall[],
  files: Record<string, string>,
): { edits: Edit[]; files: string[]; at: Instr } | { why: string } | null {
  const install = installs.find(
    (i) =>
      (i.target.kind === 'system' || i.target.kind === 'user') &&
      !devOnly(i) &&
      i.files.some((f) => !f.dev),
  );
  if (!install) return null;
  const run = install.instr;
  const copies = doc.copies(stage);
  const source = copies.find(
    (c) =>
      c.instr.index < run.index &&
      c.from === null &&
      c.sources.some((s) => s === '.' || s === './'),
  );
  if (!source) return null;
  if (run.heredocs.length > 0 || run.json) return { why: 'the install is not a plain shell RUN' };
  const own = installs.filter((i) => i.instr === run);
  const commands = doc.shell(run).commands;
  if (
    commands.length !== own.length ||
    own.some(
      (i) =>
        i.project ||
        i.options.some((o) => o.name === '-e' || o.name === '--editable') ||
        i.packages.some((p) => p === null || /^[./~]/.test(p)),
    )
  )
    return {
      why: 'the RUN that installs them does more than install requirement files (the project, a local path, or commands other than pip), which may need the source',
    };
  if (source.sources.length !== 1 || !source.target.exact)
    return {
      why: 'the source copy names more than the build context, or a destination that cannot be told',
    };
  const dir = doc.workdirAt(run);
  if (!dir.exact || source.target.value.replace(/(.)\/$/, '$1') !== dir.value)
    return { why: `the source is not copied into the directory pip runs in (${dir.value})` };
  const between = stage.instructions.filter(
    (i) => i.index > source.instr.index && i.index < run.index,
  );
  const reads = between.find(
    (i) =>
      !['ENV', 'ARG', 'LABEL', 'EXPOSE', 'WORKDIR'].includes(i.keyword) &&
      !(
        i.keyword === 'RUN' &&
        i.heredocs.length === 0 &&
        doc.shell(i).commands.every((c) => {
          const program = c.words[0]?.value ?? '';
          if (SOURCE_FREE.test(program)) return true;
          if (program === 'rm')
            return c.words
              .slice(1)
              .every(
                (w) =>
                  w.value !== null && (w.value.startsWith('-') || /^\/(var|tmp)\//.test(w.value)),
              );
          return installs.some((p) => p.command === c && p.tooling);
        })
      ),
  );
  if (reads)
    return {
      why: `${reads.keyword} between the source copy and the install may read the source (only package installs, ENV, ARG, LABEL, EXPOSE and WORKDIR are moved past)`,
    };
  const named: string[] = [];
  for (const call of own)
    for (const f of call.files) {
      if (f.dev) continue;
      if (f.path === null || f.path.includes('$'))
        return { why: 'a requirement file is named through a variable' };
      const path = f.path.startsWith('/') ? relativeTo(f.path, dir.value) : joinPath(f.path);
      if (path === null || path.startsWith('..'))
        return { why: `${f.path} is not inside the directory the source is copied into` };
      if (!named.includes(path)) named.push(path);
    }
  for (let i = 0; i < named.length; i++) {
    const text = files[named[i]];
    if (text === undefined) continue;
    for (const more of requirementsNamedIn(named[i], text)) {
      if (more.startsWith('..'))
        return { why: `${named[i]} names ${more}, outside the build context` };
      // pip reads every file a requirements file names, development ones included.
      if (!named.includes(more)) named.push(more);
    }
  }
  // One COPY per directory, into the same place relative to the destination as written.
  const flags = source.instr.flags.map((f) => doc.text.slice(f.start, f.end));
  const dest = source.dest.endsWith('/') ? source.dest : `${source.dest}/`;
  const byDir = new Map<string, string[]>();
  for (const path of named) {
    const d = dirname(path);
    byDir.set(d, [...(byDir.get(d) ?? []), path]);
  }
  const lines = [...byDir].map(([d, paths]) =>
    ['COPY', ...flags, ...paths, d === '.' ? dest : `${dest === './' ? '' : dest}${d}/`].join(' '),
  );
  const at = source.instr;
  return {
    files: named,
    at,
    edits: [
      { start: at.start, end: at.end, text: lines.join(doc.eol) },
      doc.insertAfter(run, [doc.sourceOf(at)]),
    ],
  };
}

/**
 * The PATH entries of ENV lines that name the user site's `bin` (`/root/.local/bin:$PATH`) go; an
 * ENV left with nothing but the inherited PATH goes whole.
 */
function userBinOnPath(doc: Doc, stage: Stage): Edit[] {
  const edits: Edit[] = [];
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'ENV') continue;
    const props = doc.properties(instr);
    const path = props.find((p) => p.name === 'PATH' && USER_BIN_ENTRY.test(p.value ?? ''));
    if (!path) continue;
    const rest = (path.value ?? '').replace(new RegExp(USER_BIN_ENTRY, 'g'), '');
    if (props.length === 1 && /^\$\{?PATH\}?$/.test(rest)) {
      edits.push(doc.remove(instr, true));
      continue;
    }
    const text = doc.text.slice(instr.argsStart, instr.argsEnd);
    for (const m of text.matchAll(new RegExp(USER_BIN_ENTRY, 'g'))) {
      const at = instr.argsStart + m.index!;
      edits.push({ start: at, end: at + m[0].length, text: '' });
    }
  }
  return edits;
}

/** `path` relative to `dir`, or null when it is not inside it. */
function relativeTo(path: string, dir: string): string | null {
  const base = dir.replace(/\/$/, '');
  return path.startsWith(`${base}/`) ? joinPath(path.slice(base.length + 1)) : null;
}

/** An install of development requirement files only (constraints aside). */
function devOnly(call: PipInstall): boolean {
  return (
    call.files.some((f) => f.dev) &&
    call.packages.length === 0 &&
    !call.project &&
    call.files.every((f) => f.dev || f.constraint)
  );
}

function isPipCache(doc: Doc, flag: Instr['flags'][number]): boolean {
  return (
    flag.name === 'mount' &&
    /type=cache/.test(flag.value ?? '') &&
    /\.cache\/pip|PIP_CACHE/.test(doc.text.slice(flag.start, flag.end))
  );
}

/** A pip cache mount for an install RUN, unless it has one or the stage sets where (or whether) pip caches. */
function cacheMount(doc: Doc, instr: Instr): Edit | null {
  if (instr.flags.some((f) => isPipCache(doc, f))) return null;
  const scope = doc.scope(instr);
  if (scope.has('PIP_NO_CACHE_DIR') || scope.has('PIP_CACHE_DIR')) return null;
  const at = instr.flags[0]?.start ?? instr.argsStart;
  const text =
    instr.heredocs.length > 0
      ? `${CACHE} `
      : `${CACHE} ${doc.escape}${doc.eol}${doc.continuationIndent}`;
  return { start: at, end: at, text };
}
