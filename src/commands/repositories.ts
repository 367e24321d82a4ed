/**
 * The pure half of `pr` and `org`: which repository a remote URL names, which repositories a run
 * takes (filters, shards), and masking a token out of text. Their pull-request text is a view of the
 * report (`report/pull-request.ts`); the listing itself comes from `io/github.ts`.
 */
import { globMatch } from '../config/config.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

/**
 * `https://github.com/o/r(.git)`, `git@github.com:o/r.git`, `ssh://git@host/o/r.git`,
 * `http://127.0.0.1:8080/git/o/r.git`: the last two path segments. Null when there are not two.
 */
export function repoFromRemote(url: string): RepoRef | null {
  const path = url
    .trim()
    .replace(/^[a-z+]+:\/\/[^/]+\//i, '')
    .replace(/^[^@/]+@[^:]+:/, '')
    .replace(/\.git\/?$/, '')
    .replace(/\/$/, '');
  const parts = path.split('/').filter(Boolean);
  if (parts.length < 2) return null;
  const [owner, repo] = parts.slice(-2);
  return /^[\w.-]+$/.test(owner) && /^[\w.-]+$/.test(repo) ? { owner, repo } : null;
}

export function parseRepoArg(value: string): RepoRef | null {
  const m = /^([\w.-]+)\/([\w.-]+)$/.exec(value);
  return m ? { owner: m[1], repo: m[2] } : null;
}

/** Replaces every appearance of the secrets (and their base64 forms in auth headers) by `***`. */
export function masker(secrets: readonly (string | null | undefined)[]): (text: string) => string {
  const forms = secrets
    .filter((s): s is string => typeof s === 'string' && s.length >= 4)
    .flatMap((s) => [s, Buffer.from(`x-access-token:${s}`).toString('base64')])
    .sort((a, b) => b.length - a.length);
  return (text) => forms.reduce((t, f) => t.split(f).join('***'), text);
}

/** The repository facts an organisation run filters on (a subset of GitHub's repository object). */
export interface RepoListing {
  name: string;
  full_name: string;
  archived?: boolean;
  fork?: boolean;
  size?: number;
  topics?: string[];
  default_branch?: string;
  clone_url: string;
}

export interface RepoFilter {
  includeArchived: boolean;
  includeForks: boolean;
  include: string[];
  exclude: string[];
  topic: string | null;
  /** 1-based shard K of N. */
  shard: { index: number; count: number } | null;
}

/** Why a listed repository is not taken, or null when it is. Shards leave others out silently. */
export function skipReason(repo: RepoListing, f: RepoFilter): string | null {
  if (repo.archived && !f.includeArchived) return 'archived';
  if (repo.fork && !f.includeForks) return 'a fork';
  if (repo.size === 0) return 'empty';
  if (f.include.length > 0 && !f.include.some((g) => globMatch(g, repo.name)))
    return 'not matched by --include';
  if (f.exclude.some((g) => globMatch(g, repo.name))) return 'matched by --exclude';
  if (f.topic && !(repo.topics ?? []).includes(f.topic)) return `no topic "${f.topic}"`;
  return null;
}

/**
 * Whether a repository falls in shard K of N: a hash of its full name, so every runner of a matrix
 * agrees without talking to the others, and a repository created meanwhile lands in exactly one.
 */
export function inShard(fullName: string, shard: { index: number; count: number } | null): boolean {
  if (!shard) return true;
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(fullName.toLowerCase())) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % shard.count === shard.index - 1;
}

export function parseShard(value: string): { index: number; count: number } | null {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return count >= 1 && index >= 1 && index <= count ? { index, count } : null;
}
