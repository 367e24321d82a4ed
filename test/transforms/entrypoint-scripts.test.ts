import transform from '../../transforms/entrypoint-scripts.js';
import { transformTable, UV_PROJECT } from '../helpers/transform-table.js';

const RT = 'FROM python:3.12-slim\nWORKDIR /app\nENV PATH="/app/.venv/bin:$PATH"\n';
const SCRIPT =
  '#!/bin/sh\r\nset -e\r\n# migrate first\r\nuv run alembic upgrade head\r\nexec uv run --frozen uvicorn app:app "$@"\r\n';

transformTable(transform, {
  valid: [
    {
      name: 'a script without uv',
      input: `${RT}ENTRYPOINT ["./start.sh"]\n`,
      files: { ...UV_PROJECT, 'start.sh': '#!/bin/sh\nexec uvicorn app:app\n' },
    },
    { name: 'no script', input: `${RT}CMD ["app"]\n` },
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
    {
      name: 'a script given to a shell, found by its name',
      input: `${RT}CMD ["sh", "/usr/local/bin/start.sh"]\n`,
      files: { ...UV_PROJECT, 'scripts/start.sh': 'uv run python -m app\n' },
      output: `${RT}CMD ["sh", "/usr/local/bin/start.sh"]\n`,
      files_after: { 'scripts/start.sh': 'python -m app\n' },
    },
    {
      name: 'a script not in the context',
      input: `${RT}ENTRYPOINT ["/entrypoint.sh"]\n`,
      output: null,
      messages: [/not in the build context/],
    },
    {
      name: 'uv sync in a script',
      input: `${RT}ENTRYPOINT ["./start.sh"]\n`,
      files: { ...UV_PROJECT, 'start.sh': 'uv sync --frozen\nexec app\n' },
      output: null,
      messages: [/start\.sh: the container runs `uv sync`/],
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
