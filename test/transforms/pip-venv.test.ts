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
      name: 'installing nothing on a base whose Python cannot be told says nothing',
      input: 'FROM ubuntu:24.04\nWORKDIR /app\nCOPY . .\nCMD ["python3", "app.py"]\n',
      files: {},
    },
    {
      name: 'only pip tooling',
      input: `${FROM}WORKDIR /app\nRUN pip install --upgrade pip\n${START}`,
      files: FILES,
    },
  ],
  invalid: [
    {
      name: 'a WORKDIR between the source copy and the install does not read the source: the split still happens',
      input:
        'FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "app:app"]\n',
      output:
        'FROM python:3.12-slim\nCOPY requirements.txt /app/\nWORKDIR /app\nRUN python -m venv /app/.venv\nENV VIRTUAL_ENV=/app/.venv \\\n    PATH="/app/.venv/bin:$PATH"\nRUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r requirements.txt\nCOPY . /app\nCMD ["gunicorn", "app:app"]\n',
      files: { 'requirements.txt': 'flask\n' },
    },
    {
      name: 'a pip project with stages of its own, running as root on a base that cannot be told, says why no user is added',
      input:
        'ARG FROM\nFROM ${FROM} AS builder\nRUN python3 -m venv /opt/venv\nRUN /opt/venv/bin/pip install -r /requirements.txt\n\nFROM ${FROM} AS main\nCOPY --from=builder /opt/venv /opt/venv\nCMD ["/opt/venv/bin/app"]\n',
      files: FILES,
      output: null,
      messages: [
        /a Python service with stages of its own, kept as they are: its final stage runs as root on \$\{FROM\}.*no user is added/,
      ],
    },
    {
      name: 'the common shape: venv before the requirement files, --no-cache-dir becomes a cache mount',
      input: `${FROM}WORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\n${START}`,
      output: `${FROM}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}pip install -r requirements.txt\n${START}`,
      files: FILES,
      messages: [
        /venv in the app directory \(\/app\/\.venv\)/,
        /moving the project to uv is a separate step/,
        /cache mount instead of --no-cache-dir/,
      ],
    },
    {
      name: 'an install that kept its cache gets the mount, and is not told it replaced --no-cache-dir',
      input: `${FROM}WORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n${START}`,
      output: `${FROM}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}pip install -r requirements.txt\n${START}`,
      files: FILES,
      messages: [/pip's cache is a build cache mount: wheels are reused/],
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
      // A Pipfile in the context made this "a Pipenv project" with nothing done and nothing said.
      name: 'a Pipfile the Dockerfile never uses: the project installed with pip gets the venv, and the Pipfile is named',
      input: `${FROM}WORKDIR /app\nCOPY . .\nRUN pip install .\nCMD ["shop"]\n`,
      output: `${FROM}WORKDIR /app\n${VENV}COPY . .\n${CACHE}pip install .\nCMD ["shop"]\n`,
      files: {
        Pipfile: '[packages]\nflask = "*"\n',
        'Pipfile.lock': '{}',
        'pyproject.toml': '[project]\nname = "shop"\n',
      },
      messages: [
        /the Pipfile beside it is not what this image installs: the Dockerfile never calls Pipenv/,
      ],
    },
    {
      name: 'in an apt-get chain: the chain keeps its shape',
      input: `${FROM}WORKDIR /app\nCOPY requirements.txt .\nRUN apt-get update && apt-get install -y gcc \\\n    && pip install --no-cache-dir -r requirements.txt\n${START}`,
      output: `${FROM}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}apt-get update && apt-get install -y gcc \\\n    && pip install -r requirements.txt\n${START}`,
      files: FILES,
    },
    {
      name: '--user as root becomes the venv install; the PATH line for /root/.local/bin goes',
      input: `${FROM}WORKDIR /app\nCOPY requirements.txt .\nRUN pip install --user -r requirements.txt\nENV PATH=/root/.local/bin:$PATH\n${START}`,
      output: `${FROM}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}pip install -r requirements.txt\n${START}`,
      files: FILES,
      messages: [/`--user` is dropped/],
    },
    {
      name: 'a PATH with other entries loses only the user site, at either end',
      input: `${FROM}WORKDIR /app\nCOPY requirements.txt .\nRUN pip install --user -r requirements.txt\nENV PATH="/root/.local/bin:/opt/tools/bin:$PATH" LANG=C.UTF-8\nENV PATH=$PATH:$HOME/.local/bin\n${START}`,
      output: `${FROM}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}pip install -r requirements.txt\nENV PATH="/opt/tools/bin:$PATH" LANG=C.UTF-8\n${START}`,
      files: FILES,
    },
    {
      name: '--user with a PYTHONUSERBASE of its own: reported',
      input: `${FROM}WORKDIR /app\nENV PYTHONUSERBASE=/opt/pylibs\nCOPY requirements.txt .\nRUN pip install --user -r requirements.txt\n${START}`,
      output: null,
      files: FILES,
      messages: [/pip installs with --user into PYTHONUSERBASE \(\/opt\/pylibs\)/],
    },
    {
      name: '--user with a start command naming /root/.local: reported',
      input: `${FROM}WORKDIR /app\nCOPY requirements.txt .\nRUN pip install --user -r requirements.txt\nCOPY . .\nCMD ["/root/.local/bin/gunicorn", "shop:app"]\n`,
      output: null,
      files: FILES,
      messages: [/CMD refers to the user site \(\/root\/\.local\)/],
    },
    {
      name: 'COPY . . before the install: the requirement file is copied in its place and the source after the install',
      input: `${FROM}WORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD ["gunicorn", "shop:app"]\n`,
      output: `${FROM}WORKDIR /app\n${VENV}COPY requirements.txt ./\n${CACHE}pip install -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "shop:app"]\n`,
      files: FILES,
      messages: [/requirements\.txt is copied and installed before the source/],
    },
    {
      name: 'the files a requirements file names come too, each into its own directory',
      input: `${FROM}WORKDIR /app\nCOPY --chown=root:root . /app\nRUN pip install -r requirements/prod.txt\nCMD ["gunicorn", "shop:app"]\n`,
      output: `${FROM}WORKDIR /app\n${VENV}COPY --chown=root:root requirements/prod.txt requirements/base.txt /app/requirements/\nCOPY --chown=root:root constraints.txt /app/\n${CACHE}pip install -r requirements/prod.txt\nCOPY --chown=root:root . /app\nCMD ["gunicorn", "shop:app"]\n`,
      files: {
        'requirements/prod.txt': '-r base.txt\n-c ../constraints.txt\nflask==3.1.0\n',
        'requirements/base.txt': 'gunicorn==23.0.0\n',
        'constraints.txt': 'werkzeug==3.1.3\n',
      },
      messages: [/requirements\/prod\.txt, requirements\/base\.txt, constraints\.txt are copied/],
    },
    {
      name: 'a system package install between the source copy and pip stays before pip',
      input: `${FROM}WORKDIR /app\nCOPY . .\nRUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "shop:app"]\n`,
      output: `${FROM}WORKDIR /app\nCOPY requirements.txt ./\nRUN apt-get update && apt-get install -y gcc && rm -rf /var/lib/apt/lists/*\n${VENV}${CACHE}pip install -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "shop:app"]\n`,
      files: FILES,
    },
    {
      name: 'a RUN that may read the source between the copy and the install: not split, said',
      input: `${FROM}WORKDIR /app\nCOPY . .\nRUN chmod +x start.sh\nRUN pip install -r requirements.txt\nCMD ["./start.sh"]\n`,
      output: `${FROM}WORKDIR /app\nCOPY . .\nRUN chmod +x start.sh\n${VENV}${CACHE}pip install -r requirements.txt\nCMD ["./start.sh"]\n`,
      files: FILES,
      messages: [/not split: RUN between the source copy and the install may read the source/],
    },
    {
      name: 'the project installed in the same RUN: not split, said',
      input: `${FROM}WORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt && pip install .\nCMD ["shop"]\n`,
      output: `${FROM}WORKDIR /app\n${VENV}COPY . .\n${CACHE}pip install -r requirements.txt && pip install .\nCMD ["shop"]\n`,
      files: FILES,
      messages: [/not split: the RUN that installs them does more than install requirement files/],
    },
    {
      name: 'no requirements file and no install: nothing to split, said',
      input: `${FROM}WORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n`,
      output: null,
      files: {},
      messages: [/nothing to split: no requirements file and no pip install/],
    },
    {
      // Before stretch was read as a release, this tag was "not an image whose Python can be told".
      name: 'a patch pinned on stretch is a Python that can be told: the venv is made',
      input:
        'FROM python:3.7.3-stretch\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["python", "job.py"]\n',
      output:
        'FROM python:3.7.3-stretch\nWORKDIR /app\nRUN python -m venv /app/.venv\nENV VIRTUAL_ENV=/app/.venv \\\n    PATH="/app/.venv/bin:$PATH"\nCOPY requirements.txt .\nRUN --mount=type=cache,target=/root/.cache/pip \\\n    pip install -r requirements.txt\nCOPY . .\nCMD ["python", "job.py"]\n',
      files: FILES,
      messages: [/venv in the app directory \(\/app\/\.venv\)/],
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
