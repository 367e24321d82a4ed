/**
 * goesWith asked in the middle of a review: with the decisions so far, a fix is lost only when it
 * stands on the one declined, not because an earlier answer reworded it.
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

describe('goesWith with the decisions so far', () => {
  // pip-requirements: declining the split, the engine's next pass makes it again around the
  // user non-root-user created, reworded ("USER 10001:10001 stays in the builder").
  const r = review('pip-requirements');
  const split = migrateAccepting(r, () => true).findings.find(
    (f) => f.transform === 'multi-stage',
  )!;
  const accepted = (f: FindingKey) => !sameFinding(f, split);
  const current = migrateAccepting(r, accepted);
  const fixed = (transform: string) =>
    current.findings.filter((f) => f.fixed && f.transform === transform);

  it('loses nothing with a fix nothing stands on', () => {
    const healthcheck = fixed('healthcheck')[0];
    expect(named(goesWith(r, current, healthcheck, accepted))).toEqual([]);
    // Without the decisions the declined split is taken again, and the second user fix, which
    // only the reworded split makes, looks lost.
    expect(named(goesWith(r, current, healthcheck))).toEqual([
      'non-root-user: the runtime runs as 10001:10001, the app user the file creates',
    ]);
  });

  it('loses the reworded split with the user it stands on', () => {
    const user = fixed('non-root-user')[0];
    expect(named(goesWith(r, current, user, accepted))).toEqual([
      named(fixed('multi-stage'))[0],
      'non-root-user: the runtime runs as 10001:10001, the app user the file creates',
    ]);
  });
});
