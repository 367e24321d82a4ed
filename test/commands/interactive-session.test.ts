/**
 * The interactive review as keys in, screens and an outcome out: on curl-healthcheck, whose
 * eleven fixes include the split that the user and the `uv run`-less CMD stand on.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ReviewSession,
  type Outcome,
  type ReviewFile,
} from '../../src/commands/interactive-session.js';
import { migrateAccepting } from '../../src/core/review.js';
import { prepare } from '../../src/index.js';
import { TRANSFORMS } from '../../transforms/index.js';
import { fixturesRoot, readTree } from '../helpers/fixtures.js';

function file(name: string, path = 'Dockerfile'): ReviewFile {
  const tree = readTree(join(fixturesRoot, name, 'input'));
  return { path, review: prepare({ dockerfile: tree.Dockerfile, files: tree }) };
}

const expected = (name: string) => readTree(join(fixturesRoot, name, 'expected'));

const rationale = (id: string) => TRANSFORMS.find((t) => t.id === id)!.rationale;

/** Press the keys one by one; every screen, and the outcome once the review is over. */
function session(files: ReviewFile[], keys: string, color = false) {
  const s = new ReviewSession(files, { color, rationale });
  const screens = [s.start().screen];
  let outcome: Outcome | undefined;
  for (const key of keys) {
    expect(outcome, `a key after the review ended: ${key}`).toBeUndefined();
    const step = s.press(key);
    screens.push(step.screen);
    outcome = step.outcome;
  }
  return { screens, outcome, all: screens.join('') };
}

/** The asked fixes, in order, as the screens name them. */
const asked = (all: string) => [...all.matchAll(/^\(\d+\/\d+\) ([a-z-]+): /gm)].map((m) => m[1]);

const written = (outcome: Outcome | undefined, index = 0) =>
  Object.fromEntries(outcome!.files[index].result!.changes.map((c) => [c.path, c.after]));

/** Asked with y to each: no-uv-at-runtime comes with the split, which is invalid without it. */
const ASKED = [
  'pin-python-base',
  'pin-uv',
  'uv-python-env',
  'frozen-lockfile',
  'dependency-layer',
  'dependency-layer',
  'multi-stage',
  'non-root-user',
  'healthcheck',
  'dockerignore',
];

describe('the interactive review session', () => {
  it('asks every fix in the order the engine made them, and y to each is the whole migration', () => {
    const { all, outcome, screens } = session([file('curl-healthcheck')], 'yyyyyyyyyy');
    expect(asked(all)).toEqual(ASKED);
    expect(screens[0]).toMatch(/^Dockerfile: 11 fixes to review\n/);
    expect(screens[0]).toMatch(
      /\(1\/11\) pin-python-base: .*\nApply this fix \[y,n,a,d,q,\?\]\? $/,
    );
    expect(outcome).toMatchObject({ write: true });
    expect(outcome!.files[0]).toMatchObject({ accepted: 11, rejected: 0 });
    expect(written(outcome)).toEqual(expected('curl-healthcheck'));
  });

  it('shows each fix as the lines it changes on top of the ones accepted, the .dockerignore with its finding', () => {
    const { screens } = session([file('curl-healthcheck')], 'yyyyyyyyy');
    const changed = (screen: string) =>
      screen.split('\n').filter((l) => /^[+-]/.test(l) && !/^(\+\+\+|---) /.test(l));
    expect(changed(screens[0])).toEqual([
      '-FROM python:3.12-slim',
      '+FROM python:3.12-slim-trixie',
    ]);
    expect(changed(screens[1])).toEqual([
      '-RUN pip install uv',
      '+COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/',
    ]);
    expect(screens.slice(0, 9).join('')).not.toContain('.dockerignore');
    expect(screens[9]).toContain(
      'diff --git a/.dockerignore b/.dockerignore\nnew file mode 100644\n',
    );
    expect(screens[9]).not.toContain('a/Dockerfile');
  });

  it('offers the split with the later fix it cannot be written without, and takes both on y', () => {
    const { screens, outcome } = session([file('curl-healthcheck')], 'yyyyyyyq');
    expect(screens[6]).toContain('+FROM python:3.12-slim-trixie\n+WORKDIR /app\n');
    expect(screens[6]).toContain(
      '-CMD ["uv", "run", "uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]\n' +
        '+CMD ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"]\n' +
        'Taken with it (the file would be invalid without them):\n' +
        '  no-uv-at-runtime: CMD: uv run removed before uvicorn\n' +
        '(7/11) multi-stage: ',
    );
    expect(screens[7]).toMatch(/\(9\/11\) non-root-user: /);
    expect(outcome!.files[0]).toMatchObject({ accepted: 8, rejected: 0 });
    expect(outcome!.files[0].result!.status).toBe('changed');
  });

  it('n on the split says which fixes go with it, does not ask them, and writes one stage', () => {
    const { all, outcome, screens } = session([file('curl-healthcheck')], 'yyyyyynyy');
    expect(screens[7]).toBe(
      'n\nThese fixes stand on it and go with it (2):\n' +
        '  no-uv-at-runtime: CMD: uv run removed before uvicorn\n' +
        '  non-root-user: the runtime runs as 10001:10001 (user app created with that uid)\n' +
        screens[7].slice(screens[7].indexOf('diff --git')),
    );
    expect(asked(all)).toEqual([...ASKED.slice(0, 7), 'healthcheck', 'dockerignore']);
    expect(outcome!.files[0]).toMatchObject({ accepted: 8, rejected: 3 });
    const dockerfile = written(outcome).Dockerfile;
    expect(dockerfile.match(/^FROM /gm)).toEqual(['FROM ']);
    expect(dockerfile).not.toMatch(/^USER /m);
    expect(dockerfile).toContain('urllib');
    expect(dockerfile).toContain('uv sync --frozen --no-dev');
    expect(written(outcome)['.dockerignore']).toBe(expected('curl-healthcheck')['.dockerignore']);
  });

  it('a declined split is not made in other words by a later pass: the file keeps one stage', () => {
    // pip-requirements: the user non-root-user adds to the single stage would reword the split.
    const { all, outcome } = session([file('pip-requirements')], 'yynyyyyy');
    expect([...all.matchAll(/^\(\d+\/\d+\) multi-stage: /gm)]).toHaveLength(1);
    expect(outcome!.files[0]).toMatchObject({ rejected: 1 });
    expect(written(outcome).Dockerfile.match(/^FROM /gm)).toHaveLength(1);
  });

  it('n on a fix nothing stands on declines it alone', () => {
    const { all, outcome } = session([file('curl-healthcheck')], 'ynyyyyyyyy');
    expect(asked(all)).toEqual(ASKED);
    expect(all).not.toContain('go with it');
    expect(written(outcome).Dockerfile).toContain('RUN pip install uv\n');
    expect(outcome!.files[0]).toMatchObject({ accepted: 10, rejected: 1 });
  });

  it('q writes exactly the fixes accepted so far', () => {
    const f = file('curl-healthcheck');
    const { outcome } = session([f], 'yyq');
    expect(outcome).toMatchObject({ write: true, files: [{ accepted: 2, rejected: 0 }] });
    const only = migrateAccepting(f.review, (k) =>
      ['pin-python-base', 'pin-uv'].includes(k.transform),
    );
    expect(written(outcome)).toEqual(
      Object.fromEntries(only.changes.map((c) => [c.path, c.after])),
    );
  });

  it('a applies the rest of the file, d leaves a file as it is, and both go on to the next file', () => {
    const files = [file('curl-healthcheck'), file('fastapi-dev', 'api/Dockerfile')];
    const { all, outcome } = session(files, 'nda');
    expect(all).toContain('Dockerfile: left as it is\n');
    expect(all).toMatch(/api\/Dockerfile: \d+ fixes to review\n/);
    expect(outcome!.files.map((o) => o.result === null)).toEqual([true, false]);
    expect(written(outcome, 1)).toEqual(expected('fastapi-dev'));
  });

  it('? shows the rationale and asks again; another key shows the keys', () => {
    const { screens, outcome } = session([file('curl-healthcheck')], '?xyq');
    expect(screens[1]).toContain(`Why pin-python-base: ${rationale('pin-python-base')}\n`);
    expect(screens[1]).toMatch(/d - leave this file as it is/);
    expect(screens[1]).toMatch(/\nApply this fix \[y,n,a,d,q,\?\]\? $/);
    expect(screens[2]).toMatch(/^x\ny - apply this fix\n[^]*\nApply this fix \[y,n,a,d,q,\?\]\? $/);
    expect(outcome!.files[0]).toMatchObject({ accepted: 1, rejected: 0 });
  });

  it('Ctrl-C ends the review with nothing to write', () => {
    const { outcome, screens } = session([file('curl-healthcheck')], 'yy\u0003');
    expect(outcome!.write).toBe(false);
    expect(screens.at(-1)).toBe('^C\n');
  });

  it('colours the hunk and the prompt only when asked', () => {
    expect(session([file('curl-healthcheck')], '').screens[0]).not.toContain('\x1b[');
    const coloured = session([file('curl-healthcheck')], '', true).screens[0];
    expect(coloured).toContain('\x1b[32m+FROM python:3.12-slim-trixie\x1b[39m');
    expect(coloured).toContain('\x1b[1mApply this fix');
  });

  it('says so for a file with nothing to change, and ends at once when no file has', () => {
    const s = new ReviewSession([file('already-hardened')], { color: false, rationale });
    expect(s.start()).toEqual({
      screen: 'Dockerfile: nothing to change\n',
      outcome: { write: true, files: [] },
    });
  });
});
