/**
 * FROM python:3.12-slim-trixie              ->  FROM python:3.12-slim-trixie
 * WORKDIR /app                                  RUN groupadd --system --gid 10001 app \
 * COPY --from=builder /app /app                     && useradd --system --uid 10001 --gid 10001 --no-create-home app
 * CMD ["app"]                                   WORKDIR /app
 *                                               COPY --from=builder --chown=10001:10001 /app /app
 *                                               USER 10001:10001
 *                                               CMD ["app"]
 *
 * RUN useradd -m appuser                    ->  RUN useradd --uid 10001 -m appuser
 * USER appuser                                  USER 10001:10001
 *
 * In the final stage (and the stages it is built FROM); Alpine gets addgroup/adduser. A user the
 * file creates without a uid gets the configured one on its creating line (every stage that
 * creates it, so a split's builder and runtime agree), its group the same gid where the file
 * creates the group, and USER becomes numeric; a user created with a uid keeps it. Reported, not
 * fixed: a USER from a variable whose default is root or unknown, a USER or `COPY --chown` naming a
 * user the stage does not create, a uid or gid already taken in the file, supervisors and
 * entrypoints that drop privileges themselves (s6-overlay /init, gosu, su-exec, setpriv), images
 * without a shell.
 */
import { defineTransform } from '../src/core/transform.js';
import type { Doc, Instr, Stage } from '../src/core/document.js';
import { programWords, scriptFile } from '../src/core/command.js';
import { runnerRun } from '../src/core/runtime-command.js';
import { startScripts } from '../src/core/scripts.js';
import { startCallingUv } from '../src/core/uv-presence.js';
import type { Edit, Finding, ProjectContext } from '../src/core/types.js';
import { accounts, NUMBER, type Account } from '../src/core/users.js';

const BEFORE = new Set(['EXPOSE', 'STOPSIGNAL', 'HEALTHCHECK', 'ENTRYPOINT', 'CMD']);
const DROPPERS = /(^|\/)(gosu|su-exec|setpriv|chroot|runuser|s6-setuidgid)$/;

export default defineTransform({
  id: 'non-root-user',
  title: 'Run as a numeric non-root user',
  rationale:
    'A process running as root in a container is root on the files it can reach and one kernel bug ' +
    'away from the host. A numeric USER (10001:10001) lets Kubernetes `runAsNonRoot` verify it, which ' +
    'it cannot do for a name; hadolint flags named users for the same reason. A user the file ' +
    'creates gets a fixed uid, so the number is the same on every build. Files copied from the ' +
    'builder are owned by that user.',
  uvOnly: true,
  pip: true,
  detect(doc, ctx, options) {
    const all = accounts(doc);
    const converted = new Set<number>();
    const findings = doc
      .runtimeStages()
      .flatMap((stage) => runtimeUser(doc, ctx, stage, all, String(options.uid), converted));
    return [...findings, ...misplacedChowns(doc, all, converted)];
  },
});

/** The final stage's USER, made numeric or added. */
function runtimeUser(
  doc: Doc,
  ctx: ProjectContext,
  stage: Stage,
  all: Account[],
  uid: string,
  converted: Set<number>,
): Finding[] {
  const range = { start: stage.from.start, end: stage.from.end };
  const dropper = privilegeDropper(doc, stage, ctx);
  if (dropper) {
    return [
      {
        message: `no USER added: ${dropper}`,
        range,
        severity: 'info',
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
  const chain = doc.lineage(stage).reverse();
  const plan = new Plan(all, new Set(chain.map((s) => s.index)), uid);
  const last = chain
    .flatMap((s) => s.instructions)
    .filter((i) => i.keyword === 'USER')
    .pop();
  if (last) {
    const value = doc.logical(last.argsStart, last.argsEnd).trim();
    const [user, group] = value.split(':');
    if (user.includes('$')) return [variableUser(doc, last, value, user)];
    if (NUMBER.test(user) && user !== '0' && (group === undefined || NUMBER.test(group))) {
      return withChowns(doc, all, stage, plan, value, [], converted);
    }
    if (user !== 'root' && user !== '0')
      return namedUser(doc, all, stage, plan, last, value, converted);
  }
  const uvAtStart =
    startCallingUv(doc, stage) !== null ||
    stage.instructions.some(
      (i) =>
        (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') &&
        i.jsonInvalid &&
        /(^|[^\w-])uvx?([^\w-]|$)/.test(doc.text.slice(i.argsStart, i.argsEnd)),
    ) ||
    // A script the container runs that still calls uv (uv sync, uvx, or uv run kept) does as well.
    startScripts(doc, stage, ctx.files).some(
      (s) => s.uv.problems.length > 0 || s.uv.edits.length > 0,
    );
  // Poetry and Pipenv at start read and write their own caches and config under the user's home,
  // which a system user made here does not have.
  const runner = doc
    .starts(stage)
    .flatMap((i) => programWords(doc, i))
    .map(runnerRun)
    .find((r) => r !== null);
  if (runner)
    return [
      {
        message: `no USER added: the container still runs \`${runner.tool} run\` at start, which keeps its caches and settings in the home directory of the user it runs as; start the program directly first`,
        range,
        severity: 'warning',
      },
    ];
  if (uvAtStart) {
    return [
      {
        message:
          'no USER added: the container still runs uv at start, which writes to the root-owned venv; start the program directly first',
        range,
        severity: 'warning',
      },
    ];
  }
  return addUser(doc, all, stage, plan, last, uid, converted);
}

interface Settled {
  uid: string;
  /** The primary group's gid, or null when the tool picks it at build time. */
  gid: string | null;
}

/**
 * The numeric ids of the accounts the final stage sees, and the edits that fix the missing ones.
 * A user is settled once: the USER line and every `--chown` to it agree.
 */
class Plan {
  readonly edits = new Map<number, Edit>();
  readonly notes: string[] = [];
  private readonly users = new Map<string, Settled | string>();
  private readonly groups = new Map<string, string | null>();

  constructor(
    private readonly all: Account[],
    private readonly chain: Set<number>,
    private readonly wanted: string,
  ) {}

  /** Records a user this transform creates itself. */
  created(name: string, uid: string): void {
    this.users.set(name, { uid, gid: uid });
  }

  /**
   * The ids of a user created in the chain; null when it is not created there; a reason when its
   * uid cannot be fixed. `assign`: give a uid-less user the configured uid.
   */
  user(name: string, assign = true): Settled | string | null {
    const known = this.users.get(name);
    if (known !== undefined) return known;
    const mine = this.all.filter((a) => a.kind === 'user' && a.name === name);
    const user = mine.filter((a) => this.chain.has(a.stage)).pop();
    if (!user) return null;
    let uid = user.id;
    if (uid !== null && !NUMBER.test(uid)) {
      return this.settle(name, `the uid of ${name} comes from ${uid}, which is not known here`);
    }
    if (uid === null) {
      if (!assign) return `${name} is created without a uid`;
      const holder = this.all.find(
        (a) => a.kind === 'user' && a.name !== name && a.id === this.wanted,
      );
      if (holder) {
        return this.settle(
          name,
          `uid ${this.wanted} already belongs to ${holder.name} in this file; give ${name} a uid by hand`,
        );
      }
      uid = this.wanted;
      for (const a of mine) if (a.id === null) this.insertId(a, uid);
      this.notes.push(`${name} now gets uid ${uid} where it is created`);
    }
    const primary = user.primary;
    const gid =
      primary === 'own'
        ? this.ownGid(uid)
        : primary === 'unknown'
          ? null
          : 'gid' in primary
            ? NUMBER.test(primary.gid)
              ? primary.gid
              : null
            : this.group(primary.group, uid, { name, uid });
    return this.settle(name, { uid, gid });
  }

  /**
   * The gid of a group the chain sees. A group created without a gid gets `preferred` (the uid of
   * the user it serves) unless another group of the file already has that gid.
   */
  group(
    name: string,
    preferred: string,
    self?: { name: string; uid: string },
    assign = true,
  ): string | null {
    if (name === 'root') return '0';
    if (NUMBER.test(name)) return name;
    const mine = this.all.filter((a) => a.kind === 'group' && a.name === name);
    const group = mine.filter((a) => this.chain.has(a.stage)).pop();
    if (!group) {
      // The group useradd and adduser create for a user of the same name.
      const owner = this.all
        .filter((a) => a.kind === 'user' && a.name === name && this.chain.has(a.stage))
        .pop();
      const uid = self?.name === name ? self.uid : owner?.id;
      return owner?.primary === 'own' && uid && NUMBER.test(uid) ? this.ownGid(uid) : null;
    }
    if (group.id !== null) return NUMBER.test(group.id) ? group.id : null;
    const known = this.groups.get(name);
    if (known !== undefined || !assign) return known ?? null;
    const holder = this.all.find(
      (a) => a.kind === 'group' && a.name !== name && a.id === preferred,
    );
    if (holder) {
      this.notes.push(
        `group ${name} keeps the gid its tool picks (${preferred} already belongs to ${holder.name})`,
      );
      this.groups.set(name, null);
      return null;
    }
    for (const a of mine) if (a.id === null) this.insertId(a, preferred);
    this.notes.push(`group ${name} now gets gid ${preferred}`);
    this.groups.set(name, preferred);
    return preferred;
  }

  /** A user's own group takes the uid as its gid when no other group of the file has it. */
  private ownGid(uid: string): string | null {
    return this.all.some((a) => a.kind === 'group' && a.id === uid) ? null : uid;
  }

  private insertId(account: Account, id: string): void {
    this.edits.set(account.at, {
      start: account.at,
      end: account.at,
      text: ` ${account.idOption} ${id}`,
    });
  }

  private settle<T extends Settled | string>(name: string, value: T): T {
    this.users.set(name, value);
    return value;
  }
}

/** `USER appuser` (or `appuser:group`) for a user the chain creates: its numeric ids. */
function namedUser(
  doc: Doc,
  all: Account[],
  stage: Stage,
  plan: Plan,
  last: Instr,
  value: string,
  converted: Set<number>,
): Finding[] {
  const [user, group] = value.split(':');
  const range = { start: last.start, end: last.end };
  const settled = plan.user(user);
  if (settled === null) {
    const elsewhere = all.find((a) => a.kind === 'user' && a.name === user);
    // The one base-image user whose ids are the same everywhere (Debian, Alpine, Wolfi, RHEL).
    if (
      !elsewhere &&
      user === 'nobody' &&
      (group === undefined || /^(nobody|nogroup)$/.test(group))
    )
      return [
        {
          message: `USER ${value} -> USER 65534:65534: nobody is uid 65534 (group 65534) in every common base image, and Kubernetes runAsNonRoot can verify a number, not a name`,
          range,
          edits: [{ start: last.argsStart, end: last.argsEnd, text: '65534:65534' }],
        },
      ];
    const message = elsewhere
      ? `USER ${value}: ${user} is created in ${stageLabel(doc.stages[elsewhere.stage])}, not in the stage that runs; the container would fail to start (no such user in /etc/passwd): create it in this stage with a fixed uid and use USER <uid>:<gid>`
      : `USER ${value} names a user this file does not create (it comes from the base image), so its uid is not known here and Kubernetes runAsNonRoot cannot verify a name: use USER <uid>:<gid> with the base image's ids`;
    return [{ message, range, severity: 'warning' }];
  }
  if (typeof settled === 'string') {
    return [{ message: `USER ${value} is left as is: ${settled}`, range, severity: 'warning' }];
  }
  let gid = settled.gid;
  // `USER app:app` names the group useradd made for app: its primary group, as `USER app` does.
  if (group !== undefined && !(group === user && !createsGroup(all, group))) {
    gid = plan.group(group, settled.uid, { name: user, uid: settled.uid });
    if (gid === null) {
      return [
        {
          message: `USER ${value} is left as is: the gid of group ${group} is not known here`,
          range,
          severity: 'warning',
        },
      ];
    }
  }
  const numeric = gid === null ? settled.uid : `${settled.uid}:${gid}`;
  const why = [
    ...plan.notes,
    ...(gid === null
      ? [
          `its primary group's gid is not fixed in this file, so USER gives the uid alone (the group comes from /etc/passwd)`,
        ]
      : []),
  ];
  const edits = [
    ...plan.edits.values(),
    { start: last.argsStart, end: last.argsEnd, text: numeric },
  ];
  return withChowns(
    doc,
    all,
    stage,
    plan,
    numeric,
    [
      {
        message: `USER ${value} -> USER ${numeric} (${why.length > 0 ? why.join('; ') : 'the uid and gid it is created with'})`,
        range,
        edits,
      },
    ],
    converted,
  );
}

function createsGroup(all: Account[], name: string): boolean {
  return all.some((a) => a.kind === 'group' && a.name === name);
}

/** No USER, or USER root: run as a user the file creates, or create one, before the container starts. */
function addUser(
  doc: Doc,
  all: Account[],
  stage: Stage,
  plan: Plan,
  last: Instr | undefined,
  uid: string,
  converted: Set<number>,
): Finding[] {
  const range = { start: stage.from.start, end: stage.from.end };
  const chain = new Set(doc.lineage(stage).map((s) => s.index));
  const users = all.filter((a) => a.kind === 'user' && chain.has(a.stage));
  const names = [...new Set(users.map((a) => a.name))];
  // The user the file made for the app: the one with the configured uid, `app`, or the only one.
  const adopted =
    users.find((a) => a.id === uid)?.name ??
    names.find((n) => n === 'app') ??
    (names.length === 1 ? names[0] : undefined);
  const edits: Edit[] = [];
  let id = `${uid}:${uid}`;
  let what: string;
  const volumes = doc.volumes(stage).filter((p) => /^\/[A-Za-z0-9._/-]*$/.test(p) && p !== '/');
  if (adopted !== undefined) {
    const settled = plan.user(adopted);
    if (typeof settled === 'string' || settled === null) {
      return [
        {
          message: `no USER added: the file creates ${adopted}, but ${settled ?? 'not in this stage'}`,
          range,
          severity: 'warning',
        },
      ];
    }
    id = settled.gid === null ? settled.uid : `${settled.uid}:${settled.gid}`;
    edits.push(...plan.edits.values());
    const notes = [...plan.notes];
    if (volumes.length > 0) {
      edits.push(
        doc.insertAfter(stage.from, [
          `RUN mkdir -p ${volumes.join(' ')} && chown ${id} ${volumes.join(' ')}`,
        ]),
      );
      notes.push(`${volumes.join(', ')} made and owned by it for the VOLUME`);
    }
    what = `, the ${adopted} user the file creates${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
  } else {
    const alpine = /alpine/.test(doc.lineage(stage).at(-1)!.image ?? '');
    const holder = all.find(
      (a) => a.kind === 'group' && chain.has(a.stage) && (a.id === uid || a.name === 'app'),
    );
    if (holder) {
      const taken =
        holder.name === 'app'
          ? 'a group app already exists'
          : `gid ${uid} already belongs to group ${holder.name}`;
      return [
        {
          message: `no USER added: ${taken} here; create the user with a free uid and gid and set USER <uid>:<gid> by hand`,
          range,
          severity: 'warning',
        },
      ];
    }
    plan.created('app', uid);
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
    what = ` (user app created with that uid${alpine ? ', Alpine tools' : ''}${volumes.length > 0 ? `; ${volumes.join(', ')} made and owned by it for the VOLUME` : ''})`;
  }
  // A `USER root` stays where it is (what follows it may need root); the switch comes after it.
  const after = last?.stage === stage.index ? last.index : -1;
  const anchor = stage.instructions.find((i) => BEFORE.has(i.keyword) && i.index > after);
  if (anchor) edits.push(doc.insertBefore(anchor, [`USER ${id}`], true));
  else if (stage === doc.finalStage) edits.push(doc.append([`USER ${id}`]));
  // Another target: at the end of its own stage, not of the file.
  else edits.push(doc.insertAfter(stage.instructions.at(-1) ?? stage.from, [`USER ${id}`]));
  edits.push(...chownEdits(doc, all, stage, id, plan, converted));
  return [{ message: `the runtime runs as ${id}${what}`, range, edits }];
}

/** The final stage's copies owned by the user: with the USER change, or on their own. */
function withChowns(
  doc: Doc,
  all: Account[],
  stage: Stage,
  plan: Plan,
  id: string,
  findings: Finding[],
  converted: Set<number>,
): Finding[] {
  const edits = chownEdits(doc, all, stage, id, plan, converted);
  if (edits.length === 0) return findings;
  if (findings[0]?.edits) {
    findings[0].edits.push(...edits);
    return findings;
  }
  return [
    {
      message: `files copied from the builder are owned by ${id}`,
      range: { start: stage.from.start, end: stage.from.end },
      edits,
    },
  ];
}

/**
 * `--chown=<id>` on every COPY --from=<stage> of the final stage that has none, and named owners
 * made numeric where their ids are known (a name only resolves once the user exists in the stage).
 */
function chownEdits(
  doc: Doc,
  all: Account[],
  stage: Stage,
  id: string,
  plan: Plan,
  converted: Set<number>,
): Edit[] {
  const stageNames = new Set(
    doc.stages.flatMap((s) =>
      s.index < stage.index ? [s.name?.toLowerCase(), String(s.index)] : [],
    ),
  );
  const edits: Edit[] = [];
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'COPY' && instr.keyword !== 'ADD') continue;
    const from = instr.flags.find((f) => f.name === 'from');
    const chown = instr.flags.find((f) => f.name === 'chown');
    if (!chown) {
      if (instr.keyword !== 'COPY' || !from || !stageNames.has(from.value?.toLowerCase())) continue;
      // System directories stay root's: the app user must not be able to change the interpreter.
      const dest = doc.logical(instr.argsStart, instr.argsEnd).trim().split(/\s+/).pop() ?? '';
      // /usr/src/app (the python image's own documented app directory) is an app's.
      const system =
        /^\/(usr\/(local|bin|sbin|lib|lib64|share|include)|bin|sbin|lib|lib64|etc)(\/|$)/;
      if (system.test(dest) || /^\/usr\/?$/.test(dest)) continue;
      edits.push({ start: from.end, end: from.end, text: ` --chown=${id}` });
      continue;
    }
    if (!chown.value || chown.value.includes('$') || /^\d+(:\d+)?$/.test(chown.value)) continue;
    // A name is fine once its user exists; a copy from the builder, or a name the stage cannot
    // resolve yet, takes the numbers.
    if (!from && !missingOwner(doc, all, instr, chown.value)) continue;
    const [user, group] = chown.value.split(':');
    const settled = plan.user(user, false);
    if (settled === null || typeof settled === 'string') continue;
    // Docker gives an owner named without a group the gid equal to its uid, as it does a number;
    // `app:app` names app's primary group, as in USER.
    const gid =
      group === undefined
        ? null
        : group === user && !createsGroup(all, group)
          ? settled.gid
          : plan.group(group, settled.uid, { name: user, uid: settled.uid }, false);
    if (group !== undefined && gid === null) continue;
    const owner = gid === null ? settled.uid : `${settled.uid}:${gid}`;
    edits.push({ start: chown.start, end: chown.end, text: `--chown=${owner}` });
    converted.add(instr.index);
  }
  return edits;
}

/**
 * A `--chown` to a user or group the file creates, but not before that line in that stage (or
 * the stages it is built FROM): the build fails ("unable to find user"). Names the file never
 * creates come from the base image and are left alone.
 */
function misplacedChowns(doc: Doc, all: Account[], converted: Set<number>): Finding[] {
  const out: Finding[] = [];
  for (const instr of doc.instructions) {
    if ((instr.keyword !== 'COPY' && instr.keyword !== 'ADD') || converted.has(instr.index))
      continue;
    const chown = instr.flags.find((f) => f.name === 'chown')?.value;
    if (!chown || chown.includes('$')) continue;
    const missing = missingOwner(doc, all, instr, chown);
    if (!missing) continue;
    out.push({
      message: `${instr.keyword} --chown=${chown}: the ${missing}, so this stage cannot resolve the name and the build fails; create it first in this stage or use numeric ids`,
      range: { start: instr.start, end: instr.end },
      severity: 'warning',
    });
  }
  return out;
}

/** Why the owner of a `--chown` cannot resolve at that line, or null when it can (or comes from the base image). */
function missingOwner(doc: Doc, all: Account[], instr: Instr, chown: string): string | null {
  const chain = new Set(doc.lineage(doc.stages[instr.stage]).map((s) => s.index));
  const [user, group] = chown.split(':');
  for (const [kind, name] of [
    ['user', user],
    ['group', group],
  ] as const) {
    if (name === undefined || NUMBER.test(name)) continue;
    const made = all.filter(
      (a) => a.name === name && (a.kind === kind || (kind === 'group' && a.primary === 'own')),
    );
    if (made.length === 0) continue;
    if (made.some((a) => chain.has(a.stage) && a.start < instr.start)) continue;
    const where = made.some((a) => chain.has(a.stage))
      ? 'only after this line'
      : `in ${stageLabel(doc.stages[made[0].stage])} only`;
    return `${kind} ${name} is created ${where}`;
  }
  return null;
}

function variableUser(doc: Doc, last: Instr, value: string, user: string): Finding {
  const name = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(user)?.[1] ?? user;
  const arg = doc.instructions.find(
    (i) => i.keyword === 'ARG' && doc.properties(i)[0]?.name === name,
  );
  const def = arg ? doc.properties(arg)[0].value : undefined;
  const why =
    def === '0' || def === 'root'
      ? `its default is ${def}: the container runs as root unless every build overrides it`
      : 'its value is not known here';
  return {
    message: `USER ${value} comes from a variable and ${why}; left as is`,
    range: { start: last.start, end: last.end },
    severity: 'warning',
  };
}

function stageLabel(stage: Stage): string {
  return stage.name ? `stage ${stage.name}` : `stage ${stage.index}`;
}

/**
 * The script a start command runs when the file copies it under another name
 * (`COPY ./docker/entry.sh /app/run.sh`): the copy's one source, read from the build context.
 */
function copiedScript(
  doc: Doc,
  stage: Stage,
  program: string,
  ctx: ProjectContext,
): { text: string } | null {
  for (const s of doc.lineage(stage))
    for (const copy of doc.copies(s)) {
      if (copy.from !== null || copy.sources.length !== 1 || !copy.target.exact) continue;
      if (copy.target.value !== program) continue;
      const text = ctx.files[copy.sources[0].replace(/^\.\//, '')];
      return text === undefined ? null : { text };
    }
  return null;
}

/**
 * Why the image starts as root on purpose, in words for the finding: s6-overlay, supervisord, gosu,
 * su-exec... drop privileges themselves; the cron daemon must be root to run each job as its owner.
 */
function privilegeDropper(doc: Doc, stage: Stage, ctx: ProjectContext): string | null {
  const drops = (who: string) => `${who} starts as root on purpose and drops privileges itself`;
  for (const instr of doc.starts(stage)) {
    for (const words of programWords(doc, instr)) {
      const program = words[0] ?? '';
      if (program === '/init') return drops('s6-overlay (/init)');
      // Its log and pid files are root's by default, and each program's `user=` drops to its own.
      if (/(^|\/)supervisord$/.test(program)) return drops('supervisord');
      if (DROPPERS.test(program)) return drops(program.split('/').pop()!);
      // The cron daemon runs each job as its owner, which only root can do.
      if (/(^|\/)(cron|crond)$/.test(program))
        return `the start command runs the cron daemon (${program}), which must run as root to start each job as its owner; to run the app as a non-root user, run the jobs from a scheduler of their own (a separate container, a Kubernetes CronJob)`;
      const script = (scriptFile(program, ctx.files) ?? copiedScript(doc, stage, program, ctx))
        ?.text;
      if (
        script &&
        /(^|\s)(exec\s+)?(gosu|su-exec|setpriv|runuser|s6-setuidgid|chroot\s+--userspec|(\S*\/)?supervisord)\s/m.test(
          script,
        )
      )
        return drops(`${program}, which calls a privilege-dropping tool,`);
    }
  }
  return null;
}
