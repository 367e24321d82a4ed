/** The exit code of a run, from what happened: a pure function of the results. */
import type { MigrationResult } from '../core/types.js';

export type Mode = 'dry-run' | 'write' | 'check';

/**
 * 2: a usage error or any file that could not be processed (it wins over everything else);
 * 1: `--check` and something would change; 0: otherwise (a dry run shows the diff and succeeds).
 */
export function exitCode(
  results: Pick<MigrationResult, 'status'>[],
  mode: Mode,
  problems = 0,
): 0 | 1 | 2 {
  if (problems > 0 || results.some((r) => r.status === 'error')) return 2;
  if (mode === 'check' && results.some((r) => r.status === 'changed')) return 1;
  return 0;
}
