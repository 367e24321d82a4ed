/**
 * `npm run corpus -- DIR`: dockmig on a corpus of real projects, one build context per directory
 * of DIR (its Dockerfile and the files around it), measured against issue 14's "What done looks
 * like": crashes, refusals, outputs a second run changes, and for each uv service with a start
 * command whether it comes out fully hardened, criterion by criterion, or unable to start; and
 * issue 15's figure for pip, Poetry and Pipenv services with a start command (no uv): multi-stage,
 * numeric non-root and without dev-server flags. Prints a report; exits 0 whatever the figures (a
 * report, not a test).
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { rewriteInstruction, scriptFile, scriptsRun } from '../src/core/command.js';
import { isUnder, parse, SYSTEM_DIRS, type Doc, type Stage } from '../src/core/document.js';
import { builderCopiesLost } from './builder-copies.js';
import { migrate } from '../src/core/engine.js';
import { parseShell } from '../src/core/shell.js';
import { pipInstalls } from '../src/core/pip.js';
import { dropDevFlags } from '../src/core/runtime-command.js';
import { DEFAULT_OPTIONS, type MigrationResult, type ProjectContext } from '../src/core/types.js';
import { isUvImage, parseImageRef, runtimeImageFor } from '../src/core/images.js';
import { startCallingUv } from '../src/core/uv-presence.js';
import { rootImage } from '../src/core/staged-project.js';
import { uvCall } from '../src/core/uv.js';
import { reviewInput } from '../src/commands/process-file.js';

const CRITERIA = ['two-stages', 'numeric-user', 'no-uv-at-start', 'exec-form'] as const;
type Criterion = (typeof CRITERIA)[number];
const PIP_CRITERIA = ['two-stages', 'numeric-user', 'no-dev-flags'] as const;
type PipCriterion = (typeof PIP_CRITERIA)[number];

interface DockerfileMeasure {
  dir: string;
  status: 'ok' | 'crash' | 'refused';
  /** A uv service with a start command (the Dockerfile calls uv; its final stage has a CMD or ENTRYPOINT). */
  service: boolean;
  message?: string;
  failed: Criterion[];
  /** A pip, Poetry or Pipenv service with a start command that never calls uv. */
  pipService: boolean;
  /** The final stage's image (through its FROM chain and global ARGs) is one whose Python can be told. */
  pythonKnown: boolean;
  pipFailed: PipCriterion[];
  broken: string[];
  idempotent: boolean;
  /** The output still has relative bind targets (kept from the original): it does not build with podman. */
  relativeBinds: boolean;
  /** Findings left unfixed: what dockmig told the user. */
  unfixed: string[];
}

/** The Dockerfile of a corpus directory: `Dockerfile`, else the first file named like one. */
function dockerfileIn(dir: string): string | null {
  if (existsSync(join(dir, 'Dockerfile'))) return join(dir, 'Dockerfile');
  const other = readdirSync(dir).find((n) => /dockerfile|containerfile/i.test(n));
  return other ? join(dir, other) : null;
}

function run(dir: string, file: string): { result: MigrationResult; ctx: ProjectContext } {
  const text = readFileSync(file, 'utf8');
  const review = reviewInput(file, text, 'Dockerfile', dir, DEFAULT_OPTIONS);
  return {
    result: migrate(review.input, review.options, review.transforms),
    ctx: review.input.context,
  };
}

/** The stage and the stages it is built FROM, nearest first. */
function lineage(doc: Doc, stage: Stage): Stage[] {
  const parent = doc.parentStage(stage);
  return [stage, ...(parent ? lineage(doc, parent) : [])];
}

/**
 * Whether the image a stage makes holds a uv binary: a uv base image, uv copied in from a uv image
 * or from a stage built on one, uv installed by pip or the installer, or inherited. A `RUN
 * --mount=from=...uv` lends uv to that RUN only.
 */
function imageHasUv(doc: Doc, stage: Stage): boolean {
  const uvImage = (written: string | null | undefined): boolean => {
    const ref = written?.replace(
      /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
      (whole, name: string) => doc.globalArgDefault(name)?.value ?? whole,
    );
    if (!ref || ref.includes('$')) return false;
    const named = doc.stages.find((s) => s.name?.toLowerCase() === ref.toLowerCase());
    return named ? imageHasUv(doc, named) : isUvImage(parseImageRef(ref));
  };
  if (uvImage(stage.image)) return true;
  return stage.instructions.some(
    (i) =>
      (i.keyword === 'COPY' &&
        uvImage(i.flags.find((f) => f.name === 'from')?.value) &&
        /(^|\/)uvx?(\s|$)/.test(doc.logical(i.argsStart, i.argsEnd))) ||
      (i.keyword === 'RUN' &&
        /\bpip[x3]?\s+install\b[^&|;]*\suv(\s|==|>=|$)|astral\.sh\/uv|apk add[^&|;]*\suv\b/.test(
          doc.logical(i.argsStart, i.argsEnd),
        )),
  );
}

/** Whether the Dockerfile calls uv (a RUN, a start command), not only mentions it. */
function callsUv(doc: Doc, files: Record<string, string>): boolean {
  return (
    doc.uvCommands().length > 0 ||
    doc.stages.some((s) => startCallingUv(doc, s) || scriptsCallingUv(doc, s, files).length > 0)
  );
}

function hasStart(doc: Doc, stage: Stage): boolean {
  return lineage(doc, stage).some((s) =>
    s.instructions.some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT'),
  );
}

/** Whether shell text calls uv or uvx anywhere. */
function scriptCallsUv(text: string): boolean {
  const s = parseShell(text, 0, text.length, { escape: '\\', continuations: false });
  return s.commands.some((c) => {
    const words = c.words[0]?.value === 'exec' ? c.words.slice(1) : c.words;
    return uvCall(words) !== null || /(^|\/)uvx$/.test(words[0]?.value ?? '');
  });
}

/** The scripts the final stage's start command runs, as the change set leaves them, that call uv. */
function scriptsCallingUv(doc: Doc, stage: Stage, files: Record<string, string>): string[] {
  const out: string[] = [];
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'CMD' && instr.keyword !== 'ENTRYPOINT') continue;
    for (const program of scriptsRun(doc, instr)) {
      const script = scriptFile(program, files);
      if (script && scriptCallsUv(script.text)) out.push(script.path);
    }
  }
  return out;
}

/** Whether a stage installs the app's packages with pip (more than pip's own tooling), Poetry or Pipenv. */
function installsWithoutUv(doc: Doc): boolean {
  return doc.stages.some(
    (s) =>
      pipInstalls(doc, s).some((i) => !i.tooling) ||
      s.instructions.some(
        (i) =>
          i.keyword === 'RUN' &&
          /\bpoetry\s+install\b|\bpipenv\s+(install|sync)\b/.test(
            doc.logical(i.argsStart, i.argsEnd),
          ),
      ),
  );
}

function lastOf(doc: Doc, stage: Stage, keyword: string) {
  for (const s of lineage(doc, stage)) {
    const found = s.instructions.filter((i) => i.keyword === keyword).pop();
    if (found) return found;
  }
  return undefined;
}

function criteria(doc: Doc, files: Record<string, string>): Criterion[] {
  const final = doc.finalStage!;
  const failed: Criterion[] = [];
  if (doc.stages.length < 2 || imageHasUv(doc, final)) failed.push('two-stages');
  const user = lastOf(doc, final, 'USER');
  const who = user ? doc.logical(user.argsStart, user.argsEnd).trim() : 'root';
  if (!/^[1-9]\d*(:\d+)?$/.test(who)) failed.push('numeric-user');
  if (startCallingUv(doc, final) || scriptsCallingUv(doc, final, files).length > 0)
    failed.push('no-uv-at-start');
  const starts = ['CMD', 'ENTRYPOINT'].map((k) => lastOf(doc, final, k)).filter((i) => i);
  if (starts.some((i) => i!.json === null)) failed.push('exec-form');
  return failed;
}

/** Issue 15's measure for a pip, Poetry or Pipenv service: multi-stage, numeric non-root, no dev flags. */
function pipCriteria(doc: Doc): PipCriterion[] {
  const final = doc.finalStage!;
  const failed: PipCriterion[] = [];
  if (doc.stages.length < 2) failed.push('two-stages');
  const user = lastOf(doc, final, 'USER');
  const who = user ? doc.logical(user.argsStart, user.argsEnd).trim() : 'root';
  if (!/^[1-9]\d*(:\d+)?$/.test(who)) failed.push('numeric-user');
  const starts = ['CMD', 'ENTRYPOINT'].map((k) => lastOf(doc, final, k)).filter((i) => i);
  if (starts.some((i) => rewriteInstruction(doc, i!, dropDevFlags).edits.length > 0))
    failed.push('no-dev-flags');
  return failed;
}

/** Sources of a COPY that are the project's manifests only (not its code). */
const MANIFEST = /^(\.\/)?(pyproject\.toml|uv\.lock\*?|README[^/]*|\.python-version|LICENSE[^/]*)$/;

/** Relative bind mount targets, which buildah and podman refuse ("must be an absolute path"). */
function relativeBinds(doc: Doc): string[] {
  return doc.instructions.flatMap((i) =>
    i.flags
      .filter((f) => f.name === 'mount' && /(^|,)type=bind(,|$)/.test(f.value ?? ''))
      .map((f) => /(?:^|,)(?:target|dst|destination)=([^,]+)/.exec(f.value ?? '')?.[1] ?? '')
      .filter((t) => t !== '' && !t.startsWith('/') && !t.startsWith('$')),
  );
}

/** Ways the migrated image cannot start (or build) that the original did not have. */
function breakage(
  input: Doc,
  out: Doc,
  ctx: ProjectContext,
  files: Record<string, string>,
  isDirectory: (source: string) => boolean,
): string[] {
  const broken: string[] = [];
  const final = out.finalStage!;
  const noUv = !imageHasUv(out, final);
  if (
    noUv &&
    startCallingUv(out, final) &&
    !(startCallingUv(input, input.finalStage!) && !imageHasUv(input, input.finalStage!))
  )
    broken.push(`${startCallingUv(out, final)} calls uv in a stage without uv`);
  if (noUv)
    for (const s of scriptsCallingUv(out, final, files))
      broken.push(`${s} calls uv in a stage without uv`);
  const inputCopies = new Set(
    input.stages.flatMap((s) => input.copies(s)).map((c) => input.sourceOf(c.instr)),
  );
  for (const copy of out.copies(final)) {
    if (copy.from === null || inputCopies.has(out.sourceOf(copy.instr))) continue;
    // A venv in the system Python (UV_PROJECT_ENVIRONMENT=/usr/local) is copied on purpose.
    const system = copy.sources
      .map((s) => s.replace(/(.)\/$/, '$1'))
      .find((s) => SYSTEM_DIRS.has(s) && s !== out.venvDir(final));
    if (system) broken.push(`the runtime copies ${system} from ${copy.from}`);
  }
  if (input.stages.length === 1 && out.stages.length > 1) {
    const lost = builderCopiesLost(out, isDirectory);
    if (lost.length > 0)
      broken.push(`the runtime does not receive ${lost.join(', ')}, copied into the builder`);
  }
  const py = ctx.pyproject;
  const packaged = py !== null && py.hasBuildSystem && py.uvPackage !== false;
  const builder = out.stages.find((s) =>
    out.copies(final).some((c) => c.from === s.name && s !== final),
  );
  if (packaged && builder) {
    const app = out.appDir(builder).dir;
    let lastSource = -1;
    let installedAt = -1;
    for (const instr of builder.instructions) {
      if (instr.keyword === 'COPY' || instr.keyword === 'ADD') {
        const c = out.copies(builder).find((x) => x.instr === instr);
        if (
          c &&
          c.from === null &&
          !c.sources.every((s) => MANIFEST.test(s)) &&
          (!app ||
            isUnder(c.target.value.replace(/\/$/, ''), app) ||
            isUnder(app, c.target.value.replace(/\/$/, '')))
        )
          lastSource = instr.index;
      }
      if (instr.keyword !== 'RUN') continue;
      for (const c of out.shell(instr).commands) {
        const call = uvCall(c.words);
        const words = c.words.map((w) => w.value);
        if (
          call?.subcommand === 'sync' &&
          !words.includes('--no-install-project') &&
          !words.includes('--no-install-workspace')
        )
          installedAt = instr.index;
        if (
          (call?.subcommand === 'pip' || /(^|\/)pip3?$/.test(words[0] ?? '')) &&
          words.includes('install') &&
          words.some((w) => w === '.' || w === './' || w === '-e')
        )
          installedAt = instr.index;
      }
    }
    const syncs = out.uvCommands('sync').some(({ instr }) => instr.stage === builder.index);
    if (syncs && lastSource >= 0 && installedAt < lastSource)
      broken.push('a packaged project is never installed after its source is copied');
  }
  const newRelative = relativeBinds(out).length - relativeBinds(input).length;
  if (newRelative > 0) broken.push(`${newRelative} bind mount target(s) made relative`);
  return broken;
}

/** Whether the image a stage is built on, at the root of its FROM chain, is one whose Python can be told. */
function pythonKnown(doc: Doc, stage: Stage): boolean {
  const image = rootImage(doc, stage);
  return !image.includes('$') && runtimeImageFor(image) !== null;
}

function measure(dir: string): DockerfileMeasure | null {
  const file = dockerfileIn(dir);
  if (!file) return null;
  const input = parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  const { result, ctx } = run(dir, file);
  const outcome: DockerfileMeasure = {
    dir: dir.split('/').pop()!,
    status: 'ok',
    service: !!input.finalStage && hasStart(input, input.finalStage) && callsUv(input, ctx.files),
    failed: [],
    pipService:
      !!input.finalStage &&
      hasStart(input, input.finalStage) &&
      !callsUv(input, ctx.files) &&
      installsWithoutUv(input),
    pythonKnown: !!input.finalStage && pythonKnown(input, input.finalStage),
    pipFailed: [],
    broken: [],
    idempotent: true,
    relativeBinds: false,
    unfixed: result.findings.filter((f) => !f.fixed).map((f) => `${f.transform}: ${f.message}`),
  };
  if (result.internal)
    return {
      ...outcome,
      status: 'crash',
      message: result.internal.split('\n').slice(0, 3).join(' | '),
    };
  if (result.status === 'error')
    return { ...outcome, status: 'refused', message: result.errors[0] };

  const files: Record<string, string> = { ...ctx.files };
  let output = input;
  if (result.status === 'changed') {
    // Migrate the change set again, from a copy of the directory with the changes written.
    const copy = mkdtempSync(join(tmpdir(), 'dockmig-corpus-'));
    try {
      cpSync(dir, copy, { recursive: true });
      for (const change of result.changes) {
        const to = join(copy, change.path);
        mkdirSync(dirname(to), { recursive: true });
        writeFileSync(to, change.after);
        if (change.path === ctx.dockerfile) output = parse(change.after.replace(/^\uFEFF/, ''));
        else files[change.path] = change.after;
      }
      const again = run(copy, join(copy, ctx.dockerfile)).result;
      outcome.idempotent = again.status === 'unchanged';
      if (!outcome.idempotent)
        outcome.message =
          again.status === 'error'
            ? `second run refused: ${again.errors[0]}`
            : `second run changes ${again.changes.map((c) => c.path).join(', ')}`;
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }
  if (output !== input)
    outcome.broken = breakage(
      input,
      output,
      ctx,
      files,
      (source) => statSync(join(dir, source), { throwIfNoEntry: false })?.isDirectory() ?? false,
    );
  if (outcome.service) outcome.failed = criteria(output, files);
  if (outcome.pipService) outcome.pipFailed = pipCriteria(output);
  outcome.relativeBinds = relativeBinds(output).length > 0;
  return outcome;
}

function main(): void {
  const root = process.argv[2];
  if (!root || !statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    console.log('usage: npm run corpus -- DIR   (one build context per directory of DIR)');
    return;
  }
  const outcomes = readdirSync(root)
    .sort()
    .map((d) => join(root, d))
    .filter((d) => statSync(d).isDirectory())
    .map((d) => {
      try {
        return measure(d);
      } catch (error) {
        console.log(`\n${d}\n  not measured: ${error instanceof Error ? error.message : error}`);
        return null;
      }
    })
    .filter((o): o is DockerfileMeasure => o !== null);
  const pct = (n: number, of: number) => (of === 0 ? '-' : `${((100 * n) / of).toFixed(0)} %`);
  const services = outcomes.filter((o) => o.service);
  const hardened = services.filter((o) => o.status === 'ok' && o.failed.length === 0);

  for (const o of outcomes) {
    const problems = [
      ...(o.status === 'crash' ? [`CRASH ${o.message}`] : []),
      ...(o.status === 'refused' ? [`REFUSED ${o.message}`] : []),
      ...(o.failed.length ? [`not hardened: ${o.failed.join(', ')}`] : []),
      ...(o.pipFailed.length
        ? [`pip/Poetry/Pipenv service not hardened: ${o.pipFailed.join(', ')}`]
        : []),
      ...o.broken.map((b) => `CANNOT START: ${b}`),
      ...(!o.idempotent ? [`NOT IDEMPOTENT: ${o.message}`] : []),
    ];
    if (problems.length === 0) continue;
    console.log(`\n${o.dir}`);
    for (const p of problems) console.log(`  ${p}`);
    if (!o.failed.length && !o.pipFailed.length && !o.broken.length) continue;
    if (o.unfixed.length === 0) console.log('    (no finding says why)');
    for (const u of o.unfixed) console.log(`    - ${u.length > 220 ? u.slice(0, 217) + '...' : u}`);
  }

  console.log(`\ndockmig corpus report: ${outcomes.length} Dockerfiles under ${root}`);
  const rows: [string, string][] = [
    ['crashes (internal errors)', String(outcomes.filter((o) => o.status === 'crash').length)],
    ['refused (status error)', String(outcomes.filter((o) => o.status === 'refused').length)],
    ['not idempotent', String(outcomes.filter((o) => !o.idempotent).length)],
    ['made unable to start', String(outcomes.filter((o) => o.broken.length > 0).length)],
    ['relative bind targets left (podman)', String(outcomes.filter((o) => o.relativeBinds).length)],
    ['uv services with a start command', String(services.length)],
    [
      '  fully hardened',
      `${hardened.length} (${pct(hardened.length, services.length)}, target >= 90 %)`,
    ],
  ];
  const lost = services.filter((o) => o.status !== 'ok').length;
  if (lost > 0) rows.push(['  crashed or refused', String(lost)]);
  for (const c of CRITERIA) {
    const failing = services.filter((o) => o.failed.includes(c)).length;
    rows.push([`  failing ${c}`, String(failing)]);
  }
  const pipServices = outcomes.filter((o) => o.pipService);
  const pipHardened = pipServices.filter((o) => o.status === 'ok' && o.pipFailed.length === 0);
  rows.push(
    ['pip/Poetry/Pipenv services (no uv)', String(pipServices.length)],
    [
      '  two stages, numeric user, no dev',
      `${pipHardened.length} (${pct(pipHardened.length, pipServices.length)}, target >= 85 %)`,
    ],
  );
  for (const c of PIP_CRITERIA) {
    const failing = pipServices.filter((o) => o.pipFailed.includes(c)).length;
    rows.push([`  failing ${c}`, String(failing)]);
  }
  // The issue's own rule: a base whose Python cannot be told is reported, not restructured.
  const known = pipServices.filter((o) => o.pythonKnown);
  const knownHardened = known.filter((o) => pipHardened.includes(o));
  rows.push(
    ['  on a base whose Python can be told', String(known.length)],
    [
      '    two stages, numeric user, no dev',
      `${knownHardened.length} (${pct(knownHardened.length, known.length)})`,
    ],
  );
  for (const [what, value] of rows) console.log(`${what.padEnd(36)} ${value}`);
}

main();
