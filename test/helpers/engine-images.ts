/**
 * The images the end-to-end tests build on, made offline with podman:
 * - the Python base, `docker.io/library/python:3.11-slim-bookworm`: a Debian bookworm rootfs
 *   (debootstrap, minbase, python3 3.11 with venv and pip: see ROOTFS) imported under the exact
 *   name the migrated Dockerfile asks for. The rootfs tarball is cached in ~/.cache/dockmig-test
 *   between runs, named by what it holds.
 *   `ensureImagesNamed` tags the same image under the other `python:<version>-slim-<release>`
 *   names the fixtures ask for: whatever the tag says, the Python inside is the rootfs's 3.11;
 * - `ghcr.io/astral-sh/uv:<version>`: NOT uv, a stand-in (test/verify/uv-stand-in) whose `/uv` is
 *   a Python program doing what uv does to an image's files (venv, packages from a stand-in
 *   index, the project), since no uv binary can be had offline. The uv images with a Python
 *   (`uv:<version>-python3.X-<release>-slim`) are the base with that `/uv` in /usr/local/bin.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DEFAULT_OPTIONS } from '../../src/core/types.js';
import { repo } from './cli.js';

export const BASE_IMAGE = 'docker.io/library/python:3.11-slim-bookworm';
export const UV_IMAGE = `ghcr.io/astral-sh/uv:${DEFAULT_OPTIONS.uvVersion}`;
/** What this sandbox needs for podman (runc, fixed ulimits); see test/verify/containers.conf. */
export const engineEnv = {
  ...process.env,
  CONTAINERS_CONF: join(repo, 'test', 'verify', 'containers.conf'),
};

function sh(cmd: string, args: string[], what: string, input?: Buffer): string {
  const r = spawnSync(cmd, args, {
    env: engineEnv,
    input,
    maxBuffer: 1 << 30,
    encoding: input ? undefined : 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) throw new Error(`${what}: ${cmd} ${args.join(' ')}: ${String(r.stderr)}`);
  return String(r.stdout);
}

/** Whether podman runs here (the e2e tests are skipped without it, except in CI). */
export function podmanWorks(): boolean {
  return spawnSync('podman', ['info'], { env: engineEnv, timeout: 30_000 }).status === 0;
}

export const podman = (...args: string[]) => sh('podman', args, 'podman');

const exists = (image: string) =>
  spawnSync('podman', ['image', 'exists', image], { env: engineEnv }).status === 0;

/** The machine's own Debian mirror (deb822 or one-line sources), else Debian's. */
function debianMirror(): string {
  const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
  return (
    /^URIs:\s*(\S+)/m.exec(read('/etc/apt/sources.list.d/debian.sources'))?.[1] ??
    /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)/m.exec(read('/etc/apt/sources.list'))?.[1] ??
    'http://deb.debian.org/debian'
  );
}

/**
 * What the rootfs holds beyond debootstrap's minbase, as the official image has it for pip: pip
 * on PATH for the system Python, installing system-wide (no PEP 668 marker, which the official
 * image does not have either), `python -m venv` with pip inside, and the real setuptools and
 * wheel wheels Debian ships in /usr/share/python-wheels (the stand-in wheels serve them to
 * `pip install .`). The pip configuration is for the tests, read by every pip in the image, venvs
 * included: no index but the stand-in wheels a build mounts at /stand-in-wheels
 * (test/helpers/stand-in-wheels.ts). It is a file, not `podman build --env`: this podman (4.3)
 * puts `--env` in the image's config only, where no RUN sees it. Requires-Python is not checked
 * because the Python under every `python:3.X` tag is this rootfs's 3.11.
 */
const ROOTFS = {
  packages: ['python3', 'python3-venv', 'python-is-python3', 'python3-pip', 'python3-wheel-whl'],
  removed: ['usr/lib/python3.11/EXTERNALLY-MANAGED', 'var/cache/apt/archives', 'var/lib/apt/lists'],
  files: {
    'etc/pip.conf': [
      '# The tests of dockmig: no package index, only the stand-in wheels the build mounts.',
      '[global]',
      'no-index = true',
      'find-links = /stand-in-wheels',
      'ignore-requires-python = true',
      'disable-pip-version-check = true',
      '',
    ].join('\n'),
  } as Record<string, string>,
};
/** Names the rootfs by what it holds, so a cached tarball or an imported image of another is never taken for it. */
export const ROOTFS_ID = createHash('sha256')
  .update(JSON.stringify(ROOTFS))
  .digest('hex')
  .slice(0, 12);
const ROOTFS_LABEL = 'dockmig.rootfs';

const imageId = (ref: string) =>
  spawnSync('podman', ['image', 'inspect', '--format', '{{.Id}}', ref], {
    env: engineEnv,
    encoding: 'utf8',
  }).stdout.trim();
const labelOf = (ref: string, label: string) =>
  spawnSync('podman', ['image', 'inspect', '--format', `{{index .Labels "${label}"}}`, ref], {
    env: engineEnv,
    encoding: 'utf8',
  }).stdout.trim();

/**
 * The base image's root filesystem as a tarball, made once with debootstrap (no engine needed)
 * and cached by what it holds: podman and the tests' dockerd import the same one.
 */
export function rootfsTarball(): string {
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'dockmig-test');
  const tarball = join(cache, `python-3.11-slim-bookworm-${ROOTFS_ID}.rootfs.tar`);
  if (existsSync(tarball)) return tarball;
  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'dockmig-rootfs-'));
  const mirror = debianMirror();
  const rootfs = join(work, 'rootfs');
  try {
    sh(
      'debootstrap',
      ['--variant=minbase', `--include=${ROOTFS.packages.join(',')}`, 'bookworm', rootfs, mirror],
      'debootstrap',
    );
    for (const d of ROOTFS.removed) rmSync(join(rootfs, d), { recursive: true, force: true });
    for (const [path, text] of Object.entries(ROOTFS.files))
      writeFileSync(join(rootfs, path), text);
    // Two test files may make it at once (vitest runs files in parallel): each its own part.
    const part = `${tarball}.${process.pid}.part`;
    sh('tar', ['-C', rootfs, '-cf', part, '.'], 'tar');
    sh('mv', [part, tarball], 'mv');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return tarball;
}

/** How the base image is imported from the rootfs: the same for podman and Docker. */
export const BASE_IMAGE_CHANGES = ['CMD ["python3"]', `LABEL ${ROOTFS_LABEL}=${ROOTFS_ID}`];

export function ensureImages(): void {
  if (!exists(BASE_IMAGE) || labelOf(BASE_IMAGE, ROOTFS_LABEL) !== ROOTFS_ID)
    sh(
      'podman',
      [
        'import',
        ...BASE_IMAGE_CHANGES.flatMap((c) => ['--change', c]),
        rootfsTarball(),
        BASE_IMAGE,
      ],
      'podman import',
    );
  buildStandIn();
}

/** The stand-in's sources, hashed: the label that tells ours from another checkout's. */
export function standInSources(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.name === '__pycache__') continue;
      if (entry.isDirectory()) walk(path);
      else hash.update(`${relative(repo, path)}\0`).update(readFileSync(path));
    }
  };
  walk(join(repo, 'test', 'verify', 'uv-stand-in'));
  walk(join(repo, 'test', 'verify', 'stand-in-index'));
  return hash.digest('hex').slice(0, 16);
}
export const STAND_IN = 'dockmig.stand-in';
/** The uv stand-in's Containerfile and build context (test/verify). */
export const STAND_IN_BUILD = {
  file: join(repo, 'test', 'verify', 'uv-stand-in', 'Containerfile'),
  context: join(repo, 'test', 'verify'),
};
let standIn = '';
const standInOf = (ref: string) =>
  spawnSync('podman', ['image', 'inspect', '--format', `{{index .Labels "${STAND_IN}"}}`, ref], {
    env: engineEnv,
    encoding: 'utf8',
  }).stdout.trim();

function buildStandIn(): void {
  standIn = standInSources();
  // Rebuilt every run (seconds; its packing stage is cached): never a stale one.
  podman(
    'build',
    '-q',
    '--pull=never',
    '--format',
    'docker',
    '--label',
    `${STAND_IN}=${standIn}`,
    '-t',
    UV_IMAGE,
    '-f',
    STAND_IN_BUILD.file,
    STAND_IN_BUILD.context,
  );
}

const PYTHON =
  /^docker\.io\/library\/python:3\.\d+(?:\.\d+)?(?:-slim)?(?:-jessie|-stretch|-buster|-bullseye|-bookworm|-trixie)?$/;
const UV = /^(?:ghcr\.io\/astral-sh|docker\.io\/astral)\/uv:\d+\.\d+\.\d+$/;
const UV_PYTHON =
  /^ghcr\.io\/astral-sh\/uv:\d+\.\d+\.\d+-python3\.\d+-(?:bookworm|trixie)(?:-slim)?$/;

/** `python:3.12` as an engine names it: `docker.io/library/python:3.12`. */
function qualified(ref: string): string {
  const first = ref.split('/')[0];
  if (ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost'))
    return ref;
  return `docker.io/${ref.includes('/') ? '' : 'library/'}${ref}`;
}

const made = new Set<string>();

/**
 * Makes every image of `refs` that can be made here (after `ensureImages`), under that exact
 * name, and returns the ones that cannot (other bases, digests). The uv names are made again
 * from the stand-in `ensureImages` has just rebuilt.
 */
export function ensureImagesNamed(refs: Iterable<string>): string[] {
  // Other checkouts on one machine share podman's image store, and their tests tag their own
  // stand-in under the same name: take ours (the same sources) back before each use.
  if (standIn && standInOf(UV_IMAGE) !== standIn) {
    buildStandIn();
    for (const ref of made) if (UV.test(ref) || UV_PYTHON.test(ref)) made.delete(ref);
  }
  const missing: string[] = [];
  for (const ref of new Set([...refs].map(qualified))) {
    if (made.has(ref) && (!UV.test(ref) || standInOf(ref) === standIn)) continue;
    if (PYTHON.test(ref)) {
      // Not that Python: the one rootfs (python3 3.11) under every name a fixture asks for, and
      // this rootfs, not one an older checkout imported under that name.
      if (imageId(ref) !== imageId(BASE_IMAGE)) podman('tag', BASE_IMAGE, ref);
    } else if (UV.test(ref)) {
      podman('tag', UV_IMAGE, ref);
    } else if (UV_PYTHON.test(ref)) {
      const dir = mkdtempSync(join(tmpdir(), 'dockmig-uv-python-'));
      try {
        // The uv images with a Python have uv in /usr/local/bin; here the stand-in is.
        writeFileSync(
          join(dir, 'Containerfile'),
          `FROM ${BASE_IMAGE}\nCOPY --from=${UV_IMAGE} /uv /uvx /usr/local/bin/\n`,
        );
        podman('build', '-q', '--pull=never', '--format', 'docker', '-t', ref, dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } else {
      missing.push(ref);
      continue;
    }
    made.add(ref);
  }
  return missing;
}

/**
 * The real wheels the base image's Debian ships in /usr/share/python-wheels (pip, setuptools,
 * wheel), copied out once per rootfs: test/helpers/stand-in-wheels.ts serves them beside the
 * stand-ins. Call after `ensureImages`.
 */
export function debianWheels(): string[] {
  const cache = join(
    process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
    'dockmig-test',
    `python-wheels-${ROOTFS_ID}`,
  );
  if (!existsSync(cache)) {
    const part = `${cache}.${process.pid}.part`;
    const container = `dockmig-wheels-${process.pid}`;
    try {
      podman('create', '--name', container, BASE_IMAGE);
      podman('cp', `${container}:/usr/share/python-wheels`, part);
      sh('mv', [part, cache], 'mv');
    } finally {
      spawnSync('podman', ['rm', '-f', container], { env: engineEnv });
      rmSync(part, { recursive: true, force: true });
    }
  }
  return readdirSync(cache)
    .filter((name) => name.endsWith('.whl'))
    .sort()
    .map((name) => join(cache, name));
}
