import transform from '../../transforms/secret-in-env.js';
import { detect, transformTable } from '../helpers/transform-table.js';
import { expect, it } from 'vitest';

const F = 'FROM python:3.12-slim\n';

transformTable(transform, {
  valid: [
    { name: 'from a build argument', input: `${F}ARG API_TOKEN\nENV API_TOKEN=\${API_TOKEN}\n` },
    {
      name: 'placeholders and empty values',
      input: `${F}ENV DB_PASSWORD=changeme SECRET_KEY="" API_KEY=<set-me>\n`,
    },
    {
      name: 'names that hold no secret',
      input: `${F}ENV SSH_PUBLIC_KEY=ssh-ed25519AAAA AWS_ACCESS_KEY_ID=AKIA123 DB_PASSWORD_FILE=/run/secrets/db\n`,
    },
    { name: 'ordinary settings', input: `${F}ENV PORT=8000 LOG_LEVEL=info\n` },
  ],
  invalid: [
    {
      name: 'ENV password',
      input: `${F}ENV DATABASE_PASSWORD=hunter2\n`,
      output: null,
      messages: [/ENV DATABASE_PASSWORD has a literal value \(7 characters, not shown\)/],
    },
    {
      name: 'ARG token with a default',
      input: `ARG GITHUB_TOKEN=ghp_abcdef123456\n${F}`,
      output: null,
      messages: [/ARG GITHUB_TOKEN/],
    },
    {
      name: 'Django SECRET_KEY in the legacy space form',
      input: `${F}ENV SECRET_KEY s3cr3t-django-key\n`,
      output: null,
      messages: [/ENV SECRET_KEY/],
    },
    {
      name: 'one of several',
      input: `${F}ENV PORT=8000 STRIPE_API_KEY="sk_live_123"\n`,
      output: null,
      messages: [/STRIPE_API_KEY/],
    },
  ],
});

it('never repeats the secret value', () => {
  const findings = detect(transform, `${F}ENV DATABASE_PASSWORD=hunter2-very-secret\n`);
  expect(findings).toHaveLength(1);
  expect(findings[0].message).not.toContain('hunter2');
});
