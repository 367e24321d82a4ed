/** --interactive with the run's other flags: what it cannot share its terminal or its writes with. */
import { describe, expect, it } from 'vitest';
import { resolveRunOptions } from '../../src/commands/options.js';
import { parseConfig } from '../../src/config/config.js';
import { UsageError } from '../../src/errors.js';
import { validator } from '../helpers/schemas.js';

function resolve(flags: Record<string, unknown>) {
  return resolveRunOptions({
    paths: ['.'],
    pathsGiven: true,
    flags: { config: false, ...flags },
    given: (key) => key in flags,
    cwd: import.meta.dirname,
    version: '0.0.0',
  });
}

describe('--interactive among the flags', () => {
  it.each([
    [{ check: true }, '--interactive cannot be used with --check'],
    [{ format: 'json' }, '--interactive cannot be used with --format json'],
    [{ report: 'review.html' }, '--interactive cannot be used with --report'],
    [{ pinDigests: true }, /^--interactive cannot be used with --pin-digests \(resolve them first/],
  ])('refuses %j', (flags, message) => {
    expect(() => resolve({ interactive: true, ...flags })).toThrow(UsageError);
    expect(() => resolve({ interactive: true, ...flags })).toThrow(message);
  });

  it('takes the diff format, --write and the migration options', () => {
    expect(resolve({ interactive: true, format: 'diff', write: true, uid: 1001 })).toMatchObject({
      interactive: true,
      mode: 'write',
      migration: { uid: 1001 },
    });
    expect(resolve({}).interactive).toBe(false);
  });

  it('a config file and its schema refuse interactive with check, and take either alone', () => {
    const schema = validator('dockmig.config.schema.json');
    const file = (config: object) => () =>
      parseConfig(JSON.stringify(config), 'dockmig.config.json', []);
    expect(file({ interactive: true, check: true })).toThrow(
      'dockmig.config.json: "interactive" and "check" cannot both be true',
    );
    expect(schema({ interactive: true, check: true })).toBe(false);
    expect(file({ interactive: true })).not.toThrow();
    expect(schema({ interactive: true })).toBe(true);
    expect(schema({ interactive: true, write: true })).toBe(true);
    expect(schema({ write: true, check: true })).toBe(false);
  });
});
