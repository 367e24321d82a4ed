/**
 * The Python uv manages in a stage built on a uv image without one (`ghcr.io/astral-sh/uv:debian`):
 * whether the stage needs it, which version uv would have used, the `uv python install` steps that
 * fetch it, and what keeps the stage from moving to the official Python image instead.
 */
import { isUvCall, type Doc, type Instr, type Stage } from './document.js';
import { projectPython, pythonVersionFile } from './images.js';
import type { Edit, MigrationOptions, ProjectContext } from './types.js';

/** uv subcommands that need an interpreter. */
const NEEDS_PYTHON = ['sync', 'run', 'pip', 'venv', 'python', 'tool'];

/** The stage and the stages built FROM it, directly or through others: they share its Python. */
export function stagesOn(doc: Doc, stage: Stage): Stage[] {
  const out = [stage];
  for (const s of doc.stages) {
    const image = s.image?.toLowerCase();
    if (s.index > stage.index && out.some((o) => o.name?.toLowerCase() === image)) out.push(s);
  }
  return out;
}

export function usesPython(doc: Doc, stages: Stage[]): boolean {
  return runs(doc, stages).some(({ command }) => NEEDS_PYTHON.some((s) => isUvCall(command, s)));
}

/** `apt-get install python3`: the stages have the distribution's Python, not one uv downloads. */
export function installsSystemPython(doc: Doc, stages: Stage[]): boolean {
  return runs(doc, stages).some(({ command }) => {
    const v = command.words.map((w) => w.value ?? '');
    return (
      /^(apt-get|apt|apk)$/.test(v[0]) &&
      (v.includes('install') || v.includes('add')) &&
      v.some((w) => /^python3(\.\d+)?(-minimal|-full)?$/.test(w))
    );
  });
}

/**
 * The path a stage outside `stages` copies uv's Python from (`COPY --from=builder /python /python`,
 * uv's standalone example), or null.
 */
export function shippedPython(doc: Doc, stages: Stage[]): string | null {
  const dirs = ['/root/.local/share/uv/python'];
  for (const s of stages) {
    const dir = doc.stageEnv(s).get('UV_PYTHON_INSTALL_DIR');
    if (dir) dirs.push(dir.replace(/^["']|["']$/g, '').replace(/\/$/, ''));
  }
  const names = new Set(stages.flatMap((s) => [s.name?.toLowerCase(), String(s.index)]));
  for (const instr of doc.instructions) {
    const from = instr.flags.find((f) => f.name === 'from')?.value?.toLowerCase();
    if (instr.keyword !== 'COPY' || !from || !names.has(from)) continue;
    const words = doc.logical(instr.argsStart, instr.argsEnd).trim().split(/\s+/);
    const source = words
      .slice(0, -1)
      .find((w) => dirs.some((d) => w === d || w.startsWith(`${d}/`) || d.startsWith(`${w}/`)));
    if (source) return source;
  }
  return null;
}

/**
 * A setting that makes uv refuse the image's Python (`--managed-python`, `UV_MANAGED_PYTHON=1`,
 * `--python-preference only-managed`), as written, or null.
 */
export function insistsOnManaged(doc: Doc, stages: Stage[]): string | null {
  for (const s of stages) {
    const value = doc
      .stageEnv(s)
      .get('UV_MANAGED_PYTHON')
      ?.replace(/^["']|["']$/g, '');
    if (value && !/^(0|false|no|off)$/i.test(value)) return `ENV UV_MANAGED_PYTHON=${value}`;
  }
  for (const { command } of runs(doc, stages)) {
    if (!isUvCall(command)) continue;
    const v = command.words.map((w) => w.value ?? '');
    const i = v.findIndex(
      (w, k) =>
        w === '--managed-python' ||
        w === '--python-preference=only-managed' ||
        (w === '--python-preference' && v[k + 1] === 'only-managed'),
    );
    if (i >= 0) return v.slice(0, i + (v[i] === '--python-preference' ? 2 : 1)).join(' ');
  }
  return null;
}

/**
 * Edits that drop every `uv python install` of the stages (the whole RUN when that is all it does,
 * else its statements), with the versions asked for; or why one cannot be dropped.
 */
export function pythonInstalls(
  doc: Doc,
  stages: Stage[],
): { edits: Edit[]; requested: string[] } | { stuck: string } {
  const edits: Edit[] = [];
  const requested: string[] = [];
  for (const instr of stages.flatMap((s) => s.instructions)) {
    if (instr.keyword !== 'RUN') continue;
    if (instr.json) {
      if (isPythonInstall(instr.json)) {
        requested.push(...versionsAsked(instr.json));
        edits.push(removeLines(doc, instr));
      }
      continue;
    }
    const script = doc.shell(instr);
    const sts = script.statements;
    const installs = sts.map((st) => st.commands.some((c) => isPythonInstall(words(c))));
    if (!installs.includes(true)) continue;
    if (!script.ok || instr.heredocs.length > 0)
      return { stuck: `${brief(doc, instr)} installs a Python in a form that is not rewritten` };
    if (sts.some((st, k) => installs[k] && st.commands.length > 1))
      return { stuck: `${brief(doc, instr)} installs a Python inside a longer command` };
    sts.forEach((st, k) => installs[k] && requested.push(...versionsAsked(words(st.commands[0]))));
    if (installs.every(Boolean)) {
      edits.push(removeLines(doc, instr));
      continue;
    }
    // A run of adjacent installs goes as one range, so that two removals never overlap.
    for (let k = 0; k < sts.length; k++) {
      if (!installs[k]) continue;
      let j = k;
      while (installs[j + 1]) j++;
      edits.push(
        j + 1 < sts.length
          ? { start: sts[k].start, end: sts[j + 1].start, text: '' }
          : { start: sts[k - 1].end, end: sts[j].end, text: '' },
      );
      k = j;
    }
  }
  return { edits, requested };
}

/**
 * The Python uv would have used, in uv's own order: dockmig's --python, then UV_PYTHON or
 * `--python` on a uv call, the runtime image the file already pins (`pinned`, never silently
 * changed), .python-version, the one version `uv python install` asked for, requires-python, the
 * default. A request the official images cannot meet (PyPy, a free-threaded build) comes back as
 * `unsupported`.
 */
export function managedVersion(
  doc: Doc,
  stages: Stage[],
  requested: string[],
  ctx: ProjectContext,
  options: MigrationOptions,
  pinned: { version: string; source: string } | null = null,
): { version: string; source: string } | { unsupported: string } {
  if (options.python) return { version: options.python, source: '--python' };
  const asked: { request: string; source: string }[] = [];
  for (const s of stages) {
    const env = doc.stageEnv(s).get('UV_PYTHON');
    if (env) asked.push({ request: env.replace(/^["']|["']$/g, ''), source: 'UV_PYTHON' });
  }
  for (const { command } of runs(doc, stages)) {
    const v = words(command);
    if (!isUvCall(command) || isPythonInstall(v)) continue;
    v.forEach((w, i) => {
      const m = /^(?:--python|-p)(?:=(.+))?$/.exec(w);
      if (m && i > 0) asked.push({ request: m[1] ?? v[i + 1] ?? '', source: `uv ${w}` });
    });
  }
  for (const { request, source } of asked) {
    const version = minorOf(request);
    if (version) return { version, source };
    if (request) return { unsupported: `Python ${request} (${source})` };
  }
  if (pinned) return pinned;
  const file = pythonVersionFile(ctx);
  if (file) return { version: file, source: '.python-version' };
  const odd = requested.find((r) => minorOf(r) === null && !/^\d+$/.test(r));
  if (odd) return { unsupported: `Python ${odd} (uv python install)` };
  const installed = [...new Set(requested.map(minorOf).filter((v) => v !== null))];
  if (installed.length === 1) return { version: installed[0], source: 'uv python install' };
  return projectPython(ctx) ?? { version: options.defaultPython, source: 'the default' };
}

/** `3.12`, `3.12.4`, `cpython-3.12`, `cpython@3.12` -> `3.12`; other requests (pypy, 3.13t) -> null. */
export function minorOf(request: string): string | null {
  const m = /^(?:cpython[-@]?)?(\d+)\.(\d+)(?:\.\d+)?$/.exec(request);
  return m ? `${m[1]}.${m[2]}` : null;
}

/** The instruction with its comments; between two blank lines, one of them goes too. */
function removeLines(doc: Doc, instr: Instr): Edit {
  const edit = doc.remove(instr, true);
  const blankAfter = /^[ \t]*\r?\n/.exec(doc.text.slice(edit.end));
  if (blankAfter && /\n[ \t]*\r?\n$/.test(doc.text.slice(0, edit.start)))
    return { ...edit, end: edit.end + blankAfter[0].length };
  return edit;
}

function runs(doc: Doc, stages: Stage[]) {
  return stages.flatMap((s) =>
    s.instructions
      .filter((i) => i.keyword === 'RUN')
      .flatMap((instr) => doc.shell(instr).commands.map((command) => ({ instr, command }))),
  );
}

function words(command: { words: { value: string | null }[] }): string[] {
  return command.words.map((w) => w.value ?? '');
}

function isPythonInstall(v: string[]): boolean {
  if (!/(^|\/)uv$/.test(v[0] ?? '')) return false;
  const rest = v.slice(1).filter((w) => !w.startsWith('-'));
  return rest[0] === 'python' && rest[1] === 'install';
}

/** The version requests of `uv python install 3.12 3.11` (option values such as paths skipped). */
function versionsAsked(v: string[]): string[] {
  return v.slice(v.indexOf('install') + 1).filter((w) => /^(\d|cpython|pypy|graalpy)/i.test(w));
}

function brief(doc: Doc, instr: Instr): string {
  const text = doc.logical(instr.start, instr.end).replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
