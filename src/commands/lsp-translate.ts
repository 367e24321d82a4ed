/**
 * The language server's half that is only translation: a migration's findings become LSP
 * diagnostics, a change set becomes a workspace edit, a finding's lone fix a quick-fix. Pure (no
 * connection, no disk): the server (lsp.ts) gives it the result and the document, and says how a
 * path of the build context becomes a URI.
 */
import {
  CodeActionKind,
  DiagnosticSeverity,
  type CodeAction,
  type Diagnostic,
  type Range,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
  type CreateFile,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { LoneFix } from '../core/review.js';
import { lineEdits } from '../core/review.js';
import type { FileChange, MigrationResult, ReportedFinding, Severity } from '../core/types.js';
import { transformDocs } from '../report/links.js';

/** The kind of the code action that applies the whole migration (`source.fixAll.dockmig`). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.dockmig`;

export const SOURCE = 'dockmig';

/** The document the translation is for: the editor's buffer, as the server last saw it. */
export interface Buffer {
  uri: string;
  version: number;
  text: string;
}

/** What the client can apply: `documentChanges` with file creation, or only `changes` by URI. */
export interface EditSupport {
  documentChanges: boolean;
  create: boolean;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

const BOM = '\uFEFF';

function documentOf(uri: string, text: string): TextDocument {
  return TextDocument.create(uri, 'dockerfile', 0, text);
}

/** A range of the text, or the whole line at `offset` when the range is empty. */
function rangeOf(doc: TextDocument, start: number, end: number): Range {
  if (end > start) {
    const range = { start: doc.positionAt(start), end: doc.positionAt(end) };
    // A range that takes its last line's break in ends on that line, not at the next one's start.
    if (range.end.character === 0 && range.end.line > range.start.line) {
      const line = range.end.line - 1;
      const text = doc.getText({ start: { line, character: 0 }, end: range.end });
      range.end = { line, character: text.replace(/\r?\n$/, '').length };
    }
    return range;
  }
  // An editor draws a zero-width range as nothing at all: the line is what the reader looks at.
  const line = doc.positionAt(start).line;
  const next = doc.offsetAt({ line: line + 1, character: 0 });
  const text = doc.getText().slice(doc.offsetAt({ line, character: 0 }), next);
  return {
    start: { line, character: 0 },
    end: { line, character: text.replace(/\r?\n$/, '').length },
  };
}

/** Where a finding points in the buffer; its first line when it points nowhere in it. */
export function findingRange(buffer: Buffer, finding: ReportedFinding): Range {
  const doc = documentOf(buffer.uri, buffer.text);
  // Ranges are in the text without a BOM; an editor that keeps one in the buffer counts it.
  const shift = buffer.text.startsWith(BOM) ? 1 : 0;
  if (!finding.range || finding.file !== undefined) return rangeOf(doc, shift, shift);
  return rangeOf(doc, finding.range.start + shift, finding.range.end + shift);
}

export function diagnosticOf(buffer: Buffer, finding: ReportedFinding): Diagnostic {
  return {
    range: findingRange(buffer, finding),
    severity: SEVERITY[finding.severity],
    code: finding.transform,
    codeDescription: { href: transformDocs(finding.transform) },
    source: SOURCE,
    // A finding about a Compose file is shown on the Dockerfile whose migration made it.
    message: finding.file !== undefined ? `${finding.file}: ${finding.message}` : finding.message,
  };
}

/**
 * One diagnostic per finding; a file the core refuses gets one, on its first line, with the
 * reason (and no findings: nothing of a refused file is changed).
 */
export function diagnosticsOf(buffer: Buffer, result: MigrationResult): Diagnostic[] {
  if (result.errors.length > 0) return [refusal(buffer, result.errors.join('; '))];
  return result.findings.map((f) => diagnosticOf(buffer, f));
}

/** The one diagnostic of a file dockmig cannot migrate, or of a failure while trying. */
export function refusal(buffer: Buffer, reason: string): Diagnostic {
  return {
    range: rangeOf(documentOf(buffer.uri, buffer.text), 0, 0),
    severity: DiagnosticSeverity.Error,
    source: SOURCE,
    message: `dockmig cannot migrate this file: ${reason}`,
  };
}

export function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) =>
    p.line < q.line || (p.line === q.line && p.character < q.character);
  // Touching counts: a cursor at the end of a diagnostic's range asks for its fixes.
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** Edits that turn `before` into `after`, one per run of changed lines, as LSP text edits. */
export function textEdits(uri: string, before: string, after: string): TextEdit[] {
  const doc = documentOf(uri, before);
  return lineEdits(before, after).map((e) => ({
    range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) },
    newText: e.text,
  }));
}

/**
 * A change set as one workspace edit: the buffer's file edited at the version the migration saw
 * (a client refuses it once the buffer moved on), other files edited as they are on disk, files
 * the migration creates created first.
 */
export function workspaceEdit(
  buffer: Buffer,
  dockerfile: string,
  changes: readonly FileChange[],
  uriOf: (path: string) => string,
  support: EditSupport,
): WorkspaceEdit {
  const uri = (c: FileChange) => (c.path === dockerfile ? buffer.uri : uriOf(c.path));
  const edits = (c: FileChange): TextEdit[] =>
    c.before === null
      ? // The whole of the new, empty document, said as running to the line after it (the protocol
        // clamps that to the end): Neovim, whose empty buffer is one empty line, then leaves no
        // empty line behind the text.
        [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
            newText: c.after,
          },
        ]
      : textEdits(uri(c), c.before, c.after);
  if (!support.documentChanges) {
    return { changes: Object.fromEntries(changes.map((c) => [uri(c), edits(c)])) };
  }
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  for (const c of changes) {
    if (c.before === null && support.create)
      documentChanges.push({ kind: 'create', uri: uri(c), options: { ignoreIfExists: true } });
    documentChanges.push({
      textDocument: { uri: uri(c), version: c.path === dockerfile ? buffer.version : null },
      edits: edits(c),
    });
  }
  return { documentChanges };
}

/** `source.fixAll.dockmig`: the whole migration; null when it changes nothing. */
export function fixAllAction(
  buffer: Buffer,
  dockerfile: string,
  result: MigrationResult,
  uriOf: (path: string) => string,
  support: EditSupport,
): CodeAction | null {
  if (result.errors.length > 0 || result.changes.length === 0) return null;
  const fixed = result.findings.filter((f) => f.fixed).length;
  return {
    title: `Apply the whole dockmig migration (${fixed} ${fixed === 1 ? 'fix' : 'fixes'})`,
    kind: FIX_ALL_KIND,
    edit: workspaceEdit(buffer, dockerfile, result.changes, uriOf, support),
  };
}

/** The title of a finding's quick-fix: the transform, what it does, and what it brings along. */
export function quickFixTitle(
  finding: ReportedFinding,
  needs: readonly string[],
  completes: readonly { transform: string }[] = [],
): string {
  const title = `dockmig ${finding.transform}: ${finding.message}`;
  const along = [
    ...(needs.length > 0 ? [`with ${needs.join(', ')}, which this fix stands on`] : []),
    ...(completes.length > 0
      ? [
          `with ${[...new Set(completes.map((c) => c.transform))].join(', ')}, without which the file would be refused`,
        ]
      : []),
  ];
  return along.length === 0 ? title : `${title} (${along.join('; ')})`;
}

/** A `quickfix` for one finding, its edits only the lines its lone fix changes; null when none. */
export function quickFixAction(
  buffer: Buffer,
  dockerfile: string,
  finding: ReportedFinding,
  lone: LoneFix,
  uriOf: (path: string) => string,
  support: EditSupport,
): CodeAction | null {
  if (lone.result.errors.length > 0 || lone.result.changes.length === 0) return null;
  return {
    title: quickFixTitle(finding, lone.needs, lone.completes),
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnosticOf(buffer, finding)],
    edit: workspaceEdit(buffer, dockerfile, lone.result.changes, uriOf, support),
  };
}
