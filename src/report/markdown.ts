/**
 * `--format markdown`: a pull-request body or a CI step summary. Counts first, then per file the
 * findings with their rationale and the diff in a fenced block.
 */
import type { FileReport, Report } from './model.js';
import { totalLine } from './model.js';

const STATUS: Record<FileReport['status'], string> = {
  changed: 'changes',
  unchanged: 'unchanged',
  skipped: 'skipped',
  error: 'error',
};

export function markdown(report: Report): string {
  const s = report.summary;
  const out: string[] = [
    `## dockmig: ${report.mode === 'write' ? 'hardened Dockerfiles' : 'Dockerfile hardening review'}`,
    '',
    `**${totalLine(s)}**`,
    '',
    '| files | changed | unchanged | skipped | errors | incomplete |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${s.files} | ${s.changed} | ${s.unchanged} | ${s.skipped} | ${s.errors} | ${s.incomplete} |`,
    '',
  ];
  if (report.repositories) {
    out.push(
      '| repository | outcome | detail |',
      '| --- | --- | --- |',
      ...report.repositories.map(
        (r) =>
          `| \`${r.repository}\` | ${r.outcome} | ${r.pr ? `[#${r.pr.number}](${r.pr.url}) ` : ''}${cell(r.detail)} |`,
      ),
      '',
    );
  }
  const reasons = Object.entries(s.byReason);
  if (reasons.length > 0) {
    out.push('| errors and skips by reason | files |', '| --- | ---: |');
    for (const [reason, n] of reasons) out.push(`| ${cell(reason)} | ${n} |`);
    out.push('');
  }
  for (const f of report.files) {
    if (f.status === 'unchanged' && f.findings.length === 0) continue;
    out.push(`### \`${f.path}\`: ${STATUS[f.status]}${f.incomplete ? ', incomplete' : ''}`, '');
    for (const e of f.errors) out.push(`> **${f.status}:** ${inline(e)}`, '');
    const others = f.changedFiles.filter((p) => p !== f.path);
    if (others.length > 0)
      out.push(`Also changes ${others.map((p) => `\`${p}\``).join(', ')}.`, '');
    const why = new Map<string, string>();
    for (const finding of f.findings) {
      const line = finding.lines ? `line ${finding.lines.start}` : '';
      const where = finding.file
        ? ` (\`${finding.file}\`${line ? ` ${line}` : ''})`
        : line
          ? ` (${line})`
          : '';
      const mark = finding.fixed
        ? ''
        : finding.severity === 'error'
          ? ' — **not fixed: needs a person**'
          : ' — not fixed';
      out.push(`- **${finding.transform}**${where}: ${inline(finding.message)}${mark}`);
      why.set(finding.transform, finding.rationale);
    }
    if (f.findings.length > 0) out.push('');
    if (why.size > 0) {
      out.push('<details><summary>Why</summary>', '');
      for (const [id, rationale] of why) out.push(`- **${id}**: ${inline(rationale)}`);
      out.push('', '</details>', '');
    }
    for (const n of f.notes) out.push(`_Note: ${inline(n)}_`, '');
    if (f.diff) out.push(fence(f.diff), '');
  }
  return out.join('\n');
}

/** A fenced diff block whose fence is longer than any backtick run inside. */
function fence(diff: string): string {
  const longest = Math.max(2, ...[...diff.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}diff\n${diff.replace(/\r/g, '')}${diff.endsWith('\n') ? '' : '\n'}${ticks}`;
}

/** Text in a Markdown line: no HTML, no accidental emphasis from `*` and `_` runs. */
function inline(text: string): string {
  return text.replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;')).replace(/\r?\n/g, ' ');
}

function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}
