import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/document.js';
import { buildContext } from '../../src/core/context.js';
import {
  isDevRequirements,
  noInstallStep,
  pipInstalls,
  pipProject,
  type PipTarget,
} from '../../src/core/pip.js';

/** The last pip install of a one-stage file. */
function last(body: string) {
  const doc = parse(`FROM python:3.12-slim\n${body}`);
  return pipInstalls(doc, doc.stages[0]).at(-1);
}

describe('pip installs', () => {
  const targets: [string, string, PipTarget][] = [
    ['plain pip as root', 'RUN pip install -r requirements.txt\n', { kind: 'system' }],
    ['pip3 by its system path', 'RUN /usr/local/bin/pip3 install flask\n', { kind: 'system' }],
    ['--user', 'RUN pip install --user -r requirements.txt\n', { kind: 'user' }],
    [
      '--target',
      'RUN pip install --target /deps flask\n',
      { kind: 'other', why: '--target installs into a directory of its own' },
    ],
    [
      'a venv first on PATH',
      'WORKDIR /app\nRUN python -m venv /app/.venv\nENV PATH="/app/.venv/bin:$PATH"\nRUN pip install flask\n',
      { kind: 'venv', dir: '/app/.venv' },
    ],
    [
      'VIRTUAL_ENV alone does not move pip',
      'RUN python -m venv /opt/venv\nENV VIRTUAL_ENV=/opt/venv\nRUN pip install flask\n',
      { kind: 'system' },
    ],
    [
      'activated in the RUN',
      'WORKDIR /app\nRUN python -m venv .venv && . .venv/bin/activate && pip install flask\n',
      { kind: 'venv', dir: '/app/.venv' },
    ],
    [
      "the venv's own pip by path",
      'RUN python -m venv /opt/venv && /opt/venv/bin/pip install flask\n',
      { kind: 'venv', dir: '/opt/venv' },
    ],
    [
      'python -m pip with general options first',
      'RUN python3 -m pip --disable-pip-version-check install flask\n',
      { kind: 'system' },
    ],
  ];
  for (const [name, body, expected] of targets)
    it(`target: ${name}`, () => expect(last(body)?.target).toEqual(expected));

  it('reads requirement and constraint files, dev files by name', () => {
    const call = last(
      'RUN pip install --no-cache-dir -r requirements.txt --requirement=requirements-dev.txt -c constraints.txt\n',
    )!;
    expect(call.files.map((f) => [f.path, f.constraint, f.dev])).toEqual([
      ['requirements.txt', false, false],
      ['requirements-dev.txt', false, true],
      ['constraints.txt', true, false],
    ]);
  });

  it('tells the project, editable or not, from packages and tooling', () => {
    expect(last('RUN pip install -e .\n')).toMatchObject({ project: true, tooling: false });
    expect(last('RUN pip install -e .\n')?.editable?.value).toBe('.');
    expect(last('RUN pip install ".[server]"\n')).toMatchObject({ project: true, editable: null });
    expect(last('RUN pip install --upgrade pip setuptools\n')?.tooling).toBe(true);
    expect(last('RUN pip install gunicorn\n')).toMatchObject({ project: false, tooling: false });
    expect(last('RUN pip download flask\n')).toBeUndefined();
  });

  it('development requirement files', () => {
    for (const p of [
      'requirements-dev.txt',
      'dev-requirements.txt',
      'requirements/test.txt',
      'requirements_lint.txt',
    ])
      expect(isDevRequirements(p), p).toBe(true);
    for (const p of ['requirements.txt', 'requirements/prod.txt', 'requirements-device.txt'])
      expect(isDevRequirements(p), p).toBe(false);
  });
});

describe('pipProject', () => {
  const files = { 'requirements.txt': 'flask==3.1.0\n' };
  const kind = (text: string, f: Record<string, string> = files) => {
    const doc = parse(text);
    const p = pipProject(doc, buildContext({ dockerfile: 'Dockerfile', files: f }));
    return p.kind === 'blocked' ? `blocked: ${p.why}` : p.kind;
  };
  const base = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n';
  const cmd = 'CMD ["gunicorn", "app:app"]\n';

  it('ready: one stage installing its requirements with pip', () =>
    expect(kind(`${base}RUN pip install -r requirements.txt\n${cmd}`)).toBe('ready'));
  it('ready: a Poetry pyproject or lockfile beside a Dockerfile that installs with pip only', () => {
    expect(
      kind(`${base}RUN pip install -r requirements.txt\n${cmd}`, {
        ...files,
        'poetry.lock': '',
        'pyproject.toml': '[tool.poetry]\nname = "app"\n',
      }),
    ).toBe('ready');
  });
  it('ready: a Pipfile beside a Dockerfile that installs the project with pip and never calls Pipenv', () => {
    const pipfile = { Pipfile: '[packages]\nflask = "*"\n', 'Pipfile.lock': '{}' };
    expect(kind(`${base}RUN pip install .\n${cmd}`, pipfile)).toBe('ready');
    // What the Dockerfile runs decides: a Pipenv install (or any call of it) makes it Pipenv's.
    expect(kind(`${base}RUN pip install pipenv && pipenv install --system\n${cmd}`, pipfile)).toBe(
      'none',
    );
    expect(
      kind(
        `${base}RUN pip install -r requirements.txt\nCMD ["pipenv", "run", "gunicorn", "app:app"]\n`,
        {
          ...files,
          ...pipfile,
        },
      ),
    ).toBe('none');
  });
  it('ready: --user as root, with PATH lines naming only the user site bin', () => {
    expect(kind(`${base}RUN pip install --user -r requirements.txt\n${cmd}`)).toBe('ready');
    expect(
      kind(
        `${base}RUN pip install --user -r requirements.txt\nENV PATH=$HOME/.local/bin:$PATH\n${cmd}`,
      ),
    ).toBe('ready');
  });
  it("ready: the file's own venv under another name inside the app directory, which travels with it", () => {
    const text = `${base}RUN python -m venv venv && venv/bin/pip install -r requirements.txt\n${cmd}`;
    const p = pipProject(parse(text), buildContext({ dockerfile: 'Dockerfile', files }));
    expect(p.kind === 'ready' && p.venv).toBe('/app/venv');
    expect(kind(text.replace('venv/bin/pip', '/app/venv/bin/python -m pip'))).toBe('ready');
  });
  it('blocked: a venv outside the app directory, two venvs, or a venv beside the system Python', () => {
    expect(
      kind(
        `${base}RUN python -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.txt\n${cmd}`,
      ),
    ).toMatch(/into \/opt\/venv, a virtual environment outside the app directory \/app/);
    expect(
      kind(
        `${base}RUN python -m venv a && python -m venv b && a/bin/pip install flask && b/bin/pip install -r requirements.txt\n${cmd}`,
      ),
    ).toMatch(/more than one virtual environment \(\/app\/a, \/app\/b\)/);
    expect(
      kind(
        `${base}RUN python -m venv venv && venv/bin/pip install flask && pip install -r requirements.txt\n${cmd}`,
      ),
    ).toMatch(/both into \/app\/venv and outside it/);
  });
  it('ready: a package named through a build ARG inside a literal argument (it is one argument, not options)', () => {
    expect(
      kind(
        `FROM python:3.12-slim\nARG VERSION\nWORKDIR /app\nRUN pip install https://example.com/app/\${VERSION}.zip\n${cmd}`,
      ),
    ).toBe('ready');
    expect(kind(`${base}RUN pip install $PACKAGES\n${cmd}`)).toMatch(
      /arguments come from a shell variable/,
    );
  });
  it('none: uv named only in a comment does not make a uv project', () => {
    expect(
      kind(
        `${base}# COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv\nRUN pip install flask\n${cmd}`,
      ),
    ).toBe('ready');
  });
  it('none: only pip tooling, a uv project, a Poetry project, a file with stages', () => {
    expect(kind(`${base}RUN pip install --upgrade pip\n${cmd}`)).toBe('none');
    expect(
      kind(`${base}RUN pip install uv && uv pip install --system -r requirements.txt\n${cmd}`),
    ).toBe('none');
    expect(
      kind(`${base}RUN pip install poetry && poetry install\n${cmd}`, { 'poetry.lock': '' }),
    ).toBe('none');
    expect(
      kind(
        `FROM python:3.12 AS build\nRUN pip wheel -w /w flask\nFROM python:3.12-slim\nWORKDIR /app\nRUN pip install flask\n${cmd}`,
      ),
    ).toBe('none');
  });
  it('blocked, with the reason', () => {
    expect(
      kind(`${base}ENV PYTHONUSERBASE=/deps\nRUN pip install --user -r requirements.txt\n${cmd}`),
    ).toMatch(/PYTHONUSERBASE/);
    expect(
      kind(
        `${base}RUN pip install --user -r requirements.txt\nENV PYTHONPATH=/root/.local/lib/python3.12/site-packages\n${cmd}`,
      ),
    ).toMatch(/ENV refers to the user site/);
    expect(kind(`${base}USER 1000\nRUN pip install --user -r requirements.txt\n${cmd}`)).toMatch(
      /USER 1000 is set before the install/,
    );
    expect(
      kind(
        `${base}RUN pip install -r requirements.txt\nRUN /usr/local/bin/python manage.py collectstatic\n${cmd}`,
      ),
    ).toMatch(/this RUN names the system Python by its path \(\/usr\/local\/bin\/python\)/);
    expect(
      kind(
        `${base}RUN pip install -r requirements.txt\nRUN echo "* * * * * /usr/local/bin/python3 /app/job.py" > /etc/cron.d/job && crontab /etc/cron.d/job\n${cmd}`,
      ),
    ).toMatch(
      /installs a cron job that runs the system Python by its path \(\/usr\/local\/bin\/python3\).*must start as root/,
    );
    // pip upgraded as root, then the requirements installed by the user the file switched to.
    expect(
      kind(
        `${base}RUN pip install --upgrade pip\nUSER user\nRUN pip install -r requirements.txt\n${cmd}`,
      ),
    ).toMatch(/USER user is set before the install/);
    expect(
      kind(
        `${base}USER user\nRUN echo built\nUSER root\nRUN pip install -r requirements.txt\n${cmd}`,
      ),
    ).toBe('ready');
    expect(kind(`${base}RUN pip install -r requirements.txt\n`)).toMatch(/no CMD or ENTRYPOINT/);
    expect(kind(`FROM langchain/langchain\nWORKDIR /app\nRUN pip install flask\n${cmd}`)).toMatch(
      /not an image whose Python can be told/,
    );
    expect(kind(`FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\n${cmd}`)).toMatch(
      /no WORKDIR/,
    );
    expect(
      kind(`${base}RUN pip install flask\nCMD pip install -r requirements.txt && python app.py\n`),
    ).toMatch(/installs packages at start/);
    expect(kind(`${base}USER app\nRUN pip install flask\n${cmd}`)).toMatch(
      /USER app is set before/,
    );
    expect(kind(`${base.replace('3.12-slim', '2.7.13')}RUN pip install flask\n${cmd}`)).toMatch(
      /python:2\.7\.13 is Python 2, which has no venv module/,
    );
  });
});

describe('noInstallStep', () => {
  const at = (text: string, files: Record<string, string> = {}) => {
    const doc = parse(text);
    const instr = noInstallStep(doc, buildContext({ dockerfile: 'Dockerfile', files }));
    return instr ? doc.logical(instr.start, instr.end) : null;
  };
  const script = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY app.py .\nCMD ["python", "app.py"]\n';

  it('a Python image that copies its source and installs nothing: the first context copy', () => {
    expect(at(script)).toBe('COPY app.py .');
    expect(at(script.replace('CMD', 'RUN pip install --upgrade pip\nCMD'))).toBe('COPY app.py .');
  });

  it('not when something is installed, or could be, or it is not that kind of image', () => {
    expect(at(script.replace('CMD', 'RUN pip install flask\nCMD'))).toBeNull();
    expect(at(script, { 'requirements.txt': 'flask\n' })).toBeNull();
    expect(at(script, { Pipfile: '' })).toBeNull();
    expect(at(script.replace('CMD', 'RUN conda install -y numpy\nCMD'))).toBeNull();
    expect(at(script.replace('python:3.12-slim', 'ubuntu:24.04'))).toBeNull();
    expect(at(script.replace('CMD ["python", "app.py"]\n', ''))).toBeNull();
    expect(at(`FROM python:3.12 AS base\n${script}`)).toBeNull();
  });
});
