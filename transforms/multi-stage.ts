/**
 * One stage that builds and runs          ->   a builder stage and a runtime stage
 *
 *   FROM python:3.12-slim-trixie               FROM python:3.12-slim-trixie AS builder
 *   WORKDIR /app                               WORKDIR /app
 *   ... uv sync ...                            ... uv sync ...
 *   EXPOSE 8000                                (blank line)
 *   CMD ["uvicorn", "app:app"]                 FROM python:3.12-slim-trixie
 *                                              WORKDIR /app
 *                                              COPY --from=builder /app /app
 *                                              ENV PATH="/app/.venv/bin:$PATH"
 *                                              EXPOSE 8000
 *                                              CMD ["uvicorn", "app:app"]
 *
 * The builder is the stage that runs uv sync, or a single stage whose uv pip installs all go into
 * the venv the runtime receives (VIRTUAL_ENV, or the `.venv` a `uv venv` made in the app directory;
 * uv-pip-venv turns `--system` installs into that). The runtime stage gets the whole app directory (venv and source: a virtual project is not
 * installed into the venv), the venv on PATH, the ENV, ARG and SHELL it needs, the runtime system
 * packages, the users and groups it creates, scripts copied outside the app directory, and the
 * metadata and start instructions (LABEL, EXPOSE, VOLUME, STOPSIGNAL, HEALTHCHECK, ENTRYPOINT, CMD),
 * moved with their comments.
 *
 * Not split, with the reason (BLOCKERS, in the order checked): no WORKDIR or one that is not a plain path, no command to run (a base
 * or development image), dependencies installed at container start, a start command that would
 * still need uv (`uv run --with`, unreadable exec form), s6-overlay's /init, uv pip installing
 * into the system Python or a place the runtime would not receive, a base whose Python cannot be
 * told.
 *
 * A file that is already multi-stage keeps its stages (venv-on-path adds a missing venv PATH),
 * except a final stage that runs uv sync itself (`FROM base` + the sync, or a frontend stage, then
 * a Python stage that syncs): it is split as a single stage would be, its sync staying in what
 * becomes its builder, and a runtime stage on the same Python (the stage it was built on, or its
 * image) is appended. Reported: a named final stage (a `--target` names it), other targets that
 * sync themselves. Runtime targets built on the builder (`FROM build AS api`) are moved onto a
 * runtime image by rebase-runtime-targets, which shares the helpers exported here.
 */
import { defineTransform } from '../src/core/transform.js';
import {
  copyLandings,
  isBuildInput,
  isUnder,
  isUvCall,
  type Doc,
  type Instr,
  type Stage,
} from '../src/core/document.js';
import { runtimeImageFor } from '../src/core/images.js';
import { programWords, rewriteInstruction, scriptFile, scriptsRun } from '../src/core/command.js';
import { stripUvRun, uvShape } from '../src/core/runtime-command.js';
import { unreadableUvCall, uvCall, uvCallOf } from '../src/core/uv.js';
import type { ShellCommand } from '../src/core/shell.js';
import { callsUv, stageHasUv, startCallingUv, uvNamed } from '../src/core/uv-presence.js';
import { scriptNeedingUv } from '../src/core/scripts.js';
import { appDirAsWritten, uvPipCalls } from '../src/core/venv.js';
import { insideDir, pipInstalls } from '../src/core/pip.js';
import { stageChanges, type SystemChange } from '../src/core/system-changes.js';
import { poetryInstallsIntoVenv } from '../src/core/poetry.js';
import { envForRuntime } from '../src/core/tool-settings.js';
import { pipenvInstallsIntoVenv } from '../src/core/pipenv.js';
import {
  buildOnly,
  packagesFromVariable,
  runtimeLibrary,
  systemPackages,
} from '../src/core/packages.js';
import type { Edit, Finding, ProjectContext } from '../src/core/types.js';

/** Instructions that describe the running container: they move to the runtime stage. */
export const MOVED = new Set([
  'LABEL',
  'MAINTAINER',
  'EXPOSE',
  'VOLUME',
  'STOPSIGNAL',
  'HEALTHCHECK',
  'ENTRYPOINT',
  'CMD',
]);
/** Instructions the runtime needs as well as the builder: they are copied. */
export const COPIED = new Set(['ENV', 'SHELL']);
export default defineTransform({
  id: 'multi-stage',
  title: 'Build in a builder stage, run in a slim runtime stage',
  rationale:
    'A single stage ships uv, its cache, compilers and build headers in the production image. ' +
    'A builder stage installs the locked dependencies; a runtime stage on the same Python image ' +
    'receives only the app directory with its venv. The venv interpreter is a symlink to the ' +
    "builder's Python, so both stages must use the same image for it to resolve.",
  uvOnly: true,
  pip: true,
  detect(doc, ctx) {
    const syncing = doc.stages.filter((s) => stageBuilds(doc, s));
    if (syncing.length === 0) {
      const installs = installerOnly(doc);
      if (installs.length > 0) return installs;
      const unreadable = unreadableCalls(doc);
      return unreadable.length > 0 ? unreadable : pipBesideUvLock(doc, ctx);
    }
    const builder = syncing[syncing.length - 1];
    const final = doc.finalStage!;
    if (!singleStage(doc))
      return alreadySplit(doc, final, ctx.pyproject?.workspaceMembers.length ? true : false, ctx);
    return split(
      doc,
      builder,
      ctx.pyproject?.workspaceMembers.length ? true : false,
      ctx.files,
      ctx.directories,
    );
  },
});

/**
 * A file that already has stages: the runtime stages that run uv sync themselves. The final one is
 * split like a single stage; the builder keeps the sync and the runtime gets the app directory.
 */
function alreadySplit(doc: Doc, final: Stage, workspace: boolean, ctx: ProjectContext): Finding[] {
  const findings: Finding[] = [];
  for (const target of doc.runtimeStages()) {
    // A target that does not sync is moved by rebase-runtime-targets, if it is built on a builder.
    if (!stageSyncs(doc, target)) continue;
    if (target === final) continue;
    findings.push(
      report(
        target.from,
        `the target ${target.name} runs uv sync itself, so it ships uv and the build; only the final stage is split: move its sync into a builder stage by hand`,
      ),
    );
  }
  // A final stage that does not sync (or install into the venv it received) is a runtime already
  // (venv-on-path puts its venv on PATH).
  const installs = !stageSyncs(doc, final) && installsIntoVenv(doc, final);
  if (!stageSyncs(doc, final) && !installs) return findings;
  const what = installs ? 'installs into the venv with uv pip' : 'runs uv sync';
  const candidates = final.name
    ? [`${final.name}-builder`, 'builder', 'app-builder']
    : ['builder', 'app-builder', 'uv-builder'];
  const name = candidates.find((n) => !doc.stageRef(n));
  if (!name) {
    findings.push(
      report(
        final.from,
        `the final stage ${what} itself, and the names a builder would take are all used; move the install into a builder stage by hand`,
      ),
    );
    return findings;
  }
  // split() names an unnamed stage `builder`; another name is written here instead. A named final
  // stage hands its name to the runtime, so \`--target\` and Compose's build.target still build
  // what runs.
  const named = name === 'builder' && !final.name ? final : { ...final, name };
  const rename: Edit[] = [];
  if (final.name) {
    const args = doc.text.slice(final.from.argsStart, final.from.argsEnd);
    const at = final.from.argsStart + args.lastIndexOf(final.name);
    rename.push({ start: at, end: at + final.name.length, text: name });
  } else if (named !== final) {
    rename.push({ start: final.from.end, end: final.from.end, text: ` AS ${name}` });
  }
  const runtimeName = final.name ?? undefined;
  for (const f of split(doc, named, workspace, ctx.files, ctx.directories, runtimeName)) {
    findings.push(
      f.edits?.length
        ? {
            ...f,
            message: f.message.replace(/^the single stage/, `the final stage ${what} itself: it`),
            edits: [...rename, ...f.edits],
          }
        : f,
    );
  }
  const base = doc.parentStage(final);
  if (base && stageHasUv(doc, base))
    findings.push(
      report(
        final.from,
        `the runtime stage is built on ${final.image}, which brings in uv; it stays there, since the builder is built on it too`,
        'info',
      ),
    );
  return findings;
}

/** A stage to split and what it is read against. */
interface Candidate {
  doc: Doc;
  stage: Stage;
  files: Record<string, string>;
  /** The context's directories (ProjectContext.directories). */
  directories: readonly string[];
  starts: Instr[];
}

/**
 * Why a single stage keeps its stage, in the order they are checked: the first that holds is
 * reported (with an error where the image cannot reach the target without a person).
 */
const BLOCKERS: { id: string; check(c: Candidate): Finding | null }[] = [
  {
    id: 'no-start-command',
    check: ({ stage, starts }) =>
      starts.length > 0
        ? null
        : report(
            stage.from,
            'no CMD or ENTRYPOINT: this looks like a base or development image, so it keeps its single stage',
          ),
  },
  {
    id: 'installs-at-start',
    check: ({ doc, starts }) =>
      starts.some((i) => runsUvSync(doc, i))
        ? report(
            starts[0],
            'the container installs its dependencies at start (uv sync in CMD/ENTRYPOINT); the image keeps its single stage until that moves into the build',
            'error',
          )
        : null,
  },
  {
    id: 'start-needs-uv',
    check: ({ doc, starts }) => {
      const needsUv = starts.find((i) => stillNeedsUv(doc, i));
      return needsUv
        ? report(
            needsUv,
            `the start command still needs uv (${doc.text.slice(needsUv.argsStart, needsUv.argsEnd)}), and a runtime stage has none; the image keeps its single stage`,
            'error',
          )
        : null;
    },
  },
  {
    id: 'script-needs-uv',
    check: ({ doc, stage, files }) => {
      const script = scriptNeedingUv(doc, stage, files);
      return script
        ? report(
            script.instr,
            `${script.path}, which the container runs at start, still needs uv: ${script.problem}. A runtime stage has no uv, so the image keeps its single stage`,
            'error',
          )
        : null;
    },
  },
  {
    id: 's6-overlay',
    check: ({ doc, stage, starts }) =>
      starts.some((i) => programWords(doc, i).some((w) => w[0] === '/init'))
        ? report(
            stage.from,
            's6-overlay (/init) is installed into the system of this stage; the image keeps its single stage: split it by hand',
          )
        : null,
  },
  {
    id: 'packages-from-variable',
    check: ({ doc, stage }) => {
      const install = packagesFromVariable(doc, stage);
      return install
        ? report(
            install,
            'system packages are named through a variable here, so the runtime libraries the app needs cannot be told from the build-only ones; the image keeps its single stage',
          )
        : null;
    },
  },
  {
    id: 'no-app-directory',
    check: ({ doc, stage }) => {
      const app = doc.appDir(stage);
      return app.dir === null ? report(stage.from, app.why) : null;
    },
  },
  {
    id: 'starts-outside-app',
    check: ({ doc, stage }) => {
      const app = doc.appDir(stage);
      const start = doc.workdir(stage);
      return app.dir !== null && start !== null && !isUnder(start, app.dir)
        ? report(
            stage.from,
            `the program starts in ${start}, outside the app directory ${app.dir} that uv installs into; the runtime would not get what the build left there, so the image keeps its single stage`,
          )
        : null;
    },
  },
  {
    id: 'copies-into-system-directory',
    check: ({ doc, stage, directories }) => {
      const why = copiedOutside(doc, stage, doc.appDir(stage).dir!, directories).why;
      return why ? report(stage.from, why) : null;
    },
  },
  {
    id: 'changes-outside-app',
    check: ({ doc, stage, starts, files }) => {
      const app = doc.appDir(stage).dir!;
      for (const [instr, change] of stageChanges(doc, stage, app)) {
        // A program the build downloads for itself (`curl -o /usr/local/bin/sfw`) that nothing
        // started runs stays behind with the builder's other tools.
        if (change.kind === 'kept' && buildOnlyProgram(doc, change.path, starts, files)) continue;
        // Whole files written in place are taken from the builder (carriedFiles).
        if (change.kind === 'kept' && change.files) continue;
        if (change.kind === 'kept' && CRON.test(change.path))
          return report(
            instr,
            `this RUN installs a cron job (${change.what}): only the cron daemon, started as root in the same container, runs it, and a runtime stage receiving the app directory ${app} would have neither; the image keeps its single stage: to split and harden it, run the job from a scheduler of its own (a separate container, a Kubernetes CronJob) and drop cron from the image`,
          );
        if (change.kind === 'kept')
          return report(
            instr,
            `this RUN changes ${change.path}, outside the app directory ${app} (${change.what}), which a runtime stage receiving the app directory would not have, and it does more than the file tools a runtime could run again; the image keeps its single stage`,
          );
      }
      return null;
    },
  },
  {
    id: 'unknown-python',
    check: ({ doc, stage }) => {
      const image = runtimeImage(doc, stage);
      return image.ok ? null : report(stage.from, image.why);
    },
  },
];

/** Where cron reads its jobs: a file there is a job only the root cron daemon runs. */
const CRON = /^\/(etc\/cron(\.d|\.daily|\.hourly|\.weekly|\.monthly|tab)\b|var\/spool\/cron\b)/;

function split(
  doc: Doc,
  stage: Stage,
  workspace: boolean,
  files: Record<string, string>,
  directories: readonly string[],
  runtimeName?: string,
): Finding[] {
  const starts = stage.instructions.filter(
    (i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT',
  );
  for (const blocker of BLOCKERS) {
    const blocked = blocker.check({ doc, stage, files, directories, starts });
    if (blocked) return [blocked];
  }
  const app = doc.appDir(stage) as { dir: string };
  const appDir = app.dir;
  // The runtime names the app directory as the builder's WORKDIR does when that is one WORKDIR of
  // ARG variables (a --build-arg moves both stages); otherwise by its resolved path.
  const appRef = appDirAsWritten(doc, stage) ?? appDir;
  // What each RUN leaves outside the app directory, read once for the body, the carried files and the notes.
  const changes = stageChanges(doc, stage, appDir);
  const image = runtimeImage(doc, stage) as Extract<ReturnType<typeof runtimeImage>, { ok: true }>;

  // The venv the stage builds: uv sync's, or the one its installs all go into.
  const built = stageSyncs(doc, stage) ? null : installVenv(doc, stage);
  const venv = built ?? doc.venvDir(stage);
  // A venv the file made under a name of its own and never put on PATH is run by its path, as
  // before (`venv/bin/gunicorn`): the runtime's PATH stays the builder's.
  const pathAsBuilt = built !== null && built !== doc.venvDir(stage);
  const builderName = stage.name ?? 'builder';
  const edits: Edit[] = [];
  if (!stage.name) edits.push({ start: stage.from.end, end: stage.from.end, text: ' AS builder' });

  const lines: string[] = [
    `FROM ${image.platform}${image.ref}${runtimeName ? ` AS ${runtimeName}` : ''}`,
  ];
  const removals: Edit[] = [];
  const body: string[] = [];
  for (const instr of stage.instructions) {
    if (MOVED.has(instr.keyword)) {
      removals.push({ start: instr.commentStart, end: instr.lineEnd, text: '' });
      body.push(doc.sourceOf(instr, true));
    } else if (instr.keyword === 'ENV') {
      const env = envForRuntime(doc, instr);
      if (env !== null) body.push(env);
    } else if (
      COPIED.has(instr.keyword) ||
      createsUsers(doc, instr) ||
      makesDirectories(doc, instr, appDir) ||
      changes.get(instr)?.kind === 'replay'
    ) {
      body.push(doc.sourceOf(instr, true));
    }
  }
  const packages = runtimePackages(doc, stage);
  const args = neededArgs(doc, stage, [...body, image.ref, appRef]);
  lines.push(...args.map((a) => doc.sourceOf(a)));
  if (packages.install) lines.push(packages.install);
  const accounts = userSetup(doc, stage);
  if (accounts) lines.push(accounts);
  lines.push(`WORKDIR ${appRef}`);
  lines.push(`COPY --from=${builderName} ${appRef} ${appRef}`);
  // A WORKDIR after the install (`WORKDIR /app/src`) is where the program starts.
  const startDir = doc.workdir(stage);
  if (startDir !== null && startDir !== appDir) lines.push(`WORKDIR ${startDir}`);
  if (venv === '/usr/local') lines.push(`COPY --from=${builderName} /usr/local /usr/local`);
  else if (venv !== null && !isUnder(venv, appDir))
    lines.push(`COPY --from=${builderName} ${venv} ${venv}`);
  for (const path of [
    ...copiedOutside(doc, stage, appDir, directories).paths,
    ...carriedFiles(doc, changes, starts, files),
  ])
    lines.push(`COPY --from=${builderName} ${path} ${path}`);
  const venvBin =
    venv === null || !venv.startsWith('/')
      ? null
      : `${isUnder(venv, appDir) ? appRef + venv.slice(appDir.length) : venv}/bin`;
  // Every ENV but the tools' own settings is copied in order, so the runtime's PATH resolves as the builder's.
  const onPath = (bin: string) =>
    body.some((text) => pathHas(text, bin)) ||
    (doc.runtimePath(stage)?.includes(`${venv}/bin`) ?? false);
  if (venvBin && venv !== '/usr/local' && !pathAsBuilt && !onPath(venvBin)) {
    lines.push(`ENV PATH="${venvBin}:$PATH"`);
  }
  lines.push(...body);
  edits.push(...placeRuntimeStage(doc, mergeRanges(doc.text, removals), lines));

  const notes = [
    `the single stage becomes "${builderName}" and a runtime stage on ${image.ref} runs the app from ${appDir}`,
    ...packages.notes,
  ];
  const replayed = [...changes.values()].flatMap((c) => (c.kind === 'replay' ? [c.what] : []));
  if (replayed.length > 0)
    notes.push(
      `what the build changes outside the app directory with the file tools runs again in the runtime (${replayed.join('; ')})`,
    );
  const carried = carriedFiles(doc, changes, starts, files);
  if (carried.length > 0)
    notes.push(`the runtime takes ${carried.join(', ')} from the builder, as the build wrote it`);
  const users = stage.instructions
    .filter((i) => i.keyword === 'USER')
    .map((i) => doc.logical(i.argsStart, i.argsEnd).trim());
  if (users.length > 0)
    notes.push(
      `USER ${users.join(', ')} stays in the builder; the runtime stage sets its own user`,
    );
  if (workspace)
    notes.push(
      'a uv workspace: the whole app directory, members included, is copied to the runtime',
    );
  const findings: Finding[] = [
    { message: notes.join('; '), range: { start: stage.from.start, end: stage.from.end }, edits },
  ];
  if (image.warning) findings.push(report(stage.from, image.warning));
  return findings;
}

/** uv used only to install outside a venv the runtime could receive: keep the install model, say why. */
function installerOnly(doc: Doc): Finding[] {
  if (!singleStage(doc)) {
    // A builder that installs into a venv (this transform's own output, among others) is not an installer.
    const installs = doc.stages
      .flatMap((s) => uvPipCalls(doc, s))
      .filter((c) => c.target.kind !== 'venv');
    if (installs.length === 0) return [];
    return [
      report(
        installs[0].instr,
        'uv installs into the system Python here (uv pip install), so the image keeps its single stage; installing the lockfile with uv sync into a venv would allow a slim runtime stage',
      ),
    ];
  }
  const stage = doc.finalStage;
  if (!stage) return [];
  const venv = doc.venvDir(stage);
  const call = uvPipCalls(doc, stage).find(
    (c) => c.target.kind !== 'venv' || c.target.dir !== venv,
  );
  if (!call) return [];
  const what = `uv pip ${call.action}`;
  const t = call.target;
  const app = doc.appDir(stage);
  if (t.kind === 'venv' && app.dir === null) return [report(call.instr, app.why)];
  const message =
    t.kind === 'system'
      ? `${what} installs into the system Python, which a runtime stage does not receive; the image keeps its single stage`
      : t.kind === 'other'
        ? `${what} installs where a runtime stage cannot follow (${t.why}); the image keeps its single stage`
        : `${what} installs into ${t.dir === null ? 'a virtual environment that cannot be told' : `${t.dir}, not the app directory's ${venv}`}; the image keeps its single stage`;
  return [report(call.instr, message)];
}

/**
 * A single stage with a start command that uv never installs into (no uv sync, no uv pip), in a
 * file that names uv (`pip install uv`, the uv image): pip installs the packages into the system
 * Python, so there is no venv for a builder to hand over. The pip layout is not used here, because
 * the file itself brings uv, so the uv path applies; which of the two installs is meant (uv's, or
 * what pip resolves) is for a person to choose.
 */
function pipBesideUvLock(doc: Doc, ctx: ProjectContext): Finding[] {
  // Beside a uv.lock alone, a Dockerfile that never names uv is pip's to lay out (pip-venv).
  // uv that only exports the lock (`uv export -o requirements.txt`) installs nothing either.
  const installing = doc
    .uvCommands()
    .some(({ command }) => isUvCall(command, 'sync') || isUvCall(command, 'pip'));
  if (!singleStage(doc) || installing || !uvNamed(doc)) return [];
  const stage = doc.finalStage;
  if (!stage || !stage.instructions.some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'))
    return [];
  const app = pipInstalls(doc, stage).find(
    (i) =>
      !i.tooling &&
      (i.files.length > 0 ||
        i.project ||
        !i.packages.every((p) => p !== null && /^uv([<>=!~].*)?$/.test(p))),
  );
  if (!app)
    return stageHasUv(doc, stage) && !startCallingUv(doc, stage)
      ? [
          report(
            stage.from,
            'uv is brought into the image, but nothing in this file calls it (no uv sync or uv pip install), so no venv is built for a runtime stage to receive; the image keeps its single stage: install the project with uv sync here and it is split',
          ),
        ]
      : [];
  const lock = ctx.hasUvLock ? 'the project has a uv.lock' : 'the file names uv';
  const where =
    app.target.kind === 'system'
      ? 'the system Python'
      : app.target.kind === 'user'
        ? 'the user site (--user)'
        : app.target.kind === 'venv'
          ? `${app.target.dir ?? 'a virtual environment that cannot be told'}, not the app directory's venv`
          : `a place of its own (${app.target.why})`;
  return [
    report(
      app.instr,
      `pip installs the packages into ${where}, which a runtime stage does not receive, and ${lock}, so the uv path applies rather than a pip venv; the image keeps its single stage: install the lockfile with uv sync (which may choose other versions than pip does, so it is a person's step) and it is split`,
    ),
  ];
}

/** `$UV_CMD sync` with a UV_CMD that cannot be told: whether it builds the venv is unknown, so nothing is split. */
function unreadableCalls(doc: Doc): Finding[] {
  for (const instr of doc.instructions) {
    if (instr.keyword !== 'RUN') continue;
    for (const command of doc.shell(instr).commands) {
      const word = unreadableUvCall(command.words);
      if (word)
        return [
          report(
            instr,
            `${word.raw} ${command.words[1].value} may call uv, but the value of ${word.raw} cannot be told here; the image keeps its single stage: name uv directly (a wrapper may stay before it, as in UV_CMD="sfw uv")`,
          ),
        ];
    }
  }
  return [];
}

/**
 * One stage does the work: the others, if any, only name an image to copy from
 * (`FROM ghcr.io/astral-sh/uv:0.9 AS uv` for `COPY --from=uv`) and have no instructions.
 */
export function singleStage(doc: Doc): boolean {
  return doc.stages.slice(0, -1).every((s) => s.instructions.length === 0);
}

/** The stage that builds the venv the runtime receives: it runs uv sync, or (in a single stage) installs with uv pip into that venv alone. */
function stageBuilds(doc: Doc, stage: Stage): boolean {
  return stageSyncs(doc, stage) || (singleStage(doc) && installsIntoVenv(doc, stage));
}

export function stageSyncs(doc: Doc, stage: Stage): boolean {
  return stage.instructions.some(
    (i) => i.keyword === 'RUN' && doc.shell(i).commands.some((c) => isUvCall(c, 'sync')),
  );
}

/**
 * Every uv pip and pip install of the stage goes into the venv a runtime stage would receive
 * (VIRTUAL_ENV, the `.venv` a `uv venv` or `python -m venv` made in the app directory, or a venv of
 * another name the file made inside the app directory): the stage is a builder like one that
 * syncs. pip's own tooling counts only beside an install of more. The answer is that venv, or null.
 */
function installVenv(doc: Doc, stage: Stage): string | null {
  if (poetryInstallsIntoVenv(doc, stage) || pipenvInstallsIntoVenv(doc, stage))
    return doc.venvDir(stage);
  const calls = [...uvPipCalls(doc, stage), ...pipInstalls(doc, stage)];
  const venv = doc.venvDir(stage);
  const app = doc.appDir(stage).dir;
  const dirs = new Set(calls.map((c) => (c.target.kind === 'venv' ? c.target.dir : null)));
  const [dir] = dirs;
  const one =
    calls.some((c) => !('tooling' in c) || !c.tooling) &&
    dirs.size === 1 &&
    dir !== null &&
    dir !== undefined &&
    (dir === venv || (app !== null && insideDir(dir, app)));
  return one ? dir : null;
}

const installsIntoVenv = (doc: Doc, stage: Stage) => installVenv(doc, stage) !== null;

/** A start command that installs at start: `uv sync` or `uv pip install`, by any path or form. */
function runsUvSync(doc: Doc, instr: Instr): boolean {
  const argvs = instr.json
    ? [instr.json]
    : doc.shell(instr).commands.map((c) => c.words.map((w) => w.value));
  return argvs.some((values) => {
    // `sh -c "uv sync && ..."` in exec form: the string is a script of its own.
    const call = uvCallOf(values);
    if (call)
      return call.subcommand === 'sync' || (call.subcommand === 'pip' && call.action === 'install');
    return values.some(
      (v) => v !== null && /(^|[\s/;&|])uv( +-\S+)* +(sync|pip +install)\b/.test(v),
    );
  });
}

export function runtimeImage(
  doc: Doc,
  stage: Stage,
):
  { ok: true; ref: string; platform: string; warning: string | null } | { ok: false; why: string } {
  const ref = stage.image;
  if (!ref) return { ok: false, why: 'the FROM names no image; the image keeps its single stage' };
  // A stage built on an earlier one: the runtime is built on that one too (its Python, its system
  // setup), unless the venv was made there: then on the image that line of stages starts from.
  const parent = doc.parentStage(stage);
  if (parent) {
    const line: Stage[] = [];
    for (let s: Stage | null = parent; s; s = doc.parentStage(s)) line.push(s);
    if (!line.some((s) => stageSyncs(doc, s)))
      return { ok: true, ref, platform: '', warning: null };
    return runtimeImage(doc, line[line.length - 1]);
  }
  const platformFlag = stage.from.flags.find((f) => f.name === 'platform');
  let platform = '';
  let warning: string | null = null;
  if (platformFlag?.value) {
    if (/BUILDPLATFORM/.test(platformFlag.value)) {
      warning = `the builder runs on ${platformFlag.value}, so its venv holds wheels for the build machine; the runtime stage uses the target platform`;
    } else {
      platform = `--platform=${platformFlag.value} `;
    }
  }
  if (ref.includes('$')) {
    // A FROM with variables: only global ARGs (before the first FROM) are visible to another FROM.
    const names = [...ref.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
    const unresolved = names.filter((n) => doc.globalArgDefault(n) === null);
    if (unresolved.length > 0)
      return {
        ok: false,
        why: `the base image depends on ${unresolved.map((n) => '$' + n).join(', ')}, which is not a global ARG; the image keeps its single stage`,
      };
    return { ok: true, ref, platform, warning };
  }
  const runtime = runtimeImageFor(ref);
  if (!runtime)
    return {
      ok: false,
      why: `${ref} is not an image whose Python can be told, and the builder and the runtime must run the same Python; the image keeps its single stage`,
    };
  return { ok: true, ref: runtime, platform, warning };
}

export function pathHas(envText: string, bin: string): boolean {
  return new RegExp(`PATH[= ]["']?[^\\n]*${bin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(
    envText,
  );
}

/** A RUN that only creates users and groups (and their directories): the runtime needs them too. */
export function createsUsers(doc: Doc, instr: Instr): boolean {
  if (instr.keyword !== 'RUN' || instr.json || instr.heredocs.length > 0) return false;
  const commands = doc.shell(instr).commands;
  const names = commands.map((c) => c.words[0]?.value ?? '');
  return (
    names.some((n) => /^(useradd|adduser|groupadd|addgroup)$/.test(n)) &&
    names.every((n) => /^(useradd|adduser|groupadd|addgroup|mkdir|chown|chmod|usermod)$/.test(n))
  );
}

/**
 * A RUN that only makes directories outside the app directory (`mkdir -p /data && chmod 777 /data`):
 * the app expects them at run time, and the runtime stage does not get them from the app copy.
 */
function makesDirectories(doc: Doc, instr: Instr, appDir: string): boolean {
  if (instr.keyword !== 'RUN' || instr.json || instr.heredocs.length > 0) return false;
  const commands = doc.shell(instr).commands;
  if (!commands.some((c) => c.words[0]?.value === 'mkdir')) return false;
  return commands.every((c) => {
    const [bin, ...args] = c.words.map((w) => w.value);
    if (bin !== 'mkdir' && bin !== 'chmod') return false;
    const paths = args.filter((a) => a === null || !a.startsWith('-'));
    if (bin === 'chmod') paths.shift();
    return paths.every((p) => p !== null && p.startsWith('/') && !isUnder(p, appDir));
  });
}

/**
 * Users and groups created inside RUNs that also do other things (`apt-get install gosu && useradd
 * app`): the runtime gets the creating commands alone. RUNs that only create users are copied whole.
 */
export function userSetup(doc: Doc, stage: Stage): string | null {
  const parts: string[] = [];
  for (const instr of stage.instructions) {
    if (
      instr.keyword !== 'RUN' ||
      instr.json ||
      instr.heredocs.length > 0 ||
      createsUsers(doc, instr)
    )
      continue;
    for (const st of doc.shell(instr).statements) {
      const name = st.commands[0]?.words[0]?.value ?? '';
      if (st.commands.length === 1 && /^(useradd|adduser|groupadd|addgroup)$/.test(name)) {
        parts.push(doc.joined(st.start, st.end));
      }
    }
  }
  return parts.length > 0 ? `RUN ${parts.join(' && ')}` : null;
}

/** A CMD/ENTRYPOINT that would still call uv after no-uv-at-runtime: the runtime has no uv. */
function stillNeedsUv(doc: Doc, instr: Instr): boolean {
  // `ENTRYPOINT ["uv", "run"]` beside a CMD only prefixes it: no-uv-at-runtime removes it.
  const prefix = instr.keyword === 'ENTRYPOINT' && instr.json ? uvShape(instr.json) : null;
  const stage = doc.stages[instr.stage];
  if (
    prefix?.subcommand === 'run' &&
    prefix.program >= instr.json!.length &&
    stage?.instructions.some((i) => i.keyword === 'CMD')
  ) {
    return false;
  }
  if (instr.jsonInvalid)
    return /(^|[^\w-])uvx?([^\w-]|$)/.test(doc.text.slice(instr.argsStart, instr.argsEnd));
  const r = rewriteInstruction(doc, instr, stripUvRun);
  const uses = programWords(doc, instr).some(callsUv);
  return uses && (r.problems.length > 0 || r.edits.length === 0);
}

/** ARG instructions of the stage whose variables the runtime text uses. */
export function neededArgs(doc: Doc, stage: Stage, texts: string[]): Instr[] {
  const joined = texts.join('\n');
  return stage.instructions.filter((i) => {
    if (i.keyword !== 'ARG') return false;
    const name = (i.raw as import('dockerfile-ast').Arg).getProperties()[0]?.getName();
    // The name is the file's text (`U[ID` in a broken file): escaped before it becomes a pattern.
    const quoted = name?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return !!quoted && new RegExp(`\\$\\{?${quoted}(?![A-Za-z0-9_])`).test(joined);
  });
}

/** The system packages the app needs at run time, as one install RUN for the runtime stage. */
export function runtimePackages(
  doc: Doc,
  stage: Stage,
): { install: string | null; notes: string[]; dropped: string[] } {
  const apt = new Set<string>();
  const apk = new Set<string>();
  const dropped = new Set<string>();
  const libraries = new Set<string>();
  for (const pkg of systemPackages(doc, stage)) {
    const into = pkg.manager === 'apt' ? apt : apk;
    const library = runtimeLibrary(pkg);
    if (library) {
      into.add(library);
      if (pkg.manager === 'apt') libraries.add(library);
    }
    if (buildOnly(pkg.name)) dropped.add(pkg.name);
    else into.add(pkg.name);
  }
  const notes: string[] = [];
  if (dropped.size > 0)
    notes.push(`build-only packages stay in the builder: ${[...dropped].join(', ')}`);
  if (apt.size > 0) {
    const added = [...apt].filter((p) => libraries.has(p));
    if (added.length > 0)
      notes.push(
        `the runtime installs ${added.join(', ')} for the libraries the build headers served`,
      );
    // A slim image drops /usr/share/man, and some packages' install scripts (postgresql-client's
    // alternatives) fail without it; a file that recreates it before installing needs it again.
    const installing = new Set(systemPackages(doc, stage).map((p) => p.instr));
    const manDirs = [...installing].some((i) =>
      doc.shell(i).commands.some((c) => c.words.some((w) => w.value?.startsWith('/usr/share/man'))),
    );
    return {
      install: doc.continued([
        ...(manDirs
          ? [
              `RUN mkdir -p ${[1, 2, 3, 4, 5, 6, 7, 8].map((n) => `/usr/share/man/man${n}`).join(' ')}`,
              '&& apt-get update',
            ]
          : ['RUN apt-get update']),
        `&& apt-get install -y --no-install-recommends ${[...apt].join(' ')}`,
        '&& rm -rf /var/lib/apt/lists/*',
      ]),
      notes,
      dropped: [...dropped],
    };
  }
  if (apk.size > 0)
    return {
      install: `RUN apk add --no-cache ${[...apk].join(' ')}`,
      notes,
      dropped: [...dropped],
    };
  return { install: null, notes, dropped: [...dropped] };
}

/** Files a RUN of the stage writes whole outside the app directory (`echo ... > /VERSION.txt`). */
function carriedFiles(
  doc: Doc,
  changes: ReadonlyMap<Instr, SystemChange>,
  starts: Instr[],
  files: Record<string, string>,
): string[] {
  const out = new Set<string>();
  for (const change of changes.values()) {
    if (change.kind !== 'kept' || !change.files) continue;
    for (const f of change.files) if (!buildOnlyProgram(doc, f, starts, files)) out.add(f);
  }
  return [...out];
}

/** A program in a bin directory that no start command, and no script they run, names. */
function buildOnlyProgram(
  doc: Doc,
  path: string,
  starts: Instr[],
  files: Record<string, string>,
): boolean {
  const m = /^\/(?:usr\/(?:local\/)?)?s?bin\/([^/]+)$/.exec(path);
  if (!m) return false;
  const name = m[1];
  const named = (text: string) =>
    new RegExp(`(^|[\\s/"'])${name.replace(/[.+]/g, '\\$&')}([\\s"']|$)`, 'm').test(text);
  // A script the start command runs names it too, with or without a shebang (`bash start.sh`).
  const run = starts.flatMap((i) =>
    scriptsRun(doc, i).map((s) => scriptFile(s, files)?.text ?? ''),
  );
  return (
    !starts.some((i) => named(doc.logical(i.argsStart, i.argsEnd))) &&
    !run.some(named) &&
    !Object.values(files).some((text) => text.startsWith('#!') && named(text))
  );
}

/** Directories every runtime image already has: what lands in one cannot be taken whole. */
const SYSTEM_DIRS =
  /^\/(bin|sbin|lib\w*|etc|usr|var|opt|root|home|srv|run|usr\/(bin|sbin|lib\w*|share|local)|usr\/local\/(bin|sbin|lib\w*|share|etc))?$/;

/**
 * Where what the stage copies from the context to places outside the app directory lands
 * (entrypoint scripts, configuration files), for the runtime to take from the builder; or why one
 * cannot be taken: a directory's contents, a wildcard's or a variable's copied into a directory the
 * runtime image has of its own (`COPY conf/ /etc/`), which taking from the builder would replace
 * whole. `directories` are the context's (ProjectContext.directories).
 */
export function copiedOutside(
  doc: Doc,
  stage: Stage,
  appDir: string,
  directories: readonly string[],
): { paths: string[]; why: string | null } {
  const paths: string[] = [];
  for (const copy of doc.copies(stage)) {
    if (copy.from !== null) continue;
    if (copy.sources.some((s) => s === '.' || s === './' || /^[a-z]+:\/\//i.test(s))) continue;
    const landings = copyLandings(copy, directories);
    if (landings === null) continue;
    for (const [k, landed] of landings.entries()) {
      // What only the build reads (wheels, requirement files), or scratch space, stays behind.
      if (isUnder(landed, appDir) || isUnder(landed, '/tmp') || isBuildInput(copy.sources[k]))
        continue;
      if (SYSTEM_DIRS.test(landed))
        return {
          paths,
          why: `${copy.instr.keyword} ${doc.logical(copy.instr.argsStart, copy.instr.argsEnd).trim()} puts what it copies straight into ${landed}, which the runtime image has of its own: taking ${landed} from the builder would replace it whole, and the files cannot be told one by one; the image keeps its single stage: copy them into a directory of their own (${landed === '/' ? '/config' : `${landed}/myapp`}) to split it`,
        };
      paths.push(landed);
    }
  }
  return { paths: [...new Set(paths)], why: null };
}

/**
 * The removals plus the runtime stage at the end of the file, separated by one blank line. When
 * the removals take the file's tail, the blank lines before it go too, so the builder's last line
 * is followed by exactly one blank line; the file keeps having (or not having) a final newline.
 */
function placeRuntimeStage(doc: Doc, removals: Edit[], lines: string[]): Edit[] {
  const text = doc.text;
  const block = lines.join(doc.eol);
  const last = removals[removals.length - 1];
  const tail = last !== undefined && text.slice(last.end).trim() === '';
  if (tail) {
    const trailing = /(?:\r?\n[ \t]*)+$/.exec(text.slice(0, last.start));
    const cut = trailing ? trailing.index : last.start;
    return [
      ...removals.slice(0, -1),
      {
        start: cut,
        end: text.length,
        text: doc.eol + doc.eol + block + (doc.finalNewline ? doc.eol : ''),
      },
    ];
  }
  const endsBlank = /\n[ \t]*\r?\n$/.test(text);
  const prefix = doc.finalNewline ? (endsBlank ? '' : doc.eol) : doc.eol + doc.eol;
  return [
    ...removals,
    {
      start: text.length,
      end: text.length,
      text: prefix + block + (doc.finalNewline ? doc.eol : ''),
    },
  ];
}

/**
 * Deletions that touch, overlap or have only blank lines between them as one edit each: the engine
 * refuses overlaps within a finding, and the tail cut of placeRuntimeStage takes blank lines back.
 * A deletion that was a paragraph of its own (a blank line above and below) takes one of the two,
 * so that the builder is not left with two blank lines where a LABEL stood.
 */
function mergeRanges(text: string, edits: Edit[]): Edit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  const out: Edit[] = [];
  for (const e of sorted) {
    const prev = out[out.length - 1];
    if (prev && (e.start <= prev.end || text.slice(prev.end, e.start).trim() === ''))
      prev.end = Math.max(prev.end, e.end);
    else out.push({ ...e });
  }
  for (const e of out) {
    const blankAbove = /\n[ \t]*\r?\n$/.test(text.slice(0, e.start));
    const blankBelow = /^[ \t]*\r?\n/.exec(text.slice(e.end));
    if (blankAbove && blankBelow) e.end += blankBelow[0].length;
  }
  return out;
}

export function report(
  instr: Instr,
  message: string,
  severity: Finding['severity'] = 'warning',
): Finding {
  return { message, range: { start: instr.start, end: instr.end }, severity };
}
