/**
 * The options of dockmig, as `dockmig.config.json` / `.dockmigrc.json` and as flags: every option,
 * per-transform options and enable/disable, and per-path overrides. One table describes each
 * option; the file's validator, the JSON Schema (`schema/dockmig.config.schema.json`, written by
 * `npm run schema`), the command line's flags (`flags.ts`) and the mapping onto migration options
 * are all derived from it, and a value is judged by one rule wherever it comes from, so they cannot
 * drift apart. A new option is one entry. Pure: text in, data out.
 */
import { DEFAULT_OPTIONS, type MigrationOptions } from '../core/types.js';
import { UsageError } from '../errors.js';

type Kind = 'string' | 'boolean' | 'integer' | 'string[]' | 'size';

export interface Spec {
  kind: Kind;
  /** Said by the schema and by `--help`. */
  description: string;
  /**
   * The flag as commander spells it (`-q, --quiet`, `--uid <n>`, `--no-healthcheck`); its
   * attribute name is the key. None: the command line says it otherwise (`paths` are arguments).
   */
  flag?: string;
  /** `--help` text where the flag reads differently from the key (a negated flag). */
  help?: string;
  /** Only `dockmig [paths...]` has the flag; `pr`, `org` and `verify` decide it themselves. */
  runOnly?: true;
  /** How a list is typed: comma-separated in one flag, or the flag repeated (said by `--help`). */
  list?: 'comma' | 'repeat';
  enum?: readonly string[];
  /** For a string, or each string of a list. */
  pattern?: string;
  /** What a pattern or range means, for the error message. */
  expected?: string;
  /** Why, added to the command line's message. */
  note?: string;
  min?: number;
  max?: number;
}

/** Options of a run (top level only). */
export const RUN_OPTIONS = {
  paths: { kind: 'string[]', description: 'Dockerfiles or directories to migrate (default: .)' },
  write: {
    kind: 'boolean',
    flag: '--write',
    runOnly: true,
    description: 'write the change sets instead of printing a diff',
  },
  check: {
    kind: 'boolean',
    flag: '--check',
    runOnly: true,
    description: 'print the diff and exit 1 when anything would change (for CI)',
  },
  interactive: {
    kind: 'boolean',
    flag: '-i, --interactive',
    runOnly: true,
    description:
      'ask about each fix on the terminal (y, n, a, d, q, ?) and write the ones accepted',
  },
  format: {
    kind: 'string',
    flag: '--format <format>',
    runOnly: true,
    enum: ['diff', 'json', 'sarif', 'markdown'],
    description: 'what stdout carries (default diff)',
  },
  report: {
    kind: 'string',
    flag: '--report <file.html>',
    runOnly: true,
    pattern: '\\.[Hh][Tt][Mm][Ll]?$',
    expected: 'a file name ending in .html',
    description: 'also write a self-contained HTML review page here',
  },
  context: {
    kind: 'string',
    flag: '--context <dir>',
    runOnly: true,
    description: "build context of the Dockerfiles (default: each Dockerfile's directory)",
  },
  only: {
    kind: 'string[]',
    flag: '--only <ids>',
    list: 'comma',
    description: 'run only these transforms, by id',
  },
  skip: {
    kind: 'string[]',
    flag: '--skip <ids>',
    list: 'comma',
    description: 'skip these transforms, by id',
  },
  pinDigests: {
    kind: 'boolean',
    flag: '--pin-digests',
    description:
      'pin every pulled image to tag@sha256 of its multi-arch index, asking its registry',
  },
  digests: {
    kind: 'string',
    flag: '--digests <file>',
    description: 'JSON file of image -> digest to pin with, without asking a registry',
  },
  saveDigests: {
    kind: 'string',
    flag: '--save-digests <file>',
    description: 'write the digests the run pinned with (known and resolved) to this JSON file',
  },
  registryMirror: {
    kind: 'string[]',
    flag: '--registry-mirror <HOST=URL>',
    list: 'repeat',
    description:
      'registries to ask instead, as "HOST=URL" (e.g. "docker.io=https://mirror.example.com")',
  },
  registryTimeout: {
    kind: 'integer',
    flag: '--registry-timeout <seconds>',
    min: 1,
    max: 600,
    description: 'seconds to wait for a registry answer (default 15)',
  },
  maxSize: {
    kind: 'size',
    flag: '--max-size <size>',
    description: 'refuse Dockerfiles larger than this (bytes, or "512k", "2M"; default 1M)',
  },
  quiet: {
    kind: 'boolean',
    flag: '-q, --quiet',
    runOnly: true,
    description: 'print only errors and skipped files on stderr',
  },
  verbose: {
    kind: 'boolean',
    flag: '-v, --verbose',
    runOnly: true,
    description: "add each transform's rationale to the stderr summary",
  },
} as const satisfies Record<string, Spec>;

/** Options of the migration itself: top level, and inside `overrides[].options`. */
export const MIGRATION_OPTIONS = {
  python: {
    kind: 'string',
    flag: '--python <X.Y>',
    pattern: '^3\\.\\d{1,2}$',
    expected: 'a Python version like 3.12',
    description: 'Python X.Y for every Python base image',
  },
  uvVersion: {
    kind: 'string',
    flag: '--uv-version <version>',
    pattern: '^\\d+\\.\\d+\\.\\d+$',
    expected: 'a uv release like 0.13.8',
    description: `uv release copied in (default ${DEFAULT_OPTIONS.uvVersion})`,
  },
  poetryVersion: {
    kind: 'string',
    flag: '--poetry-version <version>',
    pattern: '^\\d+\\.\\d+\\.\\d+$',
    expected: 'a Poetry release like 2.1.3',
    description: `Poetry release installed in the builder of a Poetry project that does not pin one (default ${DEFAULT_OPTIONS.poetryVersion})`,
  },
  pipenvVersion: {
    kind: 'string',
    flag: '--pipenv-version <version>',
    pattern: '^\\d+\\.\\d+\\.\\d+$',
    expected: 'a Pipenv release like 2026.10.3',
    description: `Pipenv release installed in the builder of a Pipenv project that does not pin one (default ${DEFAULT_OPTIONS.pipenvVersion})`,
  },
  lockFlag: {
    kind: 'string',
    flag: '--lock-flag <flag>',
    enum: ['frozen', 'locked'],
    description: 'how uv sync installs the lockfile (default frozen)',
  },
  uid: {
    kind: 'integer',
    flag: '--uid <n>',
    min: 1,
    max: 2147483647,
    expected: 'a uid from 1 to 2147483647',
    note: '0 is root',
    description: `numeric uid and gid of the runtime user (default ${DEFAULT_OPTIONS.uid})`,
  },
  healthPath: {
    kind: 'string',
    flag: '--health-path <path>',
    pattern: '^/\\S*$',
    expected: 'a path starting with /',
    description: 'HTTP path for the HEALTHCHECK instead of a TCP connect',
  },
  healthcheck: {
    kind: 'boolean',
    flag: '--no-healthcheck',
    help: 'do not add a HEALTHCHECK',
    description: 'add a HEALTHCHECK (false: none)',
  },
  debian: {
    kind: 'string',
    flag: '--debian <release>',
    enum: ['trixie', 'bookworm'],
    description: 'Debian release for images that name none (default trixie)',
  },
  compose: {
    kind: 'boolean',
    flag: '--compose',
    description: 'add docker-compose.build.yml and docker-compose.dev.yml where missing',
  },
  composePlatforms: {
    kind: 'string[]',
    flag: '--compose-platforms <list>',
    list: 'comma',
    pattern: '^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$',
    expected: 'a platform like linux/amd64',
    description: 'platforms of the generated docker-compose.build.yml (default linux/amd64)',
  },
  composeRegistry: {
    kind: 'string',
    flag: '--compose-registry <host>',
    pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?$',
    expected: 'a registry host like ghcr.io',
    description: 'registry host of the image the generated Compose files name (default ghcr.io)',
  },
} as const satisfies Record<string, Spec>;

/** Every option, in the order `--help` lists them: what the migration does first. */
export const OPTIONS: Record<OptionKey, Spec> = { ...MIGRATION_OPTIONS, ...RUN_OPTIONS };
export type OptionKey = keyof typeof RUN_OPTIONS | keyof typeof MIGRATION_OPTIONS;

/** Per-transform options, under `transforms.<id>`; each maps onto a migration option. */
export const TRANSFORM_OPTIONS: Record<string, Record<string, keyof typeof MIGRATION_OPTIONS>> = {
  'pin-python-base': { python: 'python', debian: 'debian' },
  'pin-uv': { version: 'uvVersion' },
  'poetry-venv': { version: 'poetryVersion' },
  'pipenv-venv': { version: 'pipenvVersion' },
  'frozen-lockfile': { lockFlag: 'lockFlag' },
  'non-root-user': { uid: 'uid' },
  healthcheck: { path: 'healthPath' },
  'compose-files': { platforms: 'composePlatforms', registry: 'composeRegistry' },
};

type RunKey = keyof typeof RUN_OPTIONS;
type MigrationKey = keyof typeof MIGRATION_OPTIONS;

/** Transform settings: `false` disables, `true` enables, an object sets options (and `enabled`). */
export type TransformSettings = Record<string, boolean | Record<string, unknown>>;

export interface MigrationSettings extends Partial<Record<MigrationKey, unknown>> {
  transforms?: TransformSettings;
}

export interface Config extends MigrationSettings, Partial<Record<RunKey, unknown>> {
  overrides?: { files: string[]; options: MigrationSettings }[];
}

export const CONFIG_FILES = ['dockmig.config.json', '.dockmigrc.json'];

/** Parse and validate a config file's text; every message names the file and the bad key. */
export function parseConfig(text: string, source: string, transformIds: readonly string[]): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const fail = (where: string, what: string) => {
    throw new UsageError(`${source}: ${where} ${what}`);
  };
  const top = object(raw, 'the file', fail);
  const known = [
    ...Object.keys(RUN_OPTIONS),
    ...Object.keys(MIGRATION_OPTIONS),
    'transforms',
    'overrides',
    '$schema',
  ];
  for (const key of Object.keys(top)) {
    if (!known.includes(key))
      fail(
        `unknown key "${key}";`,
        `the keys are: ${known.filter((k) => k !== '$schema').join(', ')}`,
      );
  }
  for (const [key, value] of Object.entries(top)) {
    if (key in OPTIONS) check(value, OPTIONS[key as OptionKey], `"${key}"`, fail);
  }
  for (const key of ['only', 'skip'] as const) {
    const unknown = unknownTransform((top[key] as string[] | undefined) ?? [], transformIds);
    if (unknown) fail(`"${key}":`, unknown);
  }
  if (top.write === true && top.check === true) fail('"write" and "check"', 'cannot both be true');
  if (top.interactive === true && top.check === true)
    fail('"interactive" and "check"', 'cannot both be true');
  if (top.transforms !== undefined)
    checkTransforms(top.transforms, '"transforms"', transformIds, fail);
  if (top.overrides !== undefined) {
    if (!Array.isArray(top.overrides))
      fail('"overrides"', 'must be a list of { "files": [...], "options": {...} }');
    (top.overrides as unknown[]).forEach((o, i) => {
      const where = `"overrides[${i}]"`;
      const entry = object(o, where, fail);
      for (const key of Object.keys(entry)) {
        if (key !== 'files' && key !== 'options')
          fail(`${where}: unknown key "${key}";`, 'the keys are: files, options');
      }
      if (typeof entry.files === 'string') entry.files = [entry.files];
      check(entry.files, { kind: 'string[]', description: '' }, `${where}.files`, fail);
      if ((entry.files as string[]).length === 0)
        fail(`${where}.files`, 'must name at least one path or glob');
      const options = object(entry.options ?? {}, `${where}.options`, fail);
      const allowed = [...Object.keys(MIGRATION_OPTIONS), 'transforms'];
      for (const [key, value] of Object.entries(options)) {
        if (!allowed.includes(key))
          fail(
            `${where}.options: unknown key "${key}";`,
            `per-path options are: ${allowed.join(', ')}`,
          );
        if (key === 'transforms')
          checkTransforms(value, `${where}.options.transforms`, transformIds, fail);
        else check(value, MIGRATION_OPTIONS[key as MigrationKey], `${where}.options.${key}`, fail);
      }
      entry.options = options;
    });
  }
  return top as Config;
}

type Fail = (where: string, what: string) => never;

function object(value: unknown, where: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(where, 'must be a JSON object');
  return value as Record<string, unknown>;
}

/** The words for an id that names no transform, or null when every one of `ids` does. */
export function unknownTransform(ids: readonly string[], known: readonly string[]): string | null {
  const id = ids.find((i) => !known.includes(i));
  return id === undefined
    ? null
    : `unknown transform "${id}"; the transforms are: ${known.join(', ')}`;
}

/**
 * What is wrong with a migration option's value given to the library, worded as the file's
 * validator words it, or null (null itself stands for "not set" where the option allows it).
 */
export function migrationOptionProblem(key: string, value: unknown): string | null {
  const spec = (MIGRATION_OPTIONS as Record<string, Spec>)[key];
  if (spec === undefined || value === null) return null;
  const wrong = judge(value, spec);
  if (!wrong) return null;
  return wrong.item !== undefined
    ? `"${wrong.item}" is not ${wrong.expected}`
    : `must be ${wrong.expected} (got ${JSON.stringify(value)})`;
}

/**
 * The one judgement of a value, from the file or from a flag: null when taken, else what was
 * expected (and the item of a list that is not).
 */
function judge(value: unknown, spec: Spec): { expected: string; item?: string } | null {
  switch (spec.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? null : { expected: 'true or false' };
    case 'integer':
      return Number.isInteger(value) &&
        (value as number) >= spec.min! &&
        (value as number) <= spec.max!
        ? null
        : { expected: spec.expected ?? `a whole number from ${spec.min} to ${spec.max}` };
    case 'size':
      return (Number.isInteger(value) && (value as number) > 0) ||
        (typeof value === 'string' && parseSize(value) !== null)
        ? null
        : { expected: 'a size like 1048576, 512k or 2M' };
    case 'string[]': {
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
        return { expected: 'a list of strings' };
      const item = spec.pattern
        ? (value as string[]).find((v) => !new RegExp(spec.pattern!).test(v))
        : undefined;
      return item === undefined ? null : { expected: spec.expected!, item };
    }
    case 'string':
      if (typeof value !== 'string') return { expected: 'a string' };
      if (spec.enum && !spec.enum.includes(value))
        return { expected: `one of ${spec.enum.map((v) => `"${v}"`).join(', ')}` };
      if (spec.pattern && !new RegExp(spec.pattern).test(value))
        return { expected: spec.expected! };
      return null;
  }
}

function check(value: unknown, spec: Spec, where: string, fail: Fail): void {
  const wrong = judge(value, spec);
  if (!wrong) return;
  if (wrong.item !== undefined) fail(`${where}:`, `"${wrong.item}" is not ${wrong.expected}`);
  fail(where, `must be ${wrong.expected} (got ${JSON.stringify(value)})`);
}

/**
 * What a flag's text gives, by the same judgement as the file's value, or why it is refused,
 * worded for the command line. `previous` is the list so far of a repeated flag.
 */
export function flagValue(
  spec: Spec,
  text: string,
  previous?: unknown,
): { value: unknown } | { refused: string } {
  let value: unknown = text;
  if (spec.kind === 'integer') value = /^\d+$/.test(text) ? Number(text) : text;
  if (spec.kind === 'size') value = parseSize(text) ?? text;
  if (spec.kind === 'string[]')
    value =
      spec.list === 'repeat'
        ? [...((previous as string[] | undefined) ?? []), text]
        : text
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
  const wrong = judge(value, spec);
  if (!wrong) return { value };
  if (wrong.item !== undefined) return { refused: `"${wrong.item}" is not ${wrong.expected}.` };
  return { refused: `${wrong.expected} is expected${spec.note ? ` (${spec.note})` : ''}.` };
}

function checkTransforms(value: unknown, where: string, ids: readonly string[], fail: Fail): void {
  const all = object(value, where, fail);
  for (const [id, setting] of Object.entries(all)) {
    if (!ids.includes(id))
      fail(`${where}: unknown transform "${id}";`, `the transforms are: ${ids.join(', ')}`);
    if (typeof setting === 'boolean') continue;
    const opts = object(setting, `${where}.${id}`, fail);
    const allowed = ['enabled', ...Object.keys(TRANSFORM_OPTIONS[id] ?? {})];
    for (const [key, v] of Object.entries(opts)) {
      if (!allowed.includes(key))
        fail(`${where}.${id}: unknown key "${key}";`, `${id} takes: ${allowed.join(', ')}`);
      if (key === 'enabled')
        check(v, { kind: 'boolean', description: '' }, `${where}.${id}.enabled`, fail);
      else check(v, MIGRATION_OPTIONS[TRANSFORM_OPTIONS[id][key]], `${where}.${id}.${key}`, fail);
    }
  }
}

/** `1048576`, `512k`, `512KiB`, `1M`, `1MiB`, or null. */
export function parseSize(value: string): number | null {
  const m = /^(\d+)\s*(k|kib|kb|m|mib|mb)?$/i.exec(value.trim());
  if (!m || Number(m[1]) === 0) return null;
  const unit = (m[2] ?? '').toLowerCase();
  return Number(m[1]) * (unit.startsWith('m') ? 1024 * 1024 : unit.startsWith('k') ? 1024 : 1);
}

/**
 * The migration options for one Dockerfile: defaults, then the file's top level, then each
 * override whose globs match the path (in order), then the CLI flags, which win over the file.
 * `path` is relative to the config file's directory, `/`-separated.
 */
export function migrationOptionsFor(
  base: MigrationOptions,
  config: Config | null,
  cli: MigrationSettings & { only?: string[] | null; skip?: string[] },
  path: string,
): MigrationOptions {
  const layers: MigrationSettings[] = [];
  if (config) {
    layers.push(config);
    for (const o of config.overrides ?? [])
      if (o.files.some((g) => globMatch(g, path))) layers.push(o.options);
  }
  layers.push(cli);
  const out: MigrationOptions = { ...base, skip: [...base.skip] };
  const disabled = new Set(out.skip);
  for (const layer of layers) {
    for (const key of Object.keys(MIGRATION_OPTIONS) as MigrationKey[]) {
      if (layer[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = layer[key];
    }
    for (const [id, setting] of Object.entries(layer.transforms ?? {})) {
      const enabled =
        typeof setting === 'boolean' ? setting : (setting.enabled as boolean | undefined);
      if (enabled === false) disabled.add(id);
      if (enabled === true) disabled.delete(id);
      if (typeof setting === 'object') {
        for (const [key, value] of Object.entries(setting)) {
          const target = TRANSFORM_OPTIONS[id]?.[key];
          if (target) (out as unknown as Record<string, unknown>)[target] = value;
        }
      }
    }
  }
  const topOnly = (config?.only as string[] | undefined) ?? null;
  const topSkip = (config?.skip as string[] | undefined) ?? [];
  for (const id of cli.skip ?? topSkip) disabled.add(id);
  out.only = cli.only ?? topOnly ?? base.only;
  out.skip = [...disabled];
  return out;
}

/**
 * A path matches a glob: `*` within a segment, `**` across segments, `?` one character; a pattern
 * without wildcards also matches everything under it (`services/api` or `services/api/`).
 */
export function globMatch(glob: string, path: string): boolean {
  const g = glob.replace(/^\.\//, '').replace(/\/$/, '');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i];
    if (c === '*' && g[i + 1] === '*') {
      re += g[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += g[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}(?:/.*)?$`).test(path);
}

/** The JSON Schema of the config file, for editors (`$schema`) and for the tests. */
export function configSchema(transformIds: readonly string[]): object {
  const prop = (spec: Spec): object => {
    const base = { description: spec.description };
    switch (spec.kind) {
      case 'boolean':
        return { ...base, type: 'boolean' };
      case 'integer':
        return { ...base, type: 'integer', minimum: spec.min, maximum: spec.max };
      case 'size':
        return {
          ...base,
          oneOf: [
            { type: 'integer', minimum: 1 },
            {
              type: 'string',
              pattern: '^\\s*[0-9]*[1-9][0-9]*\\s*([kK]|[kK][iI]?[bB]|[mM]|[mM][iI]?[bB])?\\s*$',
            },
          ],
        };
      case 'string[]':
        return {
          ...base,
          type: 'array',
          items: { type: 'string', ...(spec.pattern ? { pattern: spec.pattern } : {}) },
        };
      case 'string':
        return {
          ...base,
          type: 'string',
          ...(spec.enum ? { enum: spec.enum } : {}),
          ...(spec.pattern ? { pattern: spec.pattern } : {}),
        };
    }
  };
  const migration = Object.fromEntries(
    Object.entries(MIGRATION_OPTIONS).map(([k, s]) => [k, prop(s as Spec)]),
  );
  const transforms = {
    type: 'object',
    description: 'per transform: false disables it, true enables it, an object sets its options',
    additionalProperties: false,
    properties: Object.fromEntries(
      transformIds.map((id) => [
        id,
        {
          oneOf: [
            { type: 'boolean' },
            {
              type: 'object',
              additionalProperties: false,
              properties: {
                enabled: { type: 'boolean' },
                ...Object.fromEntries(
                  Object.entries(TRANSFORM_OPTIONS[id] ?? {}).map(([k, target]) => [
                    k,
                    prop(MIGRATION_OPTIONS[target]),
                  ]),
                ),
              },
            },
          ],
        },
      ]),
    ),
  };
  const ids = { type: 'array', items: { type: 'string', enum: transformIds } };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'dockmig configuration',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      ...Object.fromEntries(Object.entries(RUN_OPTIONS).map(([k, s]) => [k, prop(s)])),
      only: { ...ids, description: RUN_OPTIONS.only.description },
      skip: { ...ids, description: RUN_OPTIONS.skip.description },
      ...migration,
      transforms,
      overrides: {
        type: 'array',
        description: 'options for the Dockerfiles under some paths (globs relative to this file)',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['files'],
          properties: {
            files: {
              oneOf: [
                { type: 'string' },
                { type: 'array', items: { type: 'string' }, minItems: 1 },
              ],
            },
            options: {
              type: 'object',
              additionalProperties: false,
              properties: { ...migration, transforms },
            },
          },
        },
      },
    },
    allOf: [
      {
        not: {
          properties: { write: { const: true }, check: { const: true } },
          required: ['write', 'check'],
        },
      },
      {
        not: {
          properties: { interactive: { const: true }, check: { const: true } },
          required: ['interactive', 'check'],
        },
      },
    ],
  };
}
