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

/** One replacement of a change set, in the original text of its file. */
export interface Hunk {
  /** The file, relative to the working directory like the report's other paths. */
  file: string;
  /** The lines of the original it replaces: the first (1-based) and how many (0: inserted before it). */
  lines: { start: number; count: number };
  /** The replaced characters of the original: UTF-16 offset and length. */
  offset: number;
  length: number;
  /** The text that replaces them. */
  text: string;
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

/**
 * The hunks of a change without context, each as the lines of `before` it replaces (an empty
 * side numbered by the line it comes before, as jsdiff does) and the same as a character range
 * of `before` with the exact new text: what a SARIF fix carries.
 */
export function changeHunks(file: string, before: string, after: string): Hunk[] {
  const at = lineStarts(before);
  const atNew = lineStarts(after);
  const patch = structuredPatch('a', 'b', before, after, '', '', { context: 0 });
  return patch.hunks.map((h) => {
    // jsdiff numbers an empty side by the line it comes before; either way the range is
    // [start of its first line, start of the line after its last).
    const start = at(h.oldStart);
    const end = at(h.oldStart + h.oldLines);
    const text = after.slice(atNew(h.newStart), atNew(h.newStart + h.newLines));
    return {
      file,
      lines: { start: h.oldStart, count: h.oldLines },
      offset: start,
      length: end - start,
      text,
    };
  });
}

/** Offset of the start of a 1-based line (the text's length past the last line). */
function lineStarts(text: string): (line: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (line) => (line >= 1 && line - 1 < starts.length ? starts[line - 1] : text.length);
}
