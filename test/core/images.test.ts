import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/document.js';
import { buildContext } from '../../src/core/context.js';
import { applyEdits } from '../../src/core/edit.js';
import {
  baseImageOf,
  disagreement,
  expandGlobalArgs,
  parsePythonTag,
  parseUvTag,
  pinsPatch,
  runtimeImageFor,
  sameInterpreter,
  sameRelease,
  slimPublished,
  versionOf,
  stageHasPython,
  debianReleaseFor,
} from '../../src/core/images.js';
import { managedVersion, pythonInstalls, stagesOn } from '../../src/core/managed-python.js';
import { DEFAULT_OPTIONS } from '../../src/core/types.js';

const context = (files: Record<string, string>) =>
  buildContext({ dockerfile: 'Dockerfile', files: { 'uv.lock': '', ...files } });
const project = (requires: string) =>
  context({ 'pyproject.toml': `[project]\nname = "a"\nrequires-python = "${requires}"\n` });

describe('images: references through ARGs and stages', () => {
  it('expands global ARG defaults, and gives up on what a FROM cannot see', () => {
    const doc = parse('ARG PY=3.12\nARG EMPTY\nFROM python:${PY}-slim\nARG LOCAL=1\n');
    expect(expandGlobalArgs(doc, 'python:${PY}-slim')).toBe('python:3.12-slim');
    expect(expandGlobalArgs(doc, 'python:$PY')).toBe('python:3.12');
    expect(expandGlobalArgs(doc, 'python:${EMPTY}')).toBeNull();
    expect(expandGlobalArgs(doc, 'python:${LOCAL}')).toBeNull();
    expect(expandGlobalArgs(doc, 'python:${PY:-3.11}')).toBeNull();
  });

  it('follows stages and ARGs to the image a stage stands on', () => {
    const doc = parse(
      'ARG BASE=ghcr.io/astral-sh/uv:python3.12-bookworm-slim\nFROM ${BASE} AS a\nFROM a AS b\nFROM ghcr.io/astral-sh/uv:debian\nFROM ${NOPE}\nFROM my/python-base:1\n',
    );
    expect(baseImageOf(doc, doc.stages[1])).toBe('ghcr.io/astral-sh/uv:python3.12-bookworm-slim');
    expect(doc.stages.map((s) => stageHasPython(doc, s))).toEqual([true, true, false, false, true]);
  });

  it('reads slim uv tags', () => {
    expect(parseUvTag('0.5-debian-slim')).toMatchObject({ uv: '0.5', slim: true, debian: null });
    expect(parseUvTag('bookworm')).toMatchObject({ slim: false, debian: 'bookworm' });
    expect(parseUvTag('python3.12-trixie-slim')).toMatchObject({ python: '3.12', slim: true });
  });

  it('a pinned minor disagrees with .python-version, or with requires-python only below its bound', () => {
    expect(disagreement('3.12', context({ '.python-version': '3.11\n' }))).toMatch(
      /\.python-version says 3\.11/,
    );
    expect(disagreement('3.13', project('>=3.11'))).toBeNull();
    expect(disagreement('3.10', project('>=3.11'))).toMatch(/asks for 3\.11 or later/);
  });
});

describe('managed-python', () => {
  const version = (text: string, ctx = project('>=3.11'), pinned = null) => {
    const doc = parse(text);
    const stages = stagesOn(doc, doc.stages[0]);
    const installs = pythonInstalls(doc, stages);
    const requested = 'requested' in installs ? installs.requested : [];
    return managedVersion(doc, stages, requested, ctx, DEFAULT_OPTIONS, pinned);
  };

  it("chooses the Python as uv would: UV_PYTHON / --python, .python-version, the install's, requires-python", () => {
    const withPv = context({ '.python-version': '3.11\n' });
    expect(version('FROM u\nENV UV_PYTHON=3.13\nRUN uv python install 3.12\n', withPv)).toEqual({
      version: '3.13',
      source: 'UV_PYTHON',
    });
    expect(version('FROM u\nRUN uv venv --python 3.10\n')).toEqual({
      version: '3.10',
      source: 'uv --python',
    });
    expect(version('FROM u\nRUN uv python install 3.12\n', withPv)).toMatchObject({
      version: '3.11',
    });
    expect(version('FROM u\nRUN uv python install cpython-3.13.1\n')).toMatchObject({
      version: '3.13',
    });
    expect(version('FROM u\nRUN uv python install 3.12 3.13\n')).toMatchObject({
      version: '3.11',
      source: 'requires-python',
    });
    expect(version('FROM u\nRUN uv python install 3.13t\n')).toEqual({
      unsupported: 'Python 3.13t (uv python install)',
    });
  });

  it('drops installs whole, alone in a chain, or as one run of adjacent statements', () => {
    const drop = (text: string) => {
      const doc = parse(text);
      const found = pythonInstalls(doc, doc.stages);
      return 'edits' in found ? applyEdits(text, found.edits) : found.stuck;
    };
    expect(drop('FROM u\n# Python\nRUN uv python install\nRUN uv sync\n')).toBe(
      'FROM u\nRUN uv sync\n',
    );
    expect(drop('FROM u\n\n# Python\nRUN uv python install\n\nRUN uv sync\n')).toBe(
      'FROM u\n\nRUN uv sync\n',
    );
    expect(drop('FROM u\nRUN apt-get update && uv python install 3.12 && uv sync\n')).toBe(
      'FROM u\nRUN apt-get update && uv sync\n',
    );
    expect(drop('FROM u\nRUN uv sync && uv python install 3.12 && uv python install 3.13\n')).toBe(
      'FROM u\nRUN uv sync\n',
    );
    expect(drop('FROM u\nRUN uv python install 3.12 | tee log\n')).toMatch(
      /inside a longer command/,
    );
  });
});

describe('sameInterpreter', () => {
  it('matches minor, libc and release; a full builder fits a slim runtime', () => {
    expect(sameInterpreter('python:3.12-trixie', 'python:3.12-slim-trixie')).toBe(true);
    expect(sameInterpreter('python:3.12-slim', 'python:3.12-slim-trixie')).toBe(true);
    expect(
      sameInterpreter('ghcr.io/astral-sh/uv:python3.12-bookworm-slim', 'python:3.12-slim-bookworm'),
    ).toBe(true);
    expect(sameInterpreter('python:3.12-slim-bookworm', 'python:3.12-slim-trixie')).toBe(false);
    expect(sameInterpreter('python:3.12-slim', 'python:3.11-slim')).toBe(false);
    expect(sameInterpreter('python:3.12-slim', 'python:3.12-alpine')).toBe(false);
    expect(sameInterpreter('python:3-slim', 'python:3-slim')).toBe(false);
  });
});

describe('patch-pinned Python tags', () => {
  const tag = parsePythonTag;

  it('reads the patch, a pre-release included, and gives the version as written', () => {
    expect(tag('3.9.7')).toMatchObject({
      python: '3.9',
      patch: '7',
      variant: 'full',
      debian: null,
    });
    expect(tag('3.13.0b1-slim')).toMatchObject({ python: '3.13', patch: '0b1', variant: 'slim' });
    expect(versionOf(tag('3.9.7-slim-bullseye'))).toBe('3.9.7');
    expect(versionOf(tag('3.13.0b1'))).toBe('3.13.0b1');
    expect(versionOf(tag('3.12-slim'))).toBe('3.12');
    expect(versionOf(tag('latest'))).toBeNull();
  });

  it('a patch is pinned; a minor, a bare major or latest is not', () => {
    expect(pinsPatch(tag('3.9.7'))).toBe(true);
    expect(pinsPatch(tag('2.7.13-slim'))).toBe(true);
    expect(pinsPatch(tag('3.12-slim-trixie'))).toBe(false);
    expect(pinsPatch(tag('3'))).toBe(false);
    expect(pinsPatch(tag('latest'))).toBe(false);
  });

  it('the slim variant exists for patches since the autumn of 2014', () => {
    expect(slimPublished(tag('3.9.7'))).toBe(true);
    expect(slimPublished(tag('2.7.13'))).toBe(true);
    expect(slimPublished(tag('2.7.9'))).toBe(true);
    expect(slimPublished(tag('2.7.7'))).toBe(false);
    expect(slimPublished(tag('3.4.1'))).toBe(false);
    expect(slimPublished(tag('3.4.2'))).toBe(true);
    expect(slimPublished(tag('2.6.9'))).toBe(false);
    expect(slimPublished(tag('3.12'))).toBe(false);
  });

  it("an unnamed release of a patch is its time's default, shared only by the same patch", () => {
    expect(sameRelease(tag('3.9.7'), tag('3.9.7-slim'))).toBe(true);
    expect(sameRelease(tag('3.9.7'), tag('3.9.8-slim'))).toBe(false);
    expect(sameRelease(tag('3.9.7'), tag('3.9-slim'))).toBe(false);
    expect(sameRelease(tag('3.9.7'), tag('3.9.7-slim-bullseye'))).toBe(false);
    expect(sameRelease(tag('3.9.7-bullseye'), tag('3.9-slim-bullseye'))).toBe(true);
    expect(sameRelease(tag('3.12'), tag('3.12-slim-trixie'))).toBe(true);
    // 3.6's images ended on bullseye: its unnamed tags are bullseye, not today's trixie.
    expect(sameRelease(tag('3.6'), tag('3.6-slim-bullseye'))).toBe(true);
  });

  it('a runtime for a patch-pinned builder is the same patch on the same unnamed release', () => {
    expect(runtimeImageFor('python:3.9.7-slim')).toBe('python:3.9.7-slim');
    expect(sameInterpreter('python:3.10.8', 'python:3.10.8-slim')).toBe(true);
    expect(sameInterpreter('python:3.10.8', 'python:3.10-slim')).toBe(false);
    expect(sameInterpreter('python:3.12.7-slim-bookworm', 'python:3.12-slim-bookworm')).toBe(true);
  });
});

describe('tags on the Debian releases before buster', () => {
  const tag = parsePythonTag;

  it('reads a stretch or jessie release as a release, not an unknown variant', () => {
    expect(tag('3.7.3-stretch')).toMatchObject({
      python: '3.7',
      patch: '3',
      variant: 'full',
      debian: 'stretch',
    });
    expect(tag('3.6-slim-jessie')).toMatchObject({ variant: 'slim', debian: 'jessie' });
    expect(versionOf(tag('3.7.3-stretch'))).toBe('3.7.3');
    // wheezy's images had no slim variant to move to: still a variant dockmig does not know.
    expect(tag('2.7.9-wheezy').variant).toBe('other');
  });

  it('a stretch builder has its Python on the same patch, slim, on stretch and nowhere else', () => {
    expect(runtimeImageFor('python:3.7.3-stretch')).toBe('python:3.7.3-stretch');
    expect(sameInterpreter('python:3.7.3-stretch', 'python:3.7.3-slim-stretch')).toBe(true);
    expect(sameInterpreter('python:3.7.3-stretch', 'python:3.7.3-slim-buster')).toBe(false);
    expect(sameInterpreter('python:3.7.3-stretch', 'python:3.7.3-slim')).toBe(false);
  });

  it('keeps an old release as written: it is older than any a minor ended on', () => {
    expect(debianReleaseFor('3.7', 'stretch')).toBe('stretch');
    expect(debianReleaseFor('2.7', 'jessie')).toBe('jessie');
  });
});

describe('debianReleaseFor', () => {
  it('keeps a release the minor has images for', () => {
    expect(debianReleaseFor('3.12', 'trixie')).toBe('trixie');
    expect(debianReleaseFor('3.8', 'bullseye')).toBe('bullseye');
  });
  it('falls back to the last release of a minor that ended before it', () => {
    expect(debianReleaseFor('3.8', 'trixie')).toBe('bookworm');
    expect(debianReleaseFor('3.7', 'trixie')).toBe('bookworm');
    expect(debianReleaseFor('3.6', 'bookworm')).toBe('bullseye');
    expect(debianReleaseFor('3.5', 'trixie')).toBe('buster');
    expect(debianReleaseFor('2.7', 'trixie')).toBe('buster');
  });
});
