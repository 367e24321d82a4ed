import transform from '../../transforms/pip-venv.js';
import { transformTable } from '../helpers/transform-table.js';

const FILES = {
  'requirements.txt': 'flask==3.1.0\ngunicorn==23.0.0\n',
  'requirements-dev.txt': '-r requirements.txt\npytest==8.3.4\n',
};
const FROM = 'FROM python:3.12-slim-trixie\n';
const VENV =
  'RUN python -m venv /app/.venv\nENV VIRTUAL_ENV=/app/.venv \\\n    PATH="/app/.venv/bin:$PATH"\n';
const CACHE = 'RUN --mount=type=cache,target=/root/.cache/pip \\\n    ';
const START = 'COPY . .\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "shop:app"]\n';

transformTable(transform, {
  valid: [
    {
      name: 'already installing into the venv (its own output)',
      input: `${FROM}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}pip install -r requirements.txt\n${START}`,
      files: FILES,
    },
    {
      name: 'a uv project: pip install uv is not a pip project',
      input: `${FROM}WORKDIR /app\nRUN pip install uv\nCOPY . .\nRUN uv sync --frozen --no-dev\nCMD ["app"]\n`,
    },
    {
      name: 'a Poetry project is a later step',
      input: `${FROM}WORKDIR /app\nRUN pip install poetry==1.8.5\nCOPY . .\nRUN poetry install --only main\n${START}`,
      files: { 'poetry.lock': '', 'pyproject.toml': '[tool.poetry]\nname = "shop"\n' },
    },
    {
      name: 'only pip tooling',
      input: `${FROM}WORKDIR /app\nRUN pip install --upgrade pip\n${START}`,
      files: FILES,
    },
  ],
  invalid: [
    {
      name: 'the common shape: venv before the requirement files, --no-cache-dir becomes a cache mount',
      input: `${FROM}WORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n${START}`,
      output: `${FROM}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}pip install -r requirements.txt\n${START}`,
      files: FILES,
      messages: [
        /venv in the app directory \(\/app\/\.venv\)/,
        /moving the project to uv is a separate step/,
        /cache mount/,
      ],
    },
    {
      name: 'a development file among others is dropped; --upgrade pip goes into the venv',
      input: `${FROM}WORKDIR /app\nRUN pip install --upgrade pip\nCOPY requirements.txt requirements-dev.txt ./\nRUN pip install -r requirements.txt -r requirements-dev.txt\n${START}`,
      output: `${FROM}WORKDIR /app\n${VENV}${CACHE}pip install --upgrade pip\nCOPY requirements.txt requirements-dev.txt ./\n${CACHE}pip install -r requirements.txt\n${START}`,
      files: FILES,
      messages: [/requirements-dev\.txt \(development requirements\) is no longer installed/],
    },
    {
      name: 'a RUN that installs only development requirements goes',
      input: `${FROM}WORKDIR /app\nCOPY requirements.txt requirements-dev.txt ./\nRUN pip install -r requirements.txt\n# tests\nRUN pip install -r requirements-dev.txt\n${START}`,
      output: `${FROM}WORKDIR /app\n${VENV}COPY requirements.txt requirements-dev.txt ./\n${CACHE}pip install -r requirements.txt\n${START}`,
      files: FILES,
      messages: [/requirements-dev\.txt holds development requirements.*that RUN is gone/],
    },
    {
      name: 'python -m pip, the project installed non-editable after the source',
      input: `${FROM}WORKDIR /app\nCOPY requirements.txt .\nRUN python -m pip install -r requirements.txt\nCOPY . .\nRUN python -m pip install --editable=.\nCMD ["shop"]\n`,
      output: `${FROM}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}python -m pip install -r requirements.txt\nCOPY . .\n${CACHE}python -m pip install .\nCMD ["shop"]\n`,
      files: FILES,
      messages: [/installed as a regular package \(`-e` dropped\)/],
    },
    {
      name: 'in an apt-get chain: the chain keeps its shape',
      input: `${FROM}WORKDIR /app\nCOPY requirements.txt .\nRUN apt-get update && apt-get install -y gcc \\\n    && pip install --no-cache-dir -r requirements.txt\n${START}`,
      output: `${FROM}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}apt-get update && apt-get install -y gcc \\\n    && pip install -r requirements.txt\n${START}`,
      files: FILES,
    },
    {
      name: '--user installs are a later step: reported',
      input: `${FROM}WORKDIR /app\nCOPY requirements.txt .\nRUN pip install --user -r requirements.txt\n${START}`,
      output: null,
      files: FILES,
      messages: [/a pip project, kept in its single stage: pip installs with --user/],
    },
    {
      name: 'no WORKDIR: reported',
      input: `${FROM}COPY . .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "shop:app"]\n`,
      output: null,
      files: FILES,
      messages: [/no WORKDIR/],
    },
  ],
});
