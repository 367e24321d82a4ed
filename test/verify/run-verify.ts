/**
 * What the end-to-end verify suites share: the built binary run against an engine, the test
 * service in a fresh git checkout, and the report read back. Each suite gives verify a TMPDIR of
 * its own, so that "no temporary copy is left" looks at that suite's runs only, not at another
 * suite's verify running at the same time.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, collect, git, repo, tempDir, type Ran } from '../helpers/cli.js';

export interface Report {
  engine: string;
  builder: string;
  notes: string[];
  passed: boolean;
  checks: { id: string; status: 'pass' | 'fail' | 'skip' | 'not-run'; evidence: string }[];
}

/** Every check of a verification that passed them all, in the report's order. */
export const ALL_PASS = {
  build: 'pass',
  start: 'pass',
  'non-root': 'pass',
  'venv-python': 'pass',
  'no-uv': 'pass',
  'no-dev-dependencies': 'pass',
  'no-secrets': 'pass',
  healthcheck: 'pass',
  sigterm: 'pass',
  cache: 'pass',
  size: 'pass',
};

export const statuses = (r: Report) => Object.fromEntries(r.checks.map((c) => [c.id, c.status]));
export const evidence = (r: Report, id: string) => r.checks.find((c) => c.id === id)!.evidence;

export class VerifyRunner {
  /** Where this suite's verify runs make their temporary copies. */
  readonly tmp = mkdtempSync(join(tmpdir(), 'dockmig-verify-runs-'));
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  private childEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return { ...this.env, DOCKMIG_DEBUG: '', NO_COLOR: '1', TMPDIR: this.tmp, ...extra };
  }

  run(dir: string, args: string[], extra: NodeJS.ProcessEnv = {}): Ran {
    const r = spawnSync(process.execPath, [bin, 'verify', dir, '--pull', 'never', ...args], {
      encoding: 'utf8',
      env: this.childEnv(extra),
      timeout: 300_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /**
   * Verify, interrupted: Ctrl-C twice once `running()` says the container exists (a second
   * Ctrl-C during the cleanup must not cut it short).
   */
  interrupt(
    dir: string,
    args: string[],
    running: () => boolean,
    extra: NodeJS.ProcessEnv = {},
  ): Promise<Ran> {
    let sent = false;
    return collect(process.execPath, [bin, 'verify', dir, '--pull', 'never', ...args], {
      env: this.childEnv(extra),
      onStderr(stderr, child) {
        if (sent || !stderr.includes('starting the container')) return;
        sent = true;
        const poll = setInterval(() => {
          if (!running()) return;
          clearInterval(poll);
          child.kill('SIGINT');
          setTimeout(() => child.kill('SIGINT'), 100);
        }, 100);
      },
    });
  }

  /** The temporary copies verify left behind: none, ever. */
  leftDirs(): string[] {
    return readdirSync(this.tmp).filter((d) => d.startsWith('dockmig-'));
  }

  dispose(): void {
    rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** The test service, copied to a fresh git checkout (so that --compare can read HEAD). */
export function service(dockerfile?: string, files: Record<string, string> = {}): string {
  const dir = join(tempDir('dockmig-verify-test-'), 'svc');
  cpSync(join(repo, 'test', 'verify', 'service'), dir, { recursive: true });
  if (dockerfile) writeFileSync(join(dir, 'Dockerfile'), dockerfile);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'service');
  return dir;
}

/** A container that dies at once: its message is the evidence the report must carry. */
export const DIES_AT_ONCE = [
  'FROM python:3.11-slim-bookworm',
  'USER 10001:10001',
  'HEALTHCHECK --interval=30s CMD ["python3", "-c", "pass"]',
  `CMD ["python3", "-c", "import sys; sys.exit('no DATABASE_URL: giving up')"]`,
  '',
].join('\n');
