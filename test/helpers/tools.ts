/**
 * One rule for every suite that needs a tool from outside Node (podman, Chromium, a registry, a
 * Docker engine): where the tool cannot be had, the suite is skipped with one warning line naming
 * it; under `CI=true` that is a failure, since `npm test` installs the tools first where it can
 * (scripts/test-tools.sh) and a CI run that skipped them would prove nothing.
 *
 *     describe.runIf(needs('test/verify/e2e.test.ts', 'podman', podmanWorks()))('...', () => ...)
 */
export function needs(suite: string, tool: string, works: boolean): boolean {
  if (works) return true;
  const missing = `${suite}: ${tool} cannot be had here (scripts/test-tools.sh installs it, as root with apt)`;
  if (process.env.CI === 'true') throw new Error(`${missing}; under CI=true that is a failure`);
  console.warn(`${missing}: these tests are SKIPPED`);
  return false;
}
