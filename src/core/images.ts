/**
 * Image references: which are Python or uv images, what their tags say (Python version, variant,
 * Debian release), and which plain Python image a runtime stage needs for a given builder.
 */
import type { Doc, Stage } from './document.js';
import type { MigrationOptions, ProjectContext } from './types.js';

export interface ImageRef {
  /** Registry host when written (`ghcr.io`, `docker.io`, `localhost:5000`), else null. */
  registry: string | null;
  /** Repository path without the registry (`python`, `library/python`, `astral-sh/uv`). */
  repository: string;
  tag: string | null;
  digest: string | null;
}

/**
 * Whether text is an image reference Docker accepts (the grammar of distribution/reference):
 * `[host[:port]/]path[:tag][@digest]`, lowercase path components, a tag of word characters, dots and
 * dashes. Text that is not one (`uv:latest)`) cannot be built, so nothing is derived from it.
 */
export function isImageReference(ref: string): boolean {
  return IMAGE_REFERENCE.test(ref);
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const HOST =
  '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?';
const IMAGE_REFERENCE = new RegExp(
  `^(?:${HOST}/)?${COMPONENT}(?:/${COMPONENT})*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);

export function parseImageRef(ref: string): ImageRef {
  let rest = ref;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let registry: string | null = null;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  return { registry, repository: rest, tag, digest };
}

export function isPythonImage(ref: ImageRef): boolean {
  const official =
    ref.registry === null || ref.registry === 'docker.io' || ref.registry === 'index.docker.io';
  return official && (ref.repository === 'python' || ref.repository === 'library/python');
}

export function isUvImage(ref: ImageRef): boolean {
  return (
    (ref.registry === 'ghcr.io' && ref.repository === 'astral-sh/uv') ||
    ((ref.registry === null || ref.registry === 'docker.io') && ref.repository === 'astral/uv')
  );
}

export type Variant = 'slim' | 'alpine' | 'full' | 'other';

export interface PythonTag {
  /** `3.12`, or `3` for a bare major, or null (`latest`, `slim`, no tag). */
  python: string | null;
  /** The patch as written (`3.12.4` -> `4`, a pre-release `3.13.0b1` -> `0b1`), or null. */
  patch: string | null;
  variant: Variant;
  /** Debian release named in the tag (`bookworm`, `trixie`...), or null. */
  debian: string | null;
  /** Alpine version named in the tag (`3.20` of `alpine3.20`), or null; `''` for plain `alpine`. */
  alpine: string | null;
}

/**
 * Debian releases the official python images name, oldest first. Tags of the years before buster
 * name jessie and stretch (`python:3.7.3-stretch`, `python:2.7.13-jessie`): a patch pinned on them
 * still has its images, slim ones included, and is read as any other.
 */
const RELEASES = ['jessie', 'stretch', 'buster', 'bullseye', 'bookworm', 'trixie', 'forky'];
const DEBIAN = new RegExp(`^(${RELEASES.join('|')})$`);

/**
 * The newest Debian release the official python images of a minor were published on, for minors
 * that stopped before trixie (3.8 and older reached end of life before trixie came out): pinning
 * `python:3.6-slim-trixie` would name an image that does not exist.
 */
const LAST_RELEASE: Record<string, string> = {
  '3.8': 'bookworm',
  '3.7': 'bookworm',
  '3.6': 'bullseye',
};

/** `release`, or the newest release the python images of `version` exist on when `release` is newer. */
export function debianReleaseFor(version: string, release: string): string {
  const [major, minor] = version.split('.').map(Number);
  const last = LAST_RELEASE[version] ?? (major < 3 || (major === 3 && minor < 6) ? 'buster' : null);
  if (!last || !RELEASES.includes(release)) return release;
  return RELEASES.indexOf(release) > RELEASES.indexOf(last) ? last : release;
}

/** `3.9.7` of `3.9.7-slim`, `3.13.0b1` of a pre-release, the minor alone when no patch is written. */
export function versionOf(tag: PythonTag): string | null {
  if (tag.python === null) return null;
  return tag.patch !== null && /^\d+\.\d+$/.test(tag.python)
    ? `${tag.python}${/^\d/.test(tag.patch) ? '.' : ''}${tag.patch}`
    : tag.python;
}

/**
 * Whether the tag pins one patch release (`3.9.7`, `3.13.0b1`). The official images of a patch were
 * built only while it was the newest of its minor, on the Debian releases of that time, and never
 * again: `python:3.9.7` exists for buster and bullseye, `python:2.7.13` for jessie and stretch, and
 * neither for a release that came out after them. Such a tag takes no Debian release it does not
 * name, and a release it does name is kept.
 */
export function pinsPatch(tag: PythonTag): boolean {
  return tag.patch !== null && tag.python !== null && /^\d+\.\d+$/.test(tag.python);
}

/**
 * The first patch of each old minor that has a `-slim` image. docker-library added the slim variant
 * in the autumn of 2014 and has built it beside the full image for every release since, so a later
 * patch always has `python:X.Y.Z-slim` (on the default release of its time); for an earlier patch, or
 * a minor older than 2.7 or 3.3, the slim image cannot be relied on.
 */
const FIRST_SLIM_PATCH: Record<string, number> = { '2.7': 9, '3.3': 6, '3.4': 2 };

/** Whether `python:<patch>-slim` was published for a patch-pinned tag. */
export function slimPublished(tag: PythonTag): boolean {
  if (!pinsPatch(tag)) return false;
  const [major, minor] = tag.python!.split('.').map(Number);
  const first = FIRST_SLIM_PATCH[tag.python!];
  if (first !== undefined) return parseInt(tag.patch!, 10) >= first;
  return major > 3 || (major === 3 && minor >= 5);
}

/**
 * Whether two Python tags run on the same Debian release. A minor-only tag without one runs on the
 * default of today (trixie, or the last release of a minor that ended before it). A patch tag
 * without one runs on the default of its own time, which only the same patch's other unnamed tags
 * are known to share (`3.9.7` and `3.9.7-slim` were always rebuilt together).
 */
export function sameRelease(a: PythonTag, b: PythonTag): boolean {
  const release = (t: PythonTag): string | null =>
    t.debian ??
    (pinsPatch(t)
      ? null
      : t.python && /^\d+\.\d+$/.test(t.python)
        ? debianReleaseFor(t.python, 'trixie')
        : 'trixie');
  const [ra, rb] = [release(a), release(b)];
  if (ra !== null || rb !== null) return ra === rb;
  return versionOf(a) === versionOf(b);
}

/** Reads `3.12-slim-bookworm`, `3.11-alpine3.20`, `latest`, `3`, `slim`, `3.12.4`. */
export function parsePythonTag(tag: string | null): PythonTag {
  const out: PythonTag = { python: null, patch: null, variant: 'full', debian: null, alpine: null };
  if (tag === null || tag === 'latest') return out;
  const parts = tag.split('-');
  const version = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?([a-z]\d*)?$/.exec(parts[0]);
  let i = 0;
  if (version) {
    out.python = version[2] === undefined ? version[1] : `${version[1]}.${version[2]}`;
    out.patch = version[3] || version[4] ? `${version[3] ?? ''}${version[4] ?? ''}` : null;
    i = 1;
  }
  for (; i < parts.length; i++) {
    const p = parts[i];
    if (p === 'slim') out.variant = 'slim';
    else if (p.startsWith('alpine')) {
      out.variant = 'alpine';
      out.alpine = p.slice('alpine'.length);
    } else if (DEBIAN.test(p)) out.debian = p;
    else out.variant = 'other';
  }
  return out;
}

export interface UvTag {
  /** uv version (`0.5.11`, `0.5`) or null for `latest`/none. */
  uv: string | null;
  /** The Python part of a uv image with Python (`python3.12-bookworm-slim`), parsed. */
  python: string | null;
  debian: string | null;
  alpine: boolean;
  /** The tag after the version, as written (`python3.12-bookworm-slim`), or null. */
  suffix: string | null;
  /** A slim Debian base (`bookworm-slim`, `debian-slim`, `python3.12-trixie-slim`). */
  slim: boolean;
}

/** Reads uv image tags: `latest`, `0.5.11`, `python3.12-bookworm-slim`, `0.5.11-python3.12-alpine`. */
export function parseUvTag(tag: string | null): UvTag {
  const out: UvTag = {
    uv: null,
    python: null,
    debian: null,
    alpine: false,
    suffix: null,
    slim: false,
  };
  if (tag === null || tag === 'latest') return out;
  const m = /^(\d+(?:\.\d+){0,2})(?:-(.*))?$/.exec(tag);
  const suffix = m ? (m[2] ?? null) : tag;
  if (m) out.uv = m[1];
  out.suffix = suffix;
  if (suffix) {
    const py = /python(\d+\.\d+)/.exec(suffix);
    if (py) out.python = py[1];
    const deb = /(buster|bullseye|bookworm|trixie|forky)/.exec(suffix);
    if (deb) out.debian = deb[1];
    out.alpine = suffix.includes('alpine');
    out.slim = /(^|-)slim(-|$)/.test(suffix);
  }
  return out;
}

/** Whether a uv version is pinned to a release (`0.5.11`), not a moving `0.5` or `latest`. */
export function isPinnedUv(tag: UvTag, digest: string | null): boolean {
  return digest !== null || (tag.uv !== null && /^\d+\.\d+\.\d+$/.test(tag.uv));
}

/**
 * The plain Python image a runtime stage must use so that a venv built on `ref` resolves its
 * interpreter. Null when the builder's Python cannot be told.
 */
export function runtimeImageFor(ref: string): string | null {
  if (ref.includes('$')) return null;
  const parsed = parseImageRef(ref);
  if (isPythonImage(parsed)) {
    if (parsed.digest) return ref;
    const tag = parsePythonTag(parsed.tag);
    if (tag.variant === 'other') return null;
    return ref;
  }
  if (isUvImage(parsed)) {
    const tag = parseUvTag(parsed.tag);
    if (!tag.python) return null;
    if (tag.alpine) return `python:${tag.python}-alpine`;
    return `python:${tag.python}-slim${tag.debian ? `-${tag.debian}` : ''}`;
  }
  return null;
}

/**
 * Whether a venv built on `builder` resolves its interpreter on `runtime`: both give the same
 * Python minor, libc and Debian release (a full builder and a slim runtime do). False when either
 * cannot be told.
 */
export function sameInterpreter(builder: string, runtime: string): boolean {
  const expected = runtimeImageFor(builder);
  const ref = parseImageRef(runtime);
  if (!expected || !isPythonImage(ref) || ref.digest) return false;
  const want = parsePythonTag(parseImageRef(expected).tag);
  const have = parsePythonTag(ref.tag);
  return (
    want.python !== null &&
    /^\d+\.\d+$/.test(want.python) &&
    have.python === want.python &&
    have.variant !== 'other' &&
    (have.variant === 'alpine') === (want.variant === 'alpine') &&
    (want.variant === 'alpine' || sameRelease(have, want))
  );
}

/**
 * The Python minor version to use and where it came from (TARGET point 1). An explicit `3.X` of the
 * file (`source` names where it is written) is kept; the project's own pin is only compared with it.
 */
export function resolvePython(
  fromTag: PythonTag | null,
  ctx: ProjectContext,
  options: MigrationOptions,
  explicitSource = 'the original FROM',
): { version: string; source: string; warning: string | null } {
  if (options.python) return { version: options.python, source: '--python', warning: null };
  const project = projectPython(ctx);
  if (fromTag?.python && /^\d+\.\d+$/.test(fromTag.python)) {
    return {
      version: fromTag.python,
      source: explicitSource,
      warning: disagreement(fromTag.python, ctx),
    };
  }
  if (project) return { ...project, warning: null };
  return { version: options.defaultPython, source: 'the default', warning: null };
}

/**
 * Why a version the file pins does not fit the project, or null: `.python-version` names another
 * minor, or the version is below requires-python's lower bound (above it is what a bound allows).
 */
export function disagreement(version: string, ctx: ProjectContext): string | null {
  const file = pythonVersionFile(ctx);
  if (file && file !== version)
    return `the image pins Python ${version} but .python-version says ${file}; the pinned ${version} is kept`;
  const lower = requiresPythonLower(ctx);
  if (!file && lower && compareMinor(version, lower) < 0)
    return `the image pins Python ${version} but requires-python asks for ${lower} or later; the pinned ${version} is kept`;
  return null;
}

/** The project's own Python: `.python-version`, then the lower bound of requires-python. */
export function projectPython(ctx: ProjectContext): { version: string; source: string } | null {
  const file = pythonVersionFile(ctx);
  if (file) return { version: file, source: '.python-version' };
  const lower = requiresPythonLower(ctx);
  if (lower) return { version: lower, source: 'requires-python' };
  return null;
}

/** `X.Y` of `.python-version` (`3.12.4`, `cpython-3.12` read as 3.12), or null. */
export function pythonVersionFile(ctx: ProjectContext): string | null {
  const pv = ctx.pythonVersion?.match(/(\d+)\.(\d+)/);
  return pv ? `${pv[1]}.${pv[2]}` : null;
}

/** `X.Y` of requires-python's lower bound (`>=3.11`, `~=3.11`, `==3.11.*`), or null. */
export function requiresPythonLower(ctx: ProjectContext): string | null {
  const rp = ctx.pyproject?.requiresPython?.match(/(?:>=|~=|==|\^)\s*(\d+)\.(\d+)/);
  return rp ? `${rp[1]}.${rp[2]}` : null;
}

function compareMinor(a: string, b: string): number {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/**
 * `$NAME` and `${NAME}` in a FROM replaced by the defaults of global ARGs (the only ones a FROM
 * sees), or null when one has no default, is not a global ARG, or uses a `${NAME:-x}` form.
 */
export function expandGlobalArgs(doc: Doc, text: string): string | null {
  let unresolved = false;
  const out = text.replace(/\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced, bare) => {
    const name = (braced ?? bare) as string;
    const value = /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? doc.globalArgDefault(name)?.value : null;
    if (value === null || value === undefined || value.includes('$')) {
      unresolved = true;
      return '';
    }
    return value;
  });
  return unresolved || out.includes('$') ? null : out;
}

/**
 * The image a stage finally stands on: through `FROM <earlier stage>` and global ARG defaults.
 * Null when a variable cannot be resolved or the FROM names no image.
 */
export function baseImageOf(doc: Doc, stage: Stage): string | null {
  const image = stage.image;
  if (!image) return null;
  const parent = doc.stages.find(
    (s) => s.index < stage.index && s.name?.toLowerCase() === image.toLowerCase(),
  );
  if (parent) return baseImageOf(doc, parent);
  return image.includes('$') ? expandGlobalArgs(doc, image) : image;
}

/**
 * Whether a stage's image brings a Python of its own: the official image, a uv image with Python,
 * or (for an image dockmig does not know) one named for Python. A base that cannot be resolved is
 * judged by the name the FROM writes.
 */
export function stageHasPython(doc: Doc, stage: Stage): boolean {
  const image = baseImageOf(doc, stage);
  if (image === null) return /python/i.test(stage.image ?? '');
  const ref = parseImageRef(image);
  if (isPythonImage(ref)) return true;
  if (isUvImage(ref)) return parseUvTag(ref.tag).python !== null;
  return /python/i.test(ref.repository);
}
