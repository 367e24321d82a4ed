import { describe, expect, it } from 'vitest';
import { colorDiff, progressLine, useColor } from '../../src/report/color.js';

describe('useColor', () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ TERM: 'dumb' }, true, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
  ])('env %j, TTY %s -> %s', (env, tty, expected) => {
    expect(useColor(env, tty)).toBe(expected);
  });
});

describe('colorDiff', () => {
  const diff = 'diff --git a/D b/D\n--- a/D\n+++ b/D\n@@ -1 +1 @@\n-FROM a\n+FROM b\n ctx\n';
  it('paints headers, hunks, removals and additions', () => {
    expect(colorDiff(diff, true)).toBe(
      '\x1b[1mdiff --git a/D b/D\x1b[22m\n\x1b[1m--- a/D\x1b[22m\n\x1b[1m+++ b/D\x1b[22m\n\x1b[36m@@ -1 +1 @@\x1b[39m\n\x1b[31m-FROM a\x1b[39m\n\x1b[32m+FROM b\x1b[39m\n ctx\n',
    );
  });
  it('leaves the diff alone when off, so that git apply takes it', () => {
    expect(colorDiff(diff, false)).toBe(diff);
  });
});

describe('progressLine', () => {
  it('fills in proportion', () => {
    expect(progressLine(0, 40, 10)).toBe('[..........] 0/40 files');
    expect(progressLine(20, 40, 10)).toBe('[#####.....] 20/40 files');
    expect(progressLine(40, 40, 10)).toBe('[##########] 40/40 files');
  });
});
