/**
 * `org` in process, with GitHub replaced by a stand-in that fails on purpose: any exception in one
 * repository, dockmig's own bugs included, is that repository failed, said as the top of the
 * command line says it, and the run goes on.
 */
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { orgOptions } from '../../src/commands/github-options.js';
import { org } from '../../src/commands/org.js';
import { needingPerson } from '../../src/commands/pr.js';
import type { FileReport, FileStatus, Report } from '../../src/report/model.js';
import { describeFailure, failureOf, InputError } from '../../src/errors.js';
import type { GitHub } from '../../src/io/github.js';
import type { RepoListing } from '../../src/commands/repositories.js';
import { checkout, cleanup, fixture, git, tempDir } from '../helpers/cli.js';

beforeEach(() => vi.stubEnv('DOCKMIG_DEBUG', ''));
afterEach(() => {
  vi.unstubAllEnvs();
  cleanup();
});

const BUG = "Cannot read properties of undefined (reading 'head')";

/**
 * A GitHub that lists these repositories (name -> checkout) and fails, its own way, on `known`
 * and `bug`.
 */
function github(repos: Record<string, string>): GitHub {
  return {
    organisationRepositories: async () =>
      Object.entries(repos).map(([name, dir]): RepoListing => ({
        name,
        full_name: `acme/${name}`,
        clone_url: `file://${dir}`,
      })),
    openPullFrom: async (ref: { repo: string }) => {
      if (ref.repo === 'known')
        throw new InputError('GitHub API: listing pull requests of acme/known failed (502)');
      if (ref.repo === 'bug') throw new TypeError(BUG);
      return null;
    },
  } as unknown as GitHub;
}

/** `org acme --dry-run --format json` in process, against the stand-in. */
async function dryRun(repos: Record<string, string>) {
  const cwd = tempDir('dockmig-org-');
  const options = orgOptions(
    {
      paths: [],
      pathsGiven: false,
      flags: { dryRun: true, config: false, concurrency: 1, format: 'json', workDir: 'w' },
      given: () => false,
      cwd,
      version: '0.0.0',
      env: { GITHUB_TOKEN: 'ghp_x' },
    },
    'acme',
  );
  let stdout = '';
  let stderr = '';
  const code = await org(
    { ...options, github: github(repos) },
    { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) },
  );
  return { code, stdout, stderr };
}

describe('org', () => {
  it('records any exception as a failed repository: a known one in its words, a bug with its stack', async () => {
    const project = checkout();
    const { code, stdout, stderr } = await dryRun({ known: project, fine: project, bug: project });
    const lines = stderr.split('\n');
    const bug = `unexpected error, this is a bug in dockmig; please report it with the command you ran: TypeError: ${BUG}`;
    expect(lines[0]).toBe(`[1/3] acme/bug: failed (${bug})`);
    // The stack follows its line, and is nowhere else: not in the report, not in the summary.
    expect(lines[1]).toMatch(/^ {4}at .*test\/commands\/org\.test\.ts:\d+:\d+/);
    const after = lines.findIndex((l, i) => i > 0 && !l.startsWith('    at '));
    expect(lines.slice(after)).toEqual([
      '[2/3] acme/fine: would open a pull request from dockmig/harden-dockerfile into main',
      '[3/3] acme/known: failed (GitHub API: listing pull requests of acme/known failed (502))',
      '3 repositories: 1 would open, 0 would update, 0 unchanged, 0 skipped, 2 failed',
      `  1 failed: ${bug.replace(/ \(.*$/, '')}`,
      '  1 failed: GitHub API: listing pull requests of acme/known failed',
      '',
    ]);
    expect(code).toBe(2);
    const report = JSON.parse(stdout) as { repositories: { outcome: string; detail: string }[] };
    expect(report.repositories.map((r) => [r.outcome, r.detail])).toEqual([
      ['failed', bug],
      ['opened', 'would open a pull request from dockmig/harden-dockerfile into main'],
      ['failed', 'GitHub API: listing pull requests of acme/known failed (502)'],
    ]);
  });
});

describe('org exit code', () => {
  it('is 2 when a pull request goes out with a file left incomplete, as under pr', async () => {
    const project = checkout();
    appendFileSync(join(project, 'svc', 'Dockerfile'), 'ENV API_TOKEN=s3cr3t-value-0123\n');
    git(project, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qam', 'token');
    const r = await dryRun({ clean: checkout(), leaky: project });
    expect(r.stderr.split('\n').slice(-3)).toEqual([
      '2 repositories: 2 would open, 0 would update, 0 unchanged, 0 skipped, 0 failed',
      '  1 with files left to a person (not migrated, or left incomplete): acme/leaky',
      '',
    ]);
    expect(r.code).toBe(2);
    expect((await dryRun({ clean: checkout() })).code).toBe(0);
  });

  it('an unchanged repository with a file left incomplete is not called hardened', async () => {
    const project = checkout();
    writeFileSync(
      join(project, 'svc', 'Dockerfile'),
      `${readFileSync(fixture('python-latest-uvicorn-reload'), 'utf8')}ENV API_TOKEN=s3cr3t-value-0123\n`,
    );
    writeFileSync(join(project, 'svc', '.dockerignore'), '.venv\n__pycache__\n.git\n.env\n');
    git(project, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '.');
    git(project, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'hard');
    const r = await dryRun({ leaky: project });
    expect(r.stderr.split('\n').slice(-4)).toEqual([
      '[1/1] acme/leaky: unchanged (nothing dockmig can change, but 1 file is left to a person)',
      '1 repository: 0 would open, 0 would update, 1 unchanged, 0 skipped, 0 failed',
      '  1 with files left to a person (not migrated, or left incomplete): acme/leaky',
      '',
    ]);
    expect(r.code).toBe(2);
  });
});

describe('needingPerson', () => {
  it('names the files pr leaves to a person, and nothing when there are none', () => {
    const file = (path: string, status: FileStatus, incomplete = false) =>
      ({ path, status, incomplete }) as FileReport;
    const report = (files: FileReport[]) => ({ files }) as Report;
    expect(needingPerson(report([file('a/Dockerfile', 'changed')]))).toBe('');
    expect(
      needingPerson(
        report([
          file('a/Dockerfile', 'changed', true),
          file('b/Dockerfile', 'error'),
          file('c/Dockerfile', 'unchanged'),
        ]),
      ),
    ).toBe(
      '2 files left to a person (not migrated, or left incomplete): a/Dockerfile, b/Dockerfile',
    );
  });
});

describe('failureOf: one wording for the top of the command line and for org', () => {
  it('a known error is its message; its stack only with DOCKMIG_DEBUG', () => {
    const e = new InputError('the file is read-only');
    expect(failureOf(e, false)).toEqual({ message: 'the file is read-only', stack: null });
    expect(failureOf(e, true).stack).toMatch(/^InputError: the file is read-only\n {4}at /);
    expect(describeFailure(e, false).text).toBe('dockmig: the file is read-only\n');
  });

  it('anything else is a bug: named, one line, then the frames of its stack', () => {
    const f = failureOf(new RangeError('two\nlines'), false);
    expect(f.message).toBe(
      'unexpected error, this is a bug in dockmig; please report it with the command you ran: RangeError: two / lines',
    );
    expect(f.stack).toMatch(/^ {4}at /);
    expect(describeFailure(new RangeError('x'), false).text).toMatch(
      /^dockmig: unexpected error, this is a bug in dockmig; please report it with the command you ran: RangeError: x\n {4}at .*\n$/s,
    );
    expect(failureOf('a string', false)).toEqual({
      message:
        'unexpected error, this is a bug in dockmig; please report it with the command you ran: a string (thrown)',
      stack: null,
    });
  });
});
