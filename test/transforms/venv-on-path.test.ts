import transform from '../../transforms/venv-on-path.js';
import { transformTable } from '../helpers/transform-table.js';

const BUILDER =
  'FROM python:3.12-slim-trixie AS builder\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-dev\n\n';

transformTable(transform, {
  valid: [
    {
      name: 'the venv is on PATH',
      input: `${BUILDER}FROM python:3.12-slim-trixie\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n`,
    },
    {
      name: 'a later PATH line keeps the venv on it',
      input: `${BUILDER}FROM python:3.12-slim-trixie\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nENV PATH="/root/.local/bin:$PATH"\nCMD ["app"]\n`,
    },
    {
      name: 'the venv on PATH through a variable',
      input: `${BUILDER}FROM python:3.12-slim-trixie\nENV VENV=/app/.venv\nCOPY --from=builder /app /app\nENV PATH="\${VENV}/bin:$PATH"\nCMD ["app"]\n`,
    },
    {
      name: 'the runtime copies only the source, not the venv',
      input: `${BUILDER}FROM python:3.12-slim-trixie\nCOPY --from=builder /app/src /app/src\nCMD ["app"]\n`,
    },
    {
      name: "a single stage is multi-stage's to split",
      input:
        'FROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-dev\nCMD ["app"]\n',
    },
    {
      name: 'uv installs into the system Python',
      input:
        'FROM python:3.12-slim-trixie AS builder\nENV UV_PROJECT_ENVIRONMENT=/usr/local\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-dev\n\nFROM python:3.12-slim-trixie\nCOPY --from=builder /usr/local /usr/local\nCMD ["app"]\n',
    },
    {
      name: 'a venv copied to another path: its scripts still point at the old one',
      input: `${BUILDER}FROM python:3.12-slim-trixie\nCOPY --from=builder /app/.venv /opt/venv\nCMD ["app"]\n`,
    },
    {
      name: 'a development target is not a runtime',
      input: `${BUILDER}FROM python:3.12-slim-trixie AS dev\nCOPY --from=builder /app /app\nCMD ["app"]\n\nFROM python:3.12-slim-trixie\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n`,
    },
  ],
  invalid: [
    {
      name: 'an existing split without the venv on PATH',
      input: `${BUILDER}FROM python:3.12-slim-trixie\nCOPY --from=builder /app /app\nCMD ["app"]\n`,
      output: `${BUILDER}FROM python:3.12-slim-trixie\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n`,
      messages: [/does not put \/app\/\.venv\/bin on PATH/],
    },
    {
      name: 'the last PATH line replaces the venv: read as the container sees it',
      input: `${BUILDER}FROM python:3.12-slim-trixie\nCOPY --from=builder /app/.venv /app/.venv\nENV PATH="/app/.venv/bin:$PATH"\nENV PATH=/usr/local/bin:/usr/bin:/bin\nCMD ["app"]\n`,
      output: `${BUILDER}FROM python:3.12-slim-trixie\nCOPY --from=builder /app/.venv /app/.venv\nENV PATH="/app/.venv/bin:$PATH"\nENV PATH=/usr/local/bin:/usr/bin:/bin\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n`,
    },
    {
      name: 'a venv elsewhere (UV_PROJECT_ENVIRONMENT), copied from the builder by number',
      input:
        'FROM python:3.12-slim-trixie\nENV UV_PROJECT_ENVIRONMENT=/opt/venv\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-dev\n\nFROM python:3.12-slim-trixie\nCOPY --from=0 /opt/venv /opt/venv\r\nCMD ["app"]\n',
      output:
        'FROM python:3.12-slim-trixie\nENV UV_PROJECT_ENVIRONMENT=/opt/venv\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-dev\n\nFROM python:3.12-slim-trixie\nCOPY --from=0 /opt/venv /opt/venv\r\nENV PATH="/opt/venv/bin:$PATH"\nCMD ["app"]\n',
    },
    {
      name: 'every runtime target that copies the venv',
      input: `${BUILDER}FROM python:3.12-slim-trixie AS api\nCOPY --from=builder /app /app\nCMD ["api"]\n\nFROM python:3.12-slim-trixie AS worker\nCOPY --from=builder /app /app\nCMD ["worker"]\n`,
      output: `${BUILDER}FROM python:3.12-slim-trixie AS api\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["api"]\n\nFROM python:3.12-slim-trixie AS worker\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["worker"]\n`,
    },
    {
      name: 'the venv copied from a stage built on the builder',
      input: `${BUILDER}FROM builder AS assets\nRUN python -m compileall .\n\nFROM python:3.12-slim-trixie\nCOPY --from=assets /app /app\nCMD ["app"]\n`,
      output: `${BUILDER}FROM builder AS assets\nRUN python -m compileall .\n\nFROM python:3.12-slim-trixie\nCOPY --from=assets /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n`,
    },
  ],
});
