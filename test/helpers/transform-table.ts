/**
 * Table tests for one transform, in the manner of ESLint's RuleTester: `valid` inputs give no
 * finding; `invalid` inputs give findings and exactly `output` (or `output: null` when the finding is
 * reported and deliberately not fixed). Every fixed output is run again and must give no finding
 * with an edit: a transform finds nothing on its own output.
 */
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/document.js';
import { buildContext } from '../../src/core/context.js';
import { migrate } from '../../src/core/engine.js';
import type { Transform } from '../../src/core/transform.js';
import {
  DEFAULT_OPTIONS,
  type MigrationOptions,
  type MigrationResult,
} from '../../src/core/types.js';

/** A small uv project: what most cases need around their Dockerfile. */
export const UV_PROJECT: Record<string, string> = {
  'uv.lock': '',
  'pyproject.toml': '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n',
};

export interface ValidCase {
  name: string;
  input: string;
  files?: Record<string, string>;
  options?: Partial<MigrationOptions>;
}

export interface InvalidCase extends ValidCase {
  /** The exact Dockerfile after the transform, or null when it reports without fixing. */
  output: string | null;
  /** Each pattern must match at least one finding message. */
  messages?: RegExp[];
  /** Other files of the change set after the transform (`.dockerignore`, scripts). */
  files_after?: Record<string, string>;
}

/** The context of a table's files: the directories are those the paths name (`conf/a.ini`: conf). */
function contextOf(files: Record<string, string>) {
  const directories = new Set(
    Object.keys(files).flatMap((p) =>
      p
        .split('/')
        .slice(0, -1)
        .map((_, i, parts) => parts.slice(0, i + 1).join('/')),
    ),
  );
  return buildContext({ dockerfile: 'Dockerfile', files, directories: [...directories].sort() });
}

export function run(
  transform: Transform,
  input: string,
  files: Record<string, string> = UV_PROJECT,
  options: Partial<MigrationOptions> = {},
): MigrationResult {
  return migrate(
    { path: 'Dockerfile', text: input, context: contextOf(files) },
    { ...DEFAULT_OPTIONS, ...options },
    [transform],
  );
}

/** Findings of the transform itself on a text, without the engine. */
export function detect(
  transform: Transform,
  input: string,
  files: Record<string, string> = UV_PROJECT,
  options: Partial<MigrationOptions> = {},
) {
  return transform.detect(parse(input), contextOf(files), {
    ...DEFAULT_OPTIONS,
    ...options,
  });
}

export function transformTable(
  transform: Transform,
  cases: { valid: ValidCase[]; invalid: InvalidCase[] },
): void {
  describe(transform.id, () => {
    it('has a title and a rationale', () => {
      expect(transform.title.length).toBeGreaterThan(10);
      expect(transform.rationale.length).toBeGreaterThan(40);
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        expect(detect(transform, c.input, c.files, c.options)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const result = run(transform, c.input, c.files, c.options);
        expect(result.errors).toEqual([]);
        expect(result.findings.length).toBeGreaterThan(0);
        for (const pattern of c.messages ?? []) {
          expect(result.findings.map((f) => f.message)).toContainEqual(
            expect.stringMatching(pattern),
          );
        }
        const dockerfile = result.changes.find((ch) => ch.path === 'Dockerfile');
        if (c.output === null) {
          expect(dockerfile).toBeUndefined();
          expect(result.findings.every((f) => !f.fixed)).toBe(true);
          return;
        }
        expect(dockerfile?.after ?? c.input).toBe(c.output);
        for (const [path, text] of Object.entries(c.files_after ?? {})) {
          expect(result.changes.find((ch) => ch.path === path)?.after).toBe(text);
        }
        const files = { ...(c.files ?? UV_PROJECT) };
        for (const ch of result.changes) if (ch.path !== 'Dockerfile') files[ch.path] = ch.after;
        const again = detect(transform, c.output, files, c.options);
        expect(again.filter((f) => (f.edits?.length ?? 0) > 0)).toEqual([]);
      });
    }
  });
}
