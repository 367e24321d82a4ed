/**
 * FROM python:latest                     ->  FROM python:3.12-slim-trixie
 * FROM python:3.11-bookworm              ->  FROM python:3.11-slim-bookworm   (pinned 3.11 and bookworm kept)
 * FROM python:3.12-alpine                ->  unchanged (pinned; Alpine stays Alpine)
 * FROM python:3.9.7                      ->  FROM python:3.9.7-slim           (a patch: no release added)
 * ARG PYTHON_VERSION=3                   ->  ARG PYTHON_VERSION=3.12
 * FROM python:${PYTHON_VERSION}          ->  FROM python:${PYTHON_VERSION}-slim-trixie
 * ARG BASE=python:3.12 + FROM ${BASE}    ->  ARG BASE=python:3.12-slim-trixie
 * FROM ghcr.io/astral-sh/uv:0.5-debian   ->  FROM python:3.12-slim-trixie
 * RUN uv python install                      COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/
 *
 * The version comes from, in order: --python, an explicit 3.X in the FROM or its ARG (a
 * disagreeing .python-version is reported, never applied), .python-version, requires-python, the
 * default. The Debian release is the one the tag names, else the one the file's other Python
 * images name, else --debian, else trixie. A full image in a multi-stage file keeps its variant (a
 * builder may need the compilers); in a single-stage file it becomes slim, the target runtime.
 * A tag pinned to a patch (`3.9.7`) keeps what it names and gets no release it does not name: its
 * images were built only on the Debian releases of its time (core/images pinsPatch).
 *
 * An ARG named for a version (or whose FROM adds a variant after it) stays a version, pinned to a
 * minor if bare, and the variant goes into the FROM, so `--build-arg PYTHON_VERSION=3.13` still
 * yields a slim image of a pinned release; an ARG that holds a whole tag or image is pinned in
 * place. An ARG read by several FROMs is edited once. Digest-pinned images are left alone.
 *
 * A uv image without Python (`uv:<v>-debian`, `-bookworm-slim`) whose uv downloads a Python moves to
 * the official Python image with uv copied in, and its `uv python install` steps go: the venv must
 * link to a Python the runtime image also has. Alpine uv images are reported, not moved.
 */
import { systemPackages } from '../src/core/packages.js';
import { defineTransform } from '../src/core/transform.js';
import type { Doc, Stage } from '../src/core/document.js';
import {
  expandGlobalArgs,
  debianReleaseFor,
  isPinnedUv,
  isPythonImage,
  isUvImage,
  parseImageRef,
  parsePythonTag,
  parseUvTag,
  pinsPatch,
  resolvePython,
  slimPublished,
  versionOf,
  type PythonTag,
} from '../src/core/images.js';
import {
  insistsOnManaged,
  installsSystemPython,
  managedVersion,
  minorOf,
  pythonInstalls,
  shippedPython,
  stagesOn,
  usesPython,
} from '../src/core/managed-python.js';
import type { Edit, Finding, MigrationOptions, ProjectContext } from '../src/core/types.js';

/** What the whole file decides once, for every FROM. */
interface FileFacts {
  multiStage: boolean;
  /** The one Debian release the file's Python and uv images name, or null (none, or several). */
  release: string | null;
  /** ARGs an earlier FROM already read (and pinned, when needed). */
  seenArgs: Set<string>;
}

const VARIABLE = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/;
/** An ARG that by its name holds a Python version (`PYTHON_VERSION`, `PY_VER`, `PY`, `PYTHON`). */
const VERSION_NAME = /VERSION|(^|_)VER$|^PY(THON)?$/i;
const VERSION_ONLY = /^\d+(\.\d+){0,2}$/;

export default defineTransform({
  id: 'pin-python-base',
  title: 'Pin the Python base image',
  rationale:
    'A floating tag (`latest`, `3`, `3.12-slim`) silently changes the Python version or the Debian ' +
    'release between two builds of the same commit. A tag with the minor version and the release ' +
    'rebuilds the same runtime until someone changes it on purpose.',
  uvOnly: false,
  detect(doc, ctx, options) {
    const file: FileFacts = {
      multiStage: doc.stages.length > 1,
      release: namedRelease(doc),
      seenArgs: new Set(),
    };
    const stageNames = new Set<string>();
    const findings: Finding[] = [];
    for (const stage of doc.stages) {
      const image = stage.image;
      if (image && !stageNames.has(image.toLowerCase())) {
        const found = image.includes('$')
          ? pinThroughArg(doc, stage, ctx, options, file)
          : isUvImage(parseImageRef(image))
            ? moveUvBase(doc, stage, ctx, options, file)
            : pinLiteral(doc, stage, ctx, options, file);
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
  file: FileFacts,
): Finding[] {
  const image = stage.image!;
  const ref = parseImageRef(image);
  if (!isPythonImage(ref) || ref.digest) return [];
  const tag = parsePythonTag(ref.tag);
  const range = imageRange(doc, stage);
  if (tag.variant === 'other') {
    return [{ message: `${image}: an unusual tag variant; left as is`, range, severity: 'info' }];
  }
  const next = pinnedTag(tag, ctx, options, file, 'the original FROM');
  const warning = [...warn(next.warning, range), ...note(next.kept, range)];
  if (next.tag === ref.tag) return warning;
  const replacement = `${withoutTag(image, ref.tag)}:${next.tag}`;
  return [
    {
      message: `${image} -> ${replacement} (Python ${next.version} from ${next.source})`,
      range,
      edits: [{ start: range.start, end: range.end, text: replacement }],
    },
    ...warning,
  ];
}

/**
 * A FROM whose image comes from global ARGs: `python:${PYTHON_VERSION}` (with or without a variant
 * after it) or `${BASE}` holding a whole reference. The ARG's default is pinned once, for every FROM.
 */
function pinThroughArg(
  doc: Doc,
  stage: Stage,
  ctx: ProjectContext,
  options: MigrationOptions,
  file: FileFacts,
): Finding[] {
  const image = stage.image!;
  const range = imageRange(doc, stage);
  const info = (why: string): Finding[] => [
    { message: `${image}: ${why}; left as is`, range, severity: 'info' },
  ];
  const whole = VARIABLE.exec(image);
  if (whole?.[0] === image)
    return pinImageArg(doc, whole[1] ?? whole[2], range, ctx, options, file);
  const colon = image.indexOf(':$');
  const name = image.slice(0, Math.max(colon, 0));
  const first = colon < 0 ? null : VARIABLE.exec(image.slice(colon + 1));
  if (!first || name.includes('$') || !isPythonImage(parseImageRef(name))) {
    // Variables elsewhere (`${REGISTRY}/python:3.12`, `python:3.12-${VARIANT}`): judged resolved.
    const resolved = expandGlobalArgs(doc, image);
    const ref = resolved === null ? null : parseImageRef(resolved);
    if (ref === null)
      return /python/i.test(image)
        ? info('the tag comes from variables that cannot be resolved here')
        : [];
    if (!isPythonImage(ref) || ref.digest) return [];
    if (pinnedTag(parsePythonTag(ref.tag), ctx, options, file, '').tag === ref.tag) return [];
    return info(
      `the image (${resolved} by default) is assembled from variables in a way that cannot be pinned here`,
    );
  }
  const variable = first[1] ?? first[2];
  const suffix = image.slice(colon + 1 + first[0].length);
  const arg = doc.globalArgDefault(variable);
  if (!arg) {
    const message = `${image}: $${variable} is not a global ARG, so the tag cannot be pinned here`;
    return [{ message, range, severity: 'warning' }];
  }
  const value = arg.value ?? '';
  const tail = expandGlobalArgs(doc, suffix);
  const bare = value === '' || value === 'latest';
  const effective =
    tail === null || value.includes('$')
      ? null
      : parsePythonTag(`${bare ? '' : value}${tail}`.replace(/^-/, '') || null);
  if (!effective || effective.variant === 'other')
    return info(`the tag ${value}${suffix} is not understood`);
  const next = pinnedTag(effective, ctx, options, file, `ARG ${variable}`);
  const warning = file.seenArgs.has(variable)
    ? []
    : [...warn(next.warning, range), ...note(next.kept, range)];
  const holdsVersion = argHoldsVersion(doc, variable, arg.value);
  const cut = holdsVersion && next.tag.includes('-') ? next.tag.indexOf('-') : next.tag.length;
  const nextValue = next.tag.slice(0, cut);
  const nextTail = next.tag.slice(cut);
  if (tail !== suffix && nextTail !== tail) {
    return [
      ...info(
        `the variant and release come from variables (${tail} by default), so the tag cannot be pinned here`,
      ),
      ...warning,
    ];
  }
  const edits: Edit[] = [];
  const changes: string[] = [];
  if (nextValue !== arg.value && !file.seenArgs.has(variable)) {
    edits.push(argEdit(doc, arg, nextValue));
    changes.push(`ARG ${variable}=${arg.value ?? ''} -> ${nextValue}`);
  }
  if (nextTail !== tail) {
    // `$PY-slim` is valid, but `${PY}-slim` says where the name ends.
    const text = `\${${variable}}${nextTail}`;
    edits.push({ start: range.start + colon + 1, end: range.end, text });
    changes.push(`FROM ${image} -> ${name}:${text}`);
  }
  file.seenArgs.add(variable);
  if (edits.length === 0) return warning;
  const how = !holdsVersion
    ? 'the ARG holds the whole tag, so it is pinned as one'
    : next.kept
      ? 'the ARG holds the version and the FROM the variant'
      : `the ARG holds the version and the FROM the variant, so --build-arg ${variable}=3.X still gets a slim image of a pinned release`;
  return [
    {
      message: `${changes.join(', ')} (Python ${next.version} from ${next.source}); ${how}`,
      range,
      edits,
    },
    ...warning,
  ];
}

/** `ARG BASE=python:3.12` + `FROM ${BASE}`: the reference in the default is pinned in place. */
function pinImageArg(
  doc: Doc,
  variable: string,
  range: { start: number; end: number },
  ctx: ProjectContext,
  options: MigrationOptions,
  file: FileFacts,
): Finding[] {
  const arg = doc.globalArgDefault(variable);
  if (!arg?.value || arg.value.includes('$') || file.seenArgs.has(variable)) return [];
  file.seenArgs.add(variable);
  const ref = parseImageRef(arg.value);
  if (!isPythonImage(ref) || ref.digest) return [];
  const tag = parsePythonTag(ref.tag);
  if (tag.variant === 'other') {
    return [
      {
        message: `ARG ${variable}=${arg.value}: an unusual tag variant; left as is`,
        range,
        severity: 'info',
      },
    ];
  }
  const next = pinnedTag(tag, ctx, options, file, `ARG ${variable}`);
  const warning = [...warn(next.warning, range), ...note(next.kept, range)];
  if (next.tag === ref.tag) return warning;
  const replacement = `${withoutTag(arg.value, ref.tag)}:${next.tag}`;
  return [
    {
      message: `ARG ${variable}=${arg.value} -> ${replacement} (Python ${next.version} from ${next.source}); every FROM \${${variable}} gets it`,
      range: { start: arg.instr.start, end: arg.instr.end },
      edits: [argEdit(doc, arg, replacement)],
    },
    ...warning,
  ];
}

/**
 * Whether an ARG holds only the version: a FROM adds the variant after it, its default is a
 * version, or it has none (or `latest`) and its name says version.
 */
function argHoldsVersion(doc: Doc, variable: string, value: string | null): boolean {
  if (value !== null && VERSION_ONLY.test(value)) return true;
  const after = doc.stages.some((s) => {
    const m = /:\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))(.+)$/.exec(s.image ?? '');
    return m !== null && (m[1] ?? m[2]) === variable;
  });
  if (after) return true;
  return (value === null || value === '' || value === 'latest') && VERSION_NAME.test(variable);
}

function argEdit(
  doc: Doc,
  arg: { value: string | null; valueStart: number; valueEnd: number },
  text: string,
): Edit {
  if (arg.value === null) return { start: arg.valueEnd, end: arg.valueEnd, text: `=${text}` };
  const raw = doc.text.slice(arg.valueStart, arg.valueEnd);
  const quoted = raw.length >= 2 && /^["']/.test(raw) && raw.endsWith(raw[0]);
  return quoted
    ? { start: arg.valueStart + 1, end: arg.valueEnd - 1, text }
    : { start: arg.valueStart, end: arg.valueEnd, text };
}

/**
 * `FROM ghcr.io/astral-sh/uv:<v>-debian` in a stage whose uv downloads Python: the stage moves to the
 * official Python image of the version uv would have used, with uv copied in, and uv-managed Python
 * installs are dropped (uv-python-env then makes uv use the image's Python).
 */
function moveUvBase(
  doc: Doc,
  stage: Stage,
  ctx: ProjectContext,
  options: MigrationOptions,
  file: FileFacts,
): Finding[] {
  const image = stage.image!;
  const ref = parseImageRef(image);
  const tag = parseUvTag(ref.tag);
  const stages = stagesOn(doc, stage);
  // With Python (`python3.12-bookworm-slim`), the bare uv image (no shell to build in), or a Python
  // that comes from the distribution: nothing for uv to download.
  if (tag.python !== null || !tag.suffix || !usesPython(doc, stages)) return [];
  if (installsSystemPython(doc, stages)) return [];
  const range = imageRange(doc, stage);
  const name = stage.name ?? String(stage.index + 1);
  const left = (why: string, severity: Finding['severity'] = 'warning'): Finding[] => [
    {
      message: `stage ${name} is built on ${image}, which has no Python, so uv downloads one; ${why}`,
      range,
      severity,
    },
  ];
  // Alpine packages belong to the uv image's Alpine release, which python:X.Y-alpine need not
  // share; without any, only the Python build changes (both musl CPython, the same wheels).
  if (tag.alpine && stages.some((s) => systemPackages(doc, s).length > 0)) {
    const python = managedVersion(doc, stages, [], ctx, options);
    const target = 'version' in python ? `python:${python.version}-alpine` : 'python:X.Y-alpine';
    return left(
      `left as is: it installs Alpine packages, and ${target} may be another Alpine release than the uv image's. Move the stage to ${target} with uv copied in by hand and check that the packages still install`,
    );
  }
  if (ref.digest)
    return left(
      'left as is: it is pinned by digest, and the Python image that would replace it needs a digest of its own. Move it to python:X.Y-slim with uv copied in by hand',
    );
  const shipped = shippedPython(doc, stages);
  if (shipped)
    return left(
      `a later stage copies that Python (${shipped}), as uv's standalone example does, so the venv resolves there; left as is`,
      'info',
    );
  const forced = insistsOnManaged(doc, stages);
  if (forced) return left(`\`${forced}\` refuses the image's Python; left as is`);
  const installs = pythonInstalls(doc, stages);
  if ('stuck' in installs) return left(`${installs.stuck}; left as is`);
  const python = managedVersion(
    doc,
    stages,
    installs.requested,
    ctx,
    options,
    runtimePin(doc, stages),
  );
  if ('unsupported' in python)
    return left(
      `it asks for ${python.unsupported}, which no official Python image provides; left as is`,
    );

  const replacement = tag.alpine
    ? `python:${python.version}-alpine`
    : `python:${python.version}${debianVariant(tag.slim ? 'slim' : 'full', tag.debian, options, file, python.version)}`;
  const uv = isPinnedUv(tag, null) ? tag.uv! : options.uvVersion;
  const edits: Edit[] = [{ start: range.start, end: range.end, text: replacement }];
  const bringsUv = stage.instructions.some((i) =>
    i.flags.some((f) => f.name === 'from' && isUvImage(parseImageRef(f.value ?? ''))),
  );
  if (!bringsUv)
    edits.push(
      doc.insertAfter(stage.from, [`COPY --from=ghcr.io/astral-sh/uv:${uv} /uv /uvx /bin/`]),
    );
  edits.push(...installs.edits);
  const other = installs.requested.filter((r) => minorOf(r) !== python.version);
  const dropped =
    installs.edits.length === 0
      ? ''
      : `; uv python install is dropped${other.length > 0 ? ` (it asked for ${other.join(', ')}, but uv sync would have used ${python.version})` : ''}`;
  return [
    {
      message: `stage ${name}: ${image} has no Python, so uv downloaded one the runtime image would lack; it moves to ${replacement} (Python ${python.version} from ${python.source}) with uv ${uv} copied in${dropped}`,
      range,
      edits,
    },
  ];
}

/** The minor of the final stage's Python image, when it is another stage than the builder's. */
function runtimePin(doc: Doc, builder: Stage[]): { version: string; source: string } | null {
  const final = doc.finalStage;
  if (!final || builder.includes(final) || !final.image) return null;
  const image = final.image.includes('$') ? expandGlobalArgs(doc, final.image) : final.image;
  const ref = image ? parseImageRef(image) : null;
  const python = ref && isPythonImage(ref) ? parsePythonTag(ref.tag).python : null;
  return python && /^\d+\.\d+$/.test(python)
    ? { version: python, source: `the runtime stage (${final.image})` }
    : null;
}

function pinnedTag(
  tag: PythonTag,
  ctx: ProjectContext,
  options: MigrationOptions,
  file: FileFacts,
  explicitSource: string,
): { tag: string; version: string; source: string; warning: string | null; kept: string | null } {
  const explicit = tag.python && /^\d+\.\d+$/.test(tag.python) ? tag : null;
  const { version, source, warning } = resolvePython(explicit, ctx, options, explicitSource);
  const patch = explicit !== null && version === tag.python && pinsPatch(tag);
  const full = patch ? versionOf(tag)! : version;
  if (tag.variant === 'alpine') {
    // No Alpine release is appended either: a patch's images exist only on the Alpines of its time.
    return { tag: `${full}-alpine${tag.alpine ?? ''}`, version, source, warning, kept: null };
  }
  if (patch && !tag.debian) {
    // The Debian release of a patch tag is the default of its time, which only its own unnamed
    // tags carry (`3.9.7-slim` is bullseye): any release appended could name an image never built.
    const slim =
      tag.variant === 'slim' || (tag.variant === 'full' && !file.multiStage && slimPublished(tag));
    return {
      tag: `${full}${slim ? '-slim' : ''}`,
      version,
      source,
      warning,
      kept: `${full} is pinned to a patch release; its images exist only for the Debian releases of its time, so none is added to its tag${tag.variant === 'full' && !slimPublished(tag) ? ', and it keeps the full image: no slim variant is known for a patch that old' : ''}`,
    };
  }
  return {
    tag: `${full}${debianVariant(tag.variant, tag.debian, options, file, version)}`,
    version,
    source,
    warning,
    kept: null,
  };
}

/** `-slim-trixie`, or `-bookworm` for a full image in a multi-stage file (a builder may need the compilers). */
function debianVariant(
  variant: string,
  debian: string | null,
  options: MigrationOptions,
  file: FileFacts,
  version: string,
): string {
  const release = debian ?? debianReleaseFor(version, file.release ?? options.debian ?? 'trixie');
  return `${variant === 'full' && file.multiStage ? '' : '-slim'}-${release}`;
}

/**
 * The Debian release the file's Python and uv images name, when they name exactly one: builder and
 * runtime then stay on the same release.
 */
function namedRelease(doc: Doc): string | null {
  const named = new Set<string>();
  for (const stage of doc.stages) {
    const image = stage.image?.includes('$')
      ? expandGlobalArgs(doc, stage.image)
      : (stage.image ?? null);
    if (!image) continue;
    const ref = parseImageRef(image);
    const release = isPythonImage(ref)
      ? parsePythonTag(ref.tag).debian
      : isUvImage(ref)
        ? parseUvTag(ref.tag).debian
        : null;
    if (release) named.add(release);
  }
  return named.size === 1 ? [...named][0] : null;
}

function warn(message: string | null, range: { start: number; end: number }): Finding[] {
  return message ? [{ message, range, severity: 'warning' }] : [];
}

function note(message: string | null, range: { start: number; end: number }): Finding[] {
  return message ? [{ message, range, severity: 'info' }] : [];
}

function withoutTag(image: string, tag: string | null): string {
  return tag === null ? image : image.slice(0, image.length - tag.length - 1);
}

function imageRange(doc: Doc, stage: Stage): { start: number; end: number } {
  return { start: stage.imageStart!, end: stage.imageEnd! };
}
