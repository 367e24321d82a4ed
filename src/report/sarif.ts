/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning. One rule per transform (id, title,
 * rationale as help), plus `input-error` for files that could not be processed. Each finding is a
 * result at its lines (line 1 when it concerns the file as a whole); a fixed finding carries the
 * replacements of the diff hunks it explains, as character ranges of the original file.
 */
import type { Severity } from '../core/types.js';
import type { Hunk } from './diff.js';
import type { FileReport, Report, TransformInfo } from './model.js';
import { HOMEPAGE, transformDocs } from './links.js';

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

export function sarif(report: Report, transforms: readonly TransformInfo[]): string {
  const rules = [...transforms, INPUT_ERROR];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const out: object[] = [];
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
    const assigned = assignHunks(file);
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
            informationUri: HOMEPAGE,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id
                .split('-')
                .map((w) => w[0].toUpperCase() + w.slice(1))
                .join(''),
              shortDescription: { text: r.title },
              fullDescription: { text: r.rationale },
              helpUri: transformDocs(r.id),
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
function assignHunks(file: FileReport): Map<number, [string, Replacement[]][]> {
  const out = new Map<number, [string, Replacement[]][]>();
  const fixed = file.findings.map((f, i) => ({ f, i })).filter(({ f }) => f.fixed);
  if (fixed.length === 0) return out;
  const give = (i: number, uri: string, r: Replacement) => {
    const list = out.get(i) ?? [];
    const entry = list.find(([u]) => u === uri);
    if (entry) entry[1].push(r);
    else list.push([uri, [r]]);
    out.set(i, list);
  };
  for (const hunk of file.hunks) {
    let owner = fixed[0].i;
    if (hunk.file === file.path) {
      const lo = hunk.lines.start;
      const hi = Math.max(hunk.lines.start, hunk.lines.start + hunk.lines.count - 1);
      const overlapping = fixed.find(
        ({ f }) => f.lines && f.lines.start <= hi && f.lines.end >= lo,
      );
      const above = fixed
        .filter(({ f }) => f.lines && f.lines.start <= hi)
        .sort((a, b) => b.f.lines!.start - a.f.lines!.start)[0];
      owner = (overlapping ?? above ?? fixed[0]).i;
    } else {
      // The finding about that file (a Compose file), else the transform that writes such files.
      const about = fixed.find(({ f }) => f.file === hunk.file);
      const writer = fixed.find(({ f }) =>
        hunk.file.endsWith('.dockerignore')
          ? f.transform === 'dockerignore'
          : f.transform === 'entrypoint-scripts',
      );
      owner = (about ?? writer ?? fixed[0]).i;
    }
    give(owner, hunk.file, replacement(hunk));
  }
  return out;
}

function replacement(hunk: Hunk): Replacement {
  return {
    deletedRegion: { charOffset: hunk.offset, charLength: hunk.length },
    insertedContent: { text: hunk.text },
  };
}
