/**
 * A review in the middle: a fix declined stays declined in the engine's later passes, and goesWith
 * asked with the decisions so far counts as lost only the fixes that stand on the one declined.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameFinding, type FindingKey } from '../../src/core/engine.js';
import { goesWith, migrateAccepting } from '../../src/core/review.js';
import { prepare } from '../../src/index.js';
import { fixturesRoot, readTree } from '../helpers/fixtures.js';

function review(name: string) {
  const tree = readTree(join(fixturesRoot, name, 'input'));
  return prepare({ dockerfile: tree.Dockerfile, files: tree });
}

const named = (findings: FindingKey[]) => findings.map((f) => `${f.transform}: ${f.message}`);

describe('a review with a fix declined', () => {
  // pip-requirements: once non-root-user has put its user into the single stage, the split would
  // come back in other words ("USER 10001:10001 stays in the builder"); declined, it does not.
  const r = review('pip-requirements');
  const split = migrateAccepting(r, () => true).findings.find(
    (f) => f.transform === 'multi-stage',
  )!;
  const accepted = (f: FindingKey) => !sameFinding(f, split);
  const current = migrateAccepting(r, accepted);
  const fixed = (transform: string) =>
    current.findings.filter((f) => f.fixed && f.transform === transform);

  it('keeps the split declined in every later pass, reworded or not', () => {
    expect(fixed('multi-stage')).toEqual([]);
    expect(current.findings.filter((f) => f.transform === 'multi-stage')).toEqual([
      expect.objectContaining({ fixed: false, declined: true }),
    ]);
    expect(current.changes[0].after.match(/^FROM /gm)).toHaveLength(1);
    expect(fixed('non-root-user')).toHaveLength(1);
  });

  it('loses nothing more with a fix nothing stands on', () => {
    const healthcheck = fixed('healthcheck')[0];
    expect(named(goesWith(r, current, healthcheck, accepted))).toEqual([]);
  });
});
