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
      name: 'a builder stage in shell form',
      input: `FROM python:3.12-slim AS b\nCMD make\n${F}CMD ["app"]\n`,
    },
    {
      name: 'ENTRYPOINT exec + CMD shell args? CMD exec',
      input: `${F}ENTRYPOINT ["/init"]\nCMD ["app"]\n`,
    },
  ],
  invalid: [
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
      name: 'invalid JSON is reported',
      input: `${F}CMD ['python', '-m', 'app']\n`,
      output: null,
      messages: [/not valid JSON/],
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
