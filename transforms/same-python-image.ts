/**
 * FROM python:3.12-slim-bookworm AS builder   ...   FROM python:3.11-slim
 *                                             ->    FROM python:3.12-slim-bookworm
 * FROM python:3.12-trixie AS builder          ...   FROM python:3.12-trixie
 *                                             ->    FROM python:3.12-slim-trixie
 * FROM ghcr.io/astral-sh/uv:0.13.8-python3.12-bookworm-slim AS builder  ...  FROM python:3.12-slim-bookworm  (fine)
 *
 * For files that already have a builder (a stage that runs uv sync) and runtime stages on their own
 * image: every runtime target (`FROM runtime AS api`, `FROM runtime AS worker`) is checked through
 * the stage its image comes from. The runtime gets the builder's Python version, libc and Debian
 * release, in the slim variant: the builder may keep the full image for its compilers, the runtime
 * needs none. Alpine stays Alpine. Reported, not fixed: a builder whose Python cannot be told, a
 * runtime that is not a Python image (distroless, debian), images chosen by variables that differ.
 * A full runtime that installs Python packages itself keeps its compilers.
 */
import { defineTransform } from '../src/core/transform.js';
import type { Doc, Stage } from '../src/core/document.js';
import {
  expandGlobalArgs,
  isPythonImage,
  parseImageRef,
  parsePythonTag,
  pinsPatch,
  runtimeImageFor,
  sameInterpreter,
  sameRelease,
  slimPublished,
  versionOf,
} from '../src/core/images.js';
import { uvCall } from '../src/core/uv.js';
import type { Finding } from '../src/core/types.js';

export default defineTransform({
  id: 'same-python-image',
  title: 'Builder and runtime on the same Python image',
  rationale:
    "The venv's interpreter is a symlink to the builder's Python (/usr/local/bin/python3.X). On a " +
    'runtime image with another Python version, libc or Debian release, the symlink dangles or ' +
    'compiled extensions fail to load, and the container dies at start. The runtime takes the slim ' +
    'variant of that image: it runs the venv and needs no compilers or headers.',
  uvOnly: true,
  detect(doc) {
    const syncing = new Set(doc.uvCommands('sync').map((c) => doc.stages[c.instr.stage]));
    if (syncing.size === 0) return [];
    const findings: Finding[] = [];
    const checked = new Set<Stage>();
    for (const runtime of doc.runtimeStages()) {
      const chain = doc.lineage(runtime).reverse();
      const root = chain[0];
      if (checked.has(root)) continue;
      checked.add(root);
      // A runtime that syncs itself, or is built on the builder, runs on the builder's own image.
      if (chain.some((s) => syncing.has(s))) continue;
      const builder = builderOf(doc, chain, syncing);
      if (builder) findings.push(...compare(doc, doc.lineage(builder).at(-1)!, root));
    }
    return findings;
  },
});

/** The syncing stage the runtime copies from (or one built on it), else the last one. */
function builderOf(doc: Doc, chain: Stage[], syncing: Set<Stage>): Stage | null {
  for (const stage of chain)
    for (const instr of stage.instructions)
      for (const source of doc.readsFrom(instr)) {
        const found = doc
          .lineage(source)
          .reverse()
          .find((s) => syncing.has(s));
        if (found) return found;
      }
  return [...syncing].filter((s) => !chain.includes(s)).pop() ?? null;
}

function compare(doc: Doc, builder: Stage, final: Stage): Finding[] {
  if (!builder.image || !final.image) return [];
  const range = { start: final.from.start, end: final.from.end };
  if (builder.image.includes('$') || final.image.includes('$')) {
    const [b, f] = [builder.image, final.image].map((i) => expandGlobalArgs(doc, i));
    return builder.image === final.image || (b !== null && f !== null && sameInterpreter(b, f))
      ? []
      : [
          {
            message: `the builder (${builder.image}) and the runtime (${final.image}) name their images through variables; check that they resolve to the same Python`,
            range,
            severity: 'info',
          },
        ];
  }
  const expected = runtimeImageFor(builder.image);
  const want = expected === null ? null : parsePythonTag(parseImageRef(expected).tag);
  // `python:latest` names no version a runtime tag could repeat.
  const version = want === null ? null : versionOf(want);
  if (!expected || !want || !version)
    return [
      {
        message: `the builder's Python (${builder.image}) cannot be told, so the runtime image is not checked`,
        range,
        severity: 'info',
      },
    ];
  const ref = parseImageRef(final.image);
  if (!isPythonImage(ref)) {
    return [
      {
        message: `the runtime stage runs on ${final.image}, not on ${expected}: the venv's interpreter links to the builder's Python and may not resolve there`,
        range,
        severity: 'warning',
      },
    ];
  }
  if (ref.digest) return [];
  const have = parsePythonTag(ref.tag);
  const alpine = want.variant === 'alpine';
  const samePython =
    have.python === want.python &&
    (have.variant === 'alpine') === alpine &&
    (alpine || sameRelease(have, want));
  // A patch-pinned builder passes on its patch and only the release it names (see pinsPatch).
  const slim = !pinsPatch(want) || slimPublished(want) ? '-slim' : '';
  const installs = samePython && have.variant === 'full' ? installer(doc, final) : null;
  if (samePython && (have.variant !== 'full' || installs || !slim)) {
    return installs
      ? [
          {
            message: `the runtime stays on the full image ${final.image}: it runs ${installs} itself, which may need the compilers the slim variant lacks`,
            range,
            severity: 'info',
          },
        ]
      : [];
  }
  const tag = alpine
    ? `${version}-alpine${want.alpine ?? ''}`
    : `${version}${slim}${want.debian ? `-${want.debian}` : ''}`;
  const replacement = `${final.image.slice(0, final.image.length - (ref.tag === null ? 0 : ref.tag.length + 1))}:${tag}`;
  const raw = (final.from.raw as import('dockerfile-ast').From).getImageRange()!;
  const why = samePython
    ? `the slim variant of the builder's Python (${builder.image}): the runtime runs the venv and needs no compilers; a compiled dependency that links a system library only the full image has (libpq, libxml2...) needs it installed in the runtime stage`
    : `the same Python as the builder (${builder.image})${have.variant === 'full' && !alpine && slim ? ', in the slim variant' : ''}`;
  return [
    {
      message: `runtime ${final.image} -> ${replacement}: ${why}`,
      range,
      edits: [{ start: doc.offset(raw.start), end: doc.offset(raw.end), text: replacement }],
    },
  ];
}

/**
 * A command that installs or builds Python packages in the runtime stage or a stage built on it
 * (`pip install`, `uv pip install`, `uv sync`, `python setup.py`, `make`): the reason a runtime may
 * want the full image.
 */
function installer(doc: Doc, root: Stage): string | null {
  const family = doc.stages.filter((s) => s === root || isBuiltOn(doc, s, root));
  for (const stage of family)
    for (const instr of stage.instructions) {
      if (instr.keyword !== 'RUN') continue;
      for (const command of doc.shell(instr).commands) {
        const v = command.words.map((w) => w.value);
        const bin = v[0]?.split('/').pop() ?? '';
        const call = uvCall(command.words);
        if (
          (/^pip[0-9.]*$/.test(bin) && v[1] === 'install') ||
          (/^python[0-9.]*$/.test(bin) && v[1] === '-m' && v[2] === 'pip') ||
          (/^python[0-9.]*$/.test(bin) && v[1] === 'setup.py') ||
          (call !== null && (call.subcommand === 'sync' || call.subcommand === 'pip')) ||
          /^(make|gcc|cc|g\+\+)$/.test(bin)
        )
          return v
            .filter((w) => w !== null)
            .slice(0, 3)
            .join(' ');
      }
    }
  return null;
}

function isBuiltOn(doc: Doc, stage: Stage, base: Stage): boolean {
  const parent = doc.parentStage(stage);
  return parent !== null && (parent === base || isBuiltOn(doc, parent, base));
}
