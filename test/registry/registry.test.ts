/**
 * Resolving digests against a real registry on loopback (Debian's docker-registry), holding images
 * pushed with skopeo: a multi-platform OCI index, a single OCI manifest and a Docker v2 manifest. The
 * auth flows run through a front that challenges as Docker Hub and private registries do. Skipped
 * with a warning where the registry or skopeo is not installed, except under CI, where that fails.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canonicalImage, type CanonicalImage } from '../../src/core/digests.js';
import {
  credentialSuffix,
  parseChallenge,
  parseMirror,
  Registry,
  registryBase,
  type RegistryOptions,
} from '../../src/io/registry.js';
import {
  authProxy,
  freePort,
  PROXY_CREDENTIALS,
  PROXY_TOKEN,
  pushImage,
  registryAvailable,
  startRegistry,
  type Proxy,
  type RunningRegistry,
} from '../helpers/registry.js';
import { needs } from '../helpers/tools.js';

const available = needs(
  'test/registry/registry.test.ts',
  'docker-registry and skopeo',
  registryAvailable(),
);

const AMD64 = { os: 'linux', architecture: 'amd64' };
const ARM64 = { os: 'linux', architecture: 'arm64', variant: 'v8' };

function image(ref: string): CanonicalImage {
  return canonicalImage(ref)!;
}

function options(extra: Partial<RegistryOptions> = {}): RegistryOptions {
  return { mirrors: {}, env: {}, timeoutMs: 5000, ...extra };
}

describe('registry addressing and challenges (no network)', () => {
  it('names credential variables after the host', () => {
    expect(credentialSuffix('ghcr.io')).toBe('GHCR_IO');
    expect(credentialSuffix('registry.example.com:5000')).toBe('REGISTRY_EXAMPLE_COM_5000');
    expect(credentialSuffix('docker.io')).toBe('DOCKER_IO');
  });

  it('asks Docker Hub at registry-1.docker.io, others over https, loopback over http, mirrors first', () => {
    expect(registryBase('docker.io', {})).toBe('https://registry-1.docker.io');
    expect(registryBase('ghcr.io', {})).toBe('https://ghcr.io');
    expect(registryBase('localhost:5000', {})).toBe('http://localhost:5000');
    expect(registryBase('127.0.0.1:5000', {})).toBe('http://127.0.0.1:5000');
    expect(registryBase('[::1]:5000', {})).toBe('http://[::1]:5000');
    expect(registryBase('registry.local:5000', {})).toBe('https://registry.local:5000');
    expect(registryBase('docker.io', { 'docker.io': 'https://mirror.example.com' })).toBe(
      'https://mirror.example.com',
    );
  });

  it('reads mirrors as HOST=URL and refuses plain http beyond loopback', () => {
    expect(parseMirror('Docker.io=https://mirror.example.com/')).toEqual([
      'docker.io',
      'https://mirror.example.com',
    ]);
    expect(parseMirror('ghcr.io=http://127.0.0.1:5000')).toEqual([
      'ghcr.io',
      'http://127.0.0.1:5000',
    ]);
    expect(() => parseMirror('docker.io')).toThrow(/expected HOST=URL/);
    expect(() => parseMirror('docker.io=ftp://x')).toThrow(/expected HOST=URL/);
    expect(() => parseMirror('docker.io=http://mirror.example.com')).toThrow(
      /plain http is only allowed to a loopback address/,
    );
  });

  it('parses Bearer and Basic challenges', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/python:pull',
      },
    });
    expect(parseChallenge('Basic realm="Registry Realm"')).toEqual({
      scheme: 'basic',
      params: { realm: 'Registry Realm' },
    });
    expect(parseChallenge(null)).toBeNull();
  });
});

describe.runIf(available)('digests from a real registry on loopback', () => {
  let registry: RunningRegistry;
  let index: ReturnType<typeof pushImage>;
  let single: ReturnType<typeof pushImage>;
  let docker: ReturnType<typeof pushImage>;
  const proxies: Proxy[] = [];

  beforeAll(async () => {
    registry = await startRegistry();
    index = pushImage(registry, 'library/python', '3.12-slim-trixie', [AMD64, ARM64]);
    single = pushImage(registry, 'team/base', '1.4', [AMD64]);
    docker = pushImage(registry, 'team/legacy', '2', [AMD64], { format: 'v2s2' });
  }, 60_000);
  afterEach(async () => {
    for (const p of proxies.splice(0)) await p.stop();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  const proxy = async (mode: Parameters<typeof authProxy>[1]) => {
    const p = await authProxy(registry, mode);
    proxies.push(p);
    return p;
  };

  it('pushed what the tests expect: an index over two manifests, and a converted Docker manifest', () => {
    expect(index.manifests).toHaveLength(2);
    expect(index.digest).toBe(index.layoutDigest);
    expect(single.digest).toBe(single.layoutDigest);
    // skopeo converted it to Docker's media type, so its digest is not the layout's any more.
    expect(docker.digest).not.toBe(docker.layoutDigest);
  });

  it('resolves a multi-platform tag to the digest of its index, not of a platform manifest', async () => {
    const r = new Registry(options());
    const got = await r.resolve(image(`${registry.host}/library/python:3.12-slim-trixie`));
    expect(got).toEqual({
      ok: true,
      digest: index.digest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
    });
    expect(index.manifests).not.toContain(got.ok && got.digest);
  });

  it('resolves single-platform OCI and Docker v2 manifests', async () => {
    const r = new Registry(options());
    expect(await r.resolve(image(`${registry.host}/team/base:1.4`))).toEqual({
      ok: true,
      digest: single.digest,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
    });
    expect(await r.resolve(image(`${registry.host}/team/legacy:2`))).toEqual({
      ok: true,
      digest: docker.digest,
      mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    });
  });

  it('asks a mirror in place of Docker Hub, with the library/ prefix', async () => {
    const r = new Registry(options({ mirrors: { 'docker.io': registry.url } }));
    expect(await r.resolve(image('python:3.12-slim-trixie'))).toMatchObject({
      ok: true,
      digest: index.digest,
    });
  });

  it('says which tag does not exist', async () => {
    const r = new Registry(options());
    const got = await r.resolve(image(`${registry.host}/library/python:9.99`));
    expect(got).toEqual({
      ok: false,
      error: `${registry.host} has no library/python:9.99 (404: no such repository or tag)`,
    });
  });

  it('says when a registry cannot be reached, or does not answer in time', async () => {
    const port = await freePort();
    const refused = await new Registry(options()).resolve(image(`127.0.0.1:${port}/a/b:1`));
    expect(refused).toEqual({
      ok: false,
      error: expect.stringMatching(
        new RegExp(`^127\\.0\\.0\\.1:${port} cannot be reached: ECONNREFUSED`),
      ),
    });
    const silent = await proxy('silent');
    const timedOut = await new Registry(options({ timeoutMs: 300 })).resolve(
      image(`${silent.host}/a/b:1`),
    );
    expect(timedOut).toEqual({
      ok: false,
      error: `${silent.host} cannot be reached: no answer in time`,
    });
  });

  it('takes an anonymous Bearer token as Docker Hub and ghcr.io hand out, once per repository', async () => {
    const p = await proxy('bearer');
    const r = new Registry(options());
    const got = await r.resolve(image(`${p.host}/library/python:3.12-slim-trixie`));
    expect(got).toMatchObject({ ok: true, digest: index.digest });
    expect(p.tokenRequests).toEqual([
      { service: 'proxy.test', scope: 'repository:library/python:pull', authorization: null },
    ]);
    // The second tag of the repository reuses the token.
    await r.resolve(image(`${p.host}/library/python:9.99`));
    expect(p.tokenRequests).toHaveLength(1);
    expect(p.requests.at(-1)).toEqual({
      method: 'HEAD',
      path: '/v2/library/python/manifests/9.99',
      authorization: `Bearer ${PROXY_TOKEN}`,
    });
  });

  it('a private registry: refused without credentials, resolved with DOCKMIG_REGISTRY_AUTH_<HOST>', async () => {
    const p = await proxy('bearer-private');
    const suffix = credentialSuffix(p.host);
    const refused = await new Registry(options()).resolve(image(`${p.host}/team/base:1.4`));
    expect(refused).toEqual({
      ok: false,
      error: `${p.host}: the token endpoint ${p.url}/token answered 401 (the credentials were refused)`,
    });
    const r = new Registry(
      options({ env: { [`DOCKMIG_REGISTRY_AUTH_${suffix}`]: PROXY_CREDENTIALS } }),
    );
    expect(await r.resolve(image(`${p.host}/team/base:1.4`))).toMatchObject({
      ok: true,
      digest: single.digest,
    });
    expect(p.tokenRequests.at(-1)?.authorization).toBe(
      `Basic ${Buffer.from(PROXY_CREDENTIALS).toString('base64')}`,
    );
  });

  it('credentials named for another host are not sent', async () => {
    const p = await proxy('bearer-private');
    const r = new Registry(options({ env: { DOCKMIG_REGISTRY_AUTH_GHCR_IO: PROXY_CREDENTIALS } }));
    expect(await r.resolve(image(`${p.host}/team/base:1.4`))).toMatchObject({ ok: false });
    expect(p.tokenRequests.map((t) => t.authorization)).toEqual([null]);
  });

  it('sends DOCKMIG_REGISTRY_TOKEN_<HOST> as the Bearer token, without the token endpoint', async () => {
    const p = await proxy('bearer-private');
    const r = new Registry(
      options({ env: { [`DOCKMIG_REGISTRY_TOKEN_${credentialSuffix(p.host)}`]: PROXY_TOKEN } }),
    );
    expect(await r.resolve(image(`${p.host}/team/base:1.4`))).toMatchObject({
      ok: true,
      digest: single.digest,
    });
    expect(p.tokenRequests).toEqual([]);
    expect(p.requests).toEqual([
      {
        method: 'HEAD',
        path: '/v2/team/base/manifests/1.4',
        authorization: `Bearer ${PROXY_TOKEN}`,
      },
    ]);
  });

  it('answers a Basic challenge with the credentials, and names the variable without them', async () => {
    const p = await proxy('basic');
    const suffix = credentialSuffix(p.host);
    const refused = await new Registry(options()).resolve(image(`${p.host}/team/base:1.4`));
    expect(refused).toEqual({
      ok: false,
      error: `${p.host} refused access to team/base:1.4 (401); for a private image set DOCKMIG_REGISTRY_AUTH_${suffix}=user:password or DOCKMIG_REGISTRY_TOKEN_${suffix}`,
    });
    const r = new Registry(
      options({ env: { [`DOCKMIG_REGISTRY_AUTH_${suffix}`]: PROXY_CREDENTIALS } }),
    );
    expect(await r.resolve(image(`${p.host}/team/base:1.4`))).toMatchObject({
      ok: true,
      digest: single.digest,
    });
  });

  it('hashes the manifest itself when HEAD gives no digest', async () => {
    const p = await proxy('no-digest-on-head');
    const r = new Registry(options());
    expect(await r.resolve(image(`${p.host}/library/python:3.12-slim-trixie`))).toEqual({
      ok: true,
      digest: index.digest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
    });
    expect(p.requests.map((q) => q.method)).toEqual(['HEAD', 'GET']);
  });

  it('resolves many at once, each with its own answer', async () => {
    const r = new Registry(options());
    const refs = [
      `${registry.host}/library/python:3.12-slim-trixie`,
      `${registry.host}/team/base:1.4`,
      `${registry.host}/team/legacy:2`,
      `${registry.host}/team/base:nope`,
    ].map(image);
    const answers = await r.resolveAll(refs, 2);
    expect([...answers.keys()].sort()).toEqual(refs.map((c) => c.key).sort());
    expect(refs.map((c) => answers.get(c.key)!.ok)).toEqual([true, true, true, false]);
  });
});
