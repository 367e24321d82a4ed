/**
 * ENV DATABASE_PASSWORD=hunter2    ->  reported, not fixed: the value is in every layer and in
 * ARG API_TOKEN=abc123                 `docker history`; pass it with a secret mount at build time
 *                                      or as an environment variable at run time.
 *
 * Names ending in _TOKEN, _PASSWORD, _PASSWD, _SECRET, _KEY (also SECRET_KEY, API_KEY...) with a
 * literal value. Variables (`${FROM_BUILD_ARG}`), empty values and obvious placeholders
 * (`changeme`, `xxx`, `<...>`) are left. The value itself is never repeated in a message.
 */
import { defineTransform } from '../src/core/transform.js';
import type { Finding } from '../src/core/types.js';

const SECRET_NAME = /(^|_)(TOKEN|PASSWORD|PASSWD|PASS|SECRET|KEY|API_KEY|PRIVATE_KEY)$/i;
const NOT_SECRET =
  /^(.*_)?(PUBLIC_KEY|KEY_ID|KEY_FILE|PASSWORD_FILE|TOKEN_FILE|SECRET_FILE|KEY_PATH)$/i;
const PLACEHOLDER =
  /^(changeme|change-me|xxx+|\*+|<.*>|placeholder|dummy|example|none|null|false|true|0)$/i;

export default defineTransform({
  id: 'secret-in-env',
  title: 'No secrets in ENV or ARG',
  rationale:
    'A literal value in ENV or ARG is stored in the image layers and shown by `docker history`: ' +
    'anyone who can pull the image can read it. Build-time secrets belong in `RUN --mount=type=secret`, ' +
    'run-time ones in the environment the container is started with.',
  uvOnly: false,
  detect(doc) {
    const findings: Finding[] = [];
    for (const instr of doc.instructions) {
      if (instr.keyword !== 'ENV' && instr.keyword !== 'ARG') continue;
      for (const p of doc.properties(instr)) {
        const name = p.name;
        const value = (p.value ?? '').replace(/^["']|["']$/g, '');
        if (!SECRET_NAME.test(name) || NOT_SECRET.test(name)) continue;
        if (value === '' || value.includes('$') || PLACEHOLDER.test(value)) continue;
        findings.push({
          message: `${instr.keyword} ${name} has a literal value (${value.length} characters, not shown): it is readable by anyone who can pull the image; use a secret mount or set it at run time`,
          range: { start: instr.start, end: instr.end },
          severity: 'error',
        });
      }
    }
    return findings;
  },
});
