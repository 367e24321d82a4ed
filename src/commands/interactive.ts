/**
 * `dockmig --interactive [paths...]`: the run's Dockerfiles, options and context, each fix asked
 * about in a terminal (interactive-session.ts), and then only the accepted fixes written, each
 * Dockerfile's change set all or nothing by the run's own writer. Ctrl-C writes nothing.
 */
import { relative, resolve, sep } from 'node:path';
import { UsageError } from '../errors.js';
import type { KeyReader } from '../io/keys.js';
import { paint } from '../report/color.js';
import { incomplete, runExitCode } from '../report/exit-code.js';
import type { Problem } from '../report/model.js';
import { TRANSFORMS } from '../../transforms/index.js';
import { ReviewSession, type Outcome, type ReviewFile } from './interactive-session.js';
import { place, prepareFile, type Prepared, type Processed } from './process-file.js';
import { discoverAll, writeAll, type Io, type RunOptions } from './run.js';
import { joinSharedChanges } from './shared-files.js';

/** The exit code of a review ended with Ctrl-C, as a shell reports a program SIGINT stopped. */
export const INTERRUPTED = 130;

export async function interactive(
  opts: RunOptions,
  io: Io,
  keys: () => KeyReader | null,
): Promise<number> {
  const reader = keys();
  if (reader === null)
    throw new UsageError(
      '--interactive asks about each fix on a terminal, and stdin is not one; run it in a terminal, or use --write to write every fix',
    );
  try {
    return await review(opts, io, reader);
  } finally {
    reader.close();
  }
}

async function review(opts: RunOptions, io: Io, reader: KeyReader): Promise<number> {
  const rel = (p: string) => relative(io.cwd, p).split(sep).join('/') || '.';
  const c = paint(io.color?.stderr ?? false);
  const found = discoverAll(opts, io);
  const problems: Problem[] = [...found.problems];
  const optionsFor = opts.optionsFor ?? (() => opts.migration);
  const known = opts.pinning?.known;
  const prepared: Prepared[] = [];
  for (const file of found.files) {
    const options = known ? { ...optionsFor(file), digests: known } : optionsFor(file);
    const p = prepareFile(file, io.cwd, opts.context, options, opts.maxSize);
    if ('error' in p) problems.push({ path: rel(file), message: p.error.result.errors.join('; ') });
    else prepared.push(p);
  }
  const said = (list: Problem[], what: string) =>
    list.map((p) => `${p.path}: ${what}: ${p.message}\n`).join('');
  io.stderr(said(found.skipped, c.yellow('skipped')) + said(problems, c.red('error')));
  if (prepared.length === 0) return problems.length > 0 ? 2 : 0;

  const files: ReviewFile[] = prepared.map((p) => ({
    path: p.review.input.path,
    review: p.review,
    label: (path) => rel(resolve(p.contextDir, path)),
  }));
  const rationale = (id: string) => TRANSFORMS.find((t) => t.id === id)?.rationale ?? '';
  const session = new ReviewSession(files, { color: io.color?.stdout ?? false, rationale });
  let step = session.start();
  io.stdout(step.screen);
  while (!step.outcome) {
    // The input ended (the terminal went away): nothing is written, as with Ctrl-C.
    step = session.press((await reader.next()) ?? '\u0003');
    io.stdout(step.screen);
  }
  reader.close();
  const outcome: Outcome = step.outcome;
  if (!outcome.write) {
    io.stderr('Interrupted: nothing was written.\n');
    return INTERRUPTED;
  }

  const placed = new Map<ReviewFile, Processed>();
  for (const o of outcome.files) {
    if (o.result === null) continue;
    placed.set(o.file, place(prepared[files.indexOf(o.file)], o.result));
  }
  // Two Dockerfiles whose change sets both edit the repository's Compose file: one text, as a run.
  joinSharedChanges([...placed.values()]);
  const results = [...placed.values()].map((p) => p.result);
  writeAll({
    results,
    targets: new Map([...placed.values()].map((p) => [p.result, p.targets])),
    problems,
    skipped: found.skipped,
  });
  const lines: string[] = [];
  let accepted = 0;
  let rejected = 0;
  for (const o of outcome.files) {
    accepted += o.accepted;
    rejected += o.rejected;
    const result = placed.get(o.file)?.result;
    const counts = `${o.accepted} accepted, ${o.rejected} rejected`;
    if (!result) lines.push(`${o.file.path}: left as it is`);
    else if (result.status === 'error')
      lines.push(`${o.file.path}: ${c.red('error')}: ${result.errors.join('; ')} (${counts})`);
    else if (result.status === 'changed')
      lines.push(
        `${o.file.path}: wrote ${result.changes.map((ch) => ch.path).join(', ')} (${counts})`,
      );
    else lines.push(`${o.file.path}: nothing written (${counts})`);
  }
  const failed = results.filter((r) => r.status === 'error').length;
  const written = results.filter((r) => r.status === 'changed');
  lines.push(
    c.bold(
      `${accepted} ${accepted === 1 ? 'fix' : 'fixes'} accepted, ${rejected} rejected; ` +
        `${plural(
          written.reduce((n, r) => n + r.changes.length, 0),
          'file',
        )} written` +
        (outcome.files.length < files.length
          ? `; ${plural(files.length - outcome.files.length, 'Dockerfile')} not reviewed`
          : ''),
    ),
  );
  io.stderr(lines.join('\n') + '\n');
  // As --write: what is written exits 0, unless a file is left to a person.
  return runExitCode(
    {
      changed: written.length,
      errors: problems.length + failed,
      incomplete: results.filter((r) => r.status !== 'error' && incomplete(r)).length,
    },
    'write',
  );
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
