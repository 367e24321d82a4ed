/**
 * A migration reviewed finding by finding: what one finding's fix is on its own, and which other
 * fixes go when it is declined. The editor's quick-fixes and `dockmig --interactive` both ask
 * here, so a fix is the same change wherever it is taken. Each answer is another run of the same
 * engine with some findings declined (MigrationControls): nothing is re-derived by hand.
 */
import { diffLines } from 'diff';
import { buildContext, gatherContext, type ContextReader } from './context.js';
import {
  dockerfileDoc,
  migrate,
  sameFinding,
  type FindingKey,
  type MigrationInput,
} from './engine.js';
import type { Transform } from './transform.js';
import type { Edit, MigrationOptions, MigrationResult, ReportedFinding } from './types.js';

export interface ReviewInput {
  input: MigrationInput;
  options: MigrationOptions;
  transforms: readonly Transform[];
}

/**
 * The engine's inputs for the text of a Dockerfile named `path`, at `dockerfile` in the build
 * context `reader` reads (the disk, an editor's workspace, a plain object of files). A text the
 * engine will refuse (empty, binary) gets an empty context: there is nothing to gather for.
 */
export function reviewInputOf(
  path: string,
  dockerfile: string,
  text: string,
  reader: ContextReader,
  options: MigrationOptions,
  transforms: readonly Transform[],
): ReviewInput {
  const doc = dockerfileDoc(text);
  const context = doc
    ? gatherContext(doc, dockerfile, reader, { scanSources: options.compose })
    : buildContext({ dockerfile, files: {} });
  return { input: { path, text, context, ...(doc ? { doc } : {}) }, options, transforms };
}

/** The findings of a result whose fix was applied, in the order the engine reported them. */
export function fixedFindings(result: MigrationResult): ReportedFinding[] {
  return result.findings.filter((f) => f.fixed);
}

/** The migration with only the fixes `accepted` says yes to. */
export function migrateAccepting(
  review: ReviewInput,
  accepted: (finding: FindingKey) => boolean,
): MigrationResult {
  return migrate(review.input, review.options, review.transforms, { accept: accepted });
}

/**
 * The fixed findings of `result` lost when `declined` says no: per transform, when fewer of its
 * findings are fixed than before, those whose exact wording is gone. (A fix that stands reworded,
 * `CMD in exec form` of a command another fix did not rewrite, is not lost.)
 */
function lost(
  review: ReviewInput,
  result: MigrationResult,
  declined: (finding: FindingKey) => boolean,
  accepted: (finding: FindingKey) => boolean = () => true,
): ReportedFinding[] {
  const after = fixedFindings(migrateAccepting(review, (f) => !declined(f) && accepted(f)));
  const out: ReportedFinding[] = [];
  const before = fixedFindings(result).filter((f) => !declined(f));
  for (const transform of new Set(before.map((f) => f.transform))) {
    const was = before.filter((f) => f.transform === transform);
    const now = after.filter((f) => f.transform === transform);
    if (now.length < was.length)
      out.push(...was.filter((f) => !now.some((n) => sameFinding(n, f))));
  }
  return out;
}

/**
 * The other fixes of `result` that go when `finding` is declined: the ones that stand on it (the
 * user and the HEALTHCHECK live in the runtime stage the split makes). `result` is the migration
 * with `accepted` (all fixes when not given): a review that has already said no to some fixes
 * asks with its decisions, so that a fix is not counted lost for wording that only those changed.
 */
export function goesWith(
  review: ReviewInput,
  result: MigrationResult,
  finding: FindingKey,
  accepted?: (finding: FindingKey) => boolean,
): ReportedFinding[] {
  return lost(review, result, (f) => sameFinding(f, finding), accepted);
}

export interface LoneFix {
  /** The migration with this fix and those it needs, nothing else. */
  result: MigrationResult;
  /** The transforms whose fixes are taken with it because it stands on them. */
  needs: string[];
  /**
   * Later fixes taken with it because the file would be refused without them (the split leaves
   * `uv run` in a stage without uv until no-uv-at-runtime takes it out).
   */
  completes: ReportedFinding[];
}

/**
 * The fewest of `candidates` to accept besides what `accepted` says yes to for the migration to
 * be one the engine does not refuse: none when it is not refused; null when even all of them do
 * not help. Each candidate is tried away in turn, in order, so what is left is needed.
 */
export function completing(
  review: ReviewInput,
  accepted: (finding: FindingKey) => boolean,
  candidates: readonly ReportedFinding[],
): ReportedFinding[] | null {
  const valid = (taken: readonly FindingKey[]) =>
    migrateAccepting(review, (f) => accepted(f) || taken.some((t) => sameFinding(t, f))).status !==
    'error';
  if (valid([])) return [];
  if (!valid(candidates)) return null;
  let taken = [...candidates];
  for (const candidate of candidates) {
    const fewer = taken.filter((t) => t !== candidate);
    if (valid(fewer)) taken = fewer;
  }
  return taken;
}

/**
 * One finding's fix taken alone, with the fixes of the earlier transforms it cannot do without
 * (those whose declining loses it) and the later ones without which the file would be refused;
 * null when the finding has no fix in `result`, or none that makes a file the engine accepts.
 * Fixes are matched by transform for what it needs, since declining the others may reword them.
 */
export function fixAlone(
  review: ReviewInput,
  result: MigrationResult,
  finding: FindingKey,
): LoneFix | null {
  const fixed = fixedFindings(result);
  const index = fixed.findIndex((f) => sameFinding(f, finding));
  if (index < 0) return null;
  const siblings = fixed.filter(
    (f) => f.transform === finding.transform && !sameFinding(f, finding),
  );
  // Itself, or itself reworded: a finding of its transform that is none of its siblings.
  const itself = (f: FindingKey) =>
    f.transform === finding.transform && !siblings.some((s) => sameFinding(s, f));
  const earlier = [...new Set(fixed.slice(0, index).map((f) => f.transform))].filter(
    (t) => t !== finding.transform,
  );
  const needs = earlier.filter((t) =>
    lost(review, result, (f) => f.transform === t).some((f) => sameFinding(f, finding)),
  );
  const accepted = (f: FindingKey) => itself(f) || needs.includes(f.transform);
  const later = fixed.slice(index + 1).filter((f) => !accepted(f));
  const completes = completing(review, accepted, later);
  if (completes === null) return null;
  return {
    result: migrateAccepting(
      review,
      (f) => accepted(f) || completes.some((c) => sameFinding(c, f)),
    ),
    needs,
    completes,
  };
}

/**
 * The edits that turn `before` into `after`, one per run of changed lines: an editor applying
 * them touches only those lines (and keeps its cursor and marks elsewhere).
 */
export function lineEdits(before: string, after: string): Edit[] {
  const edits: Edit[] = [];
  let offset = 0;
  let pending: Edit | null = null;
  for (const part of diffLines(before, after)) {
    if (part.added) {
      pending ??= { start: offset, end: offset, text: '' };
      pending.text += part.value;
    } else if (part.removed) {
      pending ??= { start: offset, end: offset, text: '' };
      offset += part.value.length;
      pending.end = offset;
    } else {
      if (pending) edits.push(pending);
      pending = null;
      offset += part.value.length;
    }
  }
  if (pending) edits.push(pending);
  return edits;
}
