import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/edit.js';
import { migrate as engineMigrate } from '../../src/core/engine.js';
import {
  fixAlone,
  fixedFindings,
  goesWith,
  lineEdits,
  migrateAccepting,
} from '../../src/core/review.js';
import { migrate, prepare } from '../../src/index.js';

const LEGACY = {
  dockerfile:
    'FROM python:latest\nWORKDIR /app\nRUN pip install uv\nCOPY . .\nRUN uv sync --locked\nEXPOSE 8000\nCMD uv run uvicorn app.main:app --host 0.0.0.0 --port 8000 --reload\n',
  files: {
    'pyproject.toml': '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n',
    '.python-version': '3.12\n',
    'uv.lock': '',
  },
};
const review = prepare(LEGACY);
const full = migrate(LEGACY);
const finding = (transform: string) => full.findings.find((f) => f.transform === transform)!;

describe('migrateAccepting', () => {
  it('accepting everything is the migration', () => {
    expect(migrateAccepting(review, () => true)).toEqual(
      engineMigrate(review.input, review.options, review.transforms),
    );
    expect(fixedFindings(migrateAccepting(review, () => true))).toEqual(fixedFindings(full));
  });

  it('accepting nothing changes nothing and reports every fix as declined', () => {
    const none = migrateAccepting(review, () => false);
    expect(none.status).toBe('unchanged');
    expect(none.findings.filter((f) => f.declined).length).toBeGreaterThan(5);
    expect(none.findings.some((f) => f.fixed)).toBe(false);
  });
});

describe('goesWith', () => {
  it('declining the stage split takes the runtime user with it, not the pinned base', () => {
    const gone = goesWith(review, full, finding('multi-stage')).map((f) => f.transform);
    expect(gone).toContain('non-root-user');
    expect(gone).not.toContain('pin-python-base');
    expect(gone).not.toContain('multi-stage');
  });

  it('nothing stands on the pinned base', () => {
    expect(goesWith(review, full, finding('pin-python-base'))).toEqual([]);
  });
});

describe('fixAlone', () => {
  it('the pinned base alone changes its own line and nothing else', () => {
    const lone = fixAlone(review, full, finding('pin-python-base'))!;
    expect(lone.needs).toEqual([]);
    expect(lone.result.changes.map((c) => c.path)).toEqual(['Dockerfile']);
    const edits = lineEdits(LEGACY.dockerfile, lone.result.changes[0].after);
    expect(edits).toEqual([
      { start: 0, end: 'FROM python:latest\n'.length, text: 'FROM python:3.12-slim-trixie\n' },
    ]);
  });

  it('the runtime user comes with the split it lives in, and without the fixes it does not need', () => {
    const lone = fixAlone(review, full, finding('non-root-user'))!;
    expect(lone.needs).toContain('multi-stage');
    const after = lone.result.changes[0].after;
    expect(after).toContain('USER 10001:10001');
    expect(after).toContain('FROM python:latest AS builder');
    expect(after).not.toContain('HEALTHCHECK');
    expect(lone.result.changes.map((c) => c.path)).not.toContain('.dockerignore');
  });

  it('the split alone takes the later fix the file would be refused without, and no other', () => {
    const lone = fixAlone(review, full, finding('multi-stage'))!;
    expect(lone.result.status).toBe('changed');
    expect(lone.completes.map((f) => f.transform)).toEqual(['no-uv-at-runtime']);
    const after = lone.result.changes[0].after;
    expect(after).toContain('FROM python:latest AS builder');
    expect(after).not.toContain('uv run');
    expect(after).not.toContain('USER');
  });

  it('a finding without a fix has no lone fix', () => {
    expect(fixAlone(review, full, { transform: 'multi-stage', message: 'not a finding' })).toBe(
      null,
    );
  });
});

describe('lineEdits', () => {
  it('applied, they make the new text, each replacing whole lines', () => {
    const lines = fc.array(fc.constantFrom('a\n', 'b\n', 'c\r\n', 'd', ''), { maxLength: 8 });
    fc.assert(
      fc.property(lines, lines, (x, y) => {
        const before = x.join('');
        const after = y.join('');
        const edits = lineEdits(before, after);
        expect(applyEdits(before, edits)).toBe(after);
        for (const e of edits) {
          expect(e.start === 0 || before[e.start - 1] === '\n').toBe(true);
        }
      }),
    );
  });

  it('no change, no edit', () => {
    expect(lineEdits('a\nb\n', 'a\nb\n')).toEqual([]);
  });
});
