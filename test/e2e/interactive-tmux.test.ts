/**
 * `dockmig --interactive` in a real terminal: tmux (Debian's) runs the built binary in a detached
 * 120x40 session on a private socket, the test types keys with `send-keys` and reads the screen
 * with `capture-pane`, waiting for each prompt before the next key, then compares the files the
 * review wrote with the golden output or with the library's migration of the same decisions.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrate, sameFinding, type FindingKey } from '../../src/index.js';
import { assertBuilt, bin, cleanup, dockmigWith, repo, tempDir } from '../helpers/cli.js';
import { readTree } from '../helpers/fixtures.js';
import { needs } from '../helpers/tools.js';

const SUITE = 'test/e2e/interactive-tmux.test.ts';
const hasTmux = needs(SUITE, 'tmux', spawnSync('tmux', ['-V']).status === 0);
const PROMPT = 'Apply this fix [y,n,a,d,q,?]?';
const FIXTURE = join(repo, 'fixtures', 'curl-healthcheck');

/**
 * A private tmux server with one session running dockmig; its exit code is printed after it. The
 * socket lives in a temp dir of the test's, so the user's tmux is never touched and nothing stays.
 */
class Terminal {
  private readonly socket = join(tempDir('dockmig-tmux-'), 'socket');

  constructor(cwd: string, args: string[]) {
    // The colour decision is the terminal's: no FORCE_COLOR or NO_COLOR from the test's own env.
    const command = [
      'env -u FORCE_COLOR -u NO_COLOR',
      process.execPath,
      bin,
      ...args,
      '; echo "[exit $?]"; exec sleep 600',
    ].join(' ');
    this.tmux('new-session', '-d', '-x', '120', '-y', '40', '-c', cwd, command);
  }

  tmux(...args: string[]): string {
    const r = spawnSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args[0]}: ${r.stderr}`);
    return r.stdout;
  }

  /** Everything the session printed so far (history and screen), escapes kept when asked. */
  screen(escapes = false): string {
    return this.tmux('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-S', '-', '-E', '-');
  }

  /** Polls the screen until `done` holds; fails with the screen after the deadline. */
  async until(done: (screen: string) => boolean, what: string, ms = 60_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const screen = this.screen();
      if (done(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`waited for ${what}; the screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  prompts = (screen: string) => screen.split(PROMPT).length - 1;

  /** Waits for prompt number `n`. */
  prompt(n: number): Promise<string> {
    return this.until((s) => this.prompts(s) >= n || /\[exit \d+\]/.test(s), `prompt ${n}`);
  }

  /** Types each key after the prompt it answers; the prompts so far are `asked`. */
  async answer(keys: string, asked = 0): Promise<number> {
    for (const key of keys) {
      await this.prompt(++asked);
      this.tmux('send-keys', '-l', key);
    }
    return asked;
  }

  /** Answers y until the review ends; the exit code and the whole screen. */
  async finish(keys = '', asked = 0): Promise<{ code: number; screen: string }> {
    let n = await this.answer(keys, asked);
    for (;;) {
      const screen = await this.prompt(++n);
      const exit = /\[exit (\d+)\]/.exec(screen);
      if (exit) return { code: Number(exit[1]), screen };
      this.tmux('send-keys', '-l', 'y');
    }
  }

  kill(): void {
    spawnSync('tmux', ['-S', this.socket, 'kill-server']);
  }
}

const terminals: Terminal[] = [];

/** A copy of the fixture's input under `sub` of a new temp dir. */
function project(sub = '.', fixture = FIXTURE): string {
  const dir = tempDir('dockmig-interactive-');
  cpSync(join(fixture, 'input'), join(dir, sub), { recursive: true });
  return dir;
}

function start(cwd: string, ...args: string[]): Terminal {
  const t = new Terminal(cwd, ['--interactive', ...args]);
  terminals.push(t);
  return t;
}

/** The fixture's input migrated in-process with only the fixes `accept` takes. */
function accepting(accept: (f: FindingKey) => boolean): Record<string, string> {
  const input = readTree(join(FIXTURE, 'input'));
  const result = migrate({ dockerfile: input.Dockerfile, files: input }, { accept });
  return { ...input, ...Object.fromEntries(result.changes.map((c) => [c.path, c.after])) };
}

beforeAll(() => {
  if (hasTmux) assertBuilt();
});

afterEach(() => {
  for (const t of terminals.splice(0)) t.kill();
});

afterAll(cleanup);

describe.runIf(hasTmux)('dockmig --interactive in tmux', () => {
  it('y to every fix writes the golden output, byte for byte, and shows the hunks coloured', async () => {
    const dir = project();
    const t = start(dir);
    await t.prompt(1);
    expect(t.screen(true)).toContain('\x1b[32m+FROM python:3.12-slim-trixie');
    const { code, screen } = await t.finish();
    expect(code).toBe(0);
    expect(screen).toContain(
      'Dockerfile: wrote Dockerfile, .dockerignore (11 accepted, 0 rejected)',
    );
    expect(readTree(dir)).toEqual({
      ...readTree(join(FIXTURE, 'input')),
      ...readTree(join(FIXTURE, 'expected')),
    });
  });

  it('n on the split says what goes with it and writes one stage with the other fixes', async () => {
    const dir = project();
    const t = start(dir);
    await t.answer('yyyyyy');
    await t.prompt(7);
    expect(t.screen()).toMatch(/\(7\/11\) multi-stage: the single stage becomes "builder"/);
    const { code, screen } = await t.finish('n', 6);
    expect(code).toBe(0);
    expect(screen).toContain(
      'These fixes stand on it and go with it (2):\n' +
        '  no-uv-at-runtime: CMD: uv run removed before uvicorn\n' +
        '  non-root-user: the runtime runs as 10001:10001 (user app created with that uid)\n',
    );
    expect(screen).not.toMatch(/\) (no-uv-at-runtime|non-root-user): /);
    const split = (f: FindingKey) => f.transform === 'multi-stage';
    const written = readTree(dir);
    expect(written).toEqual(accepting((f) => !split(f)));
    expect(written.Dockerfile.match(/^FROM /gm)).toHaveLength(1);
    expect(written.Dockerfile).not.toMatch(/^USER /m);
    expect(written.Dockerfile).toContain('urllib.request');
  });

  it('q after three y writes exactly those three fixes', async () => {
    const dir = project();
    const t = start(dir);
    const first: FindingKey[] = [];
    let asked = 0;
    for (const key of 'yyy') {
      const screen = await t.prompt(++asked);
      const [, transform, message] = /\(\d+\/\d+\) ([a-z-]+): (.*)\n[^\n]*$/.exec(
        screen.trimEnd(),
      )!;
      first.push({ transform, message });
      t.tmux('send-keys', '-l', key);
    }
    const { code, screen } = await t.finish('q', asked);
    expect(code).toBe(0);
    expect(first.map((f) => f.transform)).toEqual(['pin-python-base', 'pin-uv', 'uv-python-env']);
    expect(screen).toContain('Dockerfile: wrote Dockerfile (3 accepted, 0 rejected)');
    expect(readTree(dir)).toEqual(accepting((f) => first.some((k) => sameFinding(k, f))));
    expect(existsSync(join(dir, '.dockerignore'))).toBe(false);
  });

  it('d leaves a file untouched and goes on to the next, which a accepts whole', async () => {
    const dir = project('a');
    cpSync(join(repo, 'fixtures', 'fastapi-dev', 'input'), join(dir, 'b'), { recursive: true });
    const t = start(dir);
    const { code, screen } = await t.finish('yda');
    expect(code).toBe(0);
    expect(screen).toContain('a/Dockerfile: left as it is\n');
    expect(screen).toMatch(/b\/Dockerfile: \d+ fixes to review/);
    expect(readTree(join(dir, 'a'))).toEqual(readTree(join(FIXTURE, 'input')));
    const fastapi = join(repo, 'fixtures', 'fastapi-dev');
    expect(readTree(join(dir, 'b'))).toEqual({
      ...readTree(join(fastapi, 'input')),
      ...readTree(join(fastapi, 'expected')),
    });
  });

  it('Ctrl-C writes nothing, even what was accepted', async () => {
    const dir = project();
    const t = start(dir);
    await t.answer('yy');
    await t.prompt(3);
    t.tmux('send-keys', 'C-c');
    const screen = await t.until((s) => /\[exit \d+\]/.test(s), 'the exit');
    expect(screen).toContain('Interrupted: nothing was written.\n[exit 130]');
    expect(readTree(dir)).toEqual(readTree(join(FIXTURE, 'input')));
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toContain('RUN pip install uv');
  });
});

describe('dockmig --interactive without a terminal', () => {
  it('is a usage error, and nothing is written', () => {
    assertBuilt();
    const dir = project();
    const r = dockmigWith({ cwd: dir, stdio: ['pipe', 'pipe', 'pipe'], input: 'yyyy' }, '-i');
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'dockmig: --interactive asks about each fix on a terminal, and stdin is not one; run it in a terminal, or use --write to write every fix\n',
    });
    expect(readTree(dir)).toEqual(readTree(join(FIXTURE, 'input')));
  });
});
