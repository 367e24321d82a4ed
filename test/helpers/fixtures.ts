/** The golden scenarios under `fixtures/`, read as trees of text, and the migration of one. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gatherContext, type ContextReader } from '../../src/core/context.js';
import { parse } from '../../src/core/document.js';
import { migrate } from '../../src/core/engine.js';
import {
  DEFAULT_OPTIONS,
  type MigrationOptions,
  type MigrationResult,
} from '../../src/core/types.js';
import { TRANSFORMS } from '../../transforms/index.js';

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

/** Migrate the Dockerfile of a tree (the text given, or the tree's own). */
export function migrateTree(
  tree: Record<string, string>,
  dockerfile: string,
  options: Partial<MigrationOptions> = {},
  text = tree[dockerfile],
): MigrationResult {
  return migrate(
    {
      path: dockerfile,
      text,
      context: gatherContext(parse(text.replace(/^\uFEFF/, '')), dockerfile, treeReader(tree), {
        scanSources: options.compose,
      }),
    },
    { ...DEFAULT_OPTIONS, ...options },
    TRANSFORMS,
  );
}

/** A tree of texts as the context reader the IO layer would be: the tree's root is the repository's. */
export function treeReader(tree: Record<string, string>): ContextReader {
  return {
    read: (p) => tree[p],
    exists: (p) => p in tree,
    list(dir) {
      const prefix = dir === '.' ? '' : `${dir}/`;
      const entries = new Map<string, boolean>();
      for (const path of Object.keys(tree)) {
        if (!path.startsWith(prefix)) continue;
        const rest = path.slice(prefix.length);
        const slash = rest.indexOf('/');
        entries.set(slash < 0 ? rest : rest.slice(0, slash), slash >= 0);
      }
      // Like a file system: a name with nothing under it is not a directory.
      if (entries.size === 0 && dir !== '.') return undefined;
      return [...entries].map(([name, isDir]) => ({ name, dir: isDir }));
    },
    root: '.',
    contextPath: '.',
  };
}
