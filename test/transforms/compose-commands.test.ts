import { describe, expect, it } from 'vitest';
import transform from '../../transforms/compose-commands.js';
import { transformTable, UV_PROJECT } from '../helpers/transform-table.js';
import { buildContext } from '../../src/core/context.js';
import { parse } from '../../src/core/document.js';
import { DEFAULT_OPTIONS } from '../../src/core/types.js';
import { envNamesRead } from '../../src/core/context.js';
import { isComposeFile, isDevFileName } from '../../src/core/compose.js';
import { joinPath } from '../../src/core/paths.js';

/** A Dockerfile already migrated: its runtime stage has the venv on PATH. */
const MIGRATED =
  'FROM python:3.12-slim-trixie AS builder\nRUN true\nFROM python:3.12-slim-trixie\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["uvicorn", "app:app"]\n';
/** A single stage that still runs uv: uv run must stay in Compose too. */
const SINGLE =
  'FROM python:3.12-slim-trixie\nRUN uv sync\nCMD ["uv", "run", "uvicorn", "app:app"]\n';

const project = (files: Record<string, string>) => ({ ...UV_PROJECT, ...files });

transformTable(transform, {
  valid: [
    { name: 'no Compose file', input: MIGRATED },
    {
      name: 'a service that builds another Dockerfile',
      input: MIGRATED,
      files: project({
        'compose.yaml':
          'services:\n  other:\n    build:\n      context: .\n      dockerfile: Dockerfile.worker\n    command: uv run celery --reload\n  db:\n    image: postgres\n    command: postgres -c x=1\n',
      }),
    },
    {
      name: 'a production command already',
      input: MIGRATED,
      files: project({
        'docker-compose.yml':
          'services:\n  api:\n    build: .\n    command: uvicorn app:app --workers 4\n',
      }),
    },
    {
      name: 'a development override where nothing would change',
      input: MIGRATED,
      files: project({
        'docker-compose.dev.yml': 'services:\n  api:\n    build: .\n    command: uvicorn app:app\n',
      }),
    },
  ],
  invalid: [
    {
      name: 'string form: uv run and --reload dropped, the comment after it kept',
      input: MIGRATED,
      files: project({
        'docker-compose.yml':
          '# api\nservices:\n  api:\n    build: .\n    command: uv run uvicorn app:app --reload --port 8000  # dev habit\n    ports:\n      - "8000:8000"\n',
      }),
      output: MIGRATED,
      files_after: {
        'docker-compose.yml':
          '# api\nservices:\n  api:\n    build: .\n    command: uvicorn app:app --port 8000  # dev habit\n    ports:\n      - "8000:8000"\n',
      },
      messages: [
        /^docker-compose\.yml: service api: command: uv run removed before uvicorn; --reload dropped$/,
      ],
    },
    {
      name: 'string forms keep their quoting: double, single, folded',
      input: MIGRATED,
      files: project({
        'compose.yaml':
          'services:\n  a:\n    build: .\n    command: "uv run uvicorn app:app --reload"\n  b:\n    build: .\n    command: \'uv run python main.py\'\n  c:\n    build: .\n    command: >\n      uv run uvicorn app:app --reload\n',
      }),
      output: MIGRATED,
      files_after: {
        'compose.yaml':
          'services:\n  a:\n    build: .\n    command: "uvicorn app:app"\n  b:\n    build: .\n    command: \'python main.py\'\n  c:\n    build: .\n    command: >\n      uvicorn app:app\n',
      },
    },
    {
      name: 'flow list form',
      input: MIGRATED,
      files: project({
        'compose.yml':
          'services:\n  api:\n    build: .\n    command: ["uv", "run", "--no-sync", "fastapi", "dev", "app/main.py"]\n',
      }),
      output: MIGRATED,
      files_after: {
        'compose.yml':
          'services:\n  api:\n    build: .\n    command: ["fastapi", "run", "app/main.py"]\n',
      },
      messages: [/fastapi dev -> fastapi run/],
    },
    {
      name: 'block list form: only the lines of removed elements go, comments stay with theirs',
      input: MIGRATED,
      files: project({
        'compose.yaml':
          'services:\n  api:\n    build: .\n    entrypoint:\n      - uv   # the runner\n      - run\n      # the server\n      - uvicorn\n      - app:app\n      - --reload-dir\n      - src\n    restart: always\n',
      }),
      output: MIGRATED,
      files_after: {
        'compose.yaml':
          'services:\n  api:\n    build: .\n    entrypoint:\n      # the server\n      - uvicorn\n      - app:app\n    restart: always\n',
      },
    },
    {
      name: 'uv run script.py becomes python script.py in a block list (a replaced element keeps its line)',
      input: MIGRATED,
      files: project({
        'compose.yaml':
          "services:\n  api:\n    build: .\n    command:\n      - 'uv'\n      - 'run'\n      - 'main.py'\n",
      }),
      output: MIGRATED,
      files_after: {
        'compose.yaml':
          "services:\n  api:\n    build: .\n    command:\n      - 'python'\n      - 'main.py'\n",
      },
    },
    {
      name: 'sh -c in list form: the script is rewritten',
      input: MIGRATED,
      files: project({
        'compose.yaml':
          'services:\n  api:\n    build: .\n    command: ["sh", "-c", "uv run uvicorn app:app --reload --port $${PORT}"]\n',
      }),
      output: MIGRATED,
      files_after: {
        'compose.yaml':
          'services:\n  api:\n    build: .\n    command: ["sh", "-c", "uvicorn app:app --port $${PORT}"]\n',
      },
    },
    {
      name: 'anchors and aliases elsewhere stay; a build from a context directory matches',
      input: MIGRATED,
      files: project({
        'compose.yaml':
          'x-common: &common\n  restart: unless-stopped\n  environment: &env\n    LOG_LEVEL: info\nservices:\n  api:\n    <<: *common\n    build:\n      context: .\n      dockerfile: ./Dockerfile\n    environment: *env\n    command: uv run uvicorn app:app --reload\n',
      }),
      output: MIGRATED,
      files_after: {
        'compose.yaml':
          'x-common: &common\n  restart: unless-stopped\n  environment: &env\n    LOG_LEVEL: info\nservices:\n  api:\n    <<: *common\n    build:\n      context: .\n      dockerfile: ./Dockerfile\n    environment: *env\n    command: uvicorn app:app\n',
      },
    },
    {
      name: 'CRLF and a BOM are kept',
      input: MIGRATED,
      files: project({
        'compose.yaml':
          '\uFEFFservices:\r\n  api:\r\n    build: .\r\n    command: uv run uvicorn app:app --reload\r\n  b:\r\n    build: .\r\n    command:\r\n      - uv\r\n      - run\r\n      - main.py\r\n',
      }),
      output: MIGRATED,
      files_after: {
        'compose.yaml':
          '\uFEFFservices:\r\n  api:\r\n    build: .\r\n    command: uvicorn app:app\r\n  b:\r\n    build: .\r\n    command:\r\n      - python\r\n      - main.py\r\n',
      },
    },
    {
      name: 'an entrypoint that only puts uv run in front of the command is emptied (flow, block, string)',
      input: MIGRATED,
      files: project({
        'compose.yaml':
          'services:\n  a:\n    build: .\n    entrypoint: ["uv", "run", "--frozen"]\n    command: ["uvicorn", "app:app"]\n  b:\n    build: .\n    entrypoint:\n      - uv\n      - run   # no sync\n    command: uvicorn app:app\n    restart: always\n  c:\n    build: .\n    entrypoint: uv run\n    command: uvicorn app:app\n',
      }),
      output: MIGRATED,
      files_after: {
        'compose.yaml':
          'services:\n  a:\n    build: .\n    entrypoint: []\n    command: ["uvicorn", "app:app"]\n  b:\n    build: .\n    entrypoint: []   # no sync\n    command: uvicorn app:app\n    restart: always\n  c:\n    build: .\n    entrypoint: ""\n    command: uvicorn app:app\n',
      },
      messages: [
        /^compose\.yaml: service a: entrypoint: uv run --frozen only prefixed the command; emptied \(the image's entrypoint is not used, as before\)$/,
      ],
    },
    {
      name: 'an entrypoint uv run without a command is left with the reason',
      input: MIGRATED,
      files: project({
        'compose.yaml': 'services:\n  a:\n    build: .\n    entrypoint: ["uv", "run"]\n',
      }),
      output: null,
      messages: [/service a: entrypoint: uv run without a program; left as is/],
    },
    {
      name: 'a development override file is reported, not changed',
      input: MIGRATED,
      files: project({
        'docker-compose.dev.yml':
          'services:\n  api:\n    build: .\n    command: uv run uvicorn app:app --reload\n',
      }),
      output: null,
      messages: [
        /^docker-compose\.dev\.yml: service api: command is left as is: the file is a development override \(for production: uv run removed before uvicorn; --reload dropped\)$/,
      ],
    },
    {
      name: 'a develop: watch section or a source bind mount makes a service a development one',
      input: MIGRATED,
      files: project({
        'compose.yaml':
          'services:\n  api:\n    build: .\n    develop:\n      watch:\n        - action: sync\n          path: ./app\n          target: /app/app\n    command: uvicorn app:app --reload\n  api2:\n    build: .\n    volumes:\n      - ./:/app\n    command: uvicorn app:app --reload\n  api3:\n    build: .\n    volumes:\n      - type: bind\n        source: ./src\n        target: /app/src\n    command: uvicorn app:app --reload\n',
      }),
      output: null,
      messages: [
        /service api: command is left as is: it has a develop: \(watch\) section/,
        /service api2: command is left as is: it bind-mounts the source \(\.\/\)/,
        /service api3: command is left as is: it bind-mounts the source \(\.\/src\)/,
      ],
    },
    {
      name: 'an alias shared with other keys is left',
      input: MIGRATED,
      files: project({
        'compose.yaml':
          'x-cmd: &cmd uv run uvicorn app:app --reload\nservices:\n  api:\n    build: .\n    command: *cmd\n',
      }),
      output: null,
      messages: [/command is left as is: it is an alias \(\*cmd\) shared with other keys/],
    },
    {
      name: 'a command given through a merge key is reported, not rewritten in the anchor',
      input: MIGRATED,
      files: project({
        'compose.yaml':
          'x-app: &app\n  command: uv run uvicorn app:app --reload\nservices:\n  api:\n    <<: *app\n    build: .\n',
      }),
      output: null,
      messages: [
        /^compose\.yaml: service api: command comes through a merge key \(<<\); left as is: change it where it is defined \(uv run removed before uvicorn; --reload dropped\)$/,
      ],
    },
    {
      name: 'a string with shell operators (Compose runs no shell) is left',
      input: MIGRATED,
      files: project({
        'compose.yaml':
          'services:\n  api:\n    build: .\n    command: uv run migrate && uv run app --reload\n',
      }),
      output: null,
      messages: [/shell operators, which Compose passes on as words/],
    },
    {
      name: 'a runtime without the venv on PATH keeps uv run (dev flags still go)',
      input: SINGLE,
      files: project({
        'compose.yaml':
          'services:\n  api:\n    build: .\n    command: uv run uvicorn app:app --reload\n',
      }),
      output: SINGLE,
      files_after: {
        'compose.yaml': 'services:\n  api:\n    build: .\n    command: uv run uvicorn app:app\n',
      },
      messages: [
        /uv run kept: the stage it runs \(the final stage\) does not have the venv on PATH/,
      ],
    },
    {
      // A build stage last (tests run there) and the runtime chosen by build.target.
      name: "each service is read through its build.target's stage",
      input: `FROM python:3.12-slim-trixie AS runtime\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["uvicorn", "app:app"]\nFROM python:3.12-slim-trixie AS ci\nRUN uv sync\nCMD ["uv", "run", "pytest"]\n`,
      files: project({
        'compose.yaml':
          'services:\n  api:\n    build:\n      context: .\n      target: runtime\n    command: uv run uvicorn app:app --port 9000\n  tests:\n    build: .\n    command: uv run pytest -x\n',
      }),
      output: `FROM python:3.12-slim-trixie AS runtime\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["uvicorn", "app:app"]\nFROM python:3.12-slim-trixie AS ci\nRUN uv sync\nCMD ["uv", "run", "pytest"]\n`,
      files_after: {
        'compose.yaml':
          'services:\n  api:\n    build:\n      context: .\n      target: runtime\n    command: uvicorn app:app --port 9000\n  tests:\n    build: .\n    command: uv run pytest -x\n',
      },
      messages: [
        /service api: command: uv run removed/,
        /service tests: command: uv run kept: the stage it runs \(the final stage\)/,
      ],
    },
    {
      name: 'a build path with a variable cannot be told',
      input: MIGRATED,
      files: project({
        'compose.yaml': 'services:\n  api:\n    build: ${CONTEXT}\n    command: uv run app\n',
      }),
      output: null,
      messages: [/service api: its build path \(\$\{CONTEXT\}, Dockerfile\) depends on a variable/],
    },
    {
      name: 'not valid YAML: said, not read',
      input: MIGRATED,
      files: project({ 'compose.yaml': 'services:\n  api: [\n' }),
      output: null,
      messages: [/^compose\.yaml is not valid YAML/],
    },
  ],
});

describe('Compose file names and paths', () => {
  it.each([
    ['compose.yaml', true, false],
    ['compose.yml', true, false],
    ['docker-compose.yml', true, false],
    ['docker-compose.yaml', true, false],
    ['docker-compose.prod.yml', true, false],
    ['docker-compose.dev.yml', true, true],
    ['compose.override.yaml', true, true],
    ['docker-compose.local.yaml', true, true],
    ['../../docker-compose.yml', true, false],
    ['compose.json', false, false],
    ['my-compose.yml', false, false],
  ])('%s: Compose %s, development %s', (name, compose, dev) => {
    expect(isComposeFile(name)).toBe(compose);
    expect(isDevFileName(name)).toBe(dev);
  });

  it('joins paths from the repository root', () => {
    expect(joinPath('services/api', '../../compose.yaml')).toBe('compose.yaml');
    expect(joinPath('.', './services/b', 'Dockerfile')).toBe('services/b/Dockerfile');
    expect(joinPath('..', 'x')).toBe('../x');
    expect(joinPath('a', '/abs/Dockerfile')).toBe('/abs/Dockerfile');
  });

  it('a root Compose file (../../compose.yaml) naming the context services/api matches its Dockerfile', () => {
    const files = project({
      '../../compose.yaml':
        'services:\n  api:\n    build: services/api\n    command: uv run app\n  web:\n    build: services/web\n    command: uv run web\n',
    });
    const ctx = buildContext({ dockerfile: 'Dockerfile', files, contextPath: 'services/api' });
    const findings = transform.detect(parse(MIGRATED), ctx, DEFAULT_OPTIONS);
    expect(findings.map((f) => f.message)).toEqual([
      'compose.yaml: service api: command: uv run removed before app',
    ]);
    expect(findings[0].edits?.map((e) => e.file)).toEqual(['../../compose.yaml']);
  });
});

describe('environment variables the code reads', () => {
  it('finds os.environ, os.getenv and pydantic settings fields', () => {
    const code = [
      'import os',
      'port = int(os.environ["PORT"])',
      "host = os.environ.get('HOST', '0.0.0.0')",
      'level = os.getenv("LOG_LEVEL")',
      'from os import environ',
      'x = environ [ "TRANSPORT" ]',
      'class Settings(BaseSettings):',
      '    model_config = SettingsConfigDict(env_file=".env")',
      '    database_url: str',
      '    debug: bool = False',
      '    def url(self) -> str:',
      '        return "x"',
      '',
      'def f(port: int): pass',
    ].join('\n');
    expect(envNamesRead(code).sort()).toEqual(
      ['DATABASE_URL', 'DEBUG', 'HOST', 'LOG_LEVEL', 'PORT', 'TRANSPORT'].sort(),
    );
  });
});
