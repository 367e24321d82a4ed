/**
 * The migration engine: one transform at a time, in the declared order, re-parsing after each,
 * until a whole pass changes nothing. Untouched bytes stay identical; BOM, line endings, directives
 * and the final newline are kept; an output that would not parse as well as the input is refused.
 */
import { Doc, parse } from './document.js';
import { applyEditGroups } from './edit.js';
import { activeTransforms, kindDocument, projectKind } from './project-kind.js';
import type { Transform } from './transform.js';
import type {
  Edit,
  FileChange,
  MigrationOptions,
  MigrationResult,
  ProjectContext,
  ReportedFinding,
} from './types.js';
import { documentProblem, inputProblem, outputRegression } from './validate.js';

/** Passes over the whole transform list before the engine gives up on reaching a fixed point. */
export const MAX_PASSES = 8;
const BOM = '\uFEFF';

export interface MigrationInput {
  /** The Dockerfile's path as the caller names it (messages, diffs). */
  path: string;
  text: string;
  context: ProjectContext;
  /**
   * The parse of `text` without its BOM, when the caller already has it (to read the context):
   * it is not parsed again. One of another text is ignored.
   */
  doc?: Doc;
}

/**
 * The document the engine migrates: the text without its BOM, parsed; null when the raw text is
 * no Dockerfile at all (empty, binary), which migrate() refuses before parsing.
 */
export function dockerfileDoc(text: string): Doc | null {
  const body = text.startsWith(BOM) ? text.slice(BOM.length) : text;
  return inputProblem(body) ? null : parse(body);
}

/**
 * What a caller decides about a migration's findings (interactive review, an editor's quick-fix):
 * a finding `accept` says no to keeps its edits out, is reported with `declined`, and the
 * transforms after it see the file without them.
 */
export interface MigrationControls {
  accept?(finding: FindingKey): boolean;
}

/** A finding's identity across runs of the same input: its transform and its message. */
export interface FindingKey {
  transform: string;
  message: string;
}

const keyOf = (f: FindingKey) => `${f.transform}\0${f.message}`;

export function sameFinding(a: FindingKey, b: FindingKey): boolean {
  return a.transform === b.transform && a.message === b.message;
}

export function migrate(
  input: MigrationInput,
  options: MigrationOptions,
  transforms: readonly Transform[],
  controls: MigrationControls = {},
): MigrationResult {
  const bom = input.text.startsWith(BOM);
  const original = bom ? input.text.slice(BOM.length) : input.text;
  const result: MigrationResult = {
    path: input.path,
    status: 'unchanged',
    changes: [],
    findings: [],
    errors: [],
    notes: [...input.context.problems],
  };
  const fail = (reason: string): MigrationResult => ({
    ...result,
    status: 'error',
    changes: [],
    errors: [reason],
  });

  const problem = inputProblem(original);
  if (problem) return fail(problem);
  const inputDoc = input.doc?.text === original ? input.doc : parse(original);
  const invalid = documentProblem(inputDoc);
  if (invalid) return fail(invalid);

  const kind = projectKind(kindDocument(inputDoc, transforms, options), input.context);
  if (kind.note) result.notes.push(kind.note);
  const active = activeTransforms(transforms, kind, options);

  const dockerfileKey = input.context.dockerfile;
  const before = new Map<string, string>([
    [dockerfileKey, original],
    ...Object.entries(input.context.files),
  ]);
  let settled: Settled;
  try {
    settled = settle(inputDoc, before, dockerfileKey, input.context, active, options, controls);
  } catch (error) {
    const failed = fail(
      `internal error while migrating, a bug in dockmig (please report it with this file; DOCKMIG_DEBUG=1 shows where): ${error instanceof Error ? error.message : String(error)}`,
    );
    return {
      ...failed,
      internal: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
  if ('error' in settled) return fail(settled.error);

  result.findings = settled.findings;
  const regression = outputRegression(inputDoc, settled.doc);
  if (regression) {
    return fail(`the migrated file would be invalid (${regression}); the file was left unchanged`);
  }
  result.changes = changeSet(before, settled.files, dockerfileKey, bom);
  result.status = result.changes.length > 0 ? 'changed' : 'unchanged';
  return result;
}

type Settled =
  { doc: Doc; files: Map<string, string>; findings: ReportedFinding[] } | { error: string };

/**
 * The transforms run in order, pass after pass, until a whole pass changes nothing: the settled
 * Dockerfile, the files of its change set, and what was found. A finding is applied whole or
 * deferred whole; the findings kept are the fixed ones and those of the settling pass.
 */
function settle(
  inputDoc: Doc,
  before: Map<string, string>,
  dockerfileKey: string,
  context: ProjectContext,
  active: readonly Transform[],
  options: MigrationOptions,
  controls: MigrationControls,
): Settled {
  const files = new Map(before);
  let doc = inputDoc;
  const seen = new Map<string, ReportedFinding>();
  // Findings of the settling pass: what is still there. A finding left unfixed in an earlier pass
  // that a later edit resolved (or reworded) is not reported.
  const lastPass = new Set<string>();
  const history = new Set<string>([snapshotOf(files)]);
  // The edits applied to the Dockerfile so far, batch by batch: where a later finding points is
  // mapped back through them to the original text.
  const trail: Edit[][] = [];
  const declinedTransforms = new Set<string>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let passChanged = false;
    lastPass.clear();
    for (const transform of active) {
      const text = files.get(dockerfileKey)!;
      const trailBefore = trail.length;
      doc = text === doc.text ? doc : parse(text);
      const ctx = contextWith(context, files, dockerfileKey);
      const findings = transform.detect(doc, ctx, options);
      if (findings.length === 0) continue;
      const declined = new Set<number>();
      if (controls.accept) {
        findings.forEach((finding, i) => {
          if (!finding.edits?.length) return;
          const key = { transform: transform.id, message: finding.message };
          // A transform said no to makes no new fix in a later pass: the split declined is not
          // made anyway once the user added to the single stage rewords it.
          const reworded = declinedTransforms.has(transform.id) && !seen.has(keyOf(key));
          if (reworded || !controls.accept!(key)) declined.add(i);
        });
        if (declined.size > 0) declinedTransforms.add(transform.id);
      }

      // Group each finding's edits by file; a finding is applied whole or deferred whole.
      const groupsByFile = new Map<string, { finding: number; edits: Edit[] }[]>();
      findings.forEach((finding, i) => {
        if (declined.has(i)) return;
        const byFile = new Map<string, Edit[]>();
        for (const edit of finding.edits ?? []) {
          const key = edit.file ?? dockerfileKey;
          byFile.set(key, [...(byFile.get(key) ?? []), edit]);
        }
        for (const [key, edits] of byFile) {
          groupsByFile.set(key, [...(groupsByFile.get(key) ?? []), { finding: i, edits }]);
        }
      });
      const fixed = new Set<number>();
      for (const [key, groups] of groupsByFile) {
        const current = files.get(key) ?? '';
        const applied = applyEditGroups(
          current,
          groups.map((g) => g.edits),
        );
        for (const gi of applied.applied) fixed.add(groups[gi].finding);
        if (key === dockerfileKey && applied.applied.length > 0)
          trail.push(applied.applied.flatMap((gi) => groups[gi].edits));
        if (applied.text !== files.get(key)) {
          // Nothing to create: a file that does not exist stays absent.
          if (!files.has(key) && applied.text === '') continue;
          files.set(key, applied.text);
          passChanged = true;
        }
      }
      // Where this transform's findings point, in the original text: the edits applied before it ran.
      const seenTrail = trail.slice(0, trailBefore);
      findings.forEach((finding, i) => {
        const key = keyOf({ transform: transform.id, message: finding.message });
        lastPass.add(key);
        const prior = seen.get(key);
        const wasFixed = fixed.has(i) && (finding.edits?.length ?? 0) > 0;
        if (prior) {
          prior.fixed ||= wasFixed;
          return;
        }
        const range =
          finding.file !== undefined
            ? finding.range
            : finding.range && {
                start: mapBack(finding.range.start, seenTrail, 'start'),
                end: mapBack(finding.range.end, seenTrail, 'end'),
              };
        seen.set(key, {
          transform: transform.id,
          title: transform.title,
          message: finding.message,
          severity: finding.severity ?? (finding.edits?.length ? 'warning' : 'info'),
          fixed: wasFixed,
          ...(declined.has(i) ? { declined: true } : {}),
          ...(range ? { range } : {}),
          ...(finding.missingDigest ? { missingDigest: finding.missingDigest } : {}),
          ...(finding.file !== undefined
            ? { file: finding.file, ...linesIn(before.get(finding.file) ?? null, finding.range) }
            : range
              ? {
                  line: inputDoc.lineOf(range.start) + 1,
                  endLine: inputDoc.lineOf(Math.max(range.start, range.end - 1)) + 1,
                }
              : {}),
        });
      });
    }
    if (!passChanged) {
      const output = files.get(dockerfileKey)!;
      return {
        doc: output === doc.text ? doc : parse(output),
        files,
        findings: [...seen].filter(([k, f]) => f.fixed || lastPass.has(k)).map(([, f]) => f),
      };
    }
    const snapshot = snapshotOf(files);
    if (history.has(snapshot))
      return {
        error: 'the transforms undo each other and never settle; the file was left unchanged',
      };
    history.add(snapshot);
  }
  return {
    error: `the transforms did not settle after ${MAX_PASSES} passes; the file was left unchanged`,
  };
}

/** The files whose text the migration changed, the Dockerfile first (its BOM given back). */
function changeSet(
  before: Map<string, string>,
  after: Map<string, string>,
  dockerfileKey: string,
  bom: boolean,
): FileChange[] {
  const changes: FileChange[] = [];
  for (const [path, text] of after) {
    const prior = before.get(path) ?? null;
    if (text === prior) continue;
    const withBom = path === dockerfileKey && bom;
    changes.push({
      path,
      before: prior === null ? null : withBom ? BOM + prior : prior,
      after: withBom ? BOM + text : text,
    });
  }
  return changes.sort((a, b) =>
    a.path === dockerfileKey ? -1 : b.path === dockerfileKey ? 1 : a.path.localeCompare(b.path),
  );
}

/**
 * An offset in the text the batches of `trail` produced, in the text before them: bytes no edit
 * touched map to where they were, a point inside inserted or replaced text to the edge of what it
 * replaced (its start for a range's start, its end for a range's end).
 */
export function mapBack(offset: number, trail: readonly Edit[][], side: 'start' | 'end'): number {
  let at = offset;
  for (let b = trail.length - 1; b >= 0; b--) {
    const edits = [...trail[b]].sort((x, y) => x.start - y.start || x.end - y.end);
    let delta = 0;
    let mapped: number | null = null;
    for (const e of edits) {
      const from = e.start + delta;
      const to = from + e.text.length;
      if (at <= from) break;
      if (at < to) {
        mapped = side === 'start' ? e.start : e.end;
        break;
      }
      delta += e.text.length - (e.end - e.start);
    }
    at = mapped ?? at - delta;
  }
  return at;
}

/** 1-based lines of a range in another file's original text. */
function linesIn(
  text: string | null,
  range: { start: number; end: number } | undefined,
): { line?: number; endLine?: number } {
  if (text === null || !range || range.end > text.length) return {};
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  return { line: lineAt(range.start), endLine: lineAt(Math.max(range.start, range.end - 1)) };
}

function snapshotOf(files: Map<string, string>): string {
  return JSON.stringify([...files]);
}

function contextWith(
  base: ProjectContext,
  files: Map<string, string>,
  dockerfileKey: string,
): ProjectContext {
  const others: Record<string, string> = {};
  for (const [path, text] of files) {
    if (path !== dockerfileKey) others[path] = text;
  }
  return { ...base, files: others };
}
