import transform from '../../transforms/same-python-image.js';
import { transformTable } from '../helpers/transform-table.js';

const B = (image: string) => `FROM ${image} AS builder\nRUN uv sync --frozen\n\n`;

transformTable(transform, {
  valid: [
    {
      name: 'the same image',
      input: `${B('python:3.12-slim-trixie')}FROM python:3.12-slim-trixie\nCMD ["app"]\n`,
    },
    {
      name: 'a patch-pinned builder and the slim variant of the same patch',
      input: `${B('python:3.10.8')}FROM python:3.10.8-slim\nCMD ["app"]\n`,
    },
    {
      name: 'a patch older than the slim variant: the same full image is kept',
      input: `${B('python:3.4.1')}FROM python:3.4.1\nCMD ["app"]\n`,
    },
    {
      name: 'full builder, slim runtime of the same Python',
      input: `${B('python:3.12-trixie')}FROM python:3.12-slim-trixie\nCMD ["app"]\n`,
    },
    {
      name: 'uv image and its plain Python',
      input: `${B('ghcr.io/astral-sh/uv:0.13.8-python3.12-bookworm-slim')}FROM python:3.12-slim-bookworm\nCMD ["app"]\n`,
    },
    { name: 'single stage', input: 'FROM python:3.12-slim\nRUN uv sync\nCMD ["app"]\n' },
    {
      name: 'one version ARG for both, resolved through its default',
      input: `ARG PY=3.12\n${B('python:${PY}-trixie')}FROM python:\${PY}-slim-trixie\nCMD ["app"]\n`,
    },
    {
      name: 'runtime built on the builder',
      input: `${B('python:3.12-slim')}FROM builder\nCMD ["app"]\n`,
    },
    {
      name: 'targets built on the builder',
      input: `${B('python:3.12-trixie')}FROM builder AS api\nCMD ["api"]\n\nFROM builder AS worker\nCMD ["worker"]\n`,
    },
    {
      name: 'Alpine builder and Alpine runtime',
      input: `${B('python:3.12-alpine3.20')}FROM python:3.12-alpine3.20\nCMD ["app"]\n`,
    },
    {
      name: 'a builder on a base stage, the runtime on its slim image',
      input: `FROM python:3.12-trixie AS base\nWORKDIR /app\n\nFROM base AS builder\nRUN uv sync\n\nFROM python:3.12-slim-trixie\nCMD ["app"]\n`,
    },
  ],
  invalid: [
    {
      name: 'variables that resolve to different Pythons are reported',
      input: `ARG PY=3.12\nARG RUNTIME=python:3.11-slim-trixie\n${B('python:${PY}-slim-trixie')}FROM \${RUNTIME}\nCMD ["app"]\n`,
      output: null,
      messages: [/name their images through variables/],
    },
    {
      name: 'another Python version',
      input: `${B('python:3.12-slim-bookworm')}FROM python:3.11-slim\nCMD ["app"]\n`,
      output: `${B('python:3.12-slim-bookworm')}FROM python:3.12-slim-bookworm\nCMD ["app"]\n`,
    },
    {
      name: 'another Debian release',
      input: `${B('python:3.12-slim-bookworm')}FROM python:3.12-slim-trixie\nCMD ["app"]\n`,
      output: `${B('python:3.12-slim-bookworm')}FROM python:3.12-slim-bookworm\nCMD ["app"]\n`,
    },
    {
      name: 'alpine runtime for a Debian builder',
      input: `${B('python:3.12-slim-trixie')}FROM python:3.12-alpine\nCMD ["app"]\n`,
      output: `${B('python:3.12-slim-trixie')}FROM python:3.12-slim-trixie\nCMD ["app"]\n`,
    },
    {
      name: 'uv image builder, different runtime',
      input: `${B('ghcr.io/astral-sh/uv:0.13.8-python3.13-trixie-slim')}FROM python:3.12-slim-trixie\nCMD ["app"]\n`,
      output: `${B('ghcr.io/astral-sh/uv:0.13.8-python3.13-trixie-slim')}FROM python:3.13-slim-trixie\nCMD ["app"]\n`,
    },
    {
      name: 'full builder and the same full runtime: the runtime becomes slim',
      input: `${B('python:3.12-trixie')}FROM python:3.12-trixie\nCOPY --from=builder /app /app\nCMD ["app"]\n`,
      output: `${B('python:3.12-trixie')}FROM python:3.12-slim-trixie\nCOPY --from=builder /app /app\nCMD ["app"]\n`,
      messages: [/slim variant of the builder's Python/, /installed in the runtime stage/],
    },
    {
      // python:3.9.7 was built on buster and bullseye only: no release is added to its runtime.
      name: 'a patch-pinned builder gives the runtime its patch and no release it does not name',
      input: `${B('python:3.9.7')}FROM python:3.9-slim\nCMD ["app"]\n`,
      output: `${B('python:3.9.7')}FROM python:3.9.7-slim\nCMD ["app"]\n`,
      messages: [/runtime python:3\.9-slim -> python:3\.9\.7-slim: the same Python as the builder/],
    },
    {
      name: 'a full runtime of a patch-pinned builder becomes its slim variant',
      input: `${B('python:3.10.8')}FROM python:3.10.8\nCMD ["app"]\n`,
      output: `${B('python:3.10.8')}FROM python:3.10.8-slim\nCMD ["app"]\n`,
    },
    {
      name: 'slim builder, full runtime: the runtime becomes slim',
      input: `${B('python:3.12.7-slim-bookworm')}FROM python:3.12-bookworm\nCMD ["app"]\n`,
      output: `${B('python:3.12.7-slim-bookworm')}FROM python:3.12.7-slim-bookworm\nCMD ["app"]\n`,
    },
    {
      name: 'a full runtime of another version gets the slim variant of the builder',
      input: `${B('python:3.12-trixie')}FROM python:3.11\nCMD ["app"]\n`,
      output: `${B('python:3.12-trixie')}FROM python:3.12-slim-trixie\nCMD ["app"]\n`,
      messages: [/same Python as the builder .*, in the slim variant/],
    },
    {
      name: 'every runtime target through the stage its image comes from, once',
      input: `${B('python:3.12-trixie')}FROM python:3.12-trixie AS runtime\nCOPY --from=builder /app /app\n\nFROM runtime AS api\nCMD ["api"]\n\nFROM runtime AS worker\nCMD ["worker"]\n`,
      output: `${B('python:3.12-trixie')}FROM python:3.12-slim-trixie AS runtime\nCOPY --from=builder /app /app\n\nFROM runtime AS api\nCMD ["api"]\n\nFROM runtime AS worker\nCMD ["worker"]\n`,
    },
    {
      name: 'the builder the runtime copies from, not the last one that syncs',
      input: `FROM python:3.12-slim-trixie AS app\nRUN uv sync\n\nFROM python:3.13-slim-trixie AS tools\nRUN uv sync\nCMD ["tool"]\n\nFROM python:3.13-slim-trixie\nCOPY --from=app /app /app\nCMD ["app"]\n`,
      output: `FROM python:3.12-slim-trixie AS app\nRUN uv sync\n\nFROM python:3.13-slim-trixie AS tools\nRUN uv sync\nCMD ["tool"]\n\nFROM python:3.12-slim-trixie\nCOPY --from=app /app /app\nCMD ["app"]\n`,
    },
    {
      name: 'a full runtime that installs packages itself keeps its compilers',
      input: `${B('python:3.12-trixie')}FROM python:3.12-trixie\nRUN pip install -r requirements.txt\nCMD ["app"]\n`,
      output: null,
      messages: [/stays on the full image python:3.12-trixie: it runs pip install -r itself/],
    },
    {
      name: 'a runtime that is not a Python image',
      input: `${B('python:3.12-slim-bookworm')}FROM gcr.io/distroless/cc-debian12\nCMD ["app"]\n`,
      output: null,
      messages: [/may not resolve/],
    },
    {
      name: 'a builder whose Python cannot be told',
      input: `${B('ubuntu:24.04')}FROM python:3.12-slim\nCMD ["app"]\n`,
      output: null,
      messages: [/cannot be told/],
    },
  ],
});
