/**
 * One file in the change sets of several Dockerfiles: a Compose file at the repository root with a
 * service per Dockerfile. Each migration saw the file as it is on disk, so writing their results one
 * after the other would keep only the last one's edits, and the run's diff would patch the file
 * twice. Here the edits of every change set are laid over the one original text and the joined
 * result is carried by the first change set that touches the file; the others say where it went.
 */
import { lineEdits } from '../core/review.js';
import type { MigrationResult } from '../core/types.js';
import { applyEditGroups } from '../core/edit.js';
import type { Processed } from './process-file.js';

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
    const change = (h: (typeof holders)[number]) => h.p.result.changes[h.index];
    const base = change(first);
    // Edits can be laid over one text only when every change set read the same existing file (two
    // created files have no common text to edit). Groups that overlap an earlier one are left out.
    const before = base.before;
    const joined =
      before !== null && rest.every((h) => change(h).before === before)
        ? applyEditGroups(
            before,
            holders.map((h) => lineEdits(before, change(h).after)),
          )
        : null;
    if (joined) base.after = joined.text;
    rest.forEach((h, k) => {
      h.p.result.notes.push(
        joined?.applied.includes(k + 1)
          ? `${change(h).path}: its changes for this Dockerfile are written with ${first.p.result.path}'s`
          : before === null
            ? `${change(h).path}: ${first.p.result.path}'s migration creates it too; this one's version is left for a second run`
            : `${change(h).path}: ${first.p.result.path}'s migration changes the same lines; this one's changes to it are left for a second run`,
      );
      drops.set(h.p, (drops.get(h.p) ?? new Set()).add(h.index));
    });
  }
  for (const [p, indexes] of drops) {
    const result: MigrationResult = p.result;
    result.changes = result.changes.filter((_, i) => !indexes.has(i));
    p.targets = p.targets.filter((_, i) => !indexes.has(i));
    if (result.changes.length === 0) result.status = 'unchanged';
  }
}
