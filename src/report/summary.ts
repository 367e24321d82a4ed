/**
 * What a person reads on stderr: per file what changed and why, what was left and why, a total.
 * `quiet` keeps only errors, skips and the total; `verbose` adds each transform's rationale (once)
 * and lists unchanged files. Colour only when asked (the shell decides from the TTY and env).
 */
import type { FileReport, Report } from './model.js';
import { totalLine } from './model.js';
import { paint, type Palette } from './color.js';

export interface SummaryOptions {
  written: boolean;
  quiet?: boolean;
  verbose?: boolean;
  color?: boolean;
}

export function summary(report: Report, opts: SummaryOptions): string {
  const c = paint(opts.color ?? false);
  const lines: string[] = [];
  const explained = new Set<string>();
  for (const f of report.files) lines.push(...fileLines(f, opts, c, explained));
  if (!opts.quiet) lines.push(c.bold(totalLine(report.summary)));
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
}

function fileLines(f: FileReport, opts: SummaryOptions, c: Palette, explained: Set<string>) {
  if (f.status === 'error') return f.errors.map((e) => `${f.path}: ${c.red('error')}: ${e}`);
  if (f.status === 'skipped') return f.errors.map((e) => `${f.path}: ${c.yellow('skipped')}: ${e}`);
  if (opts.quiet) return [];
  if (f.status === 'unchanged' && f.findings.length === 0 && f.notes.length === 0 && !opts.verbose)
    return [`${f.path}: unchanged`];
  const verb = f.status === 'changed' ? (opts.written ? 'migrated' : 'would change') : 'unchanged';
  const others = f.changedFiles.filter((p) => p !== f.path);
  const out = [`${f.path}: ${verb}${others.length > 0 ? ` (with ${others.join(', ')})` : ''}`];
  for (const finding of f.findings) {
    const mark = finding.fixed
      ? ''
      : finding.severity === 'error'
        ? c.red(' (not fixed: needs a person)')
        : c.yellow(' (not fixed)');
    out.push(`  ${c.cyan(finding.transform)}: ${finding.message}${mark}`);
    if (opts.verbose && !explained.has(finding.transform)) {
      explained.add(finding.transform);
      out.push(c.dim(`      why: ${finding.rationale}`));
    }
  }
  for (const n of f.notes) out.push(`  note: ${n}`);
  return out;
}
