import transform from '../../transforms/unsupported.js';
import { detect, transformTable } from '../helpers/transform-table.js';
import { expect, it } from 'vitest';

const F = 'FROM python:3.12-slim\nWORKDIR /app\n';

transformTable(transform, {
  valid: [
    { name: 'one CMD and one ENTRYPOINT', input: `${F}ENTRYPOINT ["tini", "--"]\nCMD ["app"]\n` },
    { name: 'one CMD per stage', input: `${F}CMD ["a"]\n\nFROM python:3.12-slim\nCMD ["b"]\n` },
    { name: 'an ONBUILD without uv', input: `${F}ONBUILD COPY . /app\nCMD ["app"]\n` },
    { name: 'uv in a longer word', input: `${F}ONBUILD RUN pip install uvicorn\n` },
  ],
  invalid: [
    {
      name: 'ONBUILD running uv sync',
      input: `${F}ONBUILD RUN uv sync --locked\nCMD ["app"]\n`,
      output: null,
      messages: [/an ONBUILD trigger runs uv .* triggers are not migrated/],
    },
    {
      name: 'ONBUILD copying uv in',
      input: `${F}ONBUILD COPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/\n`,
      output: null,
      messages: [/ONBUILD trigger/],
    },
    {
      name: 'two CMDs',
      input: `${F}CMD uvicorn app:app --reload\nCMD ["gunicorn", "app:app"]\n`,
      output: null,
      messages: [/^CMD appears 2 times in one stage and only the last one takes effect/],
    },
    {
      name: 'three ENTRYPOINTs',
      input: `${F}ENTRYPOINT ["a"]\nENTRYPOINT ["b"]\nENTRYPOINT ["c"]\n`,
      output: null,
      messages: [/^ENTRYPOINT appears 3 times/],
    },
  ],
});

it('marks what it finds as errors on the first of the repeated instructions', () => {
  const findings = detect(transform, `${F}CMD ["a"]\nCMD ["b"]\n`);
  expect(findings).toHaveLength(1);
  expect(findings[0].severity).toBe('error');
  expect(findings[0].range?.start).toBe(F.length);
});
