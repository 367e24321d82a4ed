import { describe, expect, it } from 'vitest';
import { ignoresSigterm } from '../../src/core/signals.js';

describe('ignoresSigterm: the Python program a container starts, without a SIGTERM handler', () => {
  const loop = 'import time\n\nwhile True:\n    time.sleep(5)\n';
  it('a plain loop started by its file', () => {
    expect(ignoresSigterm(['python', 'server.py'], { 'server.py': loop })).toBe('server.py');
    expect(ignoresSigterm(['python3', './server.py'], { 'server.py': loop })).toBe('server.py');
  });
  it('a module started with -m, at the root or under src/', () => {
    expect(ignoresSigterm(['python', '-m', 'jobs.worker'], { 'jobs/worker.py': loop })).toBe(
      'jobs/worker.py',
    );
    expect(ignoresSigterm(['python', '-u', '-m', 'jobs'], { 'src/jobs/__main__.py': loop })).toBe(
      'src/jobs/__main__.py',
    );
  });
  it('a handler in the file, or in a project module it imports, is a handler', () => {
    const handler = 'import signal, sys\nsignal.signal(signal.SIGTERM, lambda *_: sys.exit(0))\n';
    expect(ignoresSigterm(['python', 'server.py'], { 'server.py': handler + loop })).toBeNull();
    expect(
      ignoresSigterm(['python', '-m', 'jobs'], {
        'jobs/__main__.py': 'from jobs.runner import run\n\nrun()\n',
        'jobs/runner.py': handler,
      }),
    ).toBeNull();
  });
  it('a server or worker library that installs its own handler', () => {
    expect(
      ignoresSigterm(['python', 'main.py'], {
        'main.py': 'import uvicorn\nuvicorn.run("a:app")\n',
      }),
    ).toBeNull();
    expect(
      ignoresSigterm(['python', '-m', 'bot'], {
        'bot/__main__.py': 'from telegram.ext import ApplicationBuilder\n',
      }),
    ).toBeNull();
  });
  it('cannot be told: a project module the context did not give, a file not there, not python', () => {
    expect(
      ignoresSigterm(['python', '-m', 'jobs'], {
        'jobs/__main__.py': 'from jobs.cli import app\n\napp()\n',
      }),
    ).toBeNull();
    expect(ignoresSigterm(['python', 'server.py'], {})).toBeNull();
    expect(ignoresSigterm(['uvicorn', 'server:app'], { 'server.py': loop })).toBeNull();
  });
});
