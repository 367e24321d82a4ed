import transform from '../../transforms/rebase-runtime-targets.js';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/edit.js';
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
  ],
  invalid: [
    {
      name: 'targets built on the builder move onto its image, with what they inherited',
      input: `FROM python:3.12-slim-trixie AS build\nRUN apt-get update && apt-get install -y libpq-dev gcc\nENV PYTHONUNBUFFERED=1\n${BUILD}ENV PATH="/app/.venv/bin:$PATH"\nCOPY entrypoint.sh /usr/local/bin/entrypoint.sh\nENTRYPOINT ["entrypoint.sh"]\nCMD ["serve"]\n\nFROM build AS api\nEXPOSE 8000\n\nFROM build AS worker\nENTRYPOINT ["celery"]\n\nFROM build AS dev\nCMD ["serve", "--reload"]\n`,
      output: `FROM python:3.12-slim-trixie AS build\nRUN apt-get update && apt-get install -y libpq-dev gcc\nENV PYTHONUNBUFFERED=1\n${BUILD}ENV PATH="/app/.venv/bin:$PATH"\nCOPY entrypoint.sh /usr/local/bin/entrypoint.sh\nENTRYPOINT ["entrypoint.sh"]\nCMD ["serve"]\n\nFROM python:3.12-slim-trixie AS api\n${LIBPQ}WORKDIR /app\nCOPY --from=build /app /app\nCOPY --from=build /usr/local/bin/entrypoint.sh /usr/local/bin/entrypoint.sh\nENV PYTHONUNBUFFERED=1\nENV PATH="/app/.venv/bin:$PATH"\nENTRYPOINT ["entrypoint.sh"]\nCMD ["serve"]\nEXPOSE 8000\n\nFROM python:3.12-slim-trixie AS worker\n${LIBPQ}WORKDIR /app\nCOPY --from=build /app /app\nCOPY --from=build /usr/local/bin/entrypoint.sh /usr/local/bin/entrypoint.sh\nENV PYTHONUNBUFFERED=1\nENV PATH="/app/.venv/bin:$PATH"\nENTRYPOINT ["celery"]\n\nFROM build AS dev\nCMD ["serve", "--reload"]\n`,
      files: { ...UV_PROJECT, 'entrypoint.sh': '#!/bin/sh\nexec "$@"\n' },
      messages: [
        /^api was built on build, shipping uv and the build; it now starts from python:3.12-slim-trixie and gets the app directory \/app from build; build-only packages stay in the builder: libpq-dev, gcc/,
      ],
    },
    {
      name: "the final stage built on the builder moves onto the Python image of the builder's base",
      input: `FROM ghcr.io/astral-sh/uv:0.13.8-python3.12-trixie-slim AS uv\nFROM uv AS builder\n${BUILD}\nFROM builder\nCMD ["app"]\n`,
      output: `FROM ghcr.io/astral-sh/uv:0.13.8-python3.12-trixie-slim AS uv\nFROM uv AS builder\n${BUILD}\nFROM python:3.12-slim-trixie\nWORKDIR /app\nCOPY --from=builder /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n`,
      messages: [/^the final stage was built on builder/],
    },
    {
      name: 'a target whose start would still call uv stays on the builder; one whose uv run goes moves',
      input: `FROM python:3.12-slim-trixie AS build\n${BUILD}\nFROM build AS api\nCMD ["uv", "run", "api"]\n\nFROM build AS worker\nCMD ["uv", "run", "--with", "rich", "worker"]\n`,
      output: `FROM python:3.12-slim-trixie AS build\n${BUILD}\nFROM python:3.12-slim-trixie AS api\nWORKDIR /app\nCOPY --from=build /app /app\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["uv", "run", "api"]\n\nFROM build AS worker\nCMD ["uv", "run", "--with", "rich", "worker"]\n`,
      messages: [
        /^api was built on build, shipping uv and the build; it now starts from python:3.12-slim-trixie/,
        /^worker is built on build, so it ships uv and the build; it is not moved onto a runtime image: its start command \(\["uv", "run", "--with", "rich", "worker"\]\) still calls uv/,
      ],
    },
    {
      name: 'uv run in a RUN of the target goes: the ENV it inherited is set before it runs',
      input: `FROM python:3.12-slim-trixie AS base\n${BUILD}ENV PYTHONPATH=src\n\nFROM base AS web\nRUN uv run python manage.py collectstatic --noinput\nCMD ["uv", "run", "granian", "--interface", "wsgi", "site.wsgi:application"]\n`,
      output: `FROM python:3.12-slim-trixie AS base\n${BUILD}ENV PYTHONPATH=src\n\nFROM python:3.12-slim-trixie AS web\nWORKDIR /app\nCOPY --from=base /app /app\nENV PATH="/app/.venv/bin:$PATH"\nENV PYTHONPATH=src\nRUN python manage.py collectstatic --noinput\nCMD ["uv", "run", "granian", "--interface", "wsgi", "site.wsgi:application"]\n`,
      messages: [
        /^web was built on base, .*; a RUN of the target: uv run removed before python, the venv on PATH$/,
      ],
    },
    {
      name: 'every uv run of a RUN goes, in exec form too; a file named uv.lock is no uv call',
      input: `FROM python:3.12-slim-trixie AS base\n${BUILD}\nFROM base AS web\nRUN test -f uv.lock && uv run manage.py check && uv --directory src run compile-assets\nRUN ["uv", "run", "--frozen", "warm-cache"]\nCMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS base\n${BUILD}\nFROM python:3.12-slim-trixie AS web\nWORKDIR /app\nCOPY --from=base /app /app\nENV PATH="/app/.venv/bin:$PATH"\nRUN test -f uv.lock && python manage.py check && cd src && compile-assets\nRUN ["warm-cache"]\nCMD ["app"]\n`,
    },
    {
      name: 'uv run --with in a RUN of the target needs uv: the target stays',
      input: `FROM python:3.12-slim-trixie AS base\n${BUILD}\nFROM base AS web\nRUN uv run manage.py check && uv run --with rich report\nCMD ["app"]\n`,
      output: null,
      messages: [
        /^web is built on base, .*: it runs uv run --with rich report itself, on the Python of base, and a runtime image has no uv$/,
      ],
    },
    {
      name: 'a PATH the target sets without the venv comes before its uv run: the target stays',
      input: `FROM python:3.12-slim-trixie AS base\n${BUILD}\nFROM base AS web\nENV PATH=/usr/local/bin:/usr/bin:/bin\nRUN uv run manage.py check\nCMD ["app"]\n`,
      output: null,
      messages: [
        /it runs uv run manage.py check after ENV PATH=\/usr\/local\/bin:\/usr\/bin:\/bin, which leaves the venv off PATH: without uv run its program would not find the dependencies$/,
      ],
    },
    {
      name: 'a PATH the target extends keeps the venv: its uv run goes',
      input: `FROM python:3.12-slim-trixie AS base\n${BUILD}\nFROM base AS web\nENV PATH="/opt/tools/bin:$PATH"\nRUN uv run manage.py check\nCMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS base\n${BUILD}\nFROM python:3.12-slim-trixie AS web\nWORKDIR /app\nCOPY --from=base /app /app\nENV PATH="/app/.venv/bin:$PATH"\nENV PATH="/opt/tools/bin:$PATH"\nRUN python manage.py check\nCMD ["app"]\n`,
    },
    {
      name: 'uv pip install in a RUN of the target: the target stays',
      input: `FROM python:3.12-slim-trixie AS base\n${BUILD}\nFROM base AS web\nRUN uv pip install gunicorn\nCMD ["gunicorn", "app:app"]\n`,
      output: null,
      messages: [/it runs uv pip install gunicorn itself, on the Python of base/],
    },
    {
      name: 'uv run inside sh -c in a RUN of the target is not stripped: the target stays',
      input: `FROM python:3.12-slim-trixie AS base\n${BUILD}\nFROM base AS web\nRUN sh -c "uv run manage.py check"\nCMD ["app"]\n`,
      output: null,
      messages: [/it runs sh -c "uv run manage.py check" itself/],
    },
    {
      name: 'a build line that does something a runtime image would lose keeps its targets',
      input: `FROM python:3.12-slim-trixie AS build\n${BUILD}RUN mkdir -p /data\n\nFROM build\nCMD ["app"]\n`,
      output: null,
      messages: [
        /runs mkdir -p \/data, whose effect outside the app directory a runtime image would not have/,
      ],
    },
    {
      name: 'a target keeps running as the user the build line runs as',
      input: `FROM python:3.12-slim-trixie AS build\nRUN useradd --uid 1000 app\n${BUILD}USER app\n\nFROM build AS api\nCMD ["app"]\n\nFROM build AS worker\nUSER root\nCMD ["worker"]\n`,
      output: `FROM python:3.12-slim-trixie AS build\nRUN useradd --uid 1000 app\n${BUILD}USER app\n\nFROM python:3.12-slim-trixie AS api\nWORKDIR /app\nCOPY --from=build /app /app\nENV PATH="/app/.venv/bin:$PATH"\nRUN useradd --uid 1000 app\nUSER app\nCMD ["app"]\n\nFROM python:3.12-slim-trixie AS worker\nWORKDIR /app\nCOPY --from=build /app /app\nENV PATH="/app/.venv/bin:$PATH"\nRUN useradd --uid 1000 app\nUSER root\nCMD ["worker"]\n`,
    },
    {
      name: 'a HEALTHCHECK that needs the curl only the build installs keeps the target on the builder',
      input: `FROM python:3.12-slim-trixie AS build\nRUN apt-get update && apt-get install -y curl\n${BUILD}HEALTHCHECK CMD curl -f http://localhost:8000/\n\nFROM build\nCMD ["app"]\n`,
      output: null,
      messages: [
        /HEALTHCHECK CMD curl -f http:\/\/localhost:8000\/ uses curl, which the build installs for itself/,
      ],
    },
    {
      name: 'uv run in the build line may write anywhere: the target stays',
      input: `FROM python:3.12-slim-trixie AS build\n${BUILD}RUN uv run python manage.py collectstatic --noinput\n\nFROM build\nCMD ["app"]\n`,
      output: null,
      messages: [/runs uv run python manage.py collectstatic --noinput, whose effect/],
    },
    {
      name: 'a target that installs packages itself keeps its base',
      input: `FROM python:3.12-slim-trixie AS build\n${BUILD}\nFROM build\nRUN pip install gunicorn\nCMD ["gunicorn", "app:app"]\n`,
      output: null,
      messages: [/it runs pip install gunicorn itself/],
    },
    {
      name: 'a copy from another stage outside the app directory keeps the target on the builder',
      input: `FROM node:22 AS assets\nRUN npm run build\n\nFROM python:3.12-slim-trixie AS build\n${BUILD}COPY --from=assets /dist /var/www\n\nFROM build\nCMD ["app"]\n`,
      output: null,
      messages: [/puts files outside the app directory \/app/],
    },
  ],
});

// With only rebase-runtime-targets run, the engine would refuse this output (uv run in a stage without uv)
// until no-uv-at-runtime strips it; the whole chain is run in the golden scenarios.
describe('a final stage built on the builder that starts with uv run', () => {
  it('moves onto a runtime image: no-uv-at-runtime strips uv run there, the venv on PATH', () => {
    const input = `FROM python:3.12-slim-trixie AS builder\n${BUILD}\nFROM builder\nCMD ["uv", "run", "app"]\n`;
    const moved = detect(transform, input).find((f) => (f.edits?.length ?? 0) > 0);
    expect(moved?.message).toMatch(/^the final stage was built on builder/);
    expect(applyEdits(input, moved?.edits ?? [])).toBe(
      `FROM python:3.12-slim-trixie AS builder\n${BUILD}\n${RUNTIME()}CMD ["uv", "run", "app"]\n`,
    );
  });
});
