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
      name: 'every copy writing into /src by absolute path, which the start command names: WORKDIR /src, nothing moved',
      input: `${F}COPY ./src /src\nENV PYTHONPATH "/"\nRUN pip3 install -r /src/requirements.txt\nCMD /src/run_worker.sh\n`,
      output: `${F}WORKDIR /src\nCOPY ./src /src\nENV PYTHONPATH "/"\nRUN pip3 install -r /src/requirements.txt\nCMD /src/run_worker.sh\n`,
      files: {},
      messages: [
        /its files copied to \/src by absolute path, and the start command runs from there: WORKDIR \/src before COPY makes it the app directory/,
      ],
    },
    {
      name: 'copies by absolute path into two directories are reported',
      input: `${F}COPY ./src /src\nCOPY ./config /config\nRUN pip install -r /src/requirements.txt\nCMD ["python", "/src/main.py"]\n`,
      output: null,
      files: {},
      messages: [/copied by absolute paths to \/src and \/config: no one directory holds the app/],
    },
    {
      name: 'a directory copied by absolute path that the start command does not name is reported',
      input: `${F}COPY ./src /src\nRUN pip install -r /src/requirements.txt\nCMD ["gunicorn", "src.wsgi:app"]\n`,
      output: null,
      files: {},
      messages: [
        /the start command does not name \/src, so whether the program runs from there cannot be told; add WORKDIR \/src/,
      ],
    },
    {
      name: 'a single file copied to the root by absolute path is reported: it is no directory',
      input: `${F}COPY main.py /main.py\nRUN pip install flask\nCMD ["python", "/main.py"]\n`,
      output: null,
      files: {},
      messages: [
        /writes to \/main\.py by its absolute path, which may be a file rather than a directory/,
      ],
    },
    {
      name: 'the app copied into a system directory is reported',
      input: `${F}COPY . /usr/src/app\nRUN pip install -r /usr/src/app/requirements.txt\nCMD ["python", "/usr/src/app/main.py"]\n`,
      output: null,
      files: {},
      messages: [/writes to \/usr\/src\/app, a system directory/],
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
