/**
 * The language server's translation, without a server: findings to diagnostics (UTF-16 positions,
 * empty ranges widened to their line, a BOM counted), change sets to workspace edits that an editor
 * applying them gets the golden output from, and the titles of the code actions.
 */
import { describe, expect, it } from 'vitest';
import type { CreateFile, TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  FIX_ALL_KIND,
  diagnosticOf,
  diagnosticsOf,
  fixAllAction,
  overlaps,
  quickFixAction,
  quickFixTitle,
  textEdits,
  workspaceEdit,
  type Buffer,
} from '../../src/commands/lsp-translate.js';
import type { MigrationResult, ReportedFinding } from '../../src/core/types.js';
import { fixAlone, migrate, prepare } from '../../src/index.js';
import { goldenCases } from '../helpers/fixtures.js';

const uri = 'file:///p/Dockerfile';
const buffer = (text: string, version = 3): Buffer => ({ uri, version, text });
const finding = (over: Partial<ReportedFinding> = {}): ReportedFinding => ({
  transform: 'pin-python-base',
  title: 'Pin the Python base image',
  message: 'python:3 -> python:3.12-slim-trixie',
  severity: 'warning',
  fixed: true,
  ...over,
});
const uriOf = (path: string) => `file:///p/${path}`;
const full = { documentChanges: true, create: true };

/** What an editor holds after applying `edit`: each file's text, from `files` as they were. */
function applied(edit: WorkspaceEdit, files: Record<string, string>): Record<string, string> {
  const out = { ...files };
  const apply = (u: string, edits: TextEdit[]) => {
    out[u] = TextDocument.applyEdits(TextDocument.create(u, 'x', 0, out[u] ?? ''), edits);
  };
  for (const change of edit.documentChanges ?? []) {
    const c = change as CreateFile | TextDocumentEdit;
    if ('kind' in c) out[c.uri] = out[c.uri] ?? '';
    else apply(c.textDocument.uri, c.edits as TextEdit[]);
  }
  for (const [u, edits] of Object.entries(edit.changes ?? {})) apply(u, edits);
  return out;
}

describe('diagnostics', () => {
  it('say the finding with its transform, a link to its README section, and its severity', () => {
    const text = 'FROM python:3\nRUN true\n';
    expect(diagnosticOf(buffer(text), finding({ range: { start: 5, end: 13 } }))).toEqual({
      range: { start: { line: 0, character: 5 }, end: { line: 0, character: 13 } },
      severity: 2,
      code: 'pin-python-base',
      codeDescription: { href: 'https://www.npmjs.com/package/dockmig#pin-python-base' },
      source: 'dockmig',
      message: 'python:3 -> python:3.12-slim-trixie',
    });
    const severities = (['error', 'warning', 'info'] as const).map(
      (severity) => diagnosticOf(buffer(text), finding({ severity })).severity,
    );
    expect(severities).toEqual([1, 2, 3]);
  });

  it('count UTF-16 code units, as the protocol does, after characters outside the BMP', () => {
    const text = 'LABEL icon="🐳"\nFROM python:3 AS b\n';
    const start = text.indexOf('python:3');
    const d = diagnosticOf(buffer(text), finding({ range: { start, end: start + 8 } }));
    expect(d.range).toEqual({
      start: { line: 1, character: 5 },
      end: { line: 1, character: 13 },
    });
    const label = diagnosticOf(buffer(text), finding({ range: { start: 12, end: 14 } }));
    // The whale is two code units.
    expect(label.range.end).toEqual({ line: 0, character: 14 });
  });

  it('widen an empty range, or none, to its line (without the line break)', () => {
    const text = 'FROM python:3\r\nCMD ["app"]\r\n';
    const at = text.indexOf('CMD') + 2;
    expect(diagnosticOf(buffer(text), finding({ range: { start: at, end: at } })).range).toEqual({
      start: { line: 1, character: 0 },
      end: { line: 1, character: 11 },
    });
    expect(diagnosticOf(buffer(text), finding({ range: undefined })).range).toEqual({
      start: { line: 0, character: 0 },
      end: { line: 0, character: 13 },
    });
  });

  it("end a range that takes its last line's break on that line", () => {
    const text = 'FROM a\nEXPOSE 80\nCMD ["x"]\n';
    const d = diagnosticOf(buffer(text), finding({ range: { start: 7, end: text.length } }));
    expect(d.range).toEqual({ start: { line: 1, character: 0 }, end: { line: 2, character: 9 } });
  });

  it('count a BOM the buffer kept, since ranges are in the text without it', () => {
    const d = diagnosticOf(
      buffer('\uFEFFFROM python:3\n'),
      finding({ range: { start: 5, end: 13 } }),
    );
    expect(d.range).toEqual({ start: { line: 0, character: 6 }, end: { line: 0, character: 14 } });
  });

  it('put a finding about another file on the first line, naming the file', () => {
    const d = diagnosticOf(
      buffer('FROM a\nCMD x\n'),
      finding({ file: 'compose.yaml', range: { start: 30, end: 40 }, message: 'command kept' }),
    );
    expect(d.message).toBe('compose.yaml: command kept');
    expect(d.range.start.line).toBe(0);
  });

  it('are one diagnostic with the reasons for a file the core refuses', () => {
    const result: MigrationResult = {
      path: 'Dockerfile',
      status: 'error',
      changes: [],
      findings: [finding()],
      errors: ['unknown instruction FROOM on line 2'],
      notes: [],
    };
    expect(diagnosticsOf(buffer('FROM a\nFROOM x\n'), result)).toEqual([
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 6 } },
        severity: 1,
        source: 'dockmig',
        message: 'dockmig cannot migrate this file: unknown instruction FROOM on line 2',
      },
    ]);
  });
});

describe('edits', () => {
  it('change only the runs of lines that differ', () => {
    const before = 'FROM a\nRUN x\nRUN y\nCMD z\n';
    const after = 'FROM b\nRUN x\nRUN y\nUSER 1\nCMD z\n';
    expect(textEdits(uri, before, after)).toEqual([
      {
        range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
        newText: 'FROM b\n',
      },
      {
        range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } },
        newText: 'USER 1\n',
      },
    ]);
  });

  it('edit the buffer at its version, other files as on disk, and create the missing ones first', () => {
    const edit = workspaceEdit(
      buffer('FROM a\n', 7),
      'Dockerfile',
      [
        { path: 'Dockerfile', before: 'FROM a\n', after: 'FROM b\n' },
        { path: '.dockerignore', before: null, after: '.venv\n' },
        { path: 'start.sh', before: '#!/bin/sh\nuv run app\n', after: '#!/bin/sh\nexec app\n' },
      ],
      uriOf,
      full,
    );
    expect(edit.documentChanges).toEqual([
      {
        textDocument: { uri, version: 7 },
        edits: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
            newText: 'FROM b\n',
          },
        ],
      },
      { kind: 'create', uri: 'file:///p/.dockerignore', options: { ignoreIfExists: true } },
      {
        textDocument: { uri: 'file:///p/.dockerignore', version: null },
        edits: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } },
            newText: '.venv\n',
          },
        ],
      },
      {
        textDocument: { uri: 'file:///p/start.sh', version: null },
        edits: [
          {
            range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } },
            newText: 'exec app\n',
          },
        ],
      },
    ]);
  });

  it('fall back to edits by URI for a client without documentChanges', () => {
    const edit = workspaceEdit(
      buffer('FROM a\n'),
      'Dockerfile',
      [
        { path: 'Dockerfile', before: 'FROM a\n', after: 'FROM b\n' },
        { path: '.dockerignore', before: null, after: '.venv\n' },
      ],
      uriOf,
      { documentChanges: false, create: false },
    );
    expect(edit.documentChanges).toBeUndefined();
    expect(applied(edit, { [uri]: 'FROM a\n' })).toEqual({
      [uri]: 'FROM b\n',
      'file:///p/.dockerignore': '.venv\n',
    });
  });

  it('of source.fixAll.dockmig give every golden output, the files it creates included', () => {
    for (const c of goldenCases()) {
      const text = c.input[c.dockerfile];
      const result = migrate(
        { dockerfile: text, path: c.dockerfile, files: c.input },
        c.meta.options,
      );
      const action = fixAllAction(buffer(text), c.dockerfile, result, uriOf, full);
      if (c.meta.unchanged) {
        expect(action, c.name).toBeNull();
        continue;
      }
      expect(action!.kind).toBe(FIX_ALL_KIND);
      const before = Object.fromEntries(
        Object.entries(c.input).map(([p, t]) => [p === c.dockerfile ? uri : uriOf(p), t]),
      );
      const after = applied(action!.edit!, before);
      for (const [path, expected] of Object.entries(c.expected))
        expect(after[path === c.dockerfile ? uri : uriOf(path)], `${c.name}: ${path}`).toBe(
          expected,
        );
    }
  });
});

describe('code actions', () => {
  it('name the finding, and the fixes a quick-fix brings along', () => {
    expect(quickFixTitle(finding(), [])).toBe(
      'dockmig pin-python-base: python:3 -> python:3.12-slim-trixie',
    );
    expect(
      quickFixTitle(finding({ transform: 'non-root-user', message: 'runs as 10001' }), [
        'multi-stage',
        'no-uv-at-runtime',
      ]),
    ).toBe(
      'dockmig non-root-user: runs as 10001 (with multi-stage, no-uv-at-runtime, which this fix stands on)',
    );
    expect(
      quickFixTitle(
        finding({ transform: 'multi-stage', message: 'split' }),
        [],
        [finding({ transform: 'no-uv-at-runtime', message: 'uv run removed' })],
      ),
    ).toBe(
      'dockmig multi-stage: split (with no-uv-at-runtime, without which the file would be refused)',
    );
  });

  it("are a finding's lone fix, its diagnostic attached, or nothing when it changes nothing", () => {
    const input = {
      dockerfile: 'FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD ["python", "app.py"]\n',
      files: { 'pyproject.toml': '[project]\nname = "a"\nversion = "1"\n', 'app.py': '' },
    };
    const review = prepare(input);
    const result = migrate(input);
    const pin = result.findings.find((f) => f.transform === 'pin-python-base')!;
    const action = quickFixAction(
      buffer(input.dockerfile),
      'Dockerfile',
      pin,
      fixAlone(review, result, pin)!,
      uriOf,
      full,
    )!;
    expect(action.kind).toBe('quickfix');
    expect(action.diagnostics).toEqual([diagnosticOf(buffer(input.dockerfile), pin)]);
    expect(applied(action.edit!, { [uri]: input.dockerfile })[uri]).toBe(
      input.dockerfile.replace('python:3.12-slim\n', 'python:3.12-slim-trixie\n'),
    );
    const nothing = { result: { ...result, changes: [] }, needs: [], completes: [] };
    expect(quickFixAction(buffer(''), 'Dockerfile', pin, nothing, uriOf, full)).toBeNull();
  });

  it('are asked for where the range touches the finding', () => {
    const r = (l1: number, c1: number, l2: number, c2: number) => ({
      start: { line: l1, character: c1 },
      end: { line: l2, character: c2 },
    });
    expect(overlaps(r(0, 5, 0, 13), r(0, 13, 0, 13))).toBe(true);
    expect(overlaps(r(0, 5, 0, 13), r(0, 0, 0, 5))).toBe(true);
    expect(overlaps(r(0, 5, 0, 13), r(0, 14, 1, 0))).toBe(false);
    expect(overlaps(r(2, 0, 4, 1), r(0, 0, 1, 99))).toBe(false);
    expect(overlaps(r(2, 0, 4, 1), r(3, 0, 3, 0))).toBe(true);
  });
});
