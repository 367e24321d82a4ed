/**
 * One file in the change sets of several Dockerfiles: a Compose file at the repository root with a
 * service per Dockerfile. Each migration saw the file as it is on disk, so writing their results one
 * after the other would keep only the last one's edits, and the run's diff would patch the file
 * twice. Here the edits of every change set are laid over the one original text and the joined
 * result is carried by the first change set that touches the file; the others say where it went.
 */
import { diffLines } from 'diff';
import type { Edit, MigrationResult } from '../core/types.js';
import { applyEdits } from '../core/edit.js';
import type { Processed } from './process-file.js';

/** The line-level edits that turn `before` into `after`. */
export function editsBetween(before: string, after: string): Edit[] {
  const edits: Edit[] = [];
  let at = 0;
  for (const part of diffLines(before, after)) {
    if (part.removed) {
      edits.push({ start: at, end: at + part.value.length, text: '' });
      at += part.value.length;
    } else if (part.added) {
      const prev = edits[edits.length - 1];
      if (prev && prev.end === at && prev.text === '') prev.text = part.value;
      else edits.push({ start: at, end: at, text: part.value });
    } else at += part.value.length;
  }
  return edits;
}

function overlapping(edits: Edit[]): boolean {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1];
    const b = sorted[i];
    if (b.start < a.end || (b.start === a.start && a.start === a.end && b.start === b.end))
      return true;
  }
  return false;
}

/** Join the changes several results make to one file (in place). */
export function joinSharedChanges(processed: Processed[]): void {
  const byTarget = new Map<string, { p: Processed; index: number }[]>();
  for (const p of processed) {
    if (p.result.status !== 'changed') continue;
    p.targets.forEach((target, index) => {
      byTarget.set(target, [...(byTarget.get(target) ?? []), { p, index }]);
    });
  }
  const drops = new Map<Processed, Set<number>>();
  for (const [, holders] of byTarget) {
    if (holders.length < 2) continue;
    const [first, ...rest] = holders;
    const base = first.p.result.changes[first.index];
    const sameBase = rest.every((h) => h.p.result.changes[h.index].before === base.before);
    const edits = holders.flatMap((h) =>
      editsBetween(base.before ?? '', h.p.result.changes[h.index].after),
    );
    const joinable = sameBase && base.before !== null && !overlapping(edits);
    if (joinable) base.after = applyEdits(base.before!, edits);
    for (const h of rest) {
      const change = h.p.result.changes[h.index];
      h.p.result.notes.push(
        joinable
          ? `${change.path}: its changes for this Dockerfile are written with ${first.p.result.path}'s`
          : `${change.path}: ${first.p.result.path}'s migration changes the same lines; this one's changes to it are left for a second run`,
      );
      drops.set(h.p, (drops.get(h.p) ?? new Set()).add(h.index));
    }
  }
  for (const [p, indexes] of drops) {
    const result: MigrationResult = p.result;
    result.changes = result.changes.filter((_, i) => !indexes.has(i));
    p.targets = p.targets.filter((_, i) => !indexes.has(i));
    if (result.changes.length === 0) result.status = 'unchanged';
  }
}
