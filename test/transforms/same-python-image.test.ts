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
