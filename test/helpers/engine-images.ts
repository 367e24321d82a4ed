/**
 * The images the verify end-to-end tests build on, made offline with podman:
 * - the Python base, `docker.io/library/python:3.11-slim-bookworm`: a Debian bookworm rootfs
 *   (debootstrap, minbase, python3 3.11 with venv) imported under the exact name the migrated
 *   Dockerfile asks for. The rootfs tarball is cached in ~/.cache/dockmig-test between runs;
 * - `ghcr.io/astral-sh/uv:<version>`: NOT uv, a stand-in (test/verify/uv-stand-in) whose `/uv`
 *   does the least `uv sync` does for the fixture project, since no uv binary can be had offline.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
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

export function ensureImages(): void {
  if (spawnSync('podman', ['image', 'exists', BASE_IMAGE], { env: engineEnv }).status !== 0) {
    const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'dockmig-test');
    const tarball = join(cache, 'python-3.11-slim-bookworm.rootfs.tar');
    if (!existsSync(tarball)) {
      mkdirSync(cache, { recursive: true });
      const work = mkdtempSync(join(tmpdir(), 'dockmig-rootfs-'));
      const sources = readFileSync('/etc/apt/sources.list.d/debian.sources', 'utf8');
      const mirror = /^URIs:\s*(\S+)/m.exec(sources)?.[1] ?? 'http://deb.debian.org/debian';
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
        sh('tar', ['-C', join(work, 'rootfs'), '-cf', `${tarball}.part`, '.'], 'tar');
        sh('mv', [`${tarball}.part`, tarball], 'mv');
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
    sh('podman', ['import', '--change', 'CMD ["python3"]', tarball, BASE_IMAGE], 'podman import');
  }
  // The stand-in is rebuilt every run (a second, from scratch): it must never be a stale one.
  podman(
    'build',
    '-q',
    '--format',
    'docker',
    '-t',
    UV_IMAGE,
    '-f',
    join(repo, 'test', 'verify', 'uv-stand-in', 'Containerfile'),
    join(repo, 'test', 'verify', 'uv-stand-in'),
  );
}
