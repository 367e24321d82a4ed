/**
 * `dockmig org ORG`: every repository of an organisation, each shallow-cloned into a work
 * directory, migrated, and (unless --dry-run) proposed as a pull request, N at a time. One failing
 * repository never stops the run; a state file makes a re-run skip what is done; shards split one
 * organisation over many runners.
 */
import { join, resolve } from 'node:path';
import { failureOf, InputError, UsageError } from '../errors.js';
import { describeIo } from '../io/files.js';
import { Git } from '../io/git.js';
import { takeLock } from '../io/lock.js';
import { readJson, writeJsonState } from '../io/state.js';
import { ensureDir, removeTree } from '../io/workspace.js';
import type { GitHub } from '../io/github.js';
import { needsPerson, NOTHING, orgExitCode, type Tally } from '../report/exit-code.js';
import {
  mergeReports,
  prefixReport,
  type Report,
  type RepositoryOutcome,
} from '../report/model.js';
import { proposeChanges, type PrSettings } from './pr.js';
import { inShard, skipReason, type RepoFilter, type RepoListing } from './repositories.js';
import { renderReport, writeHtmlReport, type Format, type Io, type RunOptions } from './run.js';

export interface OrgOptions {
  org: string;
  filter: RepoFilter;
  settings: PrSettings;
  concurrency: number;
  workDir: string;
  stateFile: string | null;
  retryFailed: boolean;
  maxPrs: number | null;
  format: Format;
  reportFile: string | null;
  run: RunOptions;
  version: string;
  token: string | null;
  mask: (text: string) => string;
  github: GitHub;
}

export interface RepoState {
  outcome: RepositoryOutcome;
  detail: string;
  pr?: { number: number; url: string };
  at: string;
}

export interface StateFile {
  version: 1;
  org: string;
  repos: Record<string, RepoState>;
}

const DONE: ReadonlySet<RepositoryOutcome> = new Set(['opened', 'updated', 'unchanged']);

export async function org(opts: OrgOptions, io: Io): Promise<number> {
  // One run at a time per state file: two would each write their own view of it.
  const release =
    opts.stateFile && !opts.settings.dryRun ? lockState(resolve(io.cwd, opts.stateFile)) : null;
  try {
    return await orgRun(opts, io);
  } finally {
    release?.();
  }
}

async function orgRun(opts: OrgOptions, io: Io): Promise<number> {
  const say = (line: string) => io.stderr(opts.mask(line) + '\n');
  const state = readState(opts.stateFile, opts.org);
  const listed = await opts.github.organisationRepositories(opts.org);
  const mine = listed
    .filter((r) => inShard(r.full_name, opts.filter.shard))
    .sort((a, b) => (a.full_name < b.full_name ? -1 : 1));
  const outcomes = new Map<string, RepoState>();
  /** The counts of each repository that was migrated: the exit code looks at them too. */
  const tallies = new Map<string, Tally>();
  const reports: Report[] = [];
  const queue: RepoListing[] = [];
  for (const repo of mine) {
    const why = skipReason(repo, opts.filter);
    const before = state.repos[repo.full_name];
    if (why) record(repo, { outcome: 'skipped', detail: why });
    else if (before && DONE.has(before.outcome) && !opts.settings.dryRun)
      record(
        repo,
        {
          outcome: 'skipped',
          detail: `done in an earlier run (${before.outcome}${before.pr ? ` #${before.pr.number}` : ''})`,
        },
        false,
      );
    else if (before?.outcome === 'failed' && !opts.retryFailed && !opts.settings.dryRun)
      record(
        repo,
        {
          outcome: 'skipped',
          detail: `failed in an earlier run (--retry-failed retries it): ${before.detail}`,
        },
        false,
      );
    else queue.push(repo);
  }

  function record(repo: RepoListing, s: Omit<RepoState, 'at'>, persist = true): void {
    const entry = { ...s, detail: opts.mask(s.detail), at: new Date().toISOString() };
    outcomes.set(repo.full_name, entry);
    if (persist && !opts.settings.dryRun && opts.stateFile) {
      state.repos[repo.full_name] = entry;
      writeState(opts.stateFile, state);
    }
    const n = outcomes.size;
    // A dry run's "opened" is only a plan: its detail says "would open ...".
    const what =
      (opts.settings.dryRun && (entry.outcome === 'opened' || entry.outcome === 'updated')) ||
      entry.detail.startsWith(entry.outcome)
        ? entry.detail
        : `${entry.outcome}${entry.detail ? ` (${entry.detail})` : ''}`;
    say(`[${n}/${mine.length}] ${repo.full_name}: ${what}`);
  }

  let prsOpened = 0;
  async function one(repo: RepoListing): Promise<void> {
    const dir = join(opts.workDir, repo.full_name.replace(/\//g, '__'));
    try {
      removeTree(dir);
      ensureDir(opts.workDir);
      const git = new Git(opts.workDir, { token: opts.token, mask: opts.mask });
      await git.clone(repo.clone_url, dir, repo.default_branch ?? null);
      const [owner, name] = repo.full_name.split('/');
      const capped = opts.maxPrs !== null && prsOpened >= opts.maxPrs;
      const p = await proposeChanges({
        git: new Git(dir, { token: opts.token, mask: opts.mask }),
        github: opts.github,
        repo: { owner, repo: name },
        base: repo.default_branch ?? 'main',
        run: opts.run,
        settings: { ...opts.settings, dryRun: opts.settings.dryRun || capped },
        version: opts.version,
        io,
      });
      reports.push(prefixReport(p.report, repo.name));
      tallies.set(repo.full_name, p.report.summary);
      if (capped && p.outcome !== 'unchanged') {
        record(repo, { outcome: 'skipped', detail: `--max-prs ${opts.maxPrs} reached` });
        return;
      }
      if (p.outcome === 'opened' && !opts.settings.dryRun) prsOpened++;
      record(repo, {
        outcome: p.outcome,
        detail: p.detail,
        ...(p.pr ? { pr: p.pr } : {}),
      });
    } catch (error) {
      // Said as the top of the command line says it: a bug of dockmig's own is one failed
      // repository, not the end of the run, and still asks for a report with its stack.
      const failure = failureOf(error);
      record(repo, { outcome: 'failed', detail: failure.message });
      if (failure.stack) io.stderr(opts.mask(failure.stack) + '\n');
    } finally {
      if (!opts.settings.dryRun) removeTree(dir);
    }
  }

  // A pool of N: each worker takes the next repository until none is left. The cap on PRs is
  // counted as they open, so with N > 1 it can be passed by at most N - 1 in flight.
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(opts.concurrency, queue.length)) }, async () => {
      while (next < queue.length) await one(queue[next++]);
    }),
  );

  const report = mergeReports(reports, opts.version);
  report.repositories = [...outcomes]
    .map(([repository, s]) => ({
      repository,
      outcome: s.outcome,
      detail: s.detail,
      pr: s.pr ?? null,
    }))
    .sort((a, b) => (a.repository < b.repository ? -1 : 1));
  if (opts.format !== 'diff') io.stdout(opts.mask(renderReport(report, opts.format)));
  if (opts.reportFile) await writeHtmlReport(resolve(io.cwd, opts.reportFile), report);
  const count = (o: RepositoryOutcome) =>
    [...outcomes.values()].filter((s) => s.outcome === o).length;
  const verb = opts.settings.dryRun ? ['would open', 'would update'] : ['opened', 'updated'];
  say(
    `${mine.length} repositor${mine.length === 1 ? 'y' : 'ies'}${opts.filter.shard ? ` (shard ${opts.filter.shard.index}/${opts.filter.shard.count} of ${listed.length})` : ''}: ` +
      `${count('opened')} ${verb[0]}, ${count('updated')} ${verb[1]}, ${count('unchanged')} unchanged, ${count('skipped')} skipped, ${count('failed')} failed`,
  );
  const reasons = new Map<string, number>();
  for (const s of outcomes.values()) {
    if (s.outcome !== 'skipped' && s.outcome !== 'failed') continue;
    const key = `${s.outcome}: ${s.detail.replace(/#\d+/g, '#N').replace(/ \(.*$/, '')}`;
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  for (const [why, n] of reasons) say(`  ${n} ${why}`);
  const results = [...outcomes].map(([name, s]) => ({
    outcome: s.outcome,
    tally: tallies.get(name) ?? NOTHING,
  }));
  const unfinished = [...outcomes]
    .filter(([, s]) => s.outcome !== 'skipped' && s.outcome !== 'failed')
    .filter(([name]) => needsPerson(tallies.get(name) ?? NOTHING))
    .map(([name]) => name);
  if (unfinished.length > 0)
    say(
      `  ${unfinished.length} with files left to a person (not migrated, or left incomplete): ${unfinished.join(', ')}`,
    );
  return orgExitCode(results);
}

function lockState(path: string): () => void {
  const file = `${path}.lock`;
  return takeLock(file, {
    held: (who) =>
      new UsageError(
        `${path} is in use by another dockmig run (${who}); wait for it to end, or delete ${file} if that run is gone`,
      ),
    unwritable: (error) =>
      new InputError(`the lock ${file} cannot be created: ${describeIo(error)}`),
  });
}

function readState(path: string | null, orgName: string): StateFile {
  let parsed: StateFile | undefined;
  try {
    parsed = path ? (readJson(path) as StateFile | undefined) : undefined;
  } catch (error) {
    throw new UsageError(`${path}: the state file is not valid JSON (${(error as Error).message})`);
  }
  if (!parsed) return { version: 1, org: orgName, repos: {} };
  if (parsed.version !== 1 || typeof parsed.repos !== 'object')
    throw new UsageError(`${path}: not a dockmig state file`);
  if (parsed.org !== orgName)
    throw new UsageError(
      `${path}: the state file is for organisation "${parsed.org}", not "${orgName}"`,
    );
  return parsed;
}

/** Written whole after every repository: a run that dies leaves the last whole state. */
function writeState(path: string, state: StateFile): void {
  try {
    writeJsonState(path, state);
  } catch (error) {
    throw new InputError(`${path}: the state file could not be written: ${describeIo(error)}`);
  }
}
