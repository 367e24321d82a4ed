import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/document.js';
import { envForRuntime, isToolSetting } from '../../src/core/tool-settings.js';

const env = (line: string) => {
  const doc = parse(`FROM python:3.12\n${line}\n`);
  return envForRuntime(doc, doc.stages[0].instructions[0]);
};

describe('the tools’ settings', () => {
  it.each([
    ['UV_COMPILE_BYTECODE', true],
    ['POETRY_VIRTUALENVS_IN_PROJECT', true],
    ['PIPENV_VENV_IN_PROJECT', true],
    ['PYTHONUNBUFFERED', false],
    ['VIRTUAL_ENV', false],
    ['MY_UV_THING', false],
  ])('%s is one: %s', (name, expected) => {
    expect(isToolSetting(name)).toBe(expected);
  });
});

describe('envForRuntime', () => {
  it.each([
    [
      'an app ENV as written, its comment lines kept',
      'ENV A=1 \\\n# why\n    B="two"',
      'ENV A=1 \\\n# why\n    B="two"',
    ],
    ['only tool settings: nothing', 'ENV UV_LINK_MODE=copy POETRY_NO_INTERACTION=1', null],
    ['PIPENV settings alone: nothing', 'ENV PIPENV_VENV_IN_PROJECT=1 PIPENV_NOSPIN=1', null],
    [
      'mixed: the app’s, as written',
      'ENV UV_LINK_MODE=copy APP="a b" \\\n    PORT=80',
      'ENV APP="a b" \\\n    PORT=80',
    ],
    [
      'a value built from a tool setting: whole',
      'ENV POETRY_HOME=/opt/p BIN=$POETRY_HOME/bin',
      'ENV POETRY_HOME=/opt/p BIN=$POETRY_HOME/bin',
    ],
    ['the legacy form', 'ENV APP_ENV prod', 'ENV APP_ENV prod'],
  ])('%s', (_, line, expected) => {
    expect(env(line)).toBe(expected);
  });
});
