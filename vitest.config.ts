import { defineConfig } from 'vitest/config';

/**
 * Two projects. `unit`: the core, the transforms, the golden scenarios, reports and config, with
 * no process, engine, browser or server (`npm run test:unit`, the inner loop, seconds). `e2e`: the
 * built binary, git servers, the registry, the browser, podman and dockerd, and the seeded
 * property and fuzz runs (minutes); its global setup builds `dist/` first, so no CLI test runs
 * stale code. `npm test` runs both, the fixture images
 * (test/e2e/fixture-images.test.ts: every service fixture built and started with podman, about 35
 * minutes on two cores) included; `npm run test:images` runs that file alone.
 */
const E2E = [
  'test/cli/**/*.test.ts',
  'test/e2e/**/*.test.ts',
  'test/registry/**/*.test.ts',
  'test/github/pr-org.test.ts',
  'test/commands/org.test.ts',
  'test/verify/e2e.test.ts',
  'test/verify/docker.test.ts',
  'test/verify/container-engine.test.ts',
  'test/verify/tool-stand-ins.test.ts',
  'test/integrations.test.ts',
  'test/core/lazy-load.test.ts',
  'test/properties/**/*.test.ts',
  'test/robustness.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    reporters: ['default', './test/helpers/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: E2E },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: E2E,
          globalSetup: ['./test/helpers/build-dist.ts'],
          // Processes, git servers and engines on a shared two-core machine: a slow test is not a failure.
          testTimeout: 120_000,
        },
      },
    ],
  },
});
