import { describe, expect, it } from 'vitest';
import {
  buildsDockerfile,
  developmentOf,
  nodeRange,
  parseCompose,
} from '../../src/core/compose.js';
import { commandOverride, uvRunPrefix } from '../../src/core/compose-command.js';

function services(text: string, path = 'compose.yaml') {
  const parsed = parseCompose(path, text);
  if ('error' in parsed) throw new Error(parsed.error);
  return { parsed, byName: new Map(parsed.services.map((s) => [s.name, s])) };
}

describe('which services build a Dockerfile', () => {
  it('compares paths from the repository root', () => {
    const { byName } = services(
      'services:\n  api:\n    build: services/api\n  web:\n    build: web\n  db:\n    image: postgres\n',
      '../../compose.yaml',
    );
    // The context services/api holds the Dockerfile; the Compose file lies two levels up.
    expect(buildsDockerfile(byName.get('api')!, 'Dockerfile', 'services/api')).toBe(true);
    expect(buildsDockerfile(byName.get('web')!, 'Dockerfile', 'services/api')).toBe(false);
    expect(buildsDockerfile(byName.get('db')!, 'Dockerfile', 'services/api')).toBe(false);
  });

  it('tells a development setup by the file name or by the service', () => {
    const text =
      'services:\n  api:\n    build: .\n    volumes: ["./src:/app/src"]\n  worker:\n    build: .\n';
    const { byName } = services(text);
    expect(developmentOf('compose.yaml', byName.get('worker')!)).toBeNull();
    expect(developmentOf('compose.yaml', byName.get('api')!)).toBe(
      'it bind-mounts the source (./src)',
    );
    expect(developmentOf('docker-compose.dev.yml', byName.get('worker')!)).toBe(
      'the file is a development override',
    );
  });
});

describe('a service command override', () => {
  const text =
    '\uFEFFx-base: &base\n  command: uv run app\nservices:\n' +
    '  set:\n    build: .\n    command: ["uv", "run", "app"]\n' +
    '  merged:\n    <<: *base\n    build: .\n' +
    '  shared:\n    build: .\n    command: &cmd app --debug\n    entrypoint: *cmd\n' +
    '  none:\n    build: .\n';
  const { parsed, byName } = services(text);

  it('is the value as written, through a merge key, why it cannot be read, or none', () => {
    const set = commandOverride(parsed, byName.get('set')!, 'command');
    expect(set && 'value' in set && set.value).toEqual(['uv', 'run', 'app']);
    expect(commandOverride(parsed, byName.get('merged')!, 'command')).toEqual({
      merged: 'uv run app',
    });
    const shared = commandOverride(parsed, byName.get('shared')!, 'entrypoint');
    expect(shared && 'why' in shared && shared.why).toBe(
      'it is an alias (*cmd) shared with other keys',
    );
    expect(commandOverride(parsed, byName.get('none')!, 'command')).toBeNull();
  });

  it('points at its node in the file, after the BOM', () => {
    const set = commandOverride(parsed, byName.get('set')!, 'command');
    const range = set && 'node' in set ? nodeRange(parsed, set.node) : undefined;
    expect(range && text.slice(range.start, range.end)).toBe('["uv", "run", "app"]');
  });
});

describe('an entrypoint that only prefixes uv run', () => {
  it.each([
    ['uv run', 'uv run'],
    [['uv', 'run', '--frozen'], 'uv run --frozen'],
    ['uv run app', null],
    [['uv', 'run', '--with', 'rich'], null],
    ['uv run && app', null],
  ] as [string | string[], string | null][])('%j -> %j', (value, prefix) => {
    expect(uvRunPrefix(value)).toBe(prefix);
  });
});
