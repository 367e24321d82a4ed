/**
 * The GitHub REST API through Octokit: the token as a header, the base URL from --api-url or
 * GITHUB_API_URL (GitHub Enterprise, tests), and rate limits honoured: `Retry-After`, and
 * `x-ratelimit-remaining: 0` with `x-ratelimit-reset`, waited out with backoff, a few times.
 */
import { Octokit } from '@octokit/rest';
import { InputError } from '../errors.js';
import type { RepoListing, RepoRef } from '../commands/repositories.js';

export interface GitHubOptions {
  token: string | null;
  baseUrl: string;
  mask: (text: string) => string;
  /** Longest single wait for a rate limit, in seconds. */
  maxWait?: number;
  /** Told about each wait (for the progress display). */
  onWait?: (seconds: number, why: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface PullRequest {
  number: number;
  url: string;
}

const RETRIES = 4;
/** A primary limit resets within the hour: its wait is honoured in full, up to that. */
const MAX_WAIT = 3660;

export class GitHub {
  private readonly octokit: Octokit;

  constructor(private readonly options: GitHubOptions) {
    this.octokit = new Octokit({
      auth: options.token ?? undefined,
      baseUrl: options.baseUrl.replace(/\/$/, ''),
      userAgent: 'dockmig',
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    const sleep = options.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
    this.octokit.hook.wrap('request', async (request, params) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await request(params);
        } catch (error) {
          const wait = rateLimitWait(error, attempt);
          if (wait === null || attempt >= RETRIES) throw error;
          const seconds = Math.min(wait, options.maxWait ?? MAX_WAIT);
          options.onWait?.(seconds, 'GitHub rate limit');
          await sleep(seconds * 1000);
        }
      }
    });
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const e = error as { status?: number; message?: string };
      throw new InputError(
        this.options.mask(
          `GitHub API: ${what} failed${e.status ? ` (${e.status})` : ''}: ${e.message ?? String(error)}`,
        ),
      );
    }
  }

  async repository(ref: RepoRef): Promise<RepoListing> {
    return this.call(`reading ${ref.owner}/${ref.repo}`, async () => {
      const { data } = await this.octokit.rest.repos.get({ owner: ref.owner, repo: ref.repo });
      return data as RepoListing;
    });
  }

  async organisationRepositories(org: string): Promise<RepoListing[]> {
    return this.call(
      `listing the repositories of ${org}`,
      async () =>
        (await this.octokit.paginate(this.octokit.rest.repos.listForOrg, {
          org,
          type: 'all',
          per_page: 100,
        })) as RepoListing[],
    );
  }

  async openPullFrom(ref: RepoRef, branch: string): Promise<PullRequest | null> {
    return this.call(`listing pull requests of ${ref.owner}/${ref.repo}`, async () => {
      const { data } = await this.octokit.rest.pulls.list({
        ...ref,
        state: 'open',
        head: `${ref.owner}:${branch}`,
        per_page: 10,
      });
      const pr = data.find((p) => p.head.ref === branch);
      return pr ? { number: pr.number, url: pr.html_url } : null;
    });
  }

  async createPull(
    ref: RepoRef,
    p: { branch: string; base: string; title: string; body: string },
  ): Promise<PullRequest> {
    return this.call(`opening a pull request in ${ref.owner}/${ref.repo}`, async () => {
      const { data } = await this.octokit.rest.pulls.create({
        ...ref,
        head: p.branch,
        base: p.base,
        title: p.title,
        body: p.body,
        maintainer_can_modify: true,
      });
      return { number: data.number, url: data.html_url };
    });
  }

  async updatePull(
    ref: RepoRef,
    number: number,
    p: { title: string; body: string },
  ): Promise<void> {
    await this.call(`updating pull request #${number} of ${ref.owner}/${ref.repo}`, async () => {
      await this.octokit.rest.pulls.update({
        ...ref,
        pull_number: number,
        title: p.title,
        body: p.body,
      });
    });
  }
}

/** Seconds to wait before retrying a rate-limited request, or null when it is not one. */
export function rateLimitWait(error: unknown, attempt: number, now = Date.now()): number | null {
  const e = error as {
    status?: number;
    response?: { headers?: Record<string, string | undefined> };
  };
  if (e.status !== 403 && e.status !== 429) return null;
  const h = e.response?.headers ?? {};
  const retryAfter = h['retry-after'];
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) return Math.max(1, Number(retryAfter));
  if (h['x-ratelimit-remaining'] === '0' && h['x-ratelimit-reset']) {
    return Math.max(1, Number(h['x-ratelimit-reset']) - Math.floor(now / 1000));
  }
  // A secondary limit without a hint: back off exponentially (1, 2, 4, 8 min is GitHub's advice
  // for repeated ones; a first one is usually short).
  const message = (error as { message?: string }).message ?? '';
  if (e.status === 429 || /secondary rate limit/i.test(message)) return 2 ** attempt * 60;
  return null;
}
