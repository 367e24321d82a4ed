/**
 * Global setup of the e2e project: build `dist/` from the sources before any test runs the binary,
 * so that a CLI test never passes or fails on what an earlier build left.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { repo } from './cli.js';

export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: repo,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`building dist/ failed:\n${r.stdout}${r.stderr}`);
}
