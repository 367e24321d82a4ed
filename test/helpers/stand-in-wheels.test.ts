import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  readIndex,
  readZip,
  satisfies,
  standInWheels,
  treeRequirements,
  writeZip,
} from './stand-in-wheels.js';

const dirs: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'dockmig-wheels-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const files = (wheel: string) =>
  new Map(readZip(readFileSync(wheel)).map(([name, data]) => [name, data.toString('utf8')]));

describe('the requirements a tree states', () => {
  it('follows -r and -c includes relative to the file, and skips options, comments and hashes', () => {
    expect(
      treeRequirements({
        'requirements-dev.txt': '-r requirements.txt\npytest==8.3.4  # tests\n',
        'requirements.txt':
          '--index-url https://example.invalid/simple\n-c constraints/pins.txt\nflask==3.1.0 \\\n    --hash=sha256:abc\n\n# gunicorn below\ngunicorn>=23\n',
        'constraints/pins.txt': 'werkzeug==3.1.3\n',
      }),
    ).toEqual(['werkzeug==3.1.3', 'flask==3.1.0', 'gunicorn>=23', 'pytest==8.3.4']);
  });

  it('reads pyproject tables, lockfiles and the names a Dockerfile pip-installs', () => {
    const found = treeRequirements({
      'pyproject.toml': [
        '[project]',
        'name = "ledger"',
        'dependencies = ["uvicorn>=0.34"]',
        '[project.optional-dependencies]',
        'pg = ["psycopg[binary]>=3"]',
        '[build-system]',
        'requires = ["setuptools>=75"]',
        '[tool.poetry.dependencies]',
        'python = "^3.12"',
        'fastapi = "^0.115.6"',
        '',
      ].join('\n'),
      'poetry.lock':
        '[[package]]\nname = "fastapi"\nversion = "0.115.6"\n\n[[package]]\nname = "ledger"\nversion = "0.1.0"\nsource = { type = "directory", url = "." }\n',
      'uv.lock':
        '[[package]]\nname = "ledger"\nversion = "0.1.0"\nsource = { editable = "." }\n\n[[package]]\nname = "h11"\nversion = "0.14.0"\n',
      'Pipfile.lock': JSON.stringify({
        default: { flask: { version: '==3.1.0' } },
        develop: { pytest: { version: '==8.3.4' } },
      }),
      Dockerfile:
        'FROM python:3.12\nENV CELERY_VERSION=5.4.0\nRUN pip install --no-cache-dir --upgrade pip \\\n && pip install "poetry==2.5.1" "celery==$CELERY_VERSION" -r requirements.txt .\n',
    });
    expect(found.sort()).toEqual(
      [
        'uvicorn>=0.34',
        'psycopg[binary]>=3',
        'setuptools>=75',
        'fastapi>=0.115.6',
        'fastapi==0.115.6',
        'h11==0.14.0',
        'flask==3.1.0',
        'pytest==8.3.4',
        'pip',
        'poetry==2.5.1',
        'celery==5.4.0',
      ].sort(),
    );
  });
});

describe('PEP 440 matching, as pip does it for these versions', () => {
  it.each([
    ['3.2.25+stand.in', '==3.2.25', true],
    ['3.2.25+stand.in', '==3.2', false],
    ['3.2.0+stand.in', '==3.2', true],
    ['3.2.25+stand.in', '==3.2.*', true],
    ['75+stand.in', '>=75', true],
    ['66.1.1', '>=75', false],
    ['0.45.3+stand.in', '>=0.45,<1', true],
    ['1.0+stand.in', '>=0.45,<1', false],
    ['1.4.2', '~=1.4', true],
    ['2.0', '~=1.4', false],
    ['1.4.2', '!=1.4.2', false],
    ['0.35+stand.in', '>0.34', true],
    ['0+stand.in', '', true],
  ])('%s against "%s": %s', (version, specifier, expected) => {
    expect(satisfies(version, specifier)).toBe(expected);
  });
});

describe('standInWheels', () => {
  const fixture = {
    'requirements.txt': 'Django==3.2.25\nuvicorn[standard]==0.34.0\nredis==5.2.1\n',
    'pyproject.toml':
      '[project]\nname = "site"\nversion = "1"\ndependencies = ["starlette>=0.45"]\n[build-system]\nrequires = ["setuptools>=75"]\n',
  };

  it('pins as local versions of the pin, serves stand-ins, their requirements and extras, and placeholders', () => {
    const dir = temp();
    const names = standInWheels(fixture, dir);
    expect(names).toContain('django-3.2.25+stand.in-py3-none-any.whl');
    expect(names).toContain('uvicorn-0.34.0+stand.in-py3-none-any.whl');
    expect(names).toContain('redis-5.2.1+stand.in-py3-none-any.whl');
    // starlette's own 0.41.3 does not meet >=0.45: the lowest version that does.
    expect(names).toContain('starlette-0.45+stand.in-py3-none-any.whl');
    // uvicorn[standard] asks for uvloop; django asks for sqlparse: placeholders at 0+stand.in.
    expect(names).toContain('uvloop-0+stand.in-py3-none-any.whl');
    expect(names).toContain('sqlparse-0+stand.in-py3-none-any.whl');
    // Every directory of the stand-in index at its own version, asked for or not.
    for (const dist of readIndex().values())
      expect(names.some((n) => n.startsWith(`${dist.name.replace(/-/g, '_')}-`))).toBe(true);
    // No setuptools to serve and none in the index: a placeholder that meets the bound.
    expect(names).toContain('setuptools-75+stand.in-py3-none-any.whl');

    const uvicorn = files(join(dir, 'uvicorn-0.34.0+stand.in-py3-none-any.whl'));
    const info = 'uvicorn-0.34.0+stand.in.dist-info';
    expect(uvicorn.get('uvicorn/main.py')).toBe(
      readFileSync(
        join(import.meta.dirname, '../verify/stand-in-index/uvicorn/uvicorn/main.py'),
        'utf8',
      ),
    );
    expect(uvicorn.get(`${info}/METADATA`)).toContain('Name: uvicorn\nVersion: 0.34.0+stand.in\n');
    expect(uvicorn.get(`${info}/METADATA`)).toContain('Requires-Dist: uvloop; extra == "standard"');
    expect(uvicorn.get(`${info}/entry_points.txt`)).toBe(
      '[console_scripts]\nuvicorn = uvicorn.main:main\n',
    );
    const redis = files(join(dir, 'redis-5.2.1+stand.in-py3-none-any.whl'));
    expect(redis.get('redis/__init__.py')).toContain('NOT redis');
  });

  it('writes a RECORD whose hashes and sizes are those of the files', () => {
    const dir = temp();
    standInWheels({ 'requirements.txt': 'gunicorn==21.2.0\n' }, dir);
    const entries = readZip(readFileSync(join(dir, 'gunicorn-21.2.0+stand.in-py3-none-any.whl')));
    const record = entries.find(([n]) => n.endsWith('.dist-info/RECORD'))![1].toString('utf8');
    const lines = record.trim().split('\n');
    expect(lines).toHaveLength(entries.length);
    for (const [name, data] of entries) {
      if (name.endsWith('/RECORD')) expect(lines).toContain(`${name},,`);
      else
        expect(lines).toContain(
          `${name},sha256=${createHash('sha256').update(data).digest('base64url')},${data.length}`,
        );
    }
  });

  it('writes the same bytes every time', () => {
    const [a, b] = [temp(), temp()];
    const names = standInWheels(fixture, a);
    expect(standInWheels(fixture, b)).toEqual(names);
    for (const name of names)
      expect(readFileSync(join(b, name)).equals(readFileSync(join(a, name))), name).toBe(true);
  });

  it('serves a real wheel as it is, and relabelled where a requirement asks for more', () => {
    const dir = temp();
    const real = join(temp(), 'setuptools-66.1.1-py3-none-any.whl');
    const module = Buffer.from('__version__ = "66.1.1"\n');
    // Deflated, as real wheels are.
    const wheel = writeZip([
      ['setuptools/__init__.py', module],
      ['setuptools-66.1.1.dist-info/METADATA', Buffer.from('Name: setuptools\nVersion: 66.1.1\n')],
      ['setuptools-66.1.1.dist-info/RECORD', Buffer.from('stale\n')],
    ]);
    writeFileSync(real, wheel);
    const names = standInWheels(fixture, dir, { real: [real] });
    expect(names).toContain('setuptools-66.1.1-py3-none-any.whl');
    expect(names).toContain('setuptools-75-py3-none-any.whl');
    expect(readFileSync(join(dir, 'setuptools-66.1.1-py3-none-any.whl')).equals(wheel)).toBe(true);
    const relabelled = files(join(dir, 'setuptools-75-py3-none-any.whl'));
    expect(relabelled.get('setuptools/__init__.py')).toBe('__version__ = "66.1.1"\n');
    expect(relabelled.get('setuptools-75.dist-info/METADATA')).toBe(
      'Name: setuptools\nVersion: 75\n',
    );
    expect(relabelled.has('setuptools-66.1.1.dist-info/RECORD')).toBe(false);
  });

  it('reads deflated entries', () => {
    const data = Buffer.from('x = 1\n'.repeat(50));
    const stored = writeZip([['m.py', data]]);
    // The same zip with the entry deflated: method 8 and the compressed size in both headers.
    const packed = deflateRawSync(data);
    const local = Buffer.from(stored.subarray(0, 30 + 4));
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18);
    const central = Buffer.from(stored.subarray(30 + 4 + data.length));
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(central.length - 22, central.length - 22 + 12);
    central.writeUInt32LE(local.length + packed.length, central.length - 22 + 16);
    expect(readZip(Buffer.concat([local, packed, central]))).toEqual([['m.py', data]]);
  });

  it('builds a wheel for any directory of the index, so a tool stand-in installs with pip install tool==X', () => {
    const index = temp();
    mkdirSync(join(index, 'poetry', 'poetry'), { recursive: true });
    writeFileSync(
      join(index, 'poetry', 'dist.toml'),
      'name = "poetry"\nversion = "2.5.1+stand.in"\nrequires = ["poetry-core"]\n[scripts]\npoetry = "poetry.cli:main"\n',
    );
    writeFileSync(join(index, 'poetry', 'poetry', 'cli.py'), 'def main(): pass\n');
    const dir = temp();
    const names = standInWheels({ Dockerfile: 'RUN pip install poetry==2.5.1\n' }, dir, { index });
    expect(names).toEqual([
      'poetry-2.5.1+stand.in-py3-none-any.whl',
      'poetry_core-0+stand.in-py3-none-any.whl',
    ]);
    expect(
      files(join(dir, 'poetry-2.5.1+stand.in-py3-none-any.whl')).get(
        'poetry-2.5.1+stand.in.dist-info/entry_points.txt',
      ),
    ).toBe('[console_scripts]\npoetry = poetry.cli:main\n');
  });

  it('refuses a requirement no version it can make meets', () => {
    expect(() => standInWheels({ 'requirements.txt': 'flask==3.1.0\nflask<3\n' }, temp())).toThrow(
      'no version made here meets flask<3',
    );
  });
});
