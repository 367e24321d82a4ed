/**
 * What a person reads on stderr: per file what changed and why, what was left and why, a total.
 * Change paths are expected relative to the working directory, like `path`.
 */
import type { MigrationResult } from '../core/types.js';
import { incomplete } from './exit-code.js';

export interface Problem {
  path: string;
  message: string;
}

export function summary(
  results: MigrationResult[],
  problems: Problem[],
  opts: { written: boolean; skipped?: Problem[] },
): string {
  const lines: string[] = [];
  const skipped = opts.skipped ?? [];
  for (const p of problems) lines.push(`${p.path}: error: ${p.message}`);
  for (const p of skipped) lines.push(`${p.path}: skipped: ${p.message}`);
  for (const r of results) {
    if (r.status === 'error') {
      for (const e of r.errors) lines.push(`${r.path}: error: ${e}`);
      continue;
    }
    const verb =
      r.status === 'changed' ? (opts.written ? 'migrated' : 'would change') : 'unchanged';
    const others = r.changes.filter((c) => c.path !== r.path).map((c) => c.path);
    lines.push(`${r.path}: ${verb}${others.length > 0 ? ` (with ${others.join(', ')})` : ''}`);
    for (const f of r.findings) {
      const mark = f.fixed
        ? ''
        : f.severity === 'error'
          ? ' (not fixed: needs a person)'
          : ' (not fixed)';
      lines.push(`  ${f.transform}: ${f.message}${mark}`);
    }
    for (const n of r.notes) lines.push(`  note: ${n}`);
  }
  const count = (s: string) => results.filter((r) => r.status === s).length;
  const errors = count('error') + problems.length;
  const total = results.length + problems.length;
  const left = results.filter((r) => r.status !== 'error' && incomplete(r)).length;
  lines.push(
    `${total} file${total === 1 ? '' : 's'}: ${count('changed')} ${opts.written ? 'migrated' : 'to change'}, ${count('unchanged')} unchanged, ${errors} error${errors === 1 ? '' : 's'}` +
      (skipped.length > 0 ? `, ${skipped.length} skipped` : '') +
      (left > 0 ? `; ${left} left incomplete` : ''),
  );
  return lines.join('\n') + '\n';
}
