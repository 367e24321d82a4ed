import transform from '../../transforms/uv-pip-venv.js';
import { transformTable } from '../helpers/transform-table.js';

const FILES = { 'requirements.txt': 'flask==3.1.0\ngunicorn==23.0.0\n' };
const FROM = 'FROM python:3.12-slim-trixie\n';
const UV = 'COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/\n';
const VENV =
  'RUN uv venv /app/.venv\nENV VIRTUAL_ENV=/app/.venv \\\n    PATH="/app/.venv/bin:$PATH"\n';
const CACHE = 'RUN --mount=type=cache,target=/root/.cache/uv \\\n    ';
const START = 'COPY . .\nCMD ["gunicorn", "--bind", "0.0.0.0:8000", "shop:app"]\n';

transformTable(transform, {
  valid: [
    {
      name: 'already installing into a venv (its own output)',
      input: `${FROM}${UV}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}uv pip install -r requirements.txt\n${START}`,
      files: FILES,
    },
    {
      name: 'a uv sync project',
      input: `${FROM}${UV}WORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-dev\nCMD ["app"]\n`,
    },
    {
      name: 'a file that already has stages decides where its packages go',
      input: `FROM python:3.12-slim-trixie AS builder\n${UV}WORKDIR /app\nCOPY requirements.txt .\nRUN uv pip install --system -r requirements.txt\n\nFROM python:3.12-slim-trixie\nCOPY --from=builder /usr/local /usr/local\nCMD ["app"]\n`,
      files: FILES,
    },
    {
      name: 'no --system: --python $(which python) is left to multi-stage to report',
      input: `${FROM}${UV}WORKDIR /app\nRUN uv pip install --python $(which python) -r requirements.txt\n${START}`,
      files: FILES,
    },
  ],
  invalid: [
    {
      name: 'the common shape: venv made before the dependency files, --no-cache becomes a cache mount',
      input: `${FROM}WORKDIR /app\n${UV}COPY requirements.txt .\nRUN uv pip install --system --no-cache -r requirements.txt\n${START}`,
      output: `${FROM}WORKDIR /app\n${UV}${VENV}COPY requirements.txt .\n${CACHE}uv pip install -r requirements.txt\n${START}`,
      files: FILES,
      messages: [/venv in the app directory \(\/app\/\.venv\).*--system is dropped/, /cache mount/],
    },
    {
      name: 'uv pip sync --system',
      input: `${FROM}${UV}WORKDIR /app\nCOPY requirements.txt .\nRUN uv pip sync --system requirements.txt\n${START}`,
      output: `${FROM}${UV}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}uv pip sync requirements.txt\n${START}`,
      files: FILES,
    },
    {
      name: 'the project installed after the source copy; --break-system-packages goes with --system',
      input: `${FROM}${UV}WORKDIR /app\nCOPY . .\nRUN uv pip install --system --break-system-packages .\nCMD ["shop"]\n`,
      output: `${FROM}${UV}WORKDIR /app\n${VENV}COPY . .\n${CACHE}uv pip install .\nCMD ["shop"]\n`,
    },
    {
      name: 'an editable install stays editable, and says why',
      input: `${FROM}${UV}WORKDIR /app\nCOPY . .\nRUN uv pip install --system -e .\nCMD ["shop"]\n`,
      output: `${FROM}${UV}WORKDIR /app\n${VENV}COPY . .\n${CACHE}uv pip install -e .\nCMD ["shop"]\n`,
      messages: [
        /editable install \(-e\) stays editable: the runtime stage receives the whole app directory/,
      ],
    },
    {
      name: 'ENV UV_SYSTEM_PYTHON=1 first of two settings: only it goes',
      input: `${FROM}${UV}ENV UV_SYSTEM_PYTHON=1 \\\n    PYTHONUNBUFFERED=1\nWORKDIR /app\nCOPY requirements.txt .\nRUN uv pip install -r requirements.txt\n${START}`,
      output: `${FROM}${UV}ENV PYTHONUNBUFFERED=1\nWORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}uv pip install -r requirements.txt\n${START}`,
      files: FILES,
      messages: [/UV_SYSTEM_PYTHON is dropped/],
    },
    {
      name: 'ENV UV_SYSTEM_PYTHON=true last of two settings',
      input: `${FROM}${UV}ENV PYTHONUNBUFFERED=1 UV_SYSTEM_PYTHON=true\nWORKDIR /app\nCOPY requirements.txt .\nRUN uv pip install -r requirements.txt\n${START}`,
      output: `${FROM}${UV}ENV PYTHONUNBUFFERED=1\nWORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}uv pip install -r requirements.txt\n${START}`,
      files: FILES,
    },
    {
      name: 'ENV UV_SYSTEM_PYTHON alone: the instruction goes',
      input: `${FROM}${UV}ENV UV_SYSTEM_PYTHON 1\nWORKDIR /app\nCOPY requirements.txt .\nRUN uv pip install -r requirements.txt\n${START}`,
      output: `${FROM}${UV}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}uv pip install -r requirements.txt\n${START}`,
      files: FILES,
    },
    {
      name: 'UV_SYSTEM_PYTHON=1 on the command',
      input: `${FROM}${UV}WORKDIR /app\nCOPY requirements.txt .\nRUN UV_SYSTEM_PYTHON=1 uv pip install -r requirements.txt\n${START}`,
      output: `${FROM}${UV}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}uv pip install -r requirements.txt\n${START}`,
      files: FILES,
    },
    {
      name: 'chained with apt-get; --system alone on a continued line',
      input: `${FROM}${UV}WORKDIR /app\nCOPY requirements.txt .\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends gcc libpq-dev \\\n    && uv pip install \\\n        --system \\\n        -r requirements.txt \\\n    && rm -rf /var/lib/apt/lists/*\n${START}`,
      output: `${FROM}${UV}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}apt-get update \\\n    && apt-get install -y --no-install-recommends gcc libpq-dev \\\n    && uv pip install \\\n        -r requirements.txt \\\n    && rm -rf /var/lib/apt/lists/*\n${START}`,
      files: FILES,
    },
    {
      name: 'uv mounted from its image: the venv RUN mounts it too',
      input: `${FROM}WORKDIR /app\nCOPY requirements.txt .\nRUN --mount=from=ghcr.io/astral-sh/uv:0.13.8,source=/uv,target=/bin/uv \\\n    uv pip install --system -r requirements.txt\n${START}`,
      output: `${FROM}WORKDIR /app\nRUN --mount=from=ghcr.io/astral-sh/uv:0.13.8,source=/uv,target=/bin/uv uv venv /app/.venv\nENV VIRTUAL_ENV=/app/.venv \\\n    PATH="/app/.venv/bin:$PATH"\nCOPY requirements.txt .\nRUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=from=ghcr.io/astral-sh/uv:0.13.8,source=/uv,target=/bin/uv \\\n    uv pip install -r requirements.txt\n${START}`,
      files: FILES,
    },
    {
      name: 'a WORKDIR of a stage ARG: the venv path keeps the variable; a comment stays with its COPY',
      input: `${FROM}ARG APP_HOME=/srv/app\n${UV}WORKDIR \${APP_HOME}\n# dependencies first\nCOPY requirements.txt .\nRUN uv pip install --system -r requirements.txt\n${START}`,
      output: `${FROM}ARG APP_HOME=/srv/app\n${UV}WORKDIR \${APP_HOME}\nRUN uv venv \${APP_HOME}/.venv\nENV VIRTUAL_ENV=\${APP_HOME}/.venv \\\n    PATH="\${APP_HOME}/.venv/bin:$PATH"\n# dependencies first\nCOPY requirements.txt .\n${CACHE}uv pip install -r requirements.txt\n${START}`,
      files: FILES,
    },
    {
      name: 'an existing uv cache mount stays, and so does --no-cache',
      input: `${FROM}${UV}WORKDIR /app\nCOPY requirements.txt .\nRUN --mount=type=cache,target=/root/.cache/uv uv pip install --system --no-cache -r requirements.txt\n${START}`,
      output: `${FROM}${UV}WORKDIR /app\n${VENV}COPY requirements.txt .\nRUN --mount=type=cache,target=/root/.cache/uv uv pip install --no-cache -r requirements.txt\n${START}`,
      files: FILES,
    },
    {
      name: 'UV_NO_CACHE set: no cache mount',
      input: `${FROM}${UV}ENV UV_NO_CACHE=1\nWORKDIR /app\nCOPY requirements.txt .\nRUN uv pip install --system -r requirements.txt\n${START}`,
      output: `${FROM}${UV}ENV UV_NO_CACHE=1\nWORKDIR /app\n${VENV}COPY requirements.txt .\nRUN uv pip install -r requirements.txt\n${START}`,
      files: FILES,
    },
    {
      name: 'an entrypoint script copied to /usr/local/bin is not the system Python',
      input: `${FROM}${UV}WORKDIR /app\nCOPY docker-entrypoint.sh /usr/local/bin/\nRUN uv pip install --system flask\nCOPY . .\nENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]\n`,
      output: `${FROM}${UV}WORKDIR /app\n${VENV}COPY docker-entrypoint.sh /usr/local/bin/\n${CACHE}uv pip install flask\nCOPY . .\nENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]\n`,
    },
    {
      name: 'CRLF',
      input:
        `${FROM}${UV}WORKDIR /app\nCOPY requirements.txt .\nRUN uv pip install --system -r requirements.txt\n${START}`.replace(
          /\n/g,
          '\r\n',
        ),
      output:
        `${FROM}${UV}WORKDIR /app\n${VENV}COPY requirements.txt .\n${CACHE}uv pip install -r requirements.txt\n${START}`.replace(
          /\n/g,
          '\r\n',
        ),
      files: FILES,
    },
    {
      name: 'other packages installed with pip into the system Python',
      input: `${FROM}${UV}WORKDIR /app\nRUN uv pip install --system -r requirements.txt\nRUN pip install --no-cache-dir gunicorn\n${START}`,
      output: null,
      files: FILES,
      messages: [/`pip install --no-cache-dir gunicorn` installs into the system Python too/],
    },
    {
      name: 'another uv pip call chooses its own interpreter',
      input: `${FROM}${UV}WORKDIR /app\nRUN uv pip install --system -r requirements.txt && uv pip install --python $(which python) gunicorn\n${START}`,
      output: null,
      files: FILES,
      messages: [/--python \$\(which python\) chooses the interpreter/],
    },
    {
      name: 'uv run as python -m uv: the venv python has no uv module',
      input: `${FROM}WORKDIR /app\nRUN pip install uv\nCOPY requirements.txt .\nRUN python -m uv pip install --system -r requirements.txt\n${START}`,
      output: null,
      files: FILES,
      messages: [/uv runs as `python -m uv`/],
    },
    {
      name: 'the stage also runs uv sync',
      input: `${FROM}${UV}WORKDIR /app\nRUN uv pip install --system keyring\nCOPY . .\nRUN uv sync --frozen --no-dev\nCMD ["app"]\n`,
      output: null,
      messages: [/also runs uv sync/],
    },
    {
      name: 'no CMD or ENTRYPOINT: a base image',
      input: `${FROM}${UV}WORKDIR /app\nRUN uv pip install --system -r requirements.txt\n`,
      output: null,
      files: FILES,
      messages: [/no CMD or ENTRYPOINT: a base image/],
    },
    {
      name: 'no WORKDIR',
      input: `${FROM}${UV}COPY requirements.txt .\nRUN uv pip install --system -r requirements.txt\n${START}`,
      output: null,
      files: FILES,
      messages: [/no WORKDIR/],
    },
    {
      name: 'a system directory as WORKDIR',
      input: `${FROM}${UV}WORKDIR /usr/src\nRUN uv pip install --system -r requirements.txt\n${START}`,
      output: null,
      files: FILES,
      messages: [/\/usr\/src is a system directory/],
    },
    {
      name: 'a base whose Python cannot be told',
      input: `FROM ubuntu:24.04\n${UV}WORKDIR /app\nRUN uv pip install --system -r requirements.txt\n${START}`,
      output: null,
      files: FILES,
      messages: [/ubuntu:24.04 is not an image whose Python can be told/],
    },
    {
      name: 'the start command names the system Python',
      input: `${FROM}${UV}WORKDIR /app\nRUN uv pip install --system flask\nCOPY . .\nCMD ["/usr/local/bin/python", "app.py"]\n`,
      output: null,
      messages: [/CMD runs \/usr\/local\/bin\/python from the system Python/],
    },
    {
      name: 'the start command names a program pip put in /usr/local/bin',
      input: `${FROM}${UV}WORKDIR /app\nRUN uv pip install --system gunicorn\nCOPY . .\nCMD exec /usr/local/bin/gunicorn app:app\n`,
      output: null,
      messages: [/CMD runs \/usr\/local\/bin\/gunicorn/],
    },
    {
      name: 'UV_SYSTEM_PYTHON from an ARG',
      input: `${FROM}${UV}ARG UV_SYSTEM_PYTHON=1\nWORKDIR /app\nRUN uv pip install -r requirements.txt\n${START}`,
      output: null,
      files: FILES,
      messages: [/UV_SYSTEM_PYTHON is an ARG/],
    },
    {
      name: 'VIRTUAL_ENV already set',
      input: `${FROM}${UV}ENV VIRTUAL_ENV=/opt/venv\nWORKDIR /app\nRUN uv pip install --system -r requirements.txt\n${START}`,
      output: null,
      files: FILES,
      messages: [/VIRTUAL_ENV is set \(\/opt\/venv\)/],
    },
    {
      name: 'a non-root user installs',
      input: `${FROM}${UV}WORKDIR /app\nUSER app\nRUN uv pip install --system -r requirements.txt\n${START}`,
      output: null,
      files: FILES,
      messages: [/USER app is set before the install/],
    },
    {
      name: 'a later ENV PATH drops the venv',
      input: `${FROM}${UV}WORKDIR /app\nRUN uv pip install --system -r requirements.txt\nENV PATH=/usr/local/bin:/usr/bin:/bin\n${START}`,
      output: null,
      files: FILES,
      messages: [/a later ENV PATH replaces PATH/],
    },
    {
      name: 'uv comes in with the install itself',
      input: `${FROM}WORKDIR /app\nRUN <<EOF\npip install uv\nuv pip install --system flask\nEOF\n${START}`,
      output: null,
      messages: [/uv comes into the stage with the install itself/],
    },
  ],
});
