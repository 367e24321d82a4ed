/**
 * The one document every output format renders: what a run found, per file, in plain data. Built
 * from the results by a pure function; `--format json` prints it as it is (see
 * `schema/report.schema.json`), SARIF, Markdown and HTML are views of it.
 */
import type { MigrationResult, Severity } from '../core/types.js';
import { changeHunks, unifiedDiff, type Hunk } from './diff.js';
import { incomplete } from './exit-code.js';

export const SCHEMA_VERSION = 1;

export type FileStatus = 'changed' | 'unchanged' | 'skipped' | 'error';

export interface FindingReport {
  /** Transform id. */
  transform: string;
  title: string;
  /** Why the transform exists: the text a reviewer reads. */
  rationale: string;
  severity: Severity;
  message: string;
  /** The file the finding is about when it is not the Dockerfile (a Compose file), else null. */
  file: string | null;
  /** 1-based lines of the original file the finding points at, or null for the file as a whole. */
  lines: { start: number; end: number } | null;
  fixed: boolean;
  /** Why it was not fixed (the finding's own explanation), or null when fixed. */
  notFixedReason: string | null;
}

export interface FileReport {
  /** The Dockerfile (or the path given), relative to the working directory. */
  path: string;
  status: FileStatus;
  /** An error-severity finding was left unfixed: a person must finish the file. */
  incomplete: boolean;
  /** Every file of the change set, the Dockerfile first. */
  changedFiles: string[];
  findings: FindingReport[];
  /** The unified diff of the change set (empty when nothing changes). */
  diff: string;
  /** The same change set as replacements of each file's original text, the diff's order. */
  hunks: Hunk[];
  /** Why the file could not be processed or written (status `error`), or why it was skipped. */
  errors: string[];
  notes: string[];
}

/** What became of a repository in `pr` or `org`: a PR opened or updated, or why not. */
export type RepositoryOutcome = 'opened' | 'updated' | 'unchanged' | 'skipped' | 'failed';

/** What `org` did with one repository (the report of an organisation run carries one each). */
export interface RepositoryReport {
  repository: string;
  outcome: RepositoryOutcome;
  detail: string;
  pr: { number: number; url: string } | null;
}

export interface Report {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'dockmig'; version: string };
  mode: 'dry-run' | 'write' | 'check';
  summary: {
    files: number;
    changed: number;
    unchanged: number;
    skipped: number;
    errors: number;
    incomplete: number;
    /** Errors and skips counted by reason (line numbers and quoted names folded). */
    byReason: Record<string, number>;
  };
  files: FileReport[];
  /** `org` only: each repository's outcome (a PR opened, skipped and why, failed and why). */
  repositories?: RepositoryReport[];
}

export interface Problem {
  path: string;
  message: string;
}

export interface TransformInfo {
  id: string;
  title: string;
  rationale: string;
}

export function buildReport(input: {
  version: string;
  mode: Report['mode'];
  results: readonly MigrationResult[];
  problems?: readonly Problem[];
  skipped?: readonly Problem[];
  transforms: readonly TransformInfo[];
}): Report {
  const rationale = new Map(input.transforms.map((t) => [t.id, t.rationale]));
  const files: FileReport[] = [
    ...(input.problems ?? []).map((p) => bare(p, 'error')),
    ...(input.skipped ?? []).map((p) => bare(p, 'skipped')),
    ...input.results.map((r): FileReport => ({
      path: r.path,
      status: r.status,
      incomplete: r.status !== 'error' && incomplete(r),
      changedFiles: r.changes.map((c) => c.path),
      findings: r.findings.map((f) => ({
        transform: f.transform,
        title: f.title,
        rationale: rationale.get(f.transform) ?? '',
        severity: f.severity,
        message: f.message,
        file: f.file ?? null,
        lines: f.line ? { start: f.line, end: f.endLine ?? f.line } : null,
        fixed: f.fixed,
        notFixedReason: f.fixed ? null : f.message,
      })),
      diff: unifiedDiff(r.changes),
      hunks: r.changes.flatMap((c) => changeHunks(c.path, c.before ?? '', c.after)),
      errors: r.errors,
      notes: r.notes,
    })),
  ];
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'dockmig', version: input.version },
    mode: input.mode,
    summary: summarize(files),
    files,
  };
}

/** The counts of a list of file reports. */
export function summarize(files: readonly FileReport[]): Report['summary'] {
  const count = (s: FileStatus) => files.filter((f) => f.status === s).length;
  const byReason: Record<string, number> = {};
  for (const f of files) {
    if (f.status !== 'error' && f.status !== 'skipped') continue;
    const key = reasonKey(f.errors[0] ?? f.status);
    byReason[key] = (byReason[key] ?? 0) + 1;
  }
  return {
    files: files.length,
    changed: count('changed'),
    unchanged: count('unchanged'),
    skipped: count('skipped'),
    errors: count('error'),
    incomplete: files.filter((f) => f.incomplete).length,
    byReason,
  };
}

/** Several reports as one (shards of one organisation): files joined, counts recomputed. */
export function mergeReports(reports: readonly Report[], version: string): Report {
  const files = reports.flatMap((r) => r.files).sort((a, b) => (a.path < b.path ? -1 : 1));
  const modes = new Set(reports.map((r) => r.mode));
  const repositories = reports.some((r) => r.repositories)
    ? reports
        .flatMap((r) => r.repositories ?? [])
        .sort((a, b) => (a.repository < b.repository ? -1 : 1))
    : undefined;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'dockmig', version },
    mode: modes.size === 1 ? reports[0].mode : 'dry-run',
    summary: summarize(files),
    files,
    ...(repositories ? { repositories } : {}),
  };
}

/** Paths of a report under a prefix (a repository's name in an organisation report). */
export function prefixReport(report: Report, prefix: string): Report {
  const p = (path: string) => `${prefix}/${path}`;
  const files = report.files.map((f) => ({
    ...f,
    path: p(f.path),
    changedFiles: f.changedFiles.map(p),
    diff: f.diff
      .split('\n')
      .map((line) => {
        if (line.startsWith('diff --git a/')) {
          // Both sides name the same path: `diff --git a/<path> b/<path>`.
          const rest = line.slice('diff --git a/'.length);
          const path = rest.slice(0, (rest.length - 3) / 2);
          return `diff --git a/${p(path)} b/${p(path)}`;
        }
        const head = /^(--- a\/|\+\+\+ b\/)/.exec(line);
        return head ? head[1] + p(line.slice(head[1].length)) : line;
      })
      .join('\n'),
    hunks: f.hunks.map((h) => ({ ...h, file: p(h.file) })),
  }));
  return { ...report, files, summary: summarize(files) };
}

function bare(p: Problem, status: 'error' | 'skipped'): FileReport {
  return {
    path: p.path,
    status,
    incomplete: false,
    changedFiles: [],
    findings: [],
    diff: '',
    hunks: [],
    errors: [p.message],
    notes: [],
  };
}

/** `unknown instruction FROOM on line 2` -> `unknown instruction FROOM on line N`. */
export function reasonKey(reason: string): string {
  return reason
    .replace(/\b(line|lines) \d+/g, '$1 N')
    .replace(/\b\d[\d,.]* (bytes|KiB|MiB)\b/g, 'N $1')
    .replace(/\(.*?\)$/, '')
    .trim();
}

/** `12 files: 9 changed, 2 unchanged, 1 error` (then skipped and incomplete when there are any). */
export function totalLine(summary: Report['summary']): string {
  const { files, changed, unchanged, errors, skipped, incomplete } = summary;
  return (
    `${files} file${files === 1 ? '' : 's'}: ${changed} changed, ${unchanged} unchanged, ${errors} error${errors === 1 ? '' : 's'}` +
    (skipped > 0 ? `, ${skipped} skipped` : '') +
    (incomplete > 0 ? `; ${incomplete} left incomplete` : '')
  );
}
