import transform from '../../transforms/dependency-layer.js';
import { transformTable, UV_PROJECT } from '../helpers/transform-table.js';

const CACHE = '--mount=type=cache,target=/root/.cache/uv';
const DEPS = (dir: string, sync = 'uv sync --frozen --no-install-project --no-dev') =>
  `RUN ${CACHE} \\\n    --mount=type=bind,source=uv.lock,target=${dir}/uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=${dir}/pyproject.toml \\\n    ${sync}\n`;

/** A packaged project: its sync needs the source, which a dependency-only sync never builds. */
const PACKAGED = {
  ...UV_PROJECT,
  'pyproject.toml':
    '[project]\nname = "orders"\nversion = "0.1.0"\n[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n',
};
const HEAD = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\n';
/** The dependency sync of an original `COPY pyproject.toml uv.lock ./`, made dependency-only. */
const DEPS_ONLY = (flags = '--frozen --no-install-project --no-dev') =>
  `RUN ${CACHE} \\\n    uv sync ${flags}\n`;
/** The sync added after the last source copy. */
const INSTALL = (flags = '--frozen --no-dev') => `RUN ${CACHE} \\\n    uv sync ${flags}\n`;

transformTable(transform, {
  valid: [
    {
      name: 'the target shape',
      input: `FROM python:3.12-slim\nWORKDIR /app\n${DEPS('/app')}COPY . .\nRUN ${CACHE} \\\n    uv sync --frozen --no-dev\n`,
    },
    {
      name: 'an original dependency COPY with --no-install-project',
      input: `FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN ${CACHE} uv sync --frozen --no-install-project\nCOPY . .\nRUN ${CACHE} uv sync --frozen\n`,
    },
    {
      name: 'no source copy at all',
      input: `FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN ${CACHE} uv sync --frozen\n`,
    },
    {
      name: 'a subdirectory source copy already followed by a sync',
      input: `FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock README.md ./\nRUN ${CACHE} uv sync --frozen --no-install-project\nCOPY src ./src\nRUN ${CACHE} uv sync --frozen\n`,
    },
    {
      name: 'a sync inside a chain after the copy counts as the project sync',
      input: `FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN ${CACHE} uv sync --frozen --no-install-project\nCOPY . .\nRUN ${CACHE} uv sync --frozen && python -m compileall -q .\n`,
    },
    {
      name: 'a sync between two source copies counts: nothing added after the later copy',
      input: `FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN ${CACHE} uv sync --frozen --no-install-project\nCOPY . .\nRUN ${CACHE} uv sync --frozen\nCOPY gunicorn.conf.py ./\n`,
    },
    {
      name: 'files copied outside the project directory are not its source',
      input: `FROM python:3.12-slim\nWORKDIR /app\n${DEPS('/app')}COPY . .\nRUN ${CACHE} \\\n    uv sync --frozen --no-dev\nCOPY docker-entrypoint.sh /usr/local/bin/\n`,
    },
    {
      name: 'caching turned off',
      input: `FROM python:3.12-slim\nENV UV_NO_CACHE=1\nWORKDIR /app\n${DEPS('/app').replace(`${CACHE} \\\n    `, '')}COPY . .\nRUN uv sync --frozen\n`,
    },
  ],
  invalid: [
    {
      name: "relative bind targets from uv's guide are written absolute (podman refuses them)",
      input: `FROM python:3.12-slim\nWORKDIR /app\nRUN ${CACHE} \\\n    --mount=type=bind,source=uv.lock,target=uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=./pyproject.toml \\\n    uv sync --frozen --no-install-project --no-dev\nCOPY . .\nRUN ${CACHE} \\\n    uv sync --frozen --no-dev\n`,
      output: `FROM python:3.12-slim\nWORKDIR /app\nRUN ${CACHE} \\\n    --mount=type=bind,source=uv.lock,target=/app/uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=/app/pyproject.toml \\\n    uv sync --frozen --no-install-project --no-dev\nCOPY . .\nRUN ${CACHE} \\\n    uv sync --frozen --no-dev\n`,
      messages: [/mount targets are written absolute/],
    },
    {
      name: 'a lone sync without a source copy gets the cache mount',
      input: 'FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen\n',
      output: `FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN ${CACHE} \\\n    uv sync --frozen\n`,
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
      output: `FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nRUN ${CACHE} \\\n    uv sync --frozen --no-install-project --no-dev\nCOPY . .\nRUN ${CACHE} uv sync --frozen --no-dev\n`,
    },
    {
      // Both syncs download: the dependency one most of all.
      name: 'an original dependency sync without a cache mount gets one',
      input: `FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project\nCOPY . .\nRUN ${CACHE} uv sync --frozen\n`,
      output: `FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN ${CACHE} \\\n    uv sync --frozen --no-install-project\nCOPY . .\nRUN ${CACHE} uv sync --frozen\n`,
      messages: [/the uv cache is a build cache mount/],
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
      name: 'uv and its settings copied in after the source move up with the dependency layer',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /bin/\nENV UV_COMPILE_BYTECODE=1\nRUN uv sync --frozen\n',
      output: `FROM python:3.12-slim\nWORKDIR /app\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /bin/\nENV UV_COMPILE_BYTECODE=1\n${DEPS('/app', 'uv sync --frozen --no-install-project')}COPY . .\nRUN ${CACHE} \\\n    uv sync --frozen\n`,
      messages: [/uv, its settings and the variables the sync sees move up/],
    },
    {
      name: 'a build argument declared after the source copy moves up: the dependency sync sees it too',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nARG UV_INDEX_URL=https://pypi.example.com/simple\nENV APP_ENV=prod\nRUN uv sync --frozen\n',
      output: `FROM python:3.12-slim\nWORKDIR /app\nARG UV_INDEX_URL=https://pypi.example.com/simple\nENV APP_ENV=prod\n${DEPS('/app', 'uv sync --frozen --no-install-project')}COPY . .\nRUN ${CACHE} \\\n    uv sync --frozen\n`,
    },
    {
      name: 'uv installed by a RUN after the source copy: not split, said why',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN pip install uv==0.13.8 && make assets\nRUN uv sync --frozen\n',
      output: null,
      messages: [/installed after the source copy/],
    },
    {
      name: 'packaged, COPY . . after the only sync: dependency-only first, the project synced after the copy',
      input: `${HEAD}RUN uv sync --frozen --no-dev\nCOPY . .\nEXPOSE 8000\n`,
      files: PACKAGED,
      output: `${HEAD}${DEPS_ONLY()}COPY . .\n${INSTALL()}EXPOSE 8000\n`,
      messages: [/nothing installed the project/],
    },
    {
      name: 'the package removed before the sync and copied back after it is installed after that copy',
      input: `${HEAD}RUN ${CACHE} uv sync --frozen --no-dev --no-install-project\nCOPY . .\nRUN rm -rf src\nRUN ${CACHE} uv sync --frozen --no-dev\nCOPY ./src /app/src\nCMD ["orders"]\n`,
      files: PACKAGED,
      output: `${HEAD}RUN ${CACHE} uv sync --frozen --no-dev --no-install-project\nCOPY . .\nRUN rm -rf src\nRUN ${CACHE} uv sync --frozen --no-install-project --no-dev\nCOPY ./src /app/src\n${INSTALL()}CMD ["orders"]\n`,
    },
    {
      name: 'virtual projects get the same shape (a no-op sync that stays right if a build system is added)',
      input: `${HEAD}RUN uv sync --frozen --no-dev\nCOPY . .\nEXPOSE 8000\n`,
      output: `${HEAD}${DEPS_ONLY()}COPY . .\n${INSTALL()}EXPOSE 8000\n`,
    },
    {
      name: 'a src layout copied as COPY src ./src is the source',
      input: `${HEAD}RUN uv sync --frozen --no-dev\nCOPY src ./src\nCMD ["uvicorn", "orders.main:app"]\n`,
      files: PACKAGED,
      output: `${HEAD}${DEPS_ONLY()}COPY src ./src\n${INSTALL()}CMD ["uvicorn", "orders.main:app"]\n`,
    },
    {
      name: 'a package directory copied as COPY orders/ orders/ is the source',
      input: `${HEAD}RUN uv sync --frozen --no-dev\nCOPY orders/ orders/\n`,
      files: PACKAGED,
      output: `${HEAD}${DEPS_ONLY()}COPY orders/ orders/\n${INSTALL()}`,
    },
    {
      name: 'an exec-form source copy counts too',
      input: `${HEAD}RUN uv sync --frozen --no-dev\nCOPY ["orders", "./orders"]\n`,
      files: PACKAGED,
      output: `${HEAD}${DEPS_ONLY()}COPY ["orders", "./orders"]\n${INSTALL()}`,
    },
    {
      name: 'several source copies: the sync goes after the last one; README-like metadata is not source',
      input: `${HEAD}RUN uv sync --frozen --no-dev\nCOPY README.md LICENSE ./\nCOPY src ./src\nCOPY migrations ./migrations\nCOPY alembic.ini ./\nCOPY README.md ./docs/\nCMD ["uvicorn", "orders.main:app"]\n`,
      files: PACKAGED,
      output: `${HEAD}${DEPS_ONLY()}COPY README.md LICENSE ./\nCOPY src ./src\nCOPY migrations ./migrations\nCOPY alembic.ini ./\n${INSTALL()}COPY README.md ./docs/\nCMD ["uvicorn", "orders.main:app"]\n`,
    },
    {
      name: 'a build step after the copy runs after the added sync, so it sees the installed project',
      input: `${HEAD}RUN uv sync --frozen --no-dev\nCOPY . .\n# static files\nRUN .venv/bin/python -m orders.assets\n`,
      files: PACKAGED,
      output: `${HEAD}${DEPS_ONLY()}COPY . .\n${INSTALL()}# static files\nRUN .venv/bin/python -m orders.assets\n`,
    },
    {
      name: 'the sync inside a chain: the flag goes into the chain, the added sync is the sync alone',
      input: `${HEAD}RUN uv sync --frozen --no-dev && rm -rf /root/.cache/pip\nCOPY . .\n`,
      files: PACKAGED,
      output: `${HEAD}RUN ${CACHE} \\\n    uv sync --frozen --no-install-project --no-dev && rm -rf /root/.cache/pip\nCOPY . .\n${INSTALL()}`,
    },
    {
      name: 'the added sync keeps the first one’s uv path, inline settings and extras (an exact sync with other flags would remove packages)',
      input: `${HEAD}RUN UV_PROJECT_ENVIRONMENT=/opt/venv /usr/local/bin/uv sync --frozen --extra api --no-dev\nCOPY . .\n`,
      files: PACKAGED,
      output: `${HEAD}RUN ${CACHE} \\\n    UV_PROJECT_ENVIRONMENT=/opt/venv /usr/local/bin/uv sync --frozen --no-install-project --extra api --no-dev\nCOPY . .\nRUN ${CACHE} \\\n    UV_PROJECT_ENVIRONMENT=/opt/venv /usr/local/bin/uv sync --frozen --extra api --no-dev\n`,
    },
    {
      name: 'upstream bind mounts and --no-install-project already there: the added sync carries the secret and the cache, not the binds',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=secret,id=netrc,target=/root/.netrc \\\n    --mount=type=bind,source=uv.lock,target=/app/uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=/app/pyproject.toml \\\n    uv sync --frozen --no-install-project --no-dev\nCOPY . .\n',
      files: PACKAGED,
      output:
        'FROM python:3.12-slim\nWORKDIR /app\nRUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=secret,id=netrc,target=/root/.netrc \\\n    --mount=type=bind,source=uv.lock,target=/app/uv.lock \\\n    --mount=type=bind,source=pyproject.toml,target=/app/pyproject.toml \\\n    uv sync --frozen --no-install-project --no-dev\nCOPY . .\nRUN --mount=type=cache,target=/root/.cache/uv \\\n    --mount=type=secret,id=netrc,target=/root/.netrc \\\n    uv sync --frozen --no-dev\n',
      messages: [/a uv sync after the last source copy installs it/],
    },
    {
      name: 'caching off: no cache mount on either sync',
      input:
        'FROM python:3.12-slim\nENV UV_NO_CACHE=1\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen\nCOPY . .\n',
      files: PACKAGED,
      output:
        'FROM python:3.12-slim\nENV UV_NO_CACHE=1\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync --frozen --no-install-project\nCOPY . .\nRUN uv sync --frozen\n',
    },
    {
      name: 'CRLF, and a source copy ending the file without a newline',
      input: `${HEAD}RUN uv sync --frozen --no-dev\nCOPY . .`.replace(/\n/g, '\r\n'),
      files: PACKAGED,
      output: `${HEAD}${DEPS_ONLY()}COPY . .\n${INSTALL().trimEnd()}`.replace(/\n/g, '\r\n'),
    },
    {
      name: 'a heredoc sync before the copy gets the flag in its body',
      input: `${HEAD}RUN <<EOF\nuv sync --frozen --no-dev\nEOF\nCOPY . .\n`,
      files: PACKAGED,
      output: `${HEAD}RUN ${CACHE} \\\n    <<EOF\nuv sync --frozen --no-install-project --no-dev\nEOF\nCOPY . .\n${INSTALL()}`,
    },
    {
      name: 'a workspace: the first sync is left as it is, the members are installed by a sync after the copy',
      input: `${HEAD}RUN uv sync --frozen\nCOPY . .\n`,
      files: {
        ...UV_PROJECT,
        'pyproject.toml': '[project]\nname = "ws"\n[tool.uv.workspace]\nmembers = ["packages/*"]\n',
      },
      output: `${HEAD}RUN ${CACHE} \\\n    uv sync --frozen\nCOPY . .\n${INSTALL('--frozen')}`,
      messages: [/a uv workspace/],
    },
    {
      name: 'flags from a variable: reported, nothing changed',
      input: `FROM python:3.12-slim\nARG SYNC_ARGS="--frozen --no-dev"\nWORKDIR /app\nCOPY pyproject.toml uv.lock ./\nRUN uv sync \${SYNC_ARGS}\nCOPY . .\n`,
      files: PACKAGED,
      output: null,
      messages: [/flags from a variable/],
    },
    {
      name: 'a USER switch between the sync and the copy: reported, only the cache mount added',
      input: `${HEAD}RUN uv sync --frozen --no-dev\nUSER app\nCOPY --chown=app . .\n`,
      files: PACKAGED,
      output: `${HEAD}RUN ${CACHE} \\\n    uv sync --frozen --no-dev\nUSER app\nCOPY --chown=app . .\n`,
      messages: [/USER changes between the uv sync and the last source copy/],
    },
    {
      name: 'a sync that depends on a cd in its RUN: reported, only the cache mount added',
      input: `${HEAD}RUN cd /app && uv sync --frozen --no-dev\nCOPY . .\n`,
      files: PACKAGED,
      output: `${HEAD}RUN ${CACHE} \\\n    cd /app && uv sync --frozen --no-dev\nCOPY . .\n`,
      messages: [/depends on `cd \/app`/],
    },
    {
      name: 'the split: COPY . /app is the source copy',
      input: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . /app\nRUN uv sync --frozen --no-dev\n',
      output: `FROM python:3.12-slim\nWORKDIR /app\n${DEPS('/app')}COPY . /app\nRUN ${CACHE} \\\n    uv sync --frozen --no-dev\n`,
    },
    {
      name: 'the split: ADD . . is the source copy',
      input: 'FROM python:3.12-slim\nWORKDIR /app\nADD . .\nRUN uv sync --frozen --no-dev\n',
      output: `FROM python:3.12-slim\nWORKDIR /app\n${DEPS('/app')}ADD . .\nRUN ${CACHE} \\\n    uv sync --frozen --no-dev\n`,
    },
    {
      name: 'the split: COPY --chown=app . . is the source copy',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY --chown=app . .\nRUN uv sync --frozen --no-dev\n',
      output: `FROM python:3.12-slim\nWORKDIR /app\n${DEPS('/app')}COPY --chown=app . .\nRUN ${CACHE} \\\n    uv sync --frozen --no-dev\n`,
    },
    {
      name: 'the split: pyproject.toml and uv.lock already copied, so the dependency sync needs no bind mounts',
      input: `${HEAD}COPY src ./src\nRUN uv sync --frozen --no-dev\n`,
      output: `${HEAD}${DEPS_ONLY()}COPY src ./src\nRUN ${CACHE} \\\n    uv sync --frozen --no-dev\n`,
    },
    {
      name: 'the split: only the file not copied yet is bind-mounted',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml ./\nCOPY src ./src\nRUN uv sync --frozen --no-dev\n',
      output: `FROM python:3.12-slim\nWORKDIR /app\nCOPY pyproject.toml ./\nRUN ${CACHE} \\\n    --mount=type=bind,source=uv.lock,target=/app/uv.lock \\\n    uv sync --frozen --no-install-project --no-dev\nCOPY src ./src\nRUN ${CACHE} \\\n    uv sync --frozen --no-dev\n`,
    },
    {
      name: 'the split: the uv path and inline settings of the sync are kept in the dependency sync',
      input:
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nRUN UV_PROJECT_ENVIRONMENT=/opt/venv /usr/local/bin/uv sync --frozen\n',
      output: `FROM python:3.12-slim\nWORKDIR /app\n${DEPS('/app', 'UV_PROJECT_ENVIRONMENT=/opt/venv /usr/local/bin/uv sync --frozen --no-install-project')}COPY . .\nRUN ${CACHE} \\\n    UV_PROJECT_ENVIRONMENT=/opt/venv /usr/local/bin/uv sync --frozen\n`,
    },
    {
      name: 'the split: a WORKDIR between the copy and the sync is reported, not guessed',
      input: 'FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nRUN uv sync --frozen\n',
      output: `FROM python:3.12-slim\nCOPY . /app\nWORKDIR /app\nRUN ${CACHE} \\\n    uv sync --frozen\n`,
      messages: [/WORKDIR changes between the source copy and uv sync/],
    },
  ],
});
