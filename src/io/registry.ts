/**
 * Asking registries for digests, through the registry HTTP API v2 (the OCI distribution spec):
 * `HEAD /v2/<repository>/manifests/<tag>`, accepting an image index first, so the digest is the one
 * of the multi-arch index where there is one. A 401 is answered the way Docker answers it: the
 * Bearer challenge's realm gives an anonymous token (Docker Hub, ghcr.io) or one for the credentials
 * in the environment; a Basic challenge gets those credentials directly.
 *
 * Credentials, per registry host (`ghcr.io` -> `GHCR_IO`, `registry.example.com:5000` ->
 * `REGISTRY_EXAMPLE_COM_5000`, Docker Hub is `DOCKER_IO`):
 *   DOCKMIG_REGISTRY_AUTH_<HOST>=user:password   for the token endpoint or a Basic challenge
 *   DOCKMIG_REGISTRY_TOKEN_<HOST>=<token>        sent as the Bearer token as it is
 * Nothing is sent to another host than the one it is named for, and no credential goes over plain
 * HTTP except to a loopback address.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DIGEST, parseDigestMap, type CanonicalImage } from '../core/digests.js';
import { UsageError } from '../errors.js';
import { describeIo } from './files.js';

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export interface RegistryOptions {
  /** Registry host (`docker.io`) -> base URL to ask instead (`https://mirror.example.com`). */
  mirrors: Record<string, string>;
  env: Record<string, string | undefined>;
  /** Per request. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

export type Resolution =
  { ok: true; digest: string; mediaType: string } | { ok: false; error: string };

/** `ghcr.io` -> `GHCR_IO`: the suffix of the credential variables for a host. */
export function credentialSuffix(host: string): string {
  return host.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** `docker.io=https://mirror.example.com` (from `--registry-mirror`), checked. */
export function parseMirror(text: string): [string, string] {
  const eq = text.indexOf('=');
  const host = text.slice(0, eq).trim().toLowerCase();
  const url = text.slice(eq + 1).trim();
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    parsed = null;
  }
  if (eq <= 0 || !parsed || !/^https?:$/.test(parsed.protocol))
    throw new UsageError(
      `--registry-mirror ${text}: expected HOST=URL, e.g. docker.io=https://mirror.example.com`,
    );
  if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname))
    throw new UsageError(
      `--registry-mirror ${text}: plain http is only allowed to a loopback address; use https`,
    );
  return [host, url.replace(/\/+$/, '')];
}

/** Read a `--digests` file. */
export function loadDigestMap(path: string): Record<string, string | null> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`the digests file ${path} cannot be read: ${describeIo(error)}`);
  }
  const parsed = parseDigestMap(text, path);
  if ('error' in parsed) throw new UsageError(parsed.error);
  return parsed.map;
}

export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** The base URL of a registry: a mirror, Docker Hub's API host, or https (http on loopback). */
export function registryBase(host: string, mirrors: Record<string, string>): string {
  if (mirrors[host]) return mirrors[host];
  if (host === 'docker.io') return 'https://registry-1.docker.io';
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0];
  return `${isLoopback(name) ? 'http' : 'https'}://${host}`;
}

/** The parameters of a `WWW-Authenticate` challenge: `Bearer realm="...",service="..."`. */
export function parseChallenge(
  header: string | null,
): { scheme: string; params: Record<string, string> } | null {
  if (!header) return null;
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return null;
  const params: Record<string, string> = {};
  for (const p of m[2].matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g))
    params[p[1].toLowerCase()] = (p[2] ?? p[3]).replace(/\\(.)/g, '$1');
  return { scheme: m[1].toLowerCase(), params };
}

/**
 * Resolves image references to digests, asking each registry at most once per repository for a
 * token. One instance per run.
 */
export class Registry {
  private readonly tokens = new Map<string, string>();
  private readonly fetch: typeof fetch;

  constructor(private readonly options: RegistryOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** Resolve many, a few at a time; the answer maps each key to its digest or its error. */
  async resolveAll(images: CanonicalImage[], concurrency = 4): Promise<Map<string, Resolution>> {
    const out = new Map<string, Resolution>();
    const queue = [...images];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift())
        out.set(next.key, await this.resolve(next));
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
    return out;
  }

  async resolve(image: CanonicalImage): Promise<Resolution> {
    // The base is https, or http to loopback only (registryBase, parseMirror): credentials may go.
    const base = registryBase(image.host, this.options.mirrors);
    const where = this.options.mirrors[image.host] ? `${image.host} (mirror ${base})` : image.host;
    const url = `${base}/v2/${image.repository}/manifests/${encodeURIComponent(image.tag)}`;
    const suffix = credentialSuffix(
      this.options.mirrors[image.host] ? new URL(base).host : image.host,
    );
    const given = this.options.env[`DOCKMIG_REGISTRY_TOKEN_${suffix}`];
    const basic = this.options.env[`DOCKMIG_REGISTRY_AUTH_${suffix}`];
    const tokenKey = `${base} ${image.repository}`;
    const known = given ?? this.tokens.get(tokenKey);
    let auth: string | null = known ? `Bearer ${known}` : null;
    try {
      let res = await this.request(url, 'HEAD', auth);
      if (res.status === 401) {
        // Answer the challenge once, the way Docker does; a second 401 is reported below.
        const challenge = parseChallenge(res.headers.get('www-authenticate'));
        if (challenge?.scheme === 'bearer' && challenge.params.realm) {
          const token = await this.token(challenge.params, image, basic);
          if ('error' in token) return { ok: false, error: `${where}: ${token.error}` };
          this.tokens.set(tokenKey, token.token);
          auth = `Bearer ${token.token}`;
          res = await this.request(url, 'HEAD', auth);
        } else if (challenge?.scheme === 'basic' && basic) {
          auth = `Basic ${Buffer.from(basic).toString('base64')}`;
          res = await this.request(url, 'HEAD', auth);
        }
      }
      if (res.status === 405 || (res.ok && !validDigest(res.headers))) {
        // Some registries answer HEAD without the digest (or not at all): fetch the manifest.
        res = await this.request(url, 'GET', auth);
        if (res.ok) return await fromBody(res, image);
      }
      if (res.ok) return fromHead(res, image);
      return { ok: false, error: failure(res, image, where, suffix) };
    } catch (error) {
      return { ok: false, error: `${where} cannot be reached: ${networkReason(error)}` };
    }
  }

  private async request(url: string, method: string, auth: string | null): Promise<Response> {
    const headers: Record<string, string> = { Accept: MANIFEST_TYPES.join(', ') };
    if (auth) headers.Authorization = auth;
    return this.fetch(url, {
      method,
      headers,
      redirect: 'follow',
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
  }

  /** The token endpoint of a Bearer challenge, anonymous or with the host's credentials. */
  private async token(
    params: Record<string, string>,
    image: CanonicalImage,
    basic: string | undefined,
  ): Promise<{ token: string } | { error: string }> {
    let realm: URL;
    try {
      realm = new URL(params.realm);
    } catch {
      return { error: `the token realm ${params.realm} is not a URL` };
    }
    const realmSecure = realm.protocol === 'https:' || isLoopback(realm.hostname);
    if (params.service) realm.searchParams.set('service', params.service);
    realm.searchParams.set('scope', params.scope ?? `repository:${image.repository}:pull`);
    const headers: Record<string, string> = {};
    if (basic && realmSecure)
      headers.Authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
    const res = await this.fetch(realm, {
      headers,
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    if (!res.ok)
      return {
        error: `the token endpoint ${realm.origin}${realm.pathname} answered ${res.status}${res.status === 401 ? ' (the credentials were refused)' : ''}`,
      };
    let body: { token?: unknown; access_token?: unknown };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      return { error: `the token endpoint ${realm.origin}${realm.pathname} did not answer JSON` };
    }
    const token = typeof body.token === 'string' ? body.token : body.access_token;
    if (typeof token !== 'string' || token === '')
      return { error: `the token endpoint ${realm.origin}${realm.pathname} gave no token` };
    return { token };
  }
}

function validDigest(headers: Headers): boolean {
  return DIGEST.test(headers.get('docker-content-digest') ?? '');
}

function mediaTypeOf(res: Response): string {
  return (res.headers.get('content-type') ?? '').split(';')[0].trim();
}

function fromHead(res: Response, image: CanonicalImage): Resolution {
  const mediaType = mediaTypeOf(res);
  if (!MANIFEST_TYPES.includes(mediaType))
    return { ok: false, error: unsupported(mediaType, image) };
  return { ok: true, digest: res.headers.get('docker-content-digest')!, mediaType };
}

async function fromBody(res: Response, image: CanonicalImage): Promise<Resolution> {
  const body = Buffer.from(await res.arrayBuffer());
  let mediaType = mediaTypeOf(res);
  if (!MANIFEST_TYPES.includes(mediaType)) {
    try {
      mediaType = (JSON.parse(body.toString('utf8')) as { mediaType?: string }).mediaType ?? '';
    } catch {
      mediaType = '';
    }
  }
  if (!MANIFEST_TYPES.includes(mediaType))
    return { ok: false, error: unsupported(mediaTypeOf(res), image) };
  const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
  const claimed = res.headers.get('docker-content-digest');
  if (claimed && DIGEST.test(claimed) && claimed !== digest)
    return {
      ok: false,
      error: `the registry says ${image.key} is ${claimed}, but its manifest hashes to ${digest}`,
    };
  return { ok: true, digest, mediaType };
}

function unsupported(mediaType: string, image: CanonicalImage): string {
  return `${image.key} is served as ${mediaType || 'an unnamed type'}, not an OCI or Docker v2 manifest or index (a schema 1 image cannot be pinned)`;
}

function failure(res: Response, image: CanonicalImage, where: string, suffix: string): string {
  const what = `${image.repository}:${image.tag}`;
  if (res.status === 404) return `${where} has no ${what} (404: no such repository or tag)`;
  if (res.status === 401 || res.status === 403)
    return `${where} refused access to ${what} (${res.status}); for a private image set DOCKMIG_REGISTRY_AUTH_${suffix}=user:password or DOCKMIG_REGISTRY_TOKEN_${suffix}`;
  if (res.status === 429)
    return `${where} is rate limiting (429); try again later, log in (DOCKMIG_REGISTRY_AUTH_${suffix}), or pin offline with --digests FILE`;
  return `${where} answered ${res.status} ${res.statusText} for ${what}`;
}

function networkReason(error: unknown): string {
  const e = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (e.name === 'TimeoutError') return 'no answer in time';
  const cause = e.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return e.message ?? String(error);
}
