/** The golden scenarios under `fixtures/`, read as trees of text, and the migration of one. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { MigrationOptions, MigrationResult } from '../../src/core/types.js';
import { migrate } from '../../src/index.js';

export const fixturesRoot = join(import.meta.dirname, '..', '..', 'fixtures');

export interface CaseFile {
  description: string;
  dockerfile?: string;
  options?: Partial<MigrationOptions>;
  unchanged?: boolean;
  review?: string[];
}

export interface GoldenCase {
  name: string;
  meta: CaseFile;
  dockerfile: string;
  input: Record<string, string>;
  expected: Record<string, string>;
}

export function readTree(dir: string): Record<string, string> {
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

export function goldenCases(): GoldenCase[] {
  return readdirSync(fixturesRoot)
    .filter((c) => existsSync(join(fixturesRoot, c, 'input')))
    .sort()
    .map((name) => {
      const dir = join(fixturesRoot, name);
      const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseFile;
      return {
        name,
        meta,
        dockerfile: meta.dockerfile ?? 'Dockerfile',
        input: readTree(join(dir, 'input')),
        expected: readTree(join(dir, 'expected')),
      };
    });
}

/** Migrate the Dockerfile of a tree (the text given, or the tree's own), through the library API. */
export function migrateTree(
  tree: Record<string, string>,
  dockerfile: string,
  options: Partial<MigrationOptions> = {},
  text = tree[dockerfile],
): MigrationResult {
  return migrate({ dockerfile: text, path: dockerfile, files: tree }, options);
}
