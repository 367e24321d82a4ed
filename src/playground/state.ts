/**
 * What the playground shows, as plain data: the three editors, the toggles and the options. A
 * permalink is this state in the URL's hash, deflated (`CompressionStream('deflate-raw')`, in
 * every current browser and in Node) and base64url-encoded, so a review travels as a link
 * without a server to keep it.
 */
import type { Input, Options } from '../index.js';

export interface PlaygroundState {
  dockerfile: string;
  pyproject: string;
  /** The text of `.python-version`; empty: the project has none. */
  pythonVersion: string;
  /** uv.lock is in the build context (only its presence matters to the migration). */
  uvLock: boolean;
  /** Transform ids turned off. */
  skip: string[];
  /** `X.Y` forced over what the project says; empty: the project decides. */
  python: string;
  uid: number;
  lockFlag: 'frozen' | 'locked';
  /** The HTTP path the HEALTHCHECK asks; empty: a TCP connection to the exposed port. */
  healthPath: string;
}

export const DEFAULT_STATE: PlaygroundState = {
  dockerfile: '',
  pyproject: '',
  pythonVersion: '',
  uvLock: true,
  skip: [],
  python: '',
  uid: 10001,
  lockFlag: 'frozen',
  healthPath: '',
};

/** The library's input and options for a state: what the page migrates on every change. */
export function migration(state: PlaygroundState): { input: Input; options: Options } {
  const files: Record<string, string> = {};
  if (state.pyproject !== '') files['pyproject.toml'] = state.pyproject;
  if (state.pythonVersion.trim() !== '') files['.python-version'] = state.pythonVersion;
  if (state.uvLock) files['uv.lock'] = '';
  return {
    input: { dockerfile: state.dockerfile, files },
    options: {
      skip: [...state.skip],
      python: state.python.trim() || null,
      uid: state.uid,
      lockFlag: state.lockFlag,
      healthPath: state.healthPath.trim() || null,
    },
  };
}

/** The hash's prefix: a later, incompatible encoding gets another. */
const PREFIX = 'v1.';

export async function encodeState(state: PlaygroundState): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(state));
  const packed = await transform(json, new CompressionStream('deflate-raw'));
  return PREFIX + base64url(packed);
}

/**
 * The state a hash holds, over the defaults (a field of the wrong type keeps its default), or
 * null when the hash is not one of ours or cannot be read: a link cut short by a chat client.
 */
export async function decodeState(hash: string): Promise<PlaygroundState | null> {
  const text = hash.replace(/^#/, '');
  if (!text.startsWith(PREFIX)) return null;
  let raw: unknown;
  try {
    const bytes = fromBase64url(text.slice(PREFIX.length));
    const json = await transform(bytes, new DecompressionStream('deflate-raw'));
    raw = JSON.parse(new TextDecoder().decode(json));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  return sanitize(raw as Record<string, unknown>);
}

function sanitize(raw: Record<string, unknown>): PlaygroundState {
  const state: PlaygroundState = { ...DEFAULT_STATE, skip: [] };
  for (const key of ['dockerfile', 'pyproject', 'pythonVersion', 'python', 'healthPath'] as const) {
    if (typeof raw[key] === 'string') state[key] = raw[key];
  }
  if (typeof raw.uvLock === 'boolean') state.uvLock = raw.uvLock;
  if (Array.isArray(raw.skip)) state.skip = raw.skip.filter((s) => typeof s === 'string');
  if (typeof raw.uid === 'number' && Number.isInteger(raw.uid) && raw.uid > 0) state.uid = raw.uid;
  if (raw.lockFlag === 'frozen' || raw.lockFlag === 'locked') state.lockFlag = raw.lockFlag;
  return state;
}

async function transform(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
