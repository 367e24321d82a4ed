/**
 * The Poetry and Pipenv stand-ins (test/verify/stand-in-index/poetry and pipenv: NOT the tools),
 * run with this machine's python3 on copies of the fixtures' trees, without podman. Each is laid
 * out as `pip install poetry==X` lays out its wheel (the package beside a dist-info naming the
 * version), so it behaves as that version of the tool; the packages come from a directory of
 * placeholder wheels made here, through pip's PIP_NO_INDEX / PIP_FIND_LINKS as in the images.
 * Where the real tools could be run offline (Debian's Poetry 1.3.2 and Pipenv 2022.12.19), the
 * messages and hashes asserted here are the ones they gave on the same files.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repo } from '../helpers/cli.js';
import { needs } from '../helpers/tools.js';

const INDEX = join(repo, 'test', 'verify', 'stand-in-index');
/** The host's python3, with venv and pip (Debian's python3-venv and python3-pip). */
const hasPython = needs(
  'test/verify/tool-stand-ins.test.ts',
  'python3 with venv and pip',
  spawnSync('python3', ['-c', 'import ensurepip, venv, pip'], { encoding: 'utf8' }).status === 0,
);
const SLOW = { timeout: 180_000 };
const scratch: string[] = [];
const tmp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), `dockmig-${prefix}-`));
  scratch.push(dir);
  return dir;
};
// Several venvs to remove, on a machine other builds share.
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
}, 120_000);

/** Placeholder wheels (an empty package and its metadata), as a stand-in index serves them. */
const WHEELS = `
import base64, hashlib, os, sys, zipfile
out = sys.argv[1]
for spec in sys.argv[2:]:
    name, version = spec.split("==")
    mod = name.replace("-", "_").lower()
    info = f"{mod}-{version}.dist-info"
    files = {
        f"{mod}/__init__.py": f"# placeholder of {name}\\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\\nGenerator: tests\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    }
    record = [
        f"{p},sha256={base64.urlsafe_b64encode(hashlib.sha256(t.encode()).digest()).rstrip(b'=').decode()},{len(t)}"
        for p, t in files.items()
    ]
    files[f"{info}/RECORD"] = "\\n".join(record + [f"{info}/RECORD,,"]) + "\\n"
    with zipfile.ZipFile(os.path.join(out, f"{mod}-{version}-py3-none-any.whl"), "w") as z:
        for p, t in files.items():
            z.writestr(p, t)
`;
const PACKAGES = [
  'blinker==1.9.0',
  'click==8.2.1',
  'fastapi==0.115.6',
  'flask==3.1.1',
  'gunicorn==23.0.0',
  'h11==0.14.0',
  'iniconfig==2.1.0',
  'itsdangerous==2.2.0',
  'jinja2==3.1.6',
  'markupsafe==3.0.2',
  'packaging==25.0',
  'pluggy==1.6.0',
  'pydantic==2.10.0',
  'pygments==2.19.2',
  'pytest==8.4.1',
  'starlette==0.41.3',
  'typing-extensions==4.12.2',
  'uvicorn==0.32.1',
  'werkzeug==3.1.3',
];
let wheels = '';
beforeAll(() => {
  if (!hasPython) return;
  wheels = tmp('wheels');
  const made = spawnSync('python3', ['-c', WHEELS, wheels, ...PACKAGES], { encoding: 'utf8' });
  expect(made.stderr).toBe('');
  expect(readdirSync(wheels)).toHaveLength(PACKAGES.length);
});

/** The stand-in as its wheel installs it: `<tool>/` beside `<tool>-<version>.dist-info`. */
function installed(tool: 'poetry' | 'pipenv', version: string): string {
  const site = tmp(`${tool}-site`);
  cpSync(join(INDEX, tool, tool), join(site, tool), { recursive: true });
  mkdirSync(join(site, `${tool}-${version}.dist-info`));
  writeFileSync(
    join(site, `${tool}-${version}.dist-info`, 'METADATA'),
    `Metadata-Version: 2.3\nName: ${tool}\nVersion: ${version}\n`,
  );
  return site;
}

const fixture = (name: string) => {
  const dir = join(tmp('project'), 'app');
  cpSync(join(repo, 'fixtures', name, 'input'), dir, { recursive: true });
  return dir;
};

/** This machine's environment, without anything that would steer pip or the tools. */
const cleanEnv = () =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(POETRY_|PIPENV_|PIP_|PYTHON|VIRTUAL_ENV$|WORKON_HOME$|XDG_)/.test(k),
    ),
  );

function tool(
  site: string,
  name: 'poetry' | 'pipenv',
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
  python = 'python3',
) {
  const r = spawnSync(python, ['-m', name, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 170_000,
    env: {
      ...cleanEnv(),
      HOME: join(cwd, '..', 'home'),
      PYTHONPATH: site,
      PIP_NO_INDEX: '1',
      PIP_FIND_LINKS: wheels,
      PIP_DISABLE_PIP_VERSION_CHECK: '1',
      ...env,
    },
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

/** What pip sees in a venv: `name==version`, sorted, without the venv's own pip and setuptools. */
function packagesIn(venv: string): string[] {
  const r = spawnSync(join(venv, 'bin', 'python'), ['-m', 'pip', 'list', '--format', 'freeze'], {
    encoding: 'utf8',
    env: { ...cleanEnv(), PIP_DISABLE_PIP_VERSION_CHECK: '1' },
  });
  return r.stdout
    .split('\n')
    .filter((l) => l && !/^(pip|setuptools|wheel)==/.test(l))
    .sort();
}

/** Runs Python code with the venv's interpreter from `/`, where the project is not on sys.path. */
const inVenv = (venv: string, code: string) =>
  spawnSync(join(venv, 'bin', 'python'), ['-c', code], { cwd: '/', encoding: 'utf8' });

// --- Poetry -------------------------------------------------------------------------------------

/**
 * fixtures/poetry-project's poetry.lock lists neither the dependencies of fastapi and uvicorn nor
 * the dev group's pytest, and its content-hash is not its pyproject's: Poetry refuses it. This is
 * a complete lock for that pyproject, with the content-hash Debian's Poetry 1.3.2 computes for it
 * (`Locker._get_content_hash`, the algorithm 1.8 has too).
 */
const NEWSLETTER_HASH = 'c6faf1134328798a8be24a08942879bf18b1a8dbabf586134327e92b19f9192f';
const lockEntry = (name: string, version: string, deps: Record<string, string> = {}) =>
  [
    '[[package]]',
    `name = "${name}"`,
    `version = "${version}"`,
    'description = ""',
    'optional = false',
    'python-versions = ">=3.8"',
    'files = []',
    ...(Object.keys(deps).length
      ? ['', '[package.dependencies]', ...Object.entries(deps).map(([k, v]) => `${k} = "${v}"`)]
      : []),
    '',
  ].join('\n');
const NEWSLETTER_LOCK = [
  '# This file is automatically @generated by Poetry 1.8.5 and should not be changed by hand.',
  '',
  lockEntry('click', '8.2.1'),
  lockEntry('fastapi', '0.115.6', {
    pydantic: '>=1.7.4',
    starlette: '>=0.40.0,<0.42.0',
    'typing-extensions': '>=4.8.0',
  }),
  lockEntry('h11', '0.14.0'),
  lockEntry('iniconfig', '2.1.0'),
  lockEntry('packaging', '25.0'),
  lockEntry('pluggy', '1.6.0'),
  lockEntry('pydantic', '2.10.0', { 'typing-extensions': '>=4.6.1' }),
  lockEntry('pytest', '8.4.1', { iniconfig: '*', packaging: '*', pluggy: '>=1.5,<2' }),
  lockEntry('starlette', '0.41.3'),
  lockEntry('typing-extensions', '4.12.2'),
  lockEntry('uvicorn', '0.32.1', { click: '>=7.0', h11: '>=0.8' }),
  '[metadata]',
  'lock-version = "2.0"',
  'python-versions = "^3.11"',
  `content-hash = "${NEWSLETTER_HASH}"`,
  '',
].join('\n');
const NEWSLETTER_MAIN = [
  'click==8.2.1',
  'fastapi==0.115.6',
  'h11==0.14.0',
  'pydantic==2.10.0',
  'starlette==0.41.3',
  'typing-extensions==4.12.2',
  'uvicorn==0.32.1',
];

describe.runIf(hasPython)('the Poetry stand-in', () => {
  it(
    'Poetry 2: installs the main group before the source, then the project, its console script on the venv',
    SLOW,
    () => {
      const site = installed('poetry', '2.5.1+stand.in');
      const app = fixture('poetry-console-script');
      const env = { POETRY_VIRTUALENVS_IN_PROJECT: 'true' };
      rmSync(join(app, 'ticker'), { recursive: true });
      const deps = tool(
        site,
        'poetry',
        app,
        ['install', '--only', 'main', '--no-interaction', '--no-root'],
        env,
      );
      expect(deps.err).toContain(`Creating virtualenv ticker in ${join(app, '.venv')}`);
      expect(deps.status).toBe(0);
      // The source is not there yet, as in the image's layer before `COPY ticker ./ticker`.
      cpSync(
        join(repo, 'fixtures', 'poetry-console-script', 'input', 'ticker'),
        join(app, 'ticker'),
        {
          recursive: true,
        },
      );
      const root = tool(site, 'poetry', app, ['install', '--only-root'], env);
      expect(root.err).toContain('Installing the current project: ticker (1.3.0)');
      expect(root.status).toBe(0);
      const script = readFileSync(join(app, '.venv', 'bin', 'ticker-serve'), 'utf8');
      expect(script.split('\n')[0]).toBe(`#!${join(app, '.venv', 'bin', 'python')}`);
      expect(script).toContain('from ticker.server import main');
      const imported = inVenv(
        join(app, '.venv'),
        'import ticker.server; print(ticker.server.main.__name__)',
      );
      expect(imported.stdout.trim()).toBe('main');
      expect(packagesIn(join(app, '.venv'))).toEqual(['ticker==1.3.0']);
    },
  );

  it(
    'Poetry 1.8: `--without dev --no-root` installs what main reaches through the lock and neither pytest nor the project; `--only-root` the project',
    SLOW,
    () => {
      const site = installed('poetry', '1.8.5+stand.in');
      const app = fixture('poetry-project');
      writeFileSync(join(app, 'poetry.lock'), NEWSLETTER_LOCK);
      const env = { POETRY_VIRTUALENVS_IN_PROJECT: 'true' };
      const deps = tool(
        site,
        'poetry',
        app,
        ['install', '--without', 'dev', '--no-root', '--no-interaction'],
        env,
      );
      expect(deps.status, deps.err).toBe(0);
      const venv = join(app, '.venv');
      expect(packagesIn(venv)).toEqual(NEWSLETTER_MAIN);
      expect(inVenv(venv, 'import newsletter').status).not.toBe(0);
      const root = tool(site, 'poetry', app, ['install', '--only-root'], env);
      expect(root.status, root.err).toBe(0);
      expect(packagesIn(venv)).toEqual([...NEWSLETTER_MAIN, 'newsletter==0.4.2'].sort());
      // Editable, as poetry-core installs it: the package is the app directory's own.
      expect(inVenv(venv, 'import newsletter; print(newsletter.__file__)').stdout).toBe(
        `${join(app, 'newsletter', '__init__.py')}\n`,
      );
    },
  );

  it(
    'POETRY_VIRTUALENVS_CREATE=false installs into the environment Poetry runs in; without in-project, the venv is outside the app directory',
    SLOW,
    () => {
      const site = installed('poetry', '1.8.5+stand.in');
      const app = fixture('poetry-project');
      writeFileSync(join(app, 'poetry.lock'), NEWSLETTER_LOCK);
      const system = join(app, '..', 'system');
      expect(spawnSync('python3', ['-m', 'venv', system]).status).toBe(0);
      const python = join(system, 'bin', 'python');
      const args = ['install', '--only', 'main', '--no-root'];
      const created = tool(
        site,
        'poetry',
        app,
        args,
        { POETRY_VIRTUALENVS_CREATE: 'false' },
        python,
      );
      expect(created.status, created.err).toBe(0);
      expect(packagesIn(system)).toEqual(NEWSLETTER_MAIN);
      expect(existsSync(join(app, '.venv'))).toBe(false);

      const cached = tool(site, 'poetry', app, [
        'install',
        '--only',
        'main',
        '--no-root',
        '--dry-run',
      ]);
      expect(cached.status, cached.err).toBe(0);
      expect(cached.err).toMatch(
        new RegExp(
          `Creating virtualenv newsletter in ${join(app, '..', 'home', '.cache', 'pypoetry', 'virtualenvs')}/newsletter-[\\w-]{8}-py3\\.\\d+\\n`,
        ),
      );
      expect(existsSync(join(app, '.venv'))).toBe(false);
    },
  );

  it('Poetry 1.8: `poetry export` writes the pins the groups reach', SLOW, () => {
    const site = installed('poetry', '1.8.5+stand.in');
    const app = fixture('poetry-project');
    writeFileSync(join(app, 'poetry.lock'), NEWSLETTER_LOCK);
    const r = tool(site, 'poetry', app, [
      'export',
      '-f',
      'requirements.txt',
      '--without-hashes',
      '--without',
      'dev',
      '-o',
      'requirements.txt',
    ]);
    expect(r.status, r.err).toBe(0);
    expect(readFileSync(join(app, 'requirements.txt'), 'utf8')).toBe(
      NEWSLETTER_MAIN.map((p) => `${p}\n`).join(''),
    );
  });

  const refusals: [string, string, string, (app: string) => void, string[], RegExp][] = [
    [
      'a dependency added to [tool.poetry.dependencies] after locking',
      '1.8.5+stand.in',
      'poetry-project',
      (app) => {
        writeFileSync(join(app, 'poetry.lock'), NEWSLETTER_LOCK);
        const path = join(app, 'pyproject.toml');
        writeFileSync(
          path,
          readFileSync(path, 'utf8').replace(
            'uvicorn = "^0.32.0"\n',
            'uvicorn = "^0.32.0"\nhttpx = "^0.28"\n',
          ),
        );
      },
      ['install', '--without', 'dev', '--no-root'],
      /^pyproject\.toml changed significantly since poetry\.lock was last generated\. Run `poetry lock \[--no-update\]` to fix the lock file\.$/m,
    ],
    [
      'a dependency added to [project] after locking',
      '2.5.1+stand.in',
      'poetry-console-script',
      (app) => {
        const path = join(app, 'pyproject.toml');
        writeFileSync(
          path,
          readFileSync(path, 'utf8').replace('dependencies = []', 'dependencies = ["httpx>=0.28"]'),
        );
      },
      ['install', '--only', 'main'],
      /^pyproject\.toml changed significantly since poetry\.lock was last generated\. Run `poetry lock` to fix the lock file\.$/m,
    ],
    [
      'a locked package whose dependency the lock does not hold',
      '1.8.5+stand.in',
      'poetry-project',
      (app) =>
        writeFileSync(
          join(app, 'poetry.lock'),
          NEWSLETTER_LOCK.replace(
            lockEntry('pydantic', '2.10.0', { 'typing-extensions': '>=4.6.1' }),
            '',
          ),
        ),
      ['install', '--without', 'dev', '--no-root'],
      /^Because fastapi \(0\.115\.6\) depends on pydantic \(>=1\.7\.4\) which doesn't match any versions, version solving failed\.$/m,
    ],
    [
      'no poetry.lock',
      '2.5.1+stand.in',
      'poetry-console-script',
      (app) => rmSync(join(app, 'poetry.lock')),
      ['install'],
      /^poetry\.lock was not found\.\n.*locking resolves against a package index/m,
    ],
    [
      '`--no-dev`, which Poetry 2 removed',
      '2.5.1+stand.in',
      'poetry-console-script',
      () => {},
      ['install', '--no-dev'],
      /^The "--no-dev" option does not exist\.$/m,
    ],
    [
      '`--no-root` with `--only-root`',
      '2.5.1+stand.in',
      'poetry-console-script',
      () => {},
      ['install', '--no-root', '--only-root'],
      /^You cannot use `--no-root` and `--only-root` at the same time\.$/m,
    ],
    [
      '`--only-root` with a group option',
      '1.8.5+stand.in',
      'poetry-project',
      () => {},
      ['install', '--only-root', '--without', 'dev'],
      /^The `--with`, `--without` and `--only` options cannot be used with the `--only-root` option\.$/m,
    ],
    [
      'a group the project does not have',
      '1.8.5+stand.in',
      'poetry-project',
      (app) => writeFileSync(join(app, 'poetry.lock'), NEWSLETTER_LOCK),
      ['install', '--only', 'main,docs'],
      /^Group\(s\) not found: docs \(via --only\)$/m,
    ],
    [
      "a [project]-table project under Poetry 1 (as Debian's Poetry 1.3.2 says)",
      '1.8.5+stand.in',
      'poetry-console-script',
      () => {},
      ['install', '--no-root'],
      /^The Poetry configuration is invalid:\n {2}- 'name' is a required property\n(?: {2}- '\w+' is a required property\n)* {2}- 'authors' is a required property$/m,
    ],
    [
      '`poetry export` without poetry-plugin-export on Poetry 2',
      '2.5.1+stand.in',
      'poetry-console-script',
      () => {},
      ['export', '--without-hashes'],
      /^The requested command "export" does not exist\.$/m,
    ],
    [
      '`poetry lock`',
      '2.5.1+stand.in',
      'poetry-console-script',
      () => {},
      ['lock'],
      /NOT Poetry\): `poetry lock` resolves/,
    ],
  ];
  it.each(refusals)('refuses %s', (_what, version, name, change, args, message) => {
    const site = installed('poetry', version);
    const app = fixture(name);
    change(app);
    const r = tool(site, 'poetry', app, args, { POETRY_VIRTUALENVS_IN_PROJECT: 'true' });
    expect(r.err).toMatch(message);
    expect(r.status).toBe(1);
    expect(existsSync(join(app, '.venv'))).toBe(false);
  });

  it('names itself as the stand-in, at the version of its wheel', () => {
    const r = tool(installed('poetry', '1.8.5+stand.in'), 'poetry', fixture('poetry-project'), [
      '--version',
    ]);
    expect(r.out).toBe('Poetry (version 1.8.5+stand.in) (stand-in for the tests, NOT Poetry)\n');
  });
});

// --- Pipenv -------------------------------------------------------------------------------------

const FLASK_DEFAULT = [
  'blinker==1.9.0',
  'click==8.2.1',
  'flask==3.1.1',
  'gunicorn==23.0.0',
  'itsdangerous==2.2.0',
  'jinja2==3.1.6',
  'markupsafe==3.0.2',
  'packaging==25.0',
  'werkzeug==3.1.3',
];
const PYTEST = ['iniconfig==2.1.0', 'pluggy==1.6.0', 'pygments==2.19.2', 'pytest==8.4.1'];

describe.runIf(hasPython)('the Pipenv stand-in', () => {
  it(
    '`install --deploy` with PIPENV_VENV_IN_PROJECT puts the default packages in .venv, not the develop ones; `sync --dev` adds them',
    SLOW,
    () => {
      const site = installed('pipenv', '2026.10.3+stand.in');
      const app = fixture('pipenv-dev-install-reload');
      const env = { PIPENV_VENV_IN_PROJECT: '1' };
      const deploy = tool(site, 'pipenv', app, ['install', '--deploy'], env);
      expect(deploy.err).toContain('Installing dependencies from Pipfile.lock (ea8179)...');
      expect(deploy.status).toBe(0);
      const venv = join(app, '.venv');
      expect(packagesIn(venv)).toEqual(FLASK_DEFAULT);
      const dev = tool(site, 'pipenv', app, ['sync', '--dev'], env);
      expect(dev.status, dev.err).toBe(0);
      expect(packagesIn(venv)).toEqual([...FLASK_DEFAULT, ...PYTEST].sort());
    },
  );

  it(
    'the fixture whose Dockerfile had `--system`: its lock matches its Pipfile, into .venv without it',
    SLOW,
    () => {
      const site = installed('pipenv', '2026.10.3+stand.in');
      const app = fixture('pipenv-flask-gunicorn-system-deploy');
      expect(tool(site, 'pipenv', app, ['verify']).out).toBe('Pipfile.lock is up-to-date.\n');
      const r = tool(site, 'pipenv', app, ['install', '--deploy'], { PIPENV_VENV_IN_PROJECT: '1' });
      expect(r.status, r.err).toBe(0);
      expect(packagesIn(join(app, '.venv'))).toEqual(FLASK_DEFAULT);
    },
  );

  it('`pipenv requirements` prints the index and the pins, `--dev-only` the develop ones', () => {
    const site = installed('pipenv', '2026.10.3+stand.in');
    const app = fixture('pipenv-dev-install-reload');
    expect(tool(site, 'pipenv', app, ['requirements']).out).toBe(
      ['-i https://pypi.org/simple', ...FLASK_DEFAULT, ''].join('\n'),
    );
    expect(tool(site, 'pipenv', app, ['requirements', '--dev-only']).out).toBe(
      [
        '-i https://pypi.org/simple',
        'iniconfig==2.1.0',
        'packaging==25.0',
        'pluggy==1.6.0',
        'pygments==2.19.2',
        'pytest==8.4.1',
        '',
      ].join('\n'),
    );
  });

  const addRequests = (app: string) => {
    const path = join(app, 'Pipfile');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('gunicorn = "*"\n', 'gunicorn = "*"\nrequests = "*"\n'),
    );
  };
  const refusals: [string, (app: string) => void, string[], RegExp][] = [
    [
      "a Pipfile changed since locking, under --deploy (the hashes Debian's Pipenv 2022.12.19 printed for the same files)",
      addRequests,
      ['install', '--system', '--deploy'],
      /^Your Pipfile\.lock \(ea8179\) is out of date\. Expected: \(f3712a\)\.\nERROR:: Aborting deploy$/m,
    ],
    [
      'a Pipfile changed since locking, without --deploy (Pipenv would lock again)',
      addRequests,
      ['install'],
      /^Pipfile\.lock \(ea8179\) out of date, updating to \(f3712a\)\.\.\.\n.*locking resolves against a package index/m,
    ],
    [
      'no Pipfile.lock, with --system',
      (app) => rmSync(join(app, 'Pipfile.lock')),
      ['install', '--system', '--deploy'],
      /^--system is intended to be used for Pipfile installation/m,
    ],
    [
      'installing a package by name',
      () => {},
      ['install', '--system', 'requests'],
      /^Installing a package adds it to the Pipfile and locks again\.\n.*locking resolves against a package index/m,
    ],
    [
      'an option Pipenv does not have',
      () => {},
      ['install', '--frozen'],
      /^Error: No such option: --frozen$/m,
    ],
    ['`pipenv lock`', () => {}, ['lock'], /NOT Pipenv\): `pipenv lock` resolves or downloads/],
  ];
  it.each(refusals)('refuses %s', (_what, change, args, message) => {
    const site = installed('pipenv', '2026.10.3+stand.in');
    const app = fixture('pipenv-dev-install-reload');
    change(app);
    const r = tool(site, 'pipenv', app, args, { PIPENV_VENV_IN_PROJECT: '1' });
    expect(r.err).toMatch(message);
    expect(r.status).not.toBe(0);
    expect(existsSync(join(app, '.venv'))).toBe(false);
  });

  it('names itself as the stand-in, at the version of its wheel', () => {
    const r = tool(
      installed('pipenv', '2026.10.3+stand.in'),
      'pipenv',
      fixture('pipenv-dev-install-reload'),
      ['--version'],
    );
    expect(r.out).toBe('pipenv, version 2026.10.3+stand.in (stand-in for the tests, NOT Pipenv)\n');
  });
});
