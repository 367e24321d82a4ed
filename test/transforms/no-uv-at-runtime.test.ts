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
      name: 'poetry run in exec form, as uv run',
      input: `${RT}CMD ["poetry", "run", "ticker-serve"]\n`,
      output: `${RT}CMD ["ticker-serve"]\n`,
    },
    {
      name: 'poetry run after a global option, in shell form',
      input: `${RT}CMD poetry --no-interaction run uvicorn app:app\n`,
      output: `${RT}CMD uvicorn app:app\n`,
    },
    {
      name: 'poetry -C runs another project: reported',
      input: `${RT}CMD ["poetry", "-C", "api", "run", "app"]\n`,
      output: null,
      messages: [/poetry -C runs the program in another project; left as is/],
    },
    {
      name: 'pipenv run, as poetry run, in shell form',
      input: `${RT}CMD pipenv run gunicorn --bind 0.0.0.0:8000 notes.app:app\n`,
      output: `${RT}CMD gunicorn --bind 0.0.0.0:8000 notes.app:app\n`,
      messages: [/pipenv run removed before gunicorn/],
    },
    {
      name: 'pipenv run without a program: reported',
      input: `${RT}CMD ["pipenv", "run"]\n`,
      output: null,
      messages: [/pipenv run without a program; left as is/],
    },
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
      name: 'shell form: assignments before uv run stay',
      input: `${RT}CMD GRANIAN_WORKERS=4 PORT=8000 uv run granian --interface asgi app:app\n`,
      output: `${RT}CMD GRANIAN_WORKERS=4 PORT=8000 granian --interface asgi app:app\n`,
    },
    {
      name: 'uv by its path, or as python -m uv',
      input: `${RT}CMD $HOME/.local/bin/uv run alembic upgrade head && exec /usr/local/bin/uv run app\n`,
      output: `${RT}CMD alembic upgrade head && exec app\n`,
    },
    {
      name: 'python -m uv run, exec form',
      input: `${RT}CMD ["python", "-m", "uv", "run", "--frozen", "uvicorn", "app:app"]\n`,
      output: `${RT}CMD ["uvicorn", "app:app"]\n`,
    },
    {
      name: 'the CMD an entrypoint script execs as "$@"',
      input: `${RT}ENTRYPOINT ["./entrypoint.sh"]\nCMD ["uv", "run", "--frozen", "uvicorn", "app:app"]\n`,
      output: `${RT}ENTRYPOINT ["./entrypoint.sh"]\nCMD ["uvicorn", "app:app"]\n`,
    },
    {
      name: 'behind an init and env',
      input: `${RT}CMD ["tini", "--", "env", "PORT=8000", "uv", "run", "app"]\n`,
      output: `${RT}CMD ["tini", "--", "env", "PORT=8000", "app"]\n`,
    },
    {
      name: 'uv run --module becomes python -m',
      input: `${RT}CMD ["uv", "run", "--module", "app.worker"]\n`,
      output: `${RT}CMD ["python", "-m", "app.worker"]\n`,
    },
    {
      name: 'shell form uv --directory: cd before the program',
      input: `${RT}CMD uv --directory src run gunicorn app:app\n`,
      output: `${RT}CMD cd src && gunicorn app:app\n`,
    },
    {
      name: 'uv --directory inside sh -c',
      input: `${RT}CMD ["sh", "-c", "uv run alembic upgrade head && exec uv run --directory src gunicorn app:app"]\n`,
      output: `${RT}CMD ["sh", "-c", "alembic upgrade head && cd src && exec gunicorn app:app"]\n`,
    },
    {
      name: 'uv run --extra the build syncs',
      input: `FROM python:3.12-slim AS b\nRUN uv sync --frozen --all-extras\n${RT}CMD ["uv", "run", "--extra", "pg", "app"]\n`,
      output: `FROM python:3.12-slim AS b\nRUN uv sync --frozen --all-extras\n${RT}CMD ["app"]\n`,
    },
    {
      name: 'uv run --no-sync --group: nothing installed at start either way',
      input: `${RT}CMD ["uv", "run", "--no-sync", "--group", "web", "app"]\n`,
      output: `${RT}CMD ["app"]\n`,
    },
    {
      name: 'exec form uv --directory',
      input: `${RT}CMD ["uv", "--directory", "src", "run", "gunicorn", "app:app"]\n`,
      output: null,
      messages: [
        /uv --directory src runs the program from src, which exec form cannot say without uv/,
      ],
    },
    {
      name: 'uv run --group the build does not sync',
      input: `FROM python:3.12-slim AS b\nRUN uv sync --frozen --no-dev\n${RT}CMD ["uv", "run", "--group", "web", "app"]\n`,
      output: null,
      messages: [
        /uv run --group web installs it at container start, and the build's uv sync does not/,
      ],
    },
    {
      name: 'uv pip sync at start',
      input: `${RT}CMD uv pip sync requirements.txt && exec app\n`,
      output: null,
      messages: [/`uv pip sync` at start, installing dependencies at run time/],
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
      messages: [/CMD: uv run kept: the venv's bin directory is not on PATH/],
    },
    {
      name: 'venv not on PATH: poetry run kept, and named so',
      input: 'FROM python:3.12-slim\nCMD ["poetry", "run", "python", "bot.py"]\n',
      output: null,
      files: { 'pyproject.toml': '[tool.poetry]\nname = "bot"\n', 'poetry.lock': '' },
      messages: [/CMD: poetry run kept: the venv's bin directory is not on PATH/],
    },
    {
      // Nothing to strip, but the start still fetches a tool: it says so (it was silent).
      name: 'venv not on PATH: uv tool run at start still reported',
      input: 'FROM python:3.14-slim\nCMD ["uv", "tool", "run", "mcpo", "--port", "8000"]\n',
      output: null,
      messages: [/uv tool run fetches and runs a tool at container start/],
    },
  ],
});
