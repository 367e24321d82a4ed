import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/document.js';
import {
  buildOnly,
  packagesFromVariable,
  runtimeLibrary,
  systemPackages,
} from '../../src/core/packages.js';

describe('system packages', () => {
  it('apt-get, apt and apk installs, options and their values skipped', () => {
    const doc = parse(
      'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends -t bookworm-backports libpq-dev gcc \\\n    curl=7.88.* && rm -rf /var/lib/apt/lists/*\nRUN /usr/bin/apt install -o Dpkg::Options::=--force-confnew tini\nRUN apk add --no-cache --virtual .build musl-dev postgresql-dev\n',
    );
    expect(systemPackages(doc, doc.stages[0]).map((p) => `${p.manager}:${p.name}`)).toEqual([
      'apt:libpq-dev',
      'apt:gcc',
      'apt:curl=7.88.*',
      'apt:tini',
      'apk:musl-dev',
      'apk:postgresql-dev',
    ]);
  });

  it('build-only packages and the run-time library a header package serves', () => {
    expect(['gcc', 'libpq-dev', 'curl=7.88.*', 'build-base', 'unzip'].every(buildOnly)).toBe(true);
    expect(['libpq5', 'tini', 'ffmpeg'].some(buildOnly)).toBe(false);
    expect(runtimeLibrary({ manager: 'apt', name: 'libpq-dev=15.*' })).toBe('libpq5');
    expect(runtimeLibrary({ manager: 'apk', name: 'postgresql-dev' })).toBe('libpq');
    expect(runtimeLibrary({ manager: 'apt', name: 'gcc' })).toBeNull();
  });
});

describe('packages named through a variable', () => {
  it('reads the packages of a variable the same RUN assigns a literal', () => {
    const doc = parse(
      'FROM x\nRUN set -ex && DEPS=" \\\n    libpq5 \\\n    gcc \\\n  " \\\n && apt-get install -y --no-install-recommends $DEPS\n',
    );
    expect(packagesFromVariable(doc, doc.stages[0])).toBeNull();
    expect(systemPackages(doc, doc.stages[0]).map((p) => p.name)).toEqual(['libpq5', 'gcc']);
    const arg = parse('FROM x\nARG DEPS="libpq5 tini"\nRUN apt-get install -y $DEPS\n');
    expect(systemPackages(arg, arg.stages[0]).map((p) => p.name)).toEqual(['libpq5', 'tini']);
  });

  it('finds the RUN whose install names a package by an expansion that cannot be told', () => {
    for (const run of [
      'if [ "$X" = 1 ]; then DEPS="a b"; fi && apt-get install -y $DEPS',
      'DEPS=$(cat /deps) && apt-get install -y $DEPS',
      'apt-get install -y $DEPS',
    ]) {
      const doc = parse(`FROM x\nARG X\nRUN apt-get install -y curl\nRUN ${run}\n`);
      expect(packagesFromVariable(doc, doc.stages[0])?.line, run).toBe(3);
    }
    const unknown = parse('FROM x\nARG DEPS\nRUN apt-get install -y $DEPS\n');
    expect(packagesFromVariable(unknown, unknown.stages[0])?.line).toBe(2);
    const plain = parse('FROM x\nRUN apk add --no-cache -X $MIRROR tini\n');
    expect(packagesFromVariable(plain, plain.stages[0])).toBeNull();
  });
});
