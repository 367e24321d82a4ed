import transform from '../../transforms/app-directory.js';
import { transformTable } from '../helpers/transform-table.js';

const F = 'FROM python:3.12-slim\n';
const REQS = { 'requirements.txt': 'flask==3.1.0\ngunicorn==23.0.0\n' };

transformTable(transform, {
  valid: [
    {
      name: 'a WORKDIR already',
      input: `${F}WORKDIR /srv\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "wsgi:app"]\n`,
      files: REQS,
    },
    {
      name: 'nothing installed (no layout to split, nothing to move for)',
      input: `${F}COPY app.py .\nCMD ["python", "app.py"]\n`,
      files: {},
    },
    {
      name: 'no start command (a base image)',
      input: `${F}COPY . .\nRUN pip install -r requirements.txt\n`,
      files: REQS,
    },
    {
      name: 'several stages',
      input: `FROM python:3.12 AS build\nRUN pip wheel -w /w flask\n${F}COPY --from=build /w /w\nRUN pip install /w/*.whl\nCMD ["flask", "run"]\n`,
      files: {},
    },
    {
      name: 'an image whose Python cannot be told',
      input:
        'FROM ubuntu:24.04\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "wsgi:app"]\n',
      files: REQS,
    },
  ],
  invalid: [
    {
      name: 'the app copied into / gets WORKDIR /app before the first copy',
      input: `${F}RUN pip install --upgrade pip\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "wsgi:app"]\n`,
      output: `${F}RUN pip install --upgrade pip\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "wsgi:app"]\n`,
      files: REQS,
      messages: [/the app lived in \/ \(no WORKDIR\): WORKDIR \/app before COPY/],
    },
    {
      name: 'with its comment kept above the copy, and for a Poetry project too',
      input: `${F}RUN pip install poetry==2.1.3\n# the project\nCOPY . .\nRUN poetry install\nCMD ["poetry", "run", "uvicorn", "main:app"]\n`,
      output: `${F}RUN pip install poetry==2.1.3\nWORKDIR /app\n# the project\nCOPY . .\nRUN poetry install\nCMD ["poetry", "run", "uvicorn", "main:app"]\n`,
      files: { 'pyproject.toml': '[tool.poetry]\nname = "app"\n', 'poetry.lock': '' },
    },
    {
      name: 'nothing copied: before the install, with /tmp copies left where they are',
      input: `${F}COPY *.whl /tmp/\nRUN pip install /tmp/*.whl\nENTRYPOINT ["python", "-m", "example"]\n`,
      output: `${F}WORKDIR /app\nCOPY *.whl /tmp/\nRUN pip install /tmp/*.whl\nENTRYPOINT ["python", "-m", "example"]\n`,
      files: {},
    },
    {
      name: 'a path into /app already in the file keeps the app at the root, even where others could follow',
      input: `${F}COPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY startup.sh .\nCOPY app app\nRUN ["chmod", "+x", "/startup.sh"]\nCMD /startup.sh --app /app/main.py\n`,
      output: null,
      files: REQS,
      messages: [/the file already names \/app/],
    },
    {
      name: 'a file copied to the root by name, named there, follows it into /app',
      input: `${F}COPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY startup.sh .\nRUN ["chmod", "+x", "/startup.sh"]\nCMD /startup.sh\n`,
      output: `${F}WORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY startup.sh .\nRUN ["chmod", "+x", "/app/startup.sh"]\nCMD /app/startup.sh\n`,
      files: REQS,
      messages: [/the paths that named copied files at the root now name them in \/app/],
    },
    {
      name: 'a copy to an absolute destination is reported',
      input: `${F}COPY pyproject.toml poetry.lock ./\nRUN pip install poetry && poetry install --only main\nCOPY ./app /srv/app\nCMD ["poetry", "run", "python", "-m", "app.main"]\n`,
      output: null,
      files: { 'pyproject.toml': '[tool.poetry]\nname = "app"\n', 'poetry.lock': '' },
      messages: [/this copy writes to \/srv\/app by its absolute path/],
    },
    {
      name: 'a start script named at the root is reported',
      input: `${F}COPY . .\nRUN pip install -r requirements.txt\nRUN chmod +x /startup.sh\nCMD ["/startup.sh"]\n`,
      output: null,
      files: REQS,
      messages: [/RUN names \/startup\.sh at the root/],
    },
    {
      name: 'a file that already names /app is reported',
      input: `${F}COPY . .\nRUN pip install -r requirements.txt\nENV DATA=/app/data\nCMD ["gunicorn", "wsgi:app"]\n`,
      output: null,
      files: REQS,
      messages: [/the file already names \/app/],
    },
  ],
});
