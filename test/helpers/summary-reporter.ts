/**
 * The run's closing line, `vitest: N passed, M failed`, plain and last, for the CI to read (vitest's
 * own summary is coloured and laid out for people). A test file that failed to load (a suite whose
 * tool is missing under CI=true: test/helpers/tools.ts) and an error outside any test count as
 * failures, so that the line never says 0 failed of a run that failed.
 */
import type { Reporter, SerializedError, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<SerializedError>): void {
    let passed = 0;
    let failed = errors.length;
    for (const m of modules) {
      const tests = [...m.children.allTests()];
      passed += tests.filter((t) => t.result().state === 'passed').length;
      failed += tests.filter((t) => t.result().state === 'failed').length;
      if (m.state() === 'failed' && m.errors().length > 0) failed += 1;
    }
    process.stdout.write(`vitest: ${passed} passed, ${failed} failed\n`);
  }
}
