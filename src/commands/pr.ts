/**
 * `dockmig pr [dir]`: migrate a git checkout and propose the change as a pull request: a branch
 * (reset to HEAD), one commit of exactly the files dockmig changed, a force-push of that branch,
 * and a PR against the default branch, or the open one from that branch updated. The checkout is
 * put back on the branch it was on. `proposeChanges` is the part an organisation run shares.
 */
import { relative, resolve, sep } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { NO_DOCKERFILE } from '../io/discover.js';
import { Git } from '../io/git.js';
import type { GitHub } from '../io/github.js';
import { prExitCode } from '../report/exit-code.js';
import type { Report, RepositoryOutcome } from '../report/model.js';
import { commitMessage, DEFAULT_TITLE, pullRequestBody } from '../report/pull-request.js';
import { parseRepoArg, repoFromRemote, type RepoRef } from './repositories.js';
import { migrateAll, reportOf, writeAll, type Io, type Migrated, type RunOptions } from './run.js';

export interface PrSettings {
  branch: string;
  remote: string;
  title: string;
  dryRun: boolean;
}

export interface Proposal {
  outcome: RepositoryOutcome;
  /** What happened, in words (the PR, or why not). */
  detail: string;
  pr?: { number: number; url: string };
  report: Report;
}

/**
 * Migrate the checkout at `git.cwd`, and unless a dry run, commit, push and open or update the PR.
 * Never commits a file it did not change. Errors in files are part of the report; they do not stop
 * the PR for the files that migrated.
 */
export async function proposeChanges(input: {
  git: Git;
  github: GitHub | null;
  repo: RepoRef;
  base: string;
  run: RunOptions;
  settings: PrSettings;
  version: string;
  io: Pick<Io, 'stderr'>;
}): Promise<Proposal> {
  const { git, github, repo, settings } = input;
  const cwd = git.cwd;
  const m: Migrated = await migrateAll(
    { ...input.run, paths: ['.'] },
    { cwd, stderr: input.io.stderr },
  );
  const changed = m.results.filter((r) => r.status === 'changed');
  const dryReport = reportOf(m, 'dry-run', input.version);
  if (changed.length === 0) {
    const errors = dryReport.files.flatMap((f) =>
      f.errors.map((e) => (f.path === '.' ? e : `${f.path}: ${e}`)),
    );
    const left = dryReport.summary.incomplete;
    if (errors.length === 0)
      return {
        outcome: 'unchanged',
        // Nothing to propose is not hardened when a finding no fix can settle is still there.
        detail:
          left === 0
            ? 'already hardened'
            : `nothing dockmig can change, but ${left} file${left === 1 ? ' is' : 's are'} left to a person`,
        report: dryReport,
      };
    if (errors.every((e) => e === NO_DOCKERFILE))
      return { outcome: 'skipped', detail: 'no Dockerfile', report: dryReport };
    // Something needs migrating and could not be: the repository needs a person, not a PR.
    return {
      outcome: 'failed',
      detail: errors.length === 1 ? errors[0] : `${errors[0]} (and ${errors.length - 1} more)`,
      report: dryReport,
    };
  }
  const existing = github ? await github.openPullFrom(repo, settings.branch) : null;
  if (settings.dryRun) {
    return {
      outcome: existing ? 'updated' : 'opened',
      detail: existing
        ? `would update #${existing.number} from ${settings.branch}`
        : `would open a pull request from ${settings.branch} into ${input.base}`,
      report: dryReport,
      ...(existing ? { pr: existing } : {}),
    };
  }
  const original = (await git.currentBranch()) ?? (await git.head());
  await git.run(['checkout', '-q', '-B', settings.branch]);
  try {
    writeAll(m);
    const report = reportOf(m, 'write', input.version);
    const written = m.results
      .filter((r) => r.status === 'changed')
      .flatMap((r) => m.targets.get(r)!)
      .map((p) => relative(cwd, p).split(sep).join('/'));
    if (written.length === 0) {
      return { outcome: 'failed', detail: 'no change set could be written', report };
    }
    await git.commitOnBranch(settings.branch, written, commitMessage(report));
    await git.pushBranch(settings.remote, settings.branch);
    const body = pullRequestBody(report);
    if (!github) throw new InputError('no GitHub API to open the pull request with');
    if (existing) {
      await github.updatePull(repo, existing.number, { title: settings.title, body });
      return { outcome: 'updated', detail: `updated #${existing.number}`, pr: existing, report };
    }
    const pr = await github.createPull(repo, {
      branch: settings.branch,
      base: input.base,
      title: settings.title,
      body,
    });
    return { outcome: 'opened', detail: `opened #${pr.number} ${pr.url}`, pr, report };
  } finally {
    await git.checkout(original).catch(() => {});
  }
}

/**
 * The files of a report a person must finish, in words (why `pr` exits 2 when its pull request
 * went out anyway), or '' when there are none.
 */
export function needingPerson(report: Report): string {
  const files = report.files.filter((f) => f.status === 'error' || f.incomplete).map((f) => f.path);
  if (files.length === 0) return '';
  const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? ', ...' : '');
  return `${files.length} file${files.length === 1 ? '' : 's'} left to a person (not migrated, or left incomplete): ${shown}`;
}

export interface PrOptions {
  dir: string;
  settings: PrSettings;
  repo: string | null;
  allowDirty: boolean;
  run: RunOptions;
  version: string;
  github: (mask: (t: string) => string) => GitHub | null;
  token: string | null;
  mask: (text: string) => string;
}

export async function pr(opts: PrOptions, io: Io): Promise<number> {
  const dir = resolve(io.cwd, opts.dir);
  const git = new Git(dir, { token: opts.token, mask: opts.mask });
  if (!(await git.isRepository())) throw new UsageError(`${opts.dir} is not a git checkout`);
  if (!opts.allowDirty) {
    const dirty = await git.dirty();
    if (dirty.length > 0)
      throw new UsageError(
        `the working tree has uncommitted changes (${dirty.length}: ${dirty
          .slice(0, 3)
          .map((l) => l.slice(3))
          .join(
            ', ',
          )}${dirty.length > 3 ? ', ...' : ''}); commit or stash them, or pass --allow-dirty`,
      );
  }
  let repo = opts.repo ? parseRepoArg(opts.repo) : null;
  if (opts.repo && !repo) throw new UsageError(`--repo expects owner/name, not "${opts.repo}"`);
  if (!repo) {
    const url = await git.remoteUrl(opts.settings.remote).catch(() => {
      throw new UsageError(`the checkout has no remote "${opts.settings.remote}" (--remote)`);
    });
    repo = repoFromRemote(url);
    if (!repo)
      throw new UsageError(`cannot tell owner/name from the remote URL; pass --repo owner/name`);
  }
  if (!opts.token && !opts.settings.dryRun)
    throw new UsageError(
      'no GitHub token: set GITHUB_TOKEN or GH_TOKEN (or name another variable with --token-env)',
    );
  const github = opts.token ? opts.github(opts.mask) : null;
  const base = github ? ((await github.repository(repo)).default_branch ?? 'main') : 'main';
  const p = await proposeChanges({
    git,
    github,
    repo,
    base,
    run: opts.run,
    settings: opts.settings,
    version: opts.version,
    io,
  });
  const where = `${repo.owner}/${repo.repo}`;
  if (opts.settings.dryRun) {
    io.stdout(
      opts.mask(
        [
          `dry run for ${where}: nothing is committed, pushed or opened`,
          `branch: ${opts.settings.branch} (from ${(await git.currentBranch()) ?? 'HEAD'}), push to ${opts.settings.remote}`,
          `pull request: ${p.outcome === 'unchanged' ? 'none: ' + p.detail : p.detail}`,
          `title: ${opts.settings.title}`,
          '',
          p.outcome === 'unchanged' ? '' : pullRequestBody(p.report),
        ].join('\n'),
      ),
    );
  }
  io.stderr(opts.mask(`${where}: ${p.outcome === 'unchanged' ? 'unchanged' : p.detail}\n`));
  // Failed or skipped, the line above already says why.
  const proposed = p.outcome !== 'failed' && p.outcome !== 'skipped';
  const unfinished = proposed ? needingPerson(p.report) : '';
  if (unfinished) io.stderr(opts.mask(`${where}: ${unfinished}\n`));
  return prExitCode({ outcome: p.outcome, tally: p.report.summary });
}
