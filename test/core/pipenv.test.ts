import { describe, expect, it } from 'vitest';
import { toolPipInstall } from '../../src/core/pip.js';
import { parse } from '../../src/core/document.js';
import { buildContext } from '../../src/core/context.js';
import { pipenvInstalls, pipenvInstallsIntoVenv, pipenvProject } from '../../src/core/pipenv.js';

const files = { Pipfile: '[packages]\nflask = "*"\n', 'Pipfile.lock': '{}\n' };
const ctx = (extra: Record<string, string> = {}) =>
  buildContext({ dockerfile: 'Dockerfile', files: { ...files, ...extra } });
const base =
  'FROM python:3.12\nWORKDIR /app\nRUN pip install pipenv\nCOPY Pipfile Pipfile.lock ./\n';

describe('pipenv installs', () => {
  it('reads install and sync by any path, with their options and named packages', () => {
    const doc = parse(
      'FROM python:3.12\nRUN pipenv install --system --deploy && python -m pipenv sync --dev\nRUN /usr/local/bin/pipenv install --python 3.12 requests\n',
    );
    const found = pipenvInstalls(doc, doc.stages[0]);
    expect(found.map((i) => [i.subcommand, i.options.map((o) => o.name), i.packages])).toEqual([
      ['install', ['--system', '--deploy'], []],
      ['sync', ['--dev'], []],
      ['install', ['--python'], ['requests']],
    ]);
  });
  it('tells the pip install of Pipenv from other pip installs', () => {
    const doc = parse(
      'FROM python:3.12\nRUN pip install -r requirements.txt\nRUN pip3 install "pipenv==$V"\n',
    );
    expect(toolPipInstall(doc, doc.stages[0], 'pipenv')?.instr).toBe(doc.stages[0].instructions[1]);
    const other = parse('FROM python:3.12\nRUN pip install pipenv flask\n');
    expect(toolPipInstall(other, other.stages[0], 'pipenv')).toBeNull();
  });
});

describe('pipenv projects', () => {
  it('is ready for a single stage with Pipenv from pip, and none without a Pipfile or with uv in the file', () => {
    const text = `${base}RUN pipenv install --system --deploy\nCOPY . .\nCMD ["gunicorn", "app:app"]\n`;
    const p = pipenvProject(parse(text), ctx());
    expect(p.kind).toBe('ready');
    if (p.kind === 'ready') expect(p.app).toBe('/app');
    const bare = buildContext({ dockerfile: 'Dockerfile', files: {} });
    expect(pipenvProject(parse(text), bare).kind).toBe('none');
    // A uv.lock beside it does not make the Dockerfile a uv one: it is built as written.
    expect(pipenvProject(parse(text), ctx({ 'uv.lock': '' })).kind).toBe('ready');
    const named = text.replace('RUN pipenv', 'RUN pip install uv && pipenv');
    expect(pipenvProject(parse(named), ctx()).kind).toBe('none');
    expect(ctx().hasPipfileLock).toBe(true);
  });
  it.each([
    ['no CMD', `${base}RUN pipenv install\n`, /no CMD or ENTRYPOINT/],
    [
      'PIPENV_PIPFILE',
      `${base}ENV PIPENV_PIPFILE=/src/Pipfile\nRUN pipenv install\nCMD ["app"]\n`,
      /PIPENV_PIPFILE is set/,
    ],
    [
      'an install at start',
      `${base}RUN pipenv install\nCMD pipenv install && pipenv run app\n`,
      /installs packages at start/,
    ],
    [
      'a non-root USER first',
      `${base}USER app\nRUN pipenv install\nCMD ["app"]\n`,
      /non-root USER/,
    ],
    [
      'a requirements import',
      `${base}RUN pipenv install -r requirements.txt\nCMD ["app"]\n`,
      /requirements file/,
    ],
  ])('is blocked by %s', (_name, body, why) => {
    const p = pipenvProject(parse(body), ctx());
    expect(p.kind).toBe('blocked');
    if (p.kind === 'blocked') expect(p.why).toMatch(why);
  });
  it('installs into the venv in the app directory only with PIPENV_VENV_IN_PROJECT and no --system', () => {
    const into = (body: string) => {
      const doc = parse(`${base}${body}CMD ["app"]\n`);
      return pipenvInstallsIntoVenv(doc, doc.stages[0]);
    };
    expect(into('ENV PIPENV_VENV_IN_PROJECT=1\nRUN pipenv install --deploy\n')).toBe(true);
    expect(into('ENV PIPENV_VENV_IN_PROJECT=1\nRUN pipenv install --system --deploy\n')).toBe(
      false,
    );
    expect(into('RUN pipenv install --deploy\n')).toBe(false);
    expect(into('ENV PIPENV_VENV_IN_PROJECT=0\nRUN pipenv install\n')).toBe(false);
  });
});
