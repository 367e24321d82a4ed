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
 */
import { uvCall } from '../src/core/uv.js';
import { defineTransform } from '../src/core/transform.js';
import type { Doc, Instr, Stage } from '../src/core/document.js';
import type { ShellCommand, ShellStatement } from '../src/core/shell.js';
import { isPinnedUv, isUvImage, parseImageRef, parseUvTag } from '../src/core/images.js';
import type { Edit, Finding } from '../src/core/types.js';

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
  detect(doc, _ctx, options) {
    const version = options.uvVersion;
    const findings: Finding[] = [];
    const brought = new Set<number>();
    for (const stage of doc.stages) {
      if (uvBase(doc, stage, version, findings)) brought.add(stage.index);
      for (const instr of stage.instructions) {
        if (instr.keyword === 'COPY' || instr.keyword === 'RUN') {
          if (uvFromFlags(doc, instr, version, findings)) brought.add(stage.index);
        }
        if (instr.keyword === 'RUN' && installs(doc, instr, version, findings))
          brought.add(stage.index);
      }
    }
    findings.push(...uvArgs(doc, version));
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

/** `COPY --from=<uv image>` and `RUN --mount=from=<uv image>,...`: pin the image in the flag. */
function uvFromFlags(doc: Doc, instr: Instr, version: string, findings: Finding[]): boolean {
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

/** `pip install uv` and the curl/wget installer inside a RUN. Returns whether the RUN brought uv in. */
function installs(doc: Doc, instr: Instr, version: string, findings: Finding[]): boolean {
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
      /^\/root\/\.(local|cargo)\/bin:\$\{?PATH\}?$/.test(props[0].getValue() ?? '')
    );
  });
  return env ? [doc.remove(env, false)] : [];
}
