import transform from '../../transforms/no-uv-at-runtime.js';
import { transformTable, UV_PROJECT } from '../helpers/transform-table.js';

const RT = 'FROM python:3.12-slim\nENV PATH="/app/.venv/bin:$PATH"\n';

transformTable(transform, {
  valid: [
    { name: 'the program directly', input: `${RT}CMD ["uvicorn", "app:app"]\n` },
    {
      name: 'uv run in a builder stage only',
      input: `FROM python:3.12-slim AS b\nRUN uv run pytest\n${RT}CMD ["app"]\n`,
    },
  ],
  invalid: [
    {
      name: 'shell form',
      input: `${RT}CMD uv run uvicorn app:app --port 8000\n`,
      output: `${RT}CMD uvicorn app:app --port 8000\n`,
    },
    {
      name: 'exec form with uv run options',
      input: `${RT}CMD ["uv", "run", "--no-sync", "--package", "api", "uvicorn", "app:app"]\n`,
      output: `${RT}CMD ["uvicorn", "app:app"]\n`,
    },
    {
      name: 'a script becomes python',
      input: `${RT}CMD uv run ./main.py --debug-off\n`,
      output: `${RT}CMD python ./main.py --debug-off\n`,
    },
    {
      name: 'uv run -m',
      input: `${RT}CMD ["uv", "run", "-m", "app"]\n`,
      output: `${RT}CMD ["python", "-m", "app"]\n`,
    },
    {
      name: 'uv run python -m',
      input: `${RT}CMD ["uv", "run", "python", "-m", "app"]\n`,
      output: `${RT}CMD ["python", "-m", "app"]\n`,
    },
    {
      name: 'inside sh -c',
      input: `${RT}CMD ["sh", "-c", "uv run uvicorn app:app --port $PORT"]\n`,
      output: `${RT}CMD ["sh", "-c", "uvicorn app:app --port $PORT"]\n`,
    },
    {
      name: 'a console script',
      input: `${RT}CMD ["uv", "run", "myapp"]\n`,
      files: {
        ...UV_PROJECT,
        'pyproject.toml': '[project]\nname = "x"\n[project.scripts]\nmyapp = "x:main"\n',
      },
      output: `${RT}CMD ["myapp"]\n`,
    },
    {
      name: 'an ENTRYPOINT that only prefixed uv run',
      input: `${RT}ENTRYPOINT ["uv", "run", "--frozen"]\nCMD ["gunicorn", "app:app"]\n`,
      output: `${RT}CMD ["gunicorn", "app:app"]\n`,
    },
    {
      name: 'every uv run of an && list',
      input: `${RT}CMD uv run alembic upgrade head && uv run uvicorn app:app\n`,
      output: `${RT}CMD alembic upgrade head && uvicorn app:app\n`,
    },
    {
      name: 'CRLF, continuation kept',
      input:
        'FROM python:3.12-slim\r\nENV PATH="/app/.venv/bin:$PATH"\r\nCMD uv run uvicorn \\\r\n    app:app',
      output:
        'FROM python:3.12-slim\r\nENV PATH="/app/.venv/bin:$PATH"\r\nCMD uvicorn \\\r\n    app:app',
    },
    {
      name: 'uv run --with',
      input: `${RT}CMD ["uv", "run", "--with", "rich", "app"]\n`,
      output: null,
      messages: [/--with adds packages at container start/],
    },
    {
      name: 'uv run --env-file',
      input: `${RT}CMD uv run --env-file .env app\n`,
      output: null,
      messages: [/--env-file/],
    },
    {
      name: 'uv sync at start',
      input: `${RT}CMD ["sh", "-c", "uv sync --frozen && exec app"]\n`,
      output: null,
      messages: [/installing dependencies at run time/],
    },
    {
      name: 'uvx at start',
      input: `${RT}CMD ["uvx", "some-tool"]\n`,
      output: null,
      messages: [/uvx fetches and runs a tool/],
    },
    {
      name: 'venv not on PATH: uv run kept',
      input: 'FROM python:3.12-slim\nCMD uv run app\n',
      output: null,
      messages: [/not on PATH/],
    },
  ],
});
