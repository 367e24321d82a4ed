/**
 * A real registry on loopback for the digest-pinning tests: Debian's `docker-registry`
 * (github.com/distribution/distribution) with its storage in a temporary directory, and images
 * pushed to it with skopeo from OCI layouts made here byte by byte: single-platform manifests and a
 * multi-platform image index, so the digests the tests expect are computed independently of dockmig.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const REGISTRY_BIN = '/usr/bin/docker-registry';
export const SKOPEO_BIN = '/usr/bin/skopeo';

/** Whether the registry and skopeo are installed (.ci/run installs both). */
export function registryAvailable(): boolean {
  return existsSync(REGISTRY_BIN) && existsSync(SKOPEO_BIN);
}

/** A free TCP port on 127.0.0.1 (closed again: nothing listens on it until someone binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningRegistry {
  /** `127.0.0.1:PORT` */
  host: string;
  url: string;
  stop(): Promise<void>;
}

export async function startRegistry(): Promise<RunningRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'dockmig-registry-'));
  const port = await freePort();
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited: ${log}`);
    try {
      if ((await fetch(`${url}/v2/`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`docker-registry did not answer: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host: `127.0.0.1:${port}`,
    url,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const sha256 = (data: Buffer | string) =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`;

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** One file as a tar archive (ustar), written here so the layer's bytes are known exactly. */
function tarOf(name: string, content: string): Buffer {
  const body = Buffer.from(content);
  const header = Buffer.alloc(512);
  const put = (text: string, at: number, len: number) => header.write(text, at, len, 'ascii');
  put(name, 0, 100);
  put('0000644\0', 100, 8);
  put('0000000\0', 108, 8);
  put('0000000\0', 116, 8);
  put(body.length.toString(8).padStart(11, '0') + '\0', 124, 12);
  put('00000000000\0', 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of header) sum += b;
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  const pad = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Buffer.concat([header, body, pad, Buffer.alloc(1024)]);
}

/**
 * An OCI image layout holding one image under `tag`: a manifest per platform, and an image index
 * over them when there is more than one. Returns the layout's directory and the digest of what the
 * tag names (the index, or the single manifest).
 */
export function ociLayout(
  tag: string,
  platforms: Platform[],
  seed: string,
): { dir: string; digest: string; manifests: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'dockmig-oci-'));
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const blob = (data: Buffer | string) => {
    const digest = sha256(data);
    writeFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), data);
    return { digest, size: Buffer.byteLength(data) };
  };
  const manifests = platforms.map((p) => {
    const tar = tarOf(
      'etc/os-release',
      `ID=test\nSEED=${seed}\nPLATFORM=${p.os}/${p.architecture}\n`,
    );
    const layer = blob(gzipSync(tar));
    const config = blob(
      JSON.stringify({
        architecture: p.architecture,
        os: p.os,
        ...(p.variant ? { variant: p.variant } : {}),
        config: { Env: ['PATH=/usr/local/bin:/usr/bin:/bin'] },
        rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
      }),
    );
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    });
    return { ...blob(manifest), platform: p };
  });
  let top: { mediaType: string; digest: string; size: number };
  if (manifests.length === 1) {
    top = {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: manifests[0].digest,
      size: manifests[0].size,
    };
  } else {
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: manifests.map((m) => ({
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: m.digest,
        size: m.size,
        platform: m.platform,
      })),
    });
    top = { mediaType: 'application/vnd.oci.image.index.v1+json', ...blob(index) };
  }
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ ...top, annotations: { 'org.opencontainers.image.ref.name': tag } }],
    }),
  );
  return { dir, digest: top.digest, manifests: manifests.map((m) => m.digest) };
}

function skopeo(...args: string[]): string {
  const r = spawnSync(SKOPEO_BIN, args, { encoding: 'buffer' });
  if (r.status !== 0) throw new Error(`skopeo ${args.join(' ')}: ${r.stderr.toString()}`);
  return r.stdout.toString('latin1');
}

/**
 * Push an image made here to the registry as `repository:tag` with skopeo; `format` 'v2s2' converts
 * a single manifest to Docker's media type (which changes its digest: the registry's answer is then
 * read back with `skopeo inspect --raw`). Returns the digest the registry serves for the tag.
 */
export function pushImage(
  registry: RunningRegistry,
  repository: string,
  tag: string,
  platforms: Platform[],
  options: { seed?: string; format?: 'oci' | 'v2s2' } = {},
): { digest: string; layoutDigest: string; manifests: string[] } {
  const layout = ociLayout(tag, platforms, options.seed ?? `${repository}:${tag}`);
  const dest = `docker://${registry.host}/${repository}:${tag}`;
  try {
    skopeo(
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      ...(platforms.length > 1 ? ['--all'] : []),
      ...(options.format === 'v2s2' ? ['--format', 'v2s2'] : ['--preserve-digests']),
      `oci:${layout.dir}:${tag}`,
      dest,
    );
  } finally {
    rmSync(layout.dir, { recursive: true, force: true });
  }
  const raw = spawnSync(SKOPEO_BIN, ['inspect', '--raw', '--tls-verify=false', dest], {
    encoding: 'buffer',
  });
  if (raw.status !== 0) throw new Error(`skopeo inspect: ${raw.stderr.toString()}`);
  return { digest: sha256(raw.stdout), layoutDigest: layout.digest, manifests: layout.manifests };
}

export type ProxyMode =
  /** Docker Hub's way: 401 with a Bearer challenge; the token endpoint gives anyone a pull token. */
  | 'bearer'
  /** A private registry: the token endpoint wants Basic credentials `user:secret`. */
  | 'bearer-private'
  /** A Basic challenge on the registry itself (`user:secret`). */
  | 'basic'
  /** No auth, but HEAD answers without Docker-Content-Digest (the client must GET and hash). */
  | 'no-digest-on-head'
  /** Accepts connections and never answers. */
  | 'silent';

export interface Proxy {
  host: string;
  url: string;
  /** Requests to the token endpoint: its query and the Authorization header it got. */
  tokenRequests: { service: string | null; scope: string | null; authorization: string | null }[];
  /** Registry API requests: method, path, Authorization. */
  requests: { method: string; path: string; authorization: string | null }[];
  stop(): Promise<void>;
}

export const PROXY_TOKEN = 'pull-token-4c1d';
export const PROXY_CREDENTIALS = 'robot:s3cret pass';

/**
 * An auth front for the real registry: it challenges, hands out tokens at `/token`, and forwards
 * authorised requests to the registry unchanged. (The registry's own token auth needs a signing
 * certificate; the protocol the client speaks is the same.)
 */
export async function authProxy(registry: RunningRegistry, mode: ProxyMode): Promise<Proxy> {
  const { createServer: createHttpServer } = await import('node:http');
  const tokenRequests: Proxy['tokenRequests'] = [];
  const requests: Proxy['requests'] = [];
  const basic = `Basic ${Buffer.from(PROXY_CREDENTIALS).toString('base64')}`;
  let base = '';
  const server = createHttpServer((req, res) => {
    if (mode === 'silent') return;
    const url = new URL(req.url ?? '/', base);
    const authorization = req.headers.authorization ?? null;
    if (url.pathname === '/token') {
      tokenRequests.push({
        service: url.searchParams.get('service'),
        scope: url.searchParams.get('scope'),
        authorization,
      });
      if (mode === 'bearer-private' && authorization !== basic) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"details":"incorrect username or password"}');
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ token: PROXY_TOKEN, expires_in: 300 }));
      return;
    }
    requests.push({ method: req.method ?? 'GET', path: url.pathname, authorization });
    const repository = /^\/v2\/(.+)\/manifests\//.exec(url.pathname)?.[1] ?? '';
    if (mode === 'bearer' || mode === 'bearer-private') {
      if (authorization !== `Bearer ${PROXY_TOKEN}`) {
        res
          .writeHead(401, {
            'www-authenticate': `Bearer realm="${base}/token",service="proxy.test",scope="repository:${repository}:pull"`,
            'content-type': 'application/json',
          })
          .end('{"errors":[{"code":"UNAUTHORIZED"}]}');
        return;
      }
    }
    if (mode === 'basic' && authorization !== basic) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="proxy.test"' }).end();
      return;
    }
    void fetch(`${registry.url}${url.pathname}`, {
      method: req.method,
      headers: { accept: String(req.headers.accept ?? '') },
    }).then(async (upstream) => {
      const headers: Record<string, string> = {};
      for (const name of ['content-type', 'docker-content-digest', 'content-length']) {
        const value = upstream.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      if (mode === 'no-digest-on-head' && req.method === 'HEAD')
        delete headers['docker-content-digest'];
      res.writeHead(upstream.status, headers);
      res.end(req.method === 'HEAD' ? undefined : Buffer.from(await upstream.arrayBuffer()));
    });
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  base = `http://127.0.0.1:${port}`;
  return {
    host: `127.0.0.1:${port}`,
    url: base,
    tokenRequests,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
