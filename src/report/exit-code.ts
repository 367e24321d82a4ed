/** The exit code of a run, from what happened: a pure function of the results. */
import type { MigrationStatus, ReportedFinding } from '../core/types.js';

/** What the exit code looks at in a result. */
export interface Outcome {
  status: MigrationStatus;
  findings?: readonly Pick<ReportedFinding, 'severity' | 'fixed'>[];
}

export type Mode = 'dry-run' | 'write' | 'check';

/**
 * 2: a usage error, a file that could not be processed, or a file left incomplete (an error-severity
 * finding that was not fixed: a secret in ENV, a construct left to a person); it wins over the rest.
 * 1: `--check` and something would change. 0: otherwise (a dry run shows the diff and succeeds).
 */
export function exitCode(results: readonly Outcome[], mode: Mode, problems = 0): 0 | 1 | 2 {
  if (problems > 0 || results.some((r) => r.status === 'error' || incomplete(r))) return 2;
  if (mode === 'check' && results.some((r) => r.status === 'changed')) return 1;
  return 0;
}

/** A file whose migration left an error-severity finding unfixed. */
export function incomplete(r: Pick<Outcome, 'findings'>): boolean {
  return (r.findings ?? []).some((f) => f.severity === 'error' && !f.fixed);
}
