import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/report/diff.js';
import { summary } from '../../src/report/summary.js';
import { buildReport } from '../../src/report/model.js';
import type { MigrationResult } from '../../src/core/types.js';

describe('unifiedDiff', () => {
  it('writes git headers, a new-file hunk from line 0 and the no-newline marker', () => {
    expect(unifiedDiff([{ path: 'a b/.dockerignore', before: null, after: '.venv\n' }])).toBe(
      'diff --git a/a b/.dockerignore b/a b/.dockerignore\nnew file mode 100644\n--- /dev/null\n+++ b/a b/.dockerignore\n@@ -0,0 +1 @@\n+.venv\n',
    );
    expect(unifiedDiff([{ path: 'D', before: 'FROM a\r\nCMD x', after: 'FROM b\r\nCMD x' }])).toBe(
      'diff --git a/D b/D\n--- a/D\n+++ b/D\n@@ -1,2 +1,2 @@\n-FROM a\r\n+FROM b\r\n CMD x\n\\ No newline at end of file\n',
    );
  });

  it('gives nothing for a file that did not change', () => {
    expect(unifiedDiff([{ path: 'D', before: 'x\n', after: 'x\n' }])).toBe('');
  });
});

const finding = (severity: 'error' | 'warning', fixed: boolean) => ({
  transform: 't',
  title: 't',
  message: 'm',
  severity,
  fixed,
});

describe('summary', () => {
  it('lists findings, unfixed ones marked, notes, errors and a total', () => {
    const results: MigrationResult[] = [
      {
        path: 'Dockerfile',
        status: 'changed',
        changes: [
          { path: 'Dockerfile', before: 'a', after: 'b' },
          { path: '.dockerignore', before: null, after: '.venv\n' },
        ],
        findings: [
          { transform: 'pin-uv', title: 't', message: 'pinned', severity: 'warning', fixed: true },
          {
            transform: 'exec-form',
            title: 't',
            message: 'left as is',
            severity: 'warning',
            fixed: false,
          },
        ],
        errors: [],
        notes: ['a note'],
      },
      {
        path: 'bad/Dockerfile',
        status: 'error',
        changes: [],
        findings: [],
        errors: ['the file is empty'],
        notes: [],
      },
    ];
    const report = buildReport({
      version: '1.0.0',
      mode: 'dry-run',
      results,
      problems: [{ path: 'nope', message: 'no such file or directory' }],
      transforms: [],
    });
    expect(summary(report, { written: false })).toBe(
      [
        'nope: error: no such file or directory',
        'Dockerfile: would change (with .dockerignore)',
        '  pin-uv: pinned',
        '  exec-form: left as is (not fixed)',
        '  note: a note',
        'bad/Dockerfile: error: the file is empty',
        '3 files: 1 changed, 0 unchanged, 2 errors',
        '',
      ].join('\n'),
    );
  });

  it('marks a file left incomplete and counts it in the total', () => {
    const result: MigrationResult = {
      path: 'Dockerfile',
      status: 'changed',
      changes: [{ path: 'Dockerfile', before: 'a', after: 'b' }],
      findings: [{ ...finding('error', false), transform: 'unsupported', message: 'two CMDs' }],
      errors: [],
      notes: [],
    };
    const report = buildReport({
      version: '1.0.0',
      mode: 'write',
      results: [result],
      transforms: [],
    });
    expect(summary(report, { written: true })).toBe(
      [
        'Dockerfile: migrated',
        '  unsupported: two CMDs (not fixed: needs a person)',
        '1 file: 1 changed, 0 unchanged, 0 errors; 1 left incomplete',
        '',
      ].join('\n'),
    );
  });
});
