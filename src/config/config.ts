/**
 * `dockmig.config.json` / `.dockmigrc.json`: every CLI option, per-transform options and
 * enable/disable, and per-path overrides. One table describes each key; the validator, the JSON
 * Schema (`schema/dockmig.config.schema.json`, written by `npm run schema`) and the mapping onto
 * migration options are all derived from it, so they cannot drift apart. Pure: text in, data out.
 */
import type { MigrationOptions } from '../core/types.js';
import { UsageError } from '../errors.js';

type Kind = 'string' | 'boolean' | 'integer' | 'string[]' | 'size';

interface Spec {
  kind: Kind;
  description: string;
  enum?: readonly string[];
  pattern?: string;
  /** What a pattern means, for the error message. */
  expected?: string;
  min?: number;
  max?: number;
}

/** Options of a run (top level only). */
export const RUN_OPTIONS = {
  paths: { kind: 'string[]', description: 'Dockerfiles or directories to migrate (default: .)' },
  write: { kind: 'boolean', description: 'write the change sets instead of printing a diff' },
  check: { kind: 'boolean', description: 'exit 1 when anything would change (for CI)' },
  context: {
    kind: 'string',
    description: "build context of the Dockerfiles (default: each Dockerfile's directory)",
  },
  format: {
    kind: 'string',
    enum: ['diff', 'json', 'sarif', 'markdown'],
    description: 'what stdout carries',
  },
  report: {
    kind: 'string',
    pattern: '\\.html?$',
    expected: 'a file name ending in .html',
    description: 'also write a self-contained HTML review page here',
  },
  maxSize: {
    kind: 'size',
    description: 'refuse Dockerfiles larger than this (bytes, or "512k", "2M")',
  },
  quiet: { kind: 'boolean', description: 'print only errors and the total on stderr' },
  verbose: { kind: 'boolean', description: "add each transform's rationale to the stderr summary" },
  pinDigests: {
    kind: 'boolean',
    description:
      'pin every pulled image to tag@sha256 of its multi-arch index, asking its registry',
  },
  digests: {
    kind: 'string',
    description: 'JSON file of image -> digest to pin with, without asking a registry',
  },
  saveDigests: {
    kind: 'string',
    description: 'write the digests the run pinned with (known and resolved) to this JSON file',
  },
  registryMirror: {
    kind: 'string[]',
    description:
      'registries to ask instead, as "HOST=URL" (e.g. "docker.io=https://mirror.example.com")',
  },
  registryTimeout: {
    kind: 'integer',
    min: 1,
    max: 600,
    description: 'seconds to wait for a registry answer (default 15)',
  },
  only: { kind: 'string[]', description: 'run only these transforms (ids)' },
  skip: { kind: 'string[]', description: 'skip these transforms (ids)' },
} as const satisfies Record<string, Spec>;

/** Options of the migration itself: top level, and inside `overrides[].options`. */
export const MIGRATION_OPTIONS = {
  python: {
    kind: 'string',
    pattern: '^3\\.\\d{1,2}$',
    expected: 'a Python version like "3.12"',
    description: 'Python X.Y for every Python base image',
  },
  uvVersion: {
    kind: 'string',
    pattern: '^\\d+\\.\\d+\\.\\d+$',
    expected: 'a uv release like "0.13.8"',
    description: 'uv release copied in',
  },
  poetryVersion: {
    kind: 'string',
    pattern: '^\\d+\\.\\d+\\.\\d+$',
    expected: 'a Poetry release like "2.1.3"',
    description:
      'Poetry release installed in the builder of a Poetry project that does not pin one',
  },
  pipenvVersion: {
    kind: 'string',
    pattern: '^\\d+\\.\\d+\\.\\d+$',
    expected: 'a Pipenv release like "2026.10.3"',
    description:
      'Pipenv release installed in the builder of a Pipenv project that does not pin one',
  },
  lockFlag: {
    kind: 'string',
    enum: ['frozen', 'locked'],
    description: 'how uv sync installs the lockfile',
  },
  uid: {
    kind: 'integer',
    min: 1,
    max: 2147483647,
    description: 'numeric uid and gid of the runtime user (not 0)',
  },
  healthPath: {
    kind: 'string',
    pattern: '^/\\S*$',
    expected: 'a path starting with /',
    description: 'HTTP path for the HEALTHCHECK instead of a TCP connect',
  },
  healthcheck: { kind: 'boolean', description: 'add a HEALTHCHECK (false: none)' },
  debian: {
    kind: 'string',
    enum: ['trixie', 'bookworm'],
    description: 'Debian release for images that name none',
  },
  compose: {
    kind: 'boolean',
    description: 'add docker-compose.build.yml and docker-compose.dev.yml where missing',
  },
  composePlatforms: {
    kind: 'string[]',
    description: 'platforms of the generated docker-compose.build.yml (default ["linux/amd64"])',
  },
  composeRegistry: {
    kind: 'string',
    pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?$',
    expected: 'a registry host like "ghcr.io"',
    description: 'registry host of the image the generated Compose files name (default ghcr.io)',
  },
} as const satisfies Record<string, Spec>;

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
  const specs: Record<string, Spec> = { ...RUN_OPTIONS, ...MIGRATION_OPTIONS };
  for (const [key, value] of Object.entries(top)) {
    if (specs[key]) check(value, specs[key], `"${key}"`, fail);
  }
  for (const key of ['only', 'skip'] as const) {
    for (const id of (top[key] as string[] | undefined) ?? []) {
      if (!transformIds.includes(id))
        fail(
          `"${key}":`,
          `unknown transform "${id}"; the transforms are: ${transformIds.join(', ')}`,
        );
    }
  }
  if (top.write === true && top.check === true) fail('"write" and "check"', 'cannot both be true');
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

function check(value: unknown, spec: Spec, where: string, fail: Fail): void {
  const got = `(got ${JSON.stringify(value)})`;
  switch (spec.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') fail(where, `must be true or false ${got}`);
      return;
    case 'integer':
      if (
        !Number.isInteger(value) ||
        (value as number) < spec.min! ||
        (value as number) > spec.max!
      )
        fail(where, `must be a whole number from ${spec.min} to ${spec.max} ${got}`);
      return;
    case 'size':
      if (!(
        (Number.isInteger(value) && (value as number) > 0) ||
        (typeof value === 'string' && parseSize(value) !== null)
      ))
        fail(where, `must be a size like 1048576, "512k" or "2M" ${got}`);
      return;
    case 'string[]':
      if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
        fail(where, `must be a list of strings ${got}`);
      return;
    case 'string':
      if (typeof value !== 'string') fail(where, `must be a string ${got}`);
      if (spec.enum && !spec.enum.includes(value as string))
        fail(where, `must be one of ${spec.enum.map((v) => `"${v}"`).join(', ')} ${got}`);
      if (spec.pattern && !new RegExp(spec.pattern).test(value as string))
        fail(where, `must be ${spec.expected} ${got}`);
  }
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
        return { ...base, type: 'array', items: { type: 'string' } };
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
    Object.entries(MIGRATION_OPTIONS).map(([k, s]) => [k, prop(s)]),
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
    not: {
      properties: { write: { const: true }, check: { const: true } },
      required: ['write', 'check'],
    },
  };
}
