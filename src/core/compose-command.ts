/**
 * A Compose `command:`/`entrypoint:` override rewritten the way a CMD is: the value as Compose
 * holds it (a string Compose splits into words, no shell running it, or a list of words) through
 * the same rewriters as the Dockerfile's command.
 */
import type { Document, Node } from 'yaml';
import { applyEdits } from './edit.js';
import {
  rewriteString,
  shellWrapped,
  spell,
  type RewriteContext,
  type Rewriter,
  type Word,
} from './command.js';
import { mergedCommand, type ComposeService, type ParsedCompose } from './compose.js';
import { onlyUvRunPrefix } from './runtime-command.js';
import { parseShell } from './shell.js';
import { aliased, isAlias, isScalar, isSeq } from './yaml-edit.js';

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
export function rewriteCommand(value: string | string[], rewriters: Rewriter[]): CommandResult {
  const ctx = {};
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
  ctx: RewriteContext,
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
 * A service's `command:` or `entrypoint:`: set on the service (its node, with the value as the
 * rewriters take it or why it cannot be read), given through a merge key (`<<: *defaults`, so
 * rewritten where it is written, not here), or null when the service has none.
 */
export function commandOverride(
  parsed: ParsedCompose,
  service: ComposeService,
  key: 'command' | 'entrypoint',
):
  | { node: Node; value: string | string[] }
  | { node: Node; why: string }
  | { merged: string | string[] }
  | null {
  const node = service.node.get(key, true);
  if (node === undefined || node === null) {
    const merged = mergedCommand(parsed, service, key);
    return merged === null ? null : { merged };
  }
  return { node, ...commandValue(parsed.doc, node) };
}

/** An entrypoint of `uv run [options]` alone (string or list), as written for a message, or null. */
export function uvRunPrefix(value: string | string[]): string | null {
  let words: (string | null)[] = typeof value === 'string' ? [] : value;
  if (typeof value === 'string') {
    const script = parseShell(value, 0, value.length, { escape: '\\', continuations: false });
    if (!script.ok || script.commands.length !== 1) return null;
    words = script.commands[0].words.map((w) => w.value);
  }
  return onlyUvRunPrefix(words) ? words.join(' ') : null;
}
