/**
 * RUN pip install poetry \                    ->   RUN pip install poetry==2.5.1
 *  && poetry config virtualenvs.create false       COPY pyproject.toml poetry.lock ./
 * COPY pyproject.toml poetry.lock ./               ENV POETRY_VIRTUALENVS_IN_PROJECT=true
 * RUN poetry install --no-root --no-dev            ENV PATH="/app/.venv/bin:$PATH"
 * COPY . .                                         RUN poetry install --only main --no-root
 *                                                  COPY . .
 *                                                  RUN poetry install --only-root
 *
 * A Poetry project (core/poetry.ts decides) whose single stage runs `poetry install`: Poetry makes
 * its venv in the app directory (`<app>/.venv`), so multi-stage splits the stage like one that runs
 * uv sync and the runtime receives the app directory with the venv, without Poetry. Dependencies
 * only (`--only main`, or `--without dev` for a lockfile Poetry 1 wrote) before the source, the
 * project itself after it (`--only-root`). The flags follow the Poetry the builder installs: before
 * 1.2 there are no groups, so `--no-dev` stays (or is added) and the project goes in by the same
 * install without `--no-root`; Poetry 2 has no `--no-dev`. Poetry is pinned where the Dockerfile does
 * not pin it (on a Python older than the configured release supports, the newest release that runs
 * there). pyproject.toml and poetry.lock are never changed, and uv is never brought in.
 *
 * `virtualenvs.create false` (by `poetry config`, ENV, ARG or assigned before the install) made
 * Poetry install into the system Python, which a runtime stage does not receive: the setting is
 * taken out (the command from its list, the property from its ENV, the instruction when it holds
 * nothing else), and the venv's bin directory goes on PATH with the in-project setting, so the RUNs
 * after the install and the start command still find the packages' programs first.
 *
 * The official installer script (`curl -sSL https://install.python-poetry.org | python3 -`) becomes
 * `pip install poetry==X` with the release it was given (`--version`, POETRY_VERSION) or the default;
 * the apt-get install of curl that only fetched it, and its bin directory on PATH, go with it, and
 * Poetry called by the installer's place (`/root/.local/bin/poetry install`) is called by PATH.
 *
 * `poetry export` then `pip install -r` keeps its model (pip-venv gives the pip installs the venv):
 * Poetry is pinned, a Poetry 2 gets poetry-plugin-export beside it, and the export leaves the
 * development groups out.
 *
 * Reported, not changed: `virtualenvs.create` from a variable or inside a pipeline or condition; with
 * it off, a pip install of more than Poetry beside it (it relied on sharing the system Python) or a
 * program named by its system path (`/usr/local/bin/gunicorn`); pyproject.toml copied outside the
 * app directory; an installer script given other options or saved to a file first, the installer's
 * path named other than as a command's program (`ln -s /root/.local/bin/poetry`), another venv (VIRTUAL_ENV, POETRY_VIRTUALENVS_PATH), installs at start, a
 * non-root USER before the install, a Poetry release that cannot be told (an ARG without a default)
 * where the flags depend on it.
 */
import { defineTransform } from '../src/core/transform.js';
import { toolPipInstall } from '../src/core/pip.js';
import type { Doc, Instr, Stage } from '../src/core/document.js';
import { dropWords } from '../src/core/command.js';
import {
  poetryEnv,
  poetryForPython,
  poetryHasGroups,
  installerPathCalls,
  poetryInstallerScript,
  poetryProject,
  poetryRelease,
  runsAfterInstall,
  type PoetryInstall,
} from '../src/core/poetry.js';
import { lockExports, lockToolInstalls } from '../src/core/exports.js';
import { uvNamed } from '../src/core/uv-presence.js';
import type { Edit, Finding, ProjectContext } from '../src/core/types.js';

export default defineTransform({
  id: 'poetry-venv',
  title: 'Install a Poetry project into a venv in the app directory',
  rationale:
    'Poetry installs into a venv in its cache, or with virtualenvs.create off into the system ' +
    "Python: neither reaches a slim runtime stage without the builder's whole Python. With " +
    'POETRY_VIRTUALENVS_IN_PROJECT the venv is `.venv` in the app directory and travels with it; ' +
    'the dependencies are installed before the source so a code change does not reinstall them, and ' +
    'Poetry stays in the builder. Moving the project to uv is a separate step.',
  uvOnly: false,
  detect(doc, ctx, options) {
    const project = poetryProject(doc, ctx);
    if (project.kind === 'none') return exported(doc, ctx, options.poetryVersion);
    if (project.kind === 'blocked')
      return [
        {
          message: `a Poetry project, kept in its single stage: ${project.why}`,
          range: { start: project.instr.start, end: project.instr.end },
          severity: 'warning',
        },
      ];
    const { stage, installs } = project;
    const edits: Edit[] = [];
    const notes: string[] = [];
    const env = poetryEnv(doc, stage);
    const venvBin = `${project.app}/.venv/bin`;
    const lines: string[] = [];
    const off = project.venvOff;
    // An ENV that turned the venv off before the install turns the in-project venv on in its place.
    const inPlace =
      !env.inProject && off.length === 1 && off[0].instr.index < installs[0].instr.index
        ? off[0].replacement
        : null;
    if (!env.inProject && !inPlace) lines.push('ENV POETRY_VIRTUALENVS_IN_PROJECT=true');
    if (off.length > 0) {
      edits.push(...(inPlace ? [inPlace] : off.map((o) => o.removal)));
      // The packages were in the Python on PATH: what runs after the install (`python manage.py
      // collectstatic`) finds them there only with the venv on PATH. The runtime gets it anyway.
      const path =
        runsAfterInstall(doc, stage, installs[0]) && !doc.runtimePath(stage)?.includes(venvBin);
      if (path) lines.push(`ENV PATH="${venvBin}:$PATH"`);
      notes.push(
        `${off.map((o) => `\`${o.written}\``).join(' and ')} ${inPlace ? 'becomes POETRY_VIRTUALENVS_IN_PROJECT=true' : 'taken out'}: it made Poetry install into the system Python, which a runtime stage does not receive; the packages go into ${project.app}/.venv instead${path ? ', on PATH for the RUNs after the install' : ''}, and the runtime has its bin directory on PATH`,
      );
    }
    if (lines.length > 0) edits.push(doc.insertBefore(installs[0].instr, lines, true));
    if (!env.inProject && off.length === 0)
      notes.push(
        `Poetry installs into a venv in the app directory (${project.app}/.venv) with POETRY_VIRTUALENVS_IN_PROJECT, so a runtime stage can receive it without Poetry`,
      );
    const pinned = pinPoetry(doc, stage, options.poetryVersion, false);
    edits.push(...pinned.edits);
    notes.push(...pinned.notes);
    const release = poetryRelease(
      doc,
      stage,
      poetryForPython(doc, stage, options.poetryVersion).version,
    );
    const hasGroups = 'version' in release ? poetryHasGroups(release.version) : null;
    const groups = ctx.pyproject?.dependencyGroups ?? [];
    const only =
      project.lockMajor === 1 && groups.includes('dev') ? ['--without', 'dev'] : ['--only', 'main'];
    const sourceCopies = stage.instructions.filter(
      (i) =>
        (i.keyword === 'COPY' || i.keyword === 'ADD') && !i.flags.some((f) => f.name === 'from'),
    );
    let needsRoot: { after: Instr; call: PoetryInstall; added: string[] } | null = null;
    const findings: Finding[] = [];
    for (const call of installs) {
      if (call.onlyRoot) continue;
      const words = { form: 'shell' as const, words: call.command.words };
      const names = call.options.map((o) => o.name);
      const chosen = names.some((n) => ['--no-dev', '--only', '--without'].includes(n));
      const at = call.command.words[call.at];
      let added: string[] = [];
      if (hasGroups === true) {
        for (const o of call.options)
          if (o.name === '--no-dev' || o.name === '--with' || o.name === '--all-groups')
            edits.push(dropWords(words, o.index, o.index + (o.name === '--with' ? 2 : 1)));
        if (!names.includes('--only') && !names.includes('--without')) {
          added = only;
          edits.push({ start: at.end, end: at.end, text: ` ${only.join(' ')}` });
          notes.push(
            `poetry install ${only.join(' ')}: production gets the main dependencies, not the development groups`,
          );
        }
      } else if (hasGroups === false && names.includes('--no-dev')) {
        notes.push(
          `\`--no-dev\` kept: Poetry ${(release as { version: string }).version} has no dependency groups (\`--only main\` came with 1.2)`,
        );
      } else if (hasGroups === false) {
        added = ['--no-dev'];
        edits.push({ start: at.end, end: at.end, text: ' --no-dev' });
        notes.push(
          `poetry install --no-dev: Poetry ${(release as { version: string }).version} has no dependency groups (they came with 1.2), and production does not get the development dependencies`,
        );
      } else if (hasGroups === null && !chosen)
        findings.push({
          message: `poetry install also installs the development dependencies, and the flag that leaves them out cannot be chosen: ${'why' in release ? release.why : `Poetry ${release.version} is not a release number`}, and Poetry before 1.2 knows only \`--no-dev\`, Poetry 2 only \`--only main\`; add the one the installed Poetry knows`,
          range: { start: call.instr.start, end: call.instr.end },
          severity: 'warning',
        });
      const later = sourceCopies.filter((c) => c.index > call.instr.index);
      if (call.noRoot && later.length > 0) needsRoot = { after: later.at(-1)!, call, added };
    }
    const rooted = installs.some(
      (c) => c.onlyRoot || (!c.noRoot && needsRoot && c.instr.index > needsRoot.after.index),
    );
    if (needsRoot && !rooted && ctx.pyproject?.poetryPackage !== false) {
      // Before 1.2 there is no --only-root: the same install without --no-root adds just the
      // project, its dependencies being there already.
      const { call, added } = needsRoot;
      const again =
        hasGroups === true
          ? ['--only-root']
          : [
              ...added,
              ...call.command.words
                .slice(call.at + 1)
                .filter((w) => w.value !== '--no-root')
                .map((w) => w.raw),
            ];
      edits.push(
        doc.insertAfter(needsRoot.after, [`RUN poetry install ${again.join(' ')}`.trim()]),
      );
      notes.push(
        `the project itself is installed after the source copy (\`poetry install ${again.join(' ')}\`): once \`poetry run\` is gone nothing else would put its package and console scripts into the venv`,
      );
    }
    if (edits.length === 0) return findings;
    return [
      ...findings,
      {
        message: notes.join('; '),
        range: { start: installs[0].instr.start, end: installs[0].instr.end },
        edits,
      },
    ];
  },
});

/**
 * The PATH entries of ENV lines after the installer script that name where it put Poetry
 * (`$POETRY_HOME/bin`, `/root/.local/bin`, the old installer's `/root/.poetry/bin`); an ENV left with
 * nothing but the inherited PATH goes whole. `/root/.local/bin` stays when pip --user or another
 * downloaded script may put programs there too.
 */
function installerBinOnPath(doc: Doc, stage: Stage, script: Instr): Edit[] {
  const home = doc.scope(script).get('POETRY_HOME')?.value;
  const user = String.raw`(/root|\$\{?HOME\}?|~)`;
  const others = stage.instructions.some(
    (i) =>
      i.keyword === 'RUN' &&
      i !== script &&
      /\b(curl|wget)\b[^\n]*\|\s*(sh|bash|python[0-9.]*)\b|(^|\s)--user\b|\bpipx\b/.test(
        doc.logical(i.argsStart, i.argsEnd),
      ),
  );
  const dirs = [String.raw`\$\{?POETRY_HOME\}?`, `${user}/\\.poetry`];
  if (home) dirs.push(home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\/$/, ''));
  else if (!others) dirs.push(`${user}/\\.local`);
  const dir = `(?:${dirs.join('|')})/bin/?`;
  const entry = new RegExp(`${dir}:|:${dir}(?=["'\\s]|$)`, 'g');
  const edits: Edit[] = [];
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'ENV' || instr.index < script.index) continue;
    const props = doc.properties(instr);
    const path = props.find((p) => p.name === 'PATH' && new RegExp(entry).test(p.value ?? ''));
    if (!path) continue;
    const rest = (path.value ?? '').replace(entry, '');
    if (props.length === 1 && /^\$\{?PATH\}?$/.test(rest)) {
      edits.push(doc.remove(instr, true));
      continue;
    }
    const text = doc.text.slice(instr.argsStart, instr.argsEnd);
    for (const m of text.matchAll(entry)) {
      const at = instr.argsStart + m.index!;
      edits.push({ start: at, end: at + m[0].length, text: '' });
    }
  }
  return edits;
}

/** apt-get's own housekeeping around an install: nothing else depends on it. */
function aptHousekeeping(values: (string | null)[]): boolean {
  const [program, action] = values;
  if (program === 'apt-get' || program === 'apt') return action === 'update' || action === 'clean';
  return (
    program === 'rm' &&
    values
      .slice(1)
      .every((v) => v !== null && (v.startsWith('-') || /^\/var\/lib\/apt\/lists\/?\*?$/.test(v)))
  );
}

/**
 * The statements of the installer's RUN that only brought curl in for it (`apt-get update`,
 * `apt-get install -y curl`, the apt lists removed): dropped, when the file uses curl nowhere else.
 */
function curlOnlyForInstaller(doc: Doc, run: Instr, installer: number): Edit[] {
  const statements = doc.shell(run).statements;
  const others = statements.filter((s) => s.start !== installer);
  const installs = others.filter((s) => {
    const v = s.commands[0]?.words.map((w) => w.value) ?? [];
    return (v[0] === 'apt-get' || v[0] === 'apt') && v[1] === 'install';
  });
  if (installs.length !== 1 || others.some((s) => s.commands.length !== 1)) return [];
  const packages = installs[0].commands[0].words
    .slice(2)
    .map((w) => w.value)
    .filter((v) => !v?.startsWith('-'));
  if (!packages.includes('curl') || packages.some((p) => p !== 'curl' && p !== 'ca-certificates'))
    return [];
  const apt = others.filter(
    (s) => s === installs[0] || aptHousekeeping(s.commands[0].words.map((w) => w.value)),
  );
  const elsewhere = doc.text.slice(0, run.start) + doc.text.slice(run.end);
  if (apt.length !== others.length || /\bcurl\b/.test(elsewhere)) return [];
  return apt.map((s) => ({ start: s.removal.start, end: s.removal.end, text: '' }));
}

/**
 * Poetry pinned where it comes in: the installer script becomes `pip install poetry==X` (and the
 * curl and PATH entry that served it go), a bare `poetry` in its pip install gets `==X`. With
 * `exporting`, a Poetry 2 gets poetry-plugin-export beside it: `poetry export` left Poetry in 2.0.
 */
function pinPoetry(
  doc: Doc,
  stage: Stage,
  configured: string,
  exporting: boolean,
): { edits: Edit[]; notes: string[]; findings: Finding[] } {
  const fit = poetryForPython(doc, stage, configured);
  const unpinned = fit.version;
  const edits: Edit[] = [];
  const notes: string[] = [];
  const findings: Finding[] = [];
  const release = poetryRelease(doc, stage, unpinned);
  const plugin =
    exporting &&
    'version' in release &&
    !/^[01]\./.test(release.version) &&
    !hasExportPlugin(doc, stage);
  const withPlugin = plugin ? ' poetry-plugin-export' : '';
  const script = poetryInstallerScript(doc, stage);
  if (script) {
    const version = script.version ?? unpinned;
    const spec = version.includes('$') ? `"poetry==${version}"` : `poetry==${version}`;
    edits.push({ start: script.start, end: script.end, text: `pip install ${spec}${withPlugin}` });
    notes.push(
      `the installer script is replaced by \`pip install ${spec}${withPlugin}\`: a pinned Poetry in the builder's system Python, which the runtime stage does not receive${script.version === null && fit.why ? ` (${fit.why})` : ''}`,
    );
    const fetch = curlOnlyForInstaller(doc, script.instr, script.start);
    if (fetch.length > 0) {
      edits.push(...fetch);
      notes.push(
        'the apt-get install of curl goes with it: curl only fetched the installer script',
      );
    }
    const byPath = installerPathCalls(doc, stage, script);
    if (byPath.why === null && byPath.calls.length > 0) {
      edits.push(...byPath.calls.map((c) => c.edit));
      const called = [...new Set(byPath.calls.filter((c) => !c.link).map((c) => c.written))];
      const links = byPath.calls.filter((c) => c.link).map((c) => `\`${c.written}\``);
      if (called.length > 0)
        notes.push(
          `${called.join(' and ')} becomes \`poetry\`: pip puts Poetry in the Python's bin directory, on PATH, where the installer script's place no longer has it`,
        );
      if (links.length > 0)
        notes.push(
          `${links.join(' and ')} taken out: pip puts Poetry on PATH itself, and the link would point at nothing (or fail on the program pip put there)`,
        );
    }
    const path = installerBinOnPath(doc, stage, script.instr);
    if (path.length > 0) {
      edits.push(...path);
      notes.push(
        "PATH no longer names the installer script's bin directory: pip puts poetry on PATH already, and the runtime has no Poetry to find",
      );
    }
  }
  const pip = toolPipInstall(doc, stage, 'poetry', true);
  const poetryWord =
    pip?.packages.findIndex((p) => p !== null && /^poetry(\[[^\]]*\])?$/i.test(p)) ?? -1;
  if (pip && poetryWord >= 0) {
    const positional = pip.command.words.filter((w) => w.value === pip.packages[poetryWord]);
    const word = positional.at(-1)!;
    edits.push({ start: word.end, end: word.end, text: `==${unpinned}` });
    notes.push(
      `Poetry pinned to ${unpinned}: an unpinned Poetry changes between builds${fit.why ? ` (${fit.why})` : ''}`,
    );
  }
  if (pip && plugin) {
    const last = pip.command.words.at(-1)!;
    edits.push({ start: last.end, end: last.end, text: withPlugin });
  }
  if (pip && plugin)
    notes.push(
      'poetry-plugin-export installed beside Poetry: from Poetry 2 on, `poetry export` is that plugin',
    );
  if (exporting && 'why' in release && !hasExportPlugin(doc, stage) && (pip || script))
    findings.push({
      message: `whether \`poetry export\` needs poetry-plugin-export cannot be told (Poetry 2 left it out, Poetry 1 has it): ${release.why}`,
      range: { start: (pip ?? script)!.instr.start, end: (pip ?? script)!.instr.end },
      severity: 'warning',
    });
  return { edits, notes, findings };
}

/** poetry-plugin-export installed by pip beside Poetry, or by `poetry self add`. */
function hasExportPlugin(doc: Doc, stage: Stage): boolean {
  return stage.instructions.some(
    (i) =>
      i.keyword === 'RUN' && /\bpoetry-plugin-export\b/.test(doc.logical(i.argsStart, i.argsEnd)),
  );
}

/** Development groups an export may be asked for: production installs without them. */
const DEV_GROUP = /^(dev|develop|development|test|tests|testing|lint|docs|typing)$/i;

/**
 * `poetry export` then `pip install -r`: the model stays (pip installs, pip-venv gives it the venv),
 * Poetry is pinned in the builder, and the export leaves the development groups out.
 */
function exported(doc: Doc, ctx: ProjectContext, unpinned: string): Finding[] {
  if ((!ctx.pyproject?.poetry && !ctx.hasPoetryLock) || uvNamed(doc)) return [];
  if (doc.stages.length !== 1) return [];
  const stage = doc.stages[0];
  const exports = lockExports(doc, stage).filter((e) => e.tool === 'poetry');
  if (exports.length === 0 || lockToolInstalls(doc, stage, 'poetry')) return [];
  const pinned = pinPoetry(doc, stage, unpinned, true);
  const edits = [...pinned.edits];
  const notes = [...pinned.notes];
  for (const call of exports) {
    const words = { form: 'shell' as const, words: call.command.words };
    for (const o of call.options) {
      const groups = (o.value ?? '').split(',');
      if (o.name === '--dev' || o.name === '--all-groups')
        edits.push(dropWords(words, o.index, o.index + 1));
      else if (o.name === '--with' && groups.every((g) => DEV_GROUP.test(g.trim())))
        edits.push(
          dropWords(
            words,
            o.index,
            o.index + (call.command.words[o.index].value?.includes('=') ? 1 : 2),
          ),
        );
      else continue;
      notes.push(
        `\`${call.command.words[o.index].value}${o.name === '--with' && !call.command.words[o.index].value?.includes('=') ? ` ${o.value}` : ''}\` dropped from poetry export: production does not install the development groups`,
      );
    }
  }
  if (edits.length === 0) return pinned.findings;
  const first = exports[0].instr;
  return [
    ...pinned.findings,
    {
      message: `Poetry exports the lock for pip, which installs it (the model is kept; moving the project to uv is a separate step): ${notes.join('; ')}`,
      range: { start: first.start, end: first.end },
      edits,
    },
  ];
}
