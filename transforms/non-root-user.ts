/**
 * FROM python:3.12-slim-trixie              ->  FROM python:3.12-slim-trixie
 * WORKDIR /app                                  RUN groupadd --system --gid 10001 app \
 * COPY --from=builder /app /app                     && useradd --system --uid 10001 --gid 10001 --no-create-home app
 * CMD ["app"]                                   WORKDIR /app
 *                                               COPY --from=builder --chown=10001:10001 /app /app
 *                                               USER 10001:10001
 *                                               CMD ["app"]
 *
 * In the final stage; Alpine gets addgroup/adduser. A named USER whose uid the file sets
 * (`useradd -u 1000 app`) becomes numeric. Reported, not fixed: a USER from a variable whose
 * default is root or unknown, a named user of unknown uid, supervisors and entrypoints that drop
 * privileges themselves (s6-overlay /init, gosu, su-exec, setpriv), images without a shell.
 */
import { defineTransform } from '../src/core/transform.js';
import type { Doc, Stage } from '../src/core/document.js';
import { programWords, scriptFile } from '../src/core/command.js';
import { uvShape } from '../src/core/runtime-command.js';
import { startScripts } from '../src/core/scripts.js';
import type { Edit, Finding, ProjectContext } from '../src/core/types.js';

const BEFORE = new Set(['EXPOSE', 'STOPSIGNAL', 'HEALTHCHECK', 'ENTRYPOINT', 'CMD']);
const DROPPERS = /(^|\/)(gosu|su-exec|setpriv|chroot|runuser|s6-setuidgid)$/;

export default defineTransform({
  id: 'non-root-user',
  title: 'Run as a numeric non-root user',
  rationale:
    'A process running as root in a container is root on the files it can reach and one kernel bug ' +
    'away from the host. A numeric USER (10001:10001) lets Kubernetes `runAsNonRoot` verify it, which ' +
    'it cannot do for a name; hadolint flags named users for the same reason. Files copied from the ' +
    'builder are owned by that user.',
  uvOnly: true,
  detect(doc, ctx, options) {
    const stage = doc.finalStage;
    if (!stage) return [];
    const uid = options.uid;
    const id = `${uid}:${uid}`;
    const range = { start: stage.from.start, end: stage.from.end };
    const dropper = privilegeDropper(doc, stage, ctx);
    if (dropper) {
      return [
        {
          message: `no USER added: ${dropper} starts as root on purpose and drops privileges itself`,
          range,
          severity: 'info',
        },
      ];
    }
    const uvAtStart = stage.instructions.some(
      (i) =>
        (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') &&
        (programWords(doc, i).some((w) => uvShape(w) !== null || w[0] === 'uvx') ||
          (i.jsonInvalid &&
            /(^|[^\w-])uvx?([^\w-]|$)/.test(doc.text.slice(i.argsStart, i.argsEnd)))),
    );
    // A script the container runs that still calls uv (uv sync, uvx, or uv run kept) does as well.
    const scriptUv = startScripts(doc, stage, ctx.files, new Set()).some(
      (s) => s.uv.problems.length > 0 || s.uv.edits.length > 0,
    );
    if (uvAtStart || scriptUv) {
      return [
        {
          message:
            'no USER added: the container still runs uv at start, which writes to the root-owned venv; start the program directly first',
          range,
          severity: 'warning',
        },
      ];
    }
    if (/distroless|scratch/.test(stage.image ?? '')) {
      return [
        {
          message: `${stage.image} has no shell to create a user with; set a numeric USER by hand`,
          range,
          severity: 'warning',
        },
      ];
    }
    const users = stage.instructions.filter((i) => i.keyword === 'USER');
    const last = users[users.length - 1];
    const findings: Finding[] = [];
    const created = createdUsers(doc, stage);
    if (last) {
      const value = doc.logical(last.argsStart, last.argsEnd).trim();
      const [user, group] = value.split(':');
      if (user.includes('$')) {
        const name = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(user)?.[1] ?? user;
        const arg = doc.instructions.find(
          (i) =>
            i.keyword === 'ARG' &&
            (i.raw as import('dockerfile-ast').Arg).getProperties()[0]?.getName() === name,
        );
        const def = arg
          ? (arg.raw as import('dockerfile-ast').Arg).getProperties()[0].getValue()
          : undefined;
        const why =
          def === '0' || def === 'root'
            ? `its default is ${def}: the container runs as root unless every build overrides it`
            : 'its value is not known here';
        return [
          {
            message: `USER ${value} comes from a variable and ${why}; left as is`,
            range: { start: last.start, end: last.end },
            severity: 'warning',
          },
        ];
      }
      if (/^\d+$/.test(user) && user !== '0' && (group === undefined || /^\d+$/.test(group))) {
        return chownCopies(doc, stage, value.includes(':') ? value : `${user}`, created);
      }
      if (user !== 'root' && user !== '0') {
        const known = created.get(user);
        if (!known)
          return [
            {
              message: `USER ${value} is a name whose uid is not set in this file; Kubernetes runAsNonRoot cannot verify it: give it a fixed uid and use USER <uid>:<gid>`,
              range: { start: last.start, end: last.end },
              severity: 'warning',
            },
          ];
        const numeric = `${known.uid}:${known.gid ?? known.uid}`;
        findings.push({
          message: `USER ${value} -> USER ${numeric} (the uid and gid it is created with)`,
          range: { start: last.start, end: last.end },
          edits: [{ start: last.argsStart, end: last.argsEnd, text: numeric }],
        });
        return [...findings, ...chownCopies(doc, stage, numeric, created)];
      }
    }
    // No USER, or USER root: create the user and switch to it before the container starts.
    const edits: Edit[] = [];
    const alpine = /alpine/.test(stage.image ?? '');
    const taken = [...created.values()].some((u) => u.uid === String(uid)) || created.has('app');
    // Literal absolute paths only: a variable or a relative path cannot be made here.
    const volumes = doc.volumes(stage).filter((p) => /^\/[A-Za-z0-9._/-]*$/.test(p) && p !== '/');
    if (!taken) {
      const lines = alpine
        ? [`RUN addgroup -S -g ${uid} app`, `&& adduser -S -D -H -u ${uid} -G app app`]
        : [
            `RUN groupadd --system --gid ${uid} app`,
            `&& useradd --system --uid ${uid} --gid ${uid} --no-create-home app`,
          ];
      // A volume's mount point that the image lacks is created root-owned when mounted: the user
      // could not write to its own data. It is made here, owned by the user.
      if (volumes.length > 0)
        lines.push(`&& mkdir -p ${volumes.join(' ')} && chown ${id} ${volumes.join(' ')}`);
      edits.push(doc.insertAfter(stage.from, [doc.continued(lines)]));
    }
    // A `USER root` stays where it is (what follows it may need root); the switch comes after it.
    const anchor = stage.instructions.find(
      (i) => BEFORE.has(i.keyword) && i.index > (last?.index ?? -1),
    );
    if (anchor) edits.push(doc.insertBefore(anchor, [`USER ${id}`], true));
    else edits.push(doc.append([`USER ${id}`]));
    edits.push(...chownEdits(doc, stage, id, created));
    return [
      {
        message: `the runtime runs as ${id}${taken ? '' : ` (user app created with that uid${alpine ? ', Alpine tools' : ''}${volumes.length > 0 ? `; ${volumes.join(', ')} made and owned by it for the VOLUME` : ''})`}`,
        range,
        edits,
      },
    ];
  },
});

/** Existing users the stage creates, by name, with the ids given. */
function createdUsers(doc: Doc, stage: Stage): Map<string, { uid: string; gid: string | null }> {
  const users = new Map<string, { uid: string; gid: string | null }>();
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN') continue;
    for (const c of doc.shell(instr).commands) {
      const v = c.words.map((w) => w.value ?? '');
      if (v[0] !== 'useradd' && v[0] !== 'adduser') continue;
      const name = [...v].reverse().find((w) => w !== '' && !w.startsWith('-'));
      const uidAt = v.findIndex((w) => w === '-u' || w === '--uid');
      const gidAt = v.findIndex((w) => w === '-g' || w === '--gid' || w === '-G');
      if (!name || uidAt < 0) continue;
      const gid = gidAt >= 0 && /^\d+$/.test(v[gidAt + 1]) ? v[gidAt + 1] : null;
      users.set(name, { uid: v[uidAt + 1], gid });
    }
  }
  return users;
}

function chownCopies(
  doc: Doc,
  stage: Stage,
  id: string,
  created: Map<string, { uid: string; gid: string | null }>,
): Finding[] {
  const edits = chownEdits(doc, stage, id, created);
  if (edits.length === 0) return [];
  return [
    {
      message: `files copied from the builder are owned by ${id}`,
      range: { start: stage.from.start, end: stage.from.end },
      edits,
    },
  ];
}

/** `--chown=<id>` on every COPY --from=<stage> of the final stage that has none (or a named one). */
function chownEdits(
  doc: Doc,
  stage: Stage,
  id: string,
  created: Map<string, { uid: string; gid: string | null }>,
): Edit[] {
  const stageNames = new Set(
    doc.stages.flatMap((s) =>
      s.index < stage.index ? [s.name?.toLowerCase(), String(s.index)] : [],
    ),
  );
  const edits: Edit[] = [];
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'COPY') continue;
    const from = instr.flags.find((f) => f.name === 'from');
    if (!from || !stageNames.has(from.value?.toLowerCase())) continue;
    // System directories stay root's: the app user must not be able to change the interpreter.
    const dest = doc.logical(instr.argsStart, instr.argsEnd).trim().split(/\s+/).pop() ?? '';
    if (/^\/(usr|bin|sbin|lib|lib64|etc)(\/|$)/.test(dest)) continue;
    const chown = instr.flags.find((f) => f.name === 'chown');
    if (!chown) {
      edits.push({ start: from.end, end: from.end, text: ` --chown=${id}` });
    } else if (chown.value && !/^\d+(:\d+)?$/.test(chown.value)) {
      const [user] = chown.value.split(':');
      const known = created.get(user);
      if (known || user === 'app')
        edits.push({ start: chown.start, end: chown.end, text: `--chown=${id}` });
    }
  }
  return edits;
}

/** s6-overlay, gosu, su-exec...: the image starts as root on purpose. */
function privilegeDropper(doc: Doc, stage: Stage, ctx: ProjectContext): string | null {
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'ENTRYPOINT' && instr.keyword !== 'CMD') continue;
    for (const words of programWords(doc, instr)) {
      const program = words[0] ?? '';
      if (program === '/init') return 's6-overlay (/init)';
      if (DROPPERS.test(program)) return program.split('/').pop()!;
      const script = scriptFile(program, ctx.files)?.text;
      if (
        script &&
        /(^|\s)(exec\s+)?(gosu|su-exec|setpriv|runuser|s6-setuidgid|chroot\s+--userspec)\s/m.test(
          script,
        )
      )
        return `${program}, which calls a privilege-dropping tool,`;
    }
  }
  return null;
}
