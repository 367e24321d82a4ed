import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, tempDir } from '../helpers/cli.js';
import { afterEach, describe, expect, it } from 'vitest';
import { readJson, writeJsonState } from '../../src/io/state.js';

const dir = () => tempDir('dockmig-state-');
afterEach(cleanup);

describe('readJson', () => {
  it('reads the value back; no file is undefined, not an error', () => {
    const d = dir();
    writeFileSync(join(d, 'state.json'), '{"version": 1, "repos": {}}\n');
    expect(readJson(join(d, 'state.json'))).toEqual({ version: 1, repos: {} });
    expect(readJson(join(d, 'absent.json'))).toBeUndefined();
    // JSON's own null is a value, told apart from a missing file.
    writeFileSync(join(d, 'null.json'), 'null');
    expect(readJson(join(d, 'null.json'))).toBeNull();
  });

  it('throws what is not JSON and what cannot be read, for the caller to word', () => {
    const d = dir();
    writeFileSync(join(d, 'half.json'), '{"version": 1, "re');
    expect(() => readJson(join(d, 'half.json'))).toThrow(SyntaxError);
    expect(() => readJson(d)).toThrow(expect.objectContaining({ code: 'EISDIR' }));
  });
});

describe('writeJsonState', () => {
  it('replaces the file whole, indented with a final newline, keeping its mode and no temp file', () => {
    const d = dir();
    const path = join(d, 'state.json');
    writeFileSync(path, '{"old": true}\n');
    chmodSync(path, 0o600);
    writeJsonState(path, { version: 1, repos: { 'o/a': { outcome: 'opened' } } });
    expect(readFileSync(path, 'utf8')).toBe(
      '{\n  "version": 1,\n  "repos": {\n    "o/a": {\n      "outcome": "opened"\n    }\n  }\n}\n',
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(d)).toEqual(['state.json']);
    writeJsonState(join(d, 'new.json'), []);
    expect(readJson(join(d, 'new.json'))).toEqual([]);
    expect(statSync(join(d, 'new.json')).mode & 0o777).toBe(0o644);
  });

  it('a write that fails leaves the last whole state, and no temp file beside it', () => {
    const d = dir();
    const path = join(d, 'state.json');
    writeJsonState(path, { n: 1 });
    expect(() => writeJsonState(path, { n: 2n })).toThrow(TypeError);
    expect(readJson(path)).toEqual({ n: 1 });
    // The rename itself refused (a directory where the file goes): the temp is removed again.
    mkdirSync(join(d, 'taken.json', 'inside'), { recursive: true });
    expect(() => writeJsonState(join(d, 'taken.json'), { n: 3 })).toThrow(
      expect.objectContaining({ code: 'EISDIR' }),
    );
    expect(readdirSync(d).sort()).toEqual(['state.json', 'taken.json']);
    expect(readdirSync(join(d, 'taken.json'))).toEqual(['inside']);
  });
});
