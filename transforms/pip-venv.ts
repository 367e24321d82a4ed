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
 * Reported, not changed (core/pip.ts says why): `--user` installs, `--target`/`--prefix`, another
 * venv, no CMD/ENTRYPOINT, a base whose Python cannot be told, no app directory, a non-root USER
 * before the install, `setup.py install`, installs at start, a PATH that drops the venv. A
 * development-only install inside a longer `&&` chain is reported and left.
 */
import { defineTransform } from '../src/core/transform.js';
import type { Doc, Instr, Stage } from '../src/core/document.js';
import { dropWords } from '../src/core/command.js';
import { pipProject, type PipInstall } from '../src/core/pip.js';
import { appDirAsWritten } from '../src/core/venv.js';
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
    if (project.kind === 'none') return [];
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
    const system = installs.filter((i) => i.target.kind === 'system' && !devOnly(i));
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
      range = system[0].instr;
    }
    let cached = false;
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
          if (hasCache && o.name === '--no-cache-dir' && o.value === null)
            edits.push(dropWords(words, o.index, o.index + 1));
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
        "pip's cache is a build cache mount instead of --no-cache-dir: wheels are reused between builds and never stored in the image",
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

/** An install of development requirement files only (constraints aside). */
function devOnly(call: PipInstall): boolean {
  return (
    call.files.some((f) => f.dev) &&
    call.packages.length === 0 &&
    !call.project &&
    call.files.every((f) => f.dev || f.constraint)
  );
}

/** Where the venv is made: before the first system install and the files copied just before it. */
function venvAnchor(stage: Stage, install: Instr): Instr {
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
