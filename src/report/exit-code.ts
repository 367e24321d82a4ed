/**
 * The exit codes of `run`, `pr` and `org`: pure functions of what happened, one rule for the three.
 *
 * 2: something needs a person. A usage error (thrown, it never reaches these functions); a file
 *    that could not be read, migrated or written; a file left incomplete (an error-severity finding
 *    not fixed: a secret in ENV, a construct left to a person); a repository that failed (a clone,
 *    push or API call, or a Dockerfile that needs a person and nothing else to propose). It wins
 *    over the rest, and a pull request does not change it: one opened with an incomplete file
 *    still leaves that file to a person, under `pr` and under `org` alike.
 * 1: `run --check` only: something would change, and nothing needs a person.
 * 0: otherwise. A dry run shows what it would do and succeeds; so do a written run and a pull
 *    request opened or updated.
 *
 * Where there is nothing to migrate: `run` and `pr` are pointed at a place, and a place without a
 * Dockerfile is an error there (2). `org` takes whatever the organisation holds: a repository
 * without one is skipped, and a skipped repository (filtered out, archived, done or failed in an
 * earlier run, held back by --max-prs) counts for nothing; the state file keeps what failed.
 */
import type { MigrationStatus, ReportedFinding } from '../core/types.js';
import type { Report, RepositoryOutcome } from './model.js';

export type Mode = 'dry-run' | 'write' | 'check';

/** What the exit code looks at in a tree's migration: the counts of its report. */
export type Tally = Pick<Report['summary'], 'changed' | 'errors' | 'incomplete'>;

/** A repository of `pr` or `org`: what became of it, and the counts of its migration. */
export interface RepositoryResult {
  outcome: RepositoryOutcome;
  tally: Tally;
}

/** The counts of a repository that was never migrated (filtered out, or its clone failed). */
export const NOTHING: Tally = { changed: 0, errors: 0, incomplete: 0 };

export function runExitCode(tally: Tally, mode: Mode): 0 | 1 | 2 {
  if (needsPerson(tally)) return 2;
  return mode === 'check' && tally.changed > 0 ? 1 : 0;
}

export function prExitCode(repo: RepositoryResult): 0 | 2 {
  return repo.outcome === 'failed' || needsPerson(repo.tally) ? 2 : 0;
}

export function orgExitCode(repos: readonly RepositoryResult[]): 0 | 2 {
  return repos.some((r) => r.outcome !== 'skipped' && prExitCode(r) === 2) ? 2 : 0;
}

/** A file that could not be processed, or one left incomplete. */
export function needsPerson(tally: Tally): boolean {
  return tally.errors > 0 || tally.incomplete > 0;
}

/** A file whose migration left an error-severity finding unfixed. */
export function incomplete(r: {
  status?: MigrationStatus;
  findings?: readonly Pick<ReportedFinding, 'severity' | 'fixed'>[];
}): boolean {
  return (r.findings ?? []).some((f) => f.severity === 'error' && !f.fixed);
}
