/**
 * The config file: what is accepted, what is refused and with which message, how options layer
 * (defaults < file < matching overrides < CLI flags), and that the committed JSON Schema is the one
 * the table generates and agrees with the validator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { globMatch, migrationOptionsFor, parseConfig, parseSize } from '../../src/config/config.js';
import { DEFAULT_OPTIONS } from '../../src/core/types.js';
import { TRANSFORMS } from '../../transforms/index.js';
import { configSchemaText } from '../../scripts/schema.js';
import { validator } from '../helpers/schemas.js';

const ids = TRANSFORMS.map((t) => t.id);
const parse = (config: unknown) => parseConfig(JSON.stringify(config), 'dockmig.config.json', ids);

const VALID: [string, unknown][] = [
  ['empty', {}],
  [
    'every run option',
    {
      $schema: './node_modules/dockmig/schema/dockmig.config.schema.json',
      paths: ['services'],
      check: true,
      context: '.',
      format: 'sarif',
      report: 'review.html',
      maxSize: '2M',
      quiet: false,
      verbose: true,
      only: ['pin-uv'],
      skip: ['healthcheck'],
    },
  ],
  [
    'every migration option',
    {
      python: '3.13',
      uvVersion: '0.9.5',
      lockFlag: 'locked',
      uid: 1001,
      healthPath: '/healthz',
      healthcheck: false,
      debian: 'bookworm',
      maxSize: 4096,
    },
  ],
  [
    'transforms on, off and with options',
    {
      transforms: {
        healthcheck: { path: '/health' },
        dockerignore: false,
        'exec-form': true,
        'non-root-user': { uid: 2000, enabled: true },
        'pin-uv': { version: '0.10.0' },
        'pin-python-base': { python: '3.11', debian: 'bookworm' },
        'frozen-lockfile': { lockFlag: 'locked' },
      },
    },
  ],
  [
    'per-path overrides',
    {
      overrides: [
        { files: 'services/api/', options: { healthPath: '/api/health' } },
        {
          files: ['workers/**', 'jobs/*/Dockerfile'],
          options: { transforms: { healthcheck: false } },
        },
      ],
    },
  ],
];

const INVALID: [string, unknown, string][] = [
  ['a misspelt key', { lockflag: 'locked' }, 'unknown key "lockflag"; the keys are: paths, write'],
  [
    'a value outside the choices',
    { lockFlag: 'loose' },
    '"lockFlag" must be one of "frozen", "locked" (got "loose")',
  ],
  ['a wrong type', { uid: '1000' }, '"uid" must be a uid from 1 to 2147483647 (got "1000")'],
  ['root as uid', { uid: 0 }, '"uid" must be a uid from 1 to 2147483647 (got 0)'],
  [
    'a bad Python version',
    { python: '3' },
    '"python" must be a Python version like 3.12 (got "3")',
  ],
  [
    'a bad format',
    { format: 'xml' },
    '"format" must be one of "diff", "json", "sarif", "markdown" (got "xml")',
  ],
  [
    'a bad size',
    { maxSize: 'big' },
    '"maxSize" must be a size like 1048576, 512k or 2M (got "big")',
  ],
  [
    'an unknown transform',
    { skip: ['pin-everything'] },
    '"skip": unknown transform "pin-everything"',
  ],
  [
    'an unknown transform setting',
    { transforms: { 'pin-uv': { tag: 'x' } } },
    '"transforms".pin-uv: unknown key "tag"; pin-uv takes: enabled, version',
  ],
  [
    'a transform that does not exist',
    { transforms: { 'pin-node': false } },
    '"transforms": unknown transform "pin-node"',
  ],
  [
    'a platform that is not one',
    { composePlatforms: ['linux/amd64', 'foo'] },
    '"composePlatforms": "foo" is not a platform like linux/amd64',
  ],
  [
    'a registry timeout past ten minutes',
    { registryTimeout: 9999 },
    '"registryTimeout" must be a whole number from 1 to 600 (got 9999)',
  ],
  ['write and check', { write: true, check: true }, '"write" and "check" cannot both be true'],
  [
    'an override without files',
    { overrides: [{ options: {} }] },
    '"overrides[0]".files must be a list of strings (got undefined)',
  ],
  [
    'a run option in an override',
    { overrides: [{ files: 'a', options: { write: true } }] },
    '"overrides[0]".options: unknown key "write"; per-path options are: python',
  ],
  ['not an object', ['x'], 'the file must be a JSON object'],
];

describe('parseConfig', () => {
  it.each(VALID)('accepts %s', (_name, config) => {
    expect(() => parse(config)).not.toThrow();
  });

  it.each(INVALID)(
    'refuses %s, naming the key and the allowed values',
    (_name, config, message) => {
      expect(() => parse(config)).toThrow(`dockmig.config.json: ${message}`);
    },
  );

  it('refuses text that is not JSON, with where', () => {
    expect(() => parseConfig('{ "uid": 1000, }', 'x.json', ids)).toThrow(
      /^x\.json: not valid JSON/,
    );
  });
});

describe('schema/dockmig.config.schema.json', () => {
  it('is the one the config table generates (run `npm run schema` after changing it)', () => {
    const committed = readFileSync(
      join(import.meta.dirname, '..', '..', 'schema', 'dockmig.config.schema.json'),
      'utf8',
    );
    expect(committed).toBe(configSchemaText());
  });

  const validate = validator('dockmig.config.schema.json');
  it.each(VALID)('accepts %s, as the validator does', (_name, config) => {
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });
  it.each(INVALID)('refuses %s, as the validator does', (_name, config) => {
    expect(validate(config)).toBe(false);
  });
});

describe('migrationOptionsFor', () => {
  const config = parse({
    lockFlag: 'locked',
    uid: 2000,
    skip: ['dockerignore'],
    transforms: { healthcheck: { path: '/health' }, 'exec-form': false },
    overrides: [
      {
        files: 'services/api',
        options: { healthPath: '/api/health', transforms: { 'exec-form': true } },
      },
      { files: 'workers/**', options: { healthcheck: false, uid: 3000 } },
    ],
  });

  it('layers defaults, the file and its transform options', () => {
    const o = migrationOptionsFor(DEFAULT_OPTIONS, config, {}, 'web/Dockerfile');
    expect(o).toMatchObject({
      lockFlag: 'locked',
      uid: 2000,
      healthPath: '/health',
      healthcheck: true,
    });
    expect(o.skip.sort()).toEqual(['dockerignore', 'exec-form']);
  });

  it('applies the overrides whose globs match, in order', () => {
    const api = migrationOptionsFor(DEFAULT_OPTIONS, config, {}, 'services/api/Dockerfile');
    expect(api.healthPath).toBe('/api/health');
    expect(api.skip).toEqual(['dockerignore']);
    const worker = migrationOptionsFor(DEFAULT_OPTIONS, config, {}, 'workers/email/Dockerfile');
    expect(worker).toMatchObject({ healthcheck: false, uid: 3000 });
    const other = migrationOptionsFor(DEFAULT_OPTIONS, config, {}, 'services/apiary/Dockerfile');
    expect(other.healthPath).toBe('/health');
  });

  it('lets CLI flags win over the file and its overrides', () => {
    const o = migrationOptionsFor(
      DEFAULT_OPTIONS,
      config,
      { uid: 1234, healthPath: '/cli', only: ['pin-uv'], skip: ['healthcheck'] },
      'workers/email/Dockerfile',
    );
    expect(o).toMatchObject({ uid: 1234, healthPath: '/cli', only: ['pin-uv'] });
    expect(o.skip).toContain('healthcheck');
  });

  it('without a file gives the defaults', () => {
    expect(migrationOptionsFor(DEFAULT_OPTIONS, null, {}, 'Dockerfile')).toEqual(DEFAULT_OPTIONS);
  });
});

describe('globMatch and parseSize', () => {
  it.each([
    ['services/api', 'services/api/Dockerfile', true],
    ['services/api/', 'services/api/deploy/Dockerfile', true],
    ['services/api', 'services/apiary/Dockerfile', false],
    ['*/Dockerfile', 'web/Dockerfile', true],
    ['*/Dockerfile', 'a/b/Dockerfile', false],
    ['**/Dockerfile.prod', 'Dockerfile.prod', true],
    ['**/Dockerfile.prod', 'a/b/Dockerfile.prod', true],
    ['jobs/?/Dockerfile', 'jobs/1/Dockerfile', true],
    ['./web', 'web/Dockerfile', true],
  ])('%s matches %s: %s', (glob, path, expected) => {
    expect(globMatch(glob, path)).toBe(expected);
  });

  it.each([
    ['1048576', 1048576],
    ['512k', 524288],
    ['2M', 2097152],
    ['1MiB', 1048576],
    ['0', null],
    ['big', null],
  ])('%s is %s bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });
});
