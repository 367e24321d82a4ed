import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/core/edit.js';
import { parse } from '../../src/core/document.js';

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
