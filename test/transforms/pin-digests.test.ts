import { describe, expect, it } from 'vitest';
import transform from '../../transforms/pin-digests.js';
import { parse } from '../../src/core/document.js';
import {
  canonicalImage,
  formatDigestMap,
  imageSites,
  parseDigestMap,
} from '../../src/core/digests.js';
import { buildContext } from '../../src/core/context.js';
import { migrate } from '../../src/core/engine.js';
import { DEFAULT_OPTIONS } from '../../src/core/types.js';
import { detect, transformTable } from '../helpers/transform-table.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;
const DIGESTS = {
  'docker.io/library/python:3.12-slim-trixie': A,
  'ghcr.io/astral-sh/uv:0.13.8': B,
  'registry.example.com:5000/team/base:1.4': C,
};
const pin = { digests: DIGESTS };

transformTable(transform, {
  valid: [
    {
      name: 'off without --pin-digests or --digests (digests null)',
      input: 'FROM python:3.12-slim-trixie\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /bin/\n',
    },
    {
      name: 'already pinned by digest',
      input: `FROM python:3.12-slim-trixie@${A}\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8@${B} /uv /bin/\n`,
      options: pin,
    },
    {
      name: 'stages, stage indexes and scratch are not images',
      input: `FROM python:3.12-slim-trixie@${A} AS Build\nFROM build AS test\nCOPY --from=BUILD /app /app\nCOPY --from=0 /app /b\nRUN --mount=type=bind,from=build,target=/x true\nFROM scratch\n`,
      options: pin,
    },
  ],
  invalid: [
    {
      name: 'FROM, both stages',
      input:
        'FROM python:3.12-slim-trixie AS builder\nRUN true\nFROM python:3.12-slim-trixie\nCMD ["python"]\n',
      options: pin,
      output: `FROM python:3.12-slim-trixie@${A} AS builder\nRUN true\nFROM python:3.12-slim-trixie@${A}\nCMD ["python"]\n`,
      messages: [
        /^python:3\.12-slim-trixie -> python:3\.12-slim-trixie@sha256:aaaaaaaaaaaa… \(FROM\)$/,
      ],
    },
    {
      name: 'the tag stays; --platform and the stage name are kept',
      input: 'FROM --platform=$BUILDPLATFORM docker.io/library/python:3.12-slim-trixie AS b\n',
      options: pin,
      output: `FROM --platform=$BUILDPLATFORM docker.io/library/python:3.12-slim-trixie@${A} AS b\n`,
    },
    {
      name: 'COPY --from an image, among other flags',
      input:
        'FROM python:3.12-slim-trixie\nCOPY --link --from=ghcr.io/astral-sh/uv:0.13.8 --chown=1:1 /uv /uvx /bin/\n',
      options: pin,
      output: `FROM python:3.12-slim-trixie@${A}\nCOPY --link --from=ghcr.io/astral-sh/uv:0.13.8@${B} --chown=1:1 /uv /uvx /bin/\n`,
      messages: [/\(COPY --from\)/],
    },
    {
      name: 'RUN --mount from an image, in the middle of the mount options',
      input:
        'FROM python:3.12-slim-trixie\nRUN --mount=type=bind,from=ghcr.io/astral-sh/uv:0.13.8,source=/uv,target=/bin/uv \\\n    uv sync\n',
      options: pin,
      output: `FROM python:3.12-slim-trixie@${A}\nRUN --mount=type=bind,from=ghcr.io/astral-sh/uv:0.13.8@${B},source=/uv,target=/bin/uv \\\n    uv sync\n`,
    },
    {
      name: 'a private registry with a port',
      input: 'FROM registry.example.com:5000/team/base:1.4\n',
      options: pin,
      output: `FROM registry.example.com:5000/team/base:1.4@${C}\n`,
    },
    {
      name: 'a global ARG that is the whole image: its default is pinned, once for two FROMs',
      input:
        'ARG BASE=python:3.12-slim-trixie\nFROM ${BASE} AS builder\nRUN true\nFROM $BASE\nCMD ["python"]\n',
      options: pin,
      output: `ARG BASE=python:3.12-slim-trixie@${A}\nFROM \${BASE} AS builder\nRUN true\nFROM $BASE\nCMD ["python"]\n`,
      messages: [/\(ARG BASE \(the image of a FROM\)\)/],
    },
    {
      name: 'CRLF and a BOM are kept',
      input: '\uFEFFFROM python:3.12-slim-trixie\r\nCMD ["python"]\r\n',
      options: pin,
      output: `\uFEFFFROM python:3.12-slim-trixie@${A}\r\nCMD ["python"]\r\n`,
    },
    {
      name: 'an image with no digest in the map: an error, not fixed',
      input: 'FROM python:3.13-slim-trixie\n',
      options: pin,
      output: null,
      messages: [
        /python:3\.13-slim-trixie \(FROM\) is not pinned: no digest is known for docker\.io\/library\/python:3\.13-slim-trixie; add it to the --digests file or run with --pin-digests/,
      ],
    },
    {
      name: 'an image mapped to null is left unpinned on purpose, with a note',
      input: 'FROM team-base:1\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /bin/\n',
      options: { digests: { ...DIGESTS, 'docker.io/library/team-base:1': null } },
      output: `FROM team-base:1\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8@${B} /uv /bin/\n`,
      messages: [
        /^team-base:1 \(FROM\) is left unpinned: the digests file maps docker\.io\/library\/team-base:1 to null$/,
      ],
    },
    {
      name: 'part of the reference from a variable: reported, not fixed',
      input: 'ARG PY=3.12\nFROM python:${PY}-slim-trixie\n',
      options: pin,
      output: null,
      messages: [/built from a variable, so it cannot be pinned to one digest/],
    },
  ],
});

describe('pin-digests severities', () => {
  it('an image mapped to null is only a note (the file is complete)', () => {
    const left = detect(transform, 'FROM team-base:1\n', undefined, {
      digests: { 'docker.io/library/team-base:1': null },
    });
    expect(left.map((f) => f.severity)).toEqual(['info']);
  });

  it('an unknown digest is an error (the file is left incomplete), a variable a warning', () => {
    const unknown = detect(transform, 'FROM python:3.13-slim\n', undefined, pin);
    expect(unknown.map((f) => f.severity)).toEqual(['error']);
    const variable = detect(transform, 'FROM python:${PY}\n', undefined, pin);
    expect(variable.map((f) => f.severity)).toEqual(['warning']);
  });
});

describe('canonical image names (the keys of a digest map)', () => {
  it.each([
    ['python', 'docker.io/library/python:latest'],
    ['python:3.12-slim', 'docker.io/library/python:3.12-slim'],
    ['library/python:3.12', 'docker.io/library/python:3.12'],
    ['docker.io/python:3.12', 'docker.io/library/python:3.12'],
    ['index.docker.io/library/python:3.12', 'docker.io/library/python:3.12'],
    ['bitnami/python:3.12', 'docker.io/bitnami/python:3.12'],
    ['ghcr.io/astral-sh/uv:0.13.8', 'ghcr.io/astral-sh/uv:0.13.8'],
    ['GHCR.IO/astral-sh/uv:0.13.8', 'ghcr.io/astral-sh/uv:0.13.8'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['127.0.0.1:5000/library/python:3.12', '127.0.0.1:5000/library/python:3.12'],
  ])('%s -> %s', (ref, key) => {
    expect(canonicalImage(ref)?.key).toBe(key);
  });

  it.each([`python:3.12@${A}`, '$BASE', 'python:${PY}', 'Python:3.12', 'python:3.12)'])(
    '%s has none (pinned, variable, or not a reference)',
    (ref) => {
      expect(canonicalImage(ref)).toBeNull();
    },
  );

  it('splits host, repository and tag for the registry', () => {
    expect(canonicalImage('registry.example.com:5000/team/base:1.4')).toEqual({
      host: 'registry.example.com:5000',
      repository: 'team/base',
      tag: '1.4',
      key: 'registry.example.com:5000/team/base:1.4',
    });
  });
});

describe('the images a Dockerfile pulls', () => {
  it('lists FROM, COPY --from and RUN --mount from images with their exact ranges', () => {
    const text =
      'FROM python:3.12 AS b\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /bin/\nRUN --mount=from=alpine:3.20,target=/a true\nCOPY --from=b /x /y\nFROM b\n';
    const sites = imageSites(parse(text));
    expect(sites.map((s) => [s.where, s.image, text.slice(s.start, s.end)])).toEqual([
      ['FROM', 'python:3.12', 'python:3.12'],
      ['COPY --from', 'ghcr.io/astral-sh/uv:0.13.8', 'ghcr.io/astral-sh/uv:0.13.8'],
      ['RUN --mount from', 'alpine:3.20', 'alpine:3.20'],
    ]);
  });

  it('the migration result names each image still without a digest once, for run to resolve', () => {
    const text = `FROM python:3.12-slim AS a\nFROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8@${B} /uv /bin/\nRUN --mount=from=alpine:3.20,target=/a true\n`;
    const result = migrate(
      {
        path: 'Dockerfile',
        text,
        context: buildContext({ dockerfile: 'Dockerfile', files: { 'uv.lock': '' } }),
      },
      { ...DEFAULT_OPTIONS, digests: { 'docker.io/library/alpine:3.20': null } },
      [transform],
    );
    expect(result.findings.flatMap((f) => (f.missingDigest ? [f.missingDigest] : []))).toEqual([
      canonicalImage('python:3.12-slim'),
    ]);
  });
});

describe('digest map files', () => {
  it('accepts any spelling of a reference and keys it canonically', () => {
    expect(
      parseDigestMap(
        JSON.stringify({ 'python:3.12-slim-trixie': A, 'ghcr.io/astral-sh/uv:0.13.8': B }),
        'd.json',
      ),
    ).toEqual({
      map: {
        'docker.io/library/python:3.12-slim-trixie': A,
        'ghcr.io/astral-sh/uv:0.13.8': B,
      },
    });
  });

  it.each([
    ['not JSON', '{', /d\.json: not valid JSON/],
    ['a list', '[]', /must be a JSON object of image -> digest/],
    ['a bad digest', '{"python:3.12": "sha256:abc"}', /digest of "python:3\.12" must be "sha256:"/],
    ['an upper-case digest', `{"python:3.12": "${A.toUpperCase()}"}`, /must be "sha256:"/],
    ['a key with a digest', `{"python:3.12@${A}": "${A}"}`, /is not an image reference without/],
    [
      'two digests for one image',
      `{"python:3.12": "${A}", "docker.io/library/python:3.12": "${B}"}`,
      /"docker\.io\/library\/python:3\.12" is given two different digests/,
    ],
  ])('refuses %s with a message naming the file', (_, text, message) => {
    const parsed = parseDigestMap(text, 'd.json');
    expect('error' in parsed && parsed.error).toMatch(message);
  });

  it('takes null for an image left unpinned on purpose', () => {
    expect(parseDigestMap('{"team-base:1": null}', 'd.json')).toEqual({
      map: { 'docker.io/library/team-base:1': null },
    });
  });

  it('is written sorted, and reads back to the same map', () => {
    const map = { 'z.io/a:1': A, 'docker.io/library/python:3.12': B, 'docker.io/local/x:1': null };
    const text = formatDigestMap(map);
    expect(text).toBe(
      `{\n  "docker.io/library/python:3.12": "${B}",\n  "docker.io/local/x:1": null,\n  "z.io/a:1": "${A}"\n}\n`,
    );
    expect(parseDigestMap(text, 'd.json')).toEqual({ map });
  });
});
