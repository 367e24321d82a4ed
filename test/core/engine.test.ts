import { describe, expect, it } from 'vitest';
import { buildContext } from '../../src/core/context.js';
import { MAX_PASSES, dockerfileDoc, mapBack, migrate } from '../../src/core/engine.js';
import { defineTransform, type Transform } from '../../src/core/transform.js';
import { DEFAULT_OPTIONS, type MigrationOptions } from '../../src/core/types.js';

const UV = { 'uv.lock': '' };

function go(
  text: string,
  transforms: Transform[],
  files: Record<string, string> = UV,
  options: Partial<MigrationOptions> = {},
) {
  return migrate(
    { path: 'Dockerfile', text, context: buildContext({ dockerfile: 'Dockerfile', files }) },
    { ...DEFAULT_OPTIONS, ...options },
    transforms,
  );
}

function t(id: string, detect: Transform['detect'], uvOnly = false): Transform {
  return defineTransform({ id, title: `title of ${id}`, rationale: 'r', uvOnly, detect });
}

/** Replaces the first `from` in the text by `to`, one occurrence per call. */
const replace = (id: string, from: string, to: string, uvOnly = false) =>
  t(
    id,
    (doc) => {
      const at = doc.text.indexOf(from);
      return at < 0
        ? []
        : [
            {
              message: `${from} -> ${to}`,
              range: { start: at, end: at + from.length },
              edits: [{ start: at, end: at + from.length, text: to }],
            },
          ];
    },
    uvOnly,
  );

describe('migrate', () => {
  it('applies transforms in order, each on the text the previous one produced', () => {
    const r = go('FROM python:latest\nCMD a\n', [
      replace('one', 'latest', '3.12'),
      replace('two', 'python:3.12\n', 'python:3.12-slim\n'),
    ]);
    expect(r.status).toBe('changed');
    expect(r.changes).toEqual([
      {
        path: 'Dockerfile',
        before: 'FROM python:latest\nCMD a\n',
        after: 'FROM python:3.12-slim\nCMD a\n',
      },
    ]);
    expect(r.findings.map((f) => [f.transform, f.fixed])).toEqual([
      ['one', true],
      ['two', true],
    ]);
  });

  it('reaches a fixed point when a transform fixes one thing per pass', () => {
    const r = go('FROM python:3.12\nRUN a\nRUN a\nRUN a\n', [replace('one', 'RUN a', 'RUN b')]);
    expect(r.changes[0].after).toBe('FROM python:3.12\nRUN b\nRUN b\nRUN b\n');
    expect(r.findings).toHaveLength(1);
  });

  it('gives up after the pass cap and leaves the file unchanged', () => {
    const grow = t('grow', (doc) => [
      {
        message: 'again',
        edits: [{ start: doc.text.length, end: doc.text.length, text: 'RUN x\n' }],
      },
    ]);
    const r = go('FROM python:3.12\n', [grow]);
    expect(r.status).toBe('error');
    expect(r.changes).toEqual([]);
    expect(r.errors[0]).toContain(`${MAX_PASSES} passes`);
  });

  it('detects transforms that undo each other', () => {
    const r = go('FROM python:3.12\nRUN a\n', [
      replace('ab', 'RUN a', 'RUN b'),
      replace('ba', 'RUN b', 'RUN a'),
    ]);
    expect(r.status).toBe('error');
    expect(r.errors[0]).toMatch(/undo each other/);
  });

  it('migrates the document the caller parsed to read the context, and only a parse of its text', () => {
    const text = '\uFEFFFROM python:3.12\nRUN a\n';
    const seen: unknown[] = [];
    const spy = t('spy', (doc) => (seen.push(doc), []));
    const run = (doc: ReturnType<typeof dockerfileDoc>) =>
      migrate(
        {
          path: 'Dockerfile',
          text,
          context: buildContext({ dockerfile: 'Dockerfile', files: UV }),
          ...(doc ? { doc } : {}),
        },
        DEFAULT_OPTIONS,
        [spy],
      );
    const handed = dockerfileDoc(text)!;
    expect(handed.text).toBe('FROM python:3.12\nRUN a\n');
    run(handed);
    expect(seen[0]).toBe(handed);
    const other = dockerfileDoc('FROM python:3.11\n')!;
    run(other);
    expect(seen[1]).not.toBe(other);
    expect((seen[1] as typeof other).text).toBe(handed.text);
    expect(dockerfileDoc('\uFEFF \n')).toBeNull();
  });

  it('keeps a BOM and CRLF as found', () => {
    const r = go('\uFEFFFROM python:latest\r\nCMD a\r\n', [replace('one', 'latest', '3.12')]);
    expect(r.changes[0].before).toBe('\uFEFFFROM python:latest\r\nCMD a\r\n');
    expect(r.changes[0].after).toBe('\uFEFFFROM python:3.12\r\nCMD a\r\n');
  });

  it('reports findings without edits as not fixed, once', () => {
    const note = t('note', () => [{ message: 'cannot fix this safely' }]);
    const r = go('FROM python:3.12\n', [note, replace('one', 'RUN a', 'RUN b')]);
    expect(r.status).toBe('unchanged');
    expect(r.findings).toEqual([
      {
        transform: 'note',
        title: 'title of note',
        message: 'cannot fix this safely',
        severity: 'info',
        fixed: false,
      },
    ]);
  });

  it('drops an unfixed finding that a later transform resolved', () => {
    const watch = t('watch', (doc) =>
      doc.text.includes('RUN x') ? [{ message: 'RUN x is still there' }] : [],
    );
    const r = go('FROM python:3.12\nRUN x\n', [watch, replace('fix', 'RUN x', 'RUN y')]);
    expect(r.findings.map((f) => `${f.transform}: ${f.message}`)).toEqual(['fix: RUN x -> RUN y']);
  });

  it('gives the 1-based line of a finding on the original text', () => {
    const r = go('FROM python:3.12\n\nRUN a\n', [replace('one', 'RUN a', 'RUN b')]);
    expect(r.findings[0].line).toBe(3);
  });

  it('refuses a file with an unknown instruction, unchanged', () => {
    const r = go('FROM python:3.12\nFOO bar\n', [replace('one', '3.12', '3.13')]);
    expect(r.status).toBe('error');
    expect(r.errors).toEqual(['unknown instruction FOO on line 2']);
    expect(r.changes).toEqual([]);
  });

  it.each([
    ['', 'the file is empty'],
    ['# only a comment\n\n', 'the file has no instructions (only comments or blank lines)'],
    ['FROM a\0b\n', 'the file holds binary data (NUL bytes), not a Dockerfile'],
    ['RUN echo hi\nFROM python:3.12\n', 'RUN on line 1 comes before the first FROM'],
    [
      'FROM python:3.12\nRUN echo \\\n',
      'the last instruction ends with a line continuation and nothing after it',
    ],
    [
      'FROM python:3.12\nRUN <<EOF\nuv sync --locked\nCMD ["app"]\n',
      'the heredoc <<EOF of the RUN on line 2 is never closed: no line EOF follows',
    ],
    [
      'FROM python:3.12\nCMD ["uvicorn", "--port", 8000]\n',
      'the CMD on line 2 is a JSON array holding 8000, which Docker refuses: an exec-form array holds only strings',
    ],
    [
      'FROM python:3.12\nRUN [ 1 ]\n',
      'the RUN on line 2 is a JSON array holding 1, which Docker refuses: an exec-form array holds only strings',
    ],
    [
      'FROM python:3.12\nHEALTHCHECK CMD ["python", \\\n  null]\n',
      'the HEALTHCHECK on line 2 is a JSON array holding null, which Docker refuses: an exec-form array holds only strings',
    ],
    [
      'FROM python:3.12\nCOPY ["a", ["b"], "/app/"]\n',
      'the COPY on line 2 is a JSON array holding ["b"], which Docker refuses: an exec-form array holds only strings',
    ],
    [
      'FROM python:3.12\nCMD ["uvicorn", "app:app]\n',
      'the CMD on line 2 is cut off: the shell text ends inside a quote or bracket (reached EOF without closing quote ")',
    ],
    [
      'FROM python:3.12\nRUN pip install \\\n  "uv==0.5\n',
      'the RUN on line 2 is cut off: the shell text ends inside a quote or bracket (reached EOF without closing quote ")',
    ],
    [
      'FROM python:3.12\nCMD echo $(date\n',
      'the CMD on line 2 is cut off: the shell text ends inside a quote or bracket (reached EOF without matching ( with ))',
    ],
    [
      'FROM python:3.12\nENV GREETING="hello\n',
      'the ENV on line 2 is cut off: a value opens a double quote that is never closed',
    ],
    [
      "FROM python:3.12\nLABEL note=it's\n",
      'the LABEL on line 2 is cut off: a value opens a single quote that is never closed',
    ],
    [
      'FROM python:3.12\nFROM ghcr.io/astral-sh/uv:latest)\u2028 { `\n',
      'the FROM on line 2 is not `FROM image` or `FROM image AS name` (3 words)',
    ],
    [
      'FROM python:3.12 builder\n',
      'the FROM on line 1 is not `FROM image` or `FROM image AS name` (2 words)',
    ],
    [
      'FROM ghcr.io/astral-sh/uv:latest)\n',
      'the FROM on line 1 names "ghcr.io/astral-sh/uv:latest)", which is not a valid image reference',
    ],
    [
      'FROM Python:3.12\n',
      'the FROM on line 1 names "Python:3.12", which is not a valid image reference',
    ],
    [
      'FROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:latest) /uv /bin/\n',
      'the COPY on line 2 copies --from "ghcr.io/astral-sh/uv:latest)", which is neither a stage nor a valid image reference',
    ],
  ])('refuses bad input %j', (text, reason) => {
    const r = go(text, [replace('one', '3.12', '3.13')]);
    expect(r.status).toBe('error');
    expect(r.errors).toEqual([reason]);
  });

  it.each([
    "FROM python:3.12\nCMD ['uvicorn', 'app:app']\n",
    'FROM python:3.12\nENV A="it\'s" B=\'say "hi"\' C=a\\"b\n',
    'FROM python:3.12\nLABEL a="x \\" y"\n',
    '# escape=`\nFROM python:3.12\nENV A="C:\\dir\\" B=`"q\n',
    'FROM --platform=$BUILDPLATFORM python:3.12 AS Base\nFROM base\nCOPY --from=BASE /a /b\nCOPY --from=0 /a /b\n',
    'FROM ${REGISTRY}/python:3.12\nCOPY --from=localhost:5000/tools/uv:0.5@sha256:' +
      'a'.repeat(64) +
      ' /uv /bin/\n',
    // Docker reads text that is not a JSON array as shell form; the shell decides.
    'FROM python:3.12\nRUN [ ! -d /data ] && mkdir /data\n',
    'FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/uv \\\n    [ -z "$X" ] || uv sync\n',
    'FROM python:3.12\nRUN [ -z "$X"\n',
    'FROM python:3.12\nCMD ["uvicorn", "app:app"]  # the API\n',
    'FROM python:3.12\nCMD ["uvicorn", "app:app"\n',
    'FROM python:3.12\nCMD [ "a" ]\nCMD []\nRUN [ "$A" ] && [ "$A" = b ]\n',
  ])('accepts quotes that are closed or escaped, stages and image references %j', (text) => {
    const r = go(text, [replace('one', '3.12', '3.13')]);
    expect(r.errors).toEqual([]);
    expect(r.status).toBe('changed');
  });

  it('refuses an output that breaks what the input had right', () => {
    const r = go('FROM python:3.12\nCMD ["a"]\n', [replace('bad', '["a"]', "['a']")]);
    expect(r.status).toBe('error');
    expect(r.errors[0]).toMatch(/would be invalid \(an exec-form array is not valid JSON\)/);
    expect(r.changes).toEqual([]);
  });

  it('refuses an output whose start command calls uv in a stage that no longer has uv', () => {
    const input =
      'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /bin/\nCMD ["uv", "run", "app"]\n';
    const dropUv = replace('drop-uv', 'COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /bin/\n', '');
    const r = go(input, [dropUv]);
    expect(r.status).toBe('error');
    expect(r.errors[0]).toMatch(/the CMD of stage 1 would call uv, which that stage no longer has/);
    // The same start command in a stage that keeps uv, or one that never had it, is no regression.
    expect(go(input, [replace('pin', '0.13.8', '0.13.9')]).status).toBe('changed');
    const without = 'FROM python:3.12-slim\nCMD ["uv", "run", "app"]\nLABEL a=b\n';
    expect(go(without, [replace('label', 'a=b', 'a=c')]).status).toBe('changed');
    // A shell-form start through sh -c is read too.
    const shell =
      'FROM python:3.12-slim\nRUN pip install uv\nCMD ["sh", "-c", "exec uv run app"]\n';
    expect(go(shell, [replace('drop-pip', 'RUN pip install uv\n', '')]).errors[0]).toMatch(
      /would call uv/,
    );
  });

  it('turns an exception in a transform into an error for the file, with the stack kept', () => {
    const r = go('FROM python:3.12\n', [
      t('boom', () => {
        throw new Error('kaput');
      }),
    ]);
    expect(r.status).toBe('error');
    expect(r.errors).toEqual([
      'internal error while migrating, a bug in dockmig (please report it with this file; DOCKMIG_DEBUG=1 shows where): kaput',
    ]);
    expect(r.internal).toMatch(/kaput[\s\S]*engine\.test/);
  });

  it('creates and edits other files of the change set', () => {
    const ignore = t('ignore', (_doc, ctx) =>
      ctx.files['.dockerignore']?.includes('.venv')
        ? []
        : [
            {
              message: 'add .venv',
              edits: [{ file: '.dockerignore', start: 0, end: 0, text: '.venv\n' }],
            },
          ],
    );
    const created = go('FROM python:3.12\n', [ignore]);
    expect(created.changes).toEqual([{ path: '.dockerignore', before: null, after: '.venv\n' }]);
    const extended = go('FROM python:3.12\n', [ignore], { ...UV, '.dockerignore': '.git\n' });
    expect(extended.changes).toEqual([
      { path: '.dockerignore', before: '.git\n', after: '.venv\n.git\n' },
    ]);
    const present = go('FROM python:3.12\n', [ignore], { ...UV, '.dockerignore': '.venv\n' });
    expect(present.changes).toEqual([]);
  });

  it('skips uv-only transforms in a project without uv, and says why', () => {
    const r = go(
      'FROM python:latest\nRUN pip install -r requirements.txt\n',
      [replace('uv', 'pip', 'uv pip', true), replace('base', 'latest', '3.12')],
      { 'requirements.txt': '' },
    );
    expect(r.changes[0].after).toBe('FROM python:3.12\nRUN pip install -r requirements.txt\n');
    expect(r.notes).toEqual([
      expect.stringMatching(/^uv migration skipped: a pip project \(requirements\.txt\)/),
    ]);
  });

  it('runs the transforms marked pip for a pip project whose installs can go into a venv, never the other uv ones', () => {
    const pipToo = (id: string, from: string, to: string) => ({
      ...replace(id, from, to, true),
      pip: true,
    });
    const text =
      'FROM python:3.12-slim\nWORKDIR /app\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "app:app"]\n';
    const transforms = [
      pipToo('layout', 'WORKDIR /app', 'WORKDIR /srv'),
      replace('uv', 'pip', 'uv pip', true),
    ];
    const r = go(text, transforms, { 'requirements.txt': '' });
    expect(r.changes[0].after).toBe(text.replace('/app', '/srv'));
    expect(r.notes).toEqual([
      expect.stringMatching(
        /^uv migration skipped: a pip project.*moving the project to uv is a separate step$/,
      ),
    ]);
    // Kept in its single stage (--target), or a Pipenv project: only what does not depend on uv.
    expect(
      go(text.replace('install', 'install --target /deps'), transforms, { 'requirements.txt': '' })
        .changes,
    ).toEqual([]);
    const pipenvToo = text.replace('RUN pip', 'RUN pipenv install --skip-lock\nRUN pip');
    expect(go(pipenvToo, transforms, { Pipfile: '' }).changes).toEqual([]);
    // A Pipfile the Dockerfile never calls Pipenv for: what it runs, pip, decides.
    expect(go(text, transforms, { Pipfile: '' }).changes[0].after).toBe(
      text.replace('/app', '/srv'),
    );
  });

  it('builds a Dockerfile that never names uv with its own installer beside a uv.lock, and says so', () => {
    const pipToo = { ...replace('layout', 'WORKDIR /app', 'WORKDIR /srv', true), pip: true };
    const uvOnly = replace('uv', 'app:app', 'app:uv_app', true);
    const text =
      'FROM python:3.12-slim\nWORKDIR /app\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "app:app"]\n';
    const r = go(text, [pipToo, uvOnly], { 'requirements.txt': '', 'uv.lock': '' });
    expect(r.changes[0].after).toBe(text.replace('/app', '/srv'));
    expect(r.notes).toEqual([
      expect.stringMatching(
        /^uv migration skipped: a pip project: the project has a uv\.lock, but the Dockerfile never names uv .*installing uv\.lock with uv sync instead .* is a separate step$/,
      ),
    ]);
    // Naming uv anywhere makes it a uv project again: the uv transforms run, pip's layout does not.
    const named = text.replace('RUN pip install -r', 'RUN pip install uv && pip install -r');
    const uvRun = go(named, [pipToo, uvOnly], { 'requirements.txt': '', 'uv.lock': '' });
    expect(uvRun.changes[0].after).toBe(
      named.replace('/app', '/srv').replace('app:app', 'app:uv_app'),
    );
    expect(uvRun.notes).toEqual([]);
  });

  it('names a conda project in its note: reported, not restructured', () => {
    const text =
      'FROM continuumio/miniconda3:24.7.1-0\nWORKDIR /app\nCOPY . .\nRUN conda env create -f environment.yml\nCMD ["conda", "run", "-n", "app", "python", "app.py"]\n';
    const uvOnly = replace('uv', 'app.py', 'main.py', true);
    const r = go(text, [uvOnly], { 'environment.yml': '' });
    expect(r.changes).toEqual([]);
    expect(r.notes).toEqual([
      expect.stringMatching(/^uv migration skipped: a conda project: .*not restructured/),
    ]);
    // A conda RUN on another image is one too.
    const onDebian = text.replace('continuumio/miniconda3:24.7.1-0', 'debian:12');
    expect(go(onDebian, [uvOnly], {}).notes).toEqual([expect.stringMatching(/a conda project/)]);
  });

  it('treats uv in the Dockerfile as a uv project without uv.lock', () => {
    const r = go(
      'FROM python:3.12\nRUN pip install uv\n',
      [replace('uv', 'pip install uv', 'true', true)],
      {},
    );
    expect(r.status).toBe('changed');
    expect(r.notes).toEqual([]);
  });

  it('honours only and skip', () => {
    const ts = [replace('one', 'a', 'b'), replace('two', 'c', 'd')];
    expect(go('FROM python:3.12\nRUN a c\n', ts, UV, { only: ['two'] }).changes[0].after).toBe(
      'FROM python:3.12\nRUN a d\n',
    );
    expect(go('FROM python:3.12\nRUN a c\n', ts, UV, { skip: ['two'] }).changes[0].after).toBe(
      'FROM python:3.12\nRUN b c\n',
    );
  });
});

describe('decisions and ranges', () => {
  const review = (
    text: string,
    transforms: Transform[],
    accept: (f: { transform: string; message: string }) => boolean,
  ) =>
    migrate(
      { path: 'Dockerfile', text, context: buildContext({ dockerfile: 'Dockerfile', files: UV }) },
      DEFAULT_OPTIONS,
      transforms,
      { accept },
    );

  it('a declined finding is reported, not applied, and the transforms after it see the file without it', () => {
    const text = 'FROM a\nRUN b\n';
    const r = review(
      text,
      [replace('one', 'FROM a', 'FROM x'), replace('two', 'FROM x', 'FROM y')],
      (f) => f.transform !== 'one',
    );
    expect(r.status).toBe('unchanged');
    expect(r.findings).toEqual([
      expect.objectContaining({ transform: 'one', fixed: false, declined: true }),
    ]);
    const all = review(
      text,
      [replace('one', 'FROM a', 'FROM x'), replace('two', 'FROM x', 'FROM y')],
      () => true,
    );
    expect(all.changes[0].after).toBe('FROM y\nRUN b\n');
    expect(all.findings.map((f) => [f.transform, f.fixed, f.declined])).toEqual([
      ['one', true, undefined],
      ['two', true, undefined],
    ]);
  });

  it('a transform said no to makes no new fix in a later pass, however it words it', () => {
    const text = 'FROM a\nCMD c\n';
    // `split` words its fix by what the file holds; `user` adds to the file after it.
    const split = t('split', (doc) =>
      doc.text.includes('AS builder')
        ? []
        : [
            {
              message: doc.text.includes('USER') ? 'split, the user kept' : 'split',
              edits: [{ start: 0, end: 6, text: 'FROM a AS builder\nFROM a' }],
            },
          ],
    );
    const user = t('user', (doc) =>
      doc.text.includes('USER')
        ? []
        : [
            {
              message: 'user',
              edits: [{ start: doc.text.length, end: doc.text.length, text: 'USER 1\n' }],
            },
          ],
    );
    const r = review(
      text,
      [split, user],
      (f) => !(f.transform === 'split' && f.message === 'split'),
    );
    expect(r.changes[0].after).toBe('FROM a\nCMD c\nUSER 1\n');
    expect(r.findings.filter((f) => f.transform === 'split')).toEqual([
      expect.objectContaining({ message: 'split, the user kept', fixed: false, declined: true }),
    ]);
  });

  it("a later transform's range is mapped back through the edits made before it ran", () => {
    const text = 'FROM a\nRUN b\nCMD c\n';
    const r = go(text, [
      replace('grow', 'FROM a', 'FROM much-longer-name'),
      replace('cmd', 'CMD c', 'CMD d'),
    ]);
    const cmd = r.findings.find((f) => f.transform === 'cmd')!;
    expect(text.slice(cmd.range!.start, cmd.range!.end)).toBe('CMD c');
    // And its line is the original file's, as the reports print it.
    expect([cmd.line, cmd.endLine]).toEqual([3, 3]);
    // The first transform's range is in the original text as it was.
    const grow = r.findings.find((f) => f.transform === 'grow')!;
    expect(text.slice(grow.range!.start, grow.range!.end)).toBe('FROM a');
  });

  it('a range inside text a fix wrote points at where that text was put', () => {
    const text = 'FROM a\nCMD c\n';
    const insert = t('insert', (doc) =>
      doc.text.includes('USER')
        ? []
        : [{ message: 'user', edits: [{ start: 7, end: 7, text: 'USER 1\n' }] }],
    );
    const about = t('about', (doc) => {
      const at = doc.text.indexOf('USER 1');
      return [{ message: 'about the user', range: { start: at, end: at + 6 } }];
    });
    const r = go(text, [insert, about]);
    expect(r.findings.find((f) => f.transform === 'about')!.range).toEqual({ start: 7, end: 7 });
  });
});

describe('mapBack', () => {
  const trail = [[{ start: 2, end: 4, text: 'XYZW' }]]; // 'abcdef' -> 'abXYZWef'
  it.each([
    [0, 'start', 0],
    [2, 'start', 2],
    [3, 'start', 2],
    [3, 'end', 4],
    [6, 'start', 4],
    [6, 'end', 4],
    [7, 'end', 5],
  ] as const)('offset %i (%s) -> %i', (offset, side, expected) => {
    expect(mapBack(offset, trail, side)).toBe(expected);
  });
});
