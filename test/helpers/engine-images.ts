/**
 * The images the end-to-end tests build on, made offline with podman:
 * - the Python base, `docker.io/library/python:3.11-slim-bookworm`: a Debian bookworm rootfs
 *   (debootstrap, minbase, python3 3.11 with venv) imported under the exact name the migrated
 *   Dockerfile asks for. The rootfs tarball is cached in ~/.cache/dockmig-test between runs.
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

export function ensureImages(): void {
  if (!exists(BASE_IMAGE)) {
    const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'dockmig-test');
    const tarball = join(cache, 'python-3.11-slim-bookworm.rootfs.tar');
    if (!existsSync(tarball)) {
      mkdirSync(cache, { recursive: true });
      const work = mkdtempSync(join(tmpdir(), 'dockmig-rootfs-'));
      const mirror = debianMirror();
      try {
        sh(
          'debootstrap',
          [
            '--variant=minbase',
            '--include=python3,python3-venv,python-is-python3',
            'bookworm',
            join(work, 'rootfs'),
            mirror,
          ],
          'debootstrap',
        );
        for (const d of ['var/cache/apt/archives', 'var/lib/apt/lists'])
          rmSync(join(work, 'rootfs', d), { recursive: true, force: true });
        // Two test files may make it at once (vitest runs files in parallel): each its own part.
        const part = `${tarball}.${process.pid}.part`;
        sh('tar', ['-C', join(work, 'rootfs'), '-cf', part, '.'], 'tar');
        sh('mv', [part, tarball], 'mv');
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
    sh('podman', ['import', '--change', 'CMD ["python3"]', tarball, BASE_IMAGE], 'podman import');
  }
  buildStandIn();
}

/** The stand-in's sources, hashed: the label that tells ours from another checkout's. */
function standInSources(): string {
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
const STAND_IN = 'dockmig.stand-in';
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
    join(repo, 'test', 'verify', 'uv-stand-in', 'Containerfile'),
    join(repo, 'test', 'verify'),
  );
}

const PYTHON = /^docker\.io\/library\/python:3\.\d+(?:\.\d+)?(?:-slim)?(?:-bookworm|-trixie)?$/;
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
      // Not that Python: the one rootfs (python3 3.11) under every name a fixture asks for.
      if (!exists(ref)) podman('tag', BASE_IMAGE, ref);
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
