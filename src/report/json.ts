/** `--format json`: the report document as it is (schema: `schema/report.schema.json`). */
import type { Report } from './model.js';

export function json(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
