/**
 * ENV POETRY_VIRTUALENVS_CREATE=false              ENV POETRY_VIRTUALENVS_IN_PROJECT=true
 * RUN pip install poetry                      ->   RUN pip install poetry==2.5.1
 * COPY pyproject.toml poetry.lock ./               COPY pyproject.toml poetry.lock ./
 * RUN poetry install --no-root --no-dev            RUN poetry install --only main --no-root
 * COPY . .                                         COPY . .
 *                                                  RUN poetry install --only-root
 *
 * A Poetry project (core/poetry.ts decides) whose single stage runs `poetry install`: Poetry makes
 * its venv in the app directory (`<app>/.venv`), so multi-stage splits the stage like one that runs
 * uv sync and the runtime receives the app directory with the venv, without Poetry. Dependencies
 * only (`--only main`, or `--without dev` for a lockfile Poetry 1 wrote) before the source, the
 * project itself after it. Poetry is pinned where the Dockerfile does not pin it. pyproject.toml
 * and poetry.lock are never changed, and uv is never brought in.
 *
 * The official installer script (`curl -sSL https://install.python-poetry.org | python3 -`) becomes
 * `pip install poetry==X` with the release it was given (`--version`, POETRY_VERSION) or the default.
 *
 * Reported, not changed: `poetry config virtualenvs.create false`, an installer script given other
 * options or saved to a file first, Poetry called by the installer's path, another
 * venv (VIRTUAL_ENV, POETRY_VIRTUALENVS_PATH), installs at start, a non-root USER before the install.
 */
import { defineTransform } from '../src/core/transform.js';
import { toolPipInstall } from '../src/core/pip.js';
import type { Instr } from '../src/core/document.js';
import { dropWords } from '../src/core/command.js';
import { poetryEnv, poetryInstallerScript, poetryProject } from '../src/core/poetry.js';
import type { Edit } from '../src/core/types.js';

export default defineTransform({
  id: 'poetry-venv',
  title: 'Install a Poetry project into a venv in the app directory',
  rationale:
    'Poetry installs into a venv in its cache, or with virtualenvs.create off into the system ' +
    "Python: neither reaches a slim runtime stage without the builder's whole Python. With " +
    'POETRY_VIRTUALENVS_IN_PROJECT the venv is `.venv` in the app directory and travels with it; ' +
    'the dependencies are installed before the source so a code change does not reinstall them, and ' +
    'Poetry stays in the builder. Moving the project to uv is a separate step.',
  uvOnly: false,
  detect(doc, ctx, options) {
    const project = poetryProject(doc, ctx);
    if (project.kind === 'none') return [];
    if (project.kind === 'blocked')
      return [
        {
          message: `a Poetry project, kept in its single stage: ${project.why}`,
          range: { start: project.instr.start, end: project.instr.end },
          severity: 'warning',
        },
      ];
    const { stage, installs } = project;
    const edits: Edit[] = [];
    const notes: string[] = [];
    const env = poetryEnv(doc, stage);
    if (!env.inProject) {
      const create = env.noVenv
        ? doc.properties(env.noVenv).find((p) => p.name === 'POETRY_VIRTUALENVS_CREATE')
        : undefined;
      const start = create ? create.valueStart - create.name.length - 1 : -1;
      if (create && doc.text.slice(start, create.valueStart) === `${create.name}=`)
        edits.push({
          start,
          end: create.valueEnd,
          text: 'POETRY_VIRTUALENVS_IN_PROJECT=true',
        });
      else if (env.noVenv)
        return [
          {
            message:
              'a Poetry project, kept in its single stage: POETRY_VIRTUALENVS_CREATE is off in a form that cannot be rewritten',
            range: { start: env.noVenv.start, end: env.noVenv.end },
            severity: 'warning',
          },
        ];
      else
        edits.push(
          doc.insertBefore(installs[0].instr, ['ENV POETRY_VIRTUALENVS_IN_PROJECT=true'], true),
        );
      notes.push(
        `Poetry installs into a venv in the app directory (${project.app}/.venv) with POETRY_VIRTUALENVS_IN_PROJECT, so a runtime stage can receive it without Poetry`,
      );
    }
    const script = poetryInstallerScript(doc, stage);
    if (script) {
      const version = script.version ?? options.poetryVersion;
      const spec = version.includes('$') ? `"poetry==${version}"` : `poetry==${version}`;
      edits.push({ start: script.start, end: script.end, text: `pip install ${spec}` });
      notes.push(
        `the installer script is replaced by \`pip install ${spec}\`: a pinned Poetry in the builder's system Python, which the runtime stage does not receive`,
      );
    }
    const pip = toolPipInstall(doc, stage, 'poetry', true);
    const poetryWord =
      pip?.packages.findIndex((p) => p !== null && /^poetry(\[[^\]]*\])?$/i.test(p)) ?? -1;
    if (pip && poetryWord >= 0) {
      const positional = pip.command.words.filter((w) => w.value === pip.packages[poetryWord]);
      const word = positional.at(-1)!;
      edits.push({ start: word.end, end: word.end, text: `==${options.poetryVersion}` });
      notes.push(
        `Poetry pinned to ${options.poetryVersion}: an unpinned Poetry changes between builds`,
      );
    }
    const groups = ctx.pyproject?.dependencyGroups ?? [];
    const only =
      project.lockMajor === 1 && groups.includes('dev') ? ['--without', 'dev'] : ['--only', 'main'];
    const sourceCopies = stage.instructions.filter(
      (i) =>
        (i.keyword === 'COPY' || i.keyword === 'ADD') && !i.flags.some((f) => f.name === 'from'),
    );
    let needsRoot: Instr | null = null;
    for (const call of installs) {
      if (call.onlyRoot) continue;
      const words = { form: 'shell' as const, words: call.command.words };
      const names = call.options.map((o) => o.name);
      for (const o of call.options)
        if (o.name === '--no-dev' || o.name === '--with' || o.name === '--all-groups')
          edits.push(dropWords(words, o.index, o.index + (o.name === '--with' ? 2 : 1)));
      if (!names.includes('--only') && !names.includes('--without')) {
        const at = call.command.words[call.at];
        edits.push({ start: at.end, end: at.end, text: ` ${only.join(' ')}` });
        notes.push(
          `poetry install ${only.join(' ')}: production gets the main dependencies, not the development groups`,
        );
      }
      const later = sourceCopies.filter((c) => c.index > call.instr.index);
      if (call.noRoot && later.length > 0) needsRoot = later.at(-1)!;
    }
    const rooted = installs.some(
      (c) => c.onlyRoot || (!c.noRoot && needsRoot && c.instr.index > needsRoot.index),
    );
    if (needsRoot && !rooted && ctx.pyproject?.poetryPackage !== false) {
      edits.push(doc.insertAfter(needsRoot, ['RUN poetry install --only-root']));
      notes.push(
        'the project itself is installed after the source copy (`poetry install --only-root`): once `poetry run` is gone nothing else would put its package and console scripts into the venv',
      );
    }
    if (edits.length === 0) return [];
    return [
      {
        message: notes.join('; '),
        range: { start: installs[0].instr.start, end: installs[0].instr.end },
        edits,
      },
    ];
  },
});
