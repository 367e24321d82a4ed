import { defineConfig } from 'vitest/config';

/**
 * `npm test` runs every suite, the fixture images (test/e2e/fixture-images.test.ts: every service
 * fixture built and started with podman, about 25 minutes on two cores) included. `npm run
 * test:images` runs that file alone.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
