import transform from '../../transforms/pipenv-venv.js';
import { transformTable } from '../helpers/transform-table.js';

const PIPENV = {
  Pipfile: '[packages]\nflask = "*"\ngunicorn = "*"\n\n[dev-packages]\npytest = "*"\n',
  'Pipfile.lock': '{"_meta": {}, "default": {}, "develop": {}}\n',
};
const FROM = 'FROM python:3.12-slim-trixie\nWORKDIR /app\n';
const DEPS = 'COPY Pipfile Pipfile.lock ./\n';
const START = 'COPY . .\nCMD ["gunicorn", "shop:app"]\n';

transformTable(transform, {
  valid: [
    {
      name: 'its own output',
      input: `${FROM}RUN pip install pipenv==2026.10.3\n${DEPS}ENV PIPENV_VENV_IN_PROJECT=1\nRUN pipenv install --deploy\n${START}`,
      files: PIPENV,
    },
    {
      name: 'pipenv sync installs the lock as it is, with no --deploy to add',
      input: `${FROM}ENV PIPENV_VENV_IN_PROJECT=true\nRUN pip install "pipenv==$PIPENV_VERSION"\n${DEPS}RUN pipenv sync\n${START}`,
      files: PIPENV,
    },
    {
      name: 'an export with a pinned Pipenv that has `pipenv requirements` is left to pip-venv',
      input: `${FROM}RUN pip install pipenv==2024.4.1\n${DEPS}RUN pipenv requirements > requirements.txt && pip install -r requirements.txt\n${START}`,
      files: PIPENV,
    },
    {
      name: 'a Poetry project is not a Pipenv project',
      input: `${FROM}RUN pip install pipenv\n${DEPS}RUN pipenv install --system\n${START}`,
      files: { ...PIPENV, 'pyproject.toml': '[tool.poetry]\nname = "shop"\n' },
    },
  ],
  invalid: [
    {
      name: '--system into the in-project venv, Pipenv pinned, --deploy kept',
      input: `${FROM}RUN pip install --no-cache-dir pipenv\n${DEPS}RUN pipenv install --system --deploy\n${START}`,
      output: `${FROM}RUN pip install --no-cache-dir pipenv==2026.10.3\n${DEPS}ENV PIPENV_VENV_IN_PROJECT=1\nRUN pipenv install --deploy\n${START}`,
      files: PIPENV,
      messages: [/\/app\/\.venv/, /pinned to 2026\.10\.3/, /`--system` dropped/],
    },
    {
      name: '--dev dropped and --deploy added where Pipfile.lock exists; the version is an option',
      input: `${FROM}RUN pip install pipenv\n${DEPS}ENV PIPENV_VENV_IN_PROJECT=1\nRUN pipenv install --dev --ignore-pipfile\n${START}`,
      output: `${FROM}RUN pip install pipenv==2024.4.1\n${DEPS}ENV PIPENV_VENV_IN_PROJECT=1\nRUN pipenv install --deploy --ignore-pipfile\n${START}`,
      files: PIPENV,
      options: { pipenvVersion: '2024.4.1' },
      messages: [/`--dev` dropped/, /--deploy/],
    },
    {
      name: 'pipenv install --deploy --ignore-pipfile is an install from the lock: only --system goes',
      input: `${FROM}RUN pip install pipenv==2024.4.1\n${DEPS}RUN pipenv install --deploy --ignore-pipfile --system\n${START}`,
      output: `${FROM}RUN pip install pipenv==2024.4.1\n${DEPS}ENV PIPENV_VENV_IN_PROJECT=1\nRUN pipenv install --deploy --ignore-pipfile\n${START}`,
      files: PIPENV,
      messages: [/`--system` dropped/],
    },
    {
      name: 'pipenv sync (by python -m pipenv) is an install of the lock: --dev and --system go, and no --deploy is added',
      input: `${FROM}RUN pip install pipenv==2024.4.1\n${DEPS}RUN python -m pipenv sync --dev --system\n${START}`,
      output: `${FROM}RUN pip install pipenv==2024.4.1\n${DEPS}ENV PIPENV_VENV_IN_PROJECT=1\nRUN python -m pipenv sync\n${START}`,
      files: PIPENV,
      messages: [/`--dev` dropped/, /`--system` dropped/],
    },
    {
      name: 'pipenv requirements then pip: the model is kept, Pipenv pinned, --dev left out of the export',
      input: `${FROM}RUN pip install pipenv\n${DEPS}RUN pipenv requirements --dev > requirements.txt && pip install -r requirements.txt\n${START}`,
      output: `${FROM}RUN pip install pipenv==2026.10.3\n${DEPS}RUN pipenv requirements > requirements.txt && pip install -r requirements.txt\n${START}`,
      files: PIPENV,
      messages: [
        /exports the lock for pip/,
        /pinned to 2026\.10\.3/,
        /`--dev` dropped from the export/,
      ],
    },
    {
      name: 'pipenv lock -r under a Pipenv that still has it (2022.1.8) is kept, its -d dropped',
      input: `${FROM}RUN pip install pipenv==2022.1.8\n${DEPS}RUN pipenv lock -r -d > requirements.txt\nRUN pip install -r requirements.txt\n${START}`,
      output: `${FROM}RUN pip install pipenv==2022.1.8\n${DEPS}RUN pipenv lock -r > requirements.txt\nRUN pip install -r requirements.txt\n${START}`,
      files: PIPENV,
    },
    {
      name: 'pipenv lock -r under a Pipenv that no longer has it becomes pipenv requirements',
      input: `${FROM}ARG PIPENV_VERSION=2023.12.1\nRUN pip install "pipenv==$PIPENV_VERSION"\n${DEPS}RUN pipenv lock --requirements > requirements.txt\nRUN pip install -r requirements.txt\n${START}`,
      output: `${FROM}ARG PIPENV_VERSION=2023.12.1\nRUN pip install "pipenv==$PIPENV_VERSION"\n${DEPS}RUN pipenv requirements > requirements.txt\nRUN pip install -r requirements.txt\n${START}`,
      files: PIPENV,
      messages: [/Pipenv 2023\.12\.1 no longer has `lock -r`/],
    },
    {
      name: 'pipenv lock -r with no Pipfile.lock for pipenv requirements to read: Pipenv pinned, the rest reported',
      input: `${FROM}RUN pip install pipenv\nCOPY Pipfile ./\nRUN pipenv lock -r > requirements.txt\nRUN pip install -r requirements.txt\n${START}`,
      output: `${FROM}RUN pip install pipenv==2026.10.3\nCOPY Pipfile ./\nRUN pipenv lock -r > requirements.txt\nRUN pip install -r requirements.txt\n${START}`,
      files: { Pipfile: PIPENV.Pipfile },
      messages: [/no Pipfile\.lock for `pipenv requirements` to read/],
    },
    {
      name: 'pipenv lock -r under a Pipenv whose release cannot be told is reported',
      input: `${FROM}ARG PIPENV_VERSION\nRUN pip install "pipenv==$PIPENV_VERSION"\n${DEPS}RUN pipenv lock -r > requirements.txt\nRUN pip install -r requirements.txt\n${START}`,
      output: null,
      files: PIPENV,
      messages: [
        /which Pipenv the builder installs cannot be told: Pipenv's release comes from \$PIPENV_VERSION/,
      ],
    },
    {
      name: 'no Pipfile.lock: no --deploy, which would need one',
      input: `${FROM}RUN pip install pipenv==2024.4.1\n${DEPS}RUN pipenv install -d\n${START}`,
      output: `${FROM}RUN pip install pipenv==2024.4.1\n${DEPS}ENV PIPENV_VENV_IN_PROJECT=1\nRUN pipenv install\n${START}`,
      files: { Pipfile: PIPENV.Pipfile },
    },
    {
      name: 'an install after COPY . . moves before it, with the pip install of Pipenv and its edits',
      input: `${FROM}COPY . .\nRUN pip install pipenv\n# the lock, as pinned\nRUN pipenv install --system --deploy\nCMD ["gunicorn", "shop:app"]\n`,
      output: `${FROM}COPY Pipfile Pipfile.lock ./\nRUN pip install pipenv==2026.10.3\nENV PIPENV_VENV_IN_PROJECT=1\n# the lock, as pinned\nRUN pipenv install --deploy\nCOPY . .\nCMD ["gunicorn", "shop:app"]\n`,
      files: PIPENV,
      messages: [/moved before `COPY \. \.`/],
    },
    {
      name: 'an install after the source copy in a RUN that does more is reported, not moved',
      input: `${FROM}RUN pip install pipenv\nCOPY . .\nRUN pipenv install --deploy && python manage.py collectstatic\nCMD ["gunicorn", "shop:app"]\n`,
      output: `${FROM}RUN pip install pipenv==2026.10.3\nCOPY . .\nENV PIPENV_VENV_IN_PROJECT=1\nRUN pipenv install --deploy && python manage.py collectstatic\nCMD ["gunicorn", "shop:app"]\n`,
      files: PIPENV,
      messages: [/stays after the source copy, in a shape not moved/],
    },
    {
      name: 'a Pipfile that installs the project from its path keeps the install after the source: reported',
      input: `${FROM}RUN pip install pipenv==2026.10.3\nCOPY . .\nENV PIPENV_VENV_IN_PROJECT=1\nRUN pipenv install --deploy\nCMD ["gunicorn", "shop:app"]\n`,
      output: null,
      files: { ...PIPENV, Pipfile: '[packages]\nshop = {path = ".", editable = true}\n' },
      messages: [/the Pipfile installs from a path/],
    },
    {
      name: 'packages named on pipenv install are reported: they would change the Pipfile',
      input: `${FROM}RUN pip install pipenv\n${DEPS}RUN pipenv install --system gunicorn\n${START}`,
      output: null,
      files: PIPENV,
      messages: [/adds packages to the Pipfile/],
    },
    {
      name: 'Pipenv from elsewhere than pip is reported',
      input: `${FROM}RUN apt-get update && apt-get install -y pipenv\n${DEPS}RUN pipenv install --system\n${START}`,
      output: null,
      files: PIPENV,
      messages: [/how Pipenv gets into the image/],
    },
    {
      name: 'WORKON_HOME puts the venv elsewhere: reported',
      input: `${FROM}ENV WORKON_HOME=/venvs\nRUN pip install pipenv\n${DEPS}RUN pipenv install\n${START}`,
      output: null,
      files: PIPENV,
      messages: [/WORKON_HOME is set/],
    },
  ],
});
