/**
 * YAML read and edited losslessly, with the `yaml` package's document API (nodes with their source
 * ranges): an edit replaces the source text of the one node that changes, so comments, order,
 * quoting and anchors elsewhere keep their bytes, and every edit is checked by parsing the result
 * again.
 */
import type { Document, Node, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { applyEdits } from './edit.js';
import { lazyModule } from './modules.js';
import type { Edit } from './types.js';

/**
 * The `yaml` package, loaded on first use: most runs meet no Compose file, and loading it costs
 * ~30 ms of every start.
 */
let yamlModule: typeof import('yaml') | null = null;
export function yaml(): typeof import('yaml') {
  yamlModule ??= lazyModule('yaml');
  return yamlModule;
}
export const isAlias = (n: unknown) => yaml().isAlias(n);
export const isMap = (n: unknown): n is YAMLMap => yaml().isMap(n);
export const isPair = (n: unknown) => yaml().isPair(n);
export const isScalar = (n: unknown): n is Scalar => yaml().isScalar(n);
export const isSeq = (n: unknown): n is YAMLSeq => yaml().isSeq(n);
export const parseDocument: typeof import('yaml').parseDocument = (...args) =>
  yaml().parseDocument(...args);

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
