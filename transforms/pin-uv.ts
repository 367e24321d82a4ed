/**
 * RUN pip install uv                               ->  COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/
 * RUN apt-get update && pip install uv && uv sync  ->  COPY --from=... (line above) + RUN apt-get update && uv sync
 * RUN curl -LsSf https://astral.sh/uv/install.sh | sh (+ its ENV PATH line)  ->  the COPY line
 * COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv  ->  COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /bin/uv
 * RUN --mount=from=ghcr.io/astral-sh/uv,source=/uv,target=/bin/uv ...  ->  from=ghcr.io/astral-sh/uv:0.13.8
 * ARG UV_VERSION=latest (feeding a uv image)        ->  ARG UV_VERSION=0.13.8
 * FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim  ->  FROM ghcr.io/astral-sh/uv:0.13.8-python3.12-bookworm-slim
 *
 * A stage that copies or mounts uv from an earlier stage built on the uv image (`FROM
 * ghcr.io/astral-sh/uv:0.9 AS uv`, `COPY --from=uv /uv /bin/`) has uv; that FROM is what gets pinned.
 * A uv already pinned to a release (0.5.11) or a digest is left alone. `pip install uv` among
 * other packages loses only `uv`. A single-statement heredoc that installs uv is reported.
 *
 * In a multi-stage file, a runtime stage that installs uv only to start its program with `uv run`
 * (or not at all) loses the install instead: once the venv's bin directory is on PATH (there, or
 * put there by venv-on-path) no-uv-at-runtime strips `uv run`, and nothing calls uv any more.
 */
import { uvCall } from '../src/core/uv.js';
import { defineTransform } from '../src/core/transform.js';
import { parse, type Doc, type Instr, type Stage } from '../src/core/document.js';
import type { ShellCommand, ShellStatement } from '../src/core/shell.js';
import { isPinnedUv, isUvImage, parseImageRef, parseUvTag } from '../src/core/images.js';
import { rewriteInstruction } from '../src/core/command.js';
import { startScripts } from '../src/core/scripts.js';
import { onlyUvRunPrefix, stripUvRun, venvOnPath } from '../src/core/runtime-command.js';
import { applyEdits } from '../src/core/edit.js';
import { venvPathEdit } from './venv-on-path.js';
import type { Edit, Finding, ProjectContext } from '../src/core/types.js';

const PIP_VALUE_FLAGS = new Set([
  '-i',
  '--index-url',
  '--extra-index-url',
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-t',
  '--target',
  '--prefix',
  '--root',
  '-f',
  '--find-links',
  '--trusted-host',
]);

export function uvCopyLine(version: string): string {
  return `COPY --from=ghcr.io/astral-sh/uv:${version} /uv /uvx /bin/`;
}

export default defineTransform({
  id: 'pin-uv',
  title: 'Copy a pinned uv into the image',
  rationale:
    '`pip install uv`, the curl installer and `uv:latest` give a different uv on every build, and ' +
    'the installer fetches a script from the internet at build time. Copying the binaries from the ' +
    'uv image at a pinned version is reproducible, needs no pip or curl, and is one line to bump.',
  uvOnly: true,
  detect(doc, ctx, options) {
    const version = options.uvVersion;
    const findings: Finding[] = [];
    const brought = new Set<number>();
    for (const stage of doc.stages) {
      const use = uvUse(doc, stage, ctx);
      const unused = use && 'unused' in use ? use.unused : null;
      if (use && 'kept' in use) {
        const brings = stage.instructions.find((i) => bringsUv(doc, i));
        if (brings)
          findings.push({
            message: `uv stays in ${stage.name ? `stage ${stage.name}` : `stage ${stage.index + 1}`}, a runtime: ${use.kept}`,
            range: { start: brings.start, end: brings.end },
            severity: 'info',
          });
      }
      if (uvBase(doc, stage, version, findings)) brought.add(stage.index);
      for (const instr of stage.instructions) {
        if (instr.keyword === 'COPY' || instr.keyword === 'RUN') {
          if (uvFromFlags(doc, instr, version, findings, unused)) brought.add(stage.index);
        }
        if (instr.keyword === 'RUN' && installs(doc, instr, version, findings, unused))
          brought.add(stage.index);
        if (instr.keyword === 'ADD' && addedInstaller(doc, instr, version, findings, unused))
          brought.add(stage.index);
      }
    }
    findings.push(...uvArgs(doc, version));
    findings.push(...uvAsModule(doc));
    for (const stage of doc.stages) {
      if (brought.has(stage.index) || inheritsUv(doc, stage, brought)) continue;
      if (!stage.instructions.some((i) => i.keyword === 'RUN' && doc.shell(i).commands.some(isUv)))
        continue;
      findings.push({
        message: `stage ${stage.name ?? stage.index + 1} runs uv but never brings it in; uv ${version} is copied in after its FROM`,
        range: { start: stage.from.start, end: stage.from.end },
        edits: [doc.insertAfter(stage.from, [uvCopyLine(version)])],
      });
    }
    return findings;
  },
});

/**
 * `python -m uv sync` runs uv as a module of the pip-installed package; the uv copied in is a
 * binary, so once the stage no longer pip-installs uv the call names the binary.
 */
function uvAsModule(doc: Doc): Finding[] {
  const findings: Finding[] = [];
  for (const stage of doc.stages) {
    const lines = stage.instructions.filter((i) => i.keyword === 'RUN');
    if (
      lines.some((i) =>
        /\bpip[3x]?\s+install\b[^&|;]*\suv(\s|==|>=|$)/.test(doc.logical(i.argsStart, i.argsEnd)),
      )
    )
      continue;
    const binary = stage.instructions.some(
      (i) =>
        i.keyword === 'COPY' &&
        i.flags.some((f) => f.name === 'from' && /astral(-sh)?\/uv/.test(f.value ?? '')),
    );
    if (!binary) continue;
    for (const instr of lines)
      for (const command of doc.shell(instr).commands) {
        const call = uvCall(command.words);
        if (call?.args !== 3) continue;
        const w = command.words;
        findings.push({
          message: `${w[0].value} -m uv -> uv: the uv copied in is a binary, not a Python package`,
          range: { start: command.start, end: command.end },
          edits: [{ start: w[0].start, end: w[2].end, text: 'uv' }],
        });
      }
  }
  return findings;
}

function isUv(c: ShellCommand): boolean {
  return uvCall(c.words) !== null || /(^|\/)uvx$/.test(c.words[0]?.value ?? '');
}

/** A stage built FROM an earlier stage that has uv has it too. */
function inheritsUv(doc: Doc, stage: Stage, brought: Set<number>): boolean {
  const parent = doc.stages.find(
    (s) => s.index < stage.index && s.name && s.name.toLowerCase() === stage.image?.toLowerCase(),
  );
  return parent !== undefined && (brought.has(parent.index) || inheritsUv(doc, parent, brought));
}

/** `FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim`: pin the uv part of the tag. */
function uvBase(doc: Doc, stage: Stage, version: string, findings: Finding[]): boolean {
  if (!stage.image || stage.image.includes('$')) return false;
  const ref = parseImageRef(stage.image);
  if (!isUvImage(ref)) return false;
  const tag = parseUvTag(ref.tag);
  if (isPinnedUv(tag, ref.digest)) return true;
  const raw = (stage.from.raw as import('dockerfile-ast').From).getImageRange()!;
  const start = doc.offset(raw.start);
  const end = doc.offset(raw.end);
  const base = stage.image.slice(
    0,
    stage.image.length - (ref.tag === null ? 0 : ref.tag.length + 1),
  );
  const replacement = `${base}:${version}${tag.suffix ? `-${tag.suffix}` : ''}`;
  findings.push({
    message: `${stage.image} -> ${replacement}`,
    range: { start, end },
    edits: [{ start, end, text: replacement }],
  });
  return true;
}

/** A stage that is a uv image, its tag written out or in an ARG (`FROM ghcr.io/astral-sh/uv:${V}`). */
function uvStage(doc: Doc, stage: Stage): boolean {
  const image = stage.image?.replace(
    /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g,
    (whole, name: string) => doc.globalArgDefault(name)?.value ?? whole,
  );
  if (!image) return false;
  return image.includes('$')
    ? /(^|\/)astral(-sh)?\/uv(:|@|$)/.test(image)
    : isUvImage(parseImageRef(image));
}

/**
 * `COPY --from=<uv image>` and `RUN --mount=from=<uv image>,...`: pin the image in the flag. A COPY
 * of uv alone into a stage that will not call it goes.
 */
function uvFromFlags(
  doc: Doc,
  instr: Instr,
  version: string,
  findings: Finding[],
  unused: string | null,
): boolean {
  const from = instr.flags.find((f) => f.name === 'from')?.value ?? '';
  if (unused && instr.keyword === 'COPY' && !from.includes('$') && isUvImage(parseImageRef(from))) {
    const copy = doc.copies(doc.stages[instr.stage]).find((c) => c.instr === instr);
    if (copy && copy.sources.every((src) => /^\/?uvx?$/.test(src))) {
      findings.push({
        message: `the uv COPY is removed: ${unused}`,
        range: { start: instr.start, end: instr.end },
        edits: [removal(doc, instr)],
      });
      return true;
    }
  }
  let found = false;
  for (const flag of instr.flags) {
    const flagText = doc.text.slice(flag.start, flag.end);
    const m =
      flag.name === 'from'
        ? /^(--from=)([^\s,]+)/.exec(flagText)
        : flag.name === 'mount'
          ? /^(--mount=(?:[^\s]*,)?from=)([^\s,]+)/.exec(flagText)
          : null;
    if (!m) continue;
    const image = m[2];
    // `FROM ghcr.io/astral-sh/uv:X AS uv` then `COPY --from=uv` or `--mount=from=uv`: uvBase pins
    // that stage's FROM.
    const stage = doc.stages.find(
      (s) => s.index < instr.stage && s.name?.toLowerCase() === image.toLowerCase(),
    );
    if (stage) {
      if (uvStage(doc, stage)) found = true;
      continue;
    }
    if (image.includes('$')) {
      if (/uv/i.test(image)) found = true;
      continue;
    }
    const ref = parseImageRef(image);
    if (!isUvImage(ref)) continue;
    found = true;
    const tag = parseUvTag(ref.tag);
    if (isPinnedUv(tag, ref.digest)) continue;
    const start = flag.start + m[1].length;
    const base = image.slice(0, image.length - (ref.tag === null ? 0 : ref.tag.length + 1));
    const replacement = `${base}:${version}${tag.suffix ? `-${tag.suffix}` : ''}`;
    findings.push({
      message: `${image} -> ${replacement} in ${instr.keyword} --${flag.name}`,
      range: { start: instr.start, end: instr.end },
      edits: [{ start, end: start + image.length, text: replacement }],
    });
  }
  return found;
}

/** `ARG UV_VERSION=latest` feeding a uv image reference. */
function uvArgs(doc: Doc, version: string): Finding[] {
  const findings: Finding[] = [];
  const names = new Set<string>();
  for (const m of doc.text.matchAll(/(?:astral-sh|astral)\/uv:\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g))
    names.add(m[1]);
  for (const instr of doc.instructions) {
    if (instr.keyword !== 'ARG') continue;
    for (const p of (instr.raw as import('dockerfile-ast').Arg).getProperties()) {
      if (!names.has(p.getName())) continue;
      const value = p.getValue();
      if (value && /^\d+\.\d+\.\d+$/.test(value)) continue;
      const vr = p.getValueRange();
      const at = doc.offset(p.getRange().end);
      findings.push({
        message: `ARG ${p.getName()}=${value ?? ''} -> ${version}: the uv image it names is pinned`,
        range: { start: instr.start, end: instr.end },
        edits: [
          vr
            ? { start: doc.offset(vr.start), end: doc.offset(vr.end), text: version }
            : { start: at, end: at, text: `${value === null ? '=' : ''}${version}` },
        ],
      });
    }
  }
  return findings;
}

/**
 * `pip install uv` and the curl/wget installer inside a RUN: replaced by the pinned COPY, or removed
 * from a stage that will not call uv. Returns whether the RUN brought uv in.
 */
function installs(
  doc: Doc,
  instr: Instr,
  version: string,
  findings: Finding[],
  unused: string | null,
): boolean {
  const script = doc.shell(instr);
  if (!script.ok) return false;
  const copy = uvCopyLine(version);
  let found = false;
  const whole = script.statements.length === 1 && instr.heredocs.length === 0;
  const range = { start: instr.start, end: instr.end };
  for (const st of script.statements) {
    const kind = installKind(st);
    if (!kind) continue;
    found = true;
    if (unused) {
      const what = kind.installer ? 'the uv installer script' : 'pip install uv';
      const w = kind.uvWord;
      let start = w?.start ?? 0;
      while (start > 0 && (doc.text[start - 1] === ' ' || doc.text[start - 1] === '\t')) start--;
      const edits: Edit[] | null = kind.otherPackages
        ? [{ start, end: w!.end, text: '' }]
        : whole
          ? [removal(doc, instr), ...installerPath(doc, instr, kind.installer)]
          : script.statements.length > 1
            ? [{ ...st.removal, text: '' }, ...installerPath(doc, instr, kind.installer)]
            : null;
      findings.push(
        edits
          ? { message: `${what} is removed: ${unused}`, range, edits }
          : { message: `${what} in a heredoc is left as is; remove it by hand: ${unused}`, range },
      );
      continue;
    }
    if (kind.otherPackages) {
      const w = kind.uvWord!;
      let start = w.start;
      while (start > 0 && (doc.text[start - 1] === ' ' || doc.text[start - 1] === '\t')) start--;
      findings.push({
        message: `uv is installed with pip among other packages; it is dropped there and copied in pinned (${version})`,
        range,
        edits: [{ start, end: w.end, text: '' }, doc.insertBefore(instr, [copy], true)],
      });
      continue;
    }
    const what = kind.installer ? 'the uv installer script' : 'pip install uv';
    if (whole) {
      findings.push({
        message: `${what} -> ${copy}`,
        range,
        edits: [
          { start: instr.start, end: instr.end, text: copy },
          ...installerPath(doc, instr, kind.installer),
        ],
      });
    } else if (script.statements.length > 1) {
      findings.push({
        message: `${what} is dropped from the RUN; uv ${version} is copied in on the line before it`,
        range,
        edits: [
          { ...st.removal, text: '' },
          doc.insertBefore(instr, [copy], true),
          ...installerPath(doc, instr, kind.installer),
        ],
      });
    } else {
      findings.push({
        message: `${what} in a heredoc is not rewritten; replace it with ${copy}`,
        range,
      });
    }
  }
  return found;
}

function installKind(
  st: ShellStatement,
): { installer: boolean; otherPackages: boolean; uvWord?: { start: number; end: number } } | null {
  const words = st.commands.flatMap((c) => c.words.map((w) => w.value ?? ''));
  if (
    st.commands.length >= 2 &&
    words.some((w) => /astral\.sh\/uv|github\.com\/astral-sh\/uv.*install/.test(w))
  ) {
    return { installer: true, otherPackages: false };
  }
  if (st.commands.length !== 1) return null;
  const c = st.commands[0];
  const v = c.words.map((w) => w.value);
  let i = 0;
  if (v[0] && /^python[0-9.]*$/.test(v[0]) && v[1] === '-m' && v[2] === 'pip') i = 3;
  else if (v[0] && /^pip[0-9.]*$/.test(v[0])) i = 1;
  else return null;
  if (v[i] !== 'install') return null;
  const packages: { value: string; start: number; end: number }[] = [];
  for (let k = i + 1; k < v.length; k++) {
    const val = v[k];
    if (val === null) return null;
    if (val.startsWith('-')) {
      if (PIP_VALUE_FLAGS.has(val)) k++;
      continue;
    }
    packages.push({ value: val, start: c.words[k].start, end: c.words[k].end });
  }
  const uvs = packages.filter((p) => /^uv(\[.*\])?([=<>~!].*)?$/i.test(p.value));
  if (uvs.length !== 1) return null;
  return { installer: false, otherPackages: packages.length > 1, uvWord: uvs[0] };
}

/**
 * uv's documented `ADD https://astral.sh/uv/install.sh /uv-installer.sh` then `RUN sh
 * /uv-installer.sh && rm /uv-installer.sh`: both give way to the pinned COPY (or go, where nothing
 * needs uv). A RUN that does more than run and delete the script is reported, not rewritten.
 */
function addedInstaller(
  doc: Doc,
  add: Instr,
  version: string,
  findings: Finding[],
  unused: string | null,
): boolean {
  const installer = addedInstallerScript(doc, add);
  if (!installer) return false;
  const { url, dest } = installer;
  const stage = doc.stages[add.stage];
  const later = stage.instructions.filter((i) => i.index > add.index && i.keyword === 'RUN');
  const runs = later.find((i) =>
    doc.shell(i).commands.some((c) => c.words.some((w) => w.value === dest)),
  );
  const range = { start: add.start, end: add.end };
  if (!runs) return false;
  const script = doc.shell(runs);
  const only =
    script.ok &&
    runs.heredocs.length === 0 &&
    script.statements.every((st) => {
      if (st.commands.length !== 1) return false;
      const v = st.commands[0].words.map((w) => w.value);
      const runsIt = (v[0] === 'sh' || v[0] === 'bash') && v[1] === dest && v.length === 2;
      const removes = v[0] === 'rm' && v.at(-1) === dest && v.slice(1, -1).every((f) => f === '-f');
      return runsIt || removes;
    });
  if (!only) {
    findings.push({
      message: `the uv installer ADDed to ${dest} is run by a RUN that does more; left as is: replace both with ${uvCopyLine(version)}`,
      range,
      severity: 'warning',
    });
    return true;
  }
  const path = installerPath(doc, runs, true);
  if (unused) {
    findings.push({
      message: `the uv installer script is removed: ${unused}`,
      range,
      edits: [removal(doc, add), removal(doc, runs), ...path],
    });
    return false;
  }
  findings.push({
    message: `the uv installer script (ADD ${url}, run by the RUN after it) -> ${uvCopyLine(version)}`,
    range,
    edits: [
      { start: add.start, end: add.end, text: uvCopyLine(version) },
      removal(doc, runs),
      ...path,
    ],
  });
  return true;
}

/** The `ENV PATH="/root/.local/bin:$PATH"` that only served the installer goes with it. */
function installerPath(doc: Doc, instr: Instr, installer: boolean): Edit[] {
  if (!installer) return [];
  const stage = doc.stages[instr.stage];
  const env = stage?.instructions.find((i) => {
    if (i.keyword !== 'ENV') return false;
    const props = (i.raw as import('dockerfile-ast').Env).getProperties();
    return (
      props.length === 1 &&
      props[0].getName() === 'PATH' &&
      /^\/root\/\.(local|cargo)\/bin\/?:\$\{?PATH\}?$/.test(props[0].getValue() ?? '')
    );
  });
  return env ? [doc.remove(env, false)] : [];
}

/** `ADD https://astral.sh/uv/[<version>/]install.sh <dest>` (uv's documented form), read through the model's copies. */
function addedInstallerScript(doc: Doc, add: Instr): { url: string; dest: string } | null {
  if (add.keyword !== 'ADD' || add.flags.length > 0) return null;
  const copy = doc.copies(doc.stages[add.stage]).find((c) => c.instr === add);
  if (!copy || copy.sources.length !== 1) return null;
  const url = copy.sources[0];
  return /^https:\/\/astral\.sh\/uv\/(?:[\w.]+\/)?install\.sh$/.test(url)
    ? { url, dest: copy.dest }
    : null;
}

/**
 * Whether an instruction brings uv into its stage: `pip install uv`, the installer script, a COPY
 * or a RUN mount from the uv image.
 */
export function bringsUv(doc: Doc, instr: Instr): boolean {
  if (instr.keyword === 'ADD') return addedInstallerScript(doc, instr) !== null;
  if (instr.keyword !== 'COPY' && instr.keyword !== 'RUN') return false;
  const images = instr.flags.flatMap((f) =>
    f.name === 'from'
      ? [f.value ?? '']
      : f.name === 'mount'
        ? [/(?:^|,)from=([^,]+)/.exec(f.value ?? '')?.[1] ?? '']
        : [],
  );
  if (images.some((image) => image !== '' && isUvImage(parseImageRef(image)))) return true;
  return instr.keyword === 'RUN' && doc.shell(instr).statements.some((st) => installKind(st));
}

/** A shell statement that installs uv (`pip install uv`, the installer script). */
export function installsUv(st: ShellStatement): boolean {
  return installKind(st) !== null;
}

/** An instruction's lines, with the comment lines above it when they speak of uv. */
function removal(doc: Doc, instr: Instr): Edit {
  const comments = doc.text.slice(instr.commentStart, instr.lineStart);
  return doc.remove(instr, /\buv\b/i.test(comments));
}

/** Text that names uv or uvx as a word: a call the shell words do not show (`bash -c "uv sync"`). */
const MENTIONS_UV = /(^|[^\w.-])uvx?([^\w.-]|$)/;

/**
 * Why a stage's uv is not needed once the migration is done, or null when it is (or cannot be
 * told). Only in a multi-stage file, for a stage whose every descendant (itself and the stages
 * built on it) ends in a runtime stage: a base image or a development target keeps what people
 * use there by hand. uv stays when a descendant runs it (a RUN, a HEALTHCHECK, an ONBUILD), when
 * another stage copies from one (it builds something), or when a start command or a script it
 * runs will still call it.
 */
function uvUse(
  doc: Doc,
  stage: Stage,
  ctx: ProjectContext,
): { unused: string } | { kept: string } | null {
  if (doc.stages.length < 2) return null;
  const family = doc.stages.filter((s) => s === stage || builtOn(doc, s, stage));
  const runtimes = doc.runtimeStages();
  const bases = new Set(doc.stages.map((s) => doc.parentStage(s)));
  if (family.some((s) => !bases.has(s) && !runtimes.includes(s))) return null;
  const read = new Set(doc.stages.flatMap((s) => s.instructions.flatMap((i) => doc.readsFrom(i))));
  if (family.some((s) => read.has(s))) return null;
  let stripped: Stage | null = null;
  let mentioned = false;
  for (const s of family) {
    for (const instr of s.instructions) {
      if (instr.keyword === 'RUN') {
        if (runsUv(doc, instr)) return null;
      } else if (instr.keyword === 'CMD' || instr.keyword === 'ENTRYPOINT') {
        const start = startUsesUv(doc, s, instr, ctx, venvWillBeOnPath(doc, s));
        if (start === 'needed')
          return {
            kept: `its ${instr.keyword} (line ${doc.lineOf(instr.start) + 1}) still calls uv at start, or runs a script that does`,
          };
        if (start === 'stripped') stripped = s;
      } else if (
        instr.keyword !== 'COPY' &&
        MENTIONS_UV.test(doc.text.slice(instr.argsStart, instr.argsEnd))
      ) {
        // An ENV or ARG for uv: whether anything uses it cannot be told, unless a start does.
        mentioned = true;
      }
    }
  }
  if (mentioned) return null;
  if (!stripped) return { unused: 'nothing in this runtime stage calls uv' };
  return {
    unused: `nothing in this runtime stage calls uv once uv run leaves its start command, which no-uv-at-runtime strips: the venv's bin directory ${venvOnPath(doc, stripped) ? 'is on PATH there' : 'is put on PATH there by venv-on-path'}`,
  };
}

function builtOn(doc: Doc, stage: Stage, base: Stage): boolean {
  const parent = doc.parentStage(stage);
  return parent !== null && (parent === base || builtOn(doc, parent, base));
}

/** A RUN that calls uv, its own installation aside. */
function runsUv(doc: Doc, instr: Instr): boolean {
  const script = doc.shell(instr);
  if (!script.ok) return MENTIONS_UV.test(doc.text.slice(instr.argsStart, instr.argsEnd));
  return script.statements.some(
    (st) =>
      !installKind(st) &&
      st.commands.some((c) => isUv(c) || c.words.some((w) => MENTIONS_UV.test(w.raw))),
  );
}

/**
 * What a start command does with uv after the migration: nothing (`none`), `uv run` stripped by
 * no-uv-at-runtime and entrypoint-scripts (`stripped`), or still calls it (`needed`). They strip it
 * where the venv's bin directory is on PATH (`pathReady`: as the stage will be), in the stages
 * whose start they rewrite.
 */
export function startUsesUv(
  doc: Doc,
  stage: Stage,
  instr: Instr,
  ctx: ProjectContext,
  pathReady: boolean,
): 'none' | 'stripped' | 'needed' {
  let scripted = false;
  for (const script of startScripts(doc, stage, ctx.files)) {
    if (script.instr !== instr) continue;
    // A script the context does not hold (one of the base image) may call uv.
    if (script.path === null) return 'needed';
    const text = ctx.files[script.path] ?? '';
    if (!MENTIONS_UV.test(text)) continue;
    if (script.unparsed || script.uv.problems.length > 0) return 'needed';
    if (MENTIONS_UV.test(applyEdits(text, script.uv.edits))) return 'needed';
    scripted = true;
  }
  const own = MENTIONS_UV.test(doc.text.slice(instr.argsStart, instr.argsEnd));
  if (!own && !scripted) return 'none';
  if (!startRewritten(doc, stage) || !pathReady) return 'needed';
  if (!own) return 'stripped';
  if (
    instr.keyword === 'ENTRYPOINT' &&
    instr.json &&
    onlyUvRunPrefix(instr.json) &&
    stage.instructions.some((i) => i.keyword === 'CMD')
  )
    return 'stripped';
  const r = rewriteInstruction(doc, instr, stripUvRun);
  if (r.problems.length > 0 || r.edits.length === 0) return 'needed';
  // Whatever uv the rewrite leaves (`uv pip list && uv run app`) still needs uv.
  const grown = r.edits.reduce((n, e) => n + e.text.length - (e.end - e.start), 0);
  const after = applyEdits(doc.text, r.edits).slice(instr.argsStart, instr.argsEnd + grown);
  return MENTIONS_UV.test(after) ? 'needed' : 'stripped';
}

/** The stages whose start command no-uv-at-runtime and entrypoint-scripts rewrite. */
function startRewritten(doc: Doc, stage: Stage): boolean {
  return doc.runtimeStages().includes(stage);
}

/** The venv's bin directory is on PATH in the stage, or will be once venv-on-path has run. */
function venvWillBeOnPath(doc: Doc, stage: Stage): boolean {
  if (venvOnPath(doc, stage)) return true;
  const edit = doc.runtimeStages().includes(stage) ? venvPathEdit(doc, stage) : null;
  if (!edit) return false;
  // Asked of the file as venv-on-path leaves it, so both read PATH the same way.
  const next = parse(applyEdits(doc.text, [edit]));
  return venvOnPath(next, next.stages[stage.index]);
}
