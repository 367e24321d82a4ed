import transform from '../../transforms/dockerignore.js';
import { transformTable, UV_PROJECT } from '../helpers/transform-table.js';

const F = 'FROM python:3.12-slim\n';
const withIgnore = (text: string) => ({ ...UV_PROJECT, '.dockerignore': text });

transformTable(transform, {
  valid: [
    { name: 'all there', input: F, files: withIgnore('.venv\n__pycache__\n.git\n.env\n') },
    {
      name: 'equivalent spellings',
      input: F,
      files: withIgnore('/.venv/\n**/__pycache__\n.git/\n**/.env\n'),
    },
    {
      name: 'lock excluded then re-included',
      input: F,
      files: withIgnore('.venv\n__pycache__\n.git\n.env\n*.lock\n!uv.lock\n'),
    },
  ],
  invalid: [
    {
      name: 'created',
      input: F,
      output: F,
      files_after: { '.dockerignore': '.venv\n__pycache__\n.git\n.env\n' },
      messages: [/created/],
    },
    {
      name: 'missing entries appended',
      input: F,
      files: withIgnore('# local\n.git\nnode_modules\n'),
      output: F,
      files_after: { '.dockerignore': '# local\n.git\nnode_modules\n.venv\n__pycache__\n.env\n' },
    },
    {
      name: 'no final newline, CRLF',
      input: F,
      files: withIgnore('.git\r\n.venv'),
      output: F,
      files_after: { '.dockerignore': '.git\r\n.venv\r\n__pycache__\r\n.env\r\n' },
    },
    {
      name: 'lock files re-included',
      input: F,
      files: withIgnore('.venv\n__pycache__\n.git\n.env\n*.lock\n*.toml\n'),
      output: F,
      files_after: {
        '.dockerignore':
          '.venv\n__pycache__\n.git\n.env\n*.lock\n*.toml\n!uv.lock\n!pyproject.toml\n',
      },
      messages: [/uv\.lock and pyproject\.toml re-included/],
    },
    {
      name: '.env re-included by a later ! line is excluded again',
      input: F,
      files: withIgnore('.venv\n__pycache__\n.git\n.env\n!.env\n'),
      output: F,
      files_after: { '.dockerignore': '.venv\n__pycache__\n.git\n.env\n!.env\n.env\n' },
      messages: [/\.env added/],
    },
    {
      name: 'an allow-list',
      input: F,
      files: withIgnore('*\n!src\n'),
      output: F,
      files_after: {
        '.dockerignore': '*\n!src\n.venv\n__pycache__\n.git\n.env\n!uv.lock\n!pyproject.toml\n',
      },
    },
  ],
});
