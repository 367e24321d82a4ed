import { describe, expect, it } from 'vitest';
import { scriptCandidates } from '../../src/core/context.js';
import { parse } from '../../src/core/document.js';

const candidates = (dockerfile: string) => scriptCandidates(parse(dockerfile)).sort();

describe('scriptCandidates', () => {
  it('reads .sh files copied in and .sh paths the command names', () => {
    expect(
      candidates(
        'FROM python:3.12-slim\nWORKDIR /app\nCOPY scripts/migrate.sh /usr/local/bin/\nCMD ["/app/bin/start.sh"]\n',
      ),
    ).toEqual(['bin/start.sh', 'scripts/migrate.sh', 'start.sh']);
  });

  it('reads a file without .sh when it is copied to the name the command runs', () => {
    expect(
      candidates(
        'FROM python:3.12-slim\nCOPY ./compose/production/start /start\nCOPY compose/worker-entry /usr/local/bin/entry\nCOPY README.md /docs/\nENTRYPOINT ["entry"]\nCMD ["/start"]\n',
      ),
    ).toEqual(['compose/production/start', 'compose/worker-entry']);
  });

  it('reads nothing else the Dockerfile copies', () => {
    expect(
      candidates(
        'FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nCOPY src ./src\nCMD ["app"]\n',
      ),
    ).toEqual([]);
  });
});
