import transform from '../../transforms/frozen-lockfile.js';
import { transformTable } from '../helpers/transform-table.js';

transformTable(transform, {
  valid: [
    { name: 'frozen and no-dev', input: 'FROM python:3.12-slim\nRUN uv sync --frozen --no-dev\n' },
    {
      name: 'locked by choice',
      input: 'FROM python:3.12-slim\nRUN uv sync --locked --no-dev\n',
      options: { lockFlag: 'locked' },
    },
    {
      name: 'UV_FROZEN in the stage',
      input: 'FROM python:3.12-slim\nENV UV_FROZEN=1\nRUN uv sync --no-dev\n',
    },
    {
      name: 'settings given on the command line count as flags',
      input: 'FROM python:3.12-slim\nRUN UV_FROZEN=1 UV_NO_DEV=1 uv sync\n',
    },
    {
      name: 'UV_NO_DEV from a stage ARG, by any path to uv',
      input:
        'FROM python:3.12-slim\nARG UV_NO_DEV=true\nRUN /usr/local/bin/uv --project . sync --frozen\n',
    },
    {
      name: 'UV_LOCKED when locked is the choice',
      input: 'FROM python:3.12-slim\nENV UV_LOCKED=1 UV_NO_DEV=1\nRUN uv sync\n',
      options: { lockFlag: 'locked' },
    },
    {
      name: 'uv pip install is not a sync',
      input: 'FROM python:3.12-slim\nRUN uv pip install --system -r requirements.txt\n',
    },
    {
      name: 'only a group',
      input: 'FROM python:3.12-slim\nRUN uv sync --frozen --only-group docs\n',
    },
  ],
  invalid: [
    {
      name: 'UV_LOCKED in the stage becomes UV_FROZEN (uv refuses --frozen beside it), once for every sync',
      input:
        'FROM python:3.12-slim\nENV UV_LOCKED=1 UV_NO_DEV=1\nRUN uv sync --no-install-project\nRUN uv sync\n',
      output:
        'FROM python:3.12-slim\nENV UV_FROZEN=1 UV_NO_DEV=1\nRUN uv sync --no-install-project\nRUN uv sync\n',
      messages: [/UV_LOCKED -> UV_FROZEN/],
    },
    {
      name: 'UV_LOCKED on the command line',
      input: 'FROM python:3.12-slim\nRUN UV_LOCKED=1 python -m uv sync\n',
      output: 'FROM python:3.12-slim\nRUN UV_FROZEN=1 python -m uv sync --no-dev\n',
    },
    {
      name: 'UV_FROZEN=0 is no setting',
      input: 'FROM python:3.12-slim\nENV UV_FROZEN=0\nRUN uv sync\n',
      output: 'FROM python:3.12-slim\nENV UV_FROZEN=0\nRUN uv sync --frozen --no-dev\n',
    },
    {
      name: 'uv named by a variable the RUN sets to uv or to a wrapper then uv: flags after it, never inside its value',
      input:
        'FROM python:3.12-slim\nARG AUDIT\nRUN if [ -n "$AUDIT" ]; then UV_CMD="audited uv"; else UV_CMD="uv"; fi; \\\n    $UV_CMD sync --locked\n',
      output:
        'FROM python:3.12-slim\nARG AUDIT\nRUN if [ -n "$AUDIT" ]; then UV_CMD="audited uv"; else UV_CMD="uv"; fi; \\\n    $UV_CMD sync --frozen --no-dev\n',
    },
    {
      name: 'a sync through a variable that cannot be told is reported, not edited',
      input: 'FROM python:3.12-slim\nARG UV_CMD\nRUN $UV_CMD sync --locked\n',
      output: null,
      messages: [/\$UV_CMD sync may be uv sync, but the value of \$UV_CMD cannot be told/],
    },
    {
      name: 'uv at another path, with global options',
      input: 'FROM python:3.12-slim\nRUN $HOME/.local/bin/uv --directory /app sync --locked\n',
      output:
        'FROM python:3.12-slim\nRUN $HOME/.local/bin/uv --directory /app sync --frozen --no-dev\n',
    },
    {
      name: '--locked',
      input: 'FROM python:3.12-slim\nRUN uv sync --locked\n',
      output: 'FROM python:3.12-slim\nRUN uv sync --frozen --no-dev\n',
    },
    {
      name: 'no flag',
      input: 'FROM python:3.12-slim\nRUN uv sync\n',
      output: 'FROM python:3.12-slim\nRUN uv sync --frozen --no-dev\n',
    },
    {
      name: 'other flags kept in place',
      input: 'FROM python:3.12-slim\nRUN uv sync --extra api --locked --no-editable\n',
      output: 'FROM python:3.12-slim\nRUN uv sync --extra api --frozen --no-dev --no-editable\n',
    },
    {
      name: 'continued with an interleaved comment',
      input:
        'FROM python:3.12-slim\nRUN apt-get update && pip install uv && uv sync \\\n    # pinned\n    --locked\n',
      output:
        'FROM python:3.12-slim\nRUN apt-get update && pip install uv && uv sync \\\n    # pinned\n    --frozen --no-dev\n',
    },
    {
      name: 'heredoc body',
      input: 'FROM python:3.12-slim\nRUN <<EOF\nset -e\nuv sync --locked\nEOF\n',
      output: 'FROM python:3.12-slim\nRUN <<EOF\nset -e\nuv sync --frozen --no-dev\nEOF\n',
    },
    {
      name: 'global option before sync',
      input: 'FROM python:3.12-slim\nRUN uv --no-cache sync --locked\n',
      output: 'FROM python:3.12-slim\nRUN uv --no-cache sync --frozen --no-dev\n',
    },
    {
      name: 'backtick escape and CRLF',
      input: '# escape=`\r\nFROM python:3.12-slim\r\nRUN uv sync `\r\n    --locked',
      output: '# escape=`\r\nFROM python:3.12-slim\r\nRUN uv sync `\r\n    --frozen --no-dev',
    },
    {
      name: '--lock-flag locked replaces --frozen',
      input: 'FROM python:3.12-slim\nRUN uv sync --frozen\n',
      options: { lockFlag: 'locked' },
      output: 'FROM python:3.12-slim\nRUN uv sync --locked --no-dev\n',
    },
    {
      name: 'non-ASCII before the flag',
      input: 'FROM python:3.12-slim\nRUN echo "café ☕" && uv sync --locked\n',
      output: 'FROM python:3.12-slim\nRUN echo "café ☕" && uv sync --frozen --no-dev\n',
    },
    {
      name: 'flags from a variable',
      input: 'FROM python:3.12-slim\nRUN uv sync ${UV_SYNC_ARGS}\n',
      output: null,
      messages: [/flags from a shell variable/],
    },
    {
      name: 'dev dependencies asked for',
      input: 'FROM python:3.12-slim\nRUN uv sync --locked --group dev\n',
      output: null,
      messages: [/asks for dev dependencies/],
    },
    {
      name: 'uv lock during the build',
      input: 'FROM python:3.12-slim\nRUN uv lock\n',
      output: null,
      messages: [/re-resolves/],
    },
  ],
});
