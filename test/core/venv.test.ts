import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/document.js';
import { appDirAsWritten, uvPipCalls, venvsCreated, type PipTarget } from '../../src/core/venv.js';

/** Where the last uv pip call of a one-stage file installs. */
function target(body: string): PipTarget | undefined {
  const doc = parse(`FROM python:3.12-slim\n${body}`);
  return uvPipCalls(doc, doc.stages[0]).at(-1)?.target;
}

describe('where uv pip installs', () => {
  const cases: [string, string, PipTarget][] = [
    [
      '--system',
      'RUN uv pip install --system -r requirements.txt\n',
      { kind: 'system', by: 'flag' },
    ],
    [
      'uv pip sync --system',
      'RUN uv pip sync --system requirements.txt\n',
      { kind: 'system', by: 'flag' },
    ],
    [
      'the flag after other options, uv by its path',
      'RUN /usr/local/bin/uv pip install --no-cache -r requirements.txt --system\n',
      { kind: 'system', by: 'flag' },
    ],
    [
      'UV_SYSTEM_PYTHON as an ENV',
      'ENV UV_SYSTEM_PYTHON=1\nRUN uv pip install flask\n',
      { kind: 'system', by: 'env' },
    ],
    [
      'UV_SYSTEM_PYTHON=true on the command',
      'RUN UV_SYSTEM_PYTHON=true uv pip install flask\n',
      { kind: 'system', by: 'assignment' },
    ],
    [
      'UV_SYSTEM_PYTHON as an ARG',
      'ARG UV_SYSTEM_PYTHON=1\nRUN uv pip install flask\n',
      { kind: 'system', by: 'arg' },
    ],
    [
      'UV_SYSTEM_PYTHON=0 is off',
      'WORKDIR /app\nENV UV_SYSTEM_PYTHON=0 VIRTUAL_ENV=/app/.venv\nRUN uv pip install flask\n',
      { kind: 'venv', dir: '/app/.venv' },
    ],
    [
      '--no-system wins over the ENV',
      'ENV UV_SYSTEM_PYTHON=1 VIRTUAL_ENV=/opt/venv\nRUN uv pip install --no-system flask\n',
      { kind: 'venv', dir: '/opt/venv' },
    ],
    [
      'VIRTUAL_ENV through a variable',
      'ENV VENV=/opt/venv\nENV VIRTUAL_ENV=$VENV\nRUN uv venv $VIRTUAL_ENV && uv pip install flask\n',
      { kind: 'venv', dir: '/opt/venv' },
    ],
    [
      'the .venv a uv venv made in the working directory',
      'WORKDIR /app\nRUN uv venv\nRUN uv pip install -r requirements.txt\n',
      { kind: 'venv', dir: '/app/.venv' },
    ],
    [
      'a .venv in a parent of the working directory',
      'WORKDIR /app\nRUN uv venv\nWORKDIR /app/src\nRUN uv pip install -r requirements.txt\n',
      { kind: 'venv', dir: '/app/.venv' },
    ],
    [
      'a .venv copied in from another stage',
      'WORKDIR /app\nCOPY --from=deps /app/.venv /app/.venv\nCOPY . .\nRUN uv pip install --no-deps --editable .\n',
      { kind: 'venv', dir: '/app/.venv' },
    ],
    [
      'a .venv copied in only after the install is not found by it',
      'WORKDIR /app\nRUN uv pip install flask\nCOPY --from=deps /app/.venv /app/.venv\n',
      { kind: 'venv', dir: null },
    ],
    [
      'a venv activated in the same RUN',
      'WORKDIR /app\nRUN uv venv /opt/env && . /opt/env/bin/activate && uv pip install flask\n',
      { kind: 'venv', dir: '/opt/env' },
    ],
    [
      'a venv not named .venv is not discovered',
      'WORKDIR /app\nRUN uv venv env\nRUN uv pip install flask\n',
      { kind: 'venv', dir: null },
    ],
    [
      '--python naming a venv made here',
      'RUN python -m venv /opt/venv\nRUN uv pip install --python /opt/venv/bin/python flask\n',
      { kind: 'venv', dir: '/opt/venv' },
    ],
    [
      '--python $(which python)',
      'RUN uv pip install --python $(which python) -r requirements.txt\n',
      { kind: 'other', why: '--python $(which python) chooses the interpreter to install into' },
    ],
    [
      '--target',
      'RUN uv pip install --system --target /deps flask\n',
      { kind: 'other', why: '--target installs into a directory of its own' },
    ],
    [
      'packages from a variable could hide --system',
      'RUN uv pip install $PACKAGES\n',
      { kind: 'other', why: 'its arguments come from a shell variable' },
    ],
  ];
  for (const [name, body, expected] of cases) {
    it(name, () => expect(target(body)).toEqual(expected));
  }

  it('reads install and sync only, with their options and values', () => {
    const doc = parse(
      'FROM x\nRUN uv pip compile requirements.in -o requirements.txt && uv pip install --system -e . -r requirements.txt\n',
    );
    const calls = uvPipCalls(doc, doc.stages[0]);
    expect(calls.map((c) => c.action)).toEqual(['install']);
    expect(calls[0].options.map((o) => [o.name, o.value])).toEqual([
      ['--system', null],
      ['-e', '.'],
      ['-r', 'requirements.txt'],
    ]);
  });
});

describe('venvs a stage creates', () => {
  it('uv venv, python -m venv and virtualenv, resolved against the WORKDIR', () => {
    const doc = parse(
      'FROM x\nWORKDIR /app\nRUN uv venv --seed\nRUN uv venv -p 3.12 /opt/a\nRUN python3 -m venv b && virtualenv --prompt x ../c\nRUN uv venv "$DIR"\n',
    );
    expect(venvsCreated(doc, doc.stages[0]).map((v) => v.dir)).toEqual([
      '/app/.venv',
      '/opt/a',
      '/app/b',
      '/c',
      null,
    ]);
  });
});

describe('the app directory as written', () => {
  it('one WORKDIR of the stage ARGs keeps its variables; anything else is null', () => {
    const written = (text: string) => {
      const doc = parse(text);
      return appDirAsWritten(doc, doc.stages[0]);
    };
    expect(written('FROM x\nARG APP_HOME=/srv/app\nWORKDIR ${APP_HOME}\n')).toBe('${APP_HOME}');
    expect(written('FROM x\nWORKDIR /app\n')).toBeNull();
    expect(written('FROM x\nENV APP=/app\nWORKDIR $APP\n')).toBeNull();
    expect(written('FROM x\nARG APP\nWORKDIR $APP\n')).toBeNull();
    expect(written('FROM x\nARG A=/srv\nWORKDIR $A\nWORKDIR app\n')).toBeNull();
  });
});
