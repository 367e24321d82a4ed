/**
 * `--pin-digests`, `--digests FILE` and `--save-digests FILE` through the built binary, against the
 * real registry on loopback standing in for Docker Hub and ghcr.io (`--registry-mirror`). The
 * registry lives in this process, so the binary is spawned asynchronously.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  checkout,
  cleanup,
  dockmigAsyncWith,
  git,
  STACK,
  type Ran,
} from '../helpers/cli.js';
import {
  authProxy,
  freePort,
  PROXY_CREDENTIALS,
  pushImage,
  registryAvailable,
  startRegistry,
  type RunningRegistry,
} from '../helpers/registry.js';
import { needs } from '../helpers/tools.js';
import { credentialSuffix } from '../../src/io/registry.js';
import { migrateAll, type RunOptions } from '../../src/commands/run.js';
import { DEFAULT_OPTIONS } from '../../src/core/types.js';

const available = needs(
  'test/registry/pin-cli.test.ts',
  'docker-registry and skopeo',
  registryAvailable(),
);

const AMD64 = { os: 'linux', architecture: 'amd64' };
const ARM64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };

describe.runIf(available)('digest pinning through the binary', () => {
  let registry: RunningRegistry;
  let python: string;
  let uv: string;
  /** The example migrated without pinning: what the pinned output must equal but for the pins. */
  let plain: string;

  const mirrors = (url: string) => [
    '--registry-mirror',
    `docker.io=${url}`,
    '--registry-mirror',
    `ghcr.io=${url}`,
  ];
  const run = (cwd: string, args: string[], env: Record<string, string> = {}): Promise<Ran> =>
    dockmigAsyncWith({ cwd, env: { NO_COLOR: '1', ...env } }, ...args);
  const pinned = () =>
    plain
      .replaceAll('python:3.12-slim-trixie', `python:3.12-slim-trixie@${python}`)
      .replace('ghcr.io/astral-sh/uv:0.13.8', `ghcr.io/astral-sh/uv:0.13.8@${uv}`);

  beforeAll(async () => {
    assertBuilt();
    registry = await startRegistry();
    python = pushImage(registry, 'library/python', '3.12-slim-trixie', [AMD64, ARM64]).digest;
    uv = pushImage(registry, 'astral-sh/uv', '0.13.8', [AMD64, ARM64]).digest;
    const dir = checkout();
    const r = await run(dir, ['--write', 'svc']);
    expect(r.code).toBe(0);
    plain = readFileSync(join(dir, 'svc', 'Dockerfile'), 'utf8');
    expect(plain).toContain('FROM python:3.12-slim-trixie AS builder');
    expect(plain).toContain('COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/');
  }, 60_000);
  afterEach(cleanup);
  afterAll(async () => {
    await registry?.stop();
  });

  it('--pin-digests --write pins both stages and the uv image to their index digests, tags kept', async () => {
    const dir = checkout();
    const r = await run(dir, ['--write', '--pin-digests', ...mirrors(registry.url), 'svc']);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'svc', 'Dockerfile'), 'utf8');
    expect(text).toBe(pinned());
    expect(text.match(/@sha256:/g)).toHaveLength(3);
    expect(r.stderr).toContain(
      `pin-digests: python:3.12-slim-trixie -> python:3.12-slim-trixie@${python.slice(0, 19)}… (FROM)`,
    );
    // Pinned output is a fixed point: with pinning, and of the plain migration.
    const again = await run(dir, ['--check', '--pin-digests', ...mirrors(registry.url), 'svc']);
    expect([again.code, again.stdout]).toEqual([0, '']);
    const plainCheck = await run(dir, ['--check', 'svc']);
    expect([plainCheck.code, plainCheck.stdout]).toEqual([0, '']);
  });

  it('--check --pin-digests on a migrated but unpinned file: exit 1, the diff changes only the image lines', async () => {
    const dir = checkout();
    writeFileSync(join(dir, 'svc', 'Dockerfile'), plain);
    writeFileSync(join(dir, 'svc', '.dockerignore'), '.venv\n__pycache__\n.git\n.env\n');
    git(dir, 'add', '.');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'migrated');
    const r = await run(dir, ['--check', '--pin-digests', ...mirrors(registry.url), 'svc']);
    expect(r.code).toBe(1);
    const changed = r.stdout
      .split('\n')
      .filter((l) => /^[-+](?![-+])/.test(l))
      .sort();
    expect(changed).toEqual(
      [
        '-FROM python:3.12-slim-trixie AS builder',
        '-COPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /uvx /bin/',
        '-FROM python:3.12-slim-trixie',
        `+FROM python:3.12-slim-trixie@${python} AS builder`,
        `+COPY --from=ghcr.io/astral-sh/uv:0.13.8@${uv} /uv /uvx /bin/`,
        `+FROM python:3.12-slim-trixie@${python}`,
      ].sort(),
    );
  });

  it('a registry that cannot be reached: exit 2, the file untouched, the reason named', async () => {
    const dir = checkout();
    const port = await freePort();
    const r = await run(dir, [
      '--write',
      '--pin-digests',
      ...mirrors(`http://127.0.0.1:${port}`),
      'svc',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toContain(
      `svc/Dockerfile: error: the digest of docker.io/library/python:3.12-slim-trixie could not be resolved: docker.io (mirror http://127.0.0.1:${port}) cannot be reached: ECONNREFUSED`,
    );
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('--save-digests writes the map; --digests pins offline from it, asking no registry', async () => {
    const first = checkout();
    const saved = join(first, 'digests.json');
    const r = await run(first, [
      '--pin-digests',
      '--save-digests',
      saved,
      ...mirrors(registry.url),
      'svc',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual({
      'docker.io/library/python:3.12-slim-trixie': python,
      'ghcr.io/astral-sh/uv:0.13.8': uv,
    });
    const dir = checkout();
    // The mirrors point at nothing: any question to a registry would fail the run.
    const port = await freePort();
    const offline = await run(dir, [
      '--write',
      '--digests',
      saved,
      ...mirrors(`http://127.0.0.1:${port}`),
      'svc',
    ]);
    expect(offline.stderr).not.toMatch(/could not be resolved/);
    expect(offline.code).toBe(0);
    expect(readFileSync(join(dir, 'svc', 'Dockerfile'), 'utf8')).toBe(pinned());
  });

  it('--skip pin-digests: no registry is asked, nothing is pinned', async () => {
    const dir = checkout();
    const port = await freePort();
    const r = await run(dir, [
      '--pin-digests',
      '--skip',
      'pin-digests',
      ...mirrors(`http://127.0.0.1:${port}`),
      'svc',
    ]);
    expect(r.stderr).not.toContain('could not be resolved');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('@sha256:');
    expect(r.stdout).toContain('+FROM python:3.12-slim-trixie AS builder');
  });

  it('--digests without an image it needs: an error naming the image (exit 2)', async () => {
    const dir = checkout();
    const map = join(dir, 'd.json');
    writeFileSync(map, JSON.stringify({ 'python:3.12-slim-trixie': python }));
    const r = await run(dir, ['--digests', map, 'svc']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'ghcr.io/astral-sh/uv:0.13.8 (COPY --from) is not pinned: no digest is known for ghcr.io/astral-sh/uv:0.13.8; add it to the --digests file or run with --pin-digests',
    );
    expect(r.stdout).toContain(`+FROM python:3.12-slim-trixie@${python} AS builder`);
  });

  it('a private mirror: credentials from DOCKMIG_REGISTRY_AUTH_<HOST> in the environment', async () => {
    const proxy = await authProxy(registry, 'bearer-private');
    try {
      const dir = checkout();
      const args = ['--pin-digests', ...mirrors(proxy.url), 'svc'];
      const refused = await run(dir, args);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('the token endpoint');
      const r = await run(dir, args, {
        [`DOCKMIG_REGISTRY_AUTH_${credentialSuffix(proxy.host)}`]: PROXY_CREDENTIALS,
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`+FROM python:3.12-slim-trixie@${python} AS builder`);
    } finally {
      await proxy.stop();
    }
  });

  it('one run asks for each image once, across checkouts (as org migrates repository after repository)', async () => {
    const proxy = await authProxy(registry, 'bearer');
    try {
      const opts: RunOptions = {
        paths: ['svc'],
        mode: 'dry-run',
        context: null,
        quiet: true,
        maxSize: 1 << 20,
        migration: DEFAULT_OPTIONS,
        pinning: {
          known: {},
          resolve: true,
          registry: {
            mirrors: { 'docker.io': proxy.url, 'ghcr.io': proxy.url },
            env: {},
            timeoutMs: 5000,
          },
          saveTo: null,
        },
      };
      const io = { stderr: () => {} };
      const first = await migrateAll(opts, { ...io, cwd: checkout() });
      const asked = proxy.requests.length;
      expect(asked).toBeGreaterThanOrEqual(2);
      expect(proxy.tokenRequests).toHaveLength(2);
      const second = await migrateAll(opts, { ...io, cwd: checkout() });
      expect(proxy.requests).toHaveLength(asked);
      for (const m of [first, second]) expect(m.results[0].changes[0].after).toBe(pinned());
    } finally {
      await proxy.stop();
    }
  });

  it('an image only the team has (not in any registry): an error, unless the map says null for it', async () => {
    const proxy = await authProxy(registry, 'bearer');
    try {
      const dir = checkout();
      const dockerfile = join(dir, 'svc', 'Dockerfile');
      writeFileSync(
        dockerfile,
        readFileSync(dockerfile, 'utf8').replace(
          'WORKDIR /app\n',
          'WORKDIR /app\nCOPY --from=team/tools:1 /tool /usr/local/bin/tool\n',
        ),
      );
      const args = ['--pin-digests', ...mirrors(proxy.url), 'svc'];
      const missing = await run(dir, args);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain(
        'the digest of docker.io/team/tools:1 could not be resolved: docker.io (mirror ' +
          proxy.url +
          ') has no team/tools:1 (404: no such repository or tag)',
      );
      writeFileSync(join(dir, 'd.json'), JSON.stringify({ 'team/tools:1': null }));
      const asked = proxy.requests.length;
      const r = await run(dir, [...args, '--digests', 'd.json']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('\n COPY --from=team/tools:1 /tool /usr/local/bin/tool\n');
      expect(r.stdout).toContain(`+FROM python:3.12-slim-trixie@${python} AS builder`);
      expect(r.stderr).toContain(
        'is left unpinned: the digests file maps docker.io/team/tools:1 to null',
      );
      expect(proxy.requests.slice(asked).map((q) => q.path)).not.toContain(
        '/v2/team/tools/manifests/1',
      );
    } finally {
      await proxy.stop();
    }
  });

  it('the config file can ask for pinning and name the mirrors', async () => {
    const dir = checkout();
    writeFileSync(
      join(dir, 'dockmig.config.json'),
      JSON.stringify({
        pinDigests: true,
        registryMirror: [`docker.io=${registry.url}`, `ghcr.io=${registry.url}`],
      }),
    );
    const r = await run(dir, ['--write', 'svc']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'svc', 'Dockerfile'), 'utf8')).toBe(pinned());
  });

  it('usage errors: --save-digests alone, a bad mirror, an unreadable or malformed map', async () => {
    const dir = checkout();
    const cases: [string[], string][] = [
      [['--save-digests', 'd.json'], '--save-digests needs --pin-digests or --digests FILE'],
      [['--pin-digests', '--registry-mirror', 'docker.io'], 'expected HOST=URL'],
      [['--digests', 'missing.json'], 'the digests file'],
    ];
    writeFileSync(join(dir, 'bad.json'), '{"python:3.12": "latest"}');
    cases.push([['--digests', 'bad.json'], 'bad.json: the digest of "python:3.12" must be']);
    for (const [args, message] of cases) {
      const r = await run(dir, [...args, 'svc']);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(STACK);
    }
    expect(git(dir, 'status', '--porcelain')).toBe('?? bad.json\n');
  });
});
