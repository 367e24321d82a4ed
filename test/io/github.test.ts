import { describe, expect, it } from 'vitest';
import { rateLimitWait } from '../../src/io/github.js';

describe('rateLimitWait', () => {
  const err = (status: number, headers: Record<string, string>, message = '') => ({
    status,
    message,
    response: { headers },
  });
  it.each([
    [err(403, { 'retry-after': '30' }), 0, 30],
    [err(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1090' }), 0, 90],
    [err(403, {}, 'You have exceeded a secondary rate limit'), 1, 120],
    [err(429, {}), 0, 60],
    [err(403, {}, 'Resource not accessible by integration'), 0, null],
    [err(500, { 'retry-after': '1' }), 0, null],
  ])('%j (attempt %i) -> %s s', (e, attempt, seconds) => {
    expect(rateLimitWait(e, attempt, 1_000_000)).toBe(seconds);
  });
});
