import transform from '../../transforms/pin-python-base.js';
import { transformTable, UV_PROJECT } from '../helpers/transform-table.js';

const PV = { ...UV_PROJECT, '.python-version': '3.11\n' };

transformTable(transform, {
  valid: [
    { name: 'pinned slim with release', input: 'FROM python:3.12-slim-trixie\n' },
    { name: 'pinned alpine', input: 'FROM python:3.12-alpine3.20\n' },
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
  ],
  invalid: [
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
      name: 'patch version kept',
      input: 'FROM python:3.12.7-slim\n',
      output: 'FROM python:3.12.7-slim-trixie\n',
    },
    {
      name: 'ARG default latest',
      input: 'ARG PYTHON_VERSION=latest\nFROM python:${PYTHON_VERSION}\n',
      output: 'ARG PYTHON_VERSION=3.12-slim-trixie\nFROM python:${PYTHON_VERSION}\n',
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
      name: 'variable that is not a global ARG',
      input: 'FROM python:${PY}\n',
      output: null,
      messages: [/not a global ARG/],
    },
  ],
});
