import transform from '../../transforms/non-root-user.js';
import { transformTable, UV_PROJECT } from '../helpers/transform-table.js';

const B = 'FROM python:3.12-slim-trixie AS builder\nRUN uv sync\n\n';
const CREATE =
  'RUN groupadd --system --gid 10001 app \\\n    && useradd --system --uid 10001 --gid 10001 --no-create-home app\n';

transformTable(transform, {
  valid: [
    {
      name: 'numeric user and chowned copy',
      input: `${B}FROM python:3.12-slim-trixie\n${CREATE}COPY --from=builder --chown=10001:10001 /app /app\nUSER 10001:10001\nCMD ["app"]\n`,
    },
    {
      name: 'a numeric uid alone',
      input: `${B}FROM python:3.12-slim-trixie\nUSER 1000\nCMD ["app"]\n`,
    },
    {
      name: 'a user created with a uid, USER that uid, a --chown by name after it',
      input:
        'FROM python:3.12-slim\nRUN useradd --uid 10001 -m appuser\nCOPY --chown=appuser:appuser . /app\nUSER 10001:10001\nCMD ["app"]\n',
    },
    {
      name: 'a --chown to a base-image user is not second-guessed',
      input: 'FROM python:3.12-slim\nCOPY --chown=www-data . /app\nUSER 10001\nCMD ["app"]\n',
    },
    {
      name: '`adduser user group` only adds a membership',
      input:
        'FROM python:3.12-slim\nRUN useradd --uid 1000 appuser && adduser appuser staff\nUSER 1000:1000\nCMD ["app"]\n',
    },
  ],
  invalid: [
    {
      name: 'a pip project with stages of its own (no uv) gets the uid fixed on the user it creates',
      input:
        'FROM python:3.12-slim AS builder\nRUN python -m venv /venv\nCOPY requirements.txt .\nRUN /venv/bin/pip install -r requirements.txt\n\nFROM python:3.12-slim\nRUN useradd --system hc\nCOPY --from=builder /venv /venv\nUSER hc\nCMD ["/venv/bin/uwsgi", "app.ini"]\n',
      files: { 'requirements.txt': 'uwsgi\n' },
      output:
        'FROM python:3.12-slim AS builder\nRUN python -m venv /venv\nCOPY requirements.txt .\nRUN /venv/bin/pip install -r requirements.txt\n\nFROM python:3.12-slim\nRUN useradd --uid 10001 --system hc\nCOPY --from=builder --chown=10001 /venv /venv\nUSER 10001\nCMD ["/venv/bin/uwsgi", "app.ini"]\n',
    },
    {
      name: 'a start script copied under another name that drops privileges with gosu is read from its source',
      input:
        'FROM python:3.12-slim AS builder\nRUN pip install --user flask\n\nFROM python:3.12-slim\nRUN useradd -u 911 abc\nCOPY --from=builder /root/.local /root/.local\nCOPY ./docker/entry.sh /app/run.sh\nENTRYPOINT ["/app/run.sh"]\n',
      files: {
        'requirements.txt': 'flask\n',
        'docker/entry.sh': '#!/bin/bash\nchown -R 911 /app\nexec gosu 911 "$0" "$@"\n',
      },
      output: null,
      messages: [
        /\/app\/run\.sh, which calls a privilege-dropping tool, starts as root on purpose/,
      ],
    },
    {
      // The python image's own documentation puts the app there: it is no system directory.
      name: 'an app directory under /usr/src is chowned to the runtime user',
      input:
        'FROM python:3.12-slim AS builder\nWORKDIR /usr/src/app\nRUN true\nFROM python:3.12-slim\nCOPY --from=builder /usr/src/app /usr/src/app\nCOPY --from=builder /usr/local /usr/local\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim AS builder\nWORKDIR /usr/src/app\nRUN true\nFROM python:3.12-slim\nRUN groupadd --system --gid 10001 app \\\n    && useradd --system --uid 10001 --gid 10001 --no-create-home app\nCOPY --from=builder --chown=10001:10001 /usr/src/app /usr/src/app\nCOPY --from=builder /usr/local /usr/local\nUSER 10001:10001\nCMD ["app"]\n',
    },
    {
      name: 'USER nobody from the base image becomes its well-known numbers',
      input: 'FROM python:3.12-slim\nUSER nobody:nogroup\nCMD ["app"]\n',
      output: 'FROM python:3.12-slim\nUSER 65534:65534\nCMD ["app"]\n',
      messages: [/nobody is uid 65534/],
    },
    {
      name: 'a target that is not the last stage gets its USER at the end of its own stage',
      input:
        'FROM python:3.12-slim AS api\nENTRYPOINT ["api"]\nUSER root\nCOPY . /app\n\nFROM python:3.12-slim AS worker\nCMD ["worker"]\n',
      output:
        'FROM python:3.12-slim AS api\nRUN groupadd --system --gid 10001 app \\\n    && useradd --system --uid 10001 --gid 10001 --no-create-home app\nENTRYPOINT ["api"]\nUSER root\nCOPY . /app\nUSER 10001:10001\n\nFROM python:3.12-slim AS worker\nRUN groupadd --system --gid 10001 app \\\n    && useradd --system --uid 10001 --gid 10001 --no-create-home app\nUSER 10001:10001\nCMD ["worker"]\n',
    },
    {
      name: 'the canonical runtime',
      input: `${B}FROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nEXPOSE 8000\nCMD ["app"]\n`,
      output: `${B}FROM python:3.12-slim-trixie\n${CREATE}WORKDIR /app\nCOPY --from=builder --chown=10001:10001 /app /app\nENV PATH="/app/.venv/bin:$PATH"\nUSER 10001:10001\nEXPOSE 8000\nCMD ["app"]\n`,
    },
    {
      name: 'VOLUME mount points are made and owned by the user (a missing one would be root-owned)',
      input: `${B}FROM python:3.12-slim-trixie\nVOLUME ["/data", "/var/cache/app"]\nVOLUME /data $X\nCMD ["app"]\n`,
      output: `${B}FROM python:3.12-slim-trixie\nRUN groupadd --system --gid 10001 app \\\n    && useradd --system --uid 10001 --gid 10001 --no-create-home app \\\n    && mkdir -p /data /var/cache/app && chown 10001:10001 /data /var/cache/app\nVOLUME ["/data", "/var/cache/app"]\nVOLUME /data $X\nUSER 10001:10001\nCMD ["app"]\n`,
      messages: [/\/data, \/var\/cache\/app made and owned by it for the VOLUME/],
    },
    {
      name: 'alpine tools',
      input: 'FROM python:3.12-alpine\nCMD ["app"]\n',
      output:
        'FROM python:3.12-alpine\nRUN addgroup -S -g 10001 app \\\n    && adduser -S -D -H -u 10001 -G app app\nUSER 10001:10001\nCMD ["app"]\n',
    },
    {
      name: '--uid and no start instruction',
      input: 'FROM python:3.12-slim\nRUN echo',
      options: { uid: 1001 },
      output:
        'FROM python:3.12-slim\nRUN groupadd --system --gid 1001 app \\\n    && useradd --system --uid 1001 --gid 1001 --no-create-home app\nRUN echo\nUSER 1001:1001',
    },
    {
      name: 'USER root stays, the switch comes after it',
      input: 'FROM python:3.12-slim\nUSER root\nRUN apt-get update\nCMD ["app"]\n',
      output: `FROM python:3.12-slim\n${CREATE}USER root\nRUN apt-get update\nUSER 10001:10001\nCMD ["app"]\n`,
    },
    {
      name: 'a named user with a known uid becomes numeric',
      input: `${B}FROM python:3.12-slim\nRUN useradd -u 1000 -g 1000 appuser\nCOPY --from=builder --chown=appuser:appuser /app /app\nUSER appuser\nCMD ["app"]\n`,
      output: `${B}FROM python:3.12-slim\nRUN useradd -u 1000 -g 1000 appuser\nCOPY --from=builder --chown=1000:1000 /app /app\nUSER 1000:1000\nCMD ["app"]\n`,
    },
    {
      name: 'system directories are not chowned',
      input: `${B}FROM python:3.12-slim\nCOPY --from=builder /usr/local /usr/local\nCMD ["app"]\n`,
      output: `${B}FROM python:3.12-slim\n${CREATE}COPY --from=builder /usr/local /usr/local\nUSER 10001:10001\nCMD ["app"]\n`,
    },
    {
      name: 'CRLF',
      input: 'FROM python:3.12-slim\r\nCMD ["app"]\r\n',
      output:
        'FROM python:3.12-slim\r\nRUN groupadd --system --gid 10001 app \\\r\n    && useradd --system --uid 10001 --gid 10001 --no-create-home app\r\nUSER 10001:10001\r\nCMD ["app"]\r\n',
    },
    {
      name: 'a named user the file does not create (a base-image user) is reported, not guessed',
      input: 'FROM python:3.12-slim\nUSER app\nCMD ["app"]\n',
      output: null,
      messages: [/names a user this file does not create/],
    },
    {
      name: 'useradd without a uid gets the configured one, and USER becomes numeric',
      input: 'FROM python:3.12-slim\nRUN useradd appuser\nUSER appuser\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim\nRUN useradd --uid 10001 appuser\nUSER 10001:10001\nCMD ["app"]\n',
      messages: [/USER appuser -> USER 10001:10001 \(appuser now gets uid 10001/],
    },
    {
      name: 'useradd with combined short options, USER user:group',
      input:
        'FROM python:3.12-slim\nRUN useradd -ms /bin/bash appuser\nUSER appuser:appuser\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim\nRUN useradd --uid 10001 -ms /bin/bash appuser\nUSER 10001:10001\nCMD ["app"]\n',
    },
    {
      name: 'the uid option',
      input:
        'FROM python:3.12-slim\nRUN useradd -m -s /bin/bash appuser\nUSER appuser\nCMD ["app"]\n',
      options: { uid: 1001 },
      output:
        'FROM python:3.12-slim\nRUN useradd --uid 1001 -m -s /bin/bash appuser\nUSER 1001:1001\nCMD ["app"]\n',
    },
    {
      name: "Debian's adduser (its own group takes the uid as gid)",
      input:
        'FROM python:3.12-slim\nRUN adduser --disabled-password --gecos \'\' appuser\nUSER appuser\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim\nRUN adduser --uid 10001 --disabled-password --gecos \'\' appuser\nUSER 10001:10001\nCMD ["app"]\n',
    },
    {
      name: 'Alpine addgroup and adduser: the group gets the same gid',
      input:
        'FROM python:3.12-alpine\nRUN addgroup -S app && adduser -S app -G app\nUSER app\nCMD ["app"]\n',
      output:
        'FROM python:3.12-alpine\nRUN addgroup -g 10001 -S app && adduser -u 10001 -S app -G app\nUSER 10001:10001\nCMD ["app"]\n',
      messages: [/group app now gets gid 10001/],
    },
    {
      name: 'Alpine adduser with its own group',
      input: 'FROM python:3.12-alpine\nRUN adduser -DH app\nUSER app\nCMD ["app"]\n',
      output:
        'FROM python:3.12-alpine\nRUN adduser -u 10001 -DH app\nUSER 10001:10001\nCMD ["app"]\n',
    },
    {
      name: 'groupadd -r and useradd -r -g: both get the ids',
      input:
        'FROM python:3.12-slim\nRUN groupadd -r app && useradd -r -g app app\nUSER app\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim\nRUN groupadd --gid 10001 -r app && useradd --uid 10001 -r -g app app\nUSER 10001:10001\nCMD ["app"]\n',
    },
    {
      name: 'a user created with a uid in a chain keeps it; a --chown by name after it stays',
      input:
        'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y libpq5 \\\n    && useradd --uid 1000 -m appuser \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY --chown=appuser:appuser . /app\nUSER appuser\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y libpq5 \\\n    && useradd --uid 1000 -m appuser \\\n    && rm -rf /var/lib/apt/lists/*\nCOPY --chown=appuser:appuser . /app\nUSER 1000:1000\nCMD ["app"]\n',
      messages: [/the uid and gid it is created with/],
    },
    {
      name: 'CRLF and continuation lines',
      input:
        'FROM python:3.12-slim\r\nRUN groupadd -r app \\\r\n    && useradd -r -g app \\\r\n       -m app\r\nUSER app\r\nCMD ["app"]\r\n',
      output:
        'FROM python:3.12-slim\r\nRUN groupadd --gid 10001 -r app \\\r\n    && useradd --uid 10001 -r -g app \\\r\n       -m app\r\nUSER 10001:10001\r\nCMD ["app"]\r\n',
    },
    {
      name: 'a heredoc RUN',
      input:
        'FROM python:3.12-slim\nRUN <<EOF\nset -e\nuseradd -m appuser\nEOF\nUSER appuser\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim\nRUN <<EOF\nset -e\nuseradd --uid 10001 -m appuser\nEOF\nUSER 10001:10001\nCMD ["app"]\n',
    },
    {
      name: "a system user's own group gets a system gid: USER gives the uid alone",
      input: 'FROM python:3.12-slim\nRUN useradd -r appuser\nUSER appuser\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim\nRUN useradd --uid 10001 -r appuser\nUSER 10001\nCMD ["app"]\n',
      messages: [/USER gives the uid alone/],
    },
    {
      name: 'USER app:app for a system user names its own group: the uid alone, like USER app',
      input:
        'FROM python:3.12-slim\nRUN useradd -r appuser\nCOPY --chown=appuser:appuser . /app\nUSER appuser:appuser\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim\nRUN useradd --uid 10001 -r appuser\nCOPY --chown=appuser:appuser . /app\nUSER 10001\nCMD ["app"]\n',
    },
    {
      name: 'a copy from the builder owned by name takes the numbers of the user the runtime creates',
      input: `${B}FROM python:3.12-slim\nRUN useradd -m appuser\nCOPY --from=builder --chown=appuser:appuser /app /app\nUSER appuser\nCMD ["app"]\n`,
      output: `${B}FROM python:3.12-slim\nRUN useradd --uid 10001 -m appuser\nCOPY --from=builder --chown=10001:10001 /app /app\nUSER 10001:10001\nCMD ["app"]\n`,
    },
    {
      name: 'an Alpine system user (group nogroup): USER gives the uid alone',
      input: 'FROM python:3.12-alpine\nRUN adduser -S -D -H appuser\nUSER appuser\nCMD ["app"]\n',
      output:
        'FROM python:3.12-alpine\nRUN adduser -u 10001 -S -D -H appuser\nUSER 10001\nCMD ["app"]\n',
    },
    {
      name: 'a groupadd with the gid already taken by another group is left as is',
      input:
        'FROM python:3.12-slim\nRUN groupadd --gid 10001 web && groupadd app && useradd -g app appuser\nUSER appuser\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim\nRUN groupadd --gid 10001 web && groupadd app && useradd --uid 10001 -g app appuser\nUSER 10001\nCMD ["app"]\n',
      messages: [/group app keeps the gid its tool picks \(10001 already belongs to web\)/],
    },
    {
      name: 'the configured uid already belongs to another user of the file',
      input:
        'FROM python:3.12-slim\nRUN useradd --uid 10001 worker && useradd appuser\nUSER appuser\nCMD ["app"]\n',
      output: null,
      messages: [/uid 10001 already belongs to worker in this file/],
    },
    {
      name: 'a uid from a variable',
      input:
        'FROM python:3.12-slim\nARG UID=1000\nRUN useradd -u $UID appuser\nUSER appuser\nCMD ["app"]\n',
      output: null,
      messages: [/the uid of appuser comes from \$UID/],
    },
    {
      name: 'USER with a group the file does not create',
      input: 'FROM python:3.12-slim\nRUN useradd appuser\nUSER appuser:staff\nCMD ["app"]\n',
      output: null,
      messages: [/the gid of group staff is not known here/],
    },
    {
      name: 'a user created only in the builder: USER and COPY --chown in the runtime are reported',
      input: `FROM python:3.12-slim AS builder\nRUN useradd appuser\nRUN uv sync\n\nFROM python:3.12-slim\nCOPY --from=builder --chown=appuser:appuser /app /app\nUSER appuser\nCMD ["app"]\n`,
      output: null,
      messages: [
        /USER appuser: appuser is created in stage builder, not in the stage that runs/,
        /COPY --chown=appuser:appuser: the user appuser is created in stage builder only/,
      ],
    },
    {
      name: 'a COPY --chown before its user exists in the runtime stage takes the numbers',
      input:
        'FROM python:3.12-slim\nCOPY --chown=appuser . /app\nRUN useradd --uid 10001 appuser\nUSER 10001\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim\nCOPY --chown=10001 . /app\nRUN useradd --uid 10001 appuser\nUSER 10001\nCMD ["app"]\n',
    },
    {
      name: 'a COPY --chown before its user exists in a build stage is reported',
      input: `FROM python:3.12-slim AS builder\nCOPY --chown=appuser . /app\nRUN useradd appuser\nRUN uv sync\n\nFROM python:3.12-slim\n${CREATE}COPY --from=builder --chown=10001:10001 /app /app\nUSER 10001:10001\nCMD ["app"]\n`,
      output: null,
      messages: [/COPY --chown=appuser: the user appuser is created only after this line/],
    },
    {
      name: "a split's runtime without USER: the user it creates, the same uid in both stages",
      input: `FROM python:3.12-slim AS builder\nRUN useradd -m appuser\nRUN uv sync\nUSER appuser\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder /app /app\nRUN useradd -m appuser\nEXPOSE 8000\nCMD ["app"]\n`,
      output: `FROM python:3.12-slim AS builder\nRUN useradd --uid 10001 -m appuser\nRUN uv sync\nUSER appuser\n\nFROM python:3.12-slim\nWORKDIR /app\nCOPY --from=builder --chown=10001:10001 /app /app\nRUN useradd --uid 10001 -m appuser\nUSER 10001:10001\nEXPOSE 8000\nCMD ["app"]\n`,
      messages: [/the runtime runs as 10001:10001, the appuser user the file creates/],
    },
    {
      name: 'no USER, one user created, a VOLUME: its mount point is made and owned by that user',
      input: 'FROM python:3.12-slim\nRUN useradd app\nVOLUME /data\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim\nRUN mkdir -p /data && chown 10001:10001 /data\nRUN useradd --uid 10001 app\nVOLUME /data\nUSER 10001:10001\nCMD ["app"]\n',
      messages: [/\/data made and owned by it for the VOLUME/],
    },
    {
      name: 'a user created in the stage the runtime is built FROM',
      input:
        'FROM python:3.12-slim AS base\nRUN useradd app\n\nFROM base AS runtime\nUSER app\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim AS base\nRUN useradd --uid 10001 app\n\nFROM base AS runtime\nUSER 10001:10001\nCMD ["app"]\n',
    },
    {
      name: 'a group app without a user app: nothing is created over it',
      input: 'FROM python:3.12-slim\nRUN groupadd app\nCMD ["app"]\n',
      output: null,
      messages: [/a group app already exists here/],
    },
    {
      name: 'a named USER becomes numeric even while uv still runs at start',
      input: 'FROM python:3.12-slim\nRUN useradd appuser\nUSER appuser\nCMD uv run app\n',
      output:
        'FROM python:3.12-slim\nRUN useradd --uid 10001 appuser\nUSER 10001:10001\nCMD uv run app\n',
    },
    {
      name: 'USER from an ARG defaulting to root',
      input: 'FROM python:3.12-slim\nARG UID=0\nUSER $UID\nCMD ["app"]\n',
      output: null,
      messages: [/its default is 0/],
    },
    {
      name: 's6-overlay',
      input: 'FROM python:3.12-slim\nENTRYPOINT ["/init"]\n',
      output: null,
      messages: [/s6-overlay/],
    },
    {
      name: 'supervisord, in a target that inherits its start from a shared stage',
      input:
        'FROM python:3.12-slim AS base\nENTRYPOINT ["/app/entrypoint.sh"]\nCMD ["/usr/bin/supervisord", "-c", "/etc/supervisor/supervisord.conf"]\nFROM base AS runtime\n',
      files: { ...UV_PROJECT, 'entrypoint.sh': '#!/bin/sh\nexec "$@"\n' },
      output: null,
      messages: [/supervisord starts as root on purpose/],
    },
    {
      name: 'the cron daemon started beside the app needs root',
      input:
        'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y cron\nCMD ["bash", "-c", "cron -f & gunicorn app:app"]\n',
      files: UV_PROJECT,
      output: null,
      messages: [
        /no USER added: the start command runs the cron daemon \(cron\), which must run as root to start each job as its owner/,
      ],
    },
    {
      name: 'poetry run still at start (a stage that was not split)',
      input:
        'FROM python:3.12-slim\nRUN pip install poetry==2.1.3\nWORKDIR /app\nCOPY . .\nRUN poetry install --only main\nCMD ["poetry", "run", "python", "bot.py"]\n',
      files: { 'pyproject.toml': '[tool.poetry]\nname = "bot"\n', 'poetry.lock': '' },
      output: null,
      messages: [/no USER added: the container still runs `poetry run` at start/],
    },
    {
      name: 'poetry run after a global option, and pipenv run, at start',
      input:
        'FROM python:3.12-slim\nRUN pip install pipenv\nWORKDIR /app\nCOPY . .\nRUN pipenv install --deploy\nCMD ["/usr/local/bin/pipenv", "--quiet", "run", "python", "bot.py"]\n',
      files: { Pipfile: '[packages]\n', 'Pipfile.lock': '{}' },
      output: null,
      messages: [/no USER added: the container still runs `pipenv run` at start/],
    },
    {
      name: 'gosu in a start script',
      input: 'FROM python:3.12-slim\nENTRYPOINT ["/app/start.sh"]\n',
      files: { ...UV_PROJECT, 'start.sh': '#!/bin/sh\nchown -R app /data\nexec gosu app "$@"\n' },
      output: null,
      messages: [/drops privileges itself/],
    },
    {
      name: 'uv still runs at start',
      input: 'FROM python:3.12-slim\nCMD uv run app\n',
      output: null,
      messages: [/still runs uv at start/],
    },
    {
      name: 'invalid JSON that calls uv',
      input: "FROM python:3.12-slim\nCMD ['uv', 'run', 'app']\n",
      output: null,
      messages: [/still runs uv at start/],
    },
    {
      name: 'distroless',
      input: 'FROM gcr.io/distroless/python3\nCMD ["app"]\n',
      output: null,
      messages: [/no shell/],
    },
  ],
});
