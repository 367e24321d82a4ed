/**
 * `npm run bench`: throughput and wall times on 5,000 generated legacy projects, against the
 * targets of the core issue. Prints a table; exits 0 whatever the figures (a benchmark reports,
 * the tests decide).
 *
 *   DOCKMIG_BENCH_FILES=500 npm run bench     a quicker run
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import { buildContext } from '../src/core/context.js';
import { migrate } from '../src/core/engine.js';
import { DEFAULT_OPTIONS } from '../src/core/types.js';
import { TRANSFORMS } from '../transforms/index.js';
import { generateProject, random } from './generate.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'src', 'cli.js');
const rssHook = join(here, 'rss-hook.js');
const count = Number(process.env.DOCKMIG_BENCH_FILES ?? 5000);

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

function runCli(args: string[], cwd: string): { ms: number; rssMb: number; status: number | null } {
  const rssFile = join(cwd, `.rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const t = time(() =>
    spawnSync(process.execPath, ['--import', pathToImport(rssHook), cli, ...args], {
      cwd,
      env: { ...process.env, DOCKMIG_RSS_FILE: rssFile },
      stdio: ['ignore', 'ignore', 'ignore'],
      maxBuffer: 1 << 30,
    }),
  );
  const rssMb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) / 1024 : NaN;
  rmSync(rssFile, { force: true });
  return { ms: t.ms, rssMb, status: t.value.status };
}

function pathToImport(path: string): string {
  return new URL(`file://${path}`).href;
}

function main(): void {
  const rnd = random(20261122);
  const projects = Array.from({ length: count }, (_, i) => generateProject(i, rnd));
  const root = mkdtempSync(join(tmpdir(), 'dockmig-bench-'));
  try {
    for (const p of projects) {
      mkdirSync(join(root, p.dir));
      for (const [name, text] of Object.entries(p.files))
        writeFileSync(join(root, p.dir, name), text);
    }

    // Warm up both paths (JIT, the lazily loaded shell parser) before measuring.
    for (const p of projects.slice(0, 50)) DockerfileParser.parse(p.files.Dockerfile);
    const ctxOf = (p: (typeof projects)[number]) =>
      buildContext({ dockerfile: 'Dockerfile', files: p.files });
    for (const p of projects.slice(0, 50))
      migrate(
        { path: 'Dockerfile', text: p.files.Dockerfile, context: ctxOf(p) },
        DEFAULT_OPTIONS,
        TRANSFORMS,
      );

    const parse = time(() => {
      for (const p of projects) DockerfileParser.parse(p.files.Dockerfile);
    });
    let changed = 0;
    let errors = 0;
    const migration = time(() => {
      for (const p of projects) {
        const r = migrate(
          { path: 'Dockerfile', text: p.files.Dockerfile, context: ctxOf(p) },
          DEFAULT_OPTIONS,
          TRANSFORMS,
        );
        if (r.status === 'changed') changed++;
        if (r.status === 'error') errors++;
      }
    });
    const parseRate = count / (parse.ms / 1000);
    const migrateRate = count / (migration.ms / 1000);

    const tree = runCli(['.'], root);
    const singles = Array.from({ length: 5 }, () =>
      runCli([join(projects[0].dir, 'Dockerfile')], root),
    );
    const single = singles.map((s) => s.ms).sort((a, b) => a - b)[2];

    const rows: [string, string, string, boolean][] = [
      ['bare dockerfile-ast parse', `${Math.round(parseRate)} files/s`, '(the floor)', true],
      [
        'in-process migration',
        `${Math.round(migrateRate)} files/s`,
        '>= 1,000 files/s',
        migrateRate >= 1000,
      ],
      [
        'migration / bare parse',
        `${((migrateRate / parseRate) * 100).toFixed(1)} %`,
        '>= 25 %',
        migrateRate / parseRate >= 0.25,
      ],
      [
        `CLI over the tree (${count} files)`,
        `${(tree.ms / 1000).toFixed(2)} s`,
        '<= 15 s',
        tree.ms <= 15000,
      ],
      ['CLI, one file (median of 5)', `${Math.round(single)} ms`, '<= 400 ms', single <= 400],
      [
        'CLI peak RSS over the tree',
        `${Math.round(tree.rssMb)} MB`,
        '<= 400 MB',
        tree.rssMb <= 400,
      ],
    ];
    console.log(
      `dockmig benchmark: ${count} generated projects, node ${process.version}, ${changed} changed, ${errors} errors`,
    );
    for (const [what, value, target, ok] of rows) {
      console.log(
        `${what.padEnd(36)} ${value.padStart(16)}   target ${target.padEnd(18)} ${ok ? 'ok' : 'MISSED'}`,
      );
    }
    if (tree.status !== 0) console.log(`note: the CLI over the tree exited ${tree.status}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main();
