import { describe, expect, it } from 'vitest';
import { parse } from '../../src/core/document.js';
import { systemChange, type SystemChange } from '../../src/core/system-changes.js';

/** The change the last RUN of a stage with WORKDIR /app makes, against the app directory /app. */
const change = (run: string, before = '', elsewhere: string[] = []): SystemChange => {
  const doc = parse(`FROM python:3.12-slim\nWORKDIR /app\n${before}${run}\n`);
  const instr = doc.instructions.filter((i) => i.keyword === 'RUN').at(-1)!;
  return systemChange(doc, instr, '/app', elsewhere);
};

describe('systemChange: what a RUN leaves outside the app directory', () => {
  it.each([
    [
      'installs handled elsewhere',
      'RUN apt-get update && apt-get install -y libpq5 && rm -rf /var/lib/apt/lists/*',
    ],
    ['pip into the venv', 'RUN pip install -r requirements.txt'],
    [
      'a clone of a branch into the app directory',
      'RUN git clone -b v1.2 https://example.com/vendor.git',
    ],
    [
      'files of the app directory, relative or absolute',
      'RUN chmod +x boot.sh && ln -s /app/static /app/public',
    ],
    [
      'a build step the program runs in the app directory',
      'RUN python manage.py collectstatic --noinput',
    ],
    [
      'scratch places',
      'RUN curl -o /tmp/x.tgz https://example.com/x.tgz && tar -C /tmp -xzf /tmp/x.tgz',
    ],
    ['a version question', 'RUN python --version && uname -m'],
    [
      'made directories in a conditional (run again, they would fail the build)',
      'RUN [ ! -d /data ] && mkdir /data',
    ],
    ['made directories beside other programs', 'RUN pip install flask && mkdir -p /var/run/app'],
  ])('none: %s', (_, run) => expect(change(run)).toEqual({ kind: 'none' }));

  it.each([
    ['symlinks into /etc', 'RUN rm -rf /etc/nginx/http.d && ln -s /app/http.d /etc/nginx/http.d'],
    [
      'a heredoc script of file tools',
      'RUN <<EOF\nln -sf /dev/stdout /var/log/nginx/access.log\nchmod 1777 /app/http.d\nEOF',
    ],
    ['an edited config file', "RUN sed -i 's/^#listen/listen/' /etc/nginx/nginx.conf"],
    [
      'a start script written by cat with a heredoc',
      "RUN cat > /start.sh <<'EOF'\n#!/bin/sh\nexec gunicorn app:app\nEOF",
    ],
    ['a relative target after cd', 'RUN cd /etc && ln -s /app/conf app.conf'],
    [
      'user tools with a directory',
      'RUN groupadd -r app && useradd -r -g app app && mkdir -p /data',
    ],
  ])('replay: %s', (_, run) => expect(change(run).kind).toBe('replay'));

  it('kept, with the files to carry, when whole files are written beside other programs', () => {
    expect(change('RUN pip install flask && pip freeze > /VERSION.txt')).toEqual({
      kind: 'kept',
      what: 'pip freeze',
      path: '/VERSION.txt',
      files: ['/VERSION.txt'],
    });
    expect(
      change(
        'RUN curl -fsSL -o /usr/local/bin/tool https://example.com/tool && chmod +x /usr/local/bin/tool',
      ),
    ).toMatchObject({ kind: 'kept', path: '/usr/local/bin/tool', files: ['/usr/local/bin/tool'] });
  });

  it.each([
    [
      'a downloaded binary unpacked and moved into a bin directory',
      'RUN unzip ngrok-v3-stable-linux-amd64.zip && mv ngrok /usr/local/bin',
      ['/usr/local/bin/ngrok'],
    ],
    [
      'copied to its own name, made executable',
      'RUN tar -xzf /tmp/tool.tgz -C /tmp && cp /tmp/tool /usr/bin/tool && chmod +x /usr/bin/tool',
      ['/usr/bin/tool'],
    ],
    [
      'installed into a bin directory with a trailing slash',
      'RUN unzip -o tunnel.zip && install -v tunnel /usr/local/bin/',
      ['/usr/local/bin/tunnel'],
    ],
  ])('kept, the moved file carried: %s', (_, run, files) =>
    expect(change(run)).toMatchObject({ kind: 'kept', files }),
  );

  it.each([
    // /opt exists: the file may be renamed to /opt or moved into it.
    ['a move whose target may be a directory or a new name', 'RUN unzip tool.zip && mv tool /opt'],
    ['a tree', 'RUN unzip tool.zip && cp -r tool /usr/local/bin'],
    ['several files', 'RUN unzip tools.zip && mv a b /usr/local/bin'],
    ['a glob', 'RUN unzip tools.zip && mv tool-* /usr/local/bin'],
    [
      'install with a mode, whose operands cannot be told here',
      'RUN unzip t.zip && install -m 755 t /usr/local/bin',
    ],
  ])('kept, nothing carried: %s', (_, run) => {
    const c = change(run);
    expect(c.kind).toBe('kept');
    expect('files' in c && c.files).toBeFalsy();
  });

  it.each([
    ['a global npm install', 'RUN npm install -g sass', '/usr/local/lib/node_modules'],
    [
      'browsers downloaded by playwright',
      'RUN python -m playwright install chromium',
      '/root/.cache/ms-playwright',
    ],
    [
      'browsers downloaded through poetry run',
      'RUN poetry run python -m playwright install chromium',
      '/root/.cache/ms-playwright',
    ],
    [
      "the browsers' system libraries, installed by playwright",
      'RUN uv run playwright install-deps',
      '/usr/lib',
    ],
    [
      'browsers with their system libraries',
      'RUN python -m playwright install --with-deps chromium',
      '/usr/lib',
    ],
    ['a crontab installed', 'RUN crontab /app/jobs.cron', '/var/spool/cron/crontabs'],
    ['a clone outside', 'RUN git clone https://example.com/repo.git /opt/tools', '/opt/tools'],
    [
      // -b's value is not the directory: git names it after the repository, in the current directory.
      'a clone of a branch, named after its repository, beside the app directory',
      'RUN cd /srv && git clone -b v2.5.0 https://example.com/kubespray.git',
      '/srv/kubespray',
    ],
    [
      'a shallow clone into a directory named after the URL',
      'RUN git clone --depth 1 --branch main https://example.com/tools.git /opt/tools',
      '/opt/tools',
    ],
    ['an archive unpacked outside', 'RUN tar -C /opt -xzf /tmp/tool.tgz', '/opt'],
    [
      'an edit beside an installer',
      'RUN apt-get install -y nginx && rm /etc/nginx/sites-enabled/default',
      '/etc/nginx/sites-enabled/default',
    ],
  ])('kept, nothing to carry: %s', (_, run, path) => {
    const c = change(run);
    expect(c).toMatchObject({ kind: 'kept', path });
    expect('files' in c && c.files).toBeFalsy();
  });

  it('reads PLAYWRIGHT_BROWSERS_PATH, variables, and places the runtime gets another way', () => {
    expect(
      change('RUN playwright install chromium', 'ENV PLAYWRIGHT_BROWSERS_PATH=/app/browsers\n'),
    ).toEqual({
      kind: 'none',
    });
    expect(change('RUN ln -s /app/conf $CONF', 'ENV CONF=/etc/app.conf\n').kind).toBe('replay');
    expect(
      change(
        "RUN sed -i 's/x/y/' /requirements/base.txt && pip install -r /requirements/base.txt",
        '',
        ['/requirements'],
      ),
    ).toEqual({ kind: 'none' });
  });
});
