/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning. One rule per transform (id, title,
 * rationale as help), plus `input-error` for files that could not be processed. Each finding is a
 * result at its lines (line 1 when it concerns the file as a whole); a fixed finding carries the
 * replacements of the diff hunks it explains, as character ranges of the original file.
 */
import { structuredPatch } from 'diff';
import type { FileChange, MigrationResult, Severity } from '../core/types.js';
import type { Report, TransformInfo } from './model.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

const INPUT_ERROR: TransformInfo = {
  id: 'input-error',
  title: 'A Dockerfile dockmig could not process',
  rationale:
    'The file could not be read, parsed or written (empty, binary, cut off, unknown instruction, ' +
    'a link, changed on disk meanwhile); it was left byte-identical. The message says why.',
};

interface Replacement {
  deletedRegion: { charOffset: number; charLength: number };
  insertedContent: { text: string };
}

export function sarif(
  report: Report,
  results: readonly MigrationResult[],
  transforms: readonly TransformInfo[],
): string {
  const rules = [...transforms, INPUT_ERROR];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const out: object[] = [];
  const byPath = new Map(results.map((r) => [r.path, r]));
  for (const file of report.files) {
    if (file.status === 'error') {
      for (const message of file.errors) {
        out.push({
          ruleId: INPUT_ERROR.id,
          ruleIndex: ruleIndex.get(INPUT_ERROR.id),
          level: 'error',
          message: { text: message },
          locations: [location(file.path, 1, 1)],
        });
      }
      continue;
    }
    if (file.status === 'skipped') continue;
    const result = byPath.get(file.path);
    const assigned = assignHunks(file.findings, result?.changes ?? [], file.path);
    file.findings.forEach((f, i) => {
      const fixes = assigned.get(i);
      out.push({
        ruleId: f.transform,
        ruleIndex: ruleIndex.get(f.transform),
        level: LEVEL[f.severity],
        message: { text: f.fixed ? f.message : `${f.message} (not fixed)` },
        locations: [
          location(f.file ?? file.path, f.lines?.start ?? 1, f.lines?.end ?? f.lines?.start ?? 1),
        ],
        ...(fixes && fixes.length > 0
          ? {
              fixes: [
                {
                  description: { text: f.message },
                  artifactChanges: fixes.map(([uri, replacements]) => ({
                    artifactLocation: { uri: encodeUri(uri) },
                    replacements,
                  })),
                },
              ],
            }
          : {}),
      });
    });
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dockmig',
            version: report.tool.version,
            informationUri: 'https://www.npmjs.com/package/dockmig',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id
                .split('-')
                .map((w) => w[0].toUpperCase() + w.slice(1))
                .join(''),
              shortDescription: { text: r.title },
              fullDescription: { text: r.rationale },
              help: { text: r.rationale, markdown: `**${r.title}**\n\n${r.rationale}` },
              defaultConfiguration: { level: r.id === INPUT_ERROR.id ? 'error' : 'warning' },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: out,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function location(uri: string, startLine: number, endLine: number) {
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeUri(uri) },
      region: { startLine, endLine: Math.max(startLine, endLine) },
    },
  };
}

function encodeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * Which fixed finding carries which hunk: a Dockerfile hunk goes to the first fixed finding whose
 * lines it overlaps, else to the nearest fixed finding above it, else the first fixed one; other
 * files of the change set go to the finding of the transform that writes them.
 */
function assignHunks(
  findings: Report['files'][number]['findings'],
  changes: readonly FileChange[],
  dockerfile: string,
): Map<number, [string, Replacement[]][]> {
  const out = new Map<number, [string, Replacement[]][]>();
  const fixed = findings.map((f, i) => ({ f, i })).filter(({ f }) => f.fixed);
  if (fixed.length === 0) return out;
  const give = (i: number, uri: string, r: Replacement) => {
    const list = out.get(i) ?? [];
    const entry = list.find(([u]) => u === uri);
    if (entry) entry[1].push(r);
    else list.push([uri, [r]]);
    out.set(i, list);
  };
  for (const change of changes) {
    const before = change.before ?? '';
    for (const hunk of hunks(before, change.after)) {
      let owner = fixed[0].i;
      if (change.path === dockerfile) {
        const lo = hunk.oldStart;
        const hi = Math.max(hunk.oldStart, hunk.oldStart + hunk.oldLines - 1);
        const overlapping = fixed.find(
          ({ f }) => f.lines && f.lines.start <= hi && f.lines.end >= lo,
        );
        const above = fixed
          .filter(({ f }) => f.lines && f.lines.start <= hi)
          .sort((a, b) => b.f.lines!.start - a.f.lines!.start)[0];
        owner = (overlapping ?? above ?? fixed[0]).i;
      } else {
        // The finding about that file (a Compose file), else the transform that writes such files.
        const about = fixed.find(({ f }) => f.file === change.path);
        const writer = fixed.find(({ f }) =>
          change.path.endsWith('.dockerignore')
            ? f.transform === 'dockerignore'
            : f.transform === 'entrypoint-scripts',
        );
        owner = (about ?? writer ?? fixed[0]).i;
      }
      give(owner, change.path, hunk.replacement);
    }
  }
  return out;
}

/** The hunks of a change (no context) as character ranges of `before` and the exact new text. */
export function hunks(before: string, after: string) {
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
      oldStart: h.oldStart,
      oldLines: h.oldLines,
      replacement: {
        deletedRegion: { charOffset: start, charLength: end - start },
        insertedContent: { text },
      },
    };
  });
}

/** Offset of the start of a 1-based line (the text's length past the last line). */
function lineStarts(text: string): (line: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (line) => (line >= 1 && line - 1 < starts.length ? starts[line - 1] : text.length);
}
