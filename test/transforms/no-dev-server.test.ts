import transform from '../../transforms/no-dev-server.js';
import { transformTable } from '../helpers/transform-table.js';

const F = 'FROM python:3.12-slim\n';

transformTable(transform, {
  valid: [
    {
      name: 'uvicorn without reload',
      input: `${F}CMD ["uvicorn", "app:app", "--host", "0.0.0.0"]\n`,
    },
    { name: 'fastapi run', input: `${F}CMD ["fastapi", "run", "main.py"]\n` },
    {
      name: 'flask run with a STOPSIGNAL of its own, or of the stage it is built on',
      input: `FROM python:3.12-slim AS base\nSTOPSIGNAL SIGQUIT\nFROM base\nCMD ["flask", "run"]\n`,
    },
    {
      name: 'flask run whose reloader stays on through --reload after the flags, by variable',
      input: `${F}ENV FLASK_RUN_RELOAD=1\nCMD ["flask", "run"]\n`,
    },
    {
      name: 'flask run with options from a variable: whether they turn the reloader on cannot be told',
      input: `${F}CMD flask run $FLASK_FLAGS\n`,
    },
    { name: 'an unknown program with --reload', input: `${F}CMD ["myserver", "--reload"]\n` },
    {
      name: 'reload in a builder stage only',
      input: `FROM python:3.12-slim AS b\nCMD uvicorn app:app --reload\n${F}COPY --from=b /app /app\nCMD ["app"]\n`,
    },
    {
      name: 'reload in a development target',
      input: `FROM python:3.12-slim AS base\nFROM base AS dev\nCMD uvicorn app:app --reload\nFROM base AS prod\nCMD ["app"]\n`,
    },
  ],
  invalid: [
    {
      name: 'uvicorn --reload, shell form',
      input: `${F}CMD uvicorn app:app --host 0.0.0.0 --reload\n`,
      output: `${F}CMD uvicorn app:app --host 0.0.0.0\n`,
    },
    {
      name: 'uvicorn reload options with values, exec form',
      input: `${F}CMD ["uvicorn", "app:app", "--reload", "--reload-dir", "src", "--reload-include=*.yaml", "--port", "8000"]\n`,
      output: `${F}CMD ["uvicorn", "app:app", "--port", "8000"]\n`,
    },
    {
      name: 'through uv run and python -m',
      input: `${F}CMD uv run python -m uvicorn app:app --reload\n`,
      output: `${F}CMD uv run python -m uvicorn app:app\n`,
    },
    {
      name: 'gunicorn',
      input: `${F}CMD ["gunicorn", "--reload", "--reload-engine", "inotify", "app:app"]\n`,
      output: `${F}CMD ["gunicorn", "app:app"]\n`,
    },
    {
      name: 'hypercorn',
      input: `${F}CMD hypercorn app:app --reload --bind 0.0.0.0:8000\n`,
      output: `${F}CMD hypercorn app:app --bind 0.0.0.0:8000\n`,
    },
    {
      name: 'flask --debug anywhere; without the reloader it turned on, flask run stops on SIGINT',
      input: `${F}CMD flask --debug run --host 0.0.0.0\n`,
      output: `${F}STOPSIGNAL SIGINT\nCMD flask run --host 0.0.0.0\n`,
      messages: [/flask run .* nothing in it handles SIGTERM.*STOPSIGNAL SIGINT added/],
    },
    {
      name: 'flask run --reload through python -m, exec form',
      input: `${F}ENV FLASK_APP=shop\nCMD ["python", "-m", "flask", "run", "--reload", "--port", "5000"]\n`,
      output: `${F}ENV FLASK_APP=shop\nSTOPSIGNAL SIGINT\nCMD ["python", "-m", "flask", "run", "--port", "5000"]\n`,
    },
    {
      name: 'flask run with no dev flag at all still gets the stop signal it stops on',
      input: `${F}CMD ["flask", "run", "--host=0.0.0.0"]\n`,
      output: `${F}STOPSIGNAL SIGINT\nCMD ["flask", "run", "--host=0.0.0.0"]\n`,
    },
    {
      name: 'flask run after a migration in sh -c',
      input: `${F}CMD ["sh", "-c", "flask db upgrade && exec flask run --debug"]\n`,
      output: `${F}STOPSIGNAL SIGINT\nCMD ["sh", "-c", "flask db upgrade && exec flask run"]\n`,
    },
    {
      name: 'fastapi dev',
      input: `${F}CMD ["fastapi", "dev", "app/main.py", "--reload"]\n`,
      output: `${F}CMD ["fastapi", "run", "app/main.py"]\n`,
      messages: [/0\.0\.0\.0 instead of 127\.0\.0\.1/],
    },
    {
      name: 'streamlit runOnSave',
      input: `${F}CMD streamlit run app.py --server.runOnSave true --server.port 8501\n`,
      output: `${F}CMD streamlit run app.py --server.port 8501\n`,
    },
    {
      name: 'poetry run',
      input: `${F}CMD poetry run uvicorn app:app --reload\n`,
      output: `${F}CMD poetry run uvicorn app:app\n`,
    },
    {
      name: 'after a variable',
      input: `${F}CMD uvicorn app:app --port $PORT --reload\n`,
      output: `${F}CMD uvicorn app:app --port $PORT\n`,
    },
    {
      name: 'Django runserver',
      input: `${F}CMD python manage.py runserver 0.0.0.0:8000\n`,
      output: null,
      messages: [/runserver is a development server/],
    },
    {
      name: 'every runtime target built from one stage',
      input: `FROM python:3.12-slim AS build\nFROM build AS api\nCMD uvicorn app:app --reload\nFROM build AS worker\nCMD ["celery", "-A", "app", "worker"]\n`,
      output: `FROM python:3.12-slim AS build\nFROM build AS api\nCMD uvicorn app:app\nFROM build AS worker\nCMD ["celery", "-A", "app", "worker"]\n`,
    },
    {
      name: 'FLASK_DEBUG',
      input: `${F}ENV FLASK_DEBUG=1\nCMD ["flask", "run"]\n`,
      output: null,
      messages: [/FLASK_DEBUG=1/],
    },
    {
      name: 'FLASK_DEBUG keeps the reloader, which handles SIGTERM: no STOPSIGNAL',
      input: `${F}ENV FLASK_DEBUG=true\nCMD flask run --debug\n`,
      output: `${F}ENV FLASK_DEBUG=true\nCMD flask run\n`,
    },
  ],
});
