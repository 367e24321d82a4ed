/**
 * The built binary's outputs and configuration: --format json|sarif|markdown validated, the config
 * file found upward or given, per-path overrides, flags winning over the file, colour, --verbose,
 * --quiet and the progress bar on a terminal.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  bin,
  checkout,
  cleanup,
  dockmig,
  dockmigWith,
  example,
  STACK,
} from '../helpers/cli.js';
import { sarifValidator, validator } from '../helpers/schemas.js';
import { needs } from '../helpers/tools.js';

/** util-linux's script(1) gives the binary a terminal (Debian's bsdutils, always installed). */
const hasScript = needs(
  'test/cli/outputs.test.ts',
  'script (util-linux, Debian bsdutils)',
  existsSync('/usr/bin/script'),
);

beforeAll(assertBuilt);
afterEach(cleanup);

/** A checkout with the example as svc/, services/api/ and workers/mail/, and a broken file. */
function monorepo(config?: object): string {
  const dir = checkout({ 'Dockerfile.bad': 'FROM python:latest\nFROOM x\n' });
  for (const p of ['services/api', 'workers/mail']) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    cpSync(example, join(dir, p), { recursive: true });
  }
  if (config) writeFileSync(join(dir, 'dockmig.config.json'), JSON.stringify(config));
  return dir;
}

describe('--format', () => {
  it('json: one document valid against schema/report.schema.json, nothing else on stdout', () => {
    const r = dockmig(monorepo(), '--format', 'json', '.', 'Dockerfile.bad');
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    const validate = validator('report.schema.json');
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.summary).toMatchObject({ files: 4, changed: 3, errors: 1 });
    const api = doc.files.find((f: { path: string }) => f.path === 'services/api/Dockerfile');
    expect(api.status).toBe('changed');
    expect(api.changedFiles).toEqual(['services/api/Dockerfile', 'services/api/.dockerignore']);
    expect(api.diff).toContain('+++ b/services/api/Dockerfile');
    expect(api.findings[0]).toMatchObject({ transform: 'pin-python-base', fixed: true });
    expect(r.stderr).toContain('4 files: 3 changed, 0 unchanged, 1 error');
  });

  it('sarif: valid SARIF 2.1.0 with rules, regions and fixes', () => {
    const r = dockmig(monorepo(), '--check', '--format', 'sarif');
    expect(r.code).toBe(2);
    const log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const results = log.runs[0].results as {
      ruleId: string;
      fixes?: { artifactChanges: { artifactLocation: { uri: string } }[] }[];
    }[];
    expect(results.some((x) => x.ruleId === 'input-error')).toBe(true);
    const fixed = new Set(
      results.flatMap((x) =>
        (x.fixes ?? []).flatMap((f) => f.artifactChanges.map((c) => c.artifactLocation.uri)),
      ),
    );
    expect([...fixed].sort()).toEqual([
      'services/api/.dockerignore',
      'services/api/Dockerfile',
      'svc/.dockerignore',
      'svc/Dockerfile',
      'workers/mail/.dockerignore',
      'workers/mail/Dockerfile',
    ]);
  });

  it('markdown: counts, findings and diffs for a pull-request body', () => {
    const r = dockmig(monorepo(), '--format', 'markdown', 'svc');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^## dockmig: Dockerfile hardening review\n\n\*\*1 file: 1 changed/);
    expect(r.stdout).toContain('### `svc/Dockerfile`: changes');
    expect(r.stdout).toContain('```diff\ndiff --git a/svc/Dockerfile b/svc/Dockerfile\n');
  });

  it('refuses an unknown format', () => {
    const r = dockmig(monorepo(), '--format', 'xml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "argument 'xml' is invalid. Allowed choices are diff, json, sarif, markdown",
    );
  });
});

describe('the config file', () => {
  it('is found upward, applies per-path overrides, and flags win over it', () => {
    const dir = monorepo({
      uid: 2000,
      transforms: { dockerignore: false },
      overrides: [{ files: 'services/api', options: { healthPath: '/api/health', uid: 3000 } }],
    });
    const r = dockmig(join(dir, 'services'), '--format', 'json', '..');
    const doc = JSON.parse(r.stdout);
    const diffOf = (p: string) =>
      doc.files.find((f: { path: string }) => f.path === p).diff as string;
    expect(diffOf('../svc/Dockerfile')).toContain('+USER 2000:2000\n');
    expect(diffOf('../svc/Dockerfile')).not.toContain('.dockerignore');
    expect(diffOf('api/Dockerfile')).toContain('+USER 3000:3000\n');
    expect(diffOf('api/Dockerfile')).toContain('http://127.0.0.1:8000/api/health');
    expect(diffOf('../workers/mail/Dockerfile')).toContain('+USER 2000:2000\n');

    const flag = dockmig(join(dir, 'services'), '--uid', '4242', 'api');
    expect(flag.stdout).toContain('+USER 4242:4242\n');
  });

  it('--config names one, --no-config ignores them', () => {
    const dir = monorepo({ uid: 2000 });
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ uid: 5000, paths: ['svc'] }));
    const given = dockmig(dir, '--config', 'other.json');
    expect(given.stdout).toContain('+USER 5000:5000\n');
    expect(given.stdout).not.toContain('services/api');
    const none = dockmig(dir, '--no-config', 'svc');
    expect(none.stdout).toContain('+USER 10001:10001\n');
  });

  it('its paths, context and report are relative to the file, wherever dockmig runs', () => {
    const dir = monorepo({ paths: ['svc'], report: 'review.html', verbose: true });
    const r = dockmig(join(dir, 'services', 'api'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('diff --git a/../../svc/Dockerfile b/../../svc/Dockerfile');
    expect(r.stdout).not.toContain('services/api');
    expect(existsSync(join(dir, 'review.html'))).toBe(true);
    expect(r.stderr).toContain('      why: ');
  });

  it('a bad key is named with the allowed values, exit 2, no stack', () => {
    const dir = monorepo({ lockFlag: 'loose' });
    const r = dockmig(dir, 'svc');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `dockmig: ${join(dir, 'dockmig.config.json')}: "lockFlag" must be one of "frozen", "locked" (got "loose")\n`,
    );
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stdout).toBe('');
  });
});

describe('on the terminal', () => {
  it('colours the diff with FORCE_COLOR, never without a TTY, and NO_COLOR keeps it plain', () => {
    const dir = monorepo();
    const forced = dockmigWith({ cwd: dir, env: { FORCE_COLOR: '1' } }, 'svc');
    expect(forced.stdout).toContain('\x1b[32m+FROM python:3.12-slim-trixie AS builder\x1b[39m');
    expect(forced.stderr).toContain('\x1b[36mpin-python-base\x1b[39m');
    const piped = dockmigWith({ cwd: dir, env: { FORCE_COLOR: undefined, NO_COLOR: '1' } }, 'svc');
    expect(piped.stdout).not.toContain('\x1b[');
    expect(piped.stderr).not.toContain('\x1b[');
  });

  it('--verbose adds the rationale once per transform; --quiet keeps only errors', () => {
    const dir = monorepo();
    const verbose = dockmig(dir, '--verbose', 'svc', 'services/api');
    expect(verbose.stderr.match(/ {6}why: A floating tag \(`latest`/g)).toHaveLength(1);
    const quiet = dockmig(dir, '--quiet', '.');
    expect(quiet.stderr).toBe('Dockerfile.bad: error: unknown instruction FROOM on line 2\n');
  });

  it.runIf(hasScript)(
    'draws a progress bar on stderr for a long run on a TTY, and clears it',
    () => {
      const dir = monorepo();
      for (let i = 0; i < 35; i++) cpSync(example, join(dir, 'many', `s${i}`), { recursive: true });
      const r = spawnSync(
        'script',
        ['-qec', `${process.execPath} ${bin} many > /dev/null`, '/dev/null'],
        {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
        },
      );
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('\r[##############################] 35/35 files');
      expect(r.stdout).toContain('35 files: 35 changed, 0 unchanged, 0 errors');
    },
  );
});
