/**
 * Properties of the whole migration over generated projects (see grammar.ts), each checked on
 * PROPERTY_RUNS cases (500 unless DOCKMIG_PROPERTY_RUNS says otherwise). The seed is fixed so CI is
 * repeatable; DOCKMIG_PROPERTY_SEED explores others. A failure prints the shrunk project.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from '../../src/core/document.js';
import { documentProblem } from '../../src/core/validate.js';
import type { MigrationResult } from '../../src/core/types.js';
import { unifiedDiff } from '../../src/report/diff.js';
import { migrateTree as migrateTreeAt } from '../helpers/fixtures.js';
import { projects, type Project } from './grammar.js';

const RUNS = Number(process.env.DOCKMIG_PROPERTY_RUNS ?? 500);
const SEED = Number(process.env.DOCKMIG_PROPERTY_SEED ?? 20261123);
const params = { numRuns: RUNS, seed: SEED, endOnFailure: true };
/**
 * A hang guard, not a speed goal (speed lives in `npm run bench`): one file taking seconds means the
 * engine looped, far beyond anything the benchmark measures (well under 10 ms a file).
 */
const HANG_MS = 3000;
/** Instructions the migration may move within their stage (dependency-layer moves uv up). */
const MOVABLE = /^(COPY\s+--from=\S*astral-sh\/uv\S*\s|ENV\s+UV_)/i;

/** The tree's own Dockerfile, migrated with the defaults. */
const migrateTree = (tree: Record<string, string>) => migrateTreeAt(tree, 'Dockerfile');

/** The tree after the change set. */
function applied(tree: Record<string, string>, result: MigrationResult): Record<string, string> {
  const out = { ...tree };
  for (const c of result.changes) out[c.path] = c.after;
  return out;
}

const outcomes = { changed: 0, unchanged: 0, error: 0 };
afterAll(() => {
  // The grammar is useful only if most cases get migrated: say how the runs were spread.
  console.log(`property cases: ${JSON.stringify(outcomes)}`);
});

describe(`migration properties (${RUNS} generated projects each, seed ${SEED})`, () => {
  it('never throws, never hits an internal error, and settles in bounded time', () => {
    fc.assert(
      fc.property(projects, (p) => {
        const started = performance.now();
        const result = migrateTree(p.tree);
        expect(performance.now() - started).toBeLessThan(HANG_MS);
        expect(result.internal).toBeUndefined();
        expect(result.errors.join('\n')).not.toMatch(
          /internal error|did not settle|undo each other/,
        );
        outcomes[result.status]++;
      }),
      params,
    );
    // Refusals are allowed, but a grammar where most cases are refused proves little.
    expect(outcomes.changed).toBeGreaterThan(RUNS / 2);
  });

  it('gives output that parses, with no unknown instruction and nothing cut off', () => {
    fc.assert(
      fc.property(projects, (p) => {
        const result = migrateTree(p.tree);
        const change = result.changes.find((c) => c.path === 'Dockerfile');
        if (!change) return;
        const out = change.after.replace(/^\uFEFF/, '');
        expect(documentProblem(parse(out))).toBeNull();
      }),
      params,
    );
  });

  it('is idempotent: migrating the output changes nothing', () => {
    fc.assert(
      fc.property(projects, (p) => {
        const result = migrateTree(p.tree);
        if (result.status !== 'changed') return;
        const again = migrateTree(applied(p.tree, result));
        expect(again.errors).toEqual([]);
        expect(again.changes.map((c) => c.path)).toEqual([]);
      }),
      params,
    );
  });

  it("keeps every comment line (in order, or with the instruction it documents) and only the input's line endings", () => {
    fc.assert(
      fc.property(projects, (p: Project) => {
        const result = migrateTree(p.tree);
        const change = result.changes.find((c) => c.path === 'Dockerfile');
        if (!change) return;
        const input = p.tree.Dockerfile;
        const out = change.after;
        // The BOM is kept exactly when it was there; no line ending the input does not use.
        expect(out.startsWith('\uFEFF')).toBe(input.startsWith('\uFEFF'));
        if (input.includes('\r\n')) expect(out).not.toMatch(/(^|[^\r])\n/);
        else if (input.includes('\n')) expect(out).not.toContain('\r');
        const lines = out.replace(/^\uFEFF/, '').split(p.eol);
        // Every comment line of the input is still a line of the output, as often as it was.
        const count = (list: string[], c: string) => list.filter((l) => l === c).length;
        for (const c of new Set(p.comments)) {
          expect(count(lines, c), `comment line ${JSON.stringify(c)}`).toBeGreaterThanOrEqual(
            count(p.comments, c),
          );
        }
        // A comment block above an instruction stays right above an instruction (a rewrite may
        // change its kind: `RUN pip install uv` becomes `COPY --from=<uv image>`).
        const instruction = (l: string | undefined) => l !== undefined && /^\s*[A-Za-z]+\s/.test(l);
        for (const block of p.blocks) {
          const at = lines.findIndex(
            (_, i) =>
              block.lines.every((l, k) => lines[i + k] === l) &&
              instruction(lines[i + block.lines.length]),
          );
          expect(at, `block ${JSON.stringify(block)} above an instruction`).toBeGreaterThanOrEqual(
            0,
          );
        }
        // Where the stages stay as they were (no split moved instructions), the order is the input's.
        const froms = (ls: string[]) => ls.filter((l) => /^from\s/i.test(l)).length;
        // uv's own COPY and UV_* settings may move up, above the dependency layer that needs them,
        // and the comments documenting them move with them: those are left out of the order.
        if (froms(lines) === froms(input.split(p.eol))) {
          const moving = [...p.comments];
          for (const b of p.blocks.filter((b) => MOVABLE.test(b.instruction))) {
            for (const l of b.lines) moving.splice(moving.indexOf(l), 1);
          }
          let at = 0;
          for (const c of moving) {
            const found = lines.indexOf(c, at);
            expect(found, `comment line ${JSON.stringify(c)} in order`).toBeGreaterThanOrEqual(at);
            at = found + 1;
          }
        }
      }),
      params,
    );
  });
});

describe(`the diff (${RUNS} generated projects, git apply)`, () => {
  const work = mkdtempSync(join(tmpdir(), 'dockmig-prop-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  let n = 0;

  it('applies with git apply to the input and yields the output', () => {
    fc.assert(
      fc.property(projects, (p) => {
        const result = migrateTree(p.tree);
        if (result.status !== 'changed') return;
        const dir = join(work, String(n++));
        for (const [path, text] of Object.entries(p.tree)) {
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          writeFileSync(join(dir, path), text);
        }
        writeFileSync(join(dir, '..', `${n}.diff`), unifiedDiff(result.changes));
        const r = spawnSync('git', ['apply', '--whitespace=nowarn', join(dir, '..', `${n}.diff`)], {
          cwd: dir,
          encoding: 'utf8',
        });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        for (const c of result.changes) {
          expect(readFileSync(join(dir, c.path), 'utf8')).toBe(c.after);
        }
        rmSync(dir, { recursive: true, force: true });
      }),
      params,
    );
    // 500 git processes: on two cores shared with the image builds of test/e2e this can take
    // minutes; the limit only stops a hang.
  }, 600_000);
});
