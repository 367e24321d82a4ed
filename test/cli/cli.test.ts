/**
 * The built binary, as users run it: stdout, stderr and exit codes, in throwaway git checkouts.
 * `npm test` builds before it runs these.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PARALLEL_THRESHOLD } from '../../src/commands/run.js';
import {
  assertBuilt,
  bin,
  checkout,
  cleanup,
  dockmig,
  example,
  fixture,
  git,
  repo,
  tempDir,
} from '../helpers/cli.js';

beforeAll(assertBuilt);
afterEach(cleanup);

describe('dockmig (dry run)', () => {
  it('prints a diff that git apply accepts, giving the golden output, and writes nothing', () => {
    const dir = checkout();
    const r = dockmig(dir, 'svc');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^diff --git a\/svc\/Dockerfile b\/svc\/Dockerfile\n/);
    expect(r.stdout).toContain('new file mode 100644\n--- /dev/null\n+++ b/svc/.dockerignore\n');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    writeFileSync(join(dir, 'patch.diff'), r.stdout);
    git(dir, 'apply', '--check', 'patch.diff');
    git(dir, 'apply', 'patch.diff');
    expect(readFileSync(join(dir, 'svc', 'Dockerfile'), 'utf8')).toBe(
      readFileSync(fixture('python-latest-uvicorn-reload'), 'utf8'),
    );
    expect(readFileSync(join(dir, 'svc', '.dockerignore'), 'utf8')).toBe(
      '.venv\n__pycache__\n.git\n.env\n',
    );
  });

  it('says on stderr what changed and why, one line per transform, and a summary', () => {
    const r = dockmig(checkout(), 'svc');
    expect(r.stderr).toContain('svc/Dockerfile: would change (with svc/.dockerignore)\n');
    expect(r.stderr).toContain(
      '  pin-python-base: python:latest -> python:3.12-slim-trixie (Python 3.12 from .python-version)\n',
    );
    expect(r.stderr).toContain('  no-dev-server: CMD: --reload dropped\n');
    expect(r.stderr).toMatch(/\n1 file: 1 changed, 0 unchanged, 0 errors\n$/);
  });

  it('keeps CRLF, a BOM and a missing final newline through git apply', () => {
    const dir = checkout();
    for (const name of ['crlf-line-endings', 'bom-and-no-final-newline']) {
      cpSync(join(repo, 'fixtures', name, 'input'), join(dir, name), { recursive: true });
    }
    git(dir, 'add', '.');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'more');
    const r = dockmig(dir, 'crlf-line-endings', 'bom-and-no-final-newline');
    expect(r.code).toBe(0);
    writeFileSync(join(dir, 'patch.diff'), r.stdout);
    git(dir, 'apply', 'patch.diff');
    for (const name of ['crlf-line-endings', 'bom-and-no-final-newline']) {
      expect(readFileSync(join(dir, name, 'Dockerfile'), 'utf8')).toBe(
        readFileSync(fixture(name), 'utf8'),
      );
    }
  });
});

describe('dockmig --write and --check', () => {
  it('--check exits 1 and writes nothing when a file needs migrating', () => {
    const dir = checkout();
    const r = dockmig(dir, '--check', 'svc');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('diff --git');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('--write writes the change set; then --check exits 0 and a second --write touches nothing', () => {
    const dir = checkout();
    chmodSync(join(dir, 'svc', 'Dockerfile'), 0o640);
    const w = dockmig(dir, '--write', 'svc');
    expect(w.code).toBe(0);
    expect(w.stdout).toBe('');
    expect(w.stderr).toContain('svc/Dockerfile: migrated (with svc/.dockerignore)');
    expect(readFileSync(join(dir, 'svc', 'Dockerfile'), 'utf8')).toBe(
      readFileSync(fixture('python-latest-uvicorn-reload'), 'utf8'),
    );
    expect(statSync(join(dir, 'svc', 'Dockerfile')).mode & 0o777).toBe(0o640);
    const mtime = statSync(join(dir, 'svc', 'Dockerfile')).mtimeMs;
    const c = dockmig(dir, '--check', 'svc');
    expect(c.code).toBe(0);
    expect(c.stdout).toBe('');
    expect(dockmig(dir, '--write', 'svc').code).toBe(0);
    expect(statSync(join(dir, 'svc', 'Dockerfile')).mtimeMs).toBe(mtime);
  });

  it('an already hardened project passes --check', () => {
    const r = dockmig(join(repo, 'fixtures', 'already-hardened', 'input'), '--check');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Dockerfile: unchanged');
  });
});

describe('--context', () => {
  it('reads the project from the given context and writes .dockerignore there', () => {
    const dir = tempDir('dockmig-ctx-');
    cpSync(join(repo, 'fixtures', 'docker-subdir', 'input'), dir, { recursive: true });
    const r = dockmig(dir, '--write', '--context', '.', 'docker/Dockerfile');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('docker/Dockerfile: migrated (with .dockerignore)');
    const expected = join(repo, 'fixtures', 'docker-subdir', 'expected');
    expect(readFileSync(join(dir, 'docker', 'Dockerfile'), 'utf8')).toBe(
      readFileSync(join(expected, 'docker', 'Dockerfile'), 'utf8'),
    );
    expect(readFileSync(join(dir, '.dockerignore'), 'utf8')).toBe(
      readFileSync(join(expected, '.dockerignore'), 'utf8'),
    );
  });
});

describe('large runs', () => {
  it('spreads files over worker threads and reports them in order, as one run would', () => {
    const dir = tempDir('dockmig-many-');
    const count = PARALLEL_THRESHOLD + 10;
    for (let i = 0; i < count; i++)
      cpSync(example, join(dir, `svc-${String(i).padStart(3, '0')}`), { recursive: true });
    writeFileSync(join(dir, 'svc-007', 'Dockerfile'), 'FROM python:latest\nFROOM x\n');
    const r = dockmig(dir, '.');
    expect(r.code).toBe(2);
    const files = [...r.stdout.matchAll(/^diff --git a\/(\S+)\/Dockerfile /gm)].map((m) => m[1]);
    expect(files).toHaveLength(count - 1);
    expect(files).toEqual([...files].sort());
    expect(r.stderr).toContain('svc-007/Dockerfile: error: unknown instruction FROOM on line 2');
    expect(r.stderr).toContain(`${count} files: ${count - 1} changed, 0 unchanged, 1 error`);
    const one = dockmig(dir, 'svc-123');
    expect(r.stdout).toContain(one.stdout);
  });
});

describe('errors and usage', () => {
  it('a missing path is named, exits 2, and the other paths are still processed', () => {
    const dir = checkout();
    const r = dockmig(dir, 'nope', 'svc');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope: error: no such file or directory\n');
    expect(r.stdout).toContain('diff --git a/svc/Dockerfile');
  });

  it.each([
    [['--write', '--check'], '--write and --check cannot be used together'],
    [['--uid', '0'], 'a uid from 1 to 2147483647 is expected (0 is root)'],
    [['--python', 'latest'], 'a Python version like 3.12 is expected'],
    [['--only', 'pin-everything'], 'unknown transform "pin-everything"'],
    [['--lock-flag', 'loose'], "argument 'loose' is invalid"],
    [['--frobnicate'], "unknown option '--frobnicate'"],
  ])('usage error %j exits 2 with one message', (args, message) => {
    const r = dockmig(checkout(), ...args, 'svc');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it('honours options: --only, --python, --uid, --no-healthcheck, --lock-flag locked', () => {
    const dir = checkout();
    const only = dockmig(dir, '--only', 'pin-python-base', '--python', '3.13', 'svc');
    expect(only.stdout).toContain('-FROM python:latest\n+FROM python:3.13-slim-trixie\n');
    expect(only.stdout).not.toContain('uv:0.13.8');
    const opts = dockmig(dir, '--uid', '1001', '--no-healthcheck', '--lock-flag', 'locked', 'svc');
    expect(opts.stdout).toContain('+USER 1001:1001\n');
    expect(opts.stdout).toContain('uv sync --locked --no-dev\n');
    expect(opts.stdout).not.toContain('HEALTHCHECK');
  });

  it('honours --skip, --debian, --health-path and --uv-version', () => {
    const r = dockmig(
      checkout(),
      '--skip',
      'dockerignore,exec-form',
      '--debian',
      'bookworm',
      '--health-path',
      '/healthz',
      '--uv-version',
      '0.9.5',
      'svc',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('+FROM python:3.12-slim-bookworm AS builder\n');
    expect(r.stdout).toContain('+COPY --from=ghcr.io/astral-sh/uv:0.9.5 /uv /uvx /bin/\n');
    expect(r.stdout).toContain("urlopen('http://127.0.0.1:8000/healthz', timeout=4)");
    expect(r.stdout).toContain('+CMD uvicorn app.main:app --host 0.0.0.0 --port 8000\n');
    expect(r.stdout).not.toContain('.dockerignore');
  });

  it('DOCKMIG_DEBUG adds the stack to a known error', () => {
    const r = spawnSync(process.execPath, [bin, '--write', '--check'], {
      encoding: 'utf8',
      env: { ...process.env, DOCKMIG_DEBUG: '1' },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/UsageError: --write and --check cannot be used together\n\s+at /);
  });
});

describe('dockmig transforms, --version, --help', () => {
  it('lists every transform in order with its rationale', async () => {
    const { TRANSFORMS } = await import('../../transforms/index.js');
    const r = dockmig(repo, 'transforms');
    expect(r.code).toBe(0);
    const ids = [...r.stdout.matchAll(/^\s*\d+\. (\S+)/gm)].map((m) => m[1]);
    expect(ids).toEqual(TRANSFORMS.map((t) => t.id));
    expect(r.stdout).toContain('UV_PYTHON_PREFERENCE=only-system');
  });

  it('prints the package version', () => {
    const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
    const r = dockmig(repo, '--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('--help shows the flags and examples', () => {
    const r = dockmig(repo, '--help');
    expect(r.code).toBe(0);
    for (const flag of [
      '--write',
      '--check',
      '--only',
      '--skip',
      '--python',
      '--uv-version',
      '--lock-flag',
      '--uid',
      '--health-path',
      '--no-healthcheck',
      '--debian',
      'Examples:',
    ]) {
      expect(r.stdout).toContain(flag);
    }
  });
});
