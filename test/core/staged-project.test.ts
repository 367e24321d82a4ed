import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/document.js';
import { buildContext } from '../../src/core/context.js';
import { plainPythonService, stagedPythonService } from '../../src/core/staged-project.js';

const REQS = { 'requirements.txt': 'flask==3.1.0\n' };
const kind = (text: string, files: Record<string, string> = REQS) => {
  const s = stagedPythonService(parse(text), buildContext({ dockerfile: 'Dockerfile', files }));
  return s.kind === 'blocked' ? `blocked: ${s.why}` : s.kind;
};
const BUILDER =
  'FROM python:3.12-slim AS builder\nRUN python -m venv /venv\nCOPY requirements.txt .\nRUN /venv/bin/pip install -r requirements.txt\n\n';

describe('stagedPythonService', () => {
  it('ready: a pip builder and a Python runtime that runs as root', () =>
    expect(
      kind(
        `${BUILDER}FROM python:3.12-slim\nCOPY --from=builder /venv /venv\nCMD ["/venv/bin/app"]\n`,
      ),
    ).toBe('ready'));

  it('ready: a runtime on another base that already names its user (only the uid is fixed)', () =>
    expect(
      kind(
        `${BUILDER}FROM ubuntu:24.04\nRUN useradd -r app\nCOPY --from=builder /venv /venv\nUSER app\nCMD ["/venv/bin/app"]\n`,
      ),
    ).toBe('ready'));

  it('ready: the USER is in the stage the final one is built FROM', () =>
    expect(
      kind(
        `FROM python:3.12-slim AS base\nRUN useradd -m app\nUSER app\n\nFROM base AS build\nRUN pip install --user flask\n\nFROM base\nCMD ["flask", "run"]\n`,
      ),
    ).toBe('ready'));

  it('a Poetry or Pipenv builder counts as an install', () => {
    const runtime = 'FROM python:3.12-slim\nCOPY --from=builder /app /app\nCMD ["app"]\n';
    expect(
      kind(`FROM python:3.12-slim AS builder\nRUN poetry install --only main\n\n${runtime}`, {
        'pyproject.toml': '[tool.poetry]\nname = "app"\n',
      }),
    ).toBe('ready');
    expect(
      kind(`FROM python:3.12-slim AS builder\nRUN pipenv install --deploy\n\n${runtime}`, {
        Pipfile: '',
      }),
    ).toBe('ready');
  });

  it('blocked: root on a base whose Python cannot be told (FROM ${FROM}), with the reason', () =>
    expect(
      kind(
        `ARG FROM\n${BUILDER}FROM \${FROM} AS main\nCOPY --from=builder /venv /venv\nCMD ["/venv/bin/app"]\n`,
      ),
    ).toMatch(/^blocked: its final stage runs as root on \$\{FROM\}, not an image whose Python/));

  it('an ARG default naming a Python image is read', () =>
    expect(
      kind(
        `ARG BASE=python:3.12-slim\n${BUILDER}FROM \${BASE}\nCOPY --from=builder /venv /venv\nCMD ["/venv/bin/app"]\n`,
      ),
    ).toBe('ready'));

  it('none: one stage, a uv project, no install, no start command', () => {
    expect(kind('FROM python:3.12-slim\nRUN pip install -r requirements.txt\nCMD ["app"]\n')).toBe(
      'none',
    );
    // uv in the file makes it a uv one; a uv.lock alone does not (the file is built as written).
    expect(
      kind(
        `${BUILDER.replace('RUN /venv/bin/pip', 'RUN pip install uv && /venv/bin/pip')}FROM python:3.12-slim\nCOPY --from=builder /venv /venv\nCMD ["app"]\n`,
        REQS,
      ),
    ).toBe('none');
    expect(
      kind(`${BUILDER}FROM python:3.12-slim\nCOPY --from=builder /venv /venv\nCMD ["app"]\n`, {
        ...REQS,
        'uv.lock': '',
      }),
    ).toBe('ready');
    expect(
      kind(
        'FROM node:20 AS web\nRUN npm ci\n\nFROM python:3.12-slim\nCOPY . .\nCMD ["python", "app.py"]\n',
      ),
    ).toBe('none');
    expect(kind(`${BUILDER}FROM python:3.12-slim\nCOPY --from=builder /venv /venv\n`)).toBe('none');
    expect(
      kind(
        'FROM ghcr.io/astral-sh/uv:0.9 AS uv\nFROM python:3.12-slim\nRUN pip install flask\nCMD ["flask"]\n',
      ),
    ).toBe('none');
  });
});

describe('plainPythonService: a Python service with nothing to install', () => {
  const ctx = buildContext({ dockerfile: 'Dockerfile', files: {} });
  const plain = (text: string) => plainPythonService(parse(text), ctx);
  it('one stage on a Python image, a start command, no install, no USER', () => {
    expect(
      plain('FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "server.py"]\n'),
    ).toBe(true);
  });
  it('not: an install, a USER, no start, an image whose Python cannot be told, stages', () => {
    expect(plain('FROM python:3.12-slim\nRUN pip install flask\nCMD ["flask", "run"]\n')).toBe(
      false,
    );
    expect(plain('FROM python:3.12-slim\nUSER nobody\nCMD ["python", "s.py"]\n')).toBe(false);
    expect(plain('FROM python:3.12-slim\nCOPY . .\n')).toBe(false);
    expect(plain('FROM ubuntu:24.04\nCMD ["python3", "s.py"]\n')).toBe(false);
    expect(
      plain('FROM python:3.12 AS b\nRUN true\nFROM python:3.12-slim\nCMD ["python", "s.py"]\n'),
    ).toBe(false);
  });
});
