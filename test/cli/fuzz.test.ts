/**
 * A short fuzz loop through the built binary: directories of random bytes, byte-mutated and cut-off
 * golden inputs, migrated with `--write`. The binary never crashes (no internal error, no stack),
 * every file is accounted for on stderr, refused files stay byte-identical, and whatever was written
 * passes `--check` afterwards (no diff left). Seeded: a failure names the seed and the file.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { random } from '../../bench/generate.js';
import { assertBuilt, cleanup, dockmig, example, repo, STACK, tempDir } from '../helpers/cli.js';

beforeAll(assertBuilt);
afterEach(cleanup);

/** DOCKMIG_FUZZ_SEEDS=1,2,3 explores other rounds. */
const ROUNDS = (process.env.DOCKMIG_FUZZ_SEEDS ?? '20261124,7,1234567').split(',').map(Number);
const FILES_PER_ROUND = 40;

const goldenInputs = readdirSync(join(repo, 'fixtures'))
  .map((c) => join(repo, 'fixtures', c, 'input', 'Dockerfile'))
  .filter((p) => {
    try {
      readFileSync(p);
      return true;
    } catch {
      return false;
    }
  })
  .map((p) => readFileSync(p));

/** Bytes that tend to break decoders and parsers. */
const NASTY = [0x00, 0xff, 0xc3, 0xe2, 0x80, 0x0d, 0x0a, 0x5c, 0x60, 0x22, 0x27, 0x5b, 0x5d, 0x23];

function fuzzed(rnd: () => number): Buffer {
  const kind = Math.floor(rnd() * 3);
  if (kind === 0) {
    return Buffer.from(
      Array.from({ length: Math.floor(rnd() * 600) }, () => Math.floor(rnd() * 256)),
    );
  }
  const base = goldenInputs[Math.floor(rnd() * goldenInputs.length)];
  if (kind === 1) return base.subarray(0, Math.floor(rnd() * base.length));
  const bytes = [...base];
  for (let m = 0; m < 1 + Math.floor(rnd() * 6); m++) {
    const at = Math.floor(rnd() * (bytes.length + 1));
    const byte = rnd() < 0.5 ? NASTY[Math.floor(rnd() * NASTY.length)] : Math.floor(rnd() * 256);
    const op = Math.floor(rnd() * 3);
    if (op === 0) bytes.splice(at, 1);
    else if (op === 1) bytes.splice(at, 0, byte);
    else bytes[at] = byte;
  }
  return Buffer.from(bytes);
}

describe('random bytes through the binary', () => {
  it.each(ROUNDS)('seed %i: no crash, every file accounted for, refusals untouched', (seed) => {
    const rnd = random(seed);
    const dir = tempDir('dockmig-fuzz-');
    const inputs = new Map<string, Buffer>();
    for (let i = 0; i < FILES_PER_ROUND; i++) {
      const name = `p${String(i).padStart(2, '0')}`;
      cpSync(example, join(dir, name), { recursive: true });
      const bytes = fuzzed(rnd);
      writeFileSync(join(dir, name, 'Dockerfile'), bytes);
      inputs.set(`${name}/Dockerfile`, bytes);
    }

    const w = dockmig(dir, '--write', '.');
    expect([0, 2], w.stderr).toContain(w.code);
    expect(w.stderr).not.toContain('internal error');
    expect(w.stderr).not.toMatch(STACK);
    for (const [path, bytes] of inputs) {
      const line = new RegExp(`^${path}: (error|migrated|unchanged)`, 'm').exec(w.stderr);
      expect(line, `${path} (seed ${seed}) is reported`).not.toBeNull();
      if (line![1] !== 'migrated') {
        expect(
          readFileSync(join(dir, path)).equals(bytes),
          `${path} (seed ${seed}) untouched`,
        ).toBe(true);
      }
    }
    const total = new RegExp(`\\n${FILES_PER_ROUND} files: .*`).exec(w.stderr);
    expect(total).not.toBeNull();
    console.log(`seed ${seed}: ${total![0].trim()}`);

    // What was written is settled: nothing left to change.
    const c = dockmig(dir, '--check', '.');
    expect(c.stdout, `seed ${seed}`).toBe('');
    expect(c.stderr).not.toContain('internal error');
  });
});
