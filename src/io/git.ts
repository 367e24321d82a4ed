/**
 * git itself, run without a shell. A token never goes into a URL or onto the command line (where
 * `ps` would show it): it reaches git as an `http.extraHeader` through GIT_CONFIG_* variables.
 */
import { execFile } from 'node:child_process';
import { InputError } from '../errors.js';

export interface GitOptions {
  /** Token for HTTP(S) remotes, or null. */
  token?: string | null;
  /** Masks secrets out of error messages. */
  mask?: (text: string) => string;
}

export class Git {
  constructor(
    readonly cwd: string,
    private readonly options: GitOptions = {},
  ) {}

  /** Runs `git args...` in the checkout; rejects with git's own message (masked). */
  run(args: string[], cwd = this.cwd): Promise<string> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      LC_ALL: 'C',
    };
    if (this.options.token) {
      const basic = Buffer.from(`x-access-token:${this.options.token}`).toString('base64');
      env.GIT_CONFIG_COUNT = '1';
      env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
      env.GIT_CONFIG_VALUE_0 = `Authorization: Basic ${basic}`;
    }
    const mask = this.options.mask ?? ((t: string) => t);
    return new Promise((resolve, reject) => {
      execFile('git', args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) {
          const said = (stderr || stdout || error.message).trim().split('\n').slice(-3).join(' / ');
          reject(new InputError(mask(`git ${args[0]} failed: ${said}`)));
        } else resolve(stdout);
      });
    });
  }

  async isRepository(): Promise<boolean> {
    try {
      return (await this.run(['rev-parse', '--is-inside-work-tree'])).trim() === 'true';
    } catch {
      return false;
    }
  }

  /** Paths with uncommitted changes (staged, unstaged or untracked), `git status` style. */
  async dirty(): Promise<string[]> {
    const out = await this.run(['status', '--porcelain', '--untracked-files=normal']);
    return out.split('\n').filter(Boolean);
  }

  async currentBranch(): Promise<string | null> {
    const out = (
      await this.run(['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => '')
    ).trim();
    return out || null;
  }

  async head(): Promise<string> {
    return (await this.run(['rev-parse', 'HEAD'])).trim();
  }

  /** A file as `ref` has it (`path` relative to the checkout); rejects when `ref` lacks it. */
  show(ref: string, path: string): Promise<string> {
    return this.run(['show', `${ref}:./${path}`]);
  }

  async remoteUrl(remote: string): Promise<string> {
    return (await this.run(['remote', 'get-url', remote])).trim();
  }

  async configured(key: string): Promise<boolean> {
    return (await this.run(['config', '--get', key]).catch(() => '')).trim() !== '';
  }

  /** Commit exactly these paths (relative to the checkout) on a branch reset to HEAD. */
  async commitOnBranch(branch: string, paths: string[], message: string): Promise<void> {
    await this.run(['checkout', '-q', '-B', branch]);
    await this.run(['add', '--', ...paths]);
    const identity = (await this.configured('user.email'))
      ? []
      : ['-c', 'user.name=dockmig', '-c', 'user.email=dockmig@users.noreply.github.com'];
    await this.run([...identity, 'commit', '-q', '--no-verify', '-m', message, '--', ...paths]);
  }

  async checkout(ref: string): Promise<void> {
    await this.run(['checkout', '-q', ref]);
  }

  /** Force-push the branch: it belongs to dockmig, and a re-run replaces its one commit. */
  async pushBranch(remote: string, branch: string): Promise<void> {
    await this.run(['push', '-q', '--force', remote, `refs/heads/${branch}:refs/heads/${branch}`]);
  }

  /** A shallow clone of one branch. */
  async clone(url: string, dir: string, branch: string | null): Promise<void> {
    await this.run(
      ['clone', '-q', '--depth', '1', ...(branch ? ['--branch', branch] : []), '--', url, dir],
      this.cwd,
    );
  }
}
