/**
 * A fast-check grammar of Dockerfiles as legacy Python services write them: legacy uv patterns and
 * hardened ones, comments, blank lines, continuations with comment lines inside, heredocs, JSON and
 * shell forms, ARG before FROM, several stages, CRLF, BOM, the backtick escape, and a random project
 * around the file (pyproject.toml, uv.lock, .python-version, .dockerignore, an entrypoint script).
 */
import fc from 'fast-check';

export interface Project {
  /** Every file of the build context, the Dockerfile included, by path. */
  tree: Record<string, string>;
  dockerfile: 'Dockerfile';
  eol: '\n' | '\r\n';
  /** Full comment lines of the Dockerfile (without their line ending), in order. */
  comments: string[];
  /** Runs of comment lines directly above an instruction, with that instruction's first line. */
  blocks: { lines: string[]; instruction: string }[];
}

/**
 * The full comment lines of a Dockerfile outside heredoc bodies (there `#` belongs to the script),
 * and the blocks of them that document the instruction right below.
 */
export function commentsOf(lines: string[], escape: string): Pick<Project, 'comments' | 'blocks'> {
  const comments: string[] = [];
  const blocks: Project['blocks'] = [];
  let heredoc: string | null = null;
  let continued = false;
  let run: string[] = [];
  for (const line of lines) {
    if (heredoc !== null) {
      if (line.replace(/^\t+/, '') === heredoc) heredoc = null;
      continue;
    }
    const isComment = line.trimStart().startsWith('#');
    if (isComment) {
      comments.push(line);
      if (!continued) run.push(line);
      continue;
    }
    if (line.trim() === '') {
      run = [];
      continue;
    }
    if (!continued && run.length > 0) {
      blocks.push({ lines: run, instruction: line.trim() });
    }
    run = [];
    const open = /<<-?(\w+)/.exec(line);
    if (open) heredoc = open[1];
    continued = line.trimEnd().endsWith(escape);
  }
  return { comments, blocks };
}

/** One source line or a group of lines that belong together (a continued instruction, a heredoc). */
type Lines = string[];

const images = fc.constantFrom(
  'python:latest',
  'python:3',
  'python:3.11',
  'python:3.12-slim',
  'python:3.13-slim-bookworm',
  'python:3.12-alpine',
  'python:${PYTHON_VERSION}-slim',
  'ghcr.io/astral-sh/uv:python3.12-bookworm-slim',
  'ubuntu:24.04',
  'debian:bookworm-slim',
);

const comment = fc
  .constantFrom(
    'install the tools',
    'dependencies first',
    'TODO: pin this',
    'the API',
    '',
    ' spaced',
    'uv sync --locked',
    'CMD ["not", "an", "instruction"]',
    'é ünïcode ✓',
  )
  .map((t) => `#${t === '' ? '' : ' '}${t}`);

const cmdWords = fc.constantFrom(
  ['uv', 'run', 'uvicorn', 'app.main:app', '--host', '0.0.0.0', '--port', '8000', '--reload'],
  ['uv', 'run', 'python', 'main.py'],
  ['uv', 'run', '-m', 'app'],
  ['uv', 'run', '--with', 'httpx', 'python', 'main.py'],
  ['uvicorn', 'app:app', '--reload'],
  ['gunicorn', '--reload', '-b', '0.0.0.0:8000', 'app:app'],
  ['python', '-m', 'flask', 'run', '--debug'],
  ['python', 'manage.py', 'runserver', '0.0.0.0:8000'],
  ['./entrypoint.sh'],
  ['sh', '-c', 'uv run app --port ${PORT}'],
  ['streamlit', 'run', 'app.py'],
);

/** A command as shell text or JSON, with an optional trailing comment on the shell form. */
function command(keyword: 'CMD' | 'ENTRYPOINT'): fc.Arbitrary<Lines> {
  return fc.tuple(cmdWords, fc.boolean(), fc.boolean()).map(([words, json, longForm]) => {
    if (json) return [`${keyword} ${JSON.stringify(words)}`];
    const shellWords = words.map((w) => (/[\s$]/.test(w) ? `"${w}"` : w));
    if (longForm && shellWords.length > 3) {
      return [
        `${keyword} ${shellWords.slice(0, 2).join(' ')} \\`,
        `    ${shellWords.slice(2).join(' ')}`,
      ];
    }
    return [`${keyword} ${shellWords.join(' ')}`];
  });
}

const run: fc.Arbitrary<Lines> = fc.oneof(
  fc.constantFrom<Lines>(
    ['RUN pip install uv'],
    ['RUN pip install uv && uv sync --locked'],
    ['RUN pip install --no-cache-dir uv==0.4.0'],
    ['RUN uv sync --locked'],
    ['RUN uv sync --frozen --no-dev'],
    ['RUN uv sync'],
    ['RUN curl -LsSf https://astral.sh/uv/install.sh | sh'],
    ['RUN apt-get update && apt-get install -y --no-install-recommends curl'],
    ['RUN uv pip install --system -r requirements.txt'],
    ['RUN pip install -r requirements.txt'],
    ['RUN useradd -m app'],
    ['RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked'],
  ),
  // A continued RUN with comment lines and blank lines inside it.
  fc
    .tuple(fc.array(comment, { maxLength: 2 }), fc.boolean())
    .map(([inner, blank]): Lines => [
      'RUN apt-get update \\',
      ...inner.map((c) => `    ${c}`),
      ...(blank ? [''] : []),
      '    && pip install uv \\',
      '    && uv sync --locked',
    ]),
  // A heredoc.
  fc.constantFrom<Lines>(
    ['RUN <<EOF', 'set -e', 'pip install uv', 'uv sync --locked', 'EOF'],
    ['RUN <<-SCRIPT', '\tuv sync --frozen', 'SCRIPT'],
    ['COPY <<EOF /app/config.ini', '[app]', 'debug = false', 'EOF'],
  ),
);

const other: fc.Arbitrary<Lines> = fc.constantFrom<Lines>(
  ['WORKDIR /app'],
  ['WORKDIR /srv/app'],
  ['COPY . .'],
  ['COPY . /app'],
  ['COPY pyproject.toml uv.lock ./'],
  ['ADD . /app'],
  ['COPY --from=ghcr.io/astral-sh/uv:latest /uv /uvx /bin/'],
  ['COPY --from=ghcr.io/astral-sh/uv:0.5.4 /uv /bin/uv'],
  ['ENV PATH="/app/.venv/bin:$PATH"'],
  ['ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy'],
  ['ENV PYTHONUNBUFFERED=1'],
  ['ENV PORT 8000'],
  ['ENV SECRET_KEY=not-so-secret'],
  ['ARG API_TOKEN'],
  ['EXPOSE 8000'],
  ['EXPOSE 8080/tcp'],
  ['USER app'],
  ['USER 1000'],
  ['USER root'],
  ['LABEL org.opencontainers.image.source="https://example.com/repo"'],
  ['HEALTHCHECK CMD curl -f http://localhost:8000/ || exit 1'],
  ['HEALTHCHECK NONE'],
  ['VOLUME ["/data"]'],
  ['STOPSIGNAL SIGINT'],
  ['SHELL ["/bin/bash", "-c"]'],
  ['ONBUILD COPY . /app'],
  ['ONBUILD RUN uv sync --locked'],
);

const stageBody: fc.Arbitrary<Lines[]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: other },
    { weight: 3, arbitrary: run },
    { weight: 2, arbitrary: comment.map((c): Lines => [c]) },
    { weight: 1, arbitrary: fc.constant<Lines>(['']) },
    { weight: 1, arbitrary: command('CMD') },
    { weight: 1, arbitrary: command('ENTRYPOINT') },
  ),
  { maxLength: 12 },
);

/** A typical legacy body, so that many cases get far into the migration. */
const legacyBody: fc.Arbitrary<Lines[]> = fc
  .tuple(fc.boolean(), command('CMD'), fc.boolean())
  .map(([exposes, cmd, pipFirst]): Lines[] => [
    ['WORKDIR /app'],
    pipFirst ? ['RUN pip install uv'] : ['COPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/uv'],
    ['COPY . .'],
    ['RUN uv sync --locked'],
    ...(exposes ? [['EXPOSE 8000']] : []),
    cmd,
  ]);

const stage = fc
  .tuple(
    images,
    fc.option(fc.constantFrom('builder', 'base', 'runtime'), { nil: undefined }),
    fc.boolean(),
    fc.oneof(stageBody, legacyBody),
  )
  .map(([image, name, lower, body]): Lines[] => [
    [`FROM ${image}${name ? ` ${lower ? 'as' : 'AS'} ${name}` : ''}`],
    ...body,
  ]);

const dockerfileLines = fc
  .tuple(
    fc.array(comment, { maxLength: 2 }),
    fc.boolean(),
    fc.array(stage, { minLength: 1, maxLength: 3 }),
  )
  .map(([leading, argFirst, stages]): Lines[] => [
    ...leading.map((c): Lines => [c]),
    ...(argFirst ? [['ARG PYTHON_VERSION=3.12']] : []),
    ...stages.flatMap((s, i) => (i > 0 ? [[''], ...s] : s)),
  ]);

const pyproject = fc
  .tuple(fc.constantFrom('>=3.12', '>=3.11,<3.14', '==3.13.*', null), fc.boolean(), fc.boolean())
  .map(([requires, script, dev]) =>
    [
      '[project]',
      'name = "service"',
      'version = "0.1.0"',
      ...(requires ? [`requires-python = "${requires}"`] : []),
      'dependencies = ["fastapi", "uvicorn"]',
      ...(script ? ['', '[project.scripts]', 'service = "app.main:run"'] : []),
      ...(dev ? ['', '[dependency-groups]', 'dev = ["pytest"]'] : []),
      '',
    ].join('\n'),
  );

const contextFiles = fc.record(
  {
    'pyproject.toml': fc.oneof(pyproject, fc.constant('[project\nbroken = ')),
    'uv.lock': fc.constant('version = 1\n'),
    '.python-version': fc.constantFrom('3.12\n', '3.11.9\n', 'pypy3.10\n'),
    '.dockerignore': fc.constantFrom('.git\n', '*\n!app\n', 'uv.lock\n.venv\n', ''),
    'entrypoint.sh': fc.constantFrom(
      '#!/bin/sh\nset -e\nuv run alembic upgrade head\nexec uv run uvicorn app:app --reload\n',
      '#!/bin/sh\nexec "$@"\n',
    ),
    'requirements.txt': fc.constant('fastapi\n'),
  },
  { requiredKeys: [] },
);

export const projects: fc.Arbitrary<Project> = fc
  .tuple(
    dockerfileLines,
    contextFiles,
    fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
    fc.boolean(),
    fc.boolean(),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([groups, files, eol, bom, finalNewline, backtick, trailingBlanks]) => {
    let lines = groups.flat();
    if (backtick) lines = ['# escape=`', ...lines.map(toBacktick)];
    if (trailingBlanks) lines = lines.map((l) => (l.startsWith('RUN ') ? `${l}  ` : l));
    const text = (bom ? '\uFEFF' : '') + lines.join(eol) + (finalNewline ? eol : '');
    const { comments, blocks } = commentsOf(lines, backtick ? '`' : '\\');
    return {
      tree: { ...files, Dockerfile: text } as Record<string, string>,
      dockerfile: 'Dockerfile' as const,
      eol,
      comments,
      blocks,
    };
  });

/** The same line with the backtick as escape character: continuations end in ` instead of \. */
function toBacktick(line: string): string {
  return line.endsWith(' \\') ? `${line.slice(0, -1)}\`` : line;
}
