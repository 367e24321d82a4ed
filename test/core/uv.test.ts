import { describe, expect, it } from 'vitest';
import { parse, isUvCall } from '../../src/core/document.js';
import { uvShape } from '../../src/core/runtime-command.js';
import { syncFlags } from '../../src/core/uv-sync.js';
import { assignments, unreadableUvCall, uvCallOf, uvSettings } from '../../src/core/uv.js';
import { callsUv } from '../../src/core/uv-presence.js';

/** The shell commands of the one RUN in `FROM x` + `RUN <script>`. */
const commands = (script: string) => {
  const doc = parse(`FROM x\nRUN ${script}\n`);
  return doc.shell(doc.instructions[1]).commands;
};

describe('one uv-call recogniser', () => {
  const calls: [string, string | null, string | null][] = [
    ['uv sync', 'sync', null],
    ['/bin/uv sync --frozen', 'sync', null],
    ['/usr/local/bin/uv sync', 'sync', null],
    ['/root/.local/bin/uv sync', 'sync', null],
    ['$HOME/.local/bin/uv sync', 'sync', null],
    ['"${HOME}/.cargo/bin/uv" sync', 'sync', null],
    ['python -m uv sync', 'sync', null],
    ['python3.12 -m uv pip install -r requirements.txt', 'pip', 'install'],
    ['uv --project . sync', 'sync', null],
    ['uv --directory app run uvicorn x:app', 'run', null],
    ['uv --no-cache --directory=app sync', 'sync', null],
    ['uv -q pip sync requirements.txt', 'pip', 'sync'],
    ['uv venv /opt/venv', 'venv', null],
  ];
  for (const [script, sub, action] of calls) {
    it(`${script}: uv ${sub}${action ? ' ' + action : ''}`, () => {
      const [command] = commands(script);
      expect(isUvCall(command)).toBe(true);
      expect(isUvCall(command, sub!)).toBe(true);
      const values = command.words.map((w) => w.value);
      if (!values.includes(null)) expect(uvCallOf(values)?.action).toBe(action);
    });
  }

  for (const script of [
    'uvicorn app:app',
    'python -m uvicorn x',
    'pip install uv',
    'echo uv sync',
    'uvx ruff',
  ]) {
    it(`${script}: not a uv call`, () => {
      expect(isUvCall(commands(script)[0])).toBe(false);
    });
  }

  it('a variable the RUN sets to uv, or to a wrapper then uv, on every path names uv', () => {
    const branches =
      'if [ "$F" = 1 ]; then UV_CMD="sfw uv"; else UV_CMD="uv"; fi; $UV_CMD sync --frozen --no-dev';
    const sync = commands(branches).at(-1)!;
    expect(isUvCall(sync, 'sync')).toBe(true);
    expect(syncFlags(sync).flags.map((f) => f.name)).toEqual(['--frozen', '--no-dev']);
    expect(isUvCall(commands('U=/usr/local/bin/uv && $U pip install x').at(-1)!, 'pip')).toBe(true);
    for (const script of [
      // One path runs something else, or leaves UV_CMD as the build gives it (unknown).
      'if x; then UV_CMD="sfw uv"; else UV_CMD="echo"; fi; $UV_CMD sync',
      'if x; then UV_CMD=uv; fi; $UV_CMD sync',
      'UV_CMD=$(command -v uv) && $UV_CMD sync',
      // Quoted, "sfw uv" would be one program name.
      'UV_CMD="sfw uv" && "$UV_CMD" sync',
      'UV_CMD=uv && ${UV_CMD}x sync',
    ]) {
      const last = commands(script).at(-1)!;
      expect(isUvCall(last), script).toBe(false);
    }
  });

  it('a command that may call uv through a variable that cannot be told is named as such', () => {
    const [sync] = commands('$UV_CMD sync --frozen');
    expect(unreadableUvCall(sync.words)?.raw).toBe('$UV_CMD');
    const [known] = commands('UV_CMD=uv; $UV_CMD sync').slice(-1);
    expect(unreadableUvCall(known.words)).toBeNull();
    expect(unreadableUvCall(commands('$PYTHON -m pip install x')[0].words)).toBeNull();
    expect(unreadableUvCall(commands('uv sync')[0].words)).toBeNull();
  });

  it('every reader agrees: sync flags and the run shape are found behind a path and global options', () => {
    const [sync] = commands('/usr/local/bin/uv --project . sync --locked');
    expect(syncFlags(sync).flags.map((f) => f.name)).toEqual(['--locked']);
    expect(syncFlags(sync).subcommand.value).toBe('sync');
    const shape = uvShape([
      'python',
      '-m',
      'uv',
      '--directory',
      'app',
      'run',
      '--no-sync',
      'gunicorn',
    ]);
    expect(shape).toMatchObject({ subcommand: 'run', program: 7, options: ['--no-sync'] });
  });

  it('settings given as environment count as the flags: the stage ENV, then the command line', () => {
    const env = new Map([
      ['UV_FROZEN', '1'],
      ['UV_NO_DEV', 'true'],
      ['UV_SYSTEM_PYTHON', '0'],
    ]);
    const [cmd] = commands('UV_NO_DEV=0 UV_PROJECT_ENVIRONMENT=/opt/venv UV_NO_SYNC=$X uv sync');
    const s = uvSettings(env, assignments(cmd.assigns));
    expect(s).toMatchObject({
      frozen: true,
      noDev: false,
      systemPython: false,
      noSync: false,
      projectEnvironment: '/opt/venv',
    });
    expect(uvSettings(new Map([['UV_LOCKED', 'YES']])).locked).toBe(true);
  });
});

describe('a start command that calls uv', () => {
  const cases: [string[], boolean][] = [
    [['uv', 'run', 'app'], true],
    [['exec', '/usr/local/bin/uv', 'run', 'app'], true],
    [['tini', '--', 'uv', 'run', 'app'], true],
    [['gosu', 'app', 'python', '-m', 'uv', 'run', 'app'], true],
    [['env', 'A=1', 'uvx', 'ruff'], true],
    [['dumb-init', 'uvicorn', 'app:app'], false],
    [['gosu', 'uv', 'app'], false],
  ];
  for (const [words, expected] of cases)
    it(`${words.join(' ')}: ${expected}`, () => expect(callsUv(words)).toBe(expected));
});
