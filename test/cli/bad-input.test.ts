/**
 * Every bad input of a run, through the built binary with `--write`: the bad file is named on one
 * stderr line (`path: error: reason`, the path relative to the working directory), it stays
 * byte-identical, nothing is written beside it, the good project next to it is still migrated and
 * written, the exit code is 2, and no stack trace shows. The README's reliability table is this one.
 */
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  checkout,
  cleanup,
  dockmig,
  dockmigAsync,
  dockmigWith,
  example,
  fixture,
  STACK,
  tempDir,
} from '../helpers/cli.js';

beforeAll(assertBuilt);
afterEach(cleanup);

const golden = () => readFileSync(fixture('python-latest-uvicorn-reload'), 'utf8');
const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

interface BadCase {
  name: string;
  /** The path given on the command line, relative to the checkout. */
  path: string;
  /** Creates the bad input inside the checkout. */
  setup: (dir: string) => void;
  /** The whole stderr line, after `path: error: `. */
  reason: string;
  /** Extra flags. */
  flags?: string[];
  /** The file whose bytes must not change (default: `path`, when it is a regular file). */
  keep?: string;
  /** Run as another user (the unreadable case, when the tests run as root). */
  user?: boolean;
}

const write = (rel: string, content: string | Buffer) => (dir: string) => {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), content);
};
const big = `FROM python:3.12\n${'# padding, padding, padding, padding, padding, padding, padding\n'.repeat(17000)}`;

const CASES: BadCase[] = [
  {
    name: 'an empty file',
    path: 'Dockerfile',
    setup: write('Dockerfile', ''),
    reason: 'the file is empty',
  },
  {
    name: 'only comments',
    path: 'Dockerfile',
    setup: write('Dockerfile', '# syntax=docker/dockerfile:1\n\n# nothing here\n'),
    reason: 'the file has no instructions (only comments or blank lines)',
  },
  {
    name: 'binary content (NUL bytes)',
    path: 'Dockerfile',
    setup: write('Dockerfile', Buffer.from('FROM python\0:3.12\nRUN x\n', 'latin1')),
    reason: 'the file holds binary data (NUL bytes), not a Dockerfile',
  },
  {
    name: 'invalid UTF-8',
    path: 'Dockerfile',
    setup: write('Dockerfile', Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xff, 0xfe, 0x0a])),
    reason: 'the file is not valid UTF-8 text',
  },
  {
    name: 'larger than the default limit (1 MiB)',
    path: 'Dockerfile',
    setup: write('Dockerfile', big),
    reason: `is ${Buffer.byteLength(big)} bytes, over the 1 MiB limit (--max-size)`,
  },
  {
    name: 'larger than --max-size',
    path: 'Dockerfile',
    flags: ['--max-size', '1k'],
    setup: write('Dockerfile', `FROM python:3.12\n${'# pad\n'.repeat(400)}`),
    reason: 'is 2417 bytes, over the 1 KiB limit (--max-size)',
  },
  {
    name: 'an unknown instruction',
    path: 'Dockerfile',
    setup: write('Dockerfile', 'FROM python:latest\nFROOM x\n'),
    reason: 'unknown instruction FROOM on line 2',
  },
  {
    name: 'a JSON array holding a number (Docker refuses it)',
    path: 'Dockerfile',
    setup: write('Dockerfile', 'FROM python:3.12\nCMD ["python", "-m", "http.server", 8000]\n'),
    reason:
      'the CMD on line 2 is a JSON array holding 8000, which Docker refuses: an exec-form array holds only strings',
  },
  {
    name: 'an unterminated quote in shell text',
    path: 'Dockerfile',
    setup: write('Dockerfile', 'FROM python:3.12\nRUN echo "hello\n'),
    reason:
      'the RUN on line 2 is cut off: the shell text ends inside a quote or bracket (reached EOF without closing quote ")',
  },
  {
    name: 'an unterminated quote in ENV',
    path: 'Dockerfile',
    setup: write('Dockerfile', 'FROM python:3.12\nENV GREETING="hello\n'),
    reason: 'the ENV on line 2 is cut off: a value opens a double quote that is never closed',
  },
  {
    name: 'an unterminated heredoc',
    path: 'Dockerfile',
    setup: write('Dockerfile', 'FROM python:3.12\nRUN <<EOF\npip install uv\n'),
    reason: 'the heredoc <<EOF of the RUN on line 2 is never closed: no line EOF follows',
  },
  {
    name: 'a continuation at the end of the file',
    path: 'Dockerfile',
    setup: write('Dockerfile', 'FROM python:3.12\nRUN pip install uv \\\n'),
    reason: 'the last instruction ends with a line continuation and nothing after it',
  },
  {
    name: 'a path that does not exist',
    path: 'nope/Dockerfile',
    setup: () => {},
    reason: 'no such file or directory',
  },
  {
    name: 'a directory named Dockerfile',
    path: 'Dockerfile',
    setup: (dir) => mkdirSync(join(dir, 'Dockerfile')),
    reason: 'is a directory, not a Dockerfile',
  },
  {
    name: 'a directory with no Dockerfile in it',
    path: 'docs',
    setup: write('docs/README.md', '# docs\n'),
    reason: 'no Dockerfile in it (Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile)',
  },
  {
    name: 'a symbolic link to a Dockerfile',
    path: 'Dockerfile',
    setup: (dir) => {
      write('other/Dockerfile', 'FROM python:latest\nCMD uv run app\n')(dir);
      symlinkSync(join(dir, 'other', 'Dockerfile'), join(dir, 'Dockerfile'));
    },
    keep: 'other/Dockerfile',
    reason:
      'is a symbolic link; dockmig neither follows nor writes through links: name its target instead',
  },
  {
    name: 'a symbolic link to a directory',
    path: 'linked',
    setup: (dir) => {
      cpSync(example, join(dir, 'elsewhere'), { recursive: true });
      symlinkSync(join(dir, 'elsewhere'), join(dir, 'linked'));
    },
    keep: 'elsewhere/Dockerfile',
    reason: 'is a symbolic link to a directory; links are not followed',
  },
  {
    name: 'an unreadable file (permissions)',
    path: 'locked/Dockerfile',
    user: true,
    setup: (dir) => {
      cpSync(example, join(dir, 'locked'), { recursive: true });
      chmodSync(join(dir, 'locked', 'Dockerfile'), 0o000);
    },
    reason: 'cannot be read: permission denied',
  },
  {
    name: 'a read-only file with --write',
    path: 'ro/Dockerfile',
    setup: (dir) => {
      cpSync(example, join(dir, 'ro'), { recursive: true });
      chmodSync(join(dir, 'ro', 'Dockerfile'), 0o444);
    },
    reason: 'the file is read-only; nothing was written',
  },
];

/**
 * Root reads every file whatever its mode, so as root the run that must meet a permission error runs
 * as nobody, over a checkout nobody owns.
 */
function giveAway(dir: string): void {
  chownSync(dir, NOBODY, NOBODY);
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (!lstatSync(path).isSymbolicLink()) chownSync(path, NOBODY, NOBODY);
  }
}

/** Bytes of every file under `dir` (links as their target path), to prove nothing moved. */
function snapshot(dir: string, skip: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const r = rel ? `${rel}/${name}` : name;
      if (r === skip || name === '.git') continue;
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path, r);
      else if (st.isSymbolicLink()) out.set(r, `-> ${readlinkSync(path)}`);
      else out.set(r, (st.mode & 0o777) === 0 ? '(unreadable)' : readFileSync(path, 'base64'));
    }
  };
  walk(dir, '');
  return out;
}

describe('bad input: one line, nothing lost, the rest of the run still written, exit 2', () => {
  it.each(CASES.map((c) => [c.name, c]))('%s', (_name, c) => {
    const dir = checkout();
    c.setup(dir);
    const before = snapshot(dir, 'svc');
    if (c.user && asRoot) giveAway(dir);
    const args = [...(c.flags ?? []), '--write', c.path, 'svc'];
    const r =
      c.user && asRoot
        ? dockmigWith({ cwd: dir, uid: NOBODY, gid: NOBODY }, ...args)
        : dockmig(dir, ...args);

    expect(r.code).toBe(2);
    const errors = r.stderr.split('\n').filter((l) => / error: /.test(l));
    expect(errors).toEqual([`${c.path}: error: ${c.reason}`]);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toMatch(/\n2 files: 1 changed, 0 unchanged, 1 error\n$/);
    // Nothing of the checkout changed but the good project (the bad file, a link's target, no
    // .dockerignore or temporary file beside it).
    expect(snapshot(dir, 'svc')).toEqual(before);
    expect(readFileSync(join(dir, 'svc', 'Dockerfile'), 'utf8')).toBe(golden());
    expect(readFileSync(join(dir, 'svc', '.dockerignore'), 'utf8')).toBe(
      '.venv\n__pycache__\n.git\n.env\n',
    );
  });
});

describe('constructs the transforms do not understand', () => {
  it.each([
    [
      'ONBUILD running uv',
      'FROM python:latest\nWORKDIR /app\nCOPY . .\nRUN pip install uv && uv sync --locked\nONBUILD RUN uv sync\nCMD ["uv", "run", "python", "main.py"]\n',
      /unsupported: an ONBUILD trigger runs uv .*\(not fixed: needs a person\)/,
    ],
    [
      'several CMDs in one stage',
      'FROM python:latest\nWORKDIR /app\nCOPY . .\nRUN pip install uv && uv sync --locked\nCMD ["python", "a.py"]\nCMD ["uv", "run", "python", "main.py"]\n',
      /unsupported: CMD appears 2 times in one stage .*\(not fixed: needs a person\)/,
    ],
    [
      'uv run --with',
      'FROM python:latest\nWORKDIR /app\nCOPY . .\nRUN pip install uv && uv sync --locked\nCMD uv run --with httpx python main.py\n',
      /multi-stage: .*still needs uv.*\(not fixed: needs a person\)/,
    ],
  ])('%s: the safe transforms apply, what was not done is said, exit 2', (_name, input, said) => {
    const dir = checkout();
    cpSync(join(dir, 'svc'), join(dir, 'odd'), { recursive: true });
    writeFileSync(join(dir, 'odd', 'Dockerfile'), input);
    const r = dockmig(dir, '--write', 'odd', 'svc');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(said);
    expect(r.stderr).toContain('  pin-python-base: python:latest -> python:3.12-slim-trixie');
    expect(r.stderr).toMatch(/\n2 files: 2 changed, 0 unchanged, 0 errors; 1 left incomplete\n$/);
    expect(r.stderr).not.toMatch(STACK);
    const out = readFileSync(join(dir, 'odd', 'Dockerfile'), 'utf8');
    expect(out).not.toBe(input);
    expect(out).toContain('COPY --from=ghcr.io/astral-sh/uv:0.13.8');
    expect(readFileSync(join(dir, 'svc', 'Dockerfile'), 'utf8')).toBe(golden());
    // What was left is stable: a second run changes nothing and still says it is incomplete.
    const again = dockmig(dir, '--check', 'odd');
    expect(again.stdout).toBe('');
    expect(again.code).toBe(2);
  });
});

describe('valid files that only look broken', () => {
  // Docker reads text that is not a JSON array as shell form; what the shell accepts is valid.
  it.each([
    [
      'a RUN that starts with a shell test',
      'FROM python:latest\nWORKDIR /app\nRUN [ ! -d /data ] && mkdir /data\nCOPY . .\nRUN pip install uv && uv sync --locked\nCMD ["uv", "run", "python", "main.py"]\n',
      null,
    ],
    [
      'a mounted RUN whose continuation starts with a shell test',
      'FROM python:latest\nWORKDIR /app\nCOPY . .\nRUN pip install uv\nRUN --mount=type=cache,target=/root/.cache/uv \\\n    [ -z "$SKIP_SYNC" ] || uv sync --locked\nCMD ["uv", "run", "python", "main.py"]\n',
      null,
    ],
    [
      'an exec-form CMD with a comment after it',
      'FROM python:latest\nWORKDIR /app\nCOPY . .\nRUN pip install uv && uv sync --locked\nCMD ["uv", "run", "python", "main.py"]  # the service\n',
      /exec-form: CMD is not exec form \(`# the service` after the array is part of its text/,
    ],
    [
      'a test without its closing bracket (the shell rejects it when it runs)',
      'FROM python:latest\nWORKDIR /app\nRUN [ -d /data || mkdir /data\nCOPY . .\nRUN pip install uv && uv sync --locked\nCMD ["uv", "run", "python", "main.py"]\n',
      /unsupported: RUN runs the test `\[ -d \/data` without its closing `\]`/,
    ],
  ])('%s: migrated, exit 0', (_name, input, said) => {
    const dir = checkout();
    cpSync(join(dir, 'svc'), join(dir, 'odd'), { recursive: true });
    writeFileSync(join(dir, 'odd', 'Dockerfile'), input);
    const r = dockmig(dir, '--write', 'odd');
    expect(r.stderr).not.toMatch(/ error: /);
    if (said) expect(r.stderr).toMatch(said);
    expect(r.stderr).toMatch(/\n1 file: 1 changed, 0 unchanged, 0 errors\n$/);
    expect(r.code).toBe(0);
    const out = readFileSync(join(dir, 'odd', 'Dockerfile'), 'utf8');
    expect(out).toContain('\nFROM python:3.12-slim-trixie\n');
    expect(out).toContain('\nCMD ["python", "main.py"]\n');
    expect(dockmig(dir, '--check', 'odd').code).toBe(0);
  });
});

describe('links met while walking a directory', () => {
  it('are named as skipped and never followed, inside or outside the paths given', () => {
    const dir = checkout();
    const outside = tempDir('dockmig-outside-');
    cpSync(example, join(outside, 'svc'), { recursive: true });
    const before = readFileSync(join(outside, 'svc', 'Dockerfile'), 'utf8');
    mkdirSync(join(dir, 'tree', 'b'), { recursive: true });
    cpSync(example, join(dir, 'tree', 'a'), { recursive: true });
    symlinkSync(join(outside, 'svc'), join(dir, 'tree', 'out'));
    symlinkSync(join(outside, 'svc', 'Dockerfile'), join(dir, 'tree', 'b', 'Dockerfile'));
    const r = dockmig(dir, '--write', 'tree');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      'tree/b/Dockerfile: skipped: is a symbolic link; links met while walking are not followed\n',
    );
    expect(r.stderr).toContain(
      'tree/out: skipped: is a symbolic link to a directory; links met while walking are not followed\n',
    );
    expect(r.stderr).toMatch(/\n3 files: 1 changed, 0 unchanged, 0 errors, 2 skipped\n$/);
    expect(readFileSync(join(outside, 'svc', 'Dockerfile'), 'utf8')).toBe(before);
    expect(existsSync(join(outside, 'svc', '.dockerignore'))).toBe(false);
    expect(readFileSync(join(dir, 'tree', 'a', 'Dockerfile'), 'utf8')).toBe(golden());
  });

  it('an unreadable directory is named, the rest of the walk still done', () => {
    const dir = checkout();
    cpSync(example, join(dir, 'tree', 'a'), { recursive: true });
    mkdirSync(join(dir, 'tree', 'sealed'));
    chmodSync(join(dir, 'tree', 'sealed'), 0o000);
    if (asRoot) giveAway(dir);
    const r = asRoot
      ? dockmigWith({ cwd: dir, uid: NOBODY, gid: NOBODY }, '--write', 'tree')
      : dockmig(dir, '--write', 'tree');
    chmodSync(join(dir, 'tree', 'sealed'), 0o755);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'tree/sealed: error: the directory cannot be read (permission denied)\n',
    );
    expect(readFileSync(join(dir, 'tree', 'a', 'Dockerfile'), 'utf8')).toBe(golden());
  });
});

describe('two dockmig processes on one tree', () => {
  it('never leave a torn file or a temporary file behind', async () => {
    const dir = tempDir('dockmig-race-');
    const count = 40;
    for (let i = 0; i < count; i++) cpSync(example, join(dir, `svc-${i}`), { recursive: true });
    const runs = await Promise.all([
      dockmigAsync(dir, '--write', '.'),
      dockmigAsync(dir, '--write', '.'),
    ]);
    for (const r of runs) {
      expect(r.stderr).not.toContain('internal error');
      expect(r.stderr).not.toMatch(STACK);
      // Each file is migrated by one run and found done (or waited for) by the other.
      expect([0, 2]).toContain(r.code);
    }
    for (let i = 0; i < count; i++) {
      const files = readdirSync(join(dir, `svc-${i}`));
      expect(files.filter((n) => n.includes('.dockmig-'))).toEqual([]);
      expect(readFileSync(join(dir, `svc-${i}`, 'Dockerfile'), 'utf8')).toBe(golden());
      expect(readFileSync(join(dir, `svc-${i}`, '.dockerignore'), 'utf8')).toBe(
        '.venv\n__pycache__\n.git\n.env\n',
      );
    }
  });
});
