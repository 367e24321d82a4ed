/**
 * Requirement files a lock manager writes for pip to install: `poetry export -f requirements.txt
 * --output requirements.txt`, `pipenv requirements > requirements.txt`, and old Pipenv's `pipenv
 * lock -r > requirements.txt`. A stage that exports this way and never installs with the tool
 * itself (`poetry install`, `pipenv install`, `pipenv sync`) is a pip project whose installer
 * (Poetry or Pipenv) stays in the builder: pip-venv gives its installs the venv, poetry-venv and
 * pipenv-venv pin the tool.
 *
 * This module reads shell words only (no pip.ts, poetry.ts or pipenv.ts), so that pip.ts can ask
 * it without an import cycle.
 */
import type { Doc, Instr, Stage } from './document.js';
import type { ShellCommand } from './shell.js';
import { readOptions, type PipOption } from './venv.js';

export type LockTool = 'poetry' | 'pipenv';

/**
 * Poetry's options that take a separate value, as `poetry install` and `poetry export` share them
 * (poetry.ts reads installs with this list).
 */
export const POETRY_VALUED: readonly string[] = [
  '--with',
  '--without',
  '--only',
  '-E',
  '--extras',
  '-C',
  '--directory',
  '-P',
  '--project',
];

/** Options of `poetry export`, `pipenv requirements` and `pipenv lock` that take a separate value. */
const VALUED = new Set([
  ...POETRY_VALUED,
  '-f',
  '--format',
  '-o',
  '--output',
  '--categories',
  '--python',
  '--pypi-mirror',
]);

export interface LockExport {
  tool: LockTool;
  instr: Instr;
  command: ShellCommand;
  /** Index of the subcommand word (`export`, `requirements`, `lock`) in `command.words`. */
  at: number;
  subcommand: 'export' | 'requirements' | 'lock';
  options: PipOption[];
}

/** The tool a command runs (by any path, or `python -m`), and the index after it; null for others. */
function toolOf(values: (string | null)[]): { tool: LockTool; start: number } | null {
  const name = /(^|\/)(poetry|pipenv)$/.exec(values[0] ?? '');
  if (name) return { tool: name[2] as LockTool, start: 1 };
  if (
    /(^|\/)python[0-9.]*$/.test(values[0] ?? '') &&
    values[1] === '-m' &&
    (values[2] === 'poetry' || values[2] === 'pipenv')
  )
    return { tool: values[2], start: 3 };
  return null;
}

/** Each command of a stage's RUNs that runs Poetry or Pipenv, with its subcommand. */
function toolCommands(
  doc: Doc,
  stage: Stage,
): { tool: LockTool; instr: Instr; command: ShellCommand; at: number; name: string | null }[] {
  const out = [];
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN') continue;
    for (const command of doc.shell(instr).commands) {
      const values = command.words.map((w) => w.value);
      const found = toolOf(values);
      if (!found) continue;
      let at = found.start;
      while (at < values.length && values[at]?.startsWith('-'))
        at += VALUED.has(values[at]!) ? 2 : 1;
      out.push({ tool: found.tool, instr, command, at, name: values[at] ?? null });
    }
  }
  return out;
}

/** Every export of the lock to a requirements file in the RUNs of a stage. */
export function lockExports(doc: Doc, stage: Stage): LockExport[] {
  const out: LockExport[] = [];
  for (const c of toolCommands(doc, stage)) {
    const options = readOptions(c.command.words, c.at + 1, VALUED).options;
    const requirements = options.some((o) => o.name === '-r' || o.name === '--requirements');
    const subcommand =
      c.tool === 'poetry' && c.name === 'export'
        ? 'export'
        : c.tool === 'pipenv' && c.name === 'requirements'
          ? 'requirements'
          : c.tool === 'pipenv' && c.name === 'lock' && requirements
            ? 'lock'
            : null;
    if (subcommand) out.push({ ...c, subcommand, options });
  }
  return out;
}

/** Whether the tool installs packages itself in the stage (`poetry install`, `pipenv install`/`sync`). */
export function lockToolInstalls(doc: Doc, stage: Stage, tool: LockTool): boolean {
  return toolCommands(doc, stage).some(
    (c) => c.tool === tool && (c.name === 'install' || (tool === 'pipenv' && c.name === 'sync')),
  );
}
