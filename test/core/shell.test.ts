import { describe, expect, it } from 'vitest';
import {
  expandedValues,
  parseShell,
  parseSimple,
  parseWithMvdan,
  resolveVariables,
} from '../../src/core/shell.js';

const dockerfile = (src: string, escape = '\\') =>
  parseShell(src, 0, src.length, { escape, continuations: true });
const texts = (src: string, words: { start: number; end: number }[]) =>
  words.map((w) => src.slice(w.start, w.end));

describe('parseShell', () => {
  it('gives words with their file offsets and literal values', () => {
    const src = 'uv sync --locked';
    const s = dockerfile(src);
    expect(s.ok).toBe(true);
    expect(s.commands[0].words.map((w) => w.value)).toEqual(['uv', 'sync', '--locked']);
    expect(texts(src, s.commands[0].words)).toEqual(['uv', 'sync', '--locked']);
  });

  it('gives the files output redirections write, not inputs or descriptor copies', () => {
    const src = 'echo hi > /etc/motd && cat a >> log 2>/dev/null; tee x < in; cmd &> /all >&2';
    const writes = dockerfile(src).commands.map((c) => c.writes?.map((w) => w.value) ?? []);
    expect(writes).toEqual([['/etc/motd'], ['log', '/dev/null'], [], ['/all']]);
  });

  it('maps through continuations and the comment lines inside them', () => {
    const src =
      'apt-get update && pip install uv && uv sync \\\n    # pinned by the lock\n    --locked';
    const s = dockerfile(src);
    const sync = s.commands[2];
    expect(texts(src, sync.words)).toEqual(['uv', 'sync', '--locked']);
    expect(src.slice(sync.words[1].end, sync.words[1].end + 2)).toBe(' \\');
  });

  it('keeps CRLF continuations and the backtick escape', () => {
    const crlf = 'uv sync \\\r\n  --locked\r\n';
    expect(texts(crlf, dockerfile(crlf).commands[0].words)).toEqual(['uv', 'sync', '--locked']);
    const tick = 'uv sync `\n  --locked';
    expect(texts(tick, dockerfile(tick, '`').commands[0].words)).toEqual([
      'uv',
      'sync',
      '--locked',
    ]);
  });

  it('converts UTF-8 byte offsets to UTF-16 indexes', () => {
    const src = 'echo "é 🐍" && uv sync --locked';
    const words = dockerfile(src).commands[1].words;
    expect(texts(src, words)).toEqual(['uv', 'sync', '--locked']);
    expect(dockerfile(src).commands[0].words[1].value).toBe('é 🐍');
  });

  it('reads quotes and marks expansions as non-literal', () => {
    const src = `X=1 cmd "a b" 'c' d\\ e $PORT \${UV_ARGS} "x$Y"`;
    const c = dockerfile(src).commands[0];
    expect(c.assigns.map((a) => a.raw)).toEqual(['X=1']);
    expect(c.words.map((w) => w.value)).toEqual(['cmd', 'a b', 'c', 'd e', null, null, null]);
  });

  it('parses a heredoc body as is', () => {
    const src = 'RUN <<EOF\nset -e\nuv sync --locked\nEOF\n';
    const start = src.indexOf('set');
    const end = src.indexOf('EOF\n', start);
    const s = parseShell(src, start, end, { escape: '\\', continuations: false });
    expect(texts(src, s.commands[1].words)).toEqual(['uv', 'sync', '--locked']);
  });

  it('groups a pipeline as one statement', () => {
    const s = dockerfile('curl -LsSf https://astral.sh/uv/install.sh | sh && uv sync');
    expect(s.statements.map((st) => st.commands.length)).toEqual([2, 1]);
    expect(s.statements.map((st) => st.next)).toEqual(['&&', null]);
  });

  it('gives removal ranges that leave a clean command line', () => {
    const src = 'apt-get update && pip install uv && uv sync --locked';
    const s = dockerfile(src);
    const drop = (i: number) =>
      src.slice(0, s.statements[i].removal.start) + src.slice(s.statements[i].removal.end);
    expect(drop(0)).toBe('pip install uv && uv sync --locked');
    expect(drop(1)).toBe('apt-get update && uv sync --locked');
    expect(drop(2)).toBe('apt-get update && pip install uv');
    const cont = 'pip install uv && \\\n    uv sync';
    const c = dockerfile(cont);
    expect(cont.slice(c.statements[0].removal.end)).toBe('uv sync');
  });

  it('records the separators of a list', () => {
    expect(dockerfile('a || b; c & d').statements.map((s) => s.next)).toEqual([
      '||',
      ';',
      '&',
      null,
    ]);
  });

  it('reports a parse error without throwing', () => {
    const s = dockerfile('echo "unterminated');
    expect(s.ok).toBe(false);
    expect(s.error).toMatch(/\S/);
  });
});

describe('parseSimple', () => {
  const samples = [
    'uv sync --locked',
    'apt-get update && pip install uv && uv sync --frozen --no-dev',
    'pip install --no-cache-dir -r requirements.txt',
    'UV_COMPILE_BYTECODE=1 uv sync --frozen',
    'python -c "print" && echo \'a b\'',
    'uvicorn app.main:app --host 0.0.0.0 --port 8000 --reload',
    'groupadd --system --gid 10001 app     && useradd --system --uid 10001 app',
    'X= cmd a=b --opt="x y"',
    '',
    '   ',
    'echo "a"b\'c\'',
  ];
  it.each(samples)('reads %j exactly as mvdan-sh does', (text) => {
    expect(parseSimple(text)).toEqual(parseWithMvdan(text));
  });

  it('agrees with mvdan-sh on every shell text of the golden scenarios it accepts', async () => {
    const { readdirSync, readFileSync, existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { parse } = await import('../../src/core/document.js');
    const root = join(import.meta.dirname, '..', '..', 'fixtures');
    let compared = 0;
    for (const name of readdirSync(root)) {
      for (const side of ['input', 'expected']) {
        const file = join(root, name, side, 'Dockerfile');
        if (!existsSync(file)) continue;
        const doc = parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
        for (const i of doc.instructions) {
          if (
            !['RUN', 'CMD', 'ENTRYPOINT'].includes(i.keyword) ||
            i.json ||
            i.jsonInvalid ||
            i.heredocs.length
          )
            continue;
          const text = doc.logical(i.argsStart, i.argsEnd);
          const simple = parseSimple(text);
          if (simple === null) continue;
          expect(simple).toEqual(parseWithMvdan(text));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it.each([
    'echo $HOME',
    'a | b',
    'a; b',
    'a || b',
    'echo "$X"',
    'a > f',
    'a # c',
    'echo \\x',
    'ls *.py',
    'a&&b',
    'a &',
    'x\ny',
  ])('leaves %j to mvdan-sh', (text) => {
    expect(parseSimple(text)).toBeNull();
  });
});

describe('variables the script assigns', () => {
  /** The fields of each word that expands something, in the commands running `target`. */
  const fields = (src: string, target: string, outer: Record<string, string> = {}) => {
    const s = resolveVariables(dockerfile(src), (name) => outer[name] ?? null);
    const c = s.commands.find((c) => c.words[0]?.value === target || c.words[0]?.raw === target);
    return c!.words.filter((w) => w.value === null).map((w) => w.fields);
  };

  it('reads a literal assigned earlier in an && chain, split as the shell splits it', () => {
    const src = 'set -ex && DEPS=" \\\n    libpq5 \\\n    zlib1g \\\n  " && apt-get install $DEPS';
    expect(fields(src, 'apt-get')).toEqual([[['libpq5', 'zlib1g']]]);
    const s = resolveVariables(dockerfile(src), () => null);
    expect(expandedValues(s.commands[2])).toEqual(['apt-get', 'install', 'libpq5', 'zlib1g']);
  });

  it('keeps a quoted expansion one field, and joins it to the literal text around it', () => {
    expect(fields('D="a b"; echo "$D" x$D- "${D}/c"', 'echo')).toEqual([
      [['a b']],
      [['xa', 'b-']],
      [['a b/c']],
    ]);
  });

  it('takes a variable the script does not assign from the ARG/ENV values', () => {
    expect(fields('uv venv ${VIRTUAL_ENV}', 'uv', { VIRTUAL_ENV: '/venv' })).toEqual([[['/venv']]]);
    expect(fields('uv venv ${VIRTUAL_ENV}', 'uv')).toEqual([null]);
    // Reassigned in the script: the script's value wins.
    expect(fields('V=/opt/v; uv venv $V', 'uv', { V: '/venv' })).toEqual([[['/opt/v']]]);
  });

  it('gives every value an if/else leaves, one list of fields each', () => {
    const src = 'if [ "$S" = "true" ]; then\n  C="sfw uv"\nelse\n  C="uv"\nfi\n$C sync --frozen';
    expect(fields(src, '$C')).toEqual([[['sfw', 'uv'], ['uv']]]);
  });

  it('tells nothing where a path may skip the assignment and the value outside is unknown', () => {
    expect(fields('if x; then D=a; fi; apt-get install $D', 'apt-get')).toEqual([null]);
    // Without an else the value from outside stays possible.
    expect(fields('if x; then D=a; fi; apt-get install $D', 'apt-get', { D: 'b' })).toEqual([
      [['a'], ['b']],
    ]);
    expect(fields('x || D=a && apt-get install $D', 'apt-get')).toEqual([null]);
    expect(fields('x && D=a; apt-get install $D', 'apt-get')).toEqual([null]);
  });

  it('tells nothing for values from commands, loops, reads and eval', () => {
    for (const src of [
      'D=$(cat deps.txt) && apt-get install $D',
      'for D in a b; do :; done; apt-get install $D',
      'read D < f; apt-get install $D',
      'D=a; eval "$X"; apt-get install $D',
      'D=a; f() { D=b; }; f; apt-get install $D',
      'D=a; : ${D:=b}; apt-get install $D',
      'D="a*"; apt-get install $D',
      'D=a; apt-get install ${D:-b}',
      'declare -a D=(a b); apt-get install $D',
    ])
      expect(fields(src, 'apt-get'), src).toEqual([null]);
  });

  it('keeps what holds after an assignment made in a subshell, a pipe or the background', () => {
    expect(fields('D=a; (D=b); apt-get install $D', 'apt-get')).toEqual([[['a']]]);
    expect(fields('D=a; echo | D=b; apt-get install $D', 'apt-get')).toEqual([[['a']]]);
    expect(fields('export D="a b" && apt-get install $D', 'apt-get')).toEqual([[['a', 'b']]]);
  });
});
