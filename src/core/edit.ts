/**
 * Range edits on a text: sorted, non-overlapping, applied in one sweep. Like ESLint's fixer, an
 * edit group that overlaps one already taken is deferred to the next pass rather than merged.
 */
import type { Edit } from './types.js';

export interface ApplyResult {
  text: string;
  /** Indexes (into the groups given) of the groups that were applied. */
  applied: number[];
  /** Indexes of the groups that overlapped an earlier one and were left for the next pass. */
  deferred: number[];
}

/**
 * Apply groups of edits to `text`. A group is all or nothing: the edits of one finding. Groups are
 * taken in the order given; a group with an edit that overlaps a taken edit (or another edit of its
 * own group) is deferred. Two insertions at the same offset are both kept, in the order given.
 */
export function applyEditGroups(text: string, groups: Edit[][]): ApplyResult {
  const taken: Edit[] = [];
  const applied: number[] = [];
  const deferred: number[] = [];
  groups.forEach((group, index) => {
    if (group.length === 0) return;
    const ok = group.every(
      (e, i) =>
        e.start >= 0 &&
        e.end <= text.length &&
        e.start <= e.end &&
        !taken.some((t) => overlaps(t, e)) &&
        !group.some((o, j) => j !== i && overlaps(o, e)),
    );
    if (!ok) {
      deferred.push(index);
      return;
    }
    taken.push(...group);
    applied.push(index);
  });
  // Stable sort by position; same-offset insertions keep the order they were taken in.
  const order = taken
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  let out = '';
  let cursor = 0;
  for (const { e } of order) {
    out += text.slice(cursor, e.start) + e.text;
    cursor = e.end;
  }
  out += text.slice(cursor);
  return { text: out, applied, deferred };
}

export function applyEdits(text: string, edits: Edit[]): string {
  return applyEditGroups(
    text,
    edits.map((e) => [e]),
  ).text;
}

/** Two edits conflict when their replaced ranges intersect, or one inserts strictly inside the other. */
function overlaps(a: Edit, b: Edit): boolean {
  if (a.start === a.end && b.start === b.end) return false;
  if (a.start === a.end) return a.start > b.start && a.start < b.end;
  if (b.start === b.end) return b.start > a.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}
