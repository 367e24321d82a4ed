/**
 * Compose files, the pure half: which files are Compose files, which services build a given
 * Dockerfile, and how a `command:`/`entrypoint:` override is rewritten the way a CMD is. The YAML is
 * read with the `yaml` package's document API (nodes with their source ranges); an edit replaces the
 * source text of the one node that changes, so comments, order, quoting and anchors elsewhere keep
 * their bytes, and every edit is checked by parsing the result again.
 */
import { createRequire } from 'node:module';
import type { Document, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { applyEdits } from './edit.js';
import { rewriteString, shellWrapped, spell, type Rewriter, type Word } from './command.js';
import { parseShell } from './shell.js';
import type { Edit } from './types.js';

/**
 * The `yaml` package, loaded on first use: most runs meet no Compose file, and loading it costs
 * ~30 ms of every start.
 */
let yamlModule: typeof import('yaml') | null = null;
function yaml(): typeof import('yaml') {
  yamlModule ??= createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return yamlModule;
}
const isAlias = (n: unknown) => yaml().isAlias(n);
const isMap = (n: unknown): n is YAMLMap => yaml().isMap(n);
const isPair = (n: unknown) => yaml().isPair(n);
const isScalar = (n: unknown): n is Scalar => yaml().isScalar(n);
const isSeq = (n: unknown): n is YAMLSeq => yaml().isSeq(n);
const parseDocument: typeof import('yaml').parseDocument = (...args) =>
  yaml().parseDocument(...args);

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

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
}

/** Join and normalise `/`-separated relative paths (`..` kept where it leaves the start). */
export function joinPath(...parts: string[]): string {
  const out: string[] = [];
  let absolute = false;
  for (const part of parts) {
    if (part.startsWith('/')) {
      out.length = 0;
      absolute = true;
    }
    for (const seg of part.split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (seg === '..' && absolute) continue;
      else out.push(seg);
    }
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
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

export interface CommandResult {
  /** The new value, or null when nothing changes. */
  next: string | string[] | null;
  changes: string[];
  problems: string[];
}

/**
 * Rewrite a command as Compose holds it: a string (split into words by Compose, no shell runs it)
 * or a list of words. The rewriters are the ones the Dockerfile's CMD goes through.
 */
export function rewriteCommand(
  value: string | string[],
  rewriters: Rewriter[],
  consoleScripts: Set<string>,
): CommandResult {
  const ctx = { consoleScripts };
  const out: CommandResult = { next: null, changes: [], problems: [] };
  if (typeof value === 'string') {
    const script = parseShell(value, 0, value.length, { escape: '\\', continuations: false });
    if (!script.ok || script.commands.length !== 1 || script.statements.length !== 1) {
      if (script.ok && script.commands.length > 1)
        out.problems.push(
          'the string holds shell operators, which Compose passes on as words (no shell runs it); left as is',
        );
      return out;
    }
    const words = script.commands[0].words;
    const inner = shellWrapped(words);
    let text = value;
    if (inner) {
      const r = rewriteAll(inner.script, rewriters, ctx, out);
      if (r !== inner.script)
        text = applyEdits(value, [
          { start: inner.word.start, end: inner.word.end, text: spell('shell', r) },
        ]);
    } else text = rewriteAll(value, rewriters, ctx, out);
    if (text !== value) out.next = text;
    return out;
  }
  const wrapped = shellWrapped(value.map((v, i) => ({ value: v, start: i, end: i })));
  if (wrapped) {
    const r = rewriteAll(wrapped.script, rewriters, ctx, out);
    if (r !== wrapped.script) out.next = value.map((v, i) => (i === 2 ? r : v));
    return out;
  }
  let words = value;
  for (const rewriter of rewriters) {
    const { text, words: ranged } = execText(words);
    const r = rewriter({ form: 'exec', words: ranged }, ctx);
    out.changes.push(...r.changes);
    out.problems.push(...r.problems);
    if (r.edits.length > 0) words = JSON.parse(applyEdits(text, r.edits)) as string[];
  }
  if (JSON.stringify(words) !== JSON.stringify(value)) out.next = words;
  return out;
}

function rewriteAll(
  script: string,
  rewriters: Rewriter[],
  ctx: { consoleScripts: Set<string> },
  out: CommandResult,
): string {
  let text = script;
  for (const rewriter of rewriters) {
    const r = rewriteString(text, rewriter, ctx);
    out.changes.push(...r.changes);
    out.problems.push(...r.problems);
    text = r.text;
  }
  return text;
}

/** A list of words as the text of a JSON array, with each element's range, for the rewriters. */
function execText(values: string[]): { text: string; words: Word[] } {
  let text = '[';
  const words: Word[] = [];
  values.forEach((v, i) => {
    if (i > 0) text += ', ';
    const s = JSON.stringify(v);
    words.push({ value: v, start: text.length, end: text.length + s.length });
    text += s;
  });
  return { text: `${text}]`, words };
}

/** The value of a `command:`/`entrypoint:` node as the rewriters take it, or why it cannot be. */
export function commandValue(
  doc: Document.Parsed,
  node: Node,
): { value: string | string[] } | { why: string } {
  if (isAlias(node)) return { why: `it is an alias (*${node.source}) shared with other keys` };
  if (node.anchor && aliased(doc, node.anchor))
    return { why: `it carries the anchor &${node.anchor}, which other keys use` };
  if (isScalar(node)) {
    if (typeof node.value !== 'string') return { why: 'it is not a string' };
    return { value: node.value };
  }
  if (isSeq(node)) {
    const values: string[] = [];
    for (const item of node.items) {
      if (!isScalar(item) || (item.anchor && aliased(doc, item.anchor)))
        return { why: 'an element is not a plain string' };
      if (typeof item.value !== 'string' && typeof item.value !== 'number')
        return { why: 'an element is not a string' };
      values.push(String(item.value));
    }
    return { value: values };
  }
  return { why: 'it is neither a string nor a list' };
}

/**
 * The edit that makes `node` hold `next`, on the file's text (offset: where the YAML starts), or
 * null when the rewritten text would not read back as `next`.
 */
export function editNode(
  text: string,
  offset: number,
  path: (string | number)[],
  node: Node,
  next: string | string[],
  key?: Node,
): Edit | null {
  const src = text.slice(offset);
  let edit: Edit | null = null;
  if (Array.isArray(next) && next.length === 0 && isSeq(node) && !node.flow) {
    // A block list emptied: `key: []` on the key's line, its lines gone.
    if (!key?.range) return null;
    const colon = src.indexOf(':', key.range[1]);
    if (colon < 0) return null;
    const items = node.items as Node[];
    const lastEnd = items.length > 0 ? items[items.length - 1].range![1] : node.range![1];
    edit = { start: colon + 1, end: lastEnd, text: ' []' };
  } else if (typeof next === 'string' && isScalar(node)) {
    const [start, end] = node.range!;
    edit = { start, end, text: renderScalar(next, node, src) };
  } else if (Array.isArray(next) && isSeq(node)) {
    edit = node.flow ? flowEdit(src, node, next) : blockEdit(src, node, next);
  }
  if (!edit) return null;
  const after = applyEdits(src, [edit]);
  const check = parseDocument(after, { uniqueKeys: false });
  if (check.errors.length > 0) return null;
  let got: unknown = check.toJS({ maxAliasCount: -1 });
  for (const key of path)
    got =
      got && typeof got === 'object' ? (got as Record<string | number, unknown>)[key] : undefined;
  const normalise = (v: unknown) =>
    JSON.stringify(
      Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.replace(/\n$/, '') : v,
    );
  if (normalise(got) !== normalise(next)) return null;
  return { start: edit.start + offset, end: edit.end + offset, text: edit.text };
}

/** A string in the quoting style the node had (plain only where it reads back unchanged). */
function renderScalar(value: string, like: Scalar, src: string): string {
  switch (like.type) {
    case 'QUOTE_SINGLE':
      return `'${value.replace(/'/g, "''")}'`;
    case 'QUOTE_DOUBLE':
      return JSON.stringify(value);
    case 'BLOCK_FOLDED':
    case 'BLOCK_LITERAL': {
      const [start, end] = like.range!;
      const raw = src.slice(start, end);
      const header = raw.slice(0, raw.indexOf('\n') + 1);
      const indent = /\n([ \t]*)\S/.exec(raw)?.[1] ?? '  ';
      const body = value.replace(/\n+$/, '');
      if (body.includes('\n')) return JSON.stringify(value);
      const tail = raw.endsWith('\n') ? '\n' : '';
      return `${header}${indent}${body}${tail}`;
    }
    default:
      return plainOrQuoted(value);
  }
}

function plainOrQuoted(value: string): string {
  const doc = parseDocument(`k: ${value}\n`);
  const node = doc.get('k', true);
  return doc.errors.length === 0 && isScalar(node) && node.value === value && node.type === 'PLAIN'
    ? value
    : JSON.stringify(value);
}

type Op =
  | { kind: 'keep' | 'replace'; old: number; value: string }
  | { kind: 'insert'; value: string }
  | { kind: 'delete'; old: number };

/** The old and new words aligned (longest common subsequence), deletions next to insertions paired. */
function align(old: string[], next: string[]): Op[] {
  const n = old.length;
  const m = next.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] =
        old[i] === next[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const raw: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && old[i] === next[j])
      raw.push({ kind: 'keep', old: i++, value: next[j++] });
    else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j]))
      raw.push({ kind: 'insert', value: next[j++] });
    else raw.push({ kind: 'delete', old: i++ });
  }
  // A deletion followed by an insertion (or the reverse) is one replacement in place.
  const ops: Op[] = [];
  for (let k = 0; k < raw.length; k++) {
    const a = raw[k];
    const b = raw[k + 1];
    if (a.kind === 'delete' && b?.kind === 'insert') {
      ops.push({ kind: 'replace', old: a.old, value: b.value });
      k++;
    } else if (a.kind === 'insert' && b?.kind === 'delete') {
      ops.push({ kind: 'replace', old: b.old, value: a.value });
      k++;
    } else ops.push(a);
  }
  return ops;
}

/** `[a, b, c]`: written again from its elements, kept elements in their own spelling. */
function flowEdit(src: string, node: YAMLSeq, next: string[]): Edit {
  const items = node.items as Scalar[];
  const old = items.map((i) => String(i.value));
  const parts: string[] = [];
  for (const op of align(old, next)) {
    if (op.kind === 'keep') parts.push(src.slice(items[op.old].range![0], items[op.old].range![1]));
    else if (op.kind === 'replace') parts.push(renderScalar(op.value, items[op.old], src));
    else if (op.kind === 'insert') parts.push(renderLike(op.value, items[0], src));
  }
  const [start, end] = node.range!;
  const close = src.lastIndexOf(']', end);
  return { start, end: close + 1, text: `[${parts.join(', ')}]` };
}

function renderLike(value: string, like: Scalar | undefined, src: string): string {
  return like && (like.type === 'QUOTE_DOUBLE' || like.type === 'QUOTE_SINGLE')
    ? renderScalar(value, like, src)
    : plainOrQuoted(value);
}

/** A block sequence: each element keeps its own lines; only the lines of changed elements differ. */
function blockEdit(src: string, node: YAMLSeq, next: string[]): Edit | null {
  const items = node.items as Scalar[];
  if (items.length === 0) return null;
  const lineStart = (at: number) => src.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = (at: number) => {
    const nl = src.indexOf('\n', at);
    return nl < 0 ? src.length : nl + 1;
  };
  const starts = items.map((i) => lineStart(i.range![0]));
  const last = items[items.length - 1];
  const regionEnd = lineEnd(Math.max(last.range![1] - 1, last.range![0]));
  // An element's lines: from the line after the previous element's value (so the comment lines
  // above an element go with it) to the same point of the next one.
  const from = items.map((_, k) =>
    k === 0 ? starts[0] : lineEnd(Math.max(items[k - 1].range![1] - 1, items[k - 1].range![0])),
  );
  const spans = items.map((_, k) => [from[k], k + 1 < items.length ? from[k + 1] : regionEnd]);
  const prefix = /^[ \t]*-[ \t]*/.exec(src.slice(starts[0]))?.[0];
  if (prefix === undefined) return null;
  const eol = src.includes('\r\n') ? '\r\n' : '\n';
  const old = items.map((i) => String(i.value));
  let out = '';
  for (const op of align(old, next)) {
    if (op.kind === 'keep') out += src.slice(spans[op.old][0], spans[op.old][1]);
    else if (op.kind === 'replace') {
      const item = items[op.old];
      out +=
        src.slice(spans[op.old][0], item.range![0]) +
        renderScalar(op.value, item, src) +
        src.slice(item.range![1], spans[op.old][1]);
    } else if (op.kind === 'insert') out += `${prefix}${renderLike(op.value, items[0], src)}${eol}`;
  }
  if (!out.endsWith('\n') && src.slice(starts[0], regionEnd).endsWith('\n')) out += eol;
  return { start: starts[0], end: regionEnd, text: out };
}

/** Whether an anchor is referenced by an alias anywhere in the document. */
export function aliased(doc: Document.Parsed, anchor: string): boolean {
  let found = false;
  yaml().visit(doc, {
    Alias(_, node) {
      if (node.source === anchor) found = true;
    },
  });
  return found;
}

/** The key node of `entrypoint:` (or another key) in a service, for edits on its line. */
export function keyNode(map: YAMLMap, key: string): Node | undefined {
  const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
  return pair && isPair(pair) ? (pair.key as Node) : undefined;
}
