/**
 * The engine's command line as verify meets it when something is wrong: an engine that refuses a
 * command or cannot be run at all is a known error with the engine's own words, printed as one
 * plain line, never "a bug in dockmig" with a stack; an engine that builds but cannot start
 * containers fails the verification. A stand-in `podman` on PATH plays the engine.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeFailure, EngineError } from '../../src/errors.js';
import { Engine } from '../../src/io/container-engine.js';
import { assertBuilt, bin, cleanup, STACK, tempDir } from '../helpers/cli.js';

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

/**
 * A podman that answers `info`, builds (printing podman's step lines), inspects an image with a
 * numeric user, and fails what the environment says: `run` (an engine that cannot start
 * containers, as in a sandbox without the right cgroups) or `image inspect`.
 */
const BROKEN_PODMAN = `#!/bin/sh
case "$1" in
  build) echo "STEP 1/2: FROM docker.io/library/python:3.11-slim-bookworm"; echo "STEP 2/2: CMD python3"; exit 0 ;;
  image) if [ -n "$FAIL_INSPECT" ]; then echo "Error: localhost/dockmig-verify: image not known" >&2; exit 125; fi
         echo '[{"Config":{"User":"10001:10001","Env":["PATH=/usr/bin"]},"Size":5000000}]' ;;
  run) echo "Error: runc: runc create failed: unable to start container process: can't get final child's PID from pipe: EOF" >&2; exit 126 ;;
esac
exit 0
`;

function verifyWith(env: NodeJS.ProcessEnv) {
  const bins = tempDir('dockmig-fake-engine-');
  writeFileSync(join(bins, 'podman'), BROKEN_PODMAN);
  chmodSync(join(bins, 'podman'), 0o755);
  const dir = tempDir('dockmig-verify-test-');
  writeFileSync(join(dir, 'Dockerfile'), 'FROM python:3.11-slim-bookworm\nCMD ["python3"]\n');
  const r = spawnSync(
    process.execPath,
    [bin, 'verify', dir, '--as-is', '--engine', 'podman', '--pull', 'never'],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        ...env,
        PATH: `${bins}:${process.env.PATH}`,
        DOCKMIG_DEBUG: '',
        TMPDIR: tempDir('dockmig-verify-tmp-'),
      },
      timeout: 60_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('verify with an engine that fails', () => {
  it('builds but cannot start containers: a failure, with what the engine said, not nine skips', () => {
    assertBuilt();
    const r = verifyWith({});
    expect(r.stdout).toMatch(/^pass {2}build: built localhost\/dockmig-verify:\w+$/m);
    expect(r.stdout).toMatch(
      /^FAIL {2}start: the container did not start \(exit 126\): Error: runc: runc create failed: unable to start container process: can't get final child's PID from pipe: EOF$/m,
    );
    for (const id of ['non-root', 'venv-python', 'no-uv', 'no-secrets', 'sigterm'])
      expect(r.stdout).toContain(`NOT RUN  ${id}: the container did not start\n`);
    // Checks that do not apply say so whatever the container did.
    expect(r.stdout).toContain('skip  healthcheck: the image has no HEALTHCHECK\n');
    expect(r.stdout).toContain(
      'skip  no-dev-dependencies: the project declares no dev dependencies\n',
    );
    expect(r.stdout).toMatch(/: 2 passed, 2 failed, 2 skipped, 5 not run\n$/);
    expect(r.code).toBe(1);
  });
  it('an engine error mid-way: exit 2 and one plain line with its words', () => {
    const r = verifyWith({ FAIL_INSPECT: '1' });
    expect(r.stderr).toMatch(
      /^dockmig: podman image inspect failed \(exit 125\): Error: localhost\/dockmig-verify: image not known$/m,
    );
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).not.toContain('bug');
    expect(r.code).toBe(2);
  });
});
