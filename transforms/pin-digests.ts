/**
 * (only with --pin-digests or --digests FILE)
 * FROM python:3.12-slim-trixie AS builder   ->  FROM python:3.12-slim-trixie@sha256:<index> AS builder
 * COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/  ->  ...uv:0.13.8@sha256:<index> /uv /uvx /bin/
 * RUN --mount=from=ghcr.io/astral-sh/uv:0.13.8,...        ->  from=...uv:0.13.8@sha256:<index>,...
 * ARG BASE=python:3.12-slim-trixie (FROM $BASE)           ->  ARG BASE=python:3.12-slim-trixie@sha256:<index>
 *
 * The tag stays in front of the digest: people read it, and Renovate and Dependabot update both.
 * A reference already pinned by digest is left. One built from part of a variable
 * (`python:${PY}-slim`) cannot be pinned to one digest and is reported. An image whose digest is
 * not in the map is reported as an error: the file is not pinned as asked; one mapped to null is
 * left unpinned on purpose (an image that exists only locally) and only noted.
 */
import { defineTransform } from '../src/core/transform.js';
import { canonicalImage, imageSites } from '../src/core/digests.js';
import type { Finding } from '../src/core/types.js';

export default defineTransform({
  id: 'pin-digests',
  title: 'Pin every pulled image to its digest (with --pin-digests)',
  rationale:
    'A tag moves: python:3.12-slim-trixie is rebuilt for each patch release and Debian update, so ' +
    'two builds of one commit can get different images. `tag@sha256:<digest>` of the multi-arch ' +
    'index pulls exactly the reviewed image on every platform; the tag stays for readers and for ' +
    'Renovate or Dependabot, which bump tag and digest together. Off unless --pin-digests or ' +
    '--digests FILE is given.',
  uvOnly: false,
  detect(doc, _ctx, options) {
    const digests = options.digests;
    if (digests === null) return [];
    const findings: Finding[] = [];
    for (const site of imageSites(doc)) {
      const range = { start: site.instr.start, end: site.instr.end };
      if (site.image.includes('$')) {
        findings.push({
          message: `${site.where} ${site.image} is built from a variable, so it cannot be pinned to one digest; pin the value the build passes`,
          range,
          severity: 'warning',
        });
        continue;
      }
      const image = canonicalImage(site.image);
      if (!image) continue;
      const digest = digests[image.key];
      if (digest === null) {
        findings.push({
          message: `${site.image} (${site.where}) is left unpinned: the digests file maps ${image.key} to null`,
          range,
          severity: 'info',
        });
        continue;
      }
      if (!digest) {
        findings.push({
          message: `${site.image} (${site.where}) is not pinned: no digest is known for ${image.key}; add it to the --digests file or run with --pin-digests`,
          range,
          severity: 'error',
          missingDigest: image,
        });
        continue;
      }
      findings.push({
        message: `${site.image} -> ${site.image}@${digest.slice(0, 'sha256:'.length + 12)}… (${site.where})`,
        range,
        edits: [{ start: site.end, end: site.end, text: `@${digest}` }],
      });
    }
    return findings;
  },
});
