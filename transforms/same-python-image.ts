/**
 * FROM python:3.12-slim-bookworm AS builder   ...   FROM python:3.11-slim
 *                                             ->    FROM python:3.12-slim-bookworm
 * FROM ghcr.io/astral-sh/uv:0.13.8-python3.12-bookworm-slim AS builder  ...  FROM python:3.12-slim-bookworm  (fine)
 *
 * For files that already have a builder (the stage that runs uv sync) and a separate final stage.
 * The runtime keeps its variant (slim stays slim); version, libc and Debian release follow the
 * builder. Reported, not fixed: a builder whose Python cannot be told, a runtime that is not a
 * Python image (distroless, debian), images chosen by variables that differ.
 */
import { defineTransform } from '../src/core/transform.js';
import { isUvCall } from '../src/core/document.js';
import {
  expandGlobalArgs,
  isPythonImage,
  parseImageRef,
  parsePythonTag,
  runtimeImageFor,
  sameInterpreter,
} from '../src/core/images.js';
import type { Finding } from '../src/core/types.js';

export default defineTransform({
  id: 'same-python-image',
  title: 'Builder and runtime on the same Python image',
  rationale:
    "The venv's interpreter is a symlink to the builder's Python (/usr/local/bin/python3.X). On a " +
    'runtime image with another Python version, libc or Debian release, the symlink dangles or ' +
    'compiled extensions fail to load, and the container dies at start.',
  uvOnly: true,
  detect(doc) {
    const builder = [...doc.stages]
      .reverse()
      .find((s) =>
        s.instructions.some(
          (i) => i.keyword === 'RUN' && doc.shell(i).commands.some((c) => isUvCall(c, 'sync')),
        ),
      );
    const final = doc.finalStage;
    if (!builder || !final || builder === final || !builder.image || !final.image) return [];
    if (final.image.toLowerCase() === builder.name?.toLowerCase()) return [];
    const range = { start: final.from.start, end: final.from.end };
    if (builder.image.includes('$') || final.image.includes('$')) {
      const [b, f] = [builder.image, final.image].map((i) => expandGlobalArgs(doc, i));
      return builder.image === final.image ||
        (b !== null && f !== null && sameInterpreter(b, f)) ||
        (!final.image.includes('$') && !builder.image.includes('$'))
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
    if (!expected)
      return [
        {
          message: `the builder's Python (${builder.image}) cannot be told, so the runtime image is not checked`,
          range,
          severity: 'info',
        },
      ];
    const want = parsePythonTag(parseImageRef(expected).tag);
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
    const same =
      have.python === want.python &&
      (have.variant === 'alpine') === (want.variant === 'alpine') &&
      (want.variant === 'alpine' || (have.debian ?? 'trixie') === (want.debian ?? 'trixie'));
    if (same) return [];
    const tag =
      want.variant === 'alpine'
        ? `${want.python}-alpine${want.alpine ?? ''}`
        : `${want.python}${have.variant === 'full' ? '' : '-slim'}${want.debian ? `-${want.debian}` : ''}`;
    const replacement = `${final.image.slice(0, final.image.length - (ref.tag === null ? 0 : ref.tag.length + 1))}:${tag}`;
    const raw = (final.from.raw as import('dockerfile-ast').From).getImageRange()!;
    return [
      {
        message: `runtime ${final.image} -> ${replacement}: the same Python as the builder (${builder.image})`,
        range,
        edits: [{ start: doc.offset(raw.start), end: doc.offset(raw.end), text: replacement }],
      },
    ];
  },
});
