/**
 * The wheels pip installs in the tests (NOT the real packages): no package index is reachable, so
 * a fixture's build gets a directory of wheels made here, mounted at /stand-in-wheels, which the
 * base image's pip.conf names as its only source (test/helpers/engine-images.ts).
 *
 * `standInWheels(tree, dir)` writes one wheel per distribution the fixture's tree asks for: its
 * requirement files (`requirements*.txt`, constraints, and what they include with `-r`/`-c`),
 * pyproject.toml (`[project]` dependencies and extras, `[build-system] requires`, dependency
 * groups, Poetry's dependency tables), poetry.lock, Pipfile.lock, uv.lock (what `uv export`
 * writes comes from it) and the names its Dockerfiles `pip install`, and what those require in
 * turn. A `==X` pin gets version `X+stand.in` (PEP 440 ignores the local label when matching
 * `==X`); anything else the distribution's own version, or, where that does not meet a
 * requirement, the lowest version that does. A distribution with a directory in the stand-in
 * index (test/verify/stand-in-index) gets that directory's modules, requirements, extras and
 * console scripts, and every directory there gets a wheel at its own version, asked for or not (so
 * `pip install poetry==X` works once a `poetry` directory exists at X); any other name an empty
 * placeholder package, as the uv stand-in installs. The real wheels given as `real` (Debian's
 * setuptools, wheel and pip, which `pip install .` and `pip install --upgrade pip` need) are
 * served as they are, or relabelled with a version that meets a requirement their own does not
 * (`setuptools>=75` gets Debian's setuptools 66 as `75`, a plain version because setuptools
 * and wheel read it as numbers), their files unchanged. When the tree has a uv.lock, every name
 * is served at its own version too: the uv stand-in's `uv export` writes a name uv.lock does not
 * list at that version.
 *
 * The bytes depend on the inputs only: entries sorted, a fixed timestamp, no compression.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { parse as parseToml } from 'smol-toml';
import { parse } from '../../src/core/document.js';
import { pipInstalls } from '../../src/core/pip.js';
import { wordValue } from '../../src/core/venv.js';

export const STAND_IN_INDEX = join(import.meta.dirname, '..', 'verify', 'stand-in-index');
const LABEL = 'stand.in';

export interface StandInWheelsOptions {
  /** Real wheel files to serve as well, e.g. Debian's /usr/share/python-wheels. */
  real?: string[];
  /** The stand-in index (default test/verify/stand-in-index). */
  index?: string;
}

interface Dist {
  name: string;
  version: string;
  requires: string[];
  extras: Record<string, string[]>;
  scripts: Record<string, string>;
  files: Map<string, Buffer>;
}

export const normalize = (name: string) => name.replace(/[-_.]+/g, '-').toLowerCase();
const moduleName = (name: string) => name.replace(/[-.]+/g, '_').toLowerCase();
const wheelName = (name: string) => normalize(name).replace(/-/g, '_');

/** The stand-in index: each directory with a dist.toml, keyed by normalized name. */
export function readIndex(root = STAND_IN_INDEX): Map<string, Dist> {
  const dists = new Map<string, Dist>();
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const dir = join(root, entry.name);
    if (!entry.isDirectory() || !existsSync(join(dir, 'dist.toml'))) continue;
    const meta = parseToml(readFileSync(join(dir, 'dist.toml'), 'utf8')) as {
      name: string;
      version: string;
      requires?: string[];
      extras?: Record<string, string[]>;
      scripts?: Record<string, string>;
    };
    const files = new Map<string, Buffer>();
    const walk = (d: string, rel: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.name === '__pycache__') continue;
        const path = join(d, e.name);
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(path, r);
        else if (r !== 'dist.toml') files.set(r, readFileSync(path));
      }
    };
    walk(dir, '');
    dists.set(normalize(meta.name), {
      name: meta.name,
      version: meta.version,
      requires: meta.requires ?? [],
      extras: meta.extras ?? {},
      scripts: meta.scripts ?? {},
      files,
    });
  }
  // The servers' shared module is a stand-in's own part, not a distribution any real lock lists:
  // Pipenv and Poetry install a lock with `--no-deps`, so each server carries it in its own wheel.
  const shared = dists.get('stand-in-servers');
  if (shared)
    for (const dist of dists.values()) {
      if (!dist.requires.some((r) => normalize(r) === 'stand-in-servers')) continue;
      dist.requires = dist.requires.filter((r) => normalize(r) !== 'stand-in-servers');
      for (const [path, data] of shared.files) dist.files.set(path, data);
    }
  return dists;
}

// --- requirements -------------------------------------------------------------------------------

export interface Requirement {
  name: string;
  extras: string[];
  /** PEP 440 specifiers, comma-separated; '' for any version. */
  specifier: string;
}

const REQUIREMENT = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(.*)$/;

/** `name[extra] >=1, <2 ; marker` (markers are not evaluated: a wheel too many is harmless). */
export function parseRequirement(text: string): Requirement | undefined {
  const m = REQUIREMENT.exec(text.split(';')[0]);
  if (!m || m[3].trim().startsWith('@')) return undefined;
  const specifier = m[3].replace(/[()\s]/g, '');
  if (
    specifier &&
    !/^(?:(?:===?|!=|~=|<=?|>=?)[^,]+)(?:,(?:===?|!=|~=|<=?|>=?)[^,]+)*$/.test(specifier)
  )
    return undefined;
  const extras = (m[2] ?? '')
    .split(',')
    .map((e) => normalize(e.trim()))
    .filter(Boolean);
  return { name: m[1], extras, specifier };
}

/** The requirements of one requirement file, with the files it includes (`-r`, `-c`). */
function requirementFile(tree: Record<string, string>, path: string, seen: Set<string>): string[] {
  if (seen.has(path) || !(path in tree)) return [];
  seen.add(path);
  const out: string[] = [];
  for (const raw of tree[path].replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    const include = /^(?:-r|--requirement|-c|--constraint)(?:\s*=?\s*)(\S+)/.exec(line);
    if (include)
      out.push(...requirementFile(tree, posix.join(posix.dirname(path), include[1]), seen));
    else if (line && !line.startsWith('-')) out.push(line.split(/\s--hash/)[0].trim());
  }
  return out;
}

/** Poetry's `^1.2` / `~1.2` / `1.2.*` / `*` as PEP 440; only the lower bound matters here. */
function poetrySpecifier(value: unknown): string {
  const text = typeof value === 'string' ? value : ((value as { version?: string })?.version ?? '');
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part && part !== '*')
    .map((part) => {
      const bound = /^[\^~](?!=)\s*(.+)$/.exec(part);
      if (bound) return `>=${bound[1]}`;
      if (/^\d/.test(part)) return `==${part}`;
      return part.replace(/\s+/g, '');
    })
    .join(',');
}

const PIP_VALUED = new Set(
  (
    '-r --requirement -c --constraint -e --editable -i --index-url --extra-index-url -f ' +
    '--find-links -t --target --prefix --root --trusted-host --platform --python-version ' +
    '--implementation --abi --src --upgrade-strategy --cache-dir --log --timeout --retries ' +
    '--progress-bar -C --config-settings --global-option --no-binary --only-binary --proxy ' +
    '--cert --client-cert --exists-action --report'
  ).split(' '),
);

/**
 * The names a Dockerfile's `pip install` lines ask for, read by dockmig's own model, so that a
 * version from the file's ENV or ARG (`"poetry==$POETRY_VERSION"`) is the one pip is asked for.
 */
function dockerfilePipInstalls(text: string): string[] {
  const doc = parse(text.replace(/^\uFEFF/, ''));
  const out: string[] = [];
  for (const stage of doc.stages)
    for (const install of pipInstalls(doc, stage))
      for (const word of install.command.words.slice(install.at + 1)) {
        const value = wordValue(doc, install.instr, word);
        if (value === null || value.startsWith('-') || /\//.test(value) || value === '.') continue;
        // A word after an option that takes a value is that value, not a requirement.
        const before = install.command.words[install.command.words.indexOf(word) - 1]?.value ?? '';
        if (PIP_VALUED.has(before)) continue;
        if (parseRequirement(value)) out.push(value);
      }
  return out;
}

type Toml = Record<string, unknown>;
const tomlOf = (text: string): Toml | undefined => {
  try {
    return parseToml(text) as Toml;
  } catch {
    return undefined;
  }
};
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** Every requirement a fixture's tree states, as PEP 508 text. */
export function treeRequirements(tree: Record<string, string>): string[] {
  const out: string[] = [];
  const paths = Object.keys(tree).sort();
  const seen = new Set<string>();
  for (const path of paths) {
    const name = basename(path);
    if (/\.(txt|in)$/.test(name) && /requirement|constraint/i.test(path))
      out.push(...requirementFile(tree, path, seen));
    if (/(^|\.)(Dockerfile|Containerfile)(\.|$)/i.test(name))
      out.push(...dockerfilePipInstalls(tree[path]));
    if (name === 'pyproject.toml') {
      const toml = tomlOf(tree[path]);
      const project = (toml?.project ?? {}) as Toml;
      out.push(...strings(project.dependencies));
      for (const extra of Object.values((project['optional-dependencies'] ?? {}) as Toml))
        out.push(...strings(extra));
      out.push(...strings((toml?.['build-system'] as Toml | undefined)?.requires));
      for (const group of Object.values((toml?.['dependency-groups'] ?? {}) as Toml))
        out.push(...strings(group));
      const poetry = ((toml?.tool as Toml | undefined)?.poetry ?? {}) as Toml;
      const tables = [
        poetry.dependencies,
        poetry['dev-dependencies'],
        ...Object.values((poetry.group ?? {}) as Record<string, Toml>).map((g) => g.dependencies),
      ];
      for (const table of tables)
        for (const [dep, value] of Object.entries((table ?? {}) as Toml))
          if (dep !== 'python') out.push(`${dep}${poetrySpecifier(value)}`);
    }
    if (name === 'poetry.lock' || name === 'uv.lock') {
      const packages = (tomlOf(tree[path])?.package ?? []) as Toml[];
      for (const p of packages) {
        const source = (p.source ?? {}) as Toml;
        // The project itself (and workspace members) are built from the tree, not served.
        if ('editable' in source || 'virtual' in source || source.type === 'directory') continue;
        if (typeof p.name === 'string' && typeof p.version === 'string')
          out.push(`${p.name}==${p.version}`);
      }
    }
    if (name === 'Pipfile.lock') {
      try {
        const lock = JSON.parse(tree[path]) as Record<string, Record<string, { version?: string }>>;
        for (const section of ['default', 'develop'])
          for (const [dep, entry] of Object.entries(lock[section] ?? {}))
            out.push(`${dep}${entry.version ?? ''}`);
      } catch {
        // An unreadable lockfile asks for nothing; pipenv fails on it in the build as it would.
      }
    }
  }
  return out;
}

// --- versions -----------------------------------------------------------------------------------

const release = (version: string) =>
  (/^\s*v?(\d+(?:\.\d+)*)/.exec(version)?.[1] ?? '0').split('.').map(Number);
function compare(a: string, b: string): number {
  const x = release(a);
  const y = release(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
const publicOf = (version: string) => version.split('+')[0];

/** Whether `version` meets every specifier of `specifier` (release numbers; local labels ignored). */
export function satisfies(version: string, specifier: string): boolean {
  return specifier
    .split(',')
    .filter(Boolean)
    .every((one) => {
      const [, op, rawTarget] = /^(===|==|!=|~=|<=|>=|<|>)(.+)$/.exec(one) ?? [];
      if (!op) return true;
      if (op === '===') return version === rawTarget;
      const target = publicOf(rawTarget);
      if (target.endsWith('.*')) {
        const prefix = release(target.slice(0, -2));
        const same = prefix.every((n, i) => (release(version)[i] ?? 0) === n);
        return op === '!=' ? !same : same;
      }
      const c = compare(publicOf(version), target);
      switch (op) {
        case '==':
          return c === 0 && sameRelease(version, target);
        case '!=':
          return !(c === 0 && sameRelease(version, target));
        case '<=':
          return c <= 0;
        case '>=':
          return c >= 0;
        case '<':
          return c < 0;
        case '>':
          return c > 0;
        default: {
          const parts = release(target);
          const upper = [...parts.slice(0, Math.max(1, parts.length - 1))];
          upper[upper.length - 1] += 1;
          return c >= 0 && compare(publicOf(version), upper.join('.')) < 0;
        }
      }
    });
}
/** `==1.2` matches 1.2.0 (zero padding) but not 1.2.0rc1: the text past the release must agree. */
const sameRelease = (version: string, target: string) =>
  publicOf(version).replace(/^v?[\d.]+/, '') === target.replace(/^v?[\d.]+/, '');

/** The lowest version a specifier allows, by its lower bounds; undefined when it has none. */
function lowest(specifier: string): string | undefined {
  let found: string | undefined;
  for (const one of specifier.split(',')) {
    const [, op, target] = /^(>=|~=|>|==)(.+)$/.exec(one) ?? [];
    if (!op) continue;
    let candidate = publicOf(target).replace(/\.\*$/, '');
    if (op === '>') {
      const parts = release(candidate);
      parts[parts.length - 1] += 1;
      candidate = parts.join('.');
    }
    if (!found || compare(candidate, found) > 0) found = candidate;
  }
  return found;
}

const standIn = (version: string) => `${publicOf(version)}+${LABEL}`;

// --- zip ----------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip of stored entries in the given order, dated 1980-01-01 (the earliest zip can say). */
export function writeZip(entries: [string, Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(0, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by Unix, so the mode below counts
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The files of a zip (stored or deflated entries, no zip64), in its order. */
export function readZip(zip: Buffer): [string, Buffer][] {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out: [string, Buffer][] = [];
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const local = zip.readUInt32LE(at + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + size);
    if (!name.endsWith('/'))
      out.push([name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw)]);
    at += 46 + skip;
  }
  return out;
}

// --- wheels -------------------------------------------------------------------------------------

const recordHash = (data: Buffer) =>
  `sha256=${createHash('sha256').update(data).digest('base64url')}`;

/** A wheel of `files` plus the .dist-info files, RECORD last and listing them all. */
function packWheel(
  name: string,
  version: string,
  files: Map<string, Buffer>,
  info: Record<string, string>,
): Buffer {
  const infoDir = `${wheelName(name)}-${version}.dist-info`;
  const entries: [string, Buffer][] = [...files.entries()]
    .filter(([path]) => !path.startsWith(`${infoDir}/`))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [file, text] of Object.entries(info))
    entries.push([`${infoDir}/${file}`, Buffer.from(text)]);
  const record = [
    ...entries.map(([path, data]) => `${path},${recordHash(data)},${data.length}`),
    `${infoDir}/RECORD,,`,
  ];
  entries.push([`${infoDir}/RECORD`, Buffer.from(`${record.join('\n')}\n`)]);
  return writeZip(entries);
}

function standInWheel(dist: Dist, version: string): Buffer {
  const metadata = [
    'Metadata-Version: 2.1',
    `Name: ${dist.name}`,
    `Version: ${version}`,
    'Summary: Stand-in of the dockmig tests, NOT the real package',
    ...dist.requires.map((r) => `Requires-Dist: ${r}`),
    ...Object.entries(dist.extras).flatMap(([extra, requires]) => [
      `Provides-Extra: ${extra}`,
      ...requires.map((r) => `Requires-Dist: ${r}; extra == "${extra}"`),
    ]),
    '',
  ].join('\n');
  const info: Record<string, string> = {
    METADATA: metadata,
    WHEEL:
      'Wheel-Version: 1.0\nGenerator: dockmig-stand-in-wheels\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
  };
  const scripts = Object.entries(dist.scripts);
  if (scripts.length > 0)
    info['entry_points.txt'] =
      `[console_scripts]\n${scripts.map(([k, v]) => `${k} = ${v}`).join('\n')}\n`;
  return packWheel(dist.name, version, dist.files, info);
}

/** A real wheel under another version: the .dist-info renamed, METADATA's Version, a new RECORD. */
export function relabelWheel(wheel: Buffer, version: string): Buffer {
  const entries = readZip(wheel);
  const info = entries.find(([path]) => /^[^/]+\.dist-info\/METADATA$/.test(path));
  if (!info) throw new Error('a wheel without .dist-info/METADATA');
  const oldDir = info[0].split('/')[0];
  const name = /^Name: (.+)$/m.exec(info[1].toString('utf8'))?.[1]?.trim() ?? oldDir.split('-')[0];
  const files = new Map<string, Buffer>();
  const infoFiles: Record<string, string> = {};
  for (const [path, data] of entries) {
    if (path.startsWith(`${oldDir}/`)) {
      const rest = path.slice(oldDir.length + 1);
      if (rest === 'RECORD') continue;
      infoFiles[rest] =
        rest === 'METADATA'
          ? data.toString('utf8').replace(/^Version: .*$/m, `Version: ${version}`)
          : data.toString('utf8');
    } else files.set(path, data);
  }
  return packWheel(name, version, files, infoFiles);
}

interface Real {
  name: string;
  version: string;
  path: string;
}

/**
 * Writes the wheels `tree` asks for into `dir` (made if absent) and returns their file names,
 * sorted. Throws when a requirement cannot be met by any version this can make (an upper bound
 * below every pin), rather than leave pip to fail later with less to go on.
 */
export function standInWheels(
  tree: Record<string, string>,
  dir: string,
  options: StandInWheelsOptions = {},
): string[] {
  const index = readIndex(options.index);
  const real = new Map<string, Real>();
  for (const path of options.real ?? []) {
    const m = /^(.+?)-([^-]+)-[^-]+-[^-]+-[^-]+\.whl$/.exec(basename(path));
    if (m) real.set(normalize(m[1]), { name: m[1], version: m[2], path });
  }
  const ownVersion = (key: string) =>
    index.get(key)?.version ?? real.get(key)?.version ?? `0+${LABEL}`;

  // Every requirement, followed through the stand-ins' own requirements and asked-for extras.
  const asked = new Map<string, { name: string; specifiers: string[] }>();
  const extrasSeen = new Map<string, Set<string>>();
  // Every stand-in and real wheel at its own version too: a build may ask for one the tree does
  // not name (setuptools asks for wheel), or a tool's stand-in (`pip install poetry==X`).
  const todo = [
    ...treeRequirements(tree),
    ...[...index.values()].map((d) => d.name),
    ...[...real.values()].map((r) => r.name),
  ];
  while (todo.length > 0) {
    const requirement = parseRequirement(todo.shift()!);
    if (!requirement) continue;
    const key = normalize(requirement.name);
    const entry = asked.get(key) ?? { name: requirement.name, specifiers: [] };
    const first = !asked.has(key);
    asked.set(key, entry);
    entry.specifiers.push(requirement.specifier);
    const dist = index.get(key);
    if (!dist) continue;
    if (first) todo.push(...dist.requires);
    const seen = extrasSeen.get(key) ?? new Set<string>();
    extrasSeen.set(key, seen);
    for (const extra of requirement.extras) {
      if (seen.has(extra)) continue;
      seen.add(extra);
      const found = Object.entries(dist.extras).find(([e]) => normalize(e) === extra);
      todo.push(...(found?.[1] ?? []));
    }
  }

  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const key of [...asked.keys()].sort()) {
    const { name, specifiers } = asked.get(key)!;
    // A real wheel relabelled gets a plain version: setuptools and wheel read setuptools'
    // version as numbers (`int('75+stand')` fails the build).
    const label = real.has(key) && !index.has(key) ? publicOf : standIn;
    const versions = new Set<string>(index.has(key) || real.has(key) ? [ownVersion(key)] : []);
    // What the uv stand-in's `uv export` writes for a name uv.lock does not list.
    if (Object.keys(tree).some((path) => basename(path) === 'uv.lock'))
      versions.add(ownVersion(key));
    for (const specifier of specifiers) {
      const pin = /^===?([^,*]+)$/.exec(specifier);
      if (pin) versions.add(label(pin[1]));
    }
    for (const specifier of specifiers) {
      if ([...versions].some((v) => satisfies(v, specifier))) continue;
      const own = ownVersion(key);
      const version = satisfies(own, specifier) ? own : label(lowest(specifier) ?? own);
      if (!satisfies(version, specifier))
        throw new Error(`stand-in wheels: no version made here meets ${name}${specifier}`);
      versions.add(version);
    }
    for (const version of [...versions].sort()) {
      const dist = index.get(key);
      const file = `${wheelName(dist?.name ?? name)}-${version}-py3-none-any.whl`;
      const found = real.get(key);
      if (dist) writeFileSync(join(dir, file), standInWheel(dist, version));
      else if (found && version === found.version)
        writeFileSync(join(dir, basename(found.path)), readFileSync(found.path));
      else if (found)
        writeFileSync(join(dir, file), relabelWheel(readFileSync(found.path), version));
      else
        writeFileSync(
          join(dir, file),
          standInWheel(
            {
              name: normalize(name),
              version,
              requires: [],
              extras: {},
              scripts: {},
              files: new Map([
                [
                  `${moduleName(name)}/__init__.py`,
                  Buffer.from(
                    `"""Placeholder served by the stand-in wheels of the tests: NOT ${name}."""\n`,
                  ),
                ],
              ]),
            },
            version,
          ),
        );
      written.push(found && version === found.version ? basename(found.path) : file);
    }
  }
  return written.sort();
}
