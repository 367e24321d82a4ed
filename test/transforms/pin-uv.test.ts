import transform from '../../transforms/pin-uv.js';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/edit.js';
import { detect, transformTable } from '../helpers/transform-table.js';

const COPY = 'COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/';
/** A builder that has its uv, and the start of a runtime stage that copies the app from it. */
const B = `FROM python:3.12-slim-trixie AS builder\n${COPY}\nWORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-dev\n\n`;
const R = 'FROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY --from=builder /app /app\n';
const PATH = 'ENV PATH="/app/.venv/bin:$PATH"\n';

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
    {
      name: 'a base stage the builder is built on keeps uv',
      input: `FROM python:3.12-slim-trixie AS base\n${COPY}\nWORKDIR /app\n\nFROM base AS builder\nRUN uv sync\n\nFROM base\nCOPY --from=builder /app /app\nCMD ["app"]\n`,
    },
  ],
  invalid: [
    {
      // uv's own documentation writes it this way.
      name: 'the installer ADDed, run and removed, with its PATH line',
      input:
        'FROM python:3.12-slim\nADD https://astral.sh/uv/install.sh /uv-installer.sh\nRUN sh /uv-installer.sh && rm /uv-installer.sh\nENV PATH="/root/.local/bin/:$PATH"\nRUN uv sync\n',
      output: `FROM python:3.12-slim\n${COPY}\nRUN uv sync\n`,
      messages: [/the uv installer script \(ADD https:\/\/astral\.sh\/uv\/install\.sh/],
    },
    {
      name: 'the ADDed installer run by a RUN that does more is reported',
      input:
        'FROM python:3.12-slim\nADD https://astral.sh/uv/install.sh /uv-installer.sh\nRUN sh /uv-installer.sh && uv --version\nRUN uv sync\n',
      output: null,
      messages: [/run by a RUN that does more; left as is/],
    },
    {
      // no-uv-at-runtime says why the start keeps uv; here, why the runtime keeps it at all.
      name: 'a runtime that starts with uv run --with keeps uv, and says so',
      input: `${B}${R}${PATH}${COPY}\nCMD ["uv", "run", "--with", "rich", "app"]\n`,
      output: null,
      messages: [/uv stays in stage 2, a runtime: its CMD \(line 12\) still calls uv at start/],
    },
    {
      name: 'python -m uv names the binary once pip no longer installs the package',
      input:
        'FROM python:3.12-slim\nRUN pip install uv\nRUN python -m uv sync --frozen && python3 -m uv --version\n',
      output: `FROM python:3.12-slim\n${COPY}\nRUN uv sync --frozen && uv --version\n`,
      messages: [/python -m uv -> uv/, /python3 -m uv -> uv/],
    },
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
      name: 'a runtime that never calls uv loses its uv COPY, pinned or not',
      input: `${B}FROM python:3.12-slim-trixie\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv\nCOPY --from=builder /app /app\n${PATH}CMD ["app"]\n`,
      output: `${B}FROM python:3.12-slim-trixie\nCOPY --from=builder /app /app\n${PATH}CMD ["app"]\n`,
      messages: [/the uv COPY is removed: nothing in this runtime stage calls uv$/],
    },
    {
      name: 'the curl installer and its PATH line leave a runtime stage',
      input: `${B}${R}RUN apt-get update && curl -LsSf https://astral.sh/uv/install.sh | sh && rm -rf /var/lib/apt/lists/*\nENV PATH="/root/.local/bin:$PATH"\n${PATH}CMD ["app"]\n`,
      output: `${B}${R}RUN apt-get update && rm -rf /var/lib/apt/lists/*\n${PATH}CMD ["app"]\n`,
    },
    {
      name: 'among other packages in a runtime stage, only uv goes',
      input: `${B}${R}RUN pip install --no-cache-dir uv gunicorn\n${PATH}CMD ["gunicorn", "app:app"]\n`,
      output: `${B}${R}RUN pip install --no-cache-dir gunicorn\n${PATH}CMD ["gunicorn", "app:app"]\n`,
    },
    {
      name: 'an entrypoint script whose uv run is stripped',
      input: `${B}${R}RUN pip install uv\n${PATH}ENTRYPOINT ["./entrypoint.sh"]\n`,
      files: {
        'uv.lock': '',
        'entrypoint.sh': '#!/bin/sh\nuv run alembic upgrade head\nexec uv run uvicorn app:app\n',
      },
      output: `${B}${R}${PATH}ENTRYPOINT ["./entrypoint.sh"]\n`,
    },
    {
      name: 'an entrypoint script that syncs at start keeps uv',
      input: `${B}${R}RUN pip install uv\n${PATH}ENTRYPOINT ["./entrypoint.sh"]\n`,
      files: { 'uv.lock': '', 'entrypoint.sh': '#!/bin/sh\nuv sync --frozen\nexec uv run app\n' },
      output: `${B}${R}${COPY}\n${PATH}ENTRYPOINT ["./entrypoint.sh"]\n`,
    },
    {
      name: 'a script the context does not hold may call uv: kept',
      input: `${B}${R}RUN pip install uv\n${PATH}ENTRYPOINT ["/usr/local/bin/start.sh"]\n`,
      output: `${B}${R}${COPY}\n${PATH}ENTRYPOINT ["/usr/local/bin/start.sh"]\n`,
    },
    {
      name: 'a development target keeps uv for the people who use it',
      input: `${B}FROM python:3.12-slim-trixie AS dev\nRUN pip install uv\nCOPY --from=builder /app /app\n${PATH}CMD ["app"]\n\n${R}${PATH}CMD ["app"]\n`,
      output: `${B}FROM python:3.12-slim-trixie AS dev\n${COPY}\nCOPY --from=builder /app /app\n${PATH}CMD ["app"]\n\n${R}${PATH}CMD ["app"]\n`,
    },
    {
      name: 'a runtime that runs uv in a RUN keeps it',
      input: `${B}${R}RUN pip install uv && uv pip list\n${PATH}CMD ["app"]\n`,
      output: `${B}${R}${COPY}\nRUN uv pip list\n${PATH}CMD ["app"]\n`,
    },
    {
      name: 'uv installed in a runtime base its targets start without',
      input: `${B}FROM python:3.12-slim-trixie AS runtime\nRUN pip install uv\nWORKDIR /app\nCOPY --from=builder /app /app\n${PATH}\nFROM runtime AS api\nCMD ["api"]\n\nFROM runtime AS worker\nCMD ["worker"]\n`,
      output: `${B}FROM python:3.12-slim-trixie AS runtime\nWORKDIR /app\nCOPY --from=builder /app /app\n${PATH}\nFROM runtime AS api\nCMD ["api"]\n\nFROM runtime AS worker\nCMD ["worker"]\n`,
    },
    {
      name: 'single-statement heredoc is reported',
      input: 'FROM python:3.12-slim\nRUN <<EOF\npip install uv\nEOF\n',
      output: null,
      messages: [/in a heredoc is not rewritten/],
    },
  ],
});

// With only pin-uv run, the engine would refuse these outputs (a CMD calling uv in a stage without
// it) until no-uv-at-runtime strips uv run; the golden multi-stage-runtime-pip-install-uv runs both.
describe('pin-uv: a runtime stage that installs uv only for uv run', () => {
  const removed = (input: string) => {
    const finding = detect(transform, input).find((f) => / is removed: /.test(f.message));
    return finding && { message: finding.message, text: applyEdits(input, finding.edits ?? []) };
  };

  it('loses the install when the venv is on PATH there', () => {
    const input = `${B}${R}RUN pip install uv\n${PATH}CMD ["uv", "run", "uvicorn", "app:app"]\n`;
    expect(removed(input)).toEqual({
      message:
        "pip install uv is removed: nothing in this runtime stage calls uv once uv run leaves its start command, which no-uv-at-runtime strips: the venv's bin directory is on PATH there",
      text: `${B}${R}${PATH}CMD ["uv", "run", "uvicorn", "app:app"]\n`,
    });
  });

  it('loses the install, and its comment about uv, when venv-on-path will put the venv on PATH', () => {
    const input = `${B}${R}# uv for the start command\nRUN pip install --no-cache-dir uv\nCMD uv run python -m app\n`;
    expect(removed(input)).toEqual({
      message: expect.stringMatching(/is put on PATH there by venv-on-path$/),
      text: `${B}${R}CMD uv run python -m app\n`,
    });
  });

  it('keeps it when uv is still called after uv run is stripped', () => {
    const input = `${B}${R}RUN pip install uv\n${PATH}CMD uv pip list && uv run app\n`;
    expect(removed(input)).toBeUndefined();
  });
});
