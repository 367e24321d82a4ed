/**
 * Compose files, the pure half: which files are Compose files and which services build a given
 * Dockerfile (what they build, from where, for which stage, and whether for development). Their
 * commands are rewritten in compose-command.ts, their text edited in yaml-edit.ts.
 */
import type { Document, Node, YAMLMap } from 'yaml';
import { basename, dirname, joinPath } from './paths.js';
import { isMap, isPair, isScalar, isSeq, parseDocument } from './yaml-edit.js';

/** `compose.yaml`, `docker-compose.yml`, `docker-compose.prod.yml`, `compose.override.yaml`... */
export const COMPOSE_FILE = /^(?:docker-compose|compose)(?:\.[A-Za-z0-9_-]+)*\.ya?ml$/;

/** Names that say the file is for development: `docker-compose.dev.yml`, `compose.override.yaml`. */
const DEV_PARTS = new Set(['dev', 'development', 'local', 'override', 'debug', 'watch']);

export function isComposeFile(path: string): boolean {
  return COMPOSE_FILE.test(basename(path));
}

export function isDevFileName(path: string): boolean {
  const parts = basename(path).split('.').slice(1, -1);
  return parts.some((p) => DEV_PARTS.has(p.toLowerCase()));
}

export interface ComposeService {
  name: string;
  node: YAMLMap;
  /** The Dockerfile it builds, relative to the same base as the compose file's path; null: none. */
  dockerfile: string | null;
  /** Why the Dockerfile cannot be told (a variable in the build path), or null. */
  unknown: string | null;
  /** Why this service is a development setup (a develop: section, a source bind mount), or null. */
  development: string | null;
  /** The stage it builds (`build.target`), or null for the final stage. */
  stage: string | null;
}

export interface ParsedCompose {
  doc: Document.Parsed;
  /** Offset of the document text in the file (1 after a BOM). */
  offset: number;
  services: ComposeService[];
}

/** A Compose file's services, or the reason it cannot be read. */
export function parseCompose(path: string, text: string): ParsedCompose | { error: string } {
  const offset = text.startsWith('\uFEFF') ? 1 : 0;
  const doc = parseDocument(text.slice(offset), { uniqueKeys: false, merge: true });
  if (doc.errors.length > 0)
    return { error: `${path} is not valid YAML (${doc.errors[0].message.split('\n')[0]})` };
  const root = doc.contents;
  if (!isMap(root)) return { error: `${path} holds no mapping of top-level keys` };
  const servicesNode = root.get('services', true);
  const services: ComposeService[] = [];
  if (isMap(servicesNode)) {
    for (const pair of servicesNode.items) {
      if (!isPair(pair) || !isScalar(pair.key) || !isMap(pair.value)) continue;
      const node = pair.value;
      const target = buildTarget(node, dirname(path));
      services.push({
        name: String(pair.key.value),
        node,
        dockerfile: 'path' in target ? target.path : null,
        unknown: 'unknown' in target ? target.unknown : null,
        development: developmentReason(node),
        stage: buildStage(node),
      });
    }
  }
  return { doc, offset, services };
}

function scalarString(node: unknown): string | null {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')
    ? String(node.value)
    : null;
}

/** `build.target`: the stage a service builds, or null (the final one, or not a plain string). */
function buildStage(service: YAMLMap): string | null {
  const build = service.get('build', true) as unknown;
  return isMap(build) ? scalarString(build.get('target', true)) : null;
}

/** The Dockerfile a service's `build:` names, relative to the base of `composeDir`. */
function buildTarget(
  service: YAMLMap,
  composeDir: string,
): { path: string } | { unknown: string } | { none: true } {
  const build = service.get('build', true) as unknown;
  if (build === undefined || build === null) return { none: true };
  let context = '.';
  let dockerfile = 'Dockerfile';
  if (isScalar(build)) {
    const value = scalarString(build);
    if (value === null) return { none: true };
    context = value;
  } else if (isMap(build)) {
    if (build.has('dockerfile_inline')) return { none: true };
    const c = build.get('context', true);
    const d = build.get('dockerfile', true);
    if (c !== undefined) {
      const value = scalarString(c);
      if (value === null) return { unknown: 'its build context is not a plain string' };
      context = value;
    }
    if (d !== undefined) {
      const value = scalarString(d);
      if (value === null) return { unknown: 'its build dockerfile is not a plain string' };
      dockerfile = value;
    }
  } else return { none: true };
  if (/^[a-z]+:\/\/|^git@|\.git(#|$)/.test(context)) return { none: true };
  if (context.includes('$') || dockerfile.includes('$'))
    return { unknown: `its build path (${context}, ${dockerfile}) depends on a variable` };
  return { path: joinPath(composeDir, context, dockerfile) };
}

/**
 * Whether a service builds the Dockerfile `dockerfile` of the build context at `contextPath`: both
 * compared from the repository root, since a root Compose file says `build: services/api` where the
 * Dockerfile is `Dockerfile` in the context services/api.
 */
export function buildsDockerfile(
  service: ComposeService,
  dockerfile: string,
  contextPath: string,
): boolean {
  return (
    service.dockerfile !== null &&
    joinPath(contextPath, service.dockerfile) === joinPath(contextPath, dockerfile)
  );
}

/** Why a service of the Compose file at `path` is a development setup, or null. */
export function developmentOf(path: string, service: ComposeService): string | null {
  return isDevFileName(path) ? 'the file is a development override' : service.development;
}

/** Where a node lies in the Compose file's text (after a BOM), or undefined when it has no range. */
export function nodeRange(
  parsed: ParsedCompose,
  node: Node | undefined,
): { start: number; end: number } | undefined {
  return node?.range
    ? { start: node.range[0] + parsed.offset, end: node.range[1] + parsed.offset }
    : undefined;
}

/**
 * A command a service gets through a merge key (`<<: *defaults`) rather than sets itself, as the
 * rewriters take it (a string or a list of strings), or null.
 */
export function mergedCommand(
  parsed: ParsedCompose,
  service: ComposeService,
  key: string,
): string | string[] | null {
  // With `merge: true` the `<<` key is held as a symbol, not the string.
  const merges = service.node.items.some(
    (p) => isScalar(p.key) && String(p.key.value ?? '').includes('<<'),
  );
  if (!merges) return null;
  let value: unknown;
  try {
    const data = parsed.doc.toJS({ maxAliasCount: 1000 }) as {
      services?: Record<string, Record<string, unknown>>;
    };
    value = data?.services?.[service.name]?.[key];
  } catch {
    return null;
  }
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return null;
}

/** A `develop:` (watch) section, or a bind mount of the project's source. */
function developmentReason(service: YAMLMap): string | null {
  if (service.has('develop')) return 'it has a develop: (watch) section';
  const volumes = service.get('volumes', true);
  if (!isSeq(volumes)) return null;
  for (const item of volumes.items) {
    let source: string | null = null;
    if (isScalar(item)) {
      const text = scalarString(item) ?? '';
      const colon = text.indexOf(':');
      source = colon > 0 ? text.slice(0, colon) : null;
    } else if (isMap(item) && scalarString(item.get('type', true)) === 'bind') {
      source = scalarString(item.get('source', true));
    }
    if (source !== null && /^(\.{1,2}(\/|$)|\$\{?PWD\}?)/.test(source))
      return `it bind-mounts the source (${source})`;
  }
  return null;
}
