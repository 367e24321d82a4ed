/**
 * Every option of the table is one option: a value the command line takes, the config file (and
 * its JSON Schema) takes, and a value one refuses, the others refuse. The test walks the table, so
 * an option added without samples here fails it.
 */
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { MIGRATION_OPTIONS, OPTIONS, parseConfig, type Spec } from '../../src/config/config.js';
import { resolveRunOptions } from '../../src/commands/options.js';
import { migrationFlags, runFlags, tableOption } from '../../src/flags.js';
import { TRANSFORMS } from '../../transforms/index.js';
import { validator } from '../helpers/schemas.js';

const TABLE: Record<string, Spec> = OPTIONS;
const ids = TRANSFORMS.map((t) => t.id);

/** Options the command line gives otherwise: `paths` are its arguments. */
const FILE_ONLY = ['paths'];

/** Per option, values as typed after its flag: some taken, some refused. Booleans take none. */
const SAMPLES: Record<string, { good: string[]; bad: string[] }> = {
  write: { good: [], bad: [] },
  check: { good: [], bad: [] },
  interactive: { good: [], bad: [] },
  quiet: { good: [], bad: [] },
  verbose: { good: [], bad: [] },
  pinDigests: { good: [], bad: [] },
  healthcheck: { good: [], bad: [] },
  compose: { good: [], bad: [] },
  context: { good: ['.', 'services/api'], bad: [] },
  format: { good: ['diff', 'json', 'sarif', 'markdown'], bad: ['xml', 'html', 'JSON'] },
  report: { good: ['review.html', 'out/review.htm', 'REVIEW.HTML'], bad: ['review.txt', 'html'] },
  maxSize: { good: ['1048576', '512k', '2M', '1MiB', '64KiB'], bad: ['0', 'big', '1.5M', '2G'] },
  digests: { good: ['digests.json'], bad: [] },
  saveDigests: { good: ['pinned.json'], bad: [] },
  registryMirror: { good: ['docker.io=https://mirror.example.com'], bad: [] },
  registryTimeout: { good: ['1', '15', '600'], bad: ['0', '601', '9999', 'soon', '1.5'] },
  only: { good: ['pin-uv', 'pin-uv,healthcheck'], bad: [] },
  skip: { good: ['healthcheck', 'dockerignore,exec-form'], bad: [] },
  python: { good: ['3.12', '3.9', '3.13'], bad: ['3', 'latest', '3.12.1', 'python3.12'] },
  uvVersion: { good: ['0.13.8', '1.0.0'], bad: ['0.13', 'latest', 'v0.13.8'] },
  poetryVersion: { good: ['2.1.3'], bad: ['2.1', 'latest'] },
  pipenvVersion: { good: ['2026.10.3', '2025.0.4'], bad: ['2026', 'latest'] },
  lockFlag: { good: ['frozen', 'locked'], bad: ['loose', 'FROZEN'] },
  uid: { good: ['1', '1001', '2147483647'], bad: ['0', '2147483648', 'app', '10.5'] },
  healthPath: { good: ['/', '/health', '/api/v1/ready?x=1'], bad: ['health', '/a b', ''] },
  debian: { good: ['trixie', 'bookworm'], bad: ['bullseye', 'sid'] },
  composePlatforms: {
    good: ['linux/amd64', 'linux/amd64,linux/arm64', 'linux/arm/v7'],
    bad: ['foo', 'amd64', 'linux/amd64,arm64', 'Linux/AMD64'],
  },
  composeRegistry: {
    good: ['ghcr.io', 'registry.example.com', 'localhost:5000'],
    bad: ['https://ghcr.io', 'ghcr.io/', 'GHCR.IO', ''],
  },
};

/** The config file's value for what was typed after a flag. */
function fileValue(key: string, text: string): unknown {
  switch (TABLE[key].kind) {
    case 'integer':
      return /^\d+$/.test(text) ? Number(text) : text;
    case 'string[]':
      return key === 'registryMirror' ? [text] : text.split(',').map((s) => s.trim());
    default:
      return text;
  }
}

/** The long flag, as typed. */
const flagOf = (key: string) => /--[a-z-]+/.exec(TABLE[key].flag!)![0];

/** `dockmig [paths...]` with these flags, parsed as commander parses them; null when refused. */
function parsed(args: string[]): Command | null {
  const cmd = runFlags(new Command('dockmig'))
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  try {
    cmd.parse(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return null;
    throw error;
  }
  return cmd;
}

const byFlag = (args: string[]) => parsed(args)?.opts() ?? null;

const schema = validator('dockmig.config.schema.json');

/** Whether the file takes `{ key: value }`; its JSON Schema must say the same. */
function byFile(key: string, value: unknown): boolean {
  let taken = true;
  try {
    parseConfig(JSON.stringify({ [key]: value }), 'dockmig.config.json', ids);
  } catch {
    taken = false;
  }
  expect(schema({ [key]: value }), `the schema on ${JSON.stringify({ [key]: value })}`).toBe(taken);
  return taken;
}

describe('the option table', () => {
  it('has samples for every option, and a flag for each but the file-only ones', () => {
    expect(
      Object.keys(TABLE)
        .filter((k) => !FILE_ONLY.includes(k))
        .sort(),
    ).toEqual(Object.keys(SAMPLES).sort());
  });

  it.each(Object.keys(SAMPLES))('%s: the flag sets the key of the same name', (key) => {
    expect(tableOption(key as keyof typeof OPTIONS).attributeName()).toBe(key);
  });

  it("pr, org and verify take every flag but the run's own (write, check, format...)", () => {
    const shared = migrationFlags(new Command('pr')).options.map((o) => o.attributeName());
    const runOnly = Object.keys(SAMPLES).filter((key) => TABLE[key].runOnly);
    expect(runOnly.sort()).toEqual([
      'check',
      'context',
      'format',
      'interactive',
      'quiet',
      'report',
      'verbose',
      'write',
    ]);
    expect(shared.sort()).toEqual(
      ['config', 'config', ...Object.keys(SAMPLES).filter((key) => !runOnly.includes(key))].sort(),
    );
  });

  const entries = Object.entries(SAMPLES);
  const negated = (key: string) => flagOf(key).startsWith('--no-');

  it.each(entries.filter(([key]) => TABLE[key].kind === 'boolean'))(
    '%s: its flag sets it, and the file takes true and false only',
    (key) => {
      expect(byFlag([flagOf(key)])?.[key]).toBe(!negated(key));
      expect(byFile(key, true) && byFile(key, false)).toBe(true);
      expect(byFile(key, 'yes')).toBe(false);
    },
  );

  const values = entries.flatMap(([key, { good, bad }]) => [
    ...good.map((text) => [key, text, true] as const),
    ...bad.map((text) => [key, text, false] as const),
  ]);
  it.each(values)('%s %j: taken by flag and by file alike (%s)', (key, text, taken) => {
    expect(byFlag([flagOf(key), text]) !== null, 'by flag').toBe(taken);
    expect(byFile(key, fileValue(key, text)), 'by file').toBe(taken);
  });

  it.each(Object.keys(MIGRATION_OPTIONS))(
    '%s given on the command line reaches the migration',
    (key) => {
      const text = SAMPLES[key].good.at(-1);
      const cmd = parsed(text === undefined ? [flagOf(key)] : [flagOf(key), text])!;
      const run = resolveRunOptions({
        paths: ['.'],
        pathsGiven: true,
        flags: { ...cmd.opts(), config: false },
        given: (k) => cmd.getOptionValueSource(k) === 'cli',
        cwd: import.meta.dirname,
        version: '0.0.0',
      });
      expect(run.migration[key as keyof typeof MIGRATION_OPTIONS]).toEqual(cmd.opts()[key]);
      expect(run.migration[key as keyof typeof MIGRATION_OPTIONS]).not.toEqual(
        resolveRunOptions({
          paths: ['.'],
          pathsGiven: true,
          flags: { config: false },
          given: () => false,
          cwd: import.meta.dirname,
          version: '0.0.0',
        }).migration[key as keyof typeof MIGRATION_OPTIONS],
      );
    },
  );
});
