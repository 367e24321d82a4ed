/**
 * Golden scenarios: each `fixtures/<case>/input/` is a tiny real project; `expected/` holds every
 * file the migration changes or creates, byte for byte. A case without `expected/` must not change.
 * Every expected output migrates to itself (idempotence: converting twice equals converting once).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gatherContext } from '../src/core/context.js';
import { parse } from '../src/core/document.js';
import { migrate } from '../src/core/engine.js';
import { DEFAULT_OPTIONS, type MigrationOptions, type MigrationResult } from '../src/core/types.js';
import { TRANSFORMS } from '../transforms/index.js';

const root = join(import.meta.dirname, '..', 'fixtures');

interface CaseFile {
  description: string;
  dockerfile?: string;
  options?: Partial<MigrationOptions>;
  unchanged?: boolean;
  review?: string[];
}

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split('\\').join('/')] = readFileSync(p, 'utf8');
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

function migrateTree(
  tree: Record<string, string>,
  dockerfile: string,
  options: Partial<MigrationOptions>,
): MigrationResult {
  return migrate(
    {
      path: dockerfile,
      text: tree[dockerfile],
      context: gatherContext(parse(tree[dockerfile]), dockerfile, {
        read: (p) => tree[p],
        exists: (p) => p in tree,
      }),
    },
    { ...DEFAULT_OPTIONS, ...options },
    TRANSFORMS,
  );
}

const cases = existsSync(root)
  ? readdirSync(root)
      .filter((c) => existsSync(join(root, c, 'input')))
      .sort()
  : [];

describe('golden scenarios', () => {
  it('has at least 30 scenarios', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const name of cases) {
    describe(name, () => {
      const dir = join(root, name);
      const meta: CaseFile = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
      const dockerfile = meta.dockerfile ?? 'Dockerfile';
      const input = readTree(join(dir, 'input'));
      const expected = readTree(join(dir, 'expected'));
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
