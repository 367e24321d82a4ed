/**
 * Compose through the built binary: the Compose files are part of the change set (diff, --write,
 * --check), `--compose` adds the organisation's pair, a root Compose file shared by two Dockerfiles
 * changes once, and a repository root above the working directory is not written to.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  assertBuilt,
  checkout,
  cleanup,
  dockmig,
  example,
  git,
  STACK,
  tempDir,
} from '../helpers/cli.js';
import { composeValidator } from '../helpers/schemas.js';

beforeAll(assertBuilt);
afterEach(cleanup);

const COMPOSE =
  '# the stack\nservices:\n  api:\n    build: .\n    command: uv run uvicorn app.main:app --host 0.0.0.0 --port 8000 --reload  # dev\n  db:\n    image: postgres:16\n';

function gitApply(dir: string, diff: string): { code: number | null; stderr: string } {
  const r = spawnSync('git', ['apply', '--check', '-'], {
    cwd: dir,
    input: diff,
    encoding: 'utf8',
  });
  return { code: r.status, stderr: r.stderr };
}

describe('Compose files through the binary', () => {
  it('the Compose file is in the diff (git apply takes it), --write writes it, --check then passes', () => {
    const dir = checkout({});
    writeFileSync(join(dir, 'svc', 'docker-compose.yml'), COMPOSE);
    git(dir, 'add', '.');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'compose');
    const dry = dockmig(dir, 'svc');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(
      '-    command: uv run uvicorn app.main:app --host 0.0.0.0 --port 8000 --reload  # dev\n+    command: uvicorn app.main:app --host 0.0.0.0 --port 8000  # dev\n',
    );
    expect(dry.stderr).toContain(
      'svc/Dockerfile: would change (with svc/.dockerignore, svc/docker-compose.yml)',
    );
    expect(gitApply(dir, dry.stdout)).toEqual({ code: 0, stderr: '' });
    expect(dockmig(dir, '--write', 'svc').code).toBe(0);
    expect(readFileSync(join(dir, 'svc', 'docker-compose.yml'), 'utf8')).toBe(
      COMPOSE.replace(' --reload', '').replace('uv run ', ''),
    );
    const check = dockmig(dir, '--check', 'svc');
    expect([check.code, check.stdout]).toEqual([0, '']);
  });

  it('--compose adds the two files, valid Compose, and a second run finds nothing to do', () => {
    const dir = checkout({});
    const r = dockmig(
      dir,
      '--write',
      '--compose',
      '--compose-platforms',
      'linux/amd64,linux/arm64',
      'svc',
    );
    expect(r.stderr).not.toMatch(STACK);
    expect(r.code).toBe(0);
    const validate = composeValidator();
    for (const name of ['docker-compose.build.yml', 'docker-compose.dev.yml']) {
      const text = readFileSync(join(dir, 'svc', name), 'utf8');
      expect(validate(parseYaml(text))).toBe(true);
      expect(text).toContain('  legacy-fastapi:\n');
    }
    expect(readFileSync(join(dir, 'svc', 'docker-compose.build.yml'), 'utf8')).toContain(
      '      platforms:\n        - linux/amd64\n        - linux/arm64\n',
    );
    const again = dockmig(dir, '--check', '--compose', 'svc');
    expect([again.code, again.stdout]).toEqual([0, '']);
    expect(again.stderr).toContain('docker-compose.build.yml exists; left as is');
  });

  it('a root Compose file building two services changes once, in one diff git apply takes', () => {
    const dir = tempDir('dockmig-compose-');
    for (const name of ['a', 'b'])
      cpSync(example, join(dir, 'services', name), { recursive: true });
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  a:\n    build: services/a\n    command: uv run uvicorn app.main:app --reload\n  b:\n    build:\n      context: ./services/b\n    command: ["uv", "run", "uvicorn", "app.main:app", "--reload"]\n',
    );
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'two');
    const dry = dockmig(dir, '.');
    expect(dry.code).toBe(0);
    expect(dry.stdout.match(/^diff --git a\/compose\.yaml b\/compose\.yaml$/gm)).toHaveLength(1);
    expect(gitApply(dir, dry.stdout)).toEqual({ code: 0, stderr: '' });
    expect(dry.stderr).toContain(
      "note: compose.yaml: its changes for this Dockerfile are written with services/a/Dockerfile's",
    );
    expect(dockmig(dir, '--write', '.').code).toBe(0);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(
      'services:\n  a:\n    build: services/a\n    command: uvicorn app.main:app\n  b:\n    build:\n      context: ./services/b\n    command: ["uvicorn", "app.main:app"]\n',
    );
    const check = dockmig(dir, '--check', '.');
    expect([check.code, check.stdout]).toEqual([0, '']);
  });

  it('run from inside a service, the repository root above is not written to', () => {
    const dir = tempDir('dockmig-compose-');
    cpSync(example, join(dir, 'services', 'a'), { recursive: true });
    const root =
      'services:\n  a:\n    build: services/a\n    command: uv run uvicorn app.main:app\n';
    writeFileSync(join(dir, 'compose.yaml'), root);
    git(dir, 'init', '-q');
    const r = dockmig(join(dir, 'services', 'a'), '--write', '.');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe(root);
    // From the root it is.
    expect(dockmig(dir, '--check', '.').stdout).toContain('+    command: uvicorn app.main:app\n');
  });

  it('the config file can ask for --compose; bad --compose-platforms and registries are usage errors', () => {
    const dir = checkout({});
    writeFileSync(
      join(dir, 'dockmig.config.json'),
      JSON.stringify({ compose: true, composeRegistry: 'registry.example.com' }),
    );
    expect(dockmig(dir, '--write', 'svc').code).toBe(0);
    expect(existsSync(join(dir, 'svc', 'docker-compose.dev.yml'))).toBe(true);
    expect(readFileSync(join(dir, 'svc', 'docker-compose.build.yml'), 'utf8')).toContain(
      'image: registry.example.com/${REGISTRY_ID}/${PROJECT_NAME}:${VERSION}',
    );
    const bad = dockmig(dir, '--compose', '--compose-platforms', 'amd64', 'svc');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"amd64" is not a platform like linux/amd64');
    const badHost = dockmig(dir, '--compose', '--compose-registry', 'https://ghcr.io', 'svc');
    expect(badHost.code).toBe(2);
    writeFileSync(
      join(dir, 'dockmig.config.json'),
      JSON.stringify({ composePlatforms: 'linux/amd64' }),
    );
    const badConfig = dockmig(dir, 'svc');
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toContain('"composePlatforms" must be a list of strings');
  });
});
