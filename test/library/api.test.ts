/**
 * The library's own promises, beyond the engine's: plain data in and out, the change set's edits,
 * and mistakes in what a caller passes said rather than ignored.
 */
import { describe, expect, it } from 'vitest';
import { applyEdits, migrate, transforms } from '../../src/index.js';

const INPUT = {
  dockerfile: '\uFEFFFROM python:latest\r\nCOPY . /app\r\nCMD python /app/main.py\r\n',
  files: { 'requirements.txt': 'flask\n', 'main.py': 'print(1)\n' },
};

describe('migrate', () => {
  it('gives each changed file the edits that make its text after from its text before', () => {
    const result = migrate(INPUT);
    expect(result.status).toBe('changed');
    for (const change of result.changes)
      expect(applyEdits(change.before ?? '', change.edits)).toBe(change.after);
    // The BOM and the line endings stay as they were.
    expect(result.changes[0].after.startsWith('\uFEFFFROM ')).toBe(true);
    expect(result.changes[0].after).not.toMatch(/[^\r]\n/);
  });

  it('is the same for the same input: nothing is kept between calls', () => {
    expect(migrate(INPUT)).toEqual(migrate(INPUT));
  });

  it('refuses an option it does not know, naming the ones it does', () => {
    expect(() => migrate(INPUT, { uidd: 1 } as never)).toThrow(
      /unknown option "uidd"; the options are: .*\buid\b/,
    );
  });

  it('refuses a value the command line and the config file refuse, in their words', () => {
    expect(() => migrate(INPUT, { uid: 0 })).toThrow(
      'dockmig: option uid must be a uid from 1 to 2147483647 (got 0)',
    );
    expect(() => migrate(INPUT, { lockFlag: 'loose' as never })).toThrow(
      /option lockFlag must be one of "frozen", "locked"/,
    );
    expect(() => migrate(INPUT, { composePlatforms: ['linux/amd64', 'amd64'] })).toThrow(
      /option composePlatforms "amd64" is not/,
    );
    // null is "not set" where an option has that.
    expect(migrate(INPUT, { python: null, healthPath: null }).status).toBe('changed');
  });

  it('refuses a transform id it does not know, in only and in skip', () => {
    expect(() => migrate(INPUT, { skip: ['healthchek'] })).toThrow(
      /unknown transform "healthchek"; the transforms are: .*healthcheck/,
    );
    expect(() => migrate(INPUT, { only: ['pin-python-base', 'nope'] })).toThrow(/"nope"/);
    expect(migrate(INPUT, { only: ['pin-python-base'] }).findings.map((f) => f.transform)).toEqual([
      'pin-python-base',
    ]);
  });

  it('runs the transforms it is given, in their order', () => {
    const only = transforms.filter((t) => t.id === 'pin-python-base');
    const result = migrate(INPUT, { transforms: only });
    expect(new Set(result.findings.map((f) => f.transform))).toEqual(new Set(['pin-python-base']));
  });
});
