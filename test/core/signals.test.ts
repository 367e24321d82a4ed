import { describe, expect, it } from 'vitest';
import { flaskRunReloader, ignoresSigterm } from '../../src/core/signals.js';

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

describe('flaskRunReloader: whether `flask run` starts the reloader, the only part that handles SIGTERM', () => {
  const none = new Map<string, string | null>();
  const env = (entries: Record<string, string | null>) => new Map(Object.entries(entries));
  it('off by default; on with --reload, or in debug mode from --debug before or after run', () => {
    expect(flaskRunReloader(['flask', 'run', '--host', '0.0.0.0'], none)).toBe(false);
    expect(flaskRunReloader(['flask', 'run', '--reload'], none)).toBe(true);
    expect(flaskRunReloader(['flask', '--app', 'shop', '--debug', 'run'], none)).toBe(true);
    expect(flaskRunReloader(['/app/.venv/bin/flask', 'run', '--debug'], none)).toBe(true);
    expect(flaskRunReloader(['python3', '-m', 'flask', 'run', '--debug'], none)).toBe(true);
    expect(flaskRunReloader(['exec', 'flask', 'run', '--debug'], none)).toBe(true);
  });
  it('--no-reload wins over debug mode; --no-debug over FLASK_DEBUG', () => {
    expect(flaskRunReloader(['flask', 'run', '--debug', '--no-reload'], none)).toBe(false);
    expect(flaskRunReloader(['flask', '--no-debug', 'run'], env({ FLASK_DEBUG: '1' }))).toBe(false);
  });
  it('FLASK_DEBUG as Flask reads it, and FLASK_RUN_RELOAD as click reads it', () => {
    expect(flaskRunReloader(['flask', 'run'], env({ FLASK_DEBUG: '1' }))).toBe(true);
    expect(flaskRunReloader(['flask', 'run'], env({ FLASK_DEBUG: 'True' }))).toBe(true);
    expect(flaskRunReloader(['flask', 'run'], env({ FLASK_DEBUG: 'false' }))).toBe(false);
    expect(flaskRunReloader(['flask', 'run'], env({ FLASK_DEBUG: '0' }))).toBe(false);
    expect(flaskRunReloader(['flask', 'run'], env({ FLASK_RUN_RELOAD: 'yes' }))).toBe(true);
    expect(flaskRunReloader(['flask', 'run'], env({ FLASK_RUN_RELOAD: 'off' }))).toBe(false);
  });
  it('the options a rewrite takes out are read as absent', () => {
    const dropped = new Set(['--debug', '--reload']);
    expect(flaskRunReloader(['flask', 'run', '--debug'], none, dropped)).toBe(false);
    expect(flaskRunReloader(['flask', 'run', '--reload'], none, dropped)).toBe(false);
    expect(flaskRunReloader(['flask', 'run', '--debug'], env({ FLASK_DEBUG: '1' }), dropped)).toBe(
      true,
    );
  });
  it('cannot be told: a variable that may hold options, an environment value from a build argument', () => {
    expect(flaskRunReloader(['flask', 'run', null], none)).toBeNull();
    expect(flaskRunReloader(['flask', 'run'], env({ FLASK_DEBUG: null }))).toBeNull();
    expect(flaskRunReloader(['flask', 'run', '--port', null], none)).toBe(false);
    expect(flaskRunReloader(['flask', '--app', null, 'run'], none)).toBe(false);
  });
  it('not flask run: another flask command, another program', () => {
    expect(flaskRunReloader(['flask', 'db', 'upgrade'], none)).toBeNull();
    expect(flaskRunReloader(['gunicorn', 'app:app', '--reload'], none)).toBeNull();
    expect(flaskRunReloader(['python', 'app.py'], none)).toBeNull();
  });
});
