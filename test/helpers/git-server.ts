/**
 * Real git remotes on loopback: bare repositories under a root, served by `git http-backend` (CGI)
 * behind a small Node HTTP server on 127.0.0.1. Records every request's URL and Authorization
 * header, so tests can prove where the token went.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from './cli.js';

export interface GitServer {
  url: string;
  root: string;
  requests: { url: string; authorization: string | undefined }[];
  /** A bare repository `owner/name.git` holding `files` on `branch`. */
  create(fullName: string, files: Record<string, string>, branch?: string): string;
  /** Makes every push to the repository fail (a pre-receive hook that says no). */
  rejectPushes(fullName: string): void;
  /** The commit subject and file list of a branch, or null when it does not exist. */
  branch(fullName: string, branch: string): { subject: string; files: string[] } | null;
  /** A file's text on a branch. */
  show(fullName: string, branch: string, path: string): string;
  close(): Promise<void>;
}

export async function startGitServer(): Promise<GitServer> {
  const root = mkdtempSync(join(tmpdir(), 'dockmig-remotes-'));
  const requests: GitServer['requests'] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', authorization: req.headers.authorization });
    const [path, query = ''] = (req.url ?? '').replace(/^\/git/, '').split('?');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        // Pushes over plain HTTP need a "user"; the test server trusts every request.
        REMOTE_USER: 'tester',
        REMOTE_ADDR: '127.0.0.1',
        PATH_INFO: decodeURIComponent(path),
        QUERY_STRING: query,
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        GIT_HTTP_MAX_REQUEST_BUFFER: '100M',
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => res.end());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/git`;

  return {
    url,
    root,
    requests,
    create(fullName, files, branch = 'main') {
      const bare = join(root, `${fullName}.git`);
      // A name used by an earlier test starts again from nothing.
      rmSync(bare, { recursive: true, force: true });
      mkdirSync(bare, { recursive: true });
      git(bare, 'init', '-q', '--bare', `--initial-branch=${branch}`);
      git(bare, 'config', 'http.receivepack', 'true');
      if (Object.keys(files).length > 0) {
        const work = mkdtempSync(join(tmpdir(), 'dockmig-seed-'));
        for (const [p, text] of Object.entries(files)) {
          mkdirSync(join(work, p, '..'), { recursive: true });
          writeFileSync(join(work, p), text);
        }
        git(work, 'init', '-q', `--initial-branch=${branch}`);
        git(work, 'add', '.');
        git(
          work,
          '-c',
          'user.name=seed',
          '-c',
          'user.email=seed@example.com',
          'commit',
          '-qm',
          'seed',
        );
        git(work, 'push', '-q', bare, `${branch}:${branch}`);
        rmSync(work, { recursive: true, force: true });
      }
      return `${url}/${fullName}.git`;
    },
    rejectPushes(fullName) {
      const hook = join(root, `${fullName}.git`, 'hooks', 'pre-receive');
      writeFileSync(hook, '#!/bin/sh\necho "pushes are closed for this repository" >&2\nexit 1\n');
      chmodSync(hook, 0o755);
    },
    branch(fullName, branch) {
      const bare = join(root, `${fullName}.git`);
      const r = spawnSync('git', ['log', '-1', '--format=%s', `refs/heads/${branch}`], {
        cwd: bare,
        encoding: 'utf8',
      });
      if (r.status !== 0) return null;
      const files = git(bare, 'show', '--name-only', '--format=', `refs/heads/${branch}`)
        .split('\n')
        .filter(Boolean)
        .sort();
      return { subject: r.stdout.trim(), files };
    },
    show(fullName, branch, path) {
      return git(join(root, `${fullName}.git`), 'show', `refs/heads/${branch}:${path}`);
    },
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * A clone of a served repository, as a user's checkout. Asynchronous: the server answers from this
 * same process, which a synchronous spawn would block.
 */
export function cloneOf(url: string, into: string): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn('git', ['clone', '-q', url, into], {
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0 ? done(into) : fail(new Error(`git clone ${url}: ${err}`)),
    );
  });
}
