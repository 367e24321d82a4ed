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
    { name: 'a shell test', input: `${F}RUN [ ! -d /data ] && mkdir /data\n` },
    { name: 'a quoted shell test', input: `${F}RUN [ "$A" = b ] && echo yes\n` },
    { name: 'a bash test', input: `${F}SHELL ["/bin/bash", "-c"]\nRUN [[ -f x ]] || touch x\n` },
    { name: 'a test inside if', input: `${F}RUN if [ -f x ]; then rm x; fi\n` },
    {
      name: 'a test on a continuation line of a mounted RUN',
      input: `${F}RUN --mount=type=cache,target=/root/.cache/uv \\\n    # only when asked\n    [ -z "$X" ] || uv sync\n`,
    },
    { name: 'exec-form RUN', input: `${F}RUN ["pip", "install", "uv"]\n` },
    {
      name: 'an exec-form CMD that is not JSON (exec-form reports it)',
      input: `${F}CMD ['app']\n`,
    },
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
    {
      name: 'a RUN written as an array that is not JSON',
      input: `${F}RUN ["pip", "install", "uv"]  # the installer\n`,
      output: null,
      messages: [
        /^RUN `\["pip", "install", "uv"\]  # the installer` is written like an exec-form array but is not valid JSON .* Docker runs the text as a shell command \(\/bin\/sh -c\) and the build stops there; left as is$/,
      ],
    },
    {
      name: 'a RUN array in single quotes',
      input: `${F}RUN ['uv', 'sync']\n`,
      output: null,
      messages: [/^RUN `\['uv', 'sync'\]` is written like an exec-form array/],
    },
    {
      name: 'a test without its closing bracket',
      input: `${F}RUN --mount=type=cache,target=/root/.cache/uv \\\n    [ -z "$X" || uv sync\n`,
      output: null,
      messages: [
        /^RUN runs the test `\[ -z "\$X"` without its closing `\]`, which the shell rejects whatever the values \("\[: missing \]"\); left as is$/,
      ],
    },
    {
      name: 'a CMD test without its closing bracket',
      input: `${F}CMD [ -f /app/ready && uvicorn app:app\n`,
      output: null,
      messages: [/^CMD runs the test `\[ -f \/app\/ready` without its closing/],
    },
  ],
});

it('warns, not errs, on text the shell rejects: Docker accepts the file', () => {
  const findings = detect(transform, `${F}RUN [ -d /x && ["a", "b"]\nRUN ["a",\n`);
  expect(findings.map((f) => [f.severity, f.range?.start])).toEqual([
    ['warning', F.length],
    ['warning', F.length + 'RUN [ -d /x && ["a", "b"]\n'.length],
  ]);
});

it('marks what it finds as errors on the first of the repeated instructions', () => {
  const findings = detect(transform, `${F}CMD ["a"]\nCMD ["b"]\n`);
  expect(findings).toHaveLength(1);
  expect(findings[0].severity).toBe('error');
  expect(findings[0].range?.start).toBe(F.length);
});
