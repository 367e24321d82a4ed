import { describe, expect, it } from 'vitest';
import {
  gatherContext,
  requirementCandidates,
  requirementsNamedIn,
  scriptCandidates,
  treeReader,
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

  it('reads a script the command names under a directory copied by absolute path', () => {
    expect(candidates('FROM python:3.12-slim\nCOPY ./src /src\nCMD /src/run_worker.sh\n')).toEqual([
      'run_worker.sh',
      'src/run_worker.sh',
    ]);
    expect(
      candidates('FROM python:3.12-slim\nCOPY . /srv/app\nCMD ["/srv/app/bin/start.sh"]\n'),
    ).toEqual(['bin/start.sh', 'start.sh']);
    // The same once split: the copy is the builder's, the command the runtime's.
    expect(
      candidates(
        'FROM python:3.12-slim AS builder\nCOPY ./src /src\nFROM python:3.12-slim\nCOPY --from=builder /src /src\nCMD ["/src/run_worker.sh"]\n',
      ),
    ).toEqual(['run_worker.sh', 'src/run_worker.sh']);
  });

  it('reads nothing else the Dockerfile copies', () => {
    expect(
      candidates(
        'FROM python:3.12-slim\nCOPY pyproject.toml uv.lock ./\nCOPY src ./src\nCMD ["app"]\n',
      ),
    ).toEqual([]);
  });
});

describe('gatherContext: the Python a container starts, and the project modules it imports', () => {
  it('reads the module `python -m` names and follows its imports inside the project only', () => {
    const tree: Record<string, string> = {
      'pyproject.toml': '[project]\nname = "jobs"\n',
      'src/jobs/__main__.py': 'import os\nfrom jobs.runner import run\n\nrun()\n',
      'src/jobs/runner.py': 'import signal\n',
      'src/jobs/unused.py': 'x = 1\n',
    };
    const text = 'FROM python:3.12-slim\nCMD ["python", "-m", "jobs"]\n';
    const ctx = gatherContext(parse(text), 'Dockerfile', treeReader(tree));
    expect(ctx.files['src/jobs/__main__.py']).toBe(tree['src/jobs/__main__.py']);
    expect(ctx.files['src/jobs/runner.py']).toBe('import signal\n');
    expect(ctx.files['src/jobs/unused.py']).toBeUndefined();
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

describe('copied directories', () => {
  it('tells which sources a COPY takes from the context are directories, in any spelling', () => {
    const tree = {
      'confdir/a.conf': 'x=1\n',
      'confdir/sub/b.conf': 'y=2\n',
      'src/app/main.py': '',
      'settings.ini': '',
      'requirements.txt': '',
    };
    const text = [
      'FROM python:3.12-slim',
      'COPY ./confdir/ /etc/x/',
      'COPY settings.ini requirements.txt /etc/app/',
      'COPY ["src/app", "/srv/app"]',
      'COPY --from=builder /opt /opt',
      'COPY missing *.cfg /etc/y/',
      '',
    ].join('\n');
    const ctx = gatherContext(parse(text), 'Dockerfile', treeReader(tree));
    expect(ctx.directories).toEqual(['confdir', 'src/app']);
  });

  it('knows none without a listing of the context', () => {
    const ctx = gatherContext(parse('FROM python:3.12\nCOPY confdir /etc/x/\n'), 'Dockerfile', {
      read: () => undefined,
      exists: () => false,
    });
    expect(ctx.directories).toEqual([]);
  });
});
