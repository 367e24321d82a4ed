import transform from '../../transforms/entrypoint-scripts.js';
import { transformTable, UV_PROJECT, type InvalidCase } from '../helpers/transform-table.js';

const RT = 'FROM python:3.12-slim\nWORKDIR /app\nENV PATH="/app/.venv/bin:$PATH"\n';
const SCRIPT =
  '#!/bin/sh\r\nset -e\r\n# migrate first\r\nuv run alembic upgrade head\r\nexec uv run --frozen uvicorn app:app "$@"\r\n';

/** `ENTRYPOINT ["./start.sh"]` running `before`; the script becomes `after`, the Dockerfile stays. */
function script(name: string, before: string, after: string, input = RT): InvalidCase {
  const dockerfile = `${input}ENTRYPOINT ["./start.sh"]\n`;
  return {
    name,
    input: dockerfile,
    files: { ...UV_PROJECT, 'start.sh': before },
    output: dockerfile,
    files_after: { 'start.sh': after },
  };
}

/** `ENTRYPOINT ["./start.sh"]` running `text`, reported and left as it is. */
function reported(name: string, text: string, messages: RegExp[], tail = ''): InvalidCase {
  return {
    name,
    input: `${RT}ENTRYPOINT ["./start.sh"]\n${tail}`,
    files: { ...UV_PROJECT, 'start.sh': text },
    output: null,
    messages,
  };
}

transformTable(transform, {
  valid: [
    {
      name: 'a script without uv',
      input: `${RT}ENTRYPOINT ["./start.sh"]\n`,
      files: { ...UV_PROJECT, 'start.sh': '#!/bin/sh\nexec uvicorn app:app\n' },
    },
    { name: 'no script', input: `${RT}CMD ["app"]\n` },
    {
      name: 'exec "$@" of a CMD that runs the program directly',
      input: `${RT}ENTRYPOINT ["./start.sh"]\nCMD ["gunicorn", "app:app"]\n`,
      files: { ...UV_PROJECT, 'start.sh': '#!/bin/sh\nset -e\nalembic upgrade head\nexec "$@"\n' },
    },
    {
      name: 'a Python program the CMD runs is not read as shell',
      input: `${RT}COPY manage.py /app/manage.py\nCMD ["/app/manage.py", "uv"]\n`,
      files: {
        ...UV_PROJECT,
        'manage.py': '#!/usr/bin/env python\nimport sys\nprint(sys.argv) if True else None\n',
      },
    },
    {
      name: 'uv in a comment or an echo is not a call',
      input: `${RT}ENTRYPOINT ["./start.sh"]\n`,
      files: {
        ...UV_PROJECT,
        'start.sh': '#!/bin/sh\n# formerly: uv run app\necho "uv run is gone"\nexec app\n',
      },
    },
  ],
  invalid: [
    {
      name: 'uv run removed, the rest byte-identical (CRLF, shebang, comment)',
      input: `${RT}ENTRYPOINT ["./docker-entrypoint.sh"]\n`,
      files: { ...UV_PROJECT, 'docker-entrypoint.sh': SCRIPT },
      output: `${RT}ENTRYPOINT ["./docker-entrypoint.sh"]\n`,
      files_after: {
        'docker-entrypoint.sh':
          '#!/bin/sh\r\nset -e\r\n# migrate first\r\nalembic upgrade head\r\nexec uvicorn app:app "$@"\r\n',
      },
    },
    script(
      'several uv runs, exec kept in front',
      'uv run alembic upgrade head\nexec uv run gunicorn app:app -b 0.0.0.0:8000\n',
      'alembic upgrade head\nexec gunicorn app:app -b 0.0.0.0:8000\n',
    ),
    script(
      'assignments before the command survive, with or without exec',
      'GRANIAN_WORKERS=$(nproc) uv run granian --interface asgi app:app\nPORT=8000 exec uv run hypercorn app:app\n',
      'GRANIAN_WORKERS=$(nproc) granian --interface asgi app:app\nPORT=8000 exec hypercorn app:app\n',
    ),
    script(
      'an && list of manage.py commands, then exec gunicorn --reload',
      'uv run python manage.py migrate && uv run python manage.py collectstatic --noinput\nexec uv run gunicorn shop.wsgi --reload -b 0.0.0.0:8000\n',
      'python manage.py migrate && python manage.py collectstatic --noinput\nexec gunicorn shop.wsgi -b 0.0.0.0:8000\n',
    ),
    script(
      'uv run options and uv by any path',
      [
        'uv run --no-sync a',
        'uv run --frozen b',
        '/usr/local/bin/uv run c',
        '$HOME/.local/bin/uv run d',
        '"${HOME}/.local/bin/uv" run e',
        'python -m uv run f',
        'uv run --module app.worker',
        'exec uv --no-cache run --package api g',
        '',
      ].join('\n'),
      ['a', 'b', 'c', 'd', 'e', 'f', 'python -m app.worker', 'exec g', ''].join('\n'),
    ),
    script(
      'uv --directory: cd joined to the command alone, a subshell or a group elsewhere',
      [
        'uv --directory src run alembic upgrade head',
        'uv run --directory src python seed.py || true',
        'if [ "$1" = worker ]; then exec uv --directory src run celery -A app worker; fi',
        'exec uv --directory src run gunicorn app:app',
        '',
      ].join('\n'),
      [
        '(cd src && alembic upgrade head)',
        '(cd src && python seed.py) || true',
        'if [ "$1" = worker ]; then { cd src && exec celery -A app worker; }; fi',
        'cd src && exec gunicorn app:app',
        '',
      ].join('\n'),
    ),
    script(
      'uv --directory in the last command, after &&',
      'set -e\nuv run alembic upgrade head && uv --directory src run gunicorn app:app\n',
      'set -e\nalembic upgrade head && cd src && gunicorn app:app\n',
    ),
    script(
      'if/else branches',
      '#!/bin/sh\nif [ "$1" = "worker" ]; then\n  exec uv run celery -A app worker\nelse\n  exec uv run uvicorn app:app --reload --host 0.0.0.0\nfi\n',
      '#!/bin/sh\nif [ "$1" = "worker" ]; then\n  exec celery -A app worker\nelse\n  exec uvicorn app:app --host 0.0.0.0\nfi\n',
    ),
    script(
      'case branches, exec "$@" as the fallback',
      'case "$1" in\n  web) exec uv run uvicorn app:app ;;\n  worker) exec uv run celery -A app worker ;;\n  *) exec "$@" ;;\nesac\n',
      'case "$1" in\n  web) exec uvicorn app:app ;;\n  worker) exec celery -A app worker ;;\n  *) exec "$@" ;;\nesac\n',
    ),
    script(
      'bash with set -euo pipefail, CRLF',
      '#!/usr/bin/env bash\r\nset -euo pipefail\r\n\r\nuv run alembic upgrade head\r\nexec uv run granian --interface asgi app:app\r\n',
      '#!/usr/bin/env bash\r\nset -euo pipefail\r\n\r\nalembic upgrade head\r\nexec granian --interface asgi app:app\r\n',
    ),
    script(
      'uv run --extra that the build syncs',
      'exec uv run --extra postgres app\n',
      'exec app\n',
      `${RT}RUN uv sync --frozen --no-dev --extra postgres\n`,
    ),
    {
      name: 'exec uv run "$@" of a CMD that names a program',
      input: `${RT}ENTRYPOINT ["./start.sh"]\nCMD ["uvicorn", "app:app"]\n`,
      files: {
        ...UV_PROJECT,
        'start.sh': '#!/bin/sh\nuv run alembic upgrade head\nexec uv run "$@"\n',
      },
      output: `${RT}ENTRYPOINT ["./start.sh"]\nCMD ["uvicorn", "app:app"]\n`,
      files_after: { 'start.sh': '#!/bin/sh\nalembic upgrade head\nexec "$@"\n' },
      messages: [/uv run removed before "\$@" \(the container's command, uvicorn by default\)/],
    },
    {
      name: 'uv run behind gosu, in a script tini starts with the CMD as "$@"',
      input: `${RT}ENTRYPOINT ["tini", "--", "/entrypoint.sh"]\nCMD ["celery", "-A", "app", "worker"]\n`,
      files: {
        ...UV_PROJECT,
        'entrypoint.sh':
          '#!/bin/sh\nchown -R app /data\ngosu app uv run alembic upgrade head\nexec gosu app uv run "$@"\n',
      },
      output: `${RT}ENTRYPOINT ["tini", "--", "/entrypoint.sh"]\nCMD ["celery", "-A", "app", "worker"]\n`,
      files_after: {
        'entrypoint.sh':
          '#!/bin/sh\nchown -R app /data\ngosu app alembic upgrade head\nexec gosu app "$@"\n',
      },
    },
    {
      name: 'a script given to a shell, found by its name',
      input: `${RT}CMD ["sh", "/usr/local/bin/start.sh"]\n`,
      files: { ...UV_PROJECT, 'scripts/start.sh': 'uv run python -m app\n' },
      output: `${RT}CMD ["sh", "/usr/local/bin/start.sh"]\n`,
      files_after: { 'scripts/start.sh': 'python -m app\n' },
    },
    {
      name: 'a script in a subdirectory copied onto PATH',
      input: `${RT}COPY scripts/entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\n`,
      files: { ...UV_PROJECT, 'scripts/entrypoint.sh': 'exec uv run app\n' },
      output: `${RT}COPY scripts/entrypoint.sh /usr/local/bin/\nENTRYPOINT ["entrypoint.sh"]\n`,
      files_after: { 'scripts/entrypoint.sh': 'exec app\n' },
    },
    {
      name: 'the copy the Dockerfile names, not another file of the same name',
      input: `${RT}COPY docker/web/start.sh /start.sh\nCMD ["/start.sh"]\n`,
      files: {
        ...UV_PROJECT,
        'docker/api/start.sh': 'exec uv run api\n',
        'docker/web/start.sh': 'exec uv run web\n',
      },
      output: `${RT}COPY docker/web/start.sh /start.sh\nCMD ["/start.sh"]\n`,
      files_after: { 'docker/web/start.sh': 'exec web\n' },
    },
    {
      name: 'a script copied to a path without .sh',
      input: `${RT}COPY docker/start.sh /start\nCMD ["/start"]\n`,
      files: { ...UV_PROJECT, 'docker/start.sh': '#!/bin/sh\nexec uv run gunicorn app:app\n' },
      output: `${RT}COPY docker/start.sh /start\nCMD ["/start"]\n`,
      files_after: { 'docker/start.sh': '#!/bin/sh\nexec gunicorn app:app\n' },
    },
    {
      name: 'a shell script without .sh, copied to the name the CMD runs',
      input: `${RT}COPY compose/production/start /start\nCMD ["/start"]\n`,
      files: {
        ...UV_PROJECT,
        'compose/production/start': '#!/bin/bash\nset -o errexit\nexec uv run uvicorn app:app\n',
      },
      output: `${RT}COPY compose/production/start /start\nCMD ["/start"]\n`,
      files_after: {
        'compose/production/start': '#!/bin/bash\nset -o errexit\nexec uvicorn app:app\n',
      },
    },
    {
      name: 'a script not in the context',
      input: `${RT}ENTRYPOINT ["/entrypoint.sh"]\n`,
      output: null,
      messages: [/not in the build context/],
    },
    reported(
      'uv sync in a script: nothing of it rewritten',
      'uv sync --frozen\nexec uv run app\n',
      [
        /start\.sh: the container runs `uv sync` at start, installing dependencies at run time/,
        /other uv run lines are kept as well/,
      ],
    ),
    reported('uvx and uv tool run', 'uvx ruff check .\nuv tool run black --check .\n', [
      /start\.sh: uvx fetches and runs a tool at container start/,
      /start\.sh: uv tool run fetches and runs a tool at container start/,
    ]),
    reported('uv run --with', 'exec uv run --with rich app\n', [/--with adds packages/]),
    reported('uv run --extra that the build does not sync', 'exec uv run --extra pg app\n', [
      /uv run --extra pg installs it at container start, and the build's uv sync does not/,
    ]),
    reported('exec uv run "$@" without a CMD', 'exec uv run "$@"\n', [
      /uv run "\$@" runs whatever command the container is given, and none is known here/,
    ]),
    reported(
      'exec uv run "$@" of a CMD that is a .py file',
      'exec uv run "$@"\n',
      [/uv run "\$@" runs the CMD \(main\.py\), which needs uv run to become a python command/],
      'CMD ["main.py"]\n',
    ),
    reported('uv lock at start', 'uv lock\nexec app\n', [
      /the container runs `uv lock` at start, and a runtime stage has no uv/,
    ]),
    {
      ...script(
        "Django's runserver: uv run goes, the development server is reported",
        'exec uv run python manage.py runserver 0.0.0.0:8000\n',
        'exec python manage.py runserver 0.0.0.0:8000\n',
      ),
      messages: [/start\.sh: Django's runserver is a development server/],
    },
    {
      name: 'venv not on PATH',
      input: 'FROM python:3.12-slim\nENTRYPOINT ["./start.sh"]\n',
      files: { ...UV_PROJECT, 'start.sh': 'exec uv run app\n' },
      output: null,
      messages: [/not on PATH/],
    },
  ],
});
