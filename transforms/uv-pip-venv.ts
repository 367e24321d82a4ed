/**
 * FROM python:3.12-slim                          FROM python:3.12-slim
 * WORKDIR /app                                   WORKDIR /app
 *                                          ->    RUN uv venv /app/.venv
 *                                                ENV VIRTUAL_ENV=/app/.venv \
 *                                                    PATH="/app/.venv/bin:$PATH"
 * COPY requirements.txt .                        COPY requirements.txt .
 * RUN uv pip install --system --no-cache \       RUN --mount=type=cache,target=/root/.cache/uv \
 *     -r requirements.txt                            uv pip install -r requirements.txt
 *
 * Also `uv pip sync --system`, `uv pip install --system .` after the source copy, and
 * UV_SYSTEM_PYTHON=1 as an ENV (the setting is removed) or on the command. The venv is made before
 * the first install (and before the dependency files it copies), so the dependency layer stays where
 * it was; multi-stage then splits the stage like one that runs uv sync. `-e .` stays editable: the
 * runtime stage receives the whole app directory at the same path.
 *
 * Single-stage files only. Not converted, with the reason: other installs into the system Python
 * (`pip install gunicorn`), `--python X`, `--target`, flags from a variable, a stage that also runs
 * uv sync, no CMD/ENTRYPOINT (a base image), no app directory, a base whose Python cannot be told,
 * a start command that names the system Python, `python -m uv` (the venv python has no uv module),
 * UV_SYSTEM_PYTHON from an ARG, VIRTUAL_ENV already set, a later ENV PATH that drops the venv, a
 * non-root USER before the install, uv brought in only by the install itself.
 */
import { installsUv } from '../src/core/uv-presence.js';
import { defineTransform } from '../src/core/transform.js';
import { type Doc, type Instr, type Stage } from '../src/core/document.js';
import { dropWords, programWords } from '../src/core/command.js';
import { isUvImage, parseImageRef, runtimeImageFor } from '../src/core/images.js';
import { uvCall, uvSettings } from '../src/core/uv.js';
import { appDirAsWritten, uvPipCalls, venvAnchor, type UvPipCall } from '../src/core/venv.js';
import type { Edit, Finding } from '../src/core/types.js';

const CACHE = '--mount=type=cache,target=/root/.cache/uv';
/** Packages a plain `pip install` may add without putting the app's dependencies in the system Python. */
const TOOLING = /^(pip|setuptools|wheel|uv)([<>=!~[].*)?$/i;

export default defineTransform({
  id: 'uv-pip-venv',
  title: 'Install uv pip packages into a venv in the app directory',
  rationale:
    '`uv pip install --system` writes into the system Python (/usr/local), which a slim runtime ' +
    "stage cannot receive without copying the builder's whole Python installation. A venv in the " +
    'app directory, made with `uv venv`, named by VIRTUAL_ENV (uv pip installs there) and put on ' +
    'PATH (its programs are found), travels with the app: the stage is then split like one that ' +
    'runs uv sync, and the runtime stage gets the app directory with its venv.',
  uvOnly: true,
  detect(doc) {
    // A file that already has stages decides for itself where its packages go.
    if (doc.stages.length !== 1) return [];
    const stage = doc.stages[0];
    const calls = uvPipCalls(doc, stage);
    const system = calls.filter((c) => c.target.kind === 'system');
    if (system.length === 0) return [];
    const first = system[0];
    const anchor = venvAnchor(stage, first.instr);
    const blocked = blocker(doc, stage, calls, system, anchor);
    if (blocked) {
      return [
        {
          message: `uv pip installs into the system Python; it is not moved into a venv: ${blocked.why}`,
          range: { start: blocked.instr.start, end: blocked.instr.end },
          severity: 'warning',
        },
      ];
    }
    const app = doc.appDir(stage).dir!;
    const written = `${appDirAsWritten(doc, stage) ?? app}/.venv`;
    const carried = uvMounts(doc, first.instr);
    const edits: Edit[] = [
      doc.insertBefore(
        anchor,
        [
          ['RUN', ...carried, `uv venv ${written}`].join(' '),
          doc.continued([`ENV VIRTUAL_ENV=${written}`, `PATH="${written}/bin:$PATH"`]),
        ],
        true,
      ),
    ];
    const notes: string[] = [];
    const removedEnv = settingRemovals(doc, stage)!;
    edits.push(...removedEnv);
    let cached = false;
    for (const instr of new Set(system.map((c) => c.instr))) {
      const own = system.filter((c) => c.instr === instr);
      const mount = cacheMount(doc, instr);
      if (mount) {
        edits.push(mount);
        cached = true;
      }
      for (const c of own) {
        const drop = new Set(['--system', '--break-system-packages']);
        if (mount) for (const n of ['--no-cache', '-n', '--no-cache-dir']) drop.add(n);
        for (const o of c.options) {
          if (drop.has(o.name) && o.value === null)
            edits.push(dropWords({ form: 'shell', words: c.command.words }, o.index, o.index + 1));
        }
        const assigns = c.command.assigns;
        assigns.forEach((a, i) => {
          if (!isSystemSetting(a)) return;
          const next = assigns[i + 1] ?? c.command.words[0];
          edits.push({ start: a.start, end: next.start, text: '' });
        });
      }
    }
    const dropped = [
      ...(system.some((c) => c.options.some((o) => o.name === '--system')) ? ['--system'] : []),
      ...(removedEnv.length > 0 || system.some((c) => c.command.assigns.some(isSystemSetting))
        ? ['UV_SYSTEM_PYTHON']
        : []),
    ];
    notes.push(
      `uv pip installs into a venv in the app directory (${app}/.venv) instead of the system Python, so a runtime stage can receive it: uv venv makes it, VIRTUAL_ENV and PATH name it, ${dropped.join(' and ')} ${dropped.length > 1 ? 'are' : 'is'} dropped`,
    );
    if (cached)
      notes.push(
        'the uv cache is a build cache mount: wheels are reused between builds and never stored in the image',
      );
    if (system.some((c) => c.options.some((o) => o.name === '-e' || o.name === '--editable')))
      notes.push(
        'an editable install (-e) stays editable: the runtime stage receives the whole app directory at the same path, and a regular install could leave out files the package reads from its source tree',
      );
    return [
      {
        message: notes.join('; '),
        range: { start: first.instr.start, end: first.instr.end },
        edits,
      },
    ];
  },
});

function isSystemSetting(assign: { raw: string }): boolean {
  return /^UV_SYSTEM_PYTHON=/.test(assign.raw);
}

/** Why the stage keeps its system install, with the instruction to point at; null when the venv can be made. */
function blocker(
  doc: Doc,
  stage: Stage,
  calls: UvPipCall[],
  system: UvPipCall[],
  anchor: Instr,
): { instr: Instr; why: string } | null {
  const other = calls.find((c) => c.target.kind === 'other');
  if (other && other.target.kind === 'other')
    return { instr: other.instr, why: `uv pip ${other.action}: ${other.target.why}` };
  const sync = doc.uvCommands('sync')[0];
  if (sync)
    return {
      instr: sync.instr,
      why: 'the stage also runs uv sync; its venv and the system packages are for a person to bring together',
    };
  const starts = stage.instructions.filter(
    (i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT',
  );
  if (starts.length === 0)
    return {
      instr: stage.from,
      why: 'no CMD or ENTRYPOINT: a base image, and the images built FROM it may rely on the packages being in the system Python',
    };
  const image = stage.image ?? '';
  if (image.includes('$') ? !/python/i.test(image) : runtimeImageFor(image) === null)
    return {
      instr: stage.from,
      why: `${image || 'the FROM'} is not an image whose Python can be told, so no runtime stage could be made on it`,
    };
  const app = doc.appDir(stage);
  if (app.dir === null) return { instr: stage.from, why: app.why };
  const first = system[0];
  const byArg = system.find((c) => c.target.kind === 'system' && c.target.by === 'arg');
  if (byArg)
    return {
      instr: byArg.instr,
      why: 'UV_SYSTEM_PYTHON is an ARG, so a --build-arg could bring the system install back',
    };
  const venv = doc.stageScope(stage).get('VIRTUAL_ENV');
  if (venv)
    return {
      instr: venv.instr,
      why: `VIRTUAL_ENV is set (${venv.value}) although uv pip installs into the system Python; which one is meant is for a person to say`,
    };
  const user = stage.instructions.find(
    (i) =>
      i.keyword === 'USER' &&
      i.index < first.instr.index &&
      !/^(root|0)(:(root|0))?$/.test(doc.logical(i.argsStart, i.argsEnd).trim()),
  );
  if (user)
    return {
      instr: user,
      why: `USER ${doc.logical(user.argsStart, user.argsEnd).trim()} is set before the install, and the venv would be made by a user that may not own the app directory`,
    };
  const module = pythonDashMUv(doc, stage, anchor);
  if (module)
    return {
      instr: module,
      why: "uv runs as `python -m uv`, and once the venv is first on PATH that python is the venv's, which has no uv module: call the uv binary instead",
    };
  const pip = systemPip(doc, stage);
  if (pip)
    return {
      instr: pip.instr,
      why: `\`${pip.text}\` installs into the system Python too, and a runtime stage would not receive those packages: install them with uv pip as well`,
    };
  const copied = new Set(
    doc
      .copies(stage)
      .flatMap((c) =>
        c.target.value.endsWith('/')
          ? c.sources.map((s) => c.target.value + s.replace(/\/$/, '').split('/').pop())
          : [c.target.value],
      ),
  );
  for (const instr of starts) {
    for (const words of programWords(doc, instr)) {
      const program = words[words[0] === 'exec' ? 1 : 0];
      if (
        program &&
        (/^\/usr\/(local\/)?bin\/python[0-9.]*$/.test(program) ||
          (/^\/usr\/local\/bin\//.test(program) && !copied.has(program)))
      )
        return {
          instr,
          why: `${instr.keyword} runs ${program} from the system Python, which would not see the venv`,
        };
    }
  }
  const reset = stage.instructions.find(
    (i) =>
      i.keyword === 'ENV' &&
      i.index > anchor.index &&
      doc.properties(i).some((p) => p.name === 'PATH' && !/\$\{?PATH\}?/.test(p.value ?? '')),
  );
  if (reset)
    return {
      instr: reset,
      why: 'a later ENV PATH replaces PATH without keeping it, so the venv programs would not be found',
    };
  if (settingRemovals(doc, stage) === null) {
    const env = doc.stageScope(stage).get('UV_SYSTEM_PYTHON')!;
    return {
      instr: env.instr,
      why: 'UV_SYSTEM_PYTHON is set in a form whose removal cannot be written safely',
    };
  }
  if (!uvBefore(doc, stage, anchor) && uvMounts(doc, first.instr).length === 0)
    return {
      instr: first.instr,
      why: 'uv comes into the stage with the install itself, so no earlier step could make the venv; make it in that RUN by hand',
    };
  return null;
}

/** A RUN from `at` on that calls uv as `python -m uv`. */
function pythonDashMUv(doc: Doc, stage: Stage, at: Instr): Instr | null {
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN' || instr.index < at.index) continue;
    for (const command of doc.shell(instr).commands) {
      const call = uvCall(command.words);
      if (call && call.args > 1) return instr;
    }
  }
  return null;
}

/** A plain pip install of more than pip's own tooling: the packages go to the system Python. */
function systemPip(doc: Doc, stage: Stage): { instr: Instr; text: string } | null {
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'RUN') continue;
    for (const command of doc.shell(instr).commands) {
      const v = command.words.map((w) => w.value);
      let i: number;
      if (/(^|\/)pip[0-9.]*$/.test(v[0] ?? '')) i = 1;
      else if (/(^|\/)python[0-9.]*$/.test(v[0] ?? '') && v[1] === '-m' && v[2] === 'pip') i = 3;
      else continue;
      if (v[i] !== 'install') continue;
      const args = v.slice(i + 1);
      const onlyTooling = args.every(
        (a) =>
          a !== null &&
          !['-r', '--requirement', '-e', '--editable', '.'].includes(a) &&
          (a.startsWith('-') || TOOLING.test(a)),
      );
      if (!onlyTooling) return { instr, text: doc.joined(command.start, command.end) };
    }
  }
  return null;
}

/** Whether uv is in the stage before `at`: a uv base image, copied from a uv image, or installed by a RUN. */
function uvBefore(doc: Doc, stage: Stage, at: Instr): boolean {
  if (stage.image && !stage.image.includes('$') && isUvImage(parseImageRef(stage.image)))
    return true;
  return stage.instructions.some((i) => {
    if (i.index >= at.index) return false;
    if (i.keyword === 'COPY' || i.keyword === 'ADD')
      return (
        i.flags.some((f) => f.name === 'from' && /astral(-sh)?\/uv/.test(f.value ?? '')) ||
        doc.copies(stage).some((c) => c.instr === i && c.from !== null && c.sources.includes('/uv'))
      );
    return installsUv(doc, i);
  });
}

/** `--mount=from=<uv image>,...` flags of a RUN: uv exists in that RUN only, so the venv RUN needs them too. */
function uvMounts(doc: Doc, instr: Instr): string[] {
  return instr.flags
    .filter(
      (f) =>
        f.name === 'mount' &&
        /(^|,)from=[^,]*astral(-sh)?\/uv/.test(f.value ?? '') &&
        /(^|,)target=[^,]*\/uv(,|$)/.test(f.value ?? ''),
    )
    .map((f) => doc.text.slice(f.start, f.end));
}

/** A uv cache mount for an install RUN, unless it has one or the stage sets where (or whether) uv caches. */
function cacheMount(doc: Doc, instr: Instr): Edit | null {
  if (
    instr.flags.some(
      (f) =>
        f.name === 'mount' &&
        /type=cache/.test(f.value ?? '') &&
        /\.cache\/uv|UV_CACHE/.test(doc.text.slice(f.start, f.end)),
    )
  )
    return null;
  const env = new Map<string, string | null>();
  for (const [name, v] of doc.scope(instr)) env.set(name, v.exact ? v.value : null);
  if (uvSettings(env).noCache || env.has('UV_CACHE_DIR')) return null;
  const at = instr.flags[0]?.start ?? instr.argsStart;
  // A heredoc's `<<EOF` stays on the RUN line.
  const text =
    instr.heredocs.length > 0
      ? `${CACHE} `
      : `${CACHE} ${doc.escape}${doc.eol}${doc.continuationIndent}`;
  return { start: at, end: at, text };
}

/** Edits that take UV_SYSTEM_PYTHON out of the stage's ENV instructions; null when one cannot be written. */
function settingRemovals(doc: Doc, stage: Stage): Edit[] | null {
  const edits: Edit[] = [];
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'ENV') continue;
    const props = doc.properties(instr);
    const at = props.findIndex((p) => p.name === 'UV_SYSTEM_PYTHON');
    if (at < 0) continue;
    if (props.length === 1) {
      edits.push(doc.remove(instr));
      continue;
    }
    const nameStart = (i: number) => {
      const p = props[i];
      const start = p.valueStart - p.name.length - 1;
      return doc.text.slice(start, p.valueStart) === `${p.name}=` ? start : null;
    };
    const start = nameStart(at);
    const next = at + 1 < props.length ? nameStart(at + 1) : null;
    if (start === null || (at + 1 < props.length && next === null)) return null;
    if (next !== null) edits.push({ start, end: next, text: '' });
    else edits.push({ start: props[at - 1].valueEnd, end: props[at].valueEnd, text: '' });
  }
  return edits;
}
