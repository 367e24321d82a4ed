/**
 * The parsers that cost a start are loaded on first use: a run over a Dockerfile without Compose
 * files and with plain shell text never loads `yaml` or `mvdan-sh` (each ~30-90 ms).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, repo } from '../helpers/cli.js';

/** Migrate one tree in a fresh process (the built core) and list which lazy parsers got loaded. */
function loadedAfter(files: Record<string, string>): string[] {
  const script = `
    import { createRequire } from 'node:module';
    const { migrate } = await import(${JSON.stringify(join(repo, 'dist/src/core/engine.js'))});
    const { buildContext } = await import(${JSON.stringify(join(repo, 'dist/src/core/context.js'))});
    const { DEFAULT_OPTIONS } = await import(${JSON.stringify(join(repo, 'dist/src/core/types.js'))});
    const { TRANSFORMS } = await import(${JSON.stringify(join(repo, 'dist/transforms/index.js'))});
    const files = ${JSON.stringify(files)};
    const r = migrate({ path: 'Dockerfile', text: files.Dockerfile, context: buildContext({ dockerfile: 'Dockerfile', files }) }, DEFAULT_OPTIONS, TRANSFORMS);
    if (r.status !== 'changed') throw new Error(r.status + ' ' + r.errors);
    const cache = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify(['yaml', 'mvdan-sh'].filter((p) => cache.some((k) => k.includes('/node_modules/' + p + '/')))));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as string[];
}

const PROJECT = {
  'pyproject.toml': '[project]\nname = "x"\n',
  'uv.lock': '',
  Dockerfile:
    'FROM python:latest\nWORKDIR /app\nRUN pip install uv\nCOPY . .\nRUN uv sync --locked\nCMD uv run uvicorn app:app --reload\n',
};

describe('lazily loaded parsers', () => {
  it('a plain project loads neither yaml nor mvdan-sh', () => {
    assertBuilt();
    expect(loadedAfter(PROJECT)).toEqual([]);
  });

  it('a Compose file loads yaml (so the check above can fail)', () => {
    expect(
      loadedAfter({
        ...PROJECT,
        'compose.yaml': 'services:\n  api:\n    build: .\n    command: uv run app\n',
      }),
    ).toContain('yaml');
  });
});
