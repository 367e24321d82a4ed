import { describe, expect, it } from 'vitest';
import type { MigrationResult } from '../../src/core/types.js';
import {
  NOTHING,
  orgExitCode,
  prExitCode,
  runExitCode,
  type RepositoryResult,
  type Tally,
} from '../../src/report/exit-code.js';
import { buildReport } from '../../src/report/model.js';

const tally = (changed: number, errors: number, incomplete: number): Tally => ({
  changed,
  errors,
  incomplete,
});

/**
 * One row per situation: the counts of the migration, what became of the repository (under `pr`
 * and `org`), and the code of each command: `run` (dry run or --write), `run --check`, `pr`,
 * `org`. null: the situation does not arise under that command.
 */
const SITUATIONS: [
  string,
  Tally,
  RepositoryResult['outcome'],
  { run: number | null; check: number | null; pr: number | null; org: number },
][] = [
  ['already hardened', tally(0, 0, 0), 'unchanged', { run: 0, check: 0, pr: 0, org: 0 }],
  [
    'migrated cleanly: a pull request opened (or would be)',
    tally(2, 0, 0),
    'opened',
    { run: 0, check: 1, pr: 0, org: 0 },
  ],
  [
    'migrated cleanly: the open pull request updated',
    tally(1, 0, 0),
    'updated',
    { run: 0, check: 1, pr: 0, org: 0 },
  ],
  [
    'migrated with a file left incomplete: the pull request opened with it',
    tally(1, 0, 1),
    'opened',
    { run: 2, check: 2, pr: 2, org: 2 },
  ],
  [
    'nothing to change, a file left incomplete',
    tally(0, 0, 1),
    'unchanged',
    { run: 2, check: 2, pr: 2, org: 2 },
  ],
  [
    'one file migrated, another not readable: the pull request opened for the first',
    tally(1, 1, 0),
    'opened',
    { run: 2, check: 2, pr: 2, org: 2 },
  ],
  [
    'the only Dockerfile needs a person: nothing to propose',
    tally(0, 1, 0),
    'failed',
    { run: 2, check: 2, pr: 2, org: 2 },
  ],
  [
    'a clone, push or API call failed',
    NOTHING,
    'failed',
    { run: null, check: null, pr: 2, org: 2 },
  ],
  [
    'no Dockerfile: named by the user (run, pr), or one of the organisation (org)',
    tally(0, 1, 0),
    'skipped',
    { run: 2, check: 2, pr: 2, org: 0 },
  ],
  [
    'left out by a filter, archived, or done or failed in an earlier run',
    NOTHING,
    'skipped',
    { run: null, check: null, pr: null, org: 0 },
  ],
  [
    'held back by --max-prs, with a file left incomplete',
    tally(1, 0, 1),
    'skipped',
    { run: null, check: null, pr: null, org: 0 },
  ],
];

describe('exit codes: one rule for run, pr and org', () => {
  it.each(SITUATIONS)('%s', (_situation, counts, outcome, code) => {
    const repo = { outcome, tally: counts };
    if (code.run !== null) {
      expect(runExitCode(counts, 'dry-run')).toBe(code.run);
      expect(runExitCode(counts, 'write')).toBe(code.run);
    }
    if (code.check !== null) expect(runExitCode(counts, 'check')).toBe(code.check);
    if (code.pr !== null) expect(prExitCode(repo)).toBe(code.pr);
    expect(orgExitCode([repo])).toBe(code.org);
  });

  it('org exits 2 when any repository does, else 0', () => {
    const repos = SITUATIONS.map(([, counts, outcome]) => ({ outcome, tally: counts }));
    const two = SITUATIONS.map(([, , , code]) => code.org === 2);
    expect(orgExitCode(repos)).toBe(2);
    expect(orgExitCode(repos.filter((_, i) => !two[i]))).toBe(0);
    expect(orgExitCode(repos.filter((_, i) => !two[i]).concat(repos[two.indexOf(true)]))).toBe(2);
    expect(orgExitCode([])).toBe(0);
  });
});

describe('the counts a run decides on', () => {
  const finding = (severity: 'error' | 'warning', fixed: boolean) => ({
    transform: 't',
    title: 't',
    message: 'm',
    severity,
    fixed,
  });
  const result = (
    status: MigrationResult['status'],
    findings: ReturnType<typeof finding>[] = [],
  ): MigrationResult => ({
    path: 'Dockerfile',
    status,
    changes: [],
    findings,
    errors: status === 'error' ? ['unknown instruction FROOM on line 2'] : [],
    notes: [],
  });
  it.each([
    [
      'an error-severity finding not fixed: incomplete',
      [result('changed', [finding('error', false)])],
      2,
    ],
    ['an error-severity finding fixed', [result('changed', [finding('error', true)])], 1],
    ['a warning not fixed', [result('changed', [finding('warning', false)])], 1],
    [
      'a file that could not be processed beside one that changed',
      [result('changed'), result('error')],
      2,
    ],
  ] as const)('%s -> %i under --check', (_why, results, code) => {
    const report = buildReport({ version: '0', mode: 'check', results, transforms: [] });
    expect(runExitCode(report.summary, 'check')).toBe(code);
  });

  it('a path given that holds no Dockerfile is an error', () => {
    const report = buildReport({
      version: '0',
      mode: 'check',
      results: [],
      problems: [{ path: 'svc', message: 'no Dockerfile in it' }],
      transforms: [],
    });
    expect(runExitCode(report.summary, 'dry-run')).toBe(2);
  });
});
