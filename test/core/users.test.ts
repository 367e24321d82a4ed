import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/document.js';
import { accounts } from '../../src/core/users.js';

const read = (text: string) =>
  accounts(parse(text)).map((a) => [a.kind, a.name, a.id, a.primary, a.idOption, a.stage]);

describe('the users and groups a file creates', () => {
  it('useradd and groupadd, with and without ids, in chains', () => {
    expect(
      read(
        'FROM python:3.12-slim\nRUN apt-get update && groupadd -r app && useradd -r -g app -m app\nRUN useradd --uid 1000 -ms /bin/bash dev\n',
      ),
    ).toEqual([
      ['group', 'app', null, 'unknown', '--gid', 0],
      ['user', 'app', null, { group: 'app' }, '--uid', 0],
      ['user', 'dev', '1000', 'own', '--uid', 0],
    ]);
  });

  it("Debian's adduser and BusyBox's, told apart by the base image at the root of the stage chain", () => {
    expect(read("FROM python:3.12-slim\nRUN adduser --disabled-password --gecos '' web\n")).toEqual(
      [['user', 'web', null, 'own', '--uid', 0]],
    );
    expect(
      read(
        'FROM python:3.12-alpine AS base\nFROM base\nRUN addgroup -S app && adduser -S app -G app\n',
      ),
    ).toEqual([
      ['group', 'app', null, 'unknown', '-g', 1],
      ['user', 'app', null, { group: 'app' }, '-u', 1],
    ]);
  });

  it('adding an existing user to a group creates nothing', () => {
    expect(read('FROM python:3.12-slim\nRUN adduser web sudo\n')).toEqual([]);
  });
});
