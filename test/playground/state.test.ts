/**
 * The playground's permalink and what it migrates, under Node (which has the same
 * CompressionStream): a state survives the hash, a damaged or foreign hash is refused rather than
 * half-read, and the editors and options become the library's input as the CLI would read them.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STATE,
  decodeState,
  encodeState,
  migration,
  type PlaygroundState,
} from '../../src/playground/state.js';

const state: PlaygroundState = {
  dockerfile: 'FROM python:latest\r\nRUN pip install uv\r\n# é ✓ \u{1F40D}\r\n',
  pyproject: '[project]\nname = "x"\nrequires-python = ">=3.11"\n',
  pythonVersion: '3.11\n',
  uvLock: false,
  skip: ['healthcheck', 'dockerignore'],
  python: '3.13',
  uid: 20000,
  lockFlag: 'locked',
  healthPath: '/health',
};

describe('the permalink', () => {
  it('carries the whole state, byte for byte, in URL-safe characters', async () => {
    const hash = await encodeState(state);
    expect(hash).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(await decodeState(`#${hash}`)).toEqual(state);
  });

  it('is compressed: a long Dockerfile costs less than its text', async () => {
    const long = { ...DEFAULT_STATE, dockerfile: 'RUN echo hello world\n'.repeat(200) };
    expect((await encodeState(long)).length).toBeLessThan(long.dockerfile.length / 10);
  });

  it.each([
    ['', 'empty'],
    ['#section-2', 'not ours'],
    ['#v1.', 'nothing after the prefix'],
    ['#v1.%%%', 'not base64url'],
  ])('refuses %j (%s)', async (hash) => {
    expect(await decodeState(hash)).toBeNull();
  });

  it('refuses a link cut short', async () => {
    const hash = await encodeState({ ...state, dockerfile: 'RUN echo x\n'.repeat(50) });
    expect(await decodeState(hash.slice(0, hash.length - 8))).toBeNull();
  });

  it('keeps the defaults for fields of the wrong type', async () => {
    const foreign = {
      ...state,
      uid: -3,
      lockFlag: 'sometimes',
      skip: ['healthcheck', 7],
      uvLock: 1,
    };
    const hash = await encodeState(foreign as unknown as PlaygroundState);
    expect(await decodeState(hash)).toEqual({
      ...state,
      uid: DEFAULT_STATE.uid,
      lockFlag: DEFAULT_STATE.lockFlag,
      skip: ['healthcheck'],
      uvLock: DEFAULT_STATE.uvLock,
    });
  });
});

describe('what the page migrates', () => {
  it('gives the editors as context files and the options as the library takes them', () => {
    expect(migration(state)).toEqual({
      input: {
        dockerfile: state.dockerfile,
        files: { 'pyproject.toml': state.pyproject, '.python-version': '3.11\n' },
      },
      options: {
        skip: ['healthcheck', 'dockerignore'],
        python: '3.13',
        uid: 20000,
        lockFlag: 'locked',
        healthPath: '/health',
      },
    });
  });

  it('leaves out what is empty: no file, no forced Python, no health path; uv.lock by presence', () => {
    expect(migration({ ...DEFAULT_STATE, dockerfile: 'FROM python:3.12\n' })).toEqual({
      input: { dockerfile: 'FROM python:3.12\n', files: { 'uv.lock': '' } },
      options: { skip: [], python: null, uid: 10001, lockFlag: 'frozen', healthPath: null },
    });
  });
});
