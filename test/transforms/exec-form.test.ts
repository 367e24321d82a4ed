import transform from '../../transforms/exec-form.js';
import { transformTable } from '../helpers/transform-table.js';

const F = 'FROM python:3.12-slim\n';

transformTable(transform, {
  valid: [
    { name: 'exec form', input: `${F}CMD ["uvicorn", "app:app"]\n` },
    {
      name: 'sh -c with exec',
      input: `${F}CMD ["sh", "-c", "exec uvicorn app:app --port $PORT"]\n`,
    },
    {
      name: 'a builder stage in shell form (the final stage copies from it: no target)',
      input: `FROM python:3.12-slim AS b\nCMD make\n${F}COPY --from=b /app /app\nCMD ["app"]\n`,
    },
    {
      name: 'ENTRYPOINT exec + CMD shell args? CMD exec',
      input: `${F}ENTRYPOINT ["/init"]\nCMD ["app"]\n`,
    },
    { name: 'blanks inside the brackets', input: `${F}CMD [ "uvicorn", "app:app" ]\n` },
    { name: 'blanks after the array', input: `${F}CMD ["uvicorn", "app:app"]   \n` },
    {
      name: 'JSON escapes inside sh -c',
      input: `${F}CMD ["sh", "-c", "exec echo \\"hi\\" \\u00e9"]\n`,
    },
    { name: 'an empty array', input: `${F}CMD []\n` },
    {
      name: 'a continued array with a comment line inside',
      input: `${F}CMD ["uvicorn", \\\n    # the API\n    "app:app"]\n`,
    },
    {
      name: 'an array that is not JSON in a builder stage',
      input: `FROM python:3.12-slim AS b\nCMD ['make']\n${F}COPY --from=b /app /app\nCMD ["app"]\n`,
    },
  ],
  invalid: [
    {
      name: 'a script without a #! line stays in shell form: only a shell can run it',
      input: `${F}COPY ./src /src\nCMD /src/run_worker.sh\n`,
      output: null,
      files: { 'src/run_worker.sh': 'python /src/main.py\n' },
      messages: [/CMD runs src\/run_worker\.sh, which has no #! line: only a shell can run it/],
    },
    {
      name: 'a script with a #! line goes to exec form',
      input: `${F}COPY ./src /src\nCMD /src/run_worker.sh\n`,
      output: `${F}COPY ./src /src\nCMD ["/src/run_worker.sh"]\n`,
      files: { 'src/run_worker.sh': '#!/bin/sh\nexec python /src/main.py\n' },
    },
    {
      name: 'a Python program with no SIGTERM handler is told so, not changed',
      input: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "-m", "jobs.worker"]\n',
      files: { 'jobs/worker.py': 'import time\n\nwhile True:\n    time.sleep(5)\n' },
      output: null,
      messages: [/nothing in jobs\/worker\.py or the project modules it imports handles SIGTERM/],
    },
    {
      name: 'every target is converted, not only the last stage',
      input: `FROM python:3.12-slim AS api\nCMD uvicorn app:app\n\nFROM python:3.12-slim AS worker\nCMD celery -A app worker\n`,
      output: `FROM python:3.12-slim AS api\nCMD ["uvicorn", "app:app"]\n\nFROM python:3.12-slim AS worker\nCMD ["celery", "-A", "app", "worker"]\n`,
    },
    {
      name: 'literal words',
      input: `${F}CMD uvicorn app:app --host 0.0.0.0 --port 8000\n`,
      output: `${F}CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "8000"]\n`,
    },
    {
      name: 'quoted words are unquoted',
      input: `${F}CMD python -c "print('hi there')"\n`,
      output: `${F}CMD ["python", "-c", "print('hi there')"]\n`,
    },
    {
      name: 'a variable needs the shell',
      input: `${F}CMD uvicorn app:app --port \${PORT}\n`,
      output: `${F}CMD ["sh", "-c", "exec uvicorn app:app --port \${PORT}"]\n`,
    },
    {
      name: 'an && list: exec before the last command',
      input: `${F}CMD alembic upgrade head && uvicorn app:app\n`,
      output: `${F}CMD ["sh", "-c", "alembic upgrade head && exec uvicorn app:app"]\n`,
    },
    {
      name: 'an existing exec is not doubled',
      input: `${F}CMD exec uvicorn app:app\n`,
      output: `${F}CMD ["uvicorn", "app:app"]\n`,
    },
    {
      name: 'exec after the assignments that prefix the command',
      input: `${F}CMD alembic upgrade head && GRANIAN_WORKERS=$(nproc) granian app:app\n`,
      output: `${F}CMD ["sh", "-c", "alembic upgrade head && GRANIAN_WORKERS=$(nproc) exec granian app:app"]\n`,
    },
    {
      name: 'sh -c with assignments: exec after them',
      input: `${F}CMD ["sh", "-c", "PORT=8000 uvicorn app:app"]\n`,
      output: `${F}CMD ["sh", "-c", "PORT=8000 exec uvicorn app:app"]\n`,
    },
    {
      name: 'SHELL of the stage is used',
      input: `${F}SHELL ["/bin/bash", "-c"]\nCMD uvicorn app:app --port $PORT\n`,
      output: `${F}SHELL ["/bin/bash", "-c"]\nCMD ["/bin/bash", "-c", "exec uvicorn app:app --port $PORT"]\n`,
    },
    {
      name: 'sh -c without exec',
      input: `${F}CMD ["sh", "-c", "uvicorn app:app --port $PORT"]\n`,
      output: `${F}CMD ["sh", "-c", "exec uvicorn app:app --port $PORT"]\n`,
    },
    {
      name: 'a shell comment after the command becomes a line above',
      input: `${F}CMD uvicorn app:app # the API\n`,
      output: `${F}# the API\nCMD ["uvicorn", "app:app"]\n`,
    },
    {
      name: 'comment lines inside the continuation move above',
      input: `${F}CMD uvicorn app:app \\\n    # bind everywhere\n    --host 0.0.0.0`,
      output: `${F}# bind everywhere\nCMD ["uvicorn", "app:app", "--host", "0.0.0.0"]`,
    },
    {
      name: 'ENTRYPOINT alone',
      input: `${F}ENTRYPOINT ./docker-entrypoint.sh\n`,
      output: `${F}ENTRYPOINT ["./docker-entrypoint.sh"]\n`,
    },
    {
      name: 'CRLF',
      input: 'FROM python:3.12-slim\r\nCMD python -m app\r\n',
      output: 'FROM python:3.12-slim\r\nCMD ["python", "-m", "app"]\r\n',
    },
    {
      name: 'single quotes become double quotes: Docker ran the text as a shell command',
      input: `${F}CMD ['python', '-m', 'app']\n`,
      output: `${F}CMD ["python", "-m", "app"]\n`,
      messages: [
        /^CMD is not exec form \(single quotes are not JSON\): Docker runs it as a shell command \(\/bin\/sh -c\), where it fails at start; now CMD \["python", "-m", "app"\]$/,
      ],
    },
    {
      name: 'single quotes around a double quote',
      input: `${F}CMD ['python', '-c', 'print("hi")']\n`,
      output: `${F}CMD ["python", "-c", "print(\\"hi\\")"]\n`,
    },
    {
      name: 'a comment after the array moves to the line above',
      input: `${F}CMD ["uvicorn", "app:app"]  # the API\n`,
      output: `${F}# the API\nCMD ["uvicorn", "app:app"]\n`,
      messages: [
        /^CMD is not exec form \(`# the API` after the array is part of its text: a comment must start its line\): Docker runs it as a shell command/,
      ],
    },
    {
      name: 'a comment right after the bracket, below a comment block',
      input: `${F}# start\nENTRYPOINT ["./entrypoint.sh"]#   tini is in the script\n`,
      output: `${F}# start\n#   tini is in the script\nENTRYPOINT ["./entrypoint.sh"]\n`,
    },
    {
      name: 'single quotes and a comment',
      input: `${F}CMD ['uvicorn', "app:app"] # the API\n`,
      output: `${F}# the API\nCMD ["uvicorn", "app:app"]\n`,
      messages: [/\(single quotes are not JSON; `# the API` after the array/],
    },
    {
      name: 'a comment after a continued array, CRLF, no final newline',
      input: 'FROM python:3.12-slim\r\nCMD ["uvicorn", \\\r\n    "app:app"] # the API',
      output: 'FROM python:3.12-slim\r\n# the API\r\nCMD ["uvicorn", \\\r\n    "app:app"]',
    },
    {
      name: 'a comment after an empty array',
      input: `${F}CMD [] # set by compose\n`,
      output: `${F}# set by compose\nCMD []\n`,
    },
    {
      name: 'an array never closed is reported, not guessed',
      input: `${F}CMD ["uvicorn", "app:app"\n`,
      output: null,
      messages: [
        /^CMD is written like an exec-form array but is not valid JSON, so Docker runs the text as a shell command \(\/bin\/sh -c\), which fails at start; left as is/,
      ],
    },
    {
      name: 'a trailing comma is reported',
      input: `${F}CMD ["uvicorn", "app:app",]\n`,
      output: null,
      messages: [/not valid JSON/],
    },
    {
      name: 'a command after the array is reported',
      input: `${F}CMD ["alembic", "upgrade", "head"] && ["serve"]\n`,
      output: null,
      messages: [/not valid JSON/],
    },
    {
      name: 'a backslash inside single quotes is reported (the shell keeps it, JSON would not)',
      input: `${F}CMD ['python', '-c', 'print("a\\\\nb")']\n`,
      output: null,
      messages: [/not valid JSON/],
    },
    {
      name: 'a shell test is shell form, not a broken array',
      input: `${F}CMD [ -f /app/ready ] && uvicorn app:app\n`,
      output: `${F}CMD ["sh", "-c", "[ -f /app/ready ] && exec uvicorn app:app"]\n`,
    },
    {
      name: 'a quoted shell test is shell form too',
      input: `${F}CMD [ "$MODE" = api ] && uvicorn app:app\n`,
      output: `${F}CMD ["sh", "-c", "[ \\"$MODE\\" = api ] && exec uvicorn app:app"]\n`,
    },
    {
      name: 'a pipeline is reported',
      input: `${F}CMD app | tee /tmp/log\n`,
      output: null,
      messages: [/pipeline or a background job/],
    },
    {
      name: 'shell ENTRYPOINT beside a CMD is reported',
      input: `${F}ENTRYPOINT ./start.sh\nCMD ["app"]\n`,
      output: null,
      messages: [/would receive CMD as arguments/],
    },
  ],
});
