/**
 * One unified diff for a whole run, in git's format, so `git apply` accepts it from the working
 * directory: `a/` and `b/` paths, `new file mode` for created files, CRLF and a BOM kept as bytes,
 * `\ No newline at end of file` where a side has none.
 */
import { structuredPatch } from 'diff';

export interface DiffFile {
  /** Path relative to the working directory, `/`-separated. */
  path: string;
  before: string | null;
  after: string;
}

export function unifiedDiff(files: DiffFile[]): string {
  return files.map(fileDiff).join('');
}

function fileDiff(file: DiffFile): string {
  const { path, before, after } = file;
  const created = before === null;
  const patch = structuredPatch(path, path, before ?? '', after, '', '', { context: 3 });
  if (patch.hunks.length === 0) return '';
  const out = [`diff --git a/${path} b/${path}`];
  if (created) out.push('new file mode 100644');
  out.push(created ? '--- /dev/null' : `--- a/${path}`, `+++ b/${path}`);
  for (const h of patch.hunks) {
    const oldStart = h.oldLines === 0 ? h.oldStart - 1 : h.oldStart;
    const newStart = h.newLines === 0 ? h.newStart - 1 : h.newStart;
    out.push(`@@ -${range(oldStart, h.oldLines)} +${range(newStart, h.newLines)} @@`);
    out.push(...h.lines);
  }
  return out.join('\n') + '\n';
}

function range(start: number, lines: number): string {
  return lines === 1 ? `${start}` : `${start},${lines}`;
}
