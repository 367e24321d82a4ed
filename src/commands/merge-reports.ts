/** `dockmig merge-reports a.json b.json ...`: the JSON reports of several runs (shards) as one. */
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { readJson } from '../io/state.js';
import { mergeReports, SCHEMA_VERSION, type Report } from '../report/model.js';
import { renderReport, writeHtmlReport, type Io } from './run.js';

export async function mergeReportFiles(
  opts: {
    files: string[];
    format: 'json' | 'markdown';
    reportFile: string | null;
    version: string;
  },
  io: Io,
): Promise<number> {
  const reports = opts.files.map((file) => {
    let parsed: Report | undefined;
    try {
      parsed = readJson(resolve(io.cwd, file)) as Report | undefined;
    } catch (error) {
      throw new UsageError(`${file}: not a JSON report (${(error as Error).message})`);
    }
    if (parsed === undefined) throw new UsageError(`${file}: no such file`);
    if (parsed?.schemaVersion !== SCHEMA_VERSION || !Array.isArray(parsed.files))
      throw new UsageError(`${file}: not a dockmig report (schemaVersion ${SCHEMA_VERSION})`);
    return parsed;
  });
  const paths = reports.flatMap((r) => r.files.map((f) => f.path));
  const twice = paths.filter((p, i) => paths.indexOf(p) !== i);
  if (twice.length > 0)
    throw new UsageError(
      `the reports overlap (${twice.slice(0, 3).join(', ')}): were the same shard merged twice?`,
    );
  const merged = mergeReports(reports, opts.version);
  io.stdout(renderReport(merged, opts.format));
  if (opts.reportFile) await writeHtmlReport(resolve(io.cwd, opts.reportFile), merged);
  return 0;
}
