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
  ],
  invalid: [
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
      name: 'a named user of unknown uid',
      input: 'FROM python:3.12-slim\nUSER app\nCMD ["app"]\n',
      output: null,
      messages: [/uid is not set in this file/],
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
