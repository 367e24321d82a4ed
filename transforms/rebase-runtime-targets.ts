/**
 * FROM build AS api            ->   FROM python:3.12-slim-trixie AS api
 *                                   WORKDIR /app
 *                                   COPY --from=build /app /app
 *                                   ENV PATH="/app/.venv/bin:$PATH"
 *
 * A file that is already multi-stage, with runtime targets built on the stage that made the venv
 * (`FROM build AS api`, `FROM build AS worker`, chosen by `--target` or a Compose build.target):
 * each ships uv, its cache and the build tools. It moves onto the image that stage's line starts
 * from, the slim variant of the builder's Python, and receives the app directory, as the runtime of
 * a split does, with what it inherited: ENV, SHELL, metadata and start instructions, system
 * packages, users, files copied outside the app directory. A `RUN uv run X` of the target becomes
 * `RUN X` (no-uv-at-runtime's rule), on the same Python with the venv on PATH.
 *
 * Left with the reason when the build line does something the target would lose (a RUN other than
 * uv, packages and users; a copy it cannot repeat), when the target installs packages itself or
 * calls uv otherwise than a plain `uv run`, or when its start would still need uv. A target that
 * syncs itself is multi-stage's.
 */
import { defineTransform } from '../src/core/transform.js';
import { isUnder, isUvCall, type Doc, type Instr, type Stage } from '../src/core/document.js';
import { bringsUv, installsUv, startUsesUv } from './pin-uv.js';
import { uvCall } from '../src/core/uv.js';
import type { ShellCommand } from '../src/core/shell.js';
import { onlyUvSettings } from '../src/core/uv-presence.js';
import {
  COPIED,
  MOVED,
  createsUsers,
  neededArgs,
  pathHas,
  report,
  runtimeImage,
  runtimePackages,
  copiedOutside,
  singleStage,
  stageSyncs,
  userSetup,
} from './multi-stage.js';
import { rewriteInstruction } from '../src/core/command.js';
import { stripUvRun } from '../src/core/runtime-command.js';
import { applyEdits } from '../src/core/edit.js';
import type { Edit, Finding, ProjectContext } from '../src/core/types.js';

export default defineTransform({
  id: 'rebase-runtime-targets',
  title: 'Move runtime targets built on the builder onto a runtime image',
  rationale:
    'A target built FROM the stage that installs the dependencies (`FROM build AS api`) ships uv, ' +
    'its cache, compilers and build headers in the production image. Built on the slim variant of ' +
    "the builder's Python image instead, it receives only the app directory with its venv, and " +
    'keeps the environment, users, packages and start command it inherited.',
  uvOnly: true,
  detect(doc, ctx) {
    if (singleStage(doc)) return [];
    return doc
      .runtimeStages()
      .filter((target) => !stageSyncs(doc, target))
      .flatMap((target) => rebase(doc, target, ctx));
  },
});

/**
 * A uv call whose only effect is in the project (the venv, the lockfile): `uv run`, `uv tool` or
 * `uv pip install --system` may write anywhere.
 */
function buildsInPlace(command: ShellCommand): boolean {
  const call = uvCall(command.words);
  if (!call) return false;
  if (call.subcommand === 'sync' || call.subcommand === 'lock' || call.subcommand === 'export')
    return true;
  return call.subcommand === 'venv' && !command.words.some((w) => w.value === '--system');
}

/** Commands a stage the runtime was built on may run without the runtime losing anything. */
const LEFT_BEHIND =
  /^(apt-get|apt|apk|rm|useradd|adduser|groupadd|addgroup|usermod|true|echo|set|export)$/;

/** One target: its edits, or the reason it stays on the builder. */
function rebase(doc: Doc, target: Stage, ctx: ProjectContext): Finding[] {
  const parent = doc.parentStage(target);
  if (!parent || !target.image) return [];
  const line: Stage[] = [];
  for (let s: Stage | null = parent; s; s = doc.parentStage(s)) line.unshift(s);
  if (!line.some((s) => stageSyncs(doc, s))) return [];
  const name = target.name ?? 'the final stage';
  const image = runtimeImage(doc, target);
  const app = doc.appDir(target);
  const own = ownUvRuns(doc, target);
  const blocker =
    (!image.ok && image.why) ||
    (app.dir === null && app.why) ||
    lostInRebase(doc, line, target, app.dir!, ctx) ||
    own.left;
  if (blocker || !image.ok || app.dir === null)
    return [
      report(
        target.from,
        `${name} is built on ${target.image}, so it ships uv and the build; it is not moved onto a runtime image: ${blocker}`,
      ),
    ];
  const from = target.image;
  const appDir = app.dir;
  const venv = doc.venvDir(parent);
  const body: string[] = [];
  const packages: string[] = [];
  const notes: string[] = [];
  const accounts: string[] = [];
  const copies: string[] = [`COPY --from=${from} ${appDir} ${appDir}`];
  if (venv === '/usr/local') copies.push(`COPY --from=${from} /usr/local /usr/local`);
  else if (venv !== null && venv.startsWith('/') && !isUnder(venv, appDir))
    copies.push(`COPY --from=${from} ${venv} ${venv}`);
  const args: Instr[] = [];
  for (const instr of inherited(doc, line, target)) body.push(doc.sourceOf(instr, true));
  for (const stage of line) {
    const installed = runtimePackages(doc, stage);
    if (installed.install) packages.push(installed.install);
    notes.push(...installed.notes);
    const users = userSetup(doc, stage);
    if (users) accounts.push(users);
    for (const path of copiedOutside(doc, stage, appDir, ctx.directories).paths)
      copies.push(`COPY --from=${from} ${path} ${path}`);
  }
  for (const stage of line) args.push(...neededArgs(doc, stage, [...body, ...copies]));
  const lines = [
    ...args.map((a) => doc.sourceOf(a)),
    ...packages,
    ...accounts,
    `WORKDIR ${appDir}`,
    ...new Set(copies),
  ];
  const bin = venv && venv.startsWith('/') && venv !== '/usr/local' ? `${venv}/bin` : null;
  if (bin && !body.some((text) => pathHas(text, bin))) lines.push(`ENV PATH="${bin}:$PATH"`);
  lines.push(...body);
  const raw = (target.from.raw as import('dockerfile-ast').From).getImageRange()!;
  const platform = target.from.flags.some((f) => f.name === 'platform') ? '' : image.platform;
  const findings: Finding[] = [
    {
      message: [
        `${name} was built on ${from}, shipping uv and the build; it now starts from ${image.ref} and gets the app directory ${appDir} from ${from}`,
        ...notes,
        ...own.changes.map((c) => `a RUN of the target: ${c}, the venv on PATH`),
      ].join('; '),
      range: { start: target.from.start, end: target.from.end },
      edits: [
        { start: doc.offset(raw.start), end: doc.offset(raw.end), text: platform + image.ref },
        doc.insertAfter(target.from, lines),
        ...own.edits,
      ],
    },
  ];
  if (image.warning) findings.push(report(target.from, image.warning));
  return findings;
}

/** Instructions that set one value, the last one winning. */
const SINGLE = new Set([
  'CMD',
  'ENTRYPOINT',
  'HEALTHCHECK',
  'STOPSIGNAL',
  'SHELL',
  'MAINTAINER',
  'USER',
]);

/**
 * What a target inherits from the stages it is built on and a runtime image would not have, in
 * order: ENV (uv's own settings aside), metadata, the start, users the line creates and the USER it
 * runs as (a target must not start running as root where it did not). A value the
 * target sets itself is not inherited, and an ENTRYPOINT resets the CMD of the stages before it.
 */
function inherited(doc: Doc, line: Stage[], target: Stage): Instr[] {
  const out: Instr[] = [];
  const own = (stage: Stage, keyword: string) =>
    stage.instructions.some((i) => i.keyword === keyword);
  const drop = (keyword: string) => {
    for (let k = out.length - 1; k >= 0; k--) if (out[k].keyword === keyword) out.splice(k, 1);
  };
  for (const stage of [...line, target]) {
    if (own(stage, 'ENTRYPOINT') && !own(stage, 'CMD')) drop('CMD');
    for (const instr of stage.instructions) {
      if (SINGLE.has(instr.keyword)) drop(instr.keyword);
      if (stage === target) continue;
      if (
        MOVED.has(instr.keyword) ||
        instr.keyword === 'USER' ||
        (COPIED.has(instr.keyword) && !onlyUvSettings(doc, instr)) ||
        createsUsers(doc, instr)
      )
        out.push(instr);
    }
  }
  return out;
}

/** What a target rebased onto a runtime image would lose, in words, or null. */
function lostInRebase(
  doc: Doc,
  line: Stage[],
  target: Stage,
  appDir: string,
  ctx: ProjectContext,
): string | null {
  for (const stage of line) {
    for (const instr of stage.instructions) {
      const text = doc.logical(instr.argsStart, instr.argsEnd).trim();
      if (instr.keyword === 'ONBUILD') return `${stage.name ?? 'a stage'} has an ONBUILD trigger`;
      if (instr.keyword === 'RUN') {
        const script = doc.shell(instr);
        if (!script.ok || instr.json || instr.heredocs.length > 0)
          return `RUN ${text} cannot be read as shell commands`;
        const other = script.statements.find(
          (st) =>
            !installsUv(st) &&
            st.commands.some(
              (c) => !buildsInPlace(c) && !LEFT_BEHIND.test(c.words[0]?.value ?? ''),
            ),
        );
        if (other)
          return `${stage.name ?? 'a stage'} runs ${doc.logical(other.start, other.end).trim()}, whose effect outside the app directory a runtime image would not have`;
      }
      if (instr.keyword === 'COPY' || instr.keyword === 'ADD') {
        const copy = doc.copies(stage).find((c) => c.instr === instr);
        if (!copy) return `${instr.keyword} ${text} cannot be read`;
        if (bringsUv(doc, instr)) continue;
        if (!copy.target.exact)
          return `${instr.keyword} ${text} copies to a path that cannot be told`;
        if (isUnder(copy.target.value.replace(/\/$/, '') || '/', appDir)) continue;
        const simple =
          copy.from === null &&
          !copy.sources.some((src) => src === '.' || src === './' || /[*?$]|:\/\//.test(src));
        if (!simple)
          return `${instr.keyword} ${text} puts files outside the app directory ${appDir}`;
      }
    }
  }
  // A program the build installs for itself (curl, git) is not in the runtime's packages.
  const dropped = new Set(
    line.flatMap((s) => runtimePackages(doc, s).dropped.map((p) => p.replace(/=.*/, ''))),
  );
  for (const instr of [...inherited(doc, line, target), ...target.instructions]) {
    if (instr.keyword === 'FROM' || instr.keyword === 'COPY' || instr.keyword === 'ADD') continue;
    const words = doc.logical(instr.argsStart, instr.argsEnd).split(/[\s"',;&|()[\]]+/);
    const uses = words.find((w) => dropped.has(w.split('/').pop()!));
    if (uses)
      return `${instr.keyword} ${doc.logical(instr.argsStart, instr.argsEnd).trim()} uses ${uses}, which the build installs for itself and a runtime image would not have`;
  }
  for (const instr of target.instructions) {
    if (instr.keyword !== 'RUN') continue;
    const commands = doc.shell(instr).commands;
    // uv calls are ownUvRuns' to judge.
    const installer = commands.find((c) => {
      const bin = c.words[0]?.value?.split('/').pop() ?? '';
      return !isUvCall(c) && /^(pip[0-9.]*|python[0-9.]*|poetry|pipenv)$/.test(bin);
    });
    if (installer)
      return `it runs ${doc.logical(installer.start, installer.end).trim()} itself, on the Python of ${target.image}`;
  }
  const starts = [...target.instructions, ...inherited(doc, line, target)].filter(
    (i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT',
  );
  for (const instr of starts) {
    // The start is rewritten where it will stand: in the target, the venv on its PATH.
    if (startUsesUv(doc, target, instr, ctx, true) === 'needed')
      return `its start command (${doc.logical(instr.argsStart, instr.argsEnd).trim()}) still calls uv, which a runtime image does not have`;
  }
  return null;
}

/** uv or uvx as a command word of shell text, by any path (`uv run`, `/bin/uv sync`, `"uvx ..."`). */
const UV_WORD = /(^|[\s;&|('"`/])uvx?(?=[\s;&|)'"`]|$)/;

/**
 * The target's own `RUN uv run X`, as `RUN X`: rebased, it runs on the slim image of the builder's
 * Python with the venv on PATH, in the app directory with the ENV it inherited, so X finds what uv
 * run gave it, and its effects (collectstatic's files) stay in the target as before. The rule is
 * no-uv-at-runtime's for the start command (stripUvRun). `left` is the reason the target stays
 * where it is: a uv call that does not go (uv sync, uv pip, `uv run --with`, uv inside
 * `sh -c "..."`), or a uv run after the target takes the venv off PATH.
 */
function ownUvRuns(
  doc: Doc,
  target: Stage,
): { edits: Edit[]; changes: string[]; left: string | null } {
  const out: { edits: Edit[]; changes: string[]; left: string | null } = {
    edits: [],
    changes: [],
    left: null,
  };
  const venv = doc.venvDir(doc.parentStage(target) ?? target);
  // The rebase puts the venv on PATH right after the FROM; a PATH the target sets without it drops it.
  let pathDropped: string | null = null;
  for (const instr of target.instructions) {
    const path = doc.properties(instr).find((p) => p.name === 'PATH');
    if (instr.keyword === 'ENV' && path) {
      const written = path.written ?? path.value ?? '';
      if (!/\$\{?PATH\b/.test(written) && !(venv !== null && written.includes(`${venv}/bin`)))
        pathDropped = doc.logical(instr.argsStart, instr.argsEnd).trim();
    }
    if (instr.keyword !== 'RUN') continue;
    const text = doc.logical(instr.argsStart, instr.argsEnd).trim();
    if (!UV_WORD.test(text)) continue;
    if (pathDropped !== null) {
      out.left = `it runs ${text} after ENV ${pathDropped}, which leaves the venv off PATH: without uv run its program would not find the dependencies`;
      return out;
    }
    const r =
      instr.heredocs.length > 0
        ? { edits: [], changes: [], problems: [] }
        : rewriteInstruction(doc, instr, stripUvRun);
    const after = applyEdits(
      doc.text.slice(instr.argsStart, instr.argsEnd),
      r.edits.map((e) => ({
        ...e,
        start: e.start - instr.argsStart,
        end: e.end - instr.argsStart,
      })),
    );
    if (r.problems.length > 0 || UV_WORD.test(after)) {
      const call = doc
        .shell(instr)
        .commands.find(
          (c) => isUvCall(c) && !r.edits.some((e) => e.start >= c.start && e.start < c.end),
        );
      out.left = `it runs ${call ? doc.logical(call.start, call.end).trim() : text} itself, on the Python of ${target.image}, and a runtime image has no uv`;
      return out;
    }
    out.edits.push(...r.edits);
    out.changes.push(...r.changes);
  }
  return out;
}
