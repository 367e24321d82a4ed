/**
 * The generated docker-compose.build.yml and docker-compose.dev.yml: exact text for the common
 * cases, then every generated file parsed back, validated against the Compose specification's JSON
 * Schema (schema/vendor/compose-spec.json: the schema `docker compose config` itself validates
 * against, through compose-go; Compose v2 is not packaged for Debian 12, where the tests run, and
 * Debian's docker-compose 1.29 predates the specification's `build.platforms`) and left unchanged
 * by prettier.
 */
import { join } from 'node:path';
import { format } from 'prettier';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import transform, { BUILD_FILE, DEV_FILE, serviceName } from '../../transforms/compose-files.js';
import { buildContext } from '../../src/core/context.js';
import { migrate } from '../../src/core/engine.js';
import { DEFAULT_OPTIONS, type MigrationOptions } from '../../src/core/types.js';
import { composeValidator } from '../helpers/schemas.js';
import { goldenCases } from '../helpers/fixtures.js';
import { isComposeFile } from '../../src/core/compose.js';

const RUNTIME = (body: string) =>
  `FROM python:3.12-slim-trixie AS builder\nRUN true\nFROM python:3.12-slim-trixie\nENV PATH="/app/.venv/bin:$PATH"\n${body}CMD ["uvicorn", "app:app"]\n`;
const PYPROJECT = '[project]\nname = "My_Service"\nversion = "1.0"\nrequires-python = ">=3.12"\n';

function generate(
  dockerfile: string,
  opts: {
    files?: Record<string, string>;
    appEnv?: string[];
    options?: Partial<MigrationOptions>;
    path?: string;
  } = {},
) {
  return migrate(
    {
      path: opts.path ?? 'Dockerfile',
      text: dockerfile,
      context: buildContext({
        dockerfile: opts.path ?? 'Dockerfile',
        files: { 'pyproject.toml': PYPROJECT, 'uv.lock': '', ...opts.files },
        appEnv: opts.appEnv ?? [],
      }),
    },
    { ...DEFAULT_OPTIONS, compose: true, ...opts.options },
    [transform],
  );
}

/** A file of the change set, which must be there. */
function fileOf(r: ReturnType<typeof generate>, path: string): string {
  const text = r.changes.find((c) => c.path === path)?.after;
  expect(text).toBeDefined();
  return text!;
}

/** The projects the generated files are checked on: here one by one, at the end all together. */
const SCENARIOS = {
  basic: () =>
    generate(RUNTIME('EXPOSE 8000\n'), { appEnv: ['PORT', 'LOG_LEVEL', 'DATABASE_URL'] }),
  fixedPort: () => generate(RUNTIME('EXPOSE 8080/tcp\n')),
  envAndVolumes: () =>
    generate(
      RUNTIME(
        'ENV TRANSPORT=stdio HOST=0.0.0.0 PORT=8001 LOG_LEVEL=WARNING\nEXPOSE 8000\nVOLUME ["/data", "/var/lib/My App/"]\nVOLUME /cache\n',
      ),
    ),
  noPort: () => generate(RUNTIME(''), { appEnv: ['PORT'] }),
  platforms: () =>
    generate(RUNTIME('EXPOSE 8000\n'), {
      path: 'docker/Dockerfile',
      options: {
        composePlatforms: ['linux/amd64', 'linux/arm64'],
        composeRegistry: 'registry.example.com:5000',
      },
    }),
};

describe('compose-files', () => {
  it('has a title and a rationale', () => {
    expect(transform.title.length).toBeGreaterThan(10);
    expect(transform.rationale.length).toBeGreaterThan(40);
  });

  it('is off without --compose', () => {
    expect(generate(RUNTIME('EXPOSE 8000\n'), { options: { compose: false } }).changes).toEqual([]);
  });

  it('the standard pair for a service on port 8000 whose code reads PORT and LOG_LEVEL', () => {
    const r = SCENARIOS.basic();
    expect(fileOf(r, BUILD_FILE)).toBe(
      [
        '# Builds and tags the production image (dockmig --compose).',
        '# REGISTRY_ID, PROJECT_NAME and VERSION come from the environment.',
        'services:',
        '  my-service:',
        '    image: ghcr.io/${REGISTRY_ID}/${PROJECT_NAME}:${VERSION}',
        '    build:',
        '      context: .',
        '      dockerfile: Dockerfile',
        '      platforms:',
        '        - linux/amd64',
        '      tags:',
        '        - ghcr.io/${REGISTRY_ID}/${PROJECT_NAME}:${VERSION}',
        '        - ghcr.io/${REGISTRY_ID}/${PROJECT_NAME}:latest',
        '',
      ].join('\n'),
    );
    expect(fileOf(r, DEV_FILE)).toBe(
      [
        '# Runs the production image locally (dockmig --compose): rebuild it rather than mount the source.',
        'services:',
        '  my-service:',
        '    image: ghcr.io/${REGISTRY_ID}/${PROJECT_NAME}:${VERSION}',
        '    container_name: ${PROJECT_NAME}',
        '    platform: linux/amd64',
        '    ports:',
        '      - "${PORT:-8000}:${PORT:-8000}"',
        '    env_file:',
        '      - path: ./.env',
        '        required: false',
        '    environment:',
        '      - PORT=${PORT:-8000}',
        '      - LOG_LEVEL=${LOG_LEVEL:-INFO}',
        '    restart: unless-stopped',
        '',
      ].join('\n'),
    );
    expect(r.findings.map((f) => f.message)).toEqual([
      `${BUILD_FILE} created: service my-service builds and tags the production image`,
      `${DEV_FILE} created: service my-service runs that image, port 8000, environment PORT, LOG_LEVEL`,
    ]);
  });

  it('an app that does not read PORT: the host port varies, the container port is fixed', () => {
    const dev = fileOf(SCENARIOS.fixedPort(), DEV_FILE);
    expect(dev).toContain('      - "${PORT:-8080}:8080"\n');
    expect(dev).not.toContain('environment:');
  });

  it('ENV in the image counts as read; ENV PORT and LOG_LEVEL give the defaults; volumes are named', () => {
    const dev = fileOf(SCENARIOS.envAndVolumes(), DEV_FILE);
    expect(dev).toContain(
      [
        '    ports:',
        '      - "${PORT:-8001}:${PORT:-8001}"',
        '    env_file:',
        '      - path: ./.env',
        '        required: false',
        '    environment:',
        '      - TRANSPORT=${TRANSPORT:-http}',
        '      - HOST=0.0.0.0',
        '      - PORT=${PORT:-8001}',
        '      - LOG_LEVEL=${LOG_LEVEL:-WARNING}',
        '    restart: unless-stopped',
        '    volumes:',
        '      - data:/data',
        '      - my-app:/var/lib/My App/',
        '      - cache:/cache',
        'volumes:',
        '  data:',
        '  my-app:',
        '  cache:',
        '',
      ].join('\n'),
    );
  });

  it('no EXPOSE: no ports, and a note says why', () => {
    const r = SCENARIOS.noPort();
    const dev = fileOf(r, DEV_FILE);
    expect(dev).not.toContain('ports:');
    expect(dev).not.toContain('PORT=');
    expect(r.findings.map((f) => f.message)).toContain(
      `${DEV_FILE}: no port is published: the Dockerfile EXPOSEs none`,
    );
  });

  it('a file that exists is left; the other is still created', () => {
    const r = generate(RUNTIME('EXPOSE 8000\n'), {
      files: { [BUILD_FILE]: 'services:\n  mine:\n    build: .\n' },
    });
    expect(r.changes.map((c) => c.path)).toEqual([DEV_FILE]);
    expect(r.findings.map((f) => f.message)).toContain(`${BUILD_FILE} exists; left as is`);
  });

  it('platforms and registry are options; a Dockerfile in a subdirectory is named from the context', () => {
    const r = SCENARIOS.platforms();
    const build = fileOf(r, BUILD_FILE);
    expect(build).toContain(
      '      dockerfile: docker/Dockerfile\n      platforms:\n        - linux/amd64\n        - linux/arm64\n',
    );
    expect(build).toContain(
      '        - registry.example.com:5000/${REGISTRY_ID}/${PROJECT_NAME}:latest\n',
    );
    // Two platforms: the dev file pins none (the engine runs its own).
    expect(fileOf(r, DEV_FILE)).not.toContain('platform:');
  });

  it('names the service after the project', () => {
    expect(serviceName('My_Service.api')).toBe('my-service-api');
    expect(serviceName('--x--')).toBe('x');
    expect(serviceName(null)).toBe('app');
    expect(serviceName('日本')).toBe('app');
  });

  it('migrates its own output to no change', () => {
    const r = generate(RUNTIME('EXPOSE 8000\n'));
    const again = migrate(
      {
        path: 'Dockerfile',
        text: RUNTIME('EXPOSE 8000\n'),
        context: buildContext({
          dockerfile: 'Dockerfile',
          files: {
            'pyproject.toml': PYPROJECT,
            'uv.lock': '',
            ...Object.fromEntries(r.changes.map((c) => [c.path, c.after])),
          },
        }),
      },
      { ...DEFAULT_OPTIONS, compose: true },
      [transform],
    );
    expect(again.changes).toEqual([]);
  });
});

describe('every generated Compose file', () => {
  const generated: [string, string][] = Object.entries(SCENARIOS).flatMap(([name, make]) =>
    make().changes.map((c): [string, string] => [`${name} ${c.path}`, c.after]),
  );
  const validate = composeValidator();

  it('is both files of every scenario', () => {
    expect(generated.map(([label]) => label)).toEqual(
      Object.keys(SCENARIOS).flatMap((n) => [`${n} ${BUILD_FILE}`, `${n} ${DEV_FILE}`]),
    );
  });

  it('parses back to the services and keys it was written with', () => {
    for (const [, text] of generated) {
      const doc = parseYaml(text) as { services: Record<string, Record<string, unknown>> };
      const [name, service] = Object.entries(doc.services)[0];
      expect(name).toMatch(/^[a-z0-9][a-z0-9_.-]*$/);
      expect(String(service.image)).toMatch(
        /^[a-z0-9.:-]+\/\$\{REGISTRY_ID\}\/\$\{PROJECT_NAME\}:\$\{VERSION\}$/,
      );
    }
  });

  it('is valid against the Compose specification JSON Schema', () => {
    for (const [label, text] of generated) {
      const ok = validate(parseYaml(text));
      expect({ label, errors: ok ? null : validate.errors }).toEqual({ label, errors: null });
    }
  });

  it('so is every Compose file the golden cases expect (rewritten or generated)', () => {
    const files = goldenCases().flatMap((c) =>
      Object.entries(c.expected).filter(([path]) => isComposeFile(path)),
    );
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const [path, text] of files) {
      const ok = validate(parseYaml(text));
      expect({ path, errors: ok ? null : validate.errors }).toEqual({ path, errors: null });
    }
  });

  it('the schema check can fail: a wrong key is refused', () => {
    expect(validate({ services: { a: { image: 'x', restart_policy: 'always' } } })).toBe(false);
    expect(validate({ services: { a: { image: 'x', env_file: [{ required: false }] } } })).toBe(
      false,
    );
  });

  it('is as prettier formats YAML', async () => {
    for (const [label, text] of generated) {
      expect({ label, text: await format(text, { parser: 'yaml' }) }).toEqual({ label, text });
    }
  });
});
