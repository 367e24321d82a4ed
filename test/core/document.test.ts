import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/edit.js';
import { copyLandings, landingPath, parse } from '../../src/core/document.js';

describe('Doc', () => {
  const text = [
    '# syntax=docker/dockerfile:1',
    'ARG PY=3.11',
    'FROM python:${PY}-slim AS build',
    '# install',
    '# twice',
    'RUN apt-get update \\',
    '    # comment inside',
    '    && uv sync --locked',
    'WORKDIR /app',
    'WORKDIR src',
    'ENV A=1 UV_X="2 3"',
    '',
    'FROM python:3.11-slim',
    "CMD ['bad']",
    'ENTRYPOINT ["a", "b\\"c"]',
  ].join('\n');
  const doc = parse(text);

  it('finds stages, names and images', () => {
    expect(doc.stages.map((s) => [s.name, s.image, s.instructions.length])).toEqual([
      ['build', 'python:${PY}-slim', 4],
      [null, 'python:3.11-slim', 2],
    ]);
    expect(doc.instructions[0].stage).toBe(-1);
    expect(doc.directives).toEqual([{ name: 'syntax', value: 'docker/dockerfile:1' }]);
  });

  it('gives offsets of instructions, arguments and the comment block above', () => {
    const run = doc.instructions[2];
    expect(text.slice(run.start, run.end)).toBe(
      'RUN apt-get update \\\n    # comment inside\n    && uv sync --locked',
    );
    expect(text.slice(run.commentStart, run.lineStart)).toBe('# install\n# twice\n');
    expect(doc.instructions[0].commentStart).toBe(doc.instructions[0].lineStart);
    expect(text.slice(run.argsStart, run.argsEnd)).toMatch(/^apt-get/);
  });

  it('removes continuations and their comment lines in the logical text', () => {
    const run = doc.instructions[2];
    expect(doc.logical(run.argsStart, run.argsEnd)).toBe('apt-get update     && uv sync --locked');
  });

  it('decodes exec form strictly and flags invalid JSON', () => {
    expect(doc.instructions.find((i) => i.keyword === 'ENTRYPOINT')?.json).toEqual(['a', 'b"c']);
    const cmd = doc.instructions.find((i) => i.keyword === 'CMD')!;
    expect(cmd.json).toBeNull();
    expect(cmd.jsonInvalid).toBe(true);
  });

  it('resolves global ARG defaults, stage ENV and the WORKDIR', () => {
    expect(doc.globalArgDefault('PY')?.value).toBe('3.11');
    expect(doc.globalArgDefault('NOPE')).toBeNull();
    expect([...doc.stageEnv(doc.stages[0])]).toEqual([
      ['A', '1'],
      ['UV_X', '2 3'],
    ]);
    expect(doc.workdir(doc.stages[0])).toBe('/app/src');
  });

  it('finds uv commands through continuations', () => {
    const found = doc.uvCommands('sync');
    expect(found).toHaveLength(1);
    expect(found[0].command.words.map((w) => w.value)).toEqual(['uv', 'sync', '--locked']);
  });

  it('inserts and removes whole lines in the file style', () => {
    const crlf = parse('FROM python:3.12\r\nRUN a \\\r\n  b\r\nCMD x');
    expect(crlf.eol).toBe('\r\n');
    expect(crlf.finalNewline).toBe(false);
    expect(crlf.continuationIndent).toBe('  ');
    const [from, run, cmd] = crlf.instructions;
    expect(applyEdits(crlf.text, [crlf.insertAfter(from, ['USER 1'])])).toBe(
      'FROM python:3.12\r\nUSER 1\r\nRUN a \\\r\n  b\r\nCMD x',
    );
    expect(applyEdits(crlf.text, [crlf.insertAfter(cmd, ['USER 1'])])).toBe(
      'FROM python:3.12\r\nRUN a \\\r\n  b\r\nCMD x\r\nUSER 1',
    );
    expect(applyEdits(crlf.text, [crlf.remove(cmd)])).toBe('FROM python:3.12\r\nRUN a \\\r\n  b');
    expect(applyEdits(crlf.text, [crlf.remove(run)])).toBe('FROM python:3.12\r\nCMD x');
    expect(applyEdits(crlf.text, [crlf.append(['EXPOSE 1'])])).toBe(
      'FROM python:3.12\r\nRUN a \\\r\n  b\r\nCMD x\r\nEXPOSE 1',
    );
    expect(crlf.continued(['ENV A=1', 'B=2'])).toBe('ENV A=1 \\\r\n  B=2');
  });

  it('uses the backtick escape for continuations when the file does', () => {
    const tick = parse('# escape=`\nFROM python:3.12\nRUN a `\n    b\n');
    expect(tick.escape).toBe('`');
    expect(tick.continued(['RUN x', 'y'])).toBe('RUN x `\n    y');
    expect(tick.logical(tick.instructions[1].argsStart, tick.instructions[1].argsEnd)).toBe(
      'a     b',
    );
  });

  it("lists a stage's VOLUME paths in exec and shell form, unquoted, each once", () => {
    const doc = parse(
      'FROM a AS b\nVOLUME /x\nFROM a\nVOLUME ["/data", "/var/lib/a b"]\nVOLUME "/cache" /data \\\n  $V\n',
    );
    expect(doc.volumes(doc.stages[1])).toEqual(['/data', '/var/lib/a b', '/cache', '$V']);
    expect(doc.volumes(doc.stages[0])).toEqual(['/x']);
  });

  it('lists unknown instructions', () => {
    expect(parse('FROM a\nFOO b\n').unknown.map((i) => i.keyword)).toEqual(['FOO']);
  });
});

describe('Doc: variables, WORKDIR, PATH and the venv as the builder resolves them', () => {
  const text = [
    'ARG APP_HOME=/srv/app',
    'ARG UNUSED=1',
    'FROM python:3.12-slim AS base',
    'ARG APP_HOME',
    'ENV APP_DIR=$APP_HOME/src \\',
    "    LITERAL='$APP_HOME' \\",
    '    DEF=${MISSING:-/fallback}',
    'WORKDIR ${APP_DIR}',
    'WORKDIR ../lib',
    'ENV PATH="/app/.venv/bin:$PATH"',
    'ENV PATH="/root/.local/bin:${PATH}"',
    'ARG APP_DIR=/ignored',
    'RUN echo',
    '',
    'FROM base AS api',
    'ENV UV_PROJECT_ENVIRONMENT=.venv-api',
    'WORKDIR api',
    'CMD ["x"]',
    '',
    'FROM python:3.12-slim',
    'WORKDIR /',
    'CMD ["y"]',
  ].join('\n');
  const doc = parse(text);
  const [base, api, last] = doc.stages;
  const run = base.instructions.find((i) => i.keyword === 'RUN')!;
  const scope = doc.scope(run);

  it('global ARGs reach a stage only when it redeclares them; ENV expands what is known', () => {
    expect(scope.get('APP_HOME')).toMatchObject({ kind: 'arg', value: '/srv/app', exact: true });
    expect(scope.has('UNUSED')).toBe(false);
    expect(scope.get('APP_DIR')).toMatchObject({ kind: 'env', value: '/srv/app/src', exact: true });
    expect(scope.get('LITERAL')?.value).toBe('$APP_HOME');
    expect(scope.get('DEF')?.value).toBe('/fallback');
  });

  it('an ARG never overrides an ENV of the same name', () => {
    expect(doc.stageScope(base).get('APP_DIR')?.value).toBe('/srv/app/src');
  });

  it("PATH keeps the base image's own $PATH and reads every ENV PATH in order", () => {
    expect(scope.get('PATH')).toMatchObject({
      value: '/root/.local/bin:/app/.venv/bin:$PATH',
      exact: false,
    });
    expect(doc.runtimePath(base)).toEqual(['/root/.local/bin', '/app/.venv/bin', '$PATH']);
    expect(doc.runtimePath(last)).toBeNull();
  });

  it("WORKDIR resolves through variables and relative steps; a child stage starts in its parent's", () => {
    expect(doc.workdirAt(run)).toEqual({ value: '/srv/app/lib', exact: true });
    expect(doc.workdir(base)).toBe('/srv/app/lib');
    expect(doc.workdir(api)).toBe('/srv/app/lib/api');
    expect(doc.parentStage(api)).toBe(base);
    expect(doc.stageEnv(api).get('APP_DIR')).toBe('/srv/app/src');
    expect(doc.stageScope(api).has('APP_HOME')).toBe(false);
  });

  it('the app directory is never / or a system directory', () => {
    expect(doc.appDir(base)).toEqual({ dir: '/srv/app/lib' });
    expect(doc.appDir(last)).toMatchObject({
      dir: null,
      why: expect.stringMatching(/system directory/),
    });
    const unknown = parse('FROM x\nARG DIR\nWORKDIR $DIR\n');
    expect(unknown.appDir(unknown.stages[0])).toMatchObject({
      dir: null,
      why: expect.stringMatching(/cannot be resolved/),
    });
    const none = parse('FROM x\nRUN true\n');
    expect(none.appDir(none.stages[0])).toMatchObject({
      dir: null,
      why: expect.stringMatching(/no WORKDIR/),
    });
  });

  it('an install into an absolute VIRTUAL_ENV does not tie the app to the directory it ran in', () => {
    const venv = (run: string) =>
      parse(`FROM x\nENV VIRTUAL_ENV=/venv\nRUN ${run}\nWORKDIR /srv/site\nCOPY . .\n`);
    for (const run of [
      'uv venv ${VIRTUAL_ENV} && uv pip install -r /req.txt',
      'uv venv /venv && uv pip install -r /req.txt',
    ]) {
      const doc = venv(run);
      expect(doc.appDir(doc.stages[0]), run).toEqual({ dir: '/srv/site' });
    }
    // `uv venv` elsewhere, or a venv named on the install itself: where it ran still counts.
    for (const run of [
      'uv venv .venv && uv pip install -r req.txt',
      'VIRTUAL_ENV=.venv uv pip install -r req.txt',
      'V=/other && uv venv $V',
    ]) {
      const doc = venv(run);
      expect(doc.appDir(doc.stages[0]), run).toMatchObject({ dir: null });
    }
  });

  it('the venv: UV_PROJECT_ENVIRONMENT relative to the WORKDIR of the stage that sets it, else .venv in the app directory', () => {
    expect(doc.venvDir(api)).toBe('/srv/app/lib/api/.venv-api');
    const plain = parse('FROM x\nWORKDIR /app\n');
    expect(plain.venvDir(plain.stages[0])).toBe('/app/.venv');
    const inline = parse('FROM x\nWORKDIR /app\nRUN UV_PROJECT_ENVIRONMENT=venv uv sync\n');
    expect(inline.venvDir(inline.stages[0])).toBe('/app/venv');
    const system = parse('FROM x\nENV UV_PROJECT_ENVIRONMENT=/usr/local\nWORKDIR /app\n');
    expect(system.venvDir(system.stages[0])).toBe('/usr/local');
  });

  it('the venv: VIRTUAL_ENV where uv pip installs, resolved like UV_PROJECT_ENVIRONMENT; not for a uv sync without --active', () => {
    const venv = (text: string) => {
      const d = parse(text);
      return d.venvDir(d.stages[d.stages.length - 1]);
    };
    expect(
      venv('FROM x\nWORKDIR /app\nENV VIRTUAL_ENV=/opt/venv\nRUN uv pip install flask\n'),
    ).toBe('/opt/venv');
    expect(venv('FROM x\nARG HOME_DIR=/srv/svc\nWORKDIR $HOME_DIR\nENV VIRTUAL_ENV=env\n')).toBe(
      '/srv/svc/env',
    );
    // uv sync installs into the project environment and only warns about a different VIRTUAL_ENV.
    expect(venv('FROM x\nWORKDIR /app\nENV VIRTUAL_ENV=/opt/venv\nRUN uv sync --frozen\n')).toBe(
      '/app/.venv',
    );
    expect(
      venv('FROM x\nWORKDIR /app\nENV VIRTUAL_ENV=/opt/venv\nRUN uv sync --frozen --active\n'),
    ).toBe('/opt/venv');
    expect(
      venv(
        'FROM x\nWORKDIR /app\nENV VIRTUAL_ENV=/opt/venv UV_PROJECT_ENVIRONMENT=/srv/env\nRUN uv pip install flask\n',
      ),
    ).toBe('/srv/env');
    // A runtime stage that sets nothing reads the builder's setting, as for UV_PROJECT_ENVIRONMENT.
    expect(
      venv('FROM x AS builder\nENV VIRTUAL_ENV=/opt/venv\nFROM x\nWORKDIR /app\nCMD ["app"]\n'),
    ).toBe('/opt/venv');
    expect(venv('FROM x\nARG V\nWORKDIR /app\nENV VIRTUAL_ENV=$V\n')).toBeNull();
  });
});

describe('Doc.ports', () => {
  it('every word of every EXPOSE, variables resolved, each once, protocol kept', () => {
    const doc = parse(
      'FROM x\nENV PORT=8000\nEXPOSE 9090/udp $PORT\nEXPOSE 8000/tcp 7000-7010 ${MISSING} 99999\n',
    );
    expect(doc.ports(doc.stages[0]).map((p) => [p.port, p.protocol])).toEqual([
      [9090, 'udp'],
      [8000, 'tcp'],
      [7000, 'tcp'],
    ]);
  });
});

describe('Doc: the stages an image is run from', () => {
  const targets = (text: string) =>
    parse(text)
      .runtimeStages()
      .map((s) => s.name ?? String(s.index));

  it('every target built from one build stage, besides the final one', () => {
    const text = [
      'FROM python:3.12-slim AS build',
      'RUN uv sync',
      'CMD ["uvicorn", "app:app"]',
      'FROM build AS api',
      'EXPOSE 8000',
      'FROM build AS worker',
      'CMD ["celery", "-A", "app", "worker"]',
    ].join('\n');
    expect(targets(text)).toEqual(['api', 'worker']);
  });

  it('a stage something is built FROM, copies from or mounts is not a runtime', () => {
    const text = [
      'FROM node:22 AS assets',
      'CMD ["npm", "start"]',
      'FROM python:3.12-slim AS wheels',
      'CMD ["true"]',
      'FROM python:3.12-slim AS builder',
      'RUN --mount=type=bind,from=wheels,source=/w,target=/w uv sync',
      'CMD ["true"]',
      'FROM python:3.12-slim',
      'COPY --from=0 /app/dist /static',
      'COPY --from=BUILDER /app /app',
      'CMD ["app"]',
    ].join('\n');
    expect(targets(text)).toEqual(['3']);
  });

  it('development and test targets, unnamed stages and stages that start nothing are not runtimes', () => {
    const text = [
      'FROM python:3.12-slim AS base',
      'CMD ["app"]',
      'FROM base AS api-dev',
      'FROM base AS test',
      'FROM base AS debug_worker',
      'FROM python:3.12-slim',
      'CMD ["other"]',
      'FROM scratch AS export',
      'COPY --from=base /app/dist /',
      'FROM python:3.12-slim AS prod',
      'FROM base AS final',
    ].join('\n');
    expect(targets(text)).toEqual(['final']);
    expect(targets('FROM python:3.12-slim\nCMD ["app"]\n')).toEqual(['0']);
  });

  it('a last stage named for development is no runtime when targets before it are', () => {
    const text =
      'FROM python:3.12-slim AS base\nFROM base AS prod\nCMD ["app"]\nFROM base AS dev\nCMD ["app", "--reload"]\n';
    expect(targets(text)).toEqual(['prod']);
    expect(targets('FROM python:3.12-slim AS dev\nCMD ["app"]\n')).toEqual(['dev']);
  });

  it('a --from that names an image or a build context is no stage', () => {
    const doc = parse(
      'FROM python:3.12-slim AS b\nCOPY --from=ghcr.io/astral-sh/uv:0.13.8 /uv /bin/\nCOPY --from=b /x /y\n',
    );
    expect(doc.readsFrom(doc.stages[0].instructions[0])).toEqual([]);
    expect(doc.readsFrom(doc.stages[0].instructions[1])).toEqual([doc.stages[0]]);
  });
});

describe('starts: the ENTRYPOINT and CMD a container of a stage runs', () => {
  const startsOf = (text: string, stage = -1) => {
    const doc = parse(text);
    return doc.starts(doc.stages.at(stage)!).map((i) => doc.sourceOf(i).trim());
  };
  it('inherits both from the stage it is built on, the last of each', () => {
    expect(
      startsOf('FROM python AS base\nCMD ["a"]\nENTRYPOINT ["e"]\nCMD ["b"]\nFROM base AS t\n'),
    ).toEqual(['ENTRYPOINT ["e"]', 'CMD ["b"]']);
  });
  it('an ENTRYPOINT of its own drops the inherited CMD, as the builder does', () => {
    expect(startsOf('FROM python AS base\nCMD ["b"]\nFROM base\nENTRYPOINT ["e"]\n')).toEqual([
      'ENTRYPOINT ["e"]',
    ]);
  });
  it('a CMD of its own keeps the inherited ENTRYPOINT', () => {
    expect(
      startsOf('FROM python AS base\nENTRYPOINT ["e"]\nCMD ["a"]\nFROM base\nCMD ["b"]\n'),
    ).toEqual(['ENTRYPOINT ["e"]', 'CMD ["b"]']);
  });
  it('a stage on an image starts with nothing the file says', () => {
    expect(startsOf('FROM python AS base\nCMD ["a"]\nFROM python\nRUN true\n')).toEqual([]);
  });
});

describe('lineage: a stage and the stages it is built FROM', () => {
  it('the stage first, the one on an image last; a stage on an image is alone', () => {
    const doc = parse(
      'FROM python:3.12 AS base\nFROM base AS build\nFROM node AS web\nFROM build AS api\n',
    );
    const names = (i: number) => doc.lineage(doc.stages[i]).map((s) => s.name);
    expect(names(3)).toEqual(['api', 'build', 'base']);
    expect(names(2)).toEqual(['web']);
  });
});

describe('heredocs in the shell model', () => {
  const commands = (text: string) => {
    const doc = parse(`FROM python:3.12\n${text}`);
    const run = doc.instructions.find((i) => i.keyword === 'RUN')!;
    return doc.shell(run).commands.map((c) => c.words.map((w) => w.value).join(' '));
  };
  it('runs the bodies of `RUN <<EOF` (one heredoc or several) as scripts', () => {
    expect(commands('RUN <<EOF\nuv sync\nln -s /a /b\nEOF\n')).toEqual(['uv sync', 'ln -s /a /b']);
    expect(commands('RUN <<A <<-"B"\necho a\nA\necho b\nB\n')).toEqual(['echo a', 'echo b']);
  });
  it('reads a body as the input of the command on the first line, not as commands', () => {
    expect(commands("RUN cat > /start.sh <<'EOF'\n#!/bin/sh\nuv run app\nEOF\n")).toEqual(['cat']);
    expect(commands('RUN python3 <<EOF\nimport os\nprint(os.getcwd())\nEOF\n')).toEqual([
      'python3',
    ]);
  });
});

const noDirectories = () => false;

describe('landingPath', () => {
  it('puts a file copied into a directory under its own name', () => {
    expect(landingPath('./scrapyd.conf', '/etc/scrapyd/', true, noDirectories)).toBe(
      '/etc/scrapyd/scrapyd.conf',
    );
    expect(landingPath('conf/app.ini', '/', true, noDirectories)).toBe('/app.ini');
  });

  it('gives a directory, a wildcard or a file copied to a file name the destination itself', () => {
    expect(landingPath('conf', '/etc/app/', true, (s) => s === 'conf')).toBe('/etc/app');
    expect(landingPath('conf/', '/etc/app/', true, noDirectories)).toBe('/etc/app');
    expect(landingPath('*.conf', '/etc/app/', true, noDirectories)).toBe('/etc/app');
    expect(landingPath('app.ini', '/etc/app.ini', false, noDirectories)).toBe('/etc/app.ini');
    expect(landingPath('.', '/srv/', true, noDirectories)).toBe('/srv');
    expect(landingPath('./', '/srv/', true, noDirectories)).toBe('/srv');
  });
});

describe('copyLandings', () => {
  it('reads where each source lands through the copy as the model resolves it', () => {
    const doc = parse(
      [
        'FROM python:3.12-slim',
        'WORKDIR /srv',
        'COPY confdir /etc/x/',
        'COPY ./settings.ini conf/ /etc/app/',
        'COPY app.ini cfg/app.ini',
        'COPY ${WHERE} /opt/',
        'COPY x.conf $DEST',
        '',
      ].join('\n'),
    );
    const copies = doc.copies(doc.finalStage!);
    const dirs = ['confdir'];
    expect(copies.map((c) => copyLandings(c, dirs))).toEqual([
      ['/etc/x'],
      ['/etc/app/settings.ini', '/etc/app'],
      ['/srv/cfg/app.ini'],
      ['/opt'],
      null,
    ]);
    // Without the context's word, a name without a slash is a file.
    expect(copyLandings(copies[0], [])).toEqual(['/etc/x/confdir']);
  });
});

describe('containerEnv', () => {
  it("is the stage's ENV, a parent's included, null where a value cannot be told, no ARG", () => {
    const doc = parse(
      'FROM python:3.12 AS base\nENV FLASK_DEBUG=0\nFROM base\nARG MODE=dev\nENV PATH="/app/.venv/bin:$PATH" APP_MODE=$MODE\n',
    );
    expect(doc.containerEnv(doc.finalStage!)).toEqual(
      new Map<string, string | null>([
        ['FLASK_DEBUG', '0'],
        ['PATH', null],
        ['APP_MODE', 'dev'],
      ]),
    );
  });
});
