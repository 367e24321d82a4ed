/** Terminal input as keys: what was typed ahead comes one key at a time, an arrow key as one. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { splitKeys, terminalKeys } from '../../src/io/keys.js';

describe('splitKeys', () => {
  it.each([
    ['yyn', ['y', 'y', 'n']],
    ['y\u0003', ['y', '\u0003']],
    ['\u001b[A?', ['\u001b[A', '?']],
    ['\u001bOPq', ['\u001bOP', 'q']],
    ['\u001b', ['\u001b']],
    ['é😀a', ['é', '😀', 'a']],
    ['', []],
  ])('%j -> %j', (chunk, keys) => {
    expect(splitKeys(chunk)).toEqual(keys);
  });
});

describe('terminalKeys', () => {
  it('is null when stdin is not a terminal', () => {
    expect(terminalKeys(new PassThrough() as unknown as NodeJS.ReadStream)).toBeNull();
  });

  it('sets raw mode, gives the keys typed ahead in order, and gives the mode back', async () => {
    const modes: boolean[] = [];
    const input = Object.assign(new PassThrough(), {
      isTTY: true,
      isRaw: false,
      setRawMode(mode: boolean) {
        modes.push(mode);
        return this;
      },
    });
    const keys = terminalKeys(input as unknown as NodeJS.ReadStream)!;
    input.write('yn');
    expect(await keys.next()).toBe('y');
    expect(await keys.next()).toBe('n');
    const later = keys.next();
    input.end('q');
    expect(await later).toBe('q');
    expect(await keys.next()).toBeNull();
    keys.close();
    expect(modes).toEqual([true, false]);
  });
});
