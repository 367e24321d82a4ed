import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/document.js';
import { buildContext } from '../../src/core/context.js';
import { lockExports, lockToolInstalls } from '../../src/core/exports.js';
import { exportedIntoVenv, pipProject } from '../../src/core/pip.js';
import { pipenvHasRequirements, pipenvRelease } from '../../src/core/pipenv.js';

const stageOf = (body: string) => {
  const doc = parse(`FROM python:3.12\nWORKDIR /app\n${body}`);
  return { doc, stage: doc.stages[0] };
};
const POETRY = { 'pyproject.toml': '[tool.poetry]\nname = "shop"\n', 'poetry.lock': '' };
const PIPENV = { Pipfile: '[packages]\nflask = "*"\n', 'Pipfile.lock': '{}' };

describe('exports of the lock to a requirements file', () => {
  it('reads poetry export, pipenv requirements and pipenv lock -r, by any path', () => {
    const { doc, stage } = stageOf(
      'RUN poetry export -f requirements.txt -o requirements.txt --without-hashes\nRUN python -m pipenv requirements --dev > r.txt && /usr/local/bin/pipenv lock -r > old.txt\nRUN pipenv lock && poetry show\n',
    );
    expect(lockExports(doc, stage).map((e) => [e.tool, e.subcommand])).toEqual([
      ['poetry', 'export'],
      ['pipenv', 'requirements'],
      ['pipenv', 'lock'],
    ]);
  });
  it('tells a tool that installs itself from one that only exports', () => {
    const { doc, stage } = stageOf('RUN poetry export -o r.txt && pipenv sync\n');
    expect(lockToolInstalls(doc, stage, 'poetry')).toBe(false);
    expect(lockToolInstalls(doc, stage, 'pipenv')).toBe(true);
  });
});

describe('a project that exports is a pip project, the tool left out', () => {
  const project = (body: string, files: Record<string, string>) =>
    pipProject(
      parse(`FROM python:3.12\nWORKDIR /app\n${body}CMD ["gunicorn", "shop:app"]\n`),
      buildContext({ dockerfile: 'Dockerfile', files }),
    );
  it('is ready without the pip install of Poetry or Pipenv among its installs', () => {
    const p = project(
      'RUN pip install poetry poetry-plugin-export\nCOPY . .\nRUN poetry export -o requirements.txt\nRUN pip install -r requirements.txt\n',
      POETRY,
    );
    expect(p.kind).toBe('ready');
    if (p.kind === 'ready')
      expect(p.installs.map((i) => i.files[0]?.path)).toEqual(['requirements.txt']);
    const q = project(
      'RUN pip install pipenv\nRUN pipenv requirements > requirements.txt && pip install -r requirements.txt\n',
      PIPENV,
    );
    expect(q.kind).toBe('ready');
  });
  it("is Poetry's or Pipenv's own when the tool installs", () => {
    expect(project('RUN pip install poetry\nRUN poetry install\n', POETRY).kind).toBe('none');
    expect(project('RUN pip install pipenv\nRUN pipenv install --system\n', PIPENV).kind).toBe(
      'none',
    );
  });
  it('is blocked when the tool is installed in the RUN that installs the requirements', () => {
    const p = project(
      'RUN pip install poetry && poetry export -o requirements.txt && pip install -r requirements.txt\n',
      POETRY,
    );
    expect(p).toMatchObject({
      kind: 'blocked',
      why: expect.stringMatching(/would take Poetry in too/),
    });
  });
  it('builds into the venv once pip installs there and the tool stays outside', () => {
    const { doc, stage } = stageOf(
      'RUN pip install poetry==2.5.1 poetry-plugin-export\nRUN poetry export -o requirements.txt\nRUN python -m venv /app/.venv\nENV PATH="/app/.venv/bin:$PATH"\nRUN pip install -r requirements.txt\n',
    );
    expect(exportedIntoVenv(doc, stage, 'poetry')).toBe(true);
    const system = stageOf(
      'RUN pip install poetry\nRUN poetry export -o r.txt && pip install -r r.txt\n',
    );
    expect(exportedIntoVenv(system.doc, system.stage, 'poetry')).toBe(false);
  });
});

describe('the Pipenv release the builder installs', () => {
  it('reads the pin through ARG, the default when unpinned, and knows when lock -r went', () => {
    const pinned = stageOf('ARG V=2022.8.5\nRUN pip install "pipenv==${V}"\n');
    expect(pipenvRelease(pinned.doc, pinned.stage, '2026.10.3')).toEqual({ version: '2022.8.5' });
    const bare = stageOf('RUN pip install pipenv\n');
    expect(pipenvRelease(bare.doc, bare.stage, '2026.10.3')).toEqual({ version: '2026.10.3' });
    expect(
      ['2022.8.5', '2022.8.13', '2022.10.4', '2021.11.23', 'latest'].map(pipenvHasRequirements),
    ).toEqual([false, true, true, false, null]);
  });
});
