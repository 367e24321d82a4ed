/**
 * The closing line the CI reads counts every way a run fails: a failed test, and a test file that
 * could not even load (a suite whose tool is missing under CI=true throws at import). A throwaway
 * vitest run of three small files, with the reporter npm test uses.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, repo, tempDir } from '../helpers/cli.js';

afterAll(cleanup);

describe('the closing line', () => {
  it('counts a test file that failed to load as a failure', () => {
    const dir = tempDir('dockmig-reporter-');
    const test = (body: string) => `import { it, expect } from 'vitest';\n${body}\n`;
    writeFileSync(join(dir, 'passes.test.mjs'), test("it('passes', () => expect(1).toBe(1));"));
    writeFileSync(join(dir, 'fails.test.mjs'), test("it('fails', () => expect(1).toBe(2));"));
    writeFileSync(
      join(dir, 'cannot-load.test.mjs'),
      test("throw new Error('a tool is missing');\nit('never runs', () => {});"),
    );
    writeFileSync(
      join(dir, 'vitest.config.mjs'),
      `export default { test: { include: ['*.test.mjs'], reporters: [${JSON.stringify(
        join(repo, 'test', 'helpers', 'summary-reporter.ts'),
      )}] } };\n`,
    );
    const vitest = join(repo, 'node_modules', 'vitest', 'vitest.mjs');
    const r = spawnSync(process.execPath, [vitest, 'run', '--root', dir], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: '' },
    });
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n').pop()).toBe('vitest: 1 passed, 2 failed');
  });
});
