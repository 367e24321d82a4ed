import { afterEach, describe, expect, it, vi } from 'vitest';
import { needs } from './tools.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('needs: the one rule for suites that need a tool', () => {
  it('runs the suite where the tool works, silently', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.stubEnv('CI', 'true');
    expect(needs('test/x.test.ts', 'podman', true)).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });

  it('skips with one warning line naming the suite and the tool, outside CI', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.stubEnv('CI', '');
    expect(needs('test/x.test.ts', 'podman', false)).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/^test\/x\.test\.ts: podman .*SKIPPED$/);
    expect(String(warn.mock.calls[0][0])).not.toContain('\n');
  });

  it('fails under CI=true instead of skipping', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.stubEnv('CI', 'true');
    expect(() => needs('test/x.test.ts', 'podman', false)).toThrow(
      /test\/x\.test\.ts: podman cannot be had here.*under CI=true that is a failure/,
    );
  });
});
