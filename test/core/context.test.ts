import { describe, expect, it } from 'vitest';
import {
  requirementCandidates,
  requirementsNamedIn,
  scriptCandidates,
} from '../../src/core/context.js';
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

describe('requirement files', () => {
  it('reads the relative files a RUN names with -r and -c, in any spelling', () => {
    expect(
      requirementCandidates(
        parse(
          'FROM python:3.12-slim\nRUN pip install -r requirements.txt --constraint=./constraints.txt\nRUN pip install --requirement requirements/prod.txt -r /abs/req.txt -r "$REQ"\n',
        ),
      ),
    ).toEqual(['requirements.txt', 'constraints.txt', 'requirements/prod.txt']);
  });

  it('resolves the files a requirements file names against its own directory', () => {
    expect(
      requirementsNamedIn(
        'requirements/prod.txt',
        '-r base.txt\n-c ../constraints.txt\n--requirement=extra/more.txt\n-r https://example.com/r.txt\nflask==3.1.0\n# -r not-this.txt\n',
      ),
    ).toEqual(['requirements/base.txt', 'constraints.txt', 'requirements/extra/more.txt']);
  });
});
