/**
 * A small HTTP server speaking the subset of the GitHub REST API dockmig uses: list an
 * organisation's repositories (paginated with Link headers), get a repository, list, create and
 * update pull requests, and rate-limit answers on demand. Records every request.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRepo {
  name: string;
  owner: string;
  clone_url: string;
  default_branch?: string;
  archived?: boolean;
  fork?: boolean;
  size?: number;
  topics?: string[];
}

export interface FakePull {
  number: number;
  owner: string;
  repo: string;
  head: string;
  base: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
}

export interface FakeGitHub {
  url: string;
  repos: FakeRepo[];
  pulls: FakePull[];
  requests: { method: string; url: string; authorization: string | undefined }[];
  /** The next `n` requests whose path matches get 403 + Retry-After (or 429 with a reset). */
  rateLimit(pattern: RegExp, n: number, kind?: 'retry-after' | 'reset'): void;
  /** Called after a pull request is created, before the answer is sent (to interrupt a run). */
  onPullCreated: ((pull: FakePull) => void) | null;
  /** Requests whose path matches fail with this status. */
  fail(pattern: RegExp, status: number): void;
  close(): Promise<void>;
}

const PER_PAGE_MAX = 100;

export async function startFakeGitHub(token: string): Promise<FakeGitHub> {
  const repos: FakeRepo[] = [];
  const pulls: FakePull[] = [];
  const requests: FakeGitHub['requests'] = [];
  const limits: { pattern: RegExp; n: number; kind: 'retry-after' | 'reset' }[] = [];
  const failures: { pattern: RegExp; status: number }[] = [];
  let url = '';

  const body = (req: IncomingMessage) =>
    new Promise<Record<string, unknown>>((resolve) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => resolve(text ? (JSON.parse(text) as Record<string, unknown>) : {}));
    });

  const view = (r: FakeRepo) => ({
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    owner: { login: r.owner },
    clone_url: r.clone_url,
    default_branch: r.default_branch ?? 'main',
    archived: r.archived ?? false,
    fork: r.fork ?? false,
    size: r.size ?? 10,
    topics: r.topics ?? [],
  });
  const pullView = (p: FakePull) => ({
    number: p.number,
    html_url: `https://github.example/${p.owner}/${p.repo}/pull/${p.number}`,
    state: p.state,
    title: p.title,
    body: p.body,
    head: { ref: p.head, label: `${p.owner}:${p.head}` },
    base: { ref: p.base },
  });

  const server: Server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.push({
      method: req.method ?? 'GET',
      url: req.url ?? '',
      authorization: req.headers.authorization,
    });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(data));
    };
    if (
      req.headers.authorization !== `token ${token}` &&
      req.headers.authorization !== `Bearer ${token}`
    )
      return send(401, { message: 'Bad credentials' });
    const limit = limits.find((l) => l.n > 0 && l.pattern.test(u.pathname));
    if (limit) {
      limit.n--;
      return limit.kind === 'retry-after'
        ? send(403, { message: 'You have exceeded a secondary rate limit' }, { 'retry-after': '1' })
        : send(
            429,
            { message: 'API rate limit exceeded' },
            {
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1),
            },
          );
    }
    const failure = failures.find((f) => f.pattern.test(u.pathname));
    if (failure) return send(failure.status, { message: 'Server Error' });

    let m: RegExpExecArray | null;
    if ((m = /^\/orgs\/([^/]+)\/repos$/.exec(u.pathname)) && req.method === 'GET') {
      const all = repos.filter((r) => r.owner === m![1]).map(view);
      const per = Math.min(Number(u.searchParams.get('per_page') ?? 30), PER_PAGE_MAX);
      // Small pages in the tests prove that dockmig follows the Link header.
      const size = Math.min(per, 3);
      const page = Number(u.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(all.length / size));
      const link: Record<string, string> =
        page < last
          ? {
              link: `<${url}${u.pathname}?per_page=${per}&page=${page + 1}>; rel="next", <${url}${u.pathname}?per_page=${per}&page=${last}>; rel="last"`,
            }
          : {};
      return send(200, all.slice((page - 1) * size, page * size), link);
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)$/.exec(u.pathname)) && req.method === 'GET') {
      const r = repos.find((x) => x.owner === m![1] && x.name === m![2]);
      return r ? send(200, view(r)) : send(404, { message: 'Not Found' });
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(u.pathname))) {
      const [owner, repo] = [m[1], m[2]];
      if (req.method === 'GET') {
        const head = u.searchParams.get('head');
        const state = u.searchParams.get('state') ?? 'open';
        return send(
          200,
          pulls
            .filter(
              (p) => p.owner === owner && p.repo === repo && (state === 'all' || p.state === state),
            )
            .filter((p) => !head || `${p.owner}:${p.head}` === head)
            .map(pullView),
        );
      }
      if (req.method === 'POST') {
        const b = await body(req);
        if (
          pulls.some(
            (p) => p.owner === owner && p.repo === repo && p.head === b.head && p.state === 'open',
          )
        )
          return send(422, {
            message: `A pull request already exists for ${owner}:${String(b.head)}.`,
          });
        const p: FakePull = {
          number: pulls.length + 1,
          owner,
          repo,
          head: String(b.head),
          base: String(b.base),
          title: String(b.title),
          body: String(b.body),
          state: 'open',
        };
        pulls.push(p);
        fake.onPullCreated?.(p);
        return send(201, pullView(p));
      }
    }
    if (
      (m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(u.pathname)) &&
      req.method === 'PATCH'
    ) {
      const p = pulls.find(
        (x) => x.owner === m![1] && x.repo === m![2] && x.number === Number(m![3]),
      );
      if (!p) return send(404, { message: 'Not Found' });
      const b = await body(req);
      if (typeof b.title === 'string') p.title = b.title;
      if (typeof b.body === 'string') p.body = b.body;
      return send(200, pullView(p));
    }
    send(404, { message: `not in the fake: ${req.method} ${u.pathname}` });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeGitHub = {
    url,
    onPullCreated: null,
    repos,
    pulls,
    requests,
    rateLimit: (pattern, n, kind = 'retry-after') => limits.push({ pattern, n, kind }),
    fail: (pattern, status) => failures.push({ pattern, status }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  return fake;
}
