/**
 * The engine's command line as verify meets it when something is wrong: an engine that refuses a
 * command or cannot be run at all is a known error with the engine's own words, printed as one
 * plain line, never "a bug in dockmig" with a stack. A stand-in `podman` on PATH plays the engine.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeFailure, EngineError } from '../../src/errors.js';
import { Engine } from '../../src/io/engine.js';
import { cleanup, tempDir } from '../helpers/cli.js';

afterEach(() => cleanup());

/** A directory holding a `podman` that prints `stderr` and exits `code`, first on PATH. */
function fakePodman(code: number, stderr: string): NodeJS.ProcessEnv {
  const dir = tempDir('dockmig-fake-engine-');
  const script = join(dir, 'podman');
  writeFileSync(script, `#!/bin/sh\nprintf '%s' '${stderr}' >&2\nexit ${code}\n`);
  chmodSync(script, 0o755);
  return { ...process.env, PATH: `${dir}:${process.env.PATH}` };
}

describe('engine errors are known errors', () => {
  it('a command the engine refuses: its exit code and last lines, one plain line', async () => {
    const env = fakePodman(
      125,
      'time="x" level=warning msg="The cgroupv2 manager is set to systemd"\nError: short-name resolution enforced\nError: image not known\n',
    );
    const error = await new Engine('podman', env)
      .must(['image', 'inspect', 'x'], 'image inspect')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(describeFailure(error, false)).toEqual({
      text: 'dockmig: podman image inspect failed (exit 125): Error: short-name resolution enforced / Error: image not known\n',
      code: 2,
    });
  });
  it('an engine that cannot be run at all', async () => {
    const env = { ...process.env, PATH: tempDir('dockmig-no-engine-') };
    const error = await new Engine('podman', env).run(['info']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(describeFailure(error, false).text).toMatch(
      /^dockmig: `podman` could not be run: spawn podman ENOENT\n$/,
    );
  });
  it('a non-zero exit from `run` is an answer, not an error', async () => {
    const r = await new Engine('podman', fakePodman(1, 'no')).run(['healthcheck', 'run', 'c']);
    expect(r).toEqual({ code: 1, stdout: '', stderr: 'no' });
  });
});
