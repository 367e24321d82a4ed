import transform from '../../transforms/uv-python-env.js';
import { transformTable } from '../helpers/transform-table.js';

const COPY = 'COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/';
const ENV =
  'ENV UV_COMPILE_BYTECODE=1 \\\n    UV_LINK_MODE=copy \\\n    UV_PYTHON_PREFERENCE=only-system \\\n    UV_PYTHON_DOWNLOADS=never';

transformTable(transform, {
  valid: [
    { name: 'all set', input: `FROM python:3.12-slim\n${COPY}\n${ENV}\nRUN uv sync\n` },
    {
      name: 'a stage built FROM a stage that set them inherits them',
      input: `FROM python:3.12-slim AS base\n${COPY}\n${ENV}\nRUN uv sync\n\nFROM base AS tests\nRUN uv sync --group test\n`,
    },
    {
      name: 'legacy space form counts',
      input:
        'FROM python:3.12-slim\nENV UV_COMPILE_BYTECODE 1\nENV UV_LINK_MODE copy\nENV UV_PYTHON_PREFERENCE only-system\nENV UV_PYTHON_DOWNLOADS never\nRUN uv sync\n',
    },
    { name: 'a stage without uv', input: 'FROM python:3.12-slim\nRUN pip install flask\n' },
    {
      name: 'a link mode chosen on purpose is kept',
      input: `FROM python:3.12-slim\nENV UV_COMPILE_BYTECODE=0 UV_LINK_MODE=hardlink UV_PYTHON_PREFERENCE=only-system UV_PYTHON_DOWNLOADS=never\nRUN uv sync\n`,
    },
  ],
  invalid: [
    {
      name: 'after the uv COPY',
      input: `FROM python:3.12-slim\n${COPY}\nRUN uv sync\n`,
      output: `FROM python:3.12-slim\n${COPY}\n${ENV}\nRUN uv sync\n`,
    },
    {
      name: 'after FROM when uv comes from a mount',
      input:
        'FROM python:3.12-slim\nRUN --mount=from=ghcr.io/astral-sh/uv:0.13.8,source=/uv,target=/bin/uv uv pip install -r r.txt\n',
      output: `FROM python:3.12-slim\n${ENV}\nRUN --mount=from=ghcr.io/astral-sh/uv:0.13.8,source=/uv,target=/bin/uv uv pip install -r r.txt\n`,
    },
    {
      name: 'only the missing ones',
      input: 'FROM python:3.12-slim\nENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy\nRUN uv sync\n',
      output:
        'FROM python:3.12-slim\nENV UV_PYTHON_PREFERENCE=only-system \\\n    UV_PYTHON_DOWNLOADS=never\nENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy\nRUN uv sync\n',
    },
    {
      name: 'conflicting values fixed in place',
      input:
        'FROM python:3.12-slim\nENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_PREFERENCE=managed UV_PYTHON_DOWNLOADS=automatic\nRUN uv sync\n',
      output:
        'FROM python:3.12-slim\nENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_PREFERENCE=only-system UV_PYTHON_DOWNLOADS=never\nRUN uv sync\n',
      messages: [/UV_PYTHON_DOWNLOADS=automatic -> never/],
    },
    {
      name: "the file's continuation indent and CRLF",
      input: `FROM python:3.12-slim\r\nRUN apt-get update \\\r\n  && uv sync\r\n`,
      output:
        'FROM python:3.12-slim\r\nENV UV_COMPILE_BYTECODE=1 \\\r\n  UV_LINK_MODE=copy \\\r\n  UV_PYTHON_PREFERENCE=only-system \\\r\n  UV_PYTHON_DOWNLOADS=never\r\nRUN apt-get update \\\r\n  && uv sync\r\n',
    },
    {
      name: 'uv called by its path',
      input: `FROM python:3.12-slim\n${COPY}\nRUN /usr/local/bin/uv sync\n`,
      output: `FROM python:3.12-slim\n${COPY}\n${ENV}\nRUN /usr/local/bin/uv sync\n`,
    },
    {
      name: 'a base named by a global ARG is read through its default',
      input: `ARG BASE=python:3.12-slim-trixie\nFROM \${BASE}\n${COPY}\nRUN uv sync\n`,
      output: `ARG BASE=python:3.12-slim-trixie\nFROM \${BASE}\n${COPY}\n${ENV}\nRUN uv sync\n`,
    },
    {
      name: 'a stage built on an earlier Python stage',
      input: `FROM python:3.12-slim AS base\nFROM base\n${COPY}\nRUN uv sync\n`,
      output: `FROM python:3.12-slim AS base\nFROM base\n${COPY}\n${ENV}\nRUN uv sync\n`,
    },
    {
      name: 'a uv image without Python is reported, its image resolved',
      input: 'ARG UV=ghcr.io/astral-sh/uv:0.13.8-alpine\nFROM ${UV}\nRUN uv sync\n',
      output: null,
      messages: [
        /built on \$\{UV\} \(ghcr\.io\/astral-sh\/uv:0\.13\.8-alpine\), which has no Python of its own/,
      ],
    },
    {
      name: 'a base without Python is reported',
      input: 'FROM ubuntu:24.04\nRUN uv sync\n',
      output: null,
      messages: [/no Python of its own/],
    },
  ],
});
