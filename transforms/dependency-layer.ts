/**
 * COPY . .                        ->  RUN --mount=type=cache,target=/root/.cache/uv \
 * RUN uv sync --frozen --no-dev           --mount=type=bind,source=uv.lock,target=/app/uv.lock \
 *                                         --mount=type=bind,source=pyproject.toml,target=/app/pyproject.toml \
 *                                         uv sync --frozen --no-install-project --no-dev
 *                                     COPY . .
 *                                     RUN --mount=type=cache,target=/root/.cache/uv \
 *                                         uv sync --frozen --no-dev
 *
 * An original `COPY pyproject.toml uv.lock ./` + sync before the source copy is kept; that sync
 * only gets `--no-install-project`. Bind targets are absolute (WORKDIR + file): podman and buildah
 * refuse relative ones. The final sync's secret, ssh and uv-image mounts are carried over. Not split, with the reason: a uv workspace, no uv.lock in the context, a
 * heredoc sync, flags from a variable. A packaged project whose source is copied after its only
 * sync is reported: the project itself is never installed.
 */
import { defineTransform } from '../src/core/transform.js';
import { isUvCall, PLAIN_PATH, type Doc, type Instr, type Stage } from '../src/core/document.js';
import type { ShellCommand } from '../src/core/shell.js';
import { syncFlags } from '../src/core/uv-sync.js';
import type { Edit, Finding, ProjectContext } from '../src/core/types.js';

const CACHE = '--mount=type=cache,target=/root/.cache/uv';

export default defineTransform({
  id: 'dependency-layer',
  title: 'Install dependencies in their own cached layer',
  rationale:
    'When the whole source is copied before `uv sync`, every code change reinstalls every ' +
    'dependency. Installing from pyproject.toml and uv.lock alone first (`--no-install-project`) ' +
    'keeps that layer cached until the lockfile changes; a cache mount keeps downloaded wheels ' +
    'between builds without putting them in the image.',
  uvOnly: true,
  detect(doc, ctx) {
    const findings: Finding[] = [];
    for (const stage of doc.stages) {
      const syncs = syncsOf(doc, stage);
      if (syncs.length === 0) continue;
      findings.push(...layer(doc, stage, syncs, ctx));
    }
    return findings;
  },
});

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
  const range = { start: last.instr.start, end: last.instr.end };
  const fullCopy = stage.instructions.find(
    (i) => i.index < last.instr.index && copiesSource(doc, i),
  );
  if (!fullCopy) {
    const later = stage.instructions.find(
      (i) => i.index > last.instr.index && copiesSource(doc, i),
    );
    const packaged = ctx.pyproject?.hasBuildSystem && ctx.pyproject.uvPackage !== false;
    if (later && packaged) {
      return [
        {
          message:
            'the source is copied after the last uv sync, so the project itself is never installed into the venv; add a uv sync after the copy',
          range,
          severity: 'warning',
        },
      ];
    }
    return cacheMount(doc, last);
  }
  const findings: Finding[] = [];
  const before = syncs.filter((s) => s.instr.index < fullCopy.index);
  if (before.length > 0) {
    // The original already has a dependency step before the source copy: make it dependency-only.
    for (const s of before) {
      const flags = syncFlags(s.command);
      if (
        flags.fromVariable ||
        flags.flags.some(
          (f) => f.name === '--no-install-project' || f.name === '--no-install-workspace',
        )
      )
        continue;
      if (ctx.pyproject?.workspaceMembers.length) {
        findings.push({
          message:
            'a uv workspace: the sync before the source copy would need every member pyproject.toml; left as is',
          range: { start: s.instr.start, end: s.instr.end },
          severity: 'warning',
        });
        continue;
      }
      const lock = flags.flags.find((f) => f.name === '--frozen' || f.name === '--locked');
      const at = lock ? lock.end : flags.subcommand.end;
      findings.push({
        message:
          'the sync before the source copy installs only the dependencies (--no-install-project): the project is not there yet',
        range: { start: s.instr.start, end: s.instr.end },
        edits: [{ start: at, end: at, text: ' --no-install-project' }],
      });
    }
    findings.push(...cacheMount(doc, last));
    return findings;
  }
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
  const words = last.command.words
    .slice(last.command.words.indexOf(flags.subcommand) + 1)
    .map((w) => w.raw);
  const lockAt = words.findIndex((w) => w === '--frozen' || w === '--locked');
  const depsWords = [
    ...words.slice(0, lockAt + 1),
    '--no-install-project',
    ...words.slice(lockAt + 1),
  ];
  const dir = workdirAt(doc, stage, fullCopy);
  if (!PLAIN_PATH.test(dir)) {
    return [
      {
        message: `the WORKDIR ${JSON.stringify(dir)} is not a plain absolute path, so the bind-mount targets cannot be written; the dependency layer is not split`,
        range,
        severity: 'warning',
      },
    ];
  }
  const target = (file: string) => `${dir.replace(/\/$/, '')}/${file}`;
  // Secrets, ssh agents and a uv mounted from its image are needed by the dependency sync as well.
  const carried = last.instr.flags
    .filter((f) => f.name === 'mount' && !/(^|,)type=cache(,|$)/.test(f.value ?? ''))
    .map((f) => doc.text.slice(f.start, f.end));
  // Commands before the sync in its RUN (`uv python install 3.12 && uv sync`) prepare it: they run first here too.
  const statements = doc.shell(last.instr).statements;
  const own = statements.find((st) => st.commands.includes(last.command));
  const prelude = own && own !== statements[0] ? doc.joined(statements[0].start, own.start) : '';
  const run = doc.continued([
    `RUN ${CACHE}`,
    ...carried,
    `--mount=type=bind,source=uv.lock,target=${target('uv.lock')}`,
    `--mount=type=bind,source=pyproject.toml,target=${target('pyproject.toml')}`,
    prelude + ['uv sync', ...depsWords].join(' '),
  ]);
  // uv itself and its settings may come in after the source copy (`COPY . .` then `RUN pip install
  // uv && uv sync`): they move up with the dependency layer, which needs them.
  const between = stage.instructions.filter(
    (i) => i.index > fullCopy.index && i.index < last.instr.index,
  );
  const installer = between.find(
    (i) => i.keyword === 'RUN' && INSTALLS_UV.test(doc.logical(i.argsStart, i.argsEnd)),
  );
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
  const movers = between.filter((i) => uvImageCopy(i) || onlyUvSettings(i));
  findings.push({
    message:
      'dependencies are installed from pyproject.toml and uv.lock before the source is copied, so code changes keep that layer cached' +
      (movers.length > 0 ? ' (uv and its settings move up with them)' : ''),
    range: { start: fullCopy.start, end: fullCopy.end },
    edits: [
      doc.insertBefore(fullCopy, [...movers.map((i) => doc.sourceOf(i, true)), run], true),
      ...movers.map((i) => doc.remove(i, true)),
    ],
  });
  findings.push(...cacheMount(doc, last));
  return findings;
}

/** `pip install uv` or the uv installer script. */
const INSTALLS_UV = /pip3?\s+install\b[^&|;]*\buv\b|astral\.sh\/uv/;

/** `COPY --from=<the uv image> ...`. */
function uvImageCopy(instr: Instr): boolean {
  return (
    instr.keyword === 'COPY' &&
    instr.flags.some((f) => f.name === 'from' && /astral(-sh)?\/uv/.test(f.value ?? ''))
  );
}

/** An ENV that only sets uv's own settings (UV_*). */
function onlyUvSettings(instr: Instr): boolean {
  if (instr.keyword !== 'ENV') return false;
  const props = (instr.raw as import('dockerfile-ast').Env).getProperties();
  return props.length > 0 && props.every((p) => p.getName().startsWith('UV_'));
}

/** A cache mount for uv on the final sync, unless caching is off. */
function cacheMount(doc: Doc, sync: Sync): Finding[] {
  const { instr } = sync;
  if (
    instr.flags.some(
      (f) =>
        f.name === 'mount' &&
        /type=cache/.test(f.value ?? '') &&
        /\.cache\/uv|UV_CACHE/.test(doc.text.slice(f.start, f.end)),
    )
  )
    return [];
  if (syncFlags(sync.command).flags.some((f) => f.name === '--no-cache')) return [];
  const env = doc.stageEnv(doc.stages[instr.stage]);
  if (['1', 'true'].includes(env.get('UV_NO_CACHE') ?? '')) return [];
  if (env.has('UV_CACHE_DIR')) return [];
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

function copiesSource(doc: Doc, instr: Instr): boolean {
  if (
    (instr.keyword !== 'COPY' && instr.keyword !== 'ADD') ||
    instr.flags.some((f) => f.name === 'from')
  )
    return false;
  const words = doc.logical(instr.argsStart, instr.argsEnd).trim().split(/\s+/);
  return words.slice(0, -1).some((w) => w === '.' || w === './');
}

function workdirAt(doc: Doc, stage: Stage, at: Instr): string {
  let dir = '/';
  for (const instr of stage.instructions) {
    if (instr.index >= at.index) break;
    if (instr.keyword !== 'WORKDIR') continue;
    const arg = doc.logical(instr.argsStart, instr.argsEnd).trim();
    dir = arg.startsWith('/') ? arg : `${dir.replace(/\/$/, '')}/${arg}`;
  }
  return dir;
}
