import { describe, expect, it } from 'vitest';
import transform from '../../transforms/pin-python-base.js';
import { detect, transformTable, UV_PROJECT } from '../helpers/transform-table.js';

const PV = { ...UV_PROJECT, '.python-version': '3.11\n' };
const UV_COPY = 'COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/';

transformTable(transform, {
  valid: [
    { name: 'pinned slim with release', input: 'FROM python:3.12-slim-trixie\n' },
    { name: 'pinned alpine', input: 'FROM python:3.12-alpine3.20\n' },
    {
      name: 'a patch-pinned slim tag on jessie, a release older than buster, is what the rule asks for',
      input: 'FROM python:3.6.4-slim-jessie\n',
      files: {},
    },
    {
      name: 'alpine patch tag gets no newer Alpine',
      input: 'FROM python:3.10.10-alpine\n',
      files: {},
    },
    {
      name: 'alpine patch tag keeps its Alpine',
      input: 'FROM python:3.10.10-alpine3.17\n',
      files: {},
    },
    {
      name: 'a patch-pinned slim tag naming its release',
      input: 'FROM python:3.12.7-slim-bookworm\n',
    },
    {
      name: 'a patch-pinned base naming its release, and the stages on it',
      input:
        'FROM python:3.12.7-slim-bookworm as base\nFROM base as python-deps\nRUN pip install --user -r requirements.txt\nFROM base as runtime-image\n',
    },
    {
      name: 'digest-pinned',
      input:
        'FROM python:3.12@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n',
    },
    { name: 'not a Python image', input: 'FROM ubuntu:24.04\n' },
    { name: 'a previous stage', input: 'FROM python:3.12-slim-trixie AS base\nFROM base\n' },
    {
      name: 'full image in a multi-stage builder keeps its variant',
      input: 'FROM python:3.12-trixie AS build\nFROM python:3.12-slim-trixie\n',
    },
    { name: 'ARG default already pinned', input: 'ARG PY=3.12\nFROM python:${PY}-slim-bookworm\n' },
    {
      name: 'ARG version with the variant in the FROM',
      input: 'ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim-trixie\n',
    },
    {
      name: 'ARG holding a pinned image',
      input: 'ARG BASE=python:3.12-slim-trixie\nFROM ${BASE}\n',
    },
    {
      name: 'variant and release from ARGs, already pinned',
      input: 'ARG PY=3.12\nARG DEBIAN=bookworm\nFROM python:${PY}-slim-${DEBIAN}\n',
    },
    {
      name: 'one ARG, a full builder and a slim runtime, both pinned',
      input: 'ARG PY=3.12\nFROM python:${PY}-trixie AS build\nFROM python:${PY}-slim-trixie\n',
    },
    {
      name: 'a uv image with Python is left to pin-uv',
      input: 'FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nRUN uv sync\n',
    },
    {
      name: 'a uv image without Python where uv needs none',
      input: 'FROM ghcr.io/astral-sh/uv:0.5-debian\nRUN uv lock\n',
    },
    {
      name: "a uv image without Python given the distribution's",
      input:
        'FROM ghcr.io/astral-sh/uv:debian-slim\nRUN apt-get update && apt-get install -y python3\nRUN uv sync\n',
    },
  ],
  invalid: [
    {
      name: 'a Python 3.6 tag is pinned as written, on the last Debian release its images exist for',
      input: 'FROM python:3.6\nCMD ["python", "app.py"]\n',
      files: {},
      output: 'FROM python:3.6-slim-bullseye\nCMD ["python", "app.py"]\n',
      messages: [/Python 3\.6 from the original FROM/],
    },
    {
      name: 'Python 3.8 has no trixie images: bookworm',
      input: 'FROM python:3.8-slim\n',
      files: {},
      output: 'FROM python:3.8-slim-bookworm\n',
    },
    {
      name: 'latest, version from .python-version',
      input: 'FROM python:latest\n',
      files: PV,
      output: 'FROM python:3.11-slim-trixie\n',
      messages: [/from \.python-version/],
    },
    {
      name: 'no tag, version from requires-python',
      input: 'FROM python\n',
      output: 'FROM python:3.12-slim-trixie\n',
      messages: [/from requires-python/],
    },
    {
      name: 'no project facts: the default',
      input: 'FROM python:3\n',
      files: { 'uv.lock': '' },
      output: 'FROM python:3.12-slim-trixie\n',
      messages: [/from the default/],
    },
    {
      name: '--python wins',
      input: 'FROM python:3.11-slim\n',
      options: { python: '3.13' },
      output: 'FROM python:3.13-slim-trixie\n',
    },
    {
      name: 'explicit minor kept, disagreement reported',
      input: 'FROM python:3.11-bookworm\n',
      files: { ...UV_PROJECT, '.python-version': '3.12\n' },
      output: 'FROM python:3.11-slim-bookworm\n',
      messages: [/pins Python 3\.11 but \.python-version says 3\.12/],
    },
    {
      name: 'release named by --debian',
      input: 'FROM python:3.12-slim\n',
      options: { debian: 'bookworm' },
      output: 'FROM python:3.12-slim-bookworm\n',
    },
    {
      name: 'alpine stays alpine',
      input: 'FROM python:alpine\n',
      output: 'FROM python:3.12-alpine\n',
    },
    {
      name: 'registry prefix, platform flag and lowercase as kept',
      input:
        'from --platform=$BUILDPLATFORM docker.io/library/python:3.12 as build\nFROM python:3.12-slim-trixie\n',
      output:
        'from --platform=$BUILDPLATFORM docker.io/library/python:3.12-trixie as build\nFROM python:3.12-slim-trixie\n',
    },
    {
      // python:3.12.7 images were built on bookworm and bullseye only: trixie came out after 3.12.8.
      name: 'a patch-pinned slim tag gets no release it does not name',
      input: 'FROM python:3.12.7-slim\n',
      output: null,
      messages: [
        /^3\.12\.7 is pinned to a patch release; its images exist only for the Debian releases of its time, so none is added to its tag$/,
      ],
    },
    {
      name: 'a patch-pinned full tag of a single stage becomes its slim variant, without a release',
      input: 'FROM python:3.9.7\nCOPY . /app\nCMD ["python", "/app/bot.py"]\n',
      files: {},
      output: 'FROM python:3.9.7-slim\nCOPY . /app\nCMD ["python", "/app/bot.py"]\n',
      messages: [
        /^python:3\.9\.7 -> python:3\.9\.7-slim \(Python 3\.9 from the original FROM\)$/,
        /^3\.9\.7 is pinned to a patch release; its images exist only for the Debian releases of its time/,
      ],
    },
    {
      name: 'a Python 2 patch gets no buster: 2.7.13 predates it',
      input: 'FROM python:2.7.13\n',
      files: {},
      output: 'FROM python:2.7.13-slim\n',
    },
    {
      // The slim variant appeared in the autumn of 2014; an older patch keeps the image it names.
      name: 'a patch older than the slim variant stays the full image, with the reason',
      input: 'FROM python:2.7.7\n',
      files: {},
      output: null,
      messages: [/keeps the full image: no slim variant is known for a patch that old/],
    },
    {
      name: 'a patch-pinned builder and runtime of a multi-stage file are kept as written',
      input:
        'FROM python:3.10.8 AS builder\nRUN pip install pipenv\nFROM python:3.10.8-slim\nCOPY --from=builder /app/.venv .venv/\n',
      files: {},
      output: null,
      messages: [/^3\.10\.8 is pinned to a patch release/],
    },
    {
      name: 'a patch-pinned tag keeps the release it names, and becomes slim',
      input: 'FROM python:3.9.7-bullseye\n',
      files: {},
      output: 'FROM python:3.9.7-slim-bullseye\n',
    },
    {
      name: 'a patch-pinned tag on stretch is an official tag: it keeps the patch and stretch, and becomes slim',
      input: 'FROM python:3.7.3-stretch\n',
      files: {},
      output: 'FROM python:3.7.3-slim-stretch\n',
      messages: [
        /^python:3\.7\.3-stretch -> python:3\.7\.3-slim-stretch \(Python 3\.7 from the original FROM\)$/,
      ],
    },
    {
      name: '--debian does not apply to a patch-pinned tag',
      input: 'FROM python:3.11.3\n',
      files: {},
      options: { debian: 'bookworm' },
      output: 'FROM python:3.11.3-slim\n',
    },
    {
      name: "the release the file's other image names is not added to a patch-pinned tag",
      input:
        'FROM python:3.12-bookworm AS builder\nRUN pip install -r requirements.txt\nFROM python:3.12.7-slim\n',
      files: {},
      output: null,
      messages: [/^3\.12\.7 is pinned to a patch release/],
    },
    {
      name: 'a pre-release tag is a patch too: its suffix is kept',
      input: 'FROM python:3.13.0b1\n',
      files: {},
      output: 'FROM python:3.13.0b1-slim\n',
    },
    {
      name: 'ARG holding a patch: the FROM gets the variant and no release',
      input: 'ARG PYTHON_VERSION=3.10.8\nFROM python:${PYTHON_VERSION}\n',
      files: {},
      output: 'ARG PYTHON_VERSION=3.10.8\nFROM python:${PYTHON_VERSION}-slim\n',
      messages: [
        /^FROM python:\$\{PYTHON_VERSION\} -> python:\$\{PYTHON_VERSION\}-slim \(Python 3\.10 from ARG PYTHON_VERSION\); the ARG holds the version and the FROM the variant$/,
        /^3\.10\.8 is pinned to a patch release/,
      ],
    },
    {
      name: 'ARG holding a patch-pinned image',
      input: 'ARG BASE=python:3.11.3\nFROM ${BASE}\n',
      files: {},
      output: 'ARG BASE=python:3.11.3-slim\nFROM ${BASE}\n',
    },
    {
      // The ARG is named for a version: it stays one, so a --build-arg of 3.13 still gets slim-trixie.
      name: 'ARG default latest',
      input: 'ARG PYTHON_VERSION=latest\nFROM python:${PYTHON_VERSION}\n',
      output: 'ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim-trixie\n',
      messages: [/the ARG holds the version and the FROM the variant/],
    },
    {
      name: 'ARG holding the version, FROM holding the variant',
      input: 'ARG PYTHON_VERSION=3.11\nFROM python:${PYTHON_VERSION}-slim\n',
      output: 'ARG PYTHON_VERSION=3.11\nFROM python:${PYTHON_VERSION}-slim-trixie\n',
    },
    {
      name: 'ARG without a default',
      input: 'ARG PY\nFROM python:${PY}-slim\n',
      output: 'ARG PY=3.12\nFROM python:${PY}-slim-trixie\n',
    },
    {
      name: 'CRLF and no final newline',
      input: 'FROM python:latest\r\nCMD ["python"]',
      output: 'FROM python:3.12-slim-trixie\r\nCMD ["python"]',
    },
    {
      name: 'bare $VARIABLE: the variant goes after it, in braces',
      input: 'ARG PYTHON_VERSION=3.12\nFROM python:$PYTHON_VERSION\n',
      output: 'ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim-trixie\n',
    },
    {
      name: 'ARG bare major: the default becomes the minor',
      input: 'ARG PYTHON_VERSION=3\nFROM python:${PYTHON_VERSION}\n',
      files: PV,
      output: 'ARG PYTHON_VERSION=3.11\nFROM python:${PYTHON_VERSION}-slim-trixie\n',
      messages: [/ARG PYTHON_VERSION=3 -> 3\.11.*from \.python-version/],
    },
    {
      name: 'ARG named for a version without a default',
      input: 'ARG PYTHON_VERSION\nFROM python:${PYTHON_VERSION}\n',
      output: 'ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-slim-trixie\n',
    },
    {
      name: 'quoted ARG default keeps its quotes',
      input: 'ARG PYTHON_VERSION="3"\nFROM python:${PYTHON_VERSION}-slim\n',
      output: 'ARG PYTHON_VERSION="3.12"\nFROM python:${PYTHON_VERSION}-slim-trixie\n',
    },
    {
      // Callers pass whole tags to it (--build-arg PY=3.12-slim): splitting it would break them.
      name: 'ARG holding a whole tag is pinned as one',
      input: 'ARG PY=3.11-slim\nFROM python:${PY}\n',
      files: PV,
      output: 'ARG PY=3.11-slim-trixie\nFROM python:${PY}\n',
      messages: [/holds the whole tag/],
    },
    {
      name: 'ARG holding the image',
      input: 'ARG BASE=python:3.12\nFROM ${BASE}\n',
      output: 'ARG BASE=python:3.12-slim-trixie\nFROM ${BASE}\n',
      messages: [/every FROM \$\{BASE\} gets it/],
    },
    {
      name: 'ARG image read by two FROMs is edited once',
      input: 'ARG BASE=python:3.12-slim\nFROM ${BASE} AS builder\nRUN uv sync\nFROM $BASE\n',
      output:
        'ARG BASE=python:3.12-slim-trixie\nFROM ${BASE} AS builder\nRUN uv sync\nFROM $BASE\n',
    },
    {
      name: 'one version ARG, two FROMs: edited once, the release one names goes to both',
      input:
        'ARG PYTHON_VERSION=3\nFROM python:${PYTHON_VERSION}-bookworm AS builder\nRUN uv sync\nFROM python:${PYTHON_VERSION}-slim\n',
      output:
        'ARG PYTHON_VERSION=3.12\nFROM python:${PYTHON_VERSION}-bookworm AS builder\nRUN uv sync\nFROM python:${PYTHON_VERSION}-slim-bookworm\n',
    },
    {
      name: 'literal runtime takes the release the builder names',
      input: 'FROM python:3.12-slim-bookworm AS builder\nRUN uv sync\nFROM python:3.12-slim\n',
      output:
        'FROM python:3.12-slim-bookworm AS builder\nRUN uv sync\nFROM python:3.12-slim-bookworm\n',
    },
    {
      name: 'release from another ARG: only the version is pinned',
      input: 'ARG PY=3\nARG DEBIAN=bookworm\nFROM python:${PY}-slim-${DEBIAN}\n',
      output: 'ARG PY=3.12\nARG DEBIAN=bookworm\nFROM python:${PY}-slim-${DEBIAN}\n',
    },
    {
      name: 'variant from another ARG, release missing',
      input: 'ARG PY=3.12\nARG VARIANT=slim\nFROM python:${PY}-${VARIANT}\n',
      output: null,
      messages: [/come from variables \(-slim by default\)/],
    },
    {
      name: 'a pinned minor below requires-python is reported',
      input: 'FROM python:3.11-slim\n',
      output: 'FROM python:3.11-slim-trixie\n',
      messages: [/requires-python asks for 3\.12 or later; the pinned 3\.11 is kept/],
    },
    {
      name: 'uv image without Python: the official image, uv copied in, uv python install dropped',
      input:
        'FROM ghcr.io/astral-sh/uv:0.5-debian\n# The interpreter\nRUN uv python install 3.12\nWORKDIR /app\nRUN uv sync\n',
      output: `FROM python:3.12-slim-trixie\n${UV_COPY}\nWORKDIR /app\nRUN uv sync\n`,
      messages: [/moves to python:3\.12-slim-trixie \(Python 3\.12 from uv python install\)/],
    },
    {
      name: 'uv image without Python: version from .python-version, release from the tag',
      input:
        'FROM ghcr.io/astral-sh/uv:bookworm-slim AS build\nRUN uv sync\nCMD ["uv", "run", "app"]\n',
      files: PV,
      output: `FROM python:3.11-slim-bookworm AS build\n${UV_COPY}\nRUN uv sync\nCMD ["uv", "run", "app"]\n`,
    },
    {
      name: 'uv image without Python: a pinned uv stays that uv, the install leaves its chain',
      input:
        'FROM ghcr.io/astral-sh/uv:0.6.14-bookworm\nRUN uv python install && uv sync --frozen\n',
      output:
        'FROM python:3.12-slim-bookworm\nCOPY --from=ghcr.io/astral-sh/uv:0.6.14 /uv /uvx /bin/\nRUN uv sync --frozen\n',
    },
    {
      name: 'uv image without Python: exec-form install, UV_PYTHON decides',
      input:
        'FROM ghcr.io/astral-sh/uv:debian-slim\nENV UV_PYTHON=3.13\nRUN ["uv", "python", "install"]\nRUN uv sync\n',
      output: `FROM python:3.13-slim-trixie\n${UV_COPY}\nENV UV_PYTHON=3.13\nRUN uv sync\n`,
    },
    {
      name: 'uv image without Python under a stage that syncs; the runtime keeps its pinned 3.11',
      input:
        'FROM ghcr.io/astral-sh/uv:0.5-debian AS base\nFROM base AS builder\nRUN uv sync\nFROM python:3.11-slim-trixie\n',
      output: `FROM python:3.11-trixie AS base\n${UV_COPY}\nFROM base AS builder\nRUN uv sync\nFROM python:3.11-slim-trixie\n`,
      messages: [/Python 3\.11 from the runtime stage/],
    },
    {
      // Without Alpine packages, only the Python build changes: both are musl CPython.
      name: 'uv image on Alpine without packages moves to the Python Alpine image',
      input: 'FROM ghcr.io/astral-sh/uv:alpine\nRUN uv python install\nRUN uv sync\n',
      output:
        'FROM python:3.12-alpine\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/\nRUN uv sync\n',
      messages: [/it moves to python:3\.12-alpine \(Python 3\.12 from requires-python\)/],
    },
    {
      name: 'uv image on Alpine that installs Alpine packages is reported',
      input: 'FROM ghcr.io/astral-sh/uv:alpine\nRUN apk add --no-cache libpq\nRUN uv sync\n',
      output: null,
      messages: [
        /it installs Alpine packages, and python:3\.12-alpine may be another Alpine release/,
      ],
    },
    {
      name: 'uv image pinned by digest is reported',
      input:
        'FROM ghcr.io/astral-sh/uv:debian@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\nRUN uv sync\n',
      output: null,
      messages: [/pinned by digest/],
    },
    {
      name: "uv's standalone layout (the runtime receives uv's Python) is left alone",
      input:
        'FROM ghcr.io/astral-sh/uv:bookworm-slim AS builder\nENV UV_PYTHON_INSTALL_DIR=/python\nRUN uv python install 3.12\nRUN uv sync\nFROM debian:bookworm-slim\nCOPY --from=builder /python /python\n',
      output: null,
      messages: [/a later stage copies that Python \(\/python\)/],
    },
    {
      name: 'uv told to use only its own Python is reported',
      input: 'FROM ghcr.io/astral-sh/uv:debian\nRUN uv sync --managed-python\n',
      output: null,
      messages: [/`uv sync --managed-python` refuses the image's Python/],
    },
    {
      name: 'UV_MANAGED_PYTHON is reported',
      input: 'FROM ghcr.io/astral-sh/uv:debian\nENV UV_MANAGED_PYTHON=1\nRUN uv sync\n',
      output: null,
      messages: [/`ENV UV_MANAGED_PYTHON=1` refuses the image's Python/],
    },
    {
      name: 'PyPy asked for is reported',
      input: 'FROM ghcr.io/astral-sh/uv:debian\nRUN uv python install pypy@3.10\nRUN uv sync\n',
      output: null,
      messages: [/pypy@3\.10.*no official Python image provides/],
    },
    {
      name: 'uv python install in a heredoc is reported',
      input:
        'FROM ghcr.io/astral-sh/uv:debian\nRUN <<EOF\nuv python install 3.12\nEOF\nRUN uv sync\n',
      output: null,
      messages: [/not rewritten/],
    },
    {
      name: 'variable that is not a global ARG',
      input: 'FROM python:${PY}\n',
      output: null,
      messages: [/not a global ARG/],
    },
  ],
});

describe('pin-python-base: what is not reported', () => {
  it('a pinned minor above the lower bound of requires-python is what the bound allows', () => {
    const found = detect(transform, 'FROM python:3.13-slim\n');
    expect(found.map((f) => f.message)).toEqual([
      expect.stringMatching(/python:3\.13-slim -> python:3\.13-slim-trixie/),
    ]);
  });
});
