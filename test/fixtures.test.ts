/**
 * Golden scenarios: each `fixtures/<case>/input/` is a tiny real project; `expected/` holds every
 * file the migration changes or creates, byte for byte. A case without `expected/` must not change.
 * Every expected output migrates to itself (idempotence: converting twice equals converting once).
 */
import { describe, expect, it } from 'vitest';
import { goldenCases, migrateTree } from './helpers/fixtures.js';

const cases = goldenCases();

describe('golden scenarios', () => {
  it('has at least 30 scenarios', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const { name, meta, dockerfile, input, expected } of cases) {
    describe(name, () => {
      const result = migrateTree(input, dockerfile, meta.options ?? {});

      it('migrates to the expected files, byte for byte', () => {
        expect(result.errors).toEqual([]);
        const changed = Object.fromEntries(result.changes.map((c) => [c.path, c.after]));
        expect(changed).toEqual(expected);
        if (meta.unchanged) expect(result.changes).toEqual([]);
      });

      it('migrates its own output to no change', () => {
        const output = { ...input, ...expected };
        const again = migrateTree(output, dockerfile, meta.options ?? {});
        expect(again.errors).toEqual([]);
        expect(again.changes.map((c) => c.path)).toEqual([]);
      });
    });
  }
});
