/**
 * A container engine's command line (docker or podman), run without a shell. The two agree on
 * most commands `verify` uses; where they differ (health checks, `rm`, `build --pull`, image
 * formats) verify asks `name`. An engine that cannot be run or refuses a command it must run is an
 * EngineError: a known error, printed as the engine's own last lines.
 */
import { execFile, spawn } from 'node:child_process';
import { EngineError, lastLines, UsageError } from '../errors.js';

export type EngineName = 'docker' | 'podman';

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export class Engine {
  constructor(
    readonly name: EngineName,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Runs `engine ...args` and collects its output; never throws for a non-zero exit. */
  run(args: string[], options: { timeoutMs?: number; onOutput?: (text: string) => void } = {}) {
    return new Promise<Ran>((resolve, reject) => {
      const child = spawn(this.name, args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const timer = options.timeoutMs
        ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
        : null;
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        options.onOutput?.(d.toString());
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        options.onOutput?.(d.toString());
      });
      child.on('error', (error) => {
        if (timer) clearTimeout(timer);
        reject(new EngineError(`\`${this.name}\` could not be run: ${error.message}`));
      });
      child.on('close', (code) => {
        if (timer) clearTimeout(timer);
        resolve({ code: code ?? 137, stdout, stderr });
      });
    });
  }

  /** Like `run`, but a non-zero exit is an error carrying the engine's own words. */
  async must(args: string[], what: string, timeoutMs = 120_000): Promise<string> {
    const r = await this.run(args, { timeoutMs });
    if (r.code !== 0)
      throw new EngineError(
        `${this.name} ${what} failed (exit ${r.code}): ${lastLines(r.stderr) || 'no output'}`,
      );
    return r.stdout;
  }
}

/** Whether `name info` answers (an engine is running and reachable). */
function answers(name: EngineName, env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(name, ['info'], { env, timeout: 15_000 }, (error) => resolve(!error));
  });
}

/** `docker` when `docker info` answers, else `podman`; `--engine` chooses. */
export async function findEngine(
  chosen: EngineName | null,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Engine> {
  if (chosen) {
    if (!(await answers(chosen, env)))
      throw new UsageError(`--engine ${chosen}: \`${chosen} info\` does not answer`);
    return new Engine(chosen, env);
  }
  for (const name of ['docker', 'podman'] as const)
    if (await answers(name, env)) return new Engine(name, env);
  throw new UsageError(
    'no container engine answers: neither `docker info` nor `podman info` works (install one, or start the Docker daemon)',
  );
}
