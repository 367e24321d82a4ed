import transform from '../../transforms/multi-stage.js';
import { describe, expect, it } from 'vitest';
import { detect, transformTable, UV_PROJECT } from '../helpers/transform-table.js';

const BUILD = 'WORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-dev\n';
const LIBPQ =
  'RUN apt-get update \\\n    && apt-get install -y --no-install-recommends libpq5 \\\n    && rm -rf /var/lib/apt/lists/*\n';
const RUNTIME = (from = 'python:3.12-slim-trixie', builder = 'builder') =>
  `FROM ${from}\nWORKDIR /app\nCOPY --from=${builder} /app /app\nENV PATH="/app/.venv/bin:$PATH"\n`;

transformTable(transform, {
  valid: [
    {
      name: 'a development target built on the builder is left to development',
      input: `FROM python:3.12-slim-trixie AS builder\n${BUILD}\n${RUNTIME('python:3.12-slim-trixie AS runtime')}CMD ["app"]\n\nFROM builder AS dev\nCMD ["app", "--reload"]\n`,
    },
    {
      name: 'targets built on the builder are left to rebase-runtime-targets',
      input: `FROM python:3.12-slim-trixie AS build\n${BUILD}\nFROM build AS api\nCMD ["api"]\n\nFROM build AS worker\nCMD ["worker"]\n`,
    },
    {
      name: 'already split with the venv on PATH',
      input: `FROM python:3.12-slim-trixie AS builder\n${BUILD}\n${RUNTIME()}CMD ["app"]\n`,
    },
    {
      name: 'a Poetry project installing into its cache venv (no POETRY_VIRTUALENVS_IN_PROJECT) is not split',
      input:
        'FROM python:3.12-slim-trixie\nWORKDIR /app\nRUN pip install poetry==2.1.3\nCOPY . .\nRUN poetry install --only main\nCMD ["poetry", "run", "app"]\n',
      files: { 'pyproject.toml': '[tool.poetry]\nname = "app"\n', 'poetry.lock': '' },
    },
    {
      name: 'uv copied in and called at start is not "never called" (no-uv-at-runtime speaks of it)',
      input:
        'FROM python:3.11-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/\nCMD ["uv", "tool", "run", "mcp-server"]\n',
    },
    {
      name: 'no uv sync and no pip install: nothing to say',
      input: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n',
    },
    {
      name: 'a pip install beside uv.lock in a base image (no start command) is not a service',
      input: 'FROM python:3.12-slim\nRUN pip install flask\n',
    },
    {
      name: 'pip beside uv.lock in a file that never names uv is left to pip-venv (nothing said here)',
      input:
        'FROM python:3.14-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "wsgi:app"]\n',
      files: { ...UV_PROJECT, 'requirements.txt': 'gunicorn\n' },
    },
  ],
  invalid: [
    {
      name: 'uv copied in and never called says so',
      input:
        'FROM python:3.11-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/\nWORKDIR /opt\nCOPY src/ ./\nENTRYPOINT ["/opt/entrypoint.sh"]\n',
      output: null,
      messages: [/uv is brought into the image, but nothing in this file calls it/],
    },
    {
      name: 'pip into the system Python in a file that brings uv says the uv path applies and why nothing is split',
      input: 'FROM python:3.12-slim\nRUN pip install uv flask\nCMD ["flask", "run"]\n',
      output: null,
      messages: [
        /pip installs the packages into the system Python.*has a uv\.lock, so the uv path applies/,
      ],
    },
    {
      name: "a pip project's own venv of another name inside the app directory is split with it, PATH as the builder had it",
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN python -m venv venv && venv/bin/pip install -r requirements.txt\nCMD ["venv/bin/gunicorn", "app:app"]\n',
      output:
        'FROM python:3.12-slim AS builder\nWORKDIR /app\nCOPY . .\nRUN python -m venv venv && venv/bin/pip install -r requirements.txt\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /app /app\nCMD ["venv/bin/gunicorn", "app:app"]\n',
      files: { 'requirements.txt': 'flask==3.1.0\n' },
    },
    {
      name: 'a RUN of file tools that changes files outside the app directory runs again in the runtime',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY . .\nRUN rm -f /etc/nginx/sites-enabled/default && ln -s /app/nginx.conf /etc/nginx/conf.d/app.conf\nCMD ["gunicorn", "app:app"]\n',
      output:
        'FROM python:3.12-slim AS builder\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY . .\nRUN rm -f /etc/nginx/sites-enabled/default && ln -s /app/nginx.conf /etc/nginx/conf.d/app.conf\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nRUN rm -f /etc/nginx/sites-enabled/default && ln -s /app/nginx.conf /etc/nginx/conf.d/app.conf\nCMD ["gunicorn", "app:app"]\n',
      messages: [/runs again in the runtime \(rm -f \/etc\/nginx\/sites-enabled\/default\)/],
    },
    {
      name: 'a directory copied from the context into a directory of its own outside the app directory is taken from the builder as that directory',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY confdir /etc/feeds/\nCOPY settings.ini /etc/app/\nCOPY . .\nCMD ["gunicorn", "app:app"]\n',
      files: { ...UV_PROJECT, 'confdir/a.conf': 'x=1\n', 'settings.ini': '' },
      output:
        'FROM python:3.12-slim AS builder\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY confdir /etc/feeds/\nCOPY settings.ini /etc/app/\nCOPY . .\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /app /app\nCOPY --from=builder /etc/feeds /etc/feeds\nCOPY --from=builder /etc/app/settings.ini /etc/app/settings.ini\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["gunicorn", "app:app"]\n',
    },
    {
      name: 'wheels copied into /tmp for the install stay in the builder',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nCOPY dist/*.whl /tmp/wheels/\nRUN uv sync --frozen --no-dev\nCOPY . .\nCMD ["gunicorn", "app:app"]\n',
      output:
        'FROM python:3.12-slim AS builder\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nCOPY dist/*.whl /tmp/wheels/\nRUN uv sync --frozen --no-dev\nCOPY . .\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["gunicorn", "app:app"]\n',
      files: { ...UV_PROJECT, 'dist/app-1.0-py3-none-any.whl': '' },
    },
    {
      name: "invalid: a directory's contents copied straight into /etc cannot be taken from the builder whole",
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY confdir/ /etc/\nCOPY . .\nCMD ["gunicorn", "app:app"]\n',
      output: null,
      files: { ...UV_PROJECT, 'confdir/a.conf': 'x=1\n' },
      messages: [
        /COPY confdir\/ \/etc\/ puts what it copies straight into \/etc.*keeps its single stage/,
      ],
    },
    {
      name: 'a whole file the build writes outside the app directory is taken from the builder',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY . .\nRUN uv run python -c "import app; print(app.__version__)" > /VERSION.txt\nCMD ["gunicorn", "app:app"]\n',
      output:
        'FROM python:3.12-slim AS builder\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY . .\nRUN uv run python -c "import app; print(app.__version__)" > /VERSION.txt\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /app /app\nCOPY --from=builder /VERSION.txt /VERSION.txt\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["gunicorn", "app:app"]\n',
      messages: [/the runtime takes \/VERSION\.txt from the builder/],
    },
    {
      name: 'a downloaded binary unpacked and moved to /usr/local/bin is taken from the builder, which keeps unzip; the script the start command runs names it, shebang or not',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nRUN apt-get update && apt-get install -y wget unzip\nRUN wget https://example.com/tunnel.zip && unzip tunnel.zip && mv tunnel /usr/local/bin\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY . .\nCMD ["bash", "start.sh"]\n',
      output:
        'FROM python:3.12-slim AS builder\nWORKDIR /app\nRUN apt-get update && apt-get install -y wget unzip\nRUN wget https://example.com/tunnel.zip && unzip tunnel.zip && mv tunnel /usr/local/bin\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY . .\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /app /app\nCOPY --from=builder /usr/local/bin/tunnel /usr/local/bin/tunnel\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["bash", "start.sh"]\n',
      files: { ...UV_PROJECT, 'start.sh': 'python main.py &\ntunnel http 8000\n' },
      messages: [
        /build-only packages stay in the builder: wget, unzip/,
        /the runtime takes \/usr\/local\/bin\/tunnel from the builder/,
      ],
    },
    {
      name: 'a downloaded binary moved to /usr/local/bin that nothing started names stays in the builder',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nRUN wget https://example.com/lint.zip && unzip lint.zip && mv lint /usr/local/bin && lint .\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY . .\nCMD ["bash", "start.sh"]\n',
      output:
        'FROM python:3.12-slim AS builder\nWORKDIR /app\nRUN wget https://example.com/lint.zip && unzip lint.zip && mv lint /usr/local/bin && lint .\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY . .\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["bash", "start.sh"]\n',
      files: { ...UV_PROJECT, 'start.sh': 'exec gunicorn app:app\n' },
      messages: [/the single stage becomes "builder"/],
    },
    {
      name: 'a program the build downloads for itself stays in the builder',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY . .\nRUN curl -fsSL -o /usr/local/bin/sfw https://example.com/sfw && chmod +x /usr/local/bin/sfw && sfw uv sync --frozen --no-dev\nCMD ["gunicorn", "app:app"]\n',
      output:
        'FROM python:3.12-slim AS builder\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY . .\nRUN curl -fsSL -o /usr/local/bin/sfw https://example.com/sfw && chmod +x /usr/local/bin/sfw && sfw uv sync --frozen --no-dev\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["gunicorn", "app:app"]\n',
      messages: [/the single stage becomes "builder"/],
    },
    {
      name: 'a cron job keeps the single stage, and says it needs the cron daemon as root',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY . .\nRUN echo "*/5 * * * * cd /app && .venv/bin/python manage.py rebuild" > /etc/cron.d/rebuild && crontab /etc/cron.d/rebuild\nCMD ["bash", "-c", "cron -f & gunicorn app:app"]\n',
      output: null,
      messages: [
        /this RUN installs a cron job \(crontab \/etc\/cron\.d\/rebuild\): only the cron daemon, started as root in the same container, runs it/,
      ],
    },
    {
      name: 'a global npm install outside the app directory keeps the single stage, and says where',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY . .\nRUN npm install -g sass && sass static/app.scss static/app.css\nCMD ["gunicorn", "app:app"]\n',
      output: null,
      messages: [
        /this RUN changes \/usr\/local\/lib\/node_modules, outside the app directory \/app \(npm install -g sass\)/,
      ],
    },
    {
      name: 'uv that only exports the lock for pip says why nothing is split',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/\nCOPY pyproject.toml uv.lock ./\nRUN uv export --frozen --no-dev -o requirements.txt && pip install -r requirements.txt\nCOPY . .\nCMD ["uvicorn", "app:app"]\n',
      output: null,
      messages: [/pip installs the packages into the system Python.*so the uv path applies/],
    },
    {
      name: 'uv installed by pip and never called says so',
      input:
        'FROM python:3.11-slim\nRUN pip install uv\nWORKDIR /opt\nCOPY src/ ./\nENTRYPOINT ["/opt/entrypoint.sh"]\n',
      files: {},
      output: null,
      messages: [/uv is brought into the image, but nothing in this file calls it/],
    },
    {
      name: 'a pip project whose pip installs go into the app venv is split like one that syncs',
      input:
        'FROM python:3.12-slim-trixie\nWORKDIR /app\nRUN python -m venv /app/.venv\nENV VIRTUAL_ENV=/app/.venv \\\n    PATH="/app/.venv/bin:$PATH"\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "shop:app"]\n',
      output:
        'FROM python:3.12-slim-trixie AS builder\nWORKDIR /app\nRUN python -m venv /app/.venv\nENV VIRTUAL_ENV=/app/.venv \\\n    PATH="/app/.venv/bin:$PATH"\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n\nFROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY --from=builder /app /app\nENV VIRTUAL_ENV=/app/.venv \\\n    PATH="/app/.venv/bin:$PATH"\nCMD ["gunicorn", "shop:app"]\n',
      files: { 'requirements.txt': 'flask==3.1.0\ngunicorn==23.0.0\n' },
    },
    {
      name: 'a Poetry project whose venv is in the app directory is split; Poetry and its settings stay in the builder',
      input:
        'FROM python:3.12-slim-trixie\nWORKDIR /app\nRUN pip install poetry==2.1.3\nENV POETRY_VIRTUALENVS_IN_PROJECT=true\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --only main --no-root\nCOPY . .\nRUN poetry install --only-root\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim-trixie AS builder\nWORKDIR /app\nRUN pip install poetry==2.1.3\nENV POETRY_VIRTUALENVS_IN_PROJECT=true\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --only main --no-root\nCOPY . .\nRUN poetry install --only-root\n\nFROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n',
      files: { 'pyproject.toml': '[tool.poetry]\nname = "app"\n', 'poetry.lock': '' },
    },
    {
      // postgresql-client's install script fails on a slim image without the man directories.
      name: 'man directories recreated before the install are recreated in the runtime too',
      input: `FROM python:3.12-slim\nRUN seq 1 8 | xargs -I{} mkdir -p /usr/share/man/man{} && apt-get update && apt-get install -y postgresql-client gcc\n${BUILD}CMD ["app"]\n`,
      files: UV_PROJECT,
      messages: [/build-only packages stay in the builder: gcc/],
      output: `FROM python:3.12-slim AS builder\nRUN seq 1 8 | xargs -I{} mkdir -p /usr/share/man/man{} && apt-get update && apt-get install -y postgresql-client gcc\n${BUILD}\nFROM python:3.12-slim\nRUN mkdir -p /usr/share/man/man1 /usr/share/man/man2 /usr/share/man/man3 /usr/share/man/man4 /usr/share/man/man5 /usr/share/man/man6 /usr/share/man/man7 /usr/share/man/man8 \\\n    && apt-get update \\\n    && apt-get install -y --no-install-recommends postgresql-client \\\n    && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n`,
    },
    {
      name: "an ENV mixing uv's settings with the app's reaches the runtime with the app's only",
      input: `FROM python:3.12-slim-trixie\nENV UV_COMPILE_BYTECODE=1 \\\n    APP_ENV="prod" \\\n    UV_LINK_MODE=copy\n${BUILD}CMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS builder\nENV UV_COMPILE_BYTECODE=1 \\\n    APP_ENV="prod" \\\n    UV_LINK_MODE=copy\n${BUILD}\n${RUNTIME()}ENV APP_ENV="prod"\nCMD ["app"]\n`,
    },
    {
      name: "an ENV whose app value is built from a tool's setting is copied whole",
      input: `FROM python:3.12-slim-trixie\nENV POETRY_HOME=/opt/poetry TOOLS=\${POETRY_HOME}/bin\n${BUILD}CMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS builder\nENV POETRY_HOME=/opt/poetry TOOLS=\${POETRY_HOME}/bin\n${BUILD}\n${RUNTIME()}ENV POETRY_HOME=/opt/poetry TOOLS=\${POETRY_HOME}/bin\nCMD ["app"]\n`,
    },
    {
      name: 'the canonical split: metadata and start move, ENV is copied',
      input: `FROM python:3.12-slim-trixie\nENV PYTHONUNBUFFERED=1\nLABEL org.opencontainers.image.source=https://example.com/app\n${BUILD}# the API\nEXPOSE 8000\nVOLUME /data\nSTOPSIGNAL SIGINT\nCMD ["uvicorn", "app:app"]\n`,
      output: `FROM python:3.12-slim-trixie AS builder\nENV PYTHONUNBUFFERED=1\n${BUILD}\n${RUNTIME()}ENV PYTHONUNBUFFERED=1\nLABEL org.opencontainers.image.source=https://example.com/app\n# the API\nEXPOSE 8000\nVOLUME /data\nSTOPSIGNAL SIGINT\nCMD ["uvicorn", "app:app"]\n`,
    },
    {
      name: 'blank lines between the moved instructions at the end of the file',
      input: `FROM python:3.12-slim-trixie\n${BUILD}\nEXPOSE 8000\n\n# start\nCMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS builder\n${BUILD}\n${RUNTIME()}EXPOSE 8000\n# start\nCMD ["app"]\n`,
    },
    {
      name: 'blank lines between moved instructions in the middle of the file',
      input: `FROM python:3.12-slim-trixie\nLABEL a=b\n\nEXPOSE 8000\n\n${BUILD}CMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS builder\n\n${BUILD}\n${RUNTIME()}LABEL a=b\nEXPOSE 8000\nCMD ["app"]\n`,
    },
    {
      name: 'a LABEL that was a paragraph of its own leaves one blank line, not two',
      input: `FROM python:3.12-slim-trixie\n\nLABEL a=b\n\n${BUILD}CMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS builder\n\n${BUILD}\n${RUNTIME()}LABEL a=b\nCMD ["app"]\n`,
    },
    {
      name: 'no final newline stays so',
      input: `FROM python:3.12-slim-trixie\n${BUILD}CMD ["app"]`,
      output: `FROM python:3.12-slim-trixie AS builder\n${BUILD}\n${RUNTIME()}CMD ["app"]`,
    },
    {
      name: 'CRLF',
      input: `FROM python:3.12-slim-trixie\r\n${BUILD.replace(/\n/g, '\r\n')}CMD ["app"]\r\n`,
      output: `FROM python:3.12-slim-trixie AS builder\r\n${BUILD.replace(/\n/g, '\r\n')}\r\n${RUNTIME().replace(/\n/g, '\r\n')}CMD ["app"]\r\n`,
    },
    {
      name: 'WORKDIR from a stage ARG keeps the variable, and the runtime declares the ARG',
      input:
        'FROM python:3.12-slim-trixie\nARG APP_HOME=/srv/app\nWORKDIR ${APP_HOME}\nCOPY . .\nRUN uv sync --frozen --no-dev\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim-trixie AS builder\nARG APP_HOME=/srv/app\nWORKDIR ${APP_HOME}\nCOPY . .\nRUN uv sync --frozen --no-dev\n\nFROM python:3.12-slim-trixie\nARG APP_HOME=/srv/app\nWORKDIR ${APP_HOME}\nCOPY --from=builder ${APP_HOME} ${APP_HOME}\nENV PATH="${APP_HOME}/.venv/bin:$PATH"\nCMD ["app"]\n',
    },
    {
      name: 'a redeclared global ARG resolves the WORKDIR',
      input:
        'ARG APP_HOME=/srv/app\nFROM python:3.12-slim-trixie\nARG APP_HOME\nWORKDIR $APP_HOME\nCOPY . .\nRUN uv sync --frozen --no-dev\nCMD ["app"]\n',
      output:
        'ARG APP_HOME=/srv/app\nFROM python:3.12-slim-trixie AS builder\nARG APP_HOME\nWORKDIR $APP_HOME\nCOPY . .\nRUN uv sync --frozen --no-dev\n\nFROM python:3.12-slim-trixie\nARG APP_HOME\nWORKDIR $APP_HOME\nCOPY --from=builder $APP_HOME $APP_HOME\nENV PATH="$APP_HOME/.venv/bin:$PATH"\nCMD ["app"]\n',
    },
    {
      name: 'WORKDIR from ENV and a relative WORKDIR: the runtime names the resolved path',
      input:
        'FROM python:3.12-slim-trixie\nENV APP_DIR=/app\nWORKDIR $APP_DIR/src\nCOPY . .\nRUN uv sync --frozen --no-dev\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim-trixie AS builder\nENV APP_DIR=/app\nWORKDIR $APP_DIR/src\nCOPY . .\nRUN uv sync --frozen --no-dev\n\nFROM python:3.12-slim-trixie\nWORKDIR /app/src\nCOPY --from=builder /app/src /app/src\nENV PATH="/app/src/.venv/bin:$PATH"\nENV APP_DIR=/app\nCMD ["app"]\n',
    },
    {
      name: 'UV_PROJECT_ENVIRONMENT through a variable puts that venv on PATH',
      input:
        'FROM python:3.12-slim-trixie\nENV APP=/app VENV=/opt/venv\nENV UV_PROJECT_ENVIRONMENT=$VENV\nWORKDIR $APP\nCOPY . .\nRUN uv sync --frozen --no-dev\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim-trixie AS builder\nENV APP=/app VENV=/opt/venv\nENV UV_PROJECT_ENVIRONMENT=$VENV\nWORKDIR $APP\nCOPY . .\nRUN uv sync --frozen --no-dev\n\nFROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY --from=builder /app /app\nCOPY --from=builder /opt/venv /opt/venv\nENV PATH="/opt/venv/bin:$PATH"\nENV APP=/app VENV=/opt/venv\nCMD ["app"]\n',
    },
    {
      name: 'directories made outside the app directory are made in the runtime too',
      input: `FROM python:3.12-slim-trixie\nRUN mkdir -p /data /var/log/app && chmod 0777 /data\n${BUILD}RUN mkdir -p /app/static\nCMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS builder\nRUN mkdir -p /data /var/log/app && chmod 0777 /data\n${BUILD}RUN mkdir -p /app/static\n\n${RUNTIME()}RUN mkdir -p /data /var/log/app && chmod 0777 /data\nCMD ["app"]\n`,
    },
    {
      name: 'a WORKDIR after the sync is where the program starts: the runtime gets the project and starts there',
      input: `FROM python:3.12-slim-trixie\n${BUILD}WORKDIR /app/src\nCMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS builder\n${BUILD}WORKDIR /app/src\n\nFROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY --from=builder /app /app\nWORKDIR /app/src\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n`,
    },
    {
      name: 'a stage that only names the uv image to copy from does not make the file multi-stage',
      input: `FROM ghcr.io/astral-sh/uv:0.13.8 AS uv\nFROM python:3.12-slim-trixie\nCOPY --from=uv /uv /bin/\n${BUILD}CMD ["app"]\n`,
      output: `FROM ghcr.io/astral-sh/uv:0.13.8 AS uv\nFROM python:3.12-slim-trixie AS builder\nCOPY --from=uv /uv /bin/\n${BUILD}\n${RUNTIME()}CMD ["app"]\n`,
    },
    {
      name: 'a named stage keeps its name',
      input: `FROM python:3.12-slim-trixie as base\n${BUILD}CMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie as base\n${BUILD}\n${RUNTIME('python:3.12-slim-trixie', 'base')}CMD ["app"]\n`,
    },
    {
      name: 'a uv image builder gets the plain Python runtime',
      input: `FROM ghcr.io/astral-sh/uv:0.13.8-python3.12-bookworm-slim\n${BUILD}CMD ["app"]\n`,
      output: `FROM ghcr.io/astral-sh/uv:0.13.8-python3.12-bookworm-slim AS builder\n${BUILD}\n${RUNTIME('python:3.12-slim-bookworm')}CMD ["app"]\n`,
    },
    {
      name: 'runtime packages, ARGs it uses, a script outside the app dir',
      input:
        'FROM python:3.12-slim-trixie\nARG APP_ENV=prod\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev curl libgl1\nWORKDIR /app\nCOPY docker-entrypoint.sh /usr/local/bin/\nCOPY . .\nRUN uv sync --frozen\nENV APP_ENV=${APP_ENV}\nENTRYPOINT ["docker-entrypoint.sh"]\n',
      output:
        'FROM python:3.12-slim-trixie AS builder\nARG APP_ENV=prod\nRUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev curl libgl1\nWORKDIR /app\nCOPY docker-entrypoint.sh /usr/local/bin/\nCOPY . .\nRUN uv sync --frozen\nENV APP_ENV=${APP_ENV}\n\nFROM python:3.12-slim-trixie\nARG APP_ENV=prod\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends libpq5 libgl1 \\\n    && rm -rf /var/lib/apt/lists/*\nWORKDIR /app\nCOPY --from=builder /app /app\nCOPY --from=builder /usr/local/bin/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh\nENV PATH="/app/.venv/bin:$PATH"\nENV APP_ENV=${APP_ENV}\nENTRYPOINT ["docker-entrypoint.sh"]\n',
      messages: [
        /build-only packages stay in the builder: gcc, libpq-dev, curl/,
        /installs libpq5/,
      ],
    },
    {
      name: 'Alpine packages: headers stay, their runtime library goes to the runtime',
      input: `FROM python:3.12-alpine\nRUN apk add --no-cache gcc musl-dev libpq-dev\n${BUILD}CMD ["app"]\n`,
      output: `FROM python:3.12-alpine AS builder\nRUN apk add --no-cache gcc musl-dev libpq-dev\n${BUILD}\nFROM python:3.12-alpine\nRUN apk add --no-cache libpq\nWORKDIR /app\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n`,
    },
    {
      name: 'UV_PROJECT_ENVIRONMENT outside the app dir',
      input: `FROM python:3.12-slim-trixie\nENV UV_PROJECT_ENVIRONMENT=/opt/venv\n${BUILD}CMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS builder\nENV UV_PROJECT_ENVIRONMENT=/opt/venv\n${BUILD}\nFROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY --from=builder /app /app\nCOPY --from=builder /opt/venv /opt/venv\nENV PATH="/opt/venv/bin:$PATH"\nCMD ["app"]\n`,
    },
    {
      name: 'the start command would still need uv',
      input: `FROM python:3.12-slim\n${BUILD}CMD ["uv", "run", "--with", "rich", "app"]\n`,
      output: null,
      messages: [/still needs uv/],
    },
    {
      name: 'invalid JSON that calls uv',
      input: `FROM python:3.12-slim\n${BUILD}CMD ['uv', 'run', 'app']\n`,
      output: null,
      messages: [/still needs uv/],
    },
    {
      name: 's6-overlay is not split',
      input: `FROM python:3.12-slim\nADD https://example.com/s6.tar.xz /tmp\n${BUILD}ENTRYPOINT ["/init"]\n`,
      output: null,
      messages: [/s6-overlay/],
    },
    {
      name: 'users the start script relies on are created in the runtime too',
      input: `FROM python:3.12-slim-trixie\nRUN groupadd -r app && useradd -r -g app app && mkdir -p /data\n${BUILD}ENTRYPOINT ["/app/start.sh"]\n`,
      output: `FROM python:3.12-slim-trixie AS builder\nRUN groupadd -r app && useradd -r -g app app && mkdir -p /data\n${BUILD}\n${RUNTIME()}RUN groupadd -r app && useradd -r -g app app && mkdir -p /data\nENTRYPOINT ["/app/start.sh"]\n`,
    },
    {
      name: 'a user created beside a package install is created in the runtime too',
      input: `FROM python:3.12-slim-trixie\nRUN apt-get update && apt-get install -y gosu && useradd --create-home app\n${BUILD}ENTRYPOINT ["/app/start.sh"]\n`,
      output: `FROM python:3.12-slim-trixie AS builder\nRUN apt-get update && apt-get install -y gosu && useradd --create-home app\n${BUILD}\nFROM python:3.12-slim-trixie\nRUN apt-get update \\\n    && apt-get install -y --no-install-recommends gosu \\\n    && rm -rf /var/lib/apt/lists/*\nRUN useradd --create-home app\nWORKDIR /app\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nENTRYPOINT ["/app/start.sh"]\n`,
    },
    {
      name: 'a WORKDIR that is not a plain path',
      input:
        'FROM python:3.12-slim\nWORKDIR /srv/$APP\nCOPY . .\nRUN uv sync --frozen\nCMD ["app"]\n',
      output: null,
      messages: [/cannot be resolved to a plain absolute path/],
    },
    {
      name: "WORKDIR / is no app directory: the builder's whole filesystem is never copied",
      input: 'FROM python:3.12-slim\nWORKDIR /\nCOPY . .\nRUN uv sync --frozen\nCMD ["app"]\n',
      output: null,
      messages: [/WORKDIR \/ is a system directory/],
    },
    {
      name: 'a system directory reached through a variable (/usr/local)',
      input:
        'FROM python:3.12-slim\nENV PREFIX=/usr\nWORKDIR $PREFIX/local\nCOPY . .\nRUN uv sync --frozen\nCMD ["app"]\n',
      output: null,
      messages: [/WORKDIR \/usr\/local is a system directory/],
    },
    {
      name: 'a global ARG not redeclared in the stage is empty there: the WORKDIR cannot be told',
      input:
        'ARG APP_HOME=/srv/app\nFROM python:3.12-slim\nWORKDIR ${APP_HOME}\nCOPY . .\nRUN uv sync --frozen\nCMD ["app"]\n',
      output: null,
      messages: [/cannot be resolved/],
    },
    {
      name: 'a program that starts outside the project uv installs',
      input: `FROM python:3.12-slim-trixie\n${BUILD}WORKDIR /srv/run\nCMD ["app"]\n`,
      output: null,
      messages: [/starts in \/srv\/run, outside the app directory \/app/],
    },
    {
      name: 'system packages named through a variable the same RUN assigns: sorted like named ones',
      input: `FROM python:3.12-slim-trixie\nRUN DEPS="libpq5 gcc" && apt-get update && apt-get install -y $DEPS\n${BUILD}CMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS builder\nRUN DEPS="libpq5 gcc" && apt-get update && apt-get install -y $DEPS\n${BUILD}\nFROM python:3.12-slim-trixie\n${LIBPQ}WORKDIR /app\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n`,
      messages: [/build-only packages stay in the builder: gcc/],
    },
    {
      name: 'a directory copied outside the app directory: the runtime copies the directory, not a path inside it',
      input: `FROM python:3.12-slim-trixie\nCOPY conf/ /etc/site/\n${BUILD}CMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS builder\nCOPY conf/ /etc/site/\n${BUILD}\nFROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY --from=builder /app /app\nCOPY --from=builder /etc/site /etc/site\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n`,
    },
    {
      name: 'uv named by a variable the RUN sets on every path: split like uv sync',
      input: `FROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY . .\nRUN if [ -n "$AUDIT" ]; then UV_CMD="audited uv"; else UV_CMD="uv"; fi; $UV_CMD sync --frozen --no-dev\nCMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS builder\nWORKDIR /app\nCOPY . .\nRUN if [ -n "$AUDIT" ]; then UV_CMD="audited uv"; else UV_CMD="uv"; fi; $UV_CMD sync --frozen --no-dev\n\n${RUNTIME()}CMD ["app"]\n`,
    },
    {
      name: 'a sync through a variable that cannot be told: the single stage stays, and says why',
      input: `FROM python:3.12-slim-trixie\nARG UV_CMD\nWORKDIR /app\nCOPY . .\nRUN $UV_CMD sync --frozen --no-dev\nCMD ["app"]\n`,
      output: null,
      messages: [/\$UV_CMD sync may call uv, but the value of \$UV_CMD cannot be told/],
    },
    {
      name: 'system packages named through a variable set in one branch: runtime libraries cannot be told',
      input: `FROM python:3.12-slim-trixie\nARG PG=1\nRUN if [ "$PG" = 1 ]; then DEPS="libpq5 gcc"; fi \\\n && apt-get update && apt-get install -y $DEPS\n${BUILD}CMD ["app"]\n`,
      output: null,
      messages: [/system packages are named through a variable/],
    },
    {
      name: 'no WORKDIR',
      input: 'FROM python:3.12-slim\nCOPY . .\nRUN uv sync --frozen\nCMD ["app"]\n',
      output: null,
      messages: [/no WORKDIR/],
    },
    {
      name: 'no CMD',
      input: `FROM python:3.12-slim\n${BUILD}`,
      output: null,
      messages: [/no CMD or ENTRYPOINT/],
    },
    {
      name: 'dependencies installed at start',
      input: `FROM python:3.12-slim\n${BUILD}CMD ["sh", "-c", "uv sync && uv run app"]\n`,
      output: null,
      messages: [/installs its dependencies at start/],
    },
    {
      name: 'a base whose Python cannot be told',
      input: `FROM ubuntu:24.04\n${BUILD}CMD ["app"]\n`,
      output: null,
      messages: [/not an image whose Python can be told/],
    },
    {
      name: 'a single stage that installs with uv pip into the venv named by VIRTUAL_ENV is a builder',
      input:
        'FROM python:3.12-slim-trixie\nWORKDIR /app\nRUN uv venv /app/.venv\nENV VIRTUAL_ENV=/app/.venv \\\n    PATH="/app/.venv/bin:$PATH"\nCOPY requirements.txt .\nRUN uv pip install -r requirements.txt\nCOPY . .\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim-trixie AS builder\nWORKDIR /app\nRUN uv venv /app/.venv\nENV VIRTUAL_ENV=/app/.venv \\\n    PATH="/app/.venv/bin:$PATH"\nCOPY requirements.txt .\nRUN uv pip install -r requirements.txt\nCOPY . .\n\nFROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY --from=builder /app /app\nENV VIRTUAL_ENV=/app/.venv \\\n    PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n',
    },
    {
      name: 'uv venv and an activated install in one RUN: the runtime gets the .venv on PATH',
      input:
        'FROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY . .\nRUN uv venv && . .venv/bin/activate && uv pip install -r requirements.txt\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim-trixie AS builder\nWORKDIR /app\nCOPY . .\nRUN uv venv && . .venv/bin/activate && uv pip install -r requirements.txt\n\nFROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n',
    },
    {
      name: 'a VIRTUAL_ENV outside the app directory is copied too, and its PATH line (through a variable) is not repeated',
      input:
        'FROM python:3.12-slim-trixie\nWORKDIR /app\nENV VIRTUAL_ENV=/opt/venv\nRUN uv venv $VIRTUAL_ENV\nENV PATH="$VIRTUAL_ENV/bin:$PATH"\nCOPY . .\nRUN uv pip install -r requirements.txt\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim-trixie AS builder\nWORKDIR /app\nENV VIRTUAL_ENV=/opt/venv\nRUN uv venv $VIRTUAL_ENV\nENV PATH="$VIRTUAL_ENV/bin:$PATH"\nCOPY . .\nRUN uv pip install -r requirements.txt\n\nFROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY --from=builder /app /app\nCOPY --from=builder /opt/venv /opt/venv\nENV VIRTUAL_ENV=/opt/venv\nENV PATH="$VIRTUAL_ENV/bin:$PATH"\nCMD ["app"]\n',
    },
    {
      name: 'uv pip into a venv that nothing names for the runtime',
      input:
        'FROM python:3.12-slim-trixie\nWORKDIR /app\nRUN uv venv /opt/venv && . /opt/venv/bin/activate && uv pip install flask\nCMD ["flask", "run"]\n',
      output: null,
      messages: [
        /installs into \/opt\/venv, not the app directory's \/app\/\.venv; the image keeps its single stage/,
      ],
    },
    {
      name: 'uv pip with an interpreter of its own',
      input:
        'FROM python:3.12-slim-trixie\nWORKDIR /app\nRUN uv pip install --python $(which python) flask\nCMD ["flask", "run"]\n',
      output: null,
      messages: [
        /cannot follow \(--python \$\(which python\) chooses the interpreter to install into\)/,
      ],
    },
    {
      name: 'uv only as an installer',
      input:
        'FROM python:3.12-slim\nRUN uv pip install --system -r requirements.txt\nCMD ["app"]\n',
      files: { ...UV_PROJECT },
      output: null,
      messages: [/keeps its single stage/],
    },
    {
      name: 'a final stage built on a base stage that syncs itself: split, the runtime on the base',
      input: `FROM python:3.12-slim-trixie AS base\nENV PYTHONUNBUFFERED=1\n\nFROM base\n${BUILD}EXPOSE 8000\nCMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS base\nENV PYTHONUNBUFFERED=1\n\nFROM base AS builder\n${BUILD}\n${RUNTIME('base')}EXPOSE 8000\nCMD ["app"]\n`,
      messages: [
        /^the final stage runs uv sync itself: it becomes "builder" and a runtime stage on base/,
      ],
    },
    {
      name: 'a frontend stage, then a Python stage that syncs: split on its own image',
      input: `FROM node:22 AS assets\nRUN npm ci && npm run build\n\nFROM python:3.12-slim-trixie\n${BUILD}COPY --from=assets /dist /app/static\nCMD ["app"]\n`,
      output: `FROM node:22 AS assets\nRUN npm ci && npm run build\n\nFROM python:3.12-slim-trixie AS builder\n${BUILD}COPY --from=assets /dist /app/static\n\n${RUNTIME()}CMD ["app"]\n`,
    },
    {
      name: 'a builder that exports, then a final stage that syncs: the new builder takes a free name',
      input: `FROM python:3.12 AS builder\nRUN uv export -o /requirements.txt\n\nFROM python:3.12-slim-trixie\nCOPY --from=builder /requirements.txt /requirements.txt\n${BUILD}CMD ["app"]\n`,
      output: `FROM python:3.12 AS builder\nRUN uv export -o /requirements.txt\n\nFROM python:3.12-slim-trixie AS app-builder\nCOPY --from=builder /requirements.txt /requirements.txt\n${BUILD}\n${RUNTIME('python:3.12-slim-trixie', 'app-builder')}CMD ["app"]\n`,
    },
    {
      // The runtime keeps the name, so `--target production` still builds what runs.
      name: 'a named final stage that syncs itself is split and hands its name to the runtime',
      input: `FROM python:3.12-slim AS base\nRUN echo\nFROM base AS production\n${BUILD}CMD ["app"]\n`,
      output: `FROM python:3.12-slim AS base\nRUN echo\nFROM base AS production-builder\n${BUILD}\nFROM base AS production\nWORKDIR /app\nCOPY --from=production-builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n`,
      messages: [/the final stage runs uv sync itself: it becomes "production-builder"/],
    },
    {
      name: 'another target that syncs itself is reported (the final one is split)',
      input: `FROM python:3.12-slim-trixie AS base\nWORKDIR /app\n\nFROM base AS api\n${BUILD}CMD ["api"]\n\nFROM base AS worker\n${BUILD}CMD ["worker"]\n`,
      output: `FROM python:3.12-slim-trixie AS base\nWORKDIR /app\n\nFROM base AS api\n${BUILD}CMD ["api"]\n\nFROM base AS worker-builder\n${BUILD}\nFROM base AS worker\nWORKDIR /app\nCOPY --from=worker-builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["worker"]\n`,
      messages: [/the target api runs uv sync itself/],
    },
  ],
});

describe('a split whose builder installs with uv pip into its venv', () => {
  it('finds nothing in its own output: the builder is not an installer into the system Python', () => {
    const split =
      'FROM python:3.12-slim-trixie AS builder\nWORKDIR /app\nRUN uv venv /app/.venv\nENV VIRTUAL_ENV=/app/.venv \\\n    PATH="/app/.venv/bin:$PATH"\nCOPY requirements.txt .\nRUN uv pip install -r requirements.txt\nCOPY . .\n\nFROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY --from=builder /app /app\nENV VIRTUAL_ENV=/app/.venv \\\n    PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n';
    expect(detect(transform, split)).toEqual([]);
  });

  it('a multi-stage builder that installs into the system Python is still reported', () => {
    const system =
      'FROM python:3.12-slim-trixie AS builder\nRUN uv pip install --system flask\nFROM python:3.12-slim-trixie\nCOPY --from=builder /usr/local /usr/local\nCMD ["flask", "run"]\n';
    expect(detect(transform, system).map((f) => f.message)).toEqual([
      expect.stringMatching(/uv installs into the system Python here/),
    ]);
  });
});

describe('ARG names that are not words', () => {
  it('an ARG named like a pattern (`U[ID`, from a broken file) is matched as text, not compiled', () => {
    const input = `FROM python:3.12-slim\nARG U[ID=0\n${BUILD}USER $U[ID\nCMD ["app"]\n`;
    expect(() => detect(transform, input)).not.toThrow();
    expect(detect(transform, input).some((f) => (f.edits?.length ?? 0) > 0)).toBe(true);
  });
});
