/** Options of `pr` and `org` from their flags and the environment (token, API URL). */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { GitHub } from '../io/github.js';
import { DEFAULT_TITLE } from '../report/pull-request.js';
import type { OrgOptions } from './org.js';
import { resolveRunOptions, type CommandLine } from './options.js';
import { masker, parseShard } from './repositories.js';
import type { PrOptions } from './pr.js';
import type { Format } from './run.js';

export interface GitHubFlags extends CommandLine {
  env: NodeJS.ProcessEnv;
}

/** The token: --token-env NAME, else GITHUB_TOKEN, else GH_TOKEN. Never printed. */
function token(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): string | null {
  const name = flags.tokenEnv as string | undefined;
  if (name) {
    if (!env[name]) throw new UsageError(`--token-env ${name}: that variable is not set`);
    return env[name]!;
  }
  return env.GITHUB_TOKEN || env.GH_TOKEN || null;
}

function common(f: GitHubFlags, cwd: string) {
  const t = token(f.flags, f.env);
  const mask = masker([t]);
  const baseUrl =
    (f.flags.apiUrl as string | undefined) ?? f.env.GITHUB_API_URL ?? 'https://api.github.com';
  const run = resolveRunOptions({
    ...f,
    cwd,
    flagsCwd: f.cwd,
    paths: ['.'],
    pathsGiven: true,
  });
  const github = (m = mask) =>
    new GitHub({
      token: t,
      baseUrl,
      mask: m,
      onWait: (s, why) => process.stderr.write(`${why}: waiting ${s} s\n`),
    });
  return { token: t, mask, run, github };
}

export function prOptions(f: GitHubFlags, dir: string): PrOptions {
  const c = common(f, resolve(f.cwd, dir));
  return {
    dir,
    settings: {
      branch: (f.flags.branch as string) ?? 'dockmig/harden-dockerfile',
      remote: (f.flags.remote as string) ?? 'origin',
      title: (f.flags.title as string) ?? DEFAULT_TITLE,
      dryRun: Boolean(f.flags.dryRun),
    },
    repo: (f.flags.repo as string | undefined) ?? null,
    allowDirty: Boolean(f.flags.allowDirty),
    run: { ...c.run, mode: 'write' },
    version: f.version,
    github: (mask) => c.github(mask),
    token: c.token,
    mask: c.mask,
  };
}

const list = (v: unknown) =>
  ((v as string[] | undefined) ?? [])
    .flatMap((x) => x.split(','))
    .map((x) => x.trim())
    .filter(Boolean);

export function orgOptions(f: GitHubFlags, orgName: string): OrgOptions {
  const c = common(f, f.cwd);
  if (!c.token)
    throw new UsageError('no GitHub token: set GITHUB_TOKEN or GH_TOKEN (or --token-env NAME)');
  const shardText = f.flags.shard as string | undefined;
  const shard = shardText ? parseShard(shardText) : null;
  if (shardText && !shard)
    throw new UsageError(`--shard expects K/N with 1 <= K <= N, not "${shardText}"`);
  const format = ((f.flags.format as string) ?? 'diff') as Format;
  return {
    org: orgName,
    filter: {
      includeArchived: Boolean(f.flags.includeArchived),
      includeForks: Boolean(f.flags.includeForks),
      include: list(f.flags.include),
      exclude: list(f.flags.exclude),
      topic: (f.flags.topic as string | undefined) ?? null,
      shard,
    },
    settings: {
      branch: (f.flags.branch as string) ?? 'dockmig/harden-dockerfile',
      remote: 'origin',
      title: (f.flags.title as string) ?? DEFAULT_TITLE,
      dryRun: Boolean(f.flags.dryRun),
    },
    concurrency: (f.flags.concurrency as number | undefined) ?? 4,
    workDir: resolve(
      f.cwd,
      (f.flags.workDir as string | undefined) ?? join(tmpdir(), `dockmig-org-${orgName}`),
    ),
    stateFile: f.flags.state ? resolve(f.cwd, f.flags.state as string) : null,
    retryFailed: Boolean(f.flags.retryFailed),
    maxPrs: (f.flags.maxPrs as number | undefined) ?? null,
    format,
    reportFile: (f.flags.report as string | undefined) ?? null,
    run: { ...c.run, mode: 'write' },
    version: f.version,
    token: c.token,
    mask: c.mask,
    github: c.github(),
  };
}
