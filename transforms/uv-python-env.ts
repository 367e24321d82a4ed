/**
 * COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/
 *                                  ->  + ENV UV_COMPILE_BYTECODE=1 \
 *                                            UV_LINK_MODE=copy \
 *                                            UV_PYTHON_PREFERENCE=only-system \
 *                                            UV_PYTHON_DOWNLOADS=never
 * ENV UV_PYTHON_DOWNLOADS=automatic ->  ENV UV_PYTHON_DOWNLOADS=never
 *
 * In every stage that runs uv sync, uv pip or uv venv. Only the missing names are added.
 * A stage whose base image has no Python of its own (ubuntu, debian, a uv image pin-python-base
 * could not move) is reported, not fixed: `only-system` would leave uv without an interpreter there.
 * The base is read through earlier stages and global ARG defaults (`FROM ${BASE}`).
 */
import { defineTransform } from '../src/core/transform.js';
import { isUvCall, type Doc, type Instr, type Stage } from '../src/core/document.js';
import { baseImageOf, stageHasPython } from '../src/core/images.js';
import type { Finding } from '../src/core/types.js';

const SETTINGS: [string, string][] = [
  ['UV_COMPILE_BYTECODE', '1'],
  ['UV_LINK_MODE', 'copy'],
  ['UV_PYTHON_PREFERENCE', 'only-system'],
  ['UV_PYTHON_DOWNLOADS', 'never'],
];
/** Values that must be what SETTINGS says; the others are preferences a team may have set on purpose. */
const REQUIRED = new Set(['UV_PYTHON_PREFERENCE', 'UV_PYTHON_DOWNLOADS']);

export default defineTransform({
  id: 'uv-python-env',
  title: "Make uv use the image's Python",
  rationale:
    'Without UV_PYTHON_PREFERENCE=only-system and UV_PYTHON_DOWNLOADS=never, uv may download its own ' +
    'CPython into /root/.local/share/uv/python. The runtime stage never receives that directory, so ' +
    'the venv interpreter symlink dangles and the container fails at start with "No such file or ' +
    'directory". UV_COMPILE_BYTECODE=1 makes the start faster; UV_LINK_MODE=copy is needed because ' +
    'the uv cache is a mount.',
  uvOnly: true,
  detect(doc) {
    const findings: Finding[] = [];
    for (const stage of doc.stages) {
      if (!runsUv(doc, stage)) continue;
      if (!stageHasPython(doc, stage)) {
        const base = baseImageOf(doc, stage);
        const image = stage.image ?? 'an unknown image';
        findings.push({
          message: `stage ${stage.name ?? stage.index + 1} is built on ${base && base !== image ? `${image} (${base})` : image}, which has no Python of its own; UV_PYTHON_PREFERENCE=only-system would leave uv without one, so it is not set`,
          range: { start: stage.from.start, end: stage.from.end },
          severity: 'warning',
        });
        continue;
      }
      findings.push(...settings(doc, stage));
    }
    return findings;
  },
});

function runsUv(doc: Doc, stage: Stage): boolean {
  return stage.instructions.some(
    (i) =>
      i.keyword === 'RUN' &&
      doc
        .shell(i)
        .commands.some((c) => isUvCall(c, 'sync') || isUvCall(c, 'pip') || isUvCall(c, 'venv')),
  );
}

function settings(doc: Doc, stage: Stage): Finding[] {
  const findings: Finding[] = [];
  const set = new Map<string, { instr: Instr; value: string; start: number; end: number }>();
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'ENV') continue;
    for (const p of doc.properties(instr)) {
      if (p.written === null) continue;
      set.set(p.name, { instr, value: p.value ?? '', start: p.valueStart, end: p.valueEnd });
    }
  }
  const missing: string[] = [];
  // A stage built FROM a stage that set them has them already (that stage's own check fixes them).
  const parent = doc.parentStage(stage);
  const inherited = parent ? doc.stageScope(parent) : new Map();
  for (const [name, value] of SETTINGS) {
    const found = set.get(name);
    if (!found && inherited.get(name)?.kind === 'env') continue;
    if (!found) missing.push(`${name}=${value}`);
    else if (REQUIRED.has(name) && found.value.replace(/^["']|["']$/g, '') !== value) {
      findings.push({
        message: `${name}=${found.value} -> ${value}: otherwise uv may use a Python the runtime stage does not have`,
        range: { start: found.instr.start, end: found.instr.end },
        edits: [{ start: found.start, end: found.end, text: value }],
      });
    }
  }
  if (missing.length === 0) return findings;
  const anchor =
    stage.instructions.find(
      (i) =>
        i.keyword === 'COPY' &&
        i.flags.some((f) => f.name === 'from' && /astral(-sh)?\/uv/.test(f.value ?? '')),
    ) ?? stage.from;
  findings.push({
    message: `uv settings added: ${missing.join(', ')}`,
    range: { start: anchor.start, end: anchor.end },
    edits: [
      doc.insertAfter(anchor, [doc.continued(missing.map((m, i) => (i === 0 ? `ENV ${m}` : m)))]),
    ],
  });
  return findings;
}
