import transform from '../../transforms/pin-uv.js';
import { transformTable } from '../helpers/transform-table.js';

const COPY = 'COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/';

transformTable(transform, {
  valid: [
    { name: 'pinned COPY', input: `FROM python:3.12-slim\n${COPY}\nRUN uv sync\n` },
    {
      name: 'another pinned release is left',
      input:
        'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.5.11 /uv /bin/\nRUN uv sync\n',
    },
    {
      name: 'digest',
      input:
        'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef /uv /bin/\nRUN uv sync\n',
    },
    {
      name: 'pinned uv base image',
      input: 'FROM ghcr.io/astral-sh/uv:0.13.8-python3.12-bookworm-slim\nRUN uv sync\n',
    },
    {
      name: 'a stage built on a stage that has uv',
      input: `FROM python:3.12-slim AS base\n${COPY}\nFROM base\nRUN uv sync\n`,
    },
    {
      name: 'uv copied from a stage built on the uv image',
      input:
        'FROM ghcr.io/astral-sh/uv:0.10.8 AS uv\nFROM python:3.12-slim\nCOPY --from=uv /uv /uvx /bin/\nRUN uv sync\n',
    },
    {
      name: 'uv mounted from a stage whose uv image is an ARG: the final image is left without uv',
      input:
        'ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.8.19\nFROM ${UV_IMAGE} AS uv_stage\nFROM python:3.12-slim\nRUN --mount=from=uv_stage,source=/uv,target=/bin/uv uv sync --frozen\nCMD ["app"]\n',
    },
    { name: 'no uv at all', input: 'FROM python:3.12-slim\nRUN pip install -r requirements.txt\n' },
  ],
  invalid: [
    {
      name: 'pip install uv alone',
      input: 'FROM python:3.12-slim\nRUN pip install uv\nRUN uv sync\n',
      output: `FROM python:3.12-slim\n${COPY}\nRUN uv sync\n`,
    },
    {
      name: 'pip3 with a version and flags',
      input: 'FROM python:3.12-slim\nRUN pip3 install --no-cache-dir uv==0.4.30\n',
      output: `FROM python:3.12-slim\n${COPY}\n`,
    },
    {
      name: 'python -m pip',
      input: 'FROM python:3.12-slim\nRUN python -m pip install uv\n',
      output: `FROM python:3.12-slim\n${COPY}\n`,
    },
    {
      name: 'in an && chain, comment block stays with the RUN',
      input: 'FROM python:3.12-slim\n# deps\nRUN apt-get update && pip install uv && uv sync\n',
      output: `FROM python:3.12-slim\n${COPY}\n# deps\nRUN apt-get update && uv sync\n`,
    },
    {
      name: 'first in a continued chain',
      input: 'FROM python:3.12-slim\nRUN pip install uv && \\\n    uv sync\n',
      output: `FROM python:3.12-slim\n${COPY}\nRUN uv sync\n`,
    },
    {
      name: 'among other packages',
      input: 'FROM python:3.12-slim\nRUN pip install --upgrade pip uv\n',
      output: `FROM python:3.12-slim\n${COPY}\nRUN pip install --upgrade pip\n`,
    },
    {
      name: 'curl installer with its PATH line',
      input:
        'FROM python:3.12-slim\nRUN curl -LsSf https://astral.sh/uv/install.sh | sh\nENV PATH="/root/.local/bin:$PATH"\nRUN uv sync\n',
      output: `FROM python:3.12-slim\n${COPY}\nRUN uv sync\n`,
    },
    {
      name: 'COPY from latest',
      input: 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv\n',
      output: 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /bin/uv\n',
    },
    {
      name: 'COPY from untagged Docker Hub name',
      input: 'FROM python:3.12-slim\nCOPY --from=astral/uv /uv /bin/uv\n',
      output: 'FROM python:3.12-slim\nCOPY --from=astral/uv:0.13.8 /uv /bin/uv\n',
    },
    {
      name: 'mount from the image',
      input:
        'FROM python:3.12-slim\nRUN --mount=from=ghcr.io/astral-sh/uv,source=/uv,target=/bin/uv uv sync\n',
      output:
        'FROM python:3.12-slim\nRUN --mount=from=ghcr.io/astral-sh/uv:0.13.8,source=/uv,target=/bin/uv uv sync\n',
    },
    {
      name: 'uv base image with Python',
      input: 'FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nRUN uv sync\n',
      output: 'FROM ghcr.io/astral-sh/uv:0.13.8-python3.12-bookworm-slim\nRUN uv sync\n',
    },
    {
      name: 'ARG naming the uv version',
      input:
        'ARG UV_VERSION=latest\nFROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:${UV_VERSION} /uv /bin/\n',
      output:
        'ARG UV_VERSION=0.13.8\nFROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:${UV_VERSION} /uv /bin/\n',
    },
    {
      name: 'uv used but never brought in',
      input: 'FROM python:3.12-slim\nWORKDIR /app\nRUN uv sync\n',
      output: `FROM python:3.12-slim\n${COPY}\nWORKDIR /app\nRUN uv sync\n`,
    },
    {
      name: 'a stage copying from a stage that is not a uv image still gets uv',
      input:
        'FROM python:3.12-slim AS assets\nFROM python:3.12-slim\nCOPY --from=assets /srv /srv\nRUN uv sync\n',
      output: `FROM python:3.12-slim AS assets\nFROM python:3.12-slim\n${COPY}\nCOPY --from=assets /srv /srv\nRUN uv sync\n`,
    },
    {
      name: 'a uv stage alias at latest is pinned in its FROM, the copy from it stays',
      input:
        'FROM ghcr.io/astral-sh/uv:latest AS uv\nFROM python:3.12-slim\nCOPY --from=uv /uv /bin/uv\nRUN uv sync\n',
      output:
        'FROM ghcr.io/astral-sh/uv:0.13.8 AS uv\nFROM python:3.12-slim\nCOPY --from=uv /uv /bin/uv\nRUN uv sync\n',
    },
    {
      name: '--uv-version',
      input: 'FROM python:3.12-slim\nRUN pip install uv\n',
      options: { uvVersion: '0.9.1' },
      output: 'FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.9.1 /uv /uvx /bin/\n',
    },
    {
      name: 'CRLF',
      input: 'FROM python:3.12-slim\r\nRUN apt-get update && pip install uv\r\n',
      output: `FROM python:3.12-slim\r\n${COPY}\r\nRUN apt-get update\r\n`,
    },
    {
      name: 'single-statement heredoc is reported',
      input: 'FROM python:3.12-slim\nRUN <<EOF\npip install uv\nEOF\n',
      output: null,
      messages: [/in a heredoc is not rewritten/],
    },
  ],
});
