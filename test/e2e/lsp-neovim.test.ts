/**
 * `dockmig lsp` with a client nobody here wrote: Debian's Neovim, headless, its built-in LSP
 * client attached to the built binary. test/e2e/lsp-neovim.lua opens copies of a legacy fixture's
 * build context and a broken Dockerfile, asks for code actions, applies them as Neovim applies any
 * server's edits, writes the buffers, and records what it saw; this file judges it. One Neovim
 * process for every scenario.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { transformDocs } from '../../src/report/links.js';
import { assertBuilt, bin, cleanup, repo, tempDir } from '../helpers/cli.js';
import { needs } from '../helpers/tools.js';

const hasNvim = needs(
  'test/e2e/lsp-neovim.test.ts',
  'Neovim (nvim)',
  spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0,
);

/** A legacy uv FastAPI project: pip-installed uv, `uv sync --locked`, `uv run` at start. */
const CASE = join(repo, 'fixtures', 'fastapi-deps-copied-first');
const INPUT = readFileSync(join(CASE, 'input', 'Dockerfile'), 'utf8');

interface Seen {
  code: string | null;
  lnum: number;
  end_lnum: number;
  col: number;
  end_col: number;
  severity: number;
  source: string;
  message: string;
  href: string | null;
}
interface Step {
  name: string;
  diagnostics: Seen[];
  actions?: { title: string; kind: string }[];
  applied?: string | null;
  after?: Seen[];
}
let dir: string;
let out: { steps: Step[]; serving?: boolean; exit?: { code: number }; error?: string };
const step = (name: string) => out.steps.find((s) => s.name === name)!;
const codesAndLines = (list: Seen[]) => list.map((d) => `${d.lnum + 1} ${d.code}`);

beforeAll(() => {
  if (!hasNvim) return;
  assertBuilt();
  dir = tempDir('dockmig-lsp-');
  cpSync(join(CASE, 'input'), join(dir, 'fixall'), { recursive: true });
  cpSync(join(CASE, 'input'), join(dir, 'quick'), { recursive: true });
  mkdirSync(join(dir, 'broken'));
  writeFileSync(join(dir, 'broken', 'Dockerfile'), 'FROM python:latest\nFROOM x\n');
  const r = spawnSync(
    'nvim',
    ['--headless', '--clean', '-u', join(repo, 'test', 'e2e', 'lsp-neovim.lua')],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 100_000,
      env: {
        ...process.env,
        DOCKMIG_CMD: JSON.stringify([process.execPath, bin, 'lsp']),
        DOCKMIG_DIR: dir,
        DOCKMIG_OUT: join(dir, 'out.json'),
        DOCKMIG_DEBUG: '',
      },
    },
  );
  if (!existsSync(join(dir, 'out.json')))
    throw new Error(`Neovim wrote no results (status ${r.status}):\n${r.stdout}${r.stderr}`);
  out = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
}, 110_000);

afterAll(() => cleanup());

describe.runIf(hasNvim)('dockmig lsp in Neovim 0.7', () => {
  it('ran every scenario and the server shut down cleanly when asked', () => {
    expect(out.error).toBeUndefined();
    expect(out.serving).toBe(true);
    expect(out.exit?.code).toBe(0);
  });

  it('publishes one diagnostic per finding, on its lines, with its transform and README link', () => {
    const diagnostics = step('fixall').diagnostics;
    expect(codesAndLines(diagnostics)).toEqual([
      '1 dockerignore',
      '1 multi-stage',
      '1 pin-python-base',
      '3 pin-uv',
      '3 uv-python-env',
      '5 dependency-layer',
      '5 frozen-lockfile',
      '6 dependency-layer',
      '7 healthcheck',
      '7 no-uv-at-runtime',
      '7 non-root-user',
    ]);
    for (const d of diagnostics) {
      expect(d.source).toBe('dockmig');
      // The transform's README section, where SARIF's rules point too.
      expect(d.href).toBe(transformDocs(d.code ?? ''));
      expect(d.href).toBe(`https://www.npmjs.com/package/dockmig#${d.code}`);
    }
    const pin = diagnostics.find((d) => d.code === 'pin-python-base')!;
    // `FROM python:3.12-slim`: the image reference, not the whole line.
    expect([pin.col, pin.end_col]).toEqual([5, 21]);
    expect(pin.message).toContain('python:3.12-slim -> python:3.12-slim-trixie');
    // EXPOSE to CMD: the runtime's user and HEALTHCHECK go in there.
    const user = diagnostics.find((d) => d.code === 'non-root-user')!;
    expect([user.lnum, user.end_lnum]).toEqual([6, 7]);
  });

  it('source.fixAll.dockmig turns the buffer into the golden output and creates .dockerignore', () => {
    expect(step('fixall').actions).toEqual([
      { kind: 'source.fixAll.dockmig', title: 'Apply the whole dockmig migration (11 fixes)' },
    ]);
    const expected = (file: string) => readFileSync(join(CASE, 'expected', file), 'utf8');
    expect(readFileSync(join(dir, 'fixall', 'Dockerfile'), 'utf8')).toBe(expected('Dockerfile'));
    expect(readFileSync(join(dir, 'fixall', '.dockerignore'), 'utf8')).toBe(
      expected('.dockerignore'),
    );
  });

  it('a single quick-fix changes only its own lines, and the diagnostics follow the edit', () => {
    const quick = step('quickfix');
    // The fixes of the findings under the cursor on line 1; the split comes with the fix that
    // takes `uv run` out of its CMD, without which the file would be refused.
    expect(quick.actions!.map((a) => [a.kind, a.title])).toEqual([
      [
        'quickfix',
        'dockmig pin-python-base: python:3.12-slim -> python:3.12-slim-trixie (Python 3.12 from the original FROM)',
      ],
      [
        'quickfix',
        'dockmig multi-stage: the single stage becomes "builder" and a runtime stage on python:3.12-slim-trixie runs the app from /app (with no-uv-at-runtime, without which the file would be refused)',
      ],
      [
        'quickfix',
        'dockmig dockerignore: .dockerignore created with .venv, __pycache__, .git, .env',
      ],
    ]);
    expect(quick.applied).toContain('pin-python-base');
    expect(readFileSync(join(dir, 'quick', 'Dockerfile'), 'utf8')).toBe(
      INPUT.replace('FROM python:3.12-slim\n', 'FROM python:3.12-slim-trixie\n'),
    );
    expect(existsSync(join(dir, 'quick', '.dockerignore'))).toBe(false);
    expect(codesAndLines(quick.after!)).toEqual(
      codesAndLines(quick.diagnostics).filter((d) => d !== '1 pin-python-base'),
    );
  });

  it('a file the core refuses gets one diagnostic with the reason, and the server goes on', () => {
    expect(step('broken').diagnostics).toEqual([
      {
        code: null,
        lnum: 0,
        end_lnum: 0,
        col: 0,
        end_col: 18,
        severity: 1,
        source: 'dockmig',
        message: 'dockmig cannot migrate this file: unknown instruction FROOM on line 2',
        href: null,
      },
    ]);
    // The files opened after it were served (the other scenarios), and the client still runs.
    expect(out.serving).toBe(true);
  });
});
