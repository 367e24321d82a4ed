/**
 * Seeded mutations of every golden input (lines dropped, repeated, swapped; characters deleted or
 * inserted: quotes, brackets, backslashes, `$`, `&`, `#`, line breaks, heredoc openers). Whatever
 * comes in, the engine never throws, never fails to settle, and what it writes migrates to itself.
 * Input it cannot read is refused with a reason, which is allowed.
 */
import { describe, expect, it } from 'vitest';
import { random } from '../bench/generate.js';
import { goldenCases, migrateTree } from './helpers/fixtures.js';

const projects = goldenCases().map((c) => ({
  name: c.name,
  tree: c.input,
  dockerfile: c.dockerfile,
}));

function run(tree: Record<string, string>, dockerfile: string, text: string) {
  return migrateTree(tree, dockerfile, {}, text);
}

function mutate(text: string, rnd: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  if (rnd() < 0.5) {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lines = text.split(eol);
    const i = Math.floor(rnd() * lines.length);
    const j = Math.floor(rnd() * lines.length);
    const op = Math.floor(rnd() * 3);
    if (op === 0) lines.splice(i, 1);
    else if (op === 1) lines.splice(i, 0, lines[j]);
    else [lines[i], lines[j]] = [lines[j], lines[i]];
    return lines.join(eol);
  }
  const inserts = ['"', "'", '\\', '[', ']', ' ', '$', '&', '#', '\n', '\r\n', '`', '<<EOF', '|'];
  let out = text;
  for (let m = 0; m < 1 + Math.floor(rnd() * 3); m++) {
    const at = Math.floor(rnd() * out.length);
    out =
      rnd() < 0.5
        ? out.slice(0, at) + out.slice(at + 1)
        : out.slice(0, at) + pick(inserts) + out.slice(at);
  }
  return out;
}

describe('mutated golden inputs', () => {
  it('never throw, always settle, and migrate to a fixed point (600 seeded cases)', () => {
    const rnd = random(20261122);
    let migrated = 0;
    for (let k = 0; k < 600; k++) {
      const { name, tree, dockerfile } = projects[Math.floor(rnd() * projects.length)];
      const text = mutate(tree[dockerfile], rnd);
      const r = run(tree, dockerfile, text);
      const where = `${name} #${k}: ${JSON.stringify(text)}`;
      expect(r.internal, where).toBeUndefined();
      if (r.status === 'error') {
        expect(r.errors[0], where).not.toMatch(/settle|undo each other/);
        continue;
      }
      migrated++;
      const after = { ...tree, [dockerfile]: text };
      for (const c of r.changes) after[c.path] = c.after;
      const again = run(after, dockerfile, after[dockerfile]);
      expect(
        again.changes.map((c) => c.path),
        where,
      ).toEqual([]);
    }
    expect(migrated).toBeGreaterThan(200);
  });
});
