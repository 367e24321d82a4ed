import transform from '../../transforms/dependency-layer.js';
import { transformTable, UV_PROJECT } from '../helpers/transform-table.js';

const CACHE = '--mount=type=cache,target=/root/.cache/uv';
const DEPS = (dir: string, sync = 'uv sync --frozen --no-install-project --no-dev') =>
  `RUN ${CACHE} \\\n    --mount=type=bind,source=uv.lock,target=${dir}/uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=${dir}/pyproject.toml \\\n    ${sync}\n`;

transformTable(transform, {
  valid: [
    {
      name: 'the target shape',
      input: `FROM python:3.12-slim\nWORKDIR /app\n${DEPS('/app')}COPY . .\nRUN ${CACHE} \\\n    uv sync --frozen --no-dev\n`,
    },
    {
      name: 'an original dependency COPY with --no-install-project',
      input: `FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project\nCOPY . .\nRUN ${CACHE} uv sync --frozen\n`,
    },
    {
      name: 'no source copy at all',
      input: `FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN ${CACHE} uv sync --frozen\n`,
    },
    {
      name: 'a virtual project copying its source after the only sync',
      input: `FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN ${CACHE} uv sync --frozen\nCOPY . .\n`,
    },
    {
      name: 'caching turned off',
      input: `FROM python:3.12-slim\nENV UV_NO_CACHE=1\nWORKDIR /app\n${DEPS('/app').replace(`${CACHE} \\\n    `, '')}COPY . .\nRUN uv sync --frozen\n`,
    },
  ],
  invalid: [
    {
      name: 'a lone sync gets the cache mount',
      input:
        'FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen\nCOPY . .\n',
      output: `FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN ${CACHE} \\\n    uv sync --frozen\nCOPY . .\n`,
    },
    {
      name: 'the canonical split',
      input: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-dev\n',
      output: `FROM python:3.12-slim\nWORKDIR /app\n${DEPS('/app')}COPY . .\nRUN ${CACHE} \\\n    uv sync --frozen --no-dev\n`,
    },
    {
      name: 'absolute targets from nested WORKDIRs',
      input: 'FROM python:3.12-slim\nWORKDIR /srv\nWORKDIR api\nCOPY ./ ./\nRUN uv sync --frozen\n',
      output: `FROM python:3.12-slim\nWORKDIR /srv\nWORKDIR api\n${DEPS('/srv/api', 'uv sync --frozen --no-install-project')}COPY ./ ./\nRUN ${CACHE} \\\n    uv sync --frozen\n`,
    },
    {
      name: 'no WORKDIR: targets under /',
      input: 'FROM python:3.12-slim\nCOPY . .\nRUN uv sync --frozen --no-dev\n',
      output: `FROM python:3.12-slim\n${DEPS('')}COPY . .\nRUN ${CACHE} \\\n    uv sync --frozen --no-dev\n`,
    },
    {
      name: 'commands before the sync in its RUN run first in the dependency layer too',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN uv python install 3.12 && uv sync --frozen\n',
      output: `FROM python:3.12-slim\nWORKDIR /app\n${DEPS('/app', 'uv python install 3.12 && uv sync --frozen --no-install-project')}COPY . .\nRUN ${CACHE} \\\n    uv python install 3.12 && uv sync --frozen\n`,
    },
    {
      name: 'extra flags are carried over',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen --extra api --no-dev\n',
      output: `FROM python:3.12-slim\nWORKDIR /app\n${DEPS('/app', 'uv sync --frozen --no-install-project --extra api --no-dev')}COPY . .\nRUN ${CACHE} \\\n    uv sync --frozen --extra api --no-dev\n`,
    },
    {
      name: 'comment block above the copy stays above it',
      input: 'FROM python:3.12-slim\nWORKDIR /app\n# the source\nCOPY . .\nRUN uv sync --frozen\n',
      output: `FROM python:3.12-slim\nWORKDIR /app\n${DEPS('/app', 'uv sync --frozen --no-install-project')}# the source\nCOPY . .\nRUN ${CACHE} \\\n    uv sync --frozen\n`,
    },
    {
      name: 'original dependency COPY: only --no-install-project',
      input: `FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-dev\nCOPY . .\nRUN ${CACHE} uv sync --frozen --no-dev\n`,
      output: `FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project --no-dev\nCOPY . .\nRUN ${CACHE} uv sync --frozen --no-dev\n`,
    },
    {
      name: 'secret mount carried and kept',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN --mount=type=secret,id=netrc,target=/root/.netrc uv sync --frozen\n',
      output: `FROM python:3.12-slim\nWORKDIR /app\nRUN ${CACHE} \\\n    --mount=type=secret,id=netrc,target=/root/.netrc \\\n    --mount=type=bind,source=uv.lock,target=/app/uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=/app/pyproject.toml \\\n    uv sync --frozen --no-install-project\nCOPY . .\nRUN ${CACHE} \\\n    --mount=type=secret,id=netrc,target=/root/.netrc uv sync --frozen\n`,
    },
    {
      name: 'CRLF',
      input: 'FROM python:3.12-slim\r\nWORKDIR /app\r\nCOPY . .\r\nRUN uv sync --frozen\r\n',
      output: `FROM python:3.12-slim\r\nWORKDIR /app\r\n${DEPS('/app', 'uv sync --frozen --no-install-project').replace(/\n/g, '\r\n')}COPY . .\r\nRUN ${CACHE} \\\r\n    uv sync --frozen\r\n`,
    },
    {
      name: 'a workspace keeps the sync after the copy',
      input: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen\n',
      files: {
        ...UV_PROJECT,
        'pyproject.toml': '[project]\nname = "ws"\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
      },
      output: `FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN ${CACHE} \\\n    uv sync --frozen\n`,
      messages: [/a uv workspace/],
    },
    {
      name: 'a WORKDIR with a blank cannot be a mount target',
      input: 'FROM python:3.12-slim\nWORKDIR "/my app"\nCOPY . .\nRUN uv sync --frozen\n',
      output: null,
      messages: [/not a plain absolute path/],
    },
    {
      name: 'heredoc is reported',
      input: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN <<EOF\nuv sync --frozen\nEOF\n',
      output: null,
      messages: [/in a heredoc/],
    },
    {
      name: 'no uv.lock in the context',
      input: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN uv sync\n',
      files: { 'pyproject.toml': '[project]\nname = "x"\n' },
      output: null,
      messages: [/no uv.lock/],
    },
    {
      name: 'a packaged project whose source comes after the only sync',
      input:
        'FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen\nCOPY . .\n',
      files: {
        ...UV_PROJECT,
        'pyproject.toml': '[project]\nname = "x"\n[build-system]\nrequires = ["hatchling"]\n',
      },
      output: null,
      messages: [/never installed/],
    },
    {
      name: 'uv and its settings copied in after the source move up with the dependency layer',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /bin/\nENV UV_COMPILE_BYTECODE=1\nRUN uv sync --frozen\n',
      output: `FROM python:3.12-slim\nWORKDIR /app\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /bin/\nENV UV_COMPILE_BYTECODE=1\n${DEPS('/app', 'uv sync --frozen --no-install-project')}COPY . .\nRUN ${CACHE} \\\n    uv sync --frozen\n`,
      messages: [/uv and its settings move up/],
    },
    {
      name: 'uv installed by a RUN after the source copy: not split, said why',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install uv==0.13.8 && make assets\nRUN uv sync --frozen\n',
      output: null,
      messages: [/installed after the source copy/],
    },
  ],
});
