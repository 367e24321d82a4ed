/**
 * `dockmig pr` and `dockmig org` against what GitHub would be, on loopback: bare repositories served
 * by `git http-backend` and a small server speaking the GitHub REST API. Every output of every run
 * is kept and searched for the token at the end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  bin,
  collect,
  cleanup,
  example,
  fixture,
  repo as repoRoot,
  tempDir,
  type Ran,
} from '../helpers/cli.js';
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js';
import { validator } from '../helpers/schemas.js';
import { cloneOf, startGitServer, type GitServer } from '../helpers/git-server.js';

const TOKEN = 'ghp_dockmigTestToken0123456789abcdef';
const BRANCH = 'dockmig/harden-dockerfile';
let git: GitServer;
let gh: FakeGitHub;
const outputs: string[] = [];

/** The example project's files, and the same project already hardened. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}
const LEGACY = tree(example);
const HARDENED = {
  ...LEGACY,
  Dockerfile: readFileSync(fixture('python-latest-uvicorn-reload'), 'utf8'),
  '.dockerignore': '.venv\n__pycache__\n.git\n.env\n',
};

/**
 * The binary, started without blocking: the servers live in this process, so a synchronous spawn
 * would leave them unable to answer.
 */
function dockmig(cwd: string, ...args: string[]): Promise<Ran> {
  return run(cwd, { GITHUB_TOKEN: TOKEN }, args);
}

async function run(cwd: string, env: Record<string, string>, args: string[]): Promise<Ran> {
  const r = await collect(process.execPath, [bin, ...args], {
    cwd,
    env: { ...process.env, GITHUB_API_URL: gh.url, DOCKMIG_DEBUG: '', NO_COLOR: '1', ...env },
  });
  outputs.push(r.stdout, r.stderr);
  return r;
}

/** A repository on both servers. */
function repo(
  name: string,
  files: Record<string, string>,
  extra: Partial<FakeGitHub['repos'][number]> = {},
) {
  const clone_url = git.create(`acme/${name}`, files);
  gh.repos.push({ owner: 'acme', name, clone_url, ...extra });
  return clone_url;
}

beforeAll(async () => {
  assertBuilt();
  git = await startGitServer();
  gh = await startFakeGitHub(TOKEN);
});
afterAll(async () => {
  await git?.close();
  await gh?.close();
});
afterEach(() => {
  cleanup();
  gh.repos.splice(0);
  gh.pulls.splice(0);
});

describe('dockmig pr', () => {
  it('opens one pull request, and a second run updates it instead of opening another', async () => {
    const url = repo('api', LEGACY);
    const dir = await cloneOf(url, join(tempDir('dockmig-pr-'), 'api'));

    const first = await dockmig(dir, 'pr');
    expect(first.stderr).toMatch(
      /^acme\/api: opened #1 https:\/\/github\.example\/acme\/api\/pull\/1\n$/,
    );
    expect(first.code).toBe(0);
    expect(gh.pulls).toHaveLength(1);
    const pull = gh.pulls[0];
    expect(pull).toMatchObject({
      head: BRANCH,
      base: 'main',
      title: 'Harden the Dockerfile (dockmig)',
    });
    expect(pull.body).toContain('### `Dockerfile`: changes');
    expect(pull.body).toContain('## How to verify');
    expect(pull.body).toContain('docker build -t dockmig-check -f Dockerfile .');
    // Exactly the files dockmig changed, in one commit on the branch; the checkout is put back.
    expect(git.branch('acme/api', BRANCH)).toEqual({
      subject: 'Harden Dockerfile with dockmig',
      files: ['.dockerignore', 'Dockerfile'],
    });
    expect(spawnSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' }).stdout).toBe(
      '',
    );
    expect(
      spawnSync('git', ['branch', '--show-current'], { cwd: dir, encoding: 'utf8' }).stdout,
    ).toBe('main\n');
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(LEGACY.Dockerfile);

    const second = await dockmig(dir, 'pr', '--title', 'Harden it');
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('acme/api: updated #1\n');
    expect(gh.pulls).toHaveLength(1);
    expect(gh.pulls[0].title).toBe('Harden it');
    expect(gh.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('--dry-run prints the plan and the body, and pushes and opens nothing', async () => {
    const url = repo('web', LEGACY);
    const dir = await cloneOf(url, join(tempDir('dockmig-pr-'), 'web'));
    const seen = gh.requests.length;
    const r = await dockmig(dir, 'pr', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dry run for acme/web: nothing is committed, pushed or opened');
    expect(r.stdout).toContain(`pull request: would open a pull request from ${BRANCH} into main`);
    expect(r.stdout).toContain('## How to verify');
    expect(git.branch('acme/web', BRANCH)).toBeNull();
    expect(gh.pulls).toHaveLength(0);
    expect(gh.requests.slice(seen).map((x) => x.method)).not.toContain('POST');
  });

  it('refuses a dirty tree; with --allow-dirty it commits only what it changed', async () => {
    const url = repo('dirty', LEGACY);
    const dir = await cloneOf(url, join(tempDir('dockmig-pr-'), 'dirty'));
    writeFileSync(join(dir, 'pyproject.toml'), `${LEGACY['pyproject.toml']}# local edit\n`);
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const refused = await dockmig(dir, 'pr');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'the working tree has uncommitted changes (2: pyproject.toml, notes.txt)',
    );
    expect(gh.pulls).toHaveLength(0);

    // Migration options after the subcommand are the subcommand's (here --uid).
    const r = await dockmig(dir, 'pr', '--allow-dirty', '--repo', 'acme/dirty', '--uid', '12345');
    expect(r.code).toBe(0);
    expect(git.branch('acme/dirty', BRANCH)!.files).toEqual(['.dockerignore', 'Dockerfile']);
    expect(git.show('acme/dirty', BRANCH, 'Dockerfile')).toContain('USER 12345:12345');
    // The person's edits are still there, uncommitted.
    expect(readFileSync(join(dir, 'pyproject.toml'), 'utf8')).toContain('# local edit');
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  it('an already hardened checkout opens nothing', async () => {
    const url = repo('done', HARDENED);
    const dir = await cloneOf(url, join(tempDir('dockmig-pr-'), 'done'));
    const r = await dockmig(dir, 'pr');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('acme/done: unchanged\n');
    expect(gh.pulls).toHaveLength(0);
  });

  it('without a token it says how to give one', async () => {
    const url = repo('notoken', LEGACY);
    const dir = await cloneOf(url, join(tempDir('dockmig-pr-'), 'notoken'));
    const r = await run(dir, { GITHUB_TOKEN: '', GH_TOKEN: '' }, ['pr']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no GitHub token: set GITHUB_TOKEN or GH_TOKEN');
  });
});

/** Ten repositories with every kind of outcome. */
function organisation(): void {
  for (const n of [1, 2, 3]) repo(`legacy-${n}`, LEGACY);
  repo('hardened', HARDENED);
  repo('no-dockerfile', { 'README.md': '# docs only\n' });
  repo('broken', { Dockerfile: 'FROM python:latest\nFROOM x\n' });
  repo('rejected', LEGACY);
  git.rejectPushes('acme/rejected');
  repo('archived', LEGACY, { archived: true });
  repo('forked', LEGACY, { fork: true });
  repo('empty', {}, { size: 0 });
}

const summaryLine = (stderr: string) => /^\d+ repositor.*$/m.exec(stderr)?.[0];

describe('dockmig org', () => {
  it('--dry-run pushes nothing and gives the whole-organisation review', async () => {
    organisation();
    const work = tempDir('dockmig-org-');
    const r = await dockmig(
      work,
      'org',
      'acme',
      '--dry-run',
      '--format',
      'json',
      '--work-dir',
      'w',
      '--report',
      'org.html',
    );
    expect(summaryLine(r.stderr)).toBe(
      '10 repositories: 4 would open, 0 would update, 1 unchanged, 4 skipped, 1 failed',
    );
    // The broken Dockerfile needs a person: the run says so in its exit code, as a check would.
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`acme/legacy-1: would open a pull request from ${BRANCH} into main`);
    for (const n of ['legacy-1', 'legacy-2', 'legacy-3', 'rejected'])
      expect(git.branch(`acme/${n}`, BRANCH)).toBeNull();
    expect(gh.pulls).toHaveLength(0);
    const report = JSON.parse(r.stdout);
    expect(report.files.map((f: { path: string }) => f.path)).toEqual([
      'broken/Dockerfile',
      'hardened/Dockerfile',
      'legacy-1/Dockerfile',
      'legacy-2/Dockerfile',
      'legacy-3/Dockerfile',
      'no-dockerfile/.',
      'rejected/Dockerfile',
    ]);
    expect(report.files[2].diff).toContain('+++ b/legacy-1/Dockerfile');
    expect(existsSync(join(work, 'org.html'))).toBe(true);
    // Each repository's outcome is in the report too, not only in the progress lines.
    expect(validator('report.schema.json')(report)).toBe(true);
    expect(
      report.repositories.map((x: { repository: string; outcome: string }) => [
        x.repository,
        x.outcome,
      ]),
    ).toEqual([
      ['acme/archived', 'skipped'],
      ['acme/broken', 'failed'],
      ['acme/empty', 'skipped'],
      ['acme/forked', 'skipped'],
      ['acme/hardened', 'unchanged'],
      ['acme/legacy-1', 'opened'],
      ['acme/legacy-2', 'opened'],
      ['acme/legacy-3', 'opened'],
      ['acme/no-dockerfile', 'skipped'],
      ['acme/rejected', 'opened'],
    ]);
    expect(report.repositories[1].detail).toBe('Dockerfile: unknown instruction FROOM on line 2');
    expect(readFileSync(join(work, 'org.html'), 'utf8')).toContain('"repositories":[');
  });

  it('one run at a time per state file: a live holder stops the second run, a dead one is taken over', async () => {
    repo('legacy-1', LEGACY);
    const work = tempDir('dockmig-org-');
    const lockFile = join(work, 'state.json.lock');
    // Held by a live process on this host (this test's own).
    writeFileSync(
      lockFile,
      JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-11-30T00:00:00.000Z' }),
    );
    const held = await dockmig(work, 'org', 'acme', '--state', 'state.json', '--work-dir', 'w');
    expect(held.code).toBe(2);
    expect(held.stderr).toContain(
      `state.json is in use by another dockmig run (pid ${process.pid} on ${hostname()}, since 2026-11-30T00:00:00.000Z); wait for it to end, or delete ${lockFile} if that run is gone`,
    );
    expect(gh.pulls).toHaveLength(0);
    expect(existsSync(lockFile)).toBe(true);
    // Left by a run that is gone: a process that has exited.
    const gone = spawnSync(process.execPath, ['-e', 'process.pid'], { encoding: 'utf8' }).pid!;
    writeFileSync(lockFile, JSON.stringify({ pid: gone, host: hostname(), since: 'then' }));
    const r = await dockmig(work, 'org', 'acme', '--state', 'state.json', '--work-dir', 'w');
    expect(r.code).toBe(0);
    expect(gh.pulls.map((p) => p.repo)).toEqual(['legacy-1']);
    expect(existsSync(lockFile)).toBe(false);
    // A dry run writes no state and takes no lock.
    writeFileSync(lockFile, JSON.stringify({ pid: process.pid, host: hostname(), since: 'now' }));
    const dry = await dockmig(
      work,
      'org',
      'acme',
      '--state',
      'state.json',
      '--dry-run',
      '--work-dir',
      'w',
    );
    expect(dry.stderr).not.toContain('is in use');
  });

  it('opens the right PRs over mixed outcomes, waits out a rate limit, and a re-run opens none twice', async () => {
    organisation();
    gh.rateLimit(/^\/orgs\/acme\/repos$/, 1);
    const work = tempDir('dockmig-org-');
    const r = await dockmig(
      work,
      'org',
      'acme',
      '--state',
      'state.json',
      '--work-dir',
      'w',
      '--concurrency',
      '3',
    );
    expect(r.stderr).toContain('GitHub rate limit: waiting 1 s');
    expect(summaryLine(r.stderr)).toBe(
      '10 repositories: 3 opened, 0 updated, 1 unchanged, 4 skipped, 2 failed',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /acme\/rejected: failed \(git push failed: .*\(pre-receive hook declined\)/,
    );
    expect(r.stderr).toContain('acme/archived: skipped (archived)');
    expect(r.stderr).toContain('acme/forked: skipped (a fork)');
    expect(r.stderr).toContain('acme/empty: skipped (empty)');
    expect(r.stderr).toContain(
      'acme/broken: failed (Dockerfile: unknown instruction FROOM on line 2)',
    );
    expect(r.stderr).toContain('acme/no-dockerfile: skipped (no Dockerfile)');
    expect(r.stderr).toContain('acme/hardened: unchanged (already hardened)');
    expect(gh.pulls.map((p) => p.repo).sort()).toEqual(['legacy-1', 'legacy-2', 'legacy-3']);
    const state = JSON.parse(readFileSync(join(work, 'state.json'), 'utf8'));
    expect(state.repos['acme/legacy-1']).toMatchObject({
      outcome: 'opened',
      pr: { number: expect.any(Number) },
    });
    expect(state.repos['acme/rejected'].outcome).toBe('failed');
    expect(readdirSync(join(work, 'w'))).toEqual([]);

    // Again: what is done is skipped, what failed is left until asked.
    const again = await dockmig(work, 'org', 'acme', '--state', 'state.json', '--work-dir', 'w');
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('acme/legacy-2: skipped (done in an earlier run (opened #');
    expect(again.stderr).toContain(
      'acme/rejected: skipped (failed in an earlier run (--retry-failed retries it)',
    );
    expect(gh.pulls).toHaveLength(3);

    // The push works now: --retry-failed opens that one, and only that one.
    rmSync(join(git.root, 'acme', 'rejected.git', 'hooks', 'pre-receive'));
    const retry = await dockmig(
      work,
      'org',
      'acme',
      '--state',
      'state.json',
      '--work-dir',
      'w',
      '--retry-failed',
    );
    // The broken Dockerfile is retried too, and fails the same way.
    expect(retry.code).toBe(2);
    expect(summaryLine(retry.stderr)).toBe(
      '10 repositories: 1 opened, 0 updated, 0 unchanged, 8 skipped, 1 failed',
    );
    expect(retry.stderr).toContain('acme/broken: failed (Dockerfile: unknown instruction FROOM');
    expect(gh.pulls.map((p) => p.repo).sort()).toEqual([
      'legacy-1',
      'legacy-2',
      'legacy-3',
      'rejected',
    ]);

    // Without the state file, a re-run finds the open PRs and updates them.
    const fresh = await dockmig(work, 'org', 'acme', '--work-dir', 'w', '--include', 'legacy-*');
    expect(summaryLine(fresh.stderr)).toBe(
      '10 repositories: 0 opened, 3 updated, 0 unchanged, 7 skipped, 0 failed',
    );
    expect(gh.pulls).toHaveLength(4);
  });

  it('resumes after a run killed between opening a PR and recording it, without a duplicate', async () => {
    for (let n = 1; n <= 5; n++) repo(`svc-${n}`, LEGACY);
    const work = tempDir('dockmig-org-');
    // The second PR is created on GitHub, and the run dies before it hears so: the state file
    // knows of the first PR only.
    await new Promise<void>((done) => {
      const child = spawn(
        process.execPath,
        [bin, 'org', 'acme', '--state', 'state.json', '--work-dir', 'w', '--concurrency', '1'],
        { cwd: work, env: { ...process.env, GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.url } },
      );
      gh.onPullCreated = (p) => {
        if (p.number === 2) child.kill('SIGKILL');
      };
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code, signal) => {
        outputs.push(err);
        expect(signal).toBe('SIGKILL');
        done();
      });
    });
    gh.onPullCreated = null;
    expect(gh.pulls.map((p) => p.repo)).toEqual(['svc-1', 'svc-2']);
    const state = JSON.parse(readFileSync(join(work, 'state.json'), 'utf8'));
    expect(Object.keys(state.repos)).toEqual(['acme/svc-1']);

    const resumed = await dockmig(work, 'org', 'acme', '--state', 'state.json', '--work-dir', 'w');
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('acme/svc-1: skipped (done in an earlier run (opened #1))');
    expect(resumed.stderr).toContain('acme/svc-2: updated #2');
    expect(summaryLine(resumed.stderr)).toBe(
      '5 repositories: 3 opened, 1 updated, 0 unchanged, 1 skipped, 0 failed',
    );
    expect(gh.pulls.map((p) => p.repo).sort()).toEqual([
      'svc-1',
      'svc-2',
      'svc-3',
      'svc-4',
      'svc-5',
    ]);
  });

  it('--max-prs caps the PRs one run opens; a primary rate limit waits for its reset', async () => {
    for (let n = 1; n <= 4; n++) repo(`cap-${n}`, LEGACY);
    gh.rateLimit(/\/pulls$/, 1, 'reset');
    const work = tempDir('dockmig-org-');
    const r = await dockmig(
      work,
      'org',
      'acme',
      '--work-dir',
      'w',
      '--max-prs',
      '2',
      '--concurrency',
      '1',
    );
    expect(summaryLine(r.stderr)).toBe(
      '4 repositories: 2 opened, 0 updated, 0 unchanged, 2 skipped, 0 failed',
    );
    expect(r.stderr).toContain('acme/cap-4: skipped (--max-prs 2 reached)');
    expect(r.stderr).toMatch(/^GitHub rate limit: waiting [12] s$/m);
    expect(gh.pulls).toHaveLength(2);
  });

  it('shards cover every repository exactly once, and merge-reports joins their reports', async () => {
    organisation();
    for (let n = 1; n <= 8; n++) repo(`more-${n}`, LEGACY);
    const work = tempDir('dockmig-org-');
    const seen: string[] = [];
    for (const k of [1, 2, 3]) {
      const r = await dockmig(
        work,
        'org',
        'acme',
        '--dry-run',
        '--shard',
        `${k}/3`,
        '--work-dir',
        `w${k}`,
        '--format',
        'json',
      );
      writeFileSync(join(work, `shard-${k}.json`), r.stdout);
      seen.push(...[...r.stderr.matchAll(/^\[\d+\/\d+\] (acme\/\S+):/gm)].map((m) => m[1]));
      expect(r.stderr).toMatch(new RegExp(`\\(shard ${k}/3 of 18\\)`));
    }
    expect(seen.sort()).toEqual(gh.repos.map((x) => `acme/${x.name}`).sort());
    const whole = await dockmig(
      work,
      'org',
      'acme',
      '--dry-run',
      '--work-dir',
      'w',
      '--format',
      'json',
    );
    const merged = await dockmig(
      work,
      'merge-reports',
      'shard-1.json',
      'shard-2.json',
      'shard-3.json',
    );
    expect(merged.code).toBe(0);
    const a = JSON.parse(merged.stdout);
    const b = JSON.parse(whole.stdout);
    expect(a.files.map((f: { path: string }) => f.path)).toEqual(
      b.files.map((f: { path: string }) => f.path),
    );
    expect(a.summary).toEqual(b.summary);
    expect(a.repositories).toEqual(b.repositories);
    expect(a.repositories).toHaveLength(18);
    const md = await dockmig(
      work,
      'merge-reports',
      '--format',
      'markdown',
      'shard-1.json',
      'shard-2.json',
      'shard-3.json',
    );
    expect(md.stdout).toContain(
      '| `acme/broken` | failed | Dockerfile: unknown instruction FROOM on line 2 |',
    );
    const twice = await dockmig(work, 'merge-reports', 'shard-1.json', 'shard-1.json');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('the reports overlap');
  });
});

describe('the GitHub Actions matrix workflow in examples/ and the README', () => {
  const file = join(repoRoot, 'examples', 'github-actions', 'dockmig-org.yml');
  const text = readFileSync(file, 'utf8');
  const wf = parse(text) as {
    jobs: Record<
      string,
      {
        needs?: string;
        strategy?: { matrix: { shard: number[] } };
        steps: { name?: string; run?: string; env?: Record<string, string> }[];
      }
    >;
  };
  const step = (job: string, name: string) => wf.jobs[job].steps.find((s) => s.name === name)!;

  /** A step's script run by bash as a runner would, with its env and the runner's files. */
  async function runStep(script: string, cwd: string, env: Record<string, string>): Promise<Ran> {
    const r = await collect('bash', ['-e', '-c', script], {
      cwd,
      env: { ...process.env, DOCKMIG_DEBUG: '', NO_COLOR: '1', GITHUB_API_URL: gh.url, ...env },
    });
    outputs.push(r.stdout, r.stderr);
    return r;
  }

  it('is printed in the README as it is in examples/', () => {
    expect(readFileSync(join(repoRoot, 'README.md'), 'utf8')).toContain('```yaml\n' + text + '```');
  });

  it('its shard jobs cover the organisation once, and the review job joins them', async () => {
    organisation();
    for (let n = 1; n <= 6; n++) repo(`extra-${n}`, LEGACY);
    const shards = wf.jobs.shard.strategy!.matrix.shard;
    expect(shards).toEqual(shards.map((_, i) => i + 1));
    expect(wf.jobs.review.needs).toBe('shard');
    const runner = tempDir('dockmig-runner-');
    symlinkSync(repoRoot, join(runner, 'dockmig'));
    const orgStep = step('shard', 'dockmig org (one shard)');
    for (const k of shards) {
      const r = await runStep(orgStep.run!, runner, {
        GITHUB_TOKEN: TOKEN,
        ORG: 'acme',
        DRY_RUN: 'true',
        SHARD: String(k),
        SHARDS: String(shards.length),
        RUNNER_TEMP: join(runner, 'tmp'),
      });
      // The broken Dockerfile fails the shard that holds it; every shard still writes its report.
      expect([0, 2]).toContain(r.code);
      expect(r.stderr).toContain(`(shard ${k}/${shards.length} of 16)`);
    }
    expect(gh.pulls).toHaveLength(0);
    const summary = join(runner, 'summary.md');
    const joined = await runStep(step('review', "Join the shards' reports").run!, runner, {
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(joined.code).toBe(0);
    const whole = await dockmig(runner, 'org', 'acme', '--dry-run', '--format', 'json');
    const paths = (r: { files: { path: string }[] }) => r.files.map((f) => f.path);
    const merged = JSON.parse(readFileSync(join(runner, 'dockmig-org.json'), 'utf8'));
    expect(paths(merged)).toEqual(paths(JSON.parse(whole.stdout)));
    expect(paths(merged)).toContain('extra-6/Dockerfile');
    expect(readFileSync(summary, 'utf8')).toMatch(/^## dockmig: Dockerfile hardening review/);
    expect(readFileSync(join(runner, 'dockmig-org.html'), 'utf8')).toContain('<html');
  });
});

describe('the token', () => {
  it('went to GitHub and to git as a header, never in a URL, and never into any output', async () => {
    expect(gh.requests.length).toBeGreaterThan(20);
    expect(gh.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
    const basic = `Basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;
    expect(git.requests.some((r) => r.authorization === basic)).toBe(true);
    for (const r of [...gh.requests, ...git.requests]) expect(r.url).not.toContain(TOKEN);
    expect(outputs.length).toBeGreaterThan(20);
    for (const o of outputs) {
      expect(o).not.toContain(TOKEN);
      expect(o).not.toContain(basic.slice(6));
    }
  });
});
