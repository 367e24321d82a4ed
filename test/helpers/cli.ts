/** Running the built binary in throwaway git checkouts, for the CLI tests. */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repo = join(import.meta.dirname, '..', '..');
export const bin = join(repo, 'dist', 'src', 'cli.js');
export const example = join(repo, 'examples', 'legacy-fastapi');
export const fixture = (name: string, file = 'Dockerfile') =>
  join(repo, 'fixtures', name, 'expected', file);

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The binary, as a user runs it (DOCKMIG_DEBUG off so that stacks would show a defect). */
export function dockmig(cwd: string, ...args: string[]): Ran {
  return dockmigWith({ cwd }, ...args);
}

export function dockmigWith(options: SpawnSyncOptions, ...args: string[]): Ran {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    // A JSON report over every fixture is past spawnSync's 1 MB default, which kills the child.
    maxBuffer: 1 << 28,
    ...options,
    env: { ...process.env, DOCKMIG_DEBUG: '', ...options.env },
  });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** The binary started without waiting, for runs that overlap. */
export function dockmigAsync(cwd: string, ...args: string[]): Promise<Ran> {
  return dockmigAsyncWith({ cwd }, ...args);
}

/**
 * The same with more environment: for runs against servers that live in the test process
 * (a synchronous spawn would block the server's event loop).
 */
export function dockmigAsyncWith(
  options: { cwd: string; env?: Record<string, string> },
  ...args: string[]
): Promise<Ran> {
  return collect(process.execPath, [bin, ...args], {
    cwd: options.cwd,
    env: { ...process.env, DOCKMIG_DEBUG: '', ...options.env },
  });
}

/**
 * A program started without waiting, its output collected until it ends. `onStderr` sees the
 * standard error so far each time more arrives, with the child (to signal it at the right moment).
 */
export function collect(
  command: string,
  args: string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    onStderr?: (stderr: string, child: ChildProcess) => void;
  } = {},
): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      options.onStderr?.(stderr, child);
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const dirs: string[] = [];

/** A git checkout holding the example project as `svc/` (and whatever `extra` adds). */
export function checkout(extra: Record<string, string> = {}): string {
  const dir = tempDir('dockmig-cli-');
  cpSync(example, join(dir, 'svc'), { recursive: true });
  for (const [path, text] of Object.entries(extra)) writeFileSync(join(dir, path), text);
  git(dir, 'init', '-q');
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'add', '.');
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'initial');
  return dir;
}

/** A temporary directory removed by `cleanup()`. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function cleanup(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function assertBuilt(): void {
  if (!existsSync(bin))
    throw new Error('dist/src/cli.js is missing: run `npm run build` (npm test does)');
}

/** A stack frame of ours in the output: only DOCKMIG_DEBUG=1 may show one. */
export const STACK = /\n\s+at .*(\.js|\.ts):\d+/;
