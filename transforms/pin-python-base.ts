/**
 * FROM python:latest                     ->  FROM python:3.12-slim-trixie
 * FROM python:3.11-bookworm              ->  FROM python:3.11-slim-bookworm   (pinned 3.11 and bookworm kept)
 * FROM python:3.12-alpine                ->  unchanged (pinned; Alpine stays Alpine)
 * ARG PYTHON_VERSION=latest              ->  ARG PYTHON_VERSION=3.12           (the FROM keeps its variable)
 * FROM python:${PYTHON_VERSION}-slim     ->  FROM python:${PYTHON_VERSION}-slim-trixie
 *
 * The version comes from, in order: --python, an explicit 3.X in the FROM (a disagreeing
 * .python-version is reported, never applied), .python-version, requires-python, the default.
 * A full image in a multi-stage file keeps its variant (a builder may need the compilers);
 * in a single-stage file it becomes slim, the target runtime. Digest-pinned images are left alone.
 */
import { defineTransform } from '../src/core/transform.js';
import type { Doc, Stage } from '../src/core/document.js';
import {
  isPythonImage,
  parseImageRef,
  parsePythonTag,
  resolvePython,
  type PythonTag,
} from '../src/core/images.js';
import type { Finding, MigrationOptions, ProjectContext } from '../src/core/types.js';

export default defineTransform({
  id: 'pin-python-base',
  title: 'Pin the Python base image',
  rationale:
    'A floating tag (`latest`, `3`, `3.12-slim`) silently changes the Python version or the Debian ' +
    'release between two builds of the same commit. A tag with the minor version and the release ' +
    'rebuilds the same runtime until someone changes it on purpose.',
  uvOnly: false,
  detect(doc, ctx, options) {
    const stageNames = new Set<string>();
    const findings: Finding[] = [];
    for (const stage of doc.stages) {
      const image = stage.image;
      if (image && !stageNames.has(image.toLowerCase())) {
        const found = image.includes('$')
          ? pinThroughArg(doc, stage, ctx, options)
          : pinLiteral(doc, stage, ctx, options);
        findings.push(...found);
      }
      if (stage.name) stageNames.add(stage.name.toLowerCase());
    }
    return findings;
  },
});

function pinLiteral(
  doc: Doc,
  stage: Stage,
  ctx: ProjectContext,
  options: MigrationOptions,
): Finding[] {
  const image = stage.image!;
  const ref = parseImageRef(image);
  if (!isPythonImage(ref) || ref.digest) return [];
  const tag = parsePythonTag(ref.tag);
  const range = imageRange(doc, stage);
  if (tag.variant === 'other') {
    return [{ message: `${image}: an unusual tag variant; left as is`, range, severity: 'info' }];
  }
  const next = pinnedTag(tag, ctx, options, doc.stages.length > 1);
  const warning = next.warning
    ? [{ message: next.warning, range, severity: 'warning' as const }]
    : [];
  if (next.tag === ref.tag) return warning;
  const prefix = ref.tag === null ? image : image.slice(0, image.length - ref.tag.length - 1);
  const replacement = `${prefix}:${next.tag}`;
  return [
    {
      message: `${image} -> ${replacement} (Python ${next.version} from ${next.source})`,
      range,
      edits: [{ start: range.start, end: range.end, text: replacement }],
    },
    ...warning,
  ];
}

/** `FROM python:${PY}-slim` with `ARG PY=...` before the first FROM: pin through the ARG's default. */
function pinThroughArg(
  doc: Doc,
  stage: Stage,
  ctx: ProjectContext,
  options: MigrationOptions,
): Finding[] {
  const image = stage.image!;
  const m = /^((?:[^:/]+\/)*[^:/$]+):\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?(.*)$/.exec(image);
  if (!m || !isPythonImage(parseImageRef(m[1]))) return [];
  const [, name, variable, suffix] = m;
  const arg = doc.globalArgDefault(variable);
  const range = imageRange(doc, stage);
  if (!arg) {
    return [
      {
        message: `${image}: $${variable} is not a global ARG, so the tag cannot be pinned here`,
        range,
        severity: 'warning',
      },
    ];
  }
  const value = arg.value ?? '';
  const effective = parsePythonTag(`${value}${suffix}` || null);
  if (effective.variant === 'other' || value.includes('$')) {
    return [
      {
        message: `${image}: the tag ${value}${suffix} is not understood; left as is`,
        range,
        severity: 'info',
      },
    ];
  }
  const next = pinnedTag(effective, ctx, options, doc.stages.length > 1);
  const warning = next.warning
    ? [{ message: next.warning, range, severity: 'warning' as const }]
    : [];
  // The variable holds the version (`3.12`) and the FROM the rest (`-slim`): each gets its part.
  const holdsVersion =
    suffix === '' ? /^\d/.test(value) || value === '' || value === 'latest' : true;
  const nextValue =
    holdsVersion && suffix !== ''
      ? next.tag.slice(0, next.tag.indexOf('-') < 0 ? undefined : next.tag.indexOf('-'))
      : next.tag;
  const nextSuffix = suffix !== '' ? next.tag.slice(nextValue.length) : '';
  const edits = [];
  if (nextValue !== value) {
    edits.push(
      arg.value === null
        ? { start: arg.valueEnd, end: arg.valueEnd, text: `=${nextValue}` }
        : { start: arg.valueStart, end: arg.valueEnd, text: nextValue },
    );
  }
  if (nextSuffix !== suffix)
    edits.push({ start: range.end - suffix.length, end: range.end, text: nextSuffix });
  if (edits.length === 0) return warning;
  return [
    {
      message: `${name}:${value || '(no default)'}${suffix} -> ${name}:${nextValue}${nextSuffix} through ARG ${variable} (Python ${next.version} from ${next.source})`,
      range,
      edits,
    },
    ...warning,
  ];
}

function pinnedTag(
  tag: PythonTag,
  ctx: ProjectContext,
  options: MigrationOptions,
  multiStage: boolean,
): { tag: string; version: string; source: string; warning: string | null } {
  const explicit = tag.python && /^\d+\.\d+$/.test(tag.python) ? tag : null;
  const { version, source, warning } = resolvePython(explicit, ctx, options);
  const full =
    explicit && tag.patch && /^\d+$/.test(tag.patch) ? `${version}.${tag.patch}` : version;
  if (tag.variant === 'alpine') {
    return { tag: `${full}-alpine${tag.alpine ?? ''}`, version, source, warning };
  }
  const release = tag.debian ?? options.debian ?? 'trixie';
  const variant = tag.variant === 'full' && multiStage ? '' : '-slim';
  return { tag: `${full}${variant}-${release}`, version, source, warning };
}

function imageRange(doc: Doc, stage: Stage): { start: number; end: number } {
  const raw = (stage.from.raw as import('dockerfile-ast').From).getImageRange()!;
  return { start: doc.offset(raw.start), end: doc.offset(raw.end) };
}
