/**
 * Seeded mutations of every golden input (lines dropped, repeated, swapped; characters deleted or
 * inserted: quotes, brackets, backslashes, `$`, `&`, `#`, line breaks, heredoc openers). Whatever
 * comes in, the engine never throws, never fails to settle, and what it writes migrates to itself.
 * Input it cannot read is refused with a reason, which is allowed.
 */
import { describe, expect, it } from 'vitest';
import { random } from '../bench/generate.js';
import { goldenCases, migrateTree } from './helpers/fixtures.js';

const projects = goldenCases().map((c) => ({
  name: c.name,
  tree: c.input,
  dockerfile: c.dockerfile,
}));

function run(tree: Record<string, string>, dockerfile: string, text: string) {
  return migrateTree(tree, dockerfile, {}, text);
}

function mutate(text: string, rnd: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  if (rnd() < 0.5) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lines = text.split(eol);
    const i = Math.floor(rnd() * lines.length);
    const j = Math.floor(rnd() * lines.length);
    const op = Math.floor(rnd() * 3);
    if (op === 0) lines.splice(i, 1);
    else if (op === 1) lines.splice(i, 0, lines[j]);
    else [lines[i], lines[j]] = [lines[j], lines[i]];
    return lines.join(eol);
  }
  const inserts = ['"', "'", '\\', '[', ']', ' ', '$', '&', '#', '\n', '\r\n', '`', '<<EOF', '|'];
  let out = text;
  for (let m = 0; m < 1 + Math.floor(rnd() * 3); m++) {
    const at = Math.floor(rnd() * out.length);
    out =
      rnd() < 0.5
        ? out.slice(0, at) + out.slice(at + 1)
        : out.slice(0, at) + pick(inserts) + out.slice(at);
  }
  return out;
}

describe('mutated golden inputs', () => {
  it('never throw, always settle, and migrate to a fixed point (600 seeded cases)', () => {
    const rnd = random(20261122);
    let migrated = 0;
    for (let k = 0; k < 600; k++) {
      const { name, tree, dockerfile } = projects[Math.floor(rnd() * projects.length)];
      const text = mutate(tree[dockerfile], rnd);
      const r = run(tree, dockerfile, text);
      const where = `${name} #${k}: ${JSON.stringify(text)}`;
      expect(r.internal, where).toBeUndefined();
      if (r.status === 'error') {
        expect(r.errors[0], where).not.toMatch(/settle|undo each other/);
        continue;
      }
      migrated++;
      const after = { ...tree, [dockerfile]: text };
      for (const c of r.changes) after[c.path] = c.after;
      const again = run(after, dockerfile, after[dockerfile]);
      expect(
        again.changes.map((c) => c.path),
        where,
      ).toEqual([]);
    }
    expect(migrated).toBeGreaterThan(200);
  });
});

/** A small uv project around each odd Dockerfile. */
const UV_TREE: Record<string, string> = {
  'pyproject.toml':
    '[project]\nname = "app"\nversion = "0.1.0"\nrequires-python = ">=3.12"\ndependencies = ["uvicorn"]\n',
  'uv.lock': 'version = 1\n',
  'app/__init__.py': '',
};
const HEAD = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n';

describe('valid files that look odd', () => {
  // [name, Dockerfile, text the output keeps as it was, the output's last line]
  const cases: [string, string, string[], string][] = [
    [
      'a RUN that starts with a shell test',
      `${HEAD}RUN [ ! -d /data ] && mkdir /data\nRUN uv sync --locked\nCMD ["uv", "run", "uvicorn", "app:app"]\n`,
      ['RUN [ ! -d /data ] && mkdir /data\n'],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'an exec-form string that runs over a line continuation',
      `${HEAD}RUN uv sync --locked\nCMD ["/bin/sh", "-c", "    \\\n    exec uv run uvicorn app:app"]\n`,
      ['COPY . .\n'],
      'CMD ["/bin/sh", "-c", "        exec uvicorn app:app"]',
    ],
    [
      'a quoted test',
      `${HEAD}RUN [ "$A" = b ] && echo b\nRUN uv sync --locked\nCMD ["uvicorn", "app:app"]\n`,
      ['RUN [ "$A" = b ] && echo b\n'],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'a test of one quoted word, then a command',
      `${HEAD}RUN [ "$A" ] && uv sync --locked\nCMD ["uvicorn", "app:app"]\n`,
      ['[ "$A" ] && uv sync --frozen --no-dev'],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'a bash test under SHELL bash',
      `${HEAD}SHELL ["/bin/bash", "-c"]\nRUN [[ -f .env ]] || touch .env\nRUN uv sync --locked\nCMD ["uvicorn", "app:app"]\n`,
      ['RUN [[ -f .env ]] || touch .env\n'],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'a test on the continuation line of a mounted RUN',
      `${HEAD}RUN --mount=type=cache,target=/root/.cache/uv \\\n    [ -z "$SKIP" ] || uv sync --locked\nCMD ["uvicorn", "app:app"]\n`,
      ['    [ -z "$SKIP" ] || uv sync --frozen --no-dev\n'],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'tests joined over continuations with a comment line between',
      `${HEAD}RUN [ -n "$A" ] \\\n    && [ "$A" != x ] \\\n    # only then\n    && uv sync --locked\nCMD ["uvicorn", "app:app"]\n`,
      ['    # only then\n'],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'a test inside if',
      `${HEAD}RUN if [ -f extra.txt ]; then cat extra.txt; fi\nRUN uv sync --locked\nCMD ["uvicorn", "app:app"]\n`,
      ['RUN if [ -f extra.txt ]; then cat extra.txt; fi\n'],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'a test without its closing bracket (the shell rejects it; Docker builds the file)',
      `${HEAD}RUN [ -z "$X" || echo set\nRUN uv sync --locked\nCMD ["uvicorn", "app:app"]\n`,
      ['RUN [ -z "$X" || echo set\n'],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'comments after instructions inside continuations',
      `${HEAD}RUN apt-get update \\\n    # keep the image small\n    && rm -rf /var/lib/apt/lists/*\nRUN uv sync \\\n    # exactly the lockfile\n    --locked\nCMD ["uv", "run", \\\n     # the API\n     "uvicorn", "app:app"]\n`,
      ['    # keep the image small\n', '    # exactly the lockfile\n'],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'an exec form with a comment after it',
      `${HEAD}RUN uv sync --locked\nCMD ["uv", "run", "uvicorn", "app:app"]  # the API\n`,
      ['# the API\n'],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'an exec form with a comment after it, CRLF',
      `${HEAD}RUN uv sync --locked\nCMD ["uvicorn", "app:app"] # the API\n`.replace(/\n/g, '\r\n'),
      ['# the API\r\nCMD ["uvicorn", "app:app"]\r\n'],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'an exec form in single quotes',
      `${HEAD}RUN uv sync --locked\nCMD ['uv', 'run', 'uvicorn', 'app:app']\n`,
      [],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'JSON escapes',
      `${HEAD}RUN uv sync --locked\nCMD ["sh", "-c", "echo \\"starting\\" && exec uvicorn app:app"]\n`,
      ['CMD ["sh", "-c", "echo \\"starting\\" && exec uvicorn app:app"]\n'],
      'CMD ["sh", "-c", "echo \\"starting\\" && exec uvicorn app:app"]',
    ],
    [
      'JSON with trailing blanks',
      `${HEAD}RUN uv sync --locked\nCMD ["uvicorn", "app:app"]   \n`,
      ['CMD ["uvicorn", "app:app"]   \n'],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'JSON with blanks inside the brackets',
      `${HEAD}RUN uv sync --locked\nCMD [ "uv", "run", "uvicorn", "app:app" ]\n`,
      [],
      'CMD [ "uvicorn", "app:app" ]',
    ],
    [
      'an empty CMD after an ENTRYPOINT',
      `${HEAD}RUN uv sync --locked\nENTRYPOINT ["uvicorn", "app:app"]\nCMD []\n`,
      ['ENTRYPOINT ["uvicorn", "app:app"]\nCMD []\n'],
      'CMD []',
    ],
    [
      'a HEALTHCHECK that is a shell test',
      `${HEAD}RUN uv sync --locked\nHEALTHCHECK CMD [ -f /tmp/healthy ] || exit 1\nCMD ["uvicorn", "app:app"]\n`,
      ['HEALTHCHECK CMD [ -f /tmp/healthy ] || exit 1\n'],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'a RUN array that is not JSON (the build stops there; Docker reads the file)',
      `${HEAD}RUN ["uv", "sync", "--locked"] # deps\nCMD ["uvicorn", "app:app"]\n`,
      ['RUN ["uv", "sync", "--locked"] # deps\n'],
      'CMD ["uvicorn", "app:app"]',
    ],
    [
      'the backtick escape and a test',
      `# escape=\`\n${HEAD}RUN [ -d /data ] || mkdir /data \`\n    && uv sync --locked\nCMD ["uvicorn", "app:app"]\n`,
      ['    [ -d /data ] || mkdir /data `\n    && uv sync --frozen --no-dev\n'],
      'CMD ["uvicorn", "app:app"]',
    ],
  ];

  it.each(cases)('%s: migrated, not refused, and stable', (_name, text, kept, last) => {
    const r = migrateTree({ ...UV_TREE, Dockerfile: text }, 'Dockerfile', {}, text);
    expect(r.internal).toBeUndefined();
    expect(r.errors).toEqual([]);
    expect(r.status).toBe('changed');
    const output = r.changes.find((c) => c.path === 'Dockerfile')!.after!;
    for (const k of kept) expect(output).toContain(k);
    expect(output.trimEnd().split(/\r?\n/).pop()).toBe(last);
    const after: Record<string, string> = { ...UV_TREE, Dockerfile: text };
    for (const c of r.changes) after[c.path] = c.after!;
    const again = migrateTree(after, 'Dockerfile', {}, output);
    expect(again.errors).toEqual([]);
    expect(again.changes).toEqual([]);
  });
});

it('reads the script an array with a comment after it names, so it loses uv run like the command', () => {
  const script = '#!/bin/sh\nset -e\nuv run alembic upgrade head\nexec "$@"\n';
  const tree = { ...UV_TREE, 'docker-entrypoint.sh': script };
  const text = `${HEAD}RUN uv sync --locked\nENTRYPOINT ["./docker-entrypoint.sh"]  # migrations first\nCMD ["uvicorn", "app:app"]\n`;
  const r = migrateTree({ ...tree, Dockerfile: text }, 'Dockerfile', {}, text);
  expect(r.errors).toEqual([]);
  expect(r.changes.find((c) => c.path === 'Dockerfile')?.after).toContain(
    '# migrations first\nENTRYPOINT ["./docker-entrypoint.sh"]\nCMD ["uvicorn", "app:app"]\n',
  );
  expect(r.changes.find((c) => c.path === 'docker-entrypoint.sh')?.after).toBe(
    '#!/bin/sh\nset -e\nalembic upgrade head\nexec "$@"\n',
  );
});
