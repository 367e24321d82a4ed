/**
 * Properties of the Compose rewrite over generated Compose files: commands in every form (plain,
 * double- and single-quoted strings, folded, flow and block lists with comments between elements),
 * services that build this Dockerfile and others, anchors and aliases, CRLF. For each case:
 * nothing throws; after the rewrite the file parses, every value but the rewritten commands is
 * deep-equal to before, each rewritten command is what the rewriters make of the old one, and a
 * second run changes nothing. Fixed seed; DOCKMIG_PROPERTY_SEED explores others.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildContext } from '../../src/core/context.js';
import { migrate } from '../../src/core/engine.js';
import { rewriteCommand } from '../../src/core/compose-command.js';
import { dropDevFlags, stripUvRun } from '../../src/core/runtime-command.js';
import { DEFAULT_OPTIONS } from '../../src/core/types.js';
import transform from '../../transforms/compose-commands.js';

const RUNS = Number(process.env.DOCKMIG_PROPERTY_RUNS ?? 500);
const SEED = Number(process.env.DOCKMIG_PROPERTY_SEED ?? 20261130);

const MIGRATED =
  'FROM python:3.12-slim-trixie AS builder\nRUN true\nFROM python:3.12-slim-trixie\nENV PATH="/app/.venv/bin:$PATH"\nCMD ["app"]\n';

const WORDS = [
  'uv',
  'run',
  '--frozen',
  '--no-sync',
  'uvicorn',
  'app:app',
  '--reload',
  '--reload-dir',
  'src',
  '--port',
  '8000',
  'python',
  '-m',
  'app.main',
  'fastapi',
  'dev',
  'main.py',
  'gunicorn',
  '--workers',
  '2',
  "it's",
  'a b',
];

/** Commands that start the way real ones do, then anything from the pool. */
const command = fc
  .tuple(
    fc.constantFrom(
      ['uv', 'run'],
      ['uv', 'run', '--frozen'],
      [],
      ['python', '-m'],
      ['uv', 'run', 'python', '-m'],
    ),
    fc.constantFrom(
      ['uvicorn', 'app:app'],
      ['fastapi', 'dev'],
      ['gunicorn'],
      ['app.main'],
      ['main.py'],
    ),
    fc.array(fc.constantFrom(...WORDS), { maxLength: 5 }),
  )
  .map(([a, b, c]) => [...a, ...b, ...c]);

type Form =
  'plain' | 'double' | 'single' | 'folded' | 'flow' | 'flow-single' | 'block' | 'block-commented';

const shellWord = (w: string) =>
  /^[A-Za-z0-9_.:=/-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;

function render(key: string, words: string[], form: Form): string[] {
  const line = words.map(shellWord).join(' ');
  switch (form) {
    case 'plain':
      return [
        `    ${key}: ${/^[A-Za-z]/.test(line) && !/[#:]\s|\s#|'/.test(line) ? line : JSON.stringify(line)}`,
      ];
    case 'double':
      return [`    ${key}: ${JSON.stringify(line)}`];
    case 'single':
      return [`    ${key}: '${line.replace(/'/g, "''")}'`];
    case 'folded':
      return [`    ${key}: >-`, `      ${line}`];
    case 'flow':
      return [`    ${key}: [${words.map((w) => JSON.stringify(w)).join(', ')}]`];
    case 'flow-single':
      return [`    ${key}: [${words.map((w) => `'${w.replace(/'/g, "''")}'`).join(', ')}]`];
    case 'block':
      return [`    ${key}:`, ...words.map((w) => `      - ${JSON.stringify(w)}`)];
    case 'block-commented':
      return [
        `    ${key}:`,
        ...words.flatMap((w, i) => [
          ...(i % 2 ? ['      # note'] : []),
          `      - ${JSON.stringify(w)}  # ${i}`,
        ]),
      ];
  }
}

const service = fc.record({
  ours: fc.boolean(),
  key: fc.constantFrom('command', 'entrypoint'),
  words: command,
  form: fc.constantFrom<Form>(
    'plain',
    'double',
    'single',
    'folded',
    'flow',
    'flow-single',
    'block',
    'block-commented',
  ),
  aliasEnv: fc.boolean(),
});

const composeFile = fc
  .record({ services: fc.array(service, { minLength: 1, maxLength: 4 }), crlf: fc.boolean() })
  .map(({ services, crlf }) => {
    const lines = ['# generated', 'x-env: &env', '  LOG_LEVEL: info', 'services:'];
    services.forEach((s, i) => {
      lines.push(`  s${i}:`);
      lines.push(
        s.ours
          ? '    build: .'
          : '    build:\n      context: .\n      dockerfile: Other.Dockerfile',
      );
      if (s.aliasEnv) lines.push('    environment: *env');
      lines.push(...render(s.key, s.words, s.form));
      lines.push('    restart: always');
    });
    const text = `${lines.join('\n')}\n`;
    return crlf ? text.replace(/\n/g, '\r\n') : text;
  });

function run(text: string) {
  return migrate(
    {
      path: 'Dockerfile',
      text: MIGRATED,
      context: buildContext({
        dockerfile: 'Dockerfile',
        files: { 'uv.lock': '', 'pyproject.toml': '[project]\nname = "x"\n', 'compose.yaml': text },
      }),
    },
    DEFAULT_OPTIONS,
    [transform],
  );
}

type Data = { services: Record<string, Record<string, unknown>> };

describe('Compose rewrites over generated files', () => {
  it('change only the commands of the services that build this Dockerfile, as the rewriters say, once', () => {
    let changed = 0;
    fc.assert(
      fc.property(composeFile, (text) => {
        const r = run(text);
        expect(r.internal).toBeUndefined();
        expect(r.errors).toEqual([]);
        const before = parseYaml(text) as Data;
        const change = r.changes.find((c) => c.path === 'compose.yaml');
        const after = change ? (parseYaml(change.after) as Data) : before;
        if (change) changed++;
        expect(Object.keys(after)).toEqual(Object.keys(before));
        for (const [name, svc] of Object.entries(before.services)) {
          const now = after.services[name];
          const ours = svc.build === '.';
          for (const key of Object.keys(svc)) {
            if (!ours || (key !== 'command' && key !== 'entrypoint')) {
              expect(now[key]).toEqual(svc[key]);
              continue;
            }
            const old = svc[key] as string | string[];
            const expected = rewriteCommand(old, [stripUvRun, dropDevFlags]).next;
            // An entrypoint that is only `uv run ...` without a command stays; with a rewrite
            // the value is what the rewriters make of it (or the edit was refused and reported).
            if (JSON.stringify(now[key]) !== JSON.stringify(old)) {
              const got =
                typeof now[key] === 'string' ? (now[key] as string).replace(/\n$/, '') : now[key];
              const want = typeof expected === 'string' ? expected.replace(/\n$/, '') : expected;
              expect(got).toEqual(want);
            }
          }
        }
        if (change) {
          // Bytes outside the rewritten values are kept: the line ending style, the comments.
          expect(change.after.includes('\r\n')).toBe(text.includes('\r\n'));
          expect(change.after.startsWith('# generated')).toBe(true);
          const again = run(change.after);
          expect(again.changes).toEqual([]);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    // The generator is useful only if many cases change.
    expect(changed).toBeGreaterThan(RUNS / 4);
  });
});
