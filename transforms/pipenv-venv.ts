/**
 * WORKDIR /app                                     WORKDIR /app
 * RUN pip install pipenv                     ->    RUN pip install pipenv==2026.10.3
 * COPY . .                                         COPY Pipfile Pipfile.lock ./
 *                                                  ENV PIPENV_VENV_IN_PROJECT=1
 * RUN pipenv install --system --deploy             RUN pipenv install --deploy
 *                                                  COPY . .
 *
 * A Pipenv project (core/pipenv.ts decides) whose single stage runs `pipenv install` or `pipenv
 * sync`: Pipenv makes its venv in the app directory (`<app>/.venv`) instead of installing into the
 * system Python (`--system`) or its own cache, so multi-stage splits the stage like one that runs
 * uv sync and the runtime receives the app directory with the venv, without Pipenv. The install
 * goes before the source copy, after a copy of the Pipfile and its lock, so a code change does not
 * reinstall the dependencies; it installs what Pipfile.lock pins (`--deploy`) and never the
 * development packages (`--dev` dropped). Pipenv is pinned where the Dockerfile does not pin it.
 * Pipfile and Pipfile.lock are never changed, and uv is never brought in.
 *
 * `pipenv requirements > requirements.txt` then `pip install -r` keeps its model (pip-venv gives the
 * pip installs the venv): Pipenv is pinned, `--dev` leaves the export, and old Pipenv's `pipenv lock
 * -r` becomes `pipenv requirements` where the Pipenv installed is 2022.8.13 or later (it has no
 * `lock -r`); with no Pipfile.lock to read, or a Pipenv release that cannot be told, it is reported.
 *
 * Reported, not changed (core/pipenv.ts says why): Pipenv not installed by pip, packages named on
 * `pipenv install`, another Python or a requirements file, another venv or Pipfile (VIRTUAL_ENV,
 * WORKON_HOME, PIPENV_PIPFILE), installs at start, a non-root USER before the install.
 */
import { defineTransform } from '../src/core/transform.js';
import { toolPipInstall } from '../src/core/pip.js';
import type { Doc, Instr, Stage } from '../src/core/document.js';
import { dropWords } from '../src/core/command.js';
import {
  pipenvInProject,
  pipenvProject,
  pipenvRelease,
  pipenvHasRequirements,
  type PipenvInstall,
} from '../src/core/pipenv.js';
import { lockExports, lockToolInstalls } from '../src/core/exports.js';
import { uvNamed } from '../src/core/uv-presence.js';
import type { Edit, Finding, ProjectContext } from '../src/core/types.js';

export default defineTransform({
  id: 'pipenv-venv',
  title: 'Install a Pipenv project into a venv in the app directory',
  rationale:
    '`pipenv install --system` writes into the system Python (/usr/local) and a plain `pipenv ' +
    "install` into a venv in Pipenv's cache: neither reaches a slim runtime stage without the " +
    "builder's whole Python. With PIPENV_VENV_IN_PROJECT the venv is `.venv` in the app directory " +
    'and travels with it; the dependencies are installed from Pipfile.lock before the source so a ' +
    'code change does not reinstall them, and Pipenv stays in the builder. Moving the project to uv ' +
    'is a separate step.',
  uvOnly: false,
  detect(doc, ctx, options) {
    const project = pipenvProject(doc, ctx);
    if (project.kind === 'none') return exported(doc, ctx, options.pipenvVersion);
    if (project.kind === 'blocked')
      return [
        {
          message: `a Pipenv project, kept in its single stage: ${project.why}`,
          range: { start: project.instr.start, end: project.instr.end },
          severity: 'warning',
        },
      ];
    const { stage, installs } = project;
    let edits: Edit[] = [];
    const notes: string[] = [];
    if (!pipenvInProject(doc, stage)) {
      edits.push(doc.insertBefore(installs[0].instr, ['ENV PIPENV_VENV_IN_PROJECT=1'], true));
      notes.push(
        `Pipenv installs into a venv in the app directory (${project.app}/.venv) with PIPENV_VENV_IN_PROJECT, so a runtime stage can receive it without Pipenv`,
      );
    }
    const pip = toolPipInstall(doc, stage, 'pipenv');
    const bare = pip?.command.words.filter((w) => w.value?.toLowerCase() === 'pipenv') ?? [];
    if (bare.length > 0 && pip) {
      const word = bare.at(-1)!;
      edits.push({ start: word.end, end: word.end, text: `==${options.pipenvVersion}` });
      notes.push(
        `Pipenv pinned to ${options.pipenvVersion}: an unpinned Pipenv changes between builds`,
      );
    }
    for (const call of installs) {
      const words = { form: 'shell' as const, words: call.command.words };
      const names = call.options.map((o) => o.name);
      for (const o of call.options) {
        if (o.name === '--system') {
          edits.push(dropWords(words, o.index, o.index + 1));
          notes.push(
            '`--system` dropped: the packages go into the venv the runtime receives, not into the system Python it does not',
          );
        } else if (o.name === '--dev' || o.name === '-d') {
          edits.push(dropWords(words, o.index, o.index + 1));
          notes.push(`\`${o.name}\` dropped: production does not get the development packages`);
        }
      }
      if (
        call.subcommand === 'install' &&
        ctx.hasPipfileLock === true &&
        !names.includes('--deploy')
      ) {
        const at = call.command.words[call.at];
        edits.push({ start: at.end, end: at.end, text: ' --deploy' });
        notes.push(
          'pipenv install --deploy: the build installs what Pipfile.lock pins, and fails if the lock is out of date',
        );
      }
    }
    const move = moveBeforeSource(doc, stage, installs, ctx, edits);
    // An install left after the source copy is still moved into the venv: only its layer is lost.
    const left: Finding[] = move && 'message' in move ? [move] : [];
    if (move && !('message' in move)) {
      edits = move.edits;
      notes.push(move.note);
    }
    if (edits.length === 0) return left;
    return [
      ...left,
      {
        message: notes.join('; '),
        range: { start: installs[0].instr.start, end: installs[0].instr.end },
        edits,
      },
    ];
  },
});

/**
 * A source copy before the install (`COPY . .`): the install moves above it, after a copy of the
 * Pipfile and its lock, so the dependencies are a layer of their own. Only a RUN that does nothing
 * but install Pipenv and its packages moves, and only to a copy into the app directory itself.
 */
function moveBeforeSource(
  doc: Doc,
  stage: Stage,
  installs: PipenvInstall[],
  ctx: ProjectContext,
  edits: Edit[],
): Finding | { edits: Edit[]; note: string } | null {
  const first = installs[0].instr;
  const source = stage.instructions.find(
    (i) =>
      i.index < first.index &&
      (i.keyword === 'COPY' || i.keyword === 'ADD') &&
      !i.flags.some((f) => f.name === 'from') &&
      /^\.\/?$/.test(doc.logical(i.argsStart, i.argsEnd).trim().split(/\s+/)[0]),
  );
  if (!source) return null;
  const args = doc.logical(source.argsStart, source.argsEnd).trim().split(/\s+/);
  const app = doc.appDir(stage).dir;
  const dest = args.at(-1)!;
  const intoApp =
    dest === '.' || dest === './' || (app !== null && dest.replace(/\/$/, '') === app);
  // What stands between the copy and the install moves with it: an ENV or ARG the install reads,
  // the pip install of Pipenv it needs.
  const between = stage.instructions.filter((i) => i.index > source.index && i.index < first.index);
  const pipenvPip = (instr: Instr) =>
    doc
      .shell(instr)
      .commands.every(
        (c) =>
          installs.some((r) => r.command === c) ||
          (/(^|\/)pip[0-9.]*$/.test(c.words[0]?.value ?? '') &&
            c.words.some((w) => /^pipenv([<>=!~$].*)?$/i.test(w.value ?? ''))),
      );
  const movable = [...between, first].every(
    (i) => ['ENV', 'ARG', 'LABEL'].includes(i.keyword) || (i.keyword === 'RUN' && pipenvPip(i)),
  );
  // A Pipfile entry installed from a path (`{path = ".", editable = true}`) needs the source.
  const fromPath = /^[^#\n]*\bpath\s*=/m.test(ctx.pipfile ?? '');
  if (
    fromPath ||
    source.flags.length > 0 ||
    source.json ||
    args.length !== 2 ||
    !intoApp ||
    !movable
  ) {
    return {
      message: fromPath
        ? 'pipenv install stays after the source copy: the Pipfile installs from a path, which needs the source'
        : 'pipenv install stays after the source copy, in a shape not moved: copy Pipfile and Pipfile.lock and install before the source, so a code change does not reinstall the dependencies',
      range: { start: first.start, end: first.end },
      severity: 'warning',
    };
  }
  const files = ctx.hasPipfileLock === true ? 'Pipfile Pipfile.lock' : 'Pipfile';
  const moved = [...between, first];
  // The edits made to a moved instruction (and the ENV put before the install) go with its text.
  const within = (i: Instr, e: Edit) => e.start >= i.commentStart && e.end <= i.end;
  const texts = moved.map((i) => {
    let text = doc.sourceOf(i, true);
    const own = edits.filter((e) => within(i, e)).sort((a, b) => b.start - a.start);
    for (const e of own)
      text = text.slice(0, e.start - i.commentStart) + e.text + text.slice(e.end - i.commentStart);
    return text;
  });
  return {
    edits: [
      ...edits.filter((e) => !moved.some((i) => within(i, e))),
      doc.insertBefore(source, [`COPY ${files} ./`, ...texts], true),
      ...moved.map((i) => doc.remove(i, true)),
    ],
    note: `the install moved before \`${doc.logical(source.start, source.end).trim()}\`, after a copy of ${files}: the dependencies are a layer of their own, which a code change does not rebuild`,
  };
}

/**
 * `pipenv requirements > requirements.txt` (or old Pipenv's `pipenv lock -r`) then `pip install -r`:
 * the model stays (pip installs, pip-venv gives it the venv), Pipenv is pinned in the builder, the
 * export leaves the development packages out, and `pipenv lock -r`, which Pipenv 2022.8.13 removed,
 * becomes `pipenv requirements` where the Pipenv the builder installs no longer has it.
 */
function exported(doc: Doc, ctx: ProjectContext, unpinned: string): Finding[] {
  if (!ctx.hasPipfile || doc.stages.length !== 1 || uvNamed(doc)) return [];
  const stage = doc.stages[0];
  const exports = lockExports(doc, stage).filter((e) => e.tool === 'pipenv');
  if (exports.length === 0 || lockToolInstalls(doc, stage, 'pipenv')) return [];
  const edits: Edit[] = [];
  const notes: string[] = [];
  const findings: Finding[] = [];
  const pip = toolPipInstall(doc, stage, 'pipenv');
  const bare = pip?.command.words.filter((w) => w.value?.toLowerCase() === 'pipenv') ?? [];
  if (pip && bare.length > 0) {
    const word = bare.at(-1)!;
    edits.push({ start: word.end, end: word.end, text: `==${unpinned}` });
    notes.push(`Pipenv pinned to ${unpinned}: an unpinned Pipenv changes between builds`);
  }
  const release = pipenvRelease(doc, stage, unpinned);
  for (const call of exports) {
    const words = { form: 'shell' as const, words: call.command.words };
    for (const o of call.options)
      if (o.name === '--dev' || o.name === '-d') {
        edits.push(dropWords(words, o.index, o.index + 1));
        notes.push(
          `\`${o.name}\` dropped from the export: production does not install the development packages`,
        );
      }
    if (call.subcommand !== 'lock') continue;
    const modern = 'version' in release ? pipenvHasRequirements(release.version) : null;
    if (modern === false) continue;
    const range = { start: call.instr.start, end: call.instr.end };
    if (modern === null)
      findings.push({
        message: `\`pipenv lock -r\` is gone from Pipenv 2022.8.13 on (\`pipenv requirements\` replaced it), and which Pipenv the builder installs cannot be told: ${'why' in release ? release.why : ''}`,
        range,
        severity: 'warning',
      });
    else if (ctx.hasPipfileLock !== true)
      findings.push({
        message: `\`pipenv lock -r\` is gone from Pipenv ${(release as { version: string }).version} (\`pipenv requirements\` replaced it in 2022.8.13), and there is no Pipfile.lock for \`pipenv requirements\` to read: lock the project and commit Pipfile.lock`,
        range,
        severity: 'warning',
      });
    else {
      const at = call.command.words[call.at];
      edits.push({ start: at.start, end: at.end, text: 'requirements' });
      for (const o of call.options)
        if (o.name === '-r' || o.name === '--requirements')
          edits.push(dropWords(words, o.index, o.index + 1));
      notes.push(
        `\`pipenv lock -r\` becomes \`pipenv requirements\`: Pipenv ${(release as { version: string }).version} no longer has \`lock -r\` (removed in 2022.8.13), and \`requirements\` writes Pipfile.lock as pinned instead of locking again during the build`,
      );
    }
  }
  if (edits.length === 0) return findings;
  return [
    ...findings,
    {
      message: `Pipenv exports the lock for pip, which installs it (the model is kept; moving the project to uv is a separate step): ${notes.join('; ')}`,
      range: { start: exports[0].instr.start, end: exports[0].instr.end },
      edits,
    },
  ];
}
