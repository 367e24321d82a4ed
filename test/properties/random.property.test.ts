/**
 * Input nobody would write on purpose: random text, random bytes read leniently, and "token soup"
 * (Dockerfile keywords, quotes, brackets, continuations, heredoc openers and line endings in any
 * order). The engine refuses most of it with a reason; whatever it does accept, it migrates to a
 * fixed point. It never throws and never reports an internal error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gatherContext } from '../../src/core/context.js';
import { parse } from '../../src/core/document.js';
import { migrate } from '../../src/core/engine.js';
import { DEFAULT_OPTIONS, type MigrationResult } from '../../src/core/types.js';
import { TRANSFORMS } from '../../transforms/index.js';

const RUNS = Number(process.env.DOCKMIG_PROPERTY_RUNS ?? 500);
const SEED = Number(process.env.DOCKMIG_PROPERTY_SEED ?? 20261123);
const params = { numRuns: RUNS, seed: SEED, endOnFailure: true };

const PROJECT: Record<string, string> = {
  'pyproject.toml': '[project]\nname = "svc"\nversion = "0.1.0"\nrequires-python = ">=3.12"\n',
  'uv.lock': 'version = 1\n',
};

function migrateText(text: string, files = PROJECT): MigrationResult {
  const tree: Record<string, string> = { ...files, Dockerfile: text };
  return migrate(
    {
      path: 'Dockerfile',
      text,
      context: gatherContext(parse(text.replace(/^\uFEFF/, '')), 'Dockerfile', {
        read: (p) => tree[p],
        exists: (p) => p in tree,
      }),
    },
    DEFAULT_OPTIONS,
    TRANSFORMS,
  );
}

const TOKENS = [
  'FROM ',
  'python:latest',
  'python:3.12-slim',
  ' AS ',
  'builder',
  'RUN ',
  'CMD ',
  'ENTRYPOINT ',
  'ENV ',
  'ARG ',
  'COPY ',
  'ADD ',
  'WORKDIR ',
  '/app',
  'USER ',
  'EXPOSE ',
  'HEALTHCHECK ',
  'ONBUILD ',
  'SHELL ',
  'LABEL ',
  'uv',
  ' sync',
  ' --locked',
  ' --frozen',
  ' run ',
  'pip install uv',
  'uvicorn',
  ' app:app',
  ' --reload',
  ' && ',
  ' || ',
  ';',
  '|',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  '(',
  ')',
  '$',
  '${PORT}',
  '=',
  ',',
  ' ',
  '\t',
  '\\',
  '`',
  '#',
  '# escape=`',
  '# syntax=docker/dockerfile:1',
  '<<EOF',
  '<<-EOF',
  'EOF',
  '\n',
  '\r\n',
  '\r',
  '\uFEFF',
  '--from=',
  'ghcr.io/astral-sh/uv:latest',
  ' /uv /bin/',
  '--mount=type=cache,target=/root/.cache/uv ',
  'é',
  '\u0000',
  '\u2028',
  '\u0085',
  '\u00a0',
  '\f',
  '\v',
];

const soup = fc
  .array(fc.constantFrom(...TOKENS), { maxLength: 80 })
  .map((tokens) => tokens.join(''));
const lenientBytes = fc
  .uint8Array({ maxLength: 400 })
  .map((bytes) => new TextDecoder('utf-8').decode(bytes));
const anyText = fc.string({ unit: 'binary', maxLength: 300 });

const seen = { changed: 0, unchanged: 0, error: 0 };

function settlesOrRefuses(text: string): void {
  const result = migrateText(text);
  seen[result.status]++;
  expect(result.internal).toBeUndefined();
  expect(result.errors.join('\n')).not.toMatch(/internal error|did not settle|undo each other/);
  if (result.status !== 'changed') return;
  const after = result.changes.find((c) => c.path === 'Dockerfile')?.after ?? text;
  const again = migrateText(after, {
    ...PROJECT,
    ...Object.fromEntries(result.changes.map((c) => [c.path, c.after])),
  });
  expect(again.errors).toEqual([]);
  expect(again.changes.map((c) => c.path)).toEqual([]);
}

describe(`random input (${RUNS} cases each, seed ${SEED})`, () => {
  it.each([
    ['token soup', soup],
    ['random bytes, decoded leniently', lenientBytes],
    ['random text', anyText],
  ])('%s: never throws; refused with a reason or migrated to a fixed point', (_name, arb) => {
    fc.assert(fc.property(arb, settlesOrRefuses), params);
  });

  it('token soup reaches the transforms often enough to mean something', () => {
    // Lines that start with a keyword make up most of the soup that parses.
    const lines = fc
      .array(
        fc.tuple(
          fc.constantFrom('FROM ', 'RUN ', 'CMD ', 'ENV ', 'COPY ', 'WORKDIR ', 'USER ', 'ARG '),
          soup,
        ),
        { minLength: 1, maxLength: 8 },
      )
      .map(
        (ls) =>
          `FROM python:latest\n${ls.map(([k, rest]) => k + rest.replace(/[\r\n]+/g, ' ')).join('\n')}\n`,
      );
    const before = { ...seen };
    fc.assert(fc.property(lines, settlesOrRefuses), params);
    console.log(
      `token-soup lines: ${seen.changed - before.changed} migrated, ${seen.error - before.error} refused`,
    );
    expect(seen.changed - before.changed).toBeGreaterThan(RUNS / 10);
  });
});
