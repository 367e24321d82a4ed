/**
 * Digest pinning, the pure half: which image references a Dockerfile pulls (and where they stand in
 * its text), the canonical name a registry knows each by, and the digest map that `--digests FILE`
 * supplies and `--pin-digests` fills. Asking a registry is the IO layer's job (`io/registry.ts`).
 */
import type { Doc, Instr } from './document.js';
import { isImageReference, parseImageRef } from './images.js';

/** A content digest as registries give it. Only sha256 is accepted: what Docker Hub and ghcr use. */
export const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** An image reference as a registry knows it: Docker Hub spelled out, the tag made explicit. */
export interface CanonicalImage {
  /** `docker.io`, `ghcr.io`, `localhost:5000` (lower case). */
  host: string;
  /** `library/python`, `astral-sh/uv`. */
  repository: string;
  tag: string;
  /** `docker.io/library/python:3.12-slim-trixie`: the key of a digest map. */
  key: string;
}

/**
 * The canonical name of an image reference that can be pinned, or null: already pinned by digest,
 * built from a variable, or not an image reference at all.
 */
export function canonicalImage(ref: string): CanonicalImage | null {
  if (ref.includes('$') || !isImageReference(ref)) return null;
  const parsed = parseImageRef(ref);
  if (parsed.digest !== null) return null;
  let host = (parsed.registry ?? 'docker.io').toLowerCase();
  if (host === 'index.docker.io' || host === 'registry-1.docker.io') host = 'docker.io';
  const repository =
    host === 'docker.io' && !parsed.repository.includes('/')
      ? `library/${parsed.repository}`
      : parsed.repository;
  const tag = parsed.tag ?? 'latest';
  return { host, repository, tag, key: `${host}/${repository}:${tag}` };
}

/** Where a Dockerfile names an image it pulls: the reference's exact range in the text. */
export interface ImageSite {
  image: string;
  start: number;
  end: number;
  /** `FROM`, `COPY --from`, `RUN --mount from`. */
  where: string;
  instr: Instr;
}

/**
 * Every image the build pulls, in file order: FROM lines that do not name an earlier stage or
 * `scratch`, `COPY --from=` and `RUN --mount=...,from=` that name an image rather than a stage.
 */
export function imageSites(doc: Doc): ImageSite[] {
  const stages = new Set<string>();
  const sites: ImageSite[] = [];
  const isStage = (name: string) => stages.has(name.toLowerCase()) || /^\d+$/.test(name);
  for (const instr of doc.instructions) {
    if (instr.keyword === 'FROM') {
      const stage = doc.stages[instr.stage];
      const range =
        stage?.imageStart != null ? { start: stage.imageStart, end: stage.imageEnd! } : null;
      const whole = stage?.image
        ? /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))$/.exec(stage.image)
        : null;
      const arg = whole ? doc.globalArgDefault(whole[1] ?? whole[2]) : null;
      if (arg?.value && doc.text.slice(arg.valueStart, arg.valueEnd) === arg.value) {
        // `ARG BASE=python:3.12-slim-trixie` then `FROM $BASE`: the default is the reference.
        if (!sites.some((s) => s.start === arg.valueStart))
          sites.push({
            image: arg.value,
            start: arg.valueStart,
            end: arg.valueEnd,
            where: `ARG ${whole![1] ?? whole![2]} (the image of a FROM)`,
            instr: arg.instr,
          });
      } else if (
        stage?.image &&
        range &&
        !isStage(stage.image) &&
        stage.image.toLowerCase() !== 'scratch'
      )
        sites.push({
          image: stage.image,
          start: range.start,
          end: range.end,
          where: 'FROM',
          instr,
        });
      if (stage?.name) stages.add(stage.name.toLowerCase());
      continue;
    }
    if (instr.keyword !== 'COPY' && instr.keyword !== 'RUN' && instr.keyword !== 'ADD') continue;
    for (const flag of instr.flags) {
      const text = doc.text.slice(flag.start, flag.end);
      if (flag.name === 'from' && instr.keyword !== 'RUN') {
        const m = /^--from=([^\s]+)/.exec(text);
        if (m && !isStage(m[1]))
          sites.push({
            image: m[1],
            start: flag.start + '--from='.length,
            end: flag.start + '--from='.length + m[1].length,
            where: `${instr.keyword} --from`,
            instr,
          });
      } else if (flag.name === 'mount' && instr.keyword === 'RUN') {
        const m = /^--mount=([^\s]+)/.exec(text);
        if (!m) continue;
        let at = flag.start + '--mount='.length;
        for (const field of m[1].split(',')) {
          const eq = field.indexOf('=');
          if (eq > 0 && field.slice(0, eq).toLowerCase() === 'from') {
            const image = field.slice(eq + 1);
            if (image && !isStage(image))
              sites.push({
                image,
                start: at + eq + 1,
                end: at + field.length,
                where: 'RUN --mount from',
                instr,
              });
          }
          at += field.length + 1;
        }
      }
    }
  }
  return sites;
}

/**
 * A digest map's text (`{"python:3.12-slim-trixie": "sha256:..."}`), validated, keys made
 * canonical. Any spelling of a reference is accepted as key; each must carry a tag or be plain. A
 * null digest leaves that image unpinned on purpose (an image that exists only locally).
 */
export function parseDigestMap(
  text: string,
  source: string,
): { map: Record<string, string | null> } | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { error: `${source}: not valid JSON (${(error as Error).message})` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return {
      error: `${source}: must be a JSON object of image -> digest, e.g. {"python:3.12-slim-trixie": "sha256:..."}`,
    };
  const map: Record<string, string | null> = {};
  for (const [image, digest] of Object.entries(raw)) {
    const c = canonicalImage(image);
    if (!c)
      return {
        error: `${source}: "${image}" is not an image reference without a digest (variables and digests are not keys)`,
      };
    if (digest !== null && (typeof digest !== 'string' || !DIGEST.test(digest)))
      return {
        error: `${source}: the digest of "${image}" must be "sha256:" and 64 lower-case hex digits, or null to leave it unpinned (got ${JSON.stringify(digest)})`,
      };
    if (map[c.key] !== undefined && map[c.key] !== digest)
      return { error: `${source}: "${image}" is given two different digests` };
    map[c.key] = digest;
  }
  return { map };
}

/** A digest map as `--save-digests` writes it: sorted keys, one per line, a final newline. */
export function formatDigestMap(map: Record<string, string | null>): string {
  const sorted = Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}
