/**
 * The outputs over every golden scenario: JSON valid against `schema/report.schema.json`, SARIF
 * valid against the official SARIF 2.1.0 schema and its fixes rebuilding the expected files, and
 * Markdown with the counts, the findings and each diff.
 */
import { describe, expect, it } from 'vitest';
import { buildReport, prefixReport, reasonKey, type Report } from '../../src/report/model.js';
import { json } from '../../src/report/json.js';
import { markdown } from '../../src/report/markdown.js';
import { sarif } from '../../src/report/sarif.js';
import type { MigrationResult } from '../../src/core/types.js';
import { TRANSFORMS } from '../../transforms/index.js';
import { goldenCases, migrateTree } from '../helpers/fixtures.js';
import { sarifValidator, validator } from '../helpers/schemas.js';

const cases = goldenCases();
/** Results as a run reports them: paths relative to the working directory (the fixtures root). */
const results: MigrationResult[] = cases.map((c) => {
  const r = migrateTree(c.input, c.dockerfile, c.meta.options ?? {});
  return {
    ...r,
    path: `${c.name}/${c.dockerfile}`,
    changes: r.changes.map((ch) => ({ ...ch, path: `${c.name}/${ch.path}` })),
    findings: r.findings.map((f) => (f.file ? { ...f, file: `${c.name}/${f.file}` } : f)),
  };
});
const report: Report = buildReport({
  version: '9.9.9',
  mode: 'dry-run',
  results,
  problems: [
    { path: 'gone/Dockerfile', message: 'no such file or directory' },
    { path: 'bad/Dockerfile', message: 'unknown instruction FROOM on line 2' },
    { path: 'worse/Dockerfile', message: 'unknown instruction RUNN on line 7' },
  ],
  skipped: [
    {
      path: 'link/Dockerfile',
      message: 'is a symbolic link; links met while walking are not followed',
    },
  ],
  transforms: TRANSFORMS,
});

describe('the report document', () => {
  it('counts files by status and errors by reason', () => {
    const s = report.summary;
    expect(s.files).toBe(cases.length + 4);
    expect(s.changed + s.unchanged + s.errors + s.skipped).toBe(s.files);
    expect(s.changed).toBe(cases.filter((c) => Object.keys(c.expected).length > 0).length);
    expect(s.byReason['unknown instruction FROOM on line N']).toBe(1);
    expect(s.skipped).toBe(1);
    expect(reasonKey('is 2417 bytes, over the 1 KiB limit (--max-size)')).toBe(
      'is N bytes, over the N KiB limit',
    );
  });

  it('names the file a finding is about when it is not the Dockerfile', () => {
    const file = report.files.find((f) => f.path === 'compose-generated/Dockerfile')!;
    const created = file.findings.filter((f) => f.transform === 'compose-files');
    expect(created.map((f) => [f.file, f.lines, f.fixed])).toEqual([
      ['compose-generated/docker-compose.build.yml', null, true],
      ['compose-generated/docker-compose.dev.yml', null, true],
    ]);
    const pin = file.findings.find((f) => f.transform === 'pin-python-base')!;
    expect(pin.file).toBeNull();
  });

  it('gives each finding its rationale, lines and whether it was fixed', () => {
    const file = report.files.find((f) => f.path === 'python-latest-uvicorn-reload/Dockerfile')!;
    const pin = file.findings.find((f) => f.transform === 'pin-python-base')!;
    expect(pin.rationale).toBe(TRANSFORMS.find((t) => t.id === 'pin-python-base')!.rationale);
    expect(pin.lines).toEqual({ start: 1, end: 1 });
    expect(pin.fixed).toBe(true);
    expect(pin.notFixedReason).toBeNull();
    expect(file.diff).toContain('+FROM python:3.12-slim-trixie AS builder\n');
  });
});

describe('--format json', () => {
  it('is valid against schema/report.schema.json', () => {
    const validate = validator('report.schema.json');
    const ok = validate(JSON.parse(json(report)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema is not a blank cheque: a wrong report fails it', () => {
    const validate = validator('report.schema.json');
    const bad = JSON.parse(json(report));
    bad.files[0].status = 'fine';
    expect(validate(bad)).toBe(false);
    delete bad.files[0].status;
    bad.files[0].extra = 1;
    expect(validate(bad)).toBe(false);
  });
});

describe('--format sarif', () => {
  const log = JSON.parse(sarif(report, TRANSFORMS));

  it('is a view of the report document alone: the same from the document read back from JSON', () => {
    expect(sarif(JSON.parse(json(report)) as Report, TRANSFORMS)).toBe(sarif(report, TRANSFORMS));
  });

  it("an organisation's prefixed report carries its fixes under the repository's paths", () => {
    const prefixed = JSON.parse(sarif(prefixReport(report, 'acme/api'), TRANSFORMS));
    const uris = prefixed.runs[0].results.flatMap(
      (r: { fixes?: { artifactChanges: { artifactLocation: { uri: string } }[] }[] }) =>
        (r.fixes ?? []).flatMap((f) => f.artifactChanges.map((c) => c.artifactLocation.uri)),
    );
    expect(uris.length).toBeGreaterThan(0);
    expect(uris.filter((u: string) => !u.startsWith('acme/api/'))).toEqual([]);
  });

  it('is valid SARIF 2.1.0 (the OASIS schema)', () => {
    const validate = sarifValidator();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // And it rejects what is not SARIF, so the check above can fail.
    expect(validate({ ...log, version: '2.0.0' })).toBe(false);
  });

  it('has one rule per transform with its title and rationale, and input-error', () => {
    const rules = log.runs[0].tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual([
      ...TRANSFORMS.map((t) => t.id),
      'input-error',
    ]);
    const exec = rules.find((r: { id: string }) => r.id === 'exec-form');
    const t = TRANSFORMS.find((x) => x.id === 'exec-form')!;
    expect(exec.shortDescription.text).toBe(t.title);
    expect(exec.fullDescription.text).toBe(t.rationale);
    expect(exec.help.text).toBe(t.rationale);
  });

  it('points results at files and lines; unreadable files are input-error results', () => {
    const results_ = log.runs[0].results;
    const bad = results_.find(
      (r: { ruleId: string; message: { text: string } }) =>
        r.ruleId === 'input-error' && r.message.text.includes('FROOM'),
    );
    expect(bad.level).toBe('error');
    expect(bad.locations[0].physicalLocation.artifactLocation.uri).toBe('bad/Dockerfile');
    const pin = results_.find(
      (r: {
        ruleId: string;
        locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
      }) =>
        r.ruleId === 'pin-python-base' &&
        r.locations[0].physicalLocation.artifactLocation.uri ===
          'python-latest-uvicorn-reload/Dockerfile',
    );
    expect(pin.locations[0].physicalLocation.region).toEqual({ startLine: 1, endLine: 1 });
  });

  it('a finding about a Compose file points at that file and line, and carries its fix', () => {
    const compose = log.runs[0].results.filter(
      (r: {
        ruleId: string;
        locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
      }) =>
        r.ruleId === 'compose-commands' &&
        r.locations[0].physicalLocation.artifactLocation.uri.startsWith('compose-string-command/'),
    );
    expect(compose).toHaveLength(1);
    expect(compose[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'compose-string-command/docker-compose.yml' },
      region: { startLine: 12, endLine: 12 },
    });
    expect(
      compose[0].fixes[0].artifactChanges.map(
        (c: { artifactLocation: { uri: string } }) => c.artifactLocation.uri,
      ),
    ).toEqual(['compose-string-command/docker-compose.yml']);
  });

  it.each(cases.filter((c) => Object.keys(c.expected).length > 0).map((c) => [c.name, c]))(
    '%s: applying every fix to the input gives the expected files',
    (_name, c) => {
      const files: Record<string, string> = {};
      const edits: Record<string, { charOffset: number; charLength: number; text: string }[]> = {};
      for (const r of log.runs[0].results) {
        for (const fix of r.fixes ?? []) {
          for (const change of fix.artifactChanges) {
            const uri = decodeURIComponent(change.artifactLocation.uri);
            if (!uri.startsWith(`${c.name}/`)) continue;
            for (const rep of change.replacements) {
              (edits[uri] ??= []).push({ ...rep.deletedRegion, text: rep.insertedContent.text });
            }
          }
        }
      }
      for (const [uri, list] of Object.entries(edits)) {
        let text = c.input[uri.slice(c.name.length + 1)] ?? '';
        for (const e of list.sort((a, b) => b.charOffset - a.charOffset)) {
          text = text.slice(0, e.charOffset) + e.text + text.slice(e.charOffset + e.charLength);
        }
        files[uri.slice(c.name.length + 1)] = text;
      }
      expect(files).toEqual(c.expected);
    },
  );
});

describe('--format markdown', () => {
  const md = markdown(report);

  it('starts with the counts, then each file with findings, rationale and diff', () => {
    expect(md).toContain(
      `| ${report.summary.files} | ${report.summary.changed} | ${report.summary.unchanged} | 1 | 3 | ${report.summary.incomplete} |`,
    );
    expect(md).toContain('| unknown instruction FROOM on line N | 1 |');
    expect(md).toContain('### `python-latest-uvicorn-reload/Dockerfile`: changes');
    expect(md).toContain('- **no-dev-server**');
    expect(md).toContain('<details><summary>Why</summary>');
    expect(md).toMatch(/```diff\ndiff --git a\/python-latest-uvicorn-reload\/Dockerfile/);
    expect(md).toContain('> **error:** no such file or directory');
  });

  it('names the Compose file and its line for a finding about it', () => {
    expect(md).toContain(
      '- **compose-commands** (`compose-string-command/docker-compose.yml` line 12): docker-compose.yml: service api: command: uv run removed before uvicorn; --reload dropped\n',
    );
  });

  it('fences a diff holding backticks with a longer fence, and drops carriage returns', () => {
    const part = md.slice(md.indexOf('### `escape-backtick/Dockerfile`'));
    const fence = /^(`{3,})diff$/m.exec(part)![1];
    const body = part.slice(part.indexOf(`${fence}diff\n`) + fence.length + 5);
    const end = body.indexOf(`\n${fence}\n`);
    expect(end).toBeGreaterThan(0);
    expect(body.slice(0, end)).toContain('`');
    expect(md).not.toContain('\r');
  });
});
