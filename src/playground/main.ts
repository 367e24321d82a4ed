/**
 * The playground page: the library migrates what the editors hold on every change, and the page
 * shows the change set side by side (diff2html), the findings with their rationale, a toggle per
 * transform and the main options. All of it runs here; the state lives in the URL's hash, so the
 * address is the permalink. Text reaches the DOM as text, never as markup (diff2html escapes the
 * lines it draws).
 */
import mvdan from 'mvdan-sh';
import * as yamlNs from 'yaml';
import { html as diffHtml } from 'diff2html';
import { migrate, provideModules, transforms, type MigrationResult } from '../index.js';
import { unifiedDiff } from '../report/diff.js';
import {
  DEFAULT_STATE,
  decodeState,
  encodeState,
  migration,
  type PlaygroundState,
} from './state.js';

/** The example of the repository (examples/legacy-fastapi), put here by the build. */
declare const PLAYGROUND_EXAMPLE: { dockerfile: string; pyproject: string; pythonVersion: string };

// No Node here to load the parsers lazily: the bundle carries them.
provideModules({ mvdanSh: () => mvdan, yaml: () => yamlNs });

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const editors = {
  dockerfile: byId<HTMLTextAreaElement>('dockerfile'),
  pyproject: byId<HTMLTextAreaElement>('pyproject'),
  pythonVersion: byId<HTMLTextAreaElement>('python-version'),
};
const fields = {
  uvLock: byId<HTMLInputElement>('uv-lock'),
  python: byId<HTMLInputElement>('python'),
  uid: byId<HTMLInputElement>('uid'),
  lockFlag: byId<HTMLSelectElement>('lock-flag'),
  healthPath: byId<HTMLInputElement>('health-path'),
};
const status = byId('status');
const toggles = new Map<string, HTMLInputElement>();
const titles = new Map(transforms.map((t) => [t.id, t]));

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  cls?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A rationale's `code` spans as <code>, the rest as text. */
function withCode(parent: HTMLElement, text: string): void {
  text.split('`').forEach((part, i) => {
    parent.append(i % 2 === 1 ? el('code', '', part) : document.createTextNode(part));
  });
}

function buildToggles(): void {
  const box = byId('transforms');
  for (const t of transforms) {
    const label = el('label');
    label.title = t.title;
    const box_ = el('input');
    box_.type = 'checkbox';
    box_.dataset.transform = t.id;
    box_.addEventListener('change', () => schedule(0));
    toggles.set(t.id, box_);
    label.append(box_, ` ${t.id}`);
    box.append(label);
  }
}

function readState(): PlaygroundState {
  const uid = Number(fields.uid.value);
  return {
    dockerfile: editors.dockerfile.value,
    pyproject: editors.pyproject.value,
    pythonVersion: editors.pythonVersion.value,
    uvLock: fields.uvLock.checked,
    skip: transforms.filter((t) => !toggles.get(t.id)?.checked).map((t) => t.id),
    python: fields.python.value,
    uid: Number.isInteger(uid) && uid > 0 ? uid : DEFAULT_STATE.uid,
    lockFlag: fields.lockFlag.value === 'locked' ? 'locked' : 'frozen',
    healthPath: fields.healthPath.value,
  };
}

function writeState(state: PlaygroundState): void {
  editors.dockerfile.value = state.dockerfile;
  editors.pyproject.value = state.pyproject;
  editors.pythonVersion.value = state.pythonVersion;
  fields.uvLock.checked = state.uvLock;
  fields.python.value = state.python;
  fields.uid.value = String(state.uid);
  fields.lockFlag.value = state.lockFlag;
  fields.healthPath.value = state.healthPath;
  for (const [id, box] of toggles) box.checked = !state.skip.includes(id);
}

function exampleState(): PlaygroundState {
  return { ...DEFAULT_STATE, skip: [], ...PLAYGROUND_EXAMPLE };
}

let runs = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

/** Typing migrates once it pauses; a click migrates at once. */
function schedule(delay = 200): void {
  clearTimeout(timer);
  timer = setTimeout(run, delay);
}

function run(): void {
  const state = readState();
  const { input, options } = migration(state);
  let result: MigrationResult;
  try {
    result = migrate(input, options);
  } catch (e) {
    // A defect of dockmig, not of the input: say so rather than leave a stale review.
    status.className = 'error';
    status.textContent = `dockmig failed on this input (please report it): ${String(e)}`;
    return;
  }
  render(result);
  runs += 1;
  document.body.dataset.runs = String(runs);
  if (runs === 1) document.body.dataset.firstDiffMs = String(Math.round(performance.now()));
  void save(state, runs);
}

let savedRun = 0;
async function save(state: PlaygroundState, run: number): Promise<void> {
  const hash = await encodeState(state);
  // Encodings finish in any order; only the latest state may become the address.
  if (run < savedRun) return;
  savedRun = run;
  history.replaceState(null, '', `#${hash}`);
  document.body.dataset.saved = String(run);
}

function render(result: MigrationResult): void {
  const fixed = result.findings.filter((f) => f.fixed).length;
  status.className = result.status === 'error' ? 'error' : '';
  status.textContent =
    result.status === 'error'
      ? 'Not migrated: see the reasons below'
      : result.status === 'unchanged'
        ? `Unchanged: ${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}, nothing to fix`
        : `${result.changes.length} file${result.changes.length === 1 ? '' : 's'} changed: ${fixed} of ${result.findings.length} findings fixed`;

  const errors = byId('errors');
  errors.replaceChildren(...[...result.errors, ...result.notes].map((m) => el('p', '', m)));
  errors.hidden = errors.childElementCount === 0;

  const diff = byId('diff');
  const text = unifiedDiff(result.changes);
  if (text === '') {
    diff.replaceChildren(el('p', 'empty', 'No change to show.'));
  } else {
    diff.innerHTML = diffHtml(text, {
      outputFormat: 'side-by-side',
      drawFileList: false,
      matching: 'lines',
    });
  }

  const active = new Set(result.findings.map((f) => f.transform));
  for (const [id, box] of toggles) box.parentElement?.classList.toggle('active', active.has(id));

  byId('findings').replaceChildren(
    ...result.findings.map((f) => {
      const li = el('li');
      li.dataset.transform = f.transform;
      const state = f.declined ? 'declined' : f.fixed ? 'fixed' : 'reported';
      li.append(
        el('span', 'title', f.title),
        ' ',
        el('span', 'id', f.transform),
        el('span', `state ${state}`, state === 'reported' ? 'not fixed' : state),
        el('br'),
      );
      const message = el('span', 'message');
      withCode(message, (f.file ? `${f.file}: ` : f.line ? `line ${f.line}: ` : '') + f.message);
      li.append(message);
      const rationale = titles.get(f.transform)?.rationale;
      if (rationale) {
        const why = el('details');
        const p = el('p', 'why');
        withCode(p, rationale);
        why.append(el('summary', '', 'Why'), p);
        li.append(why);
      }
      return li;
    }),
  );

  byId('after').replaceChildren(
    ...result.changes.flatMap((c) => {
      const pre = el('pre', '', c.after);
      pre.dataset.path = c.path;
      return [el('h3', '', c.before === null ? `${c.path} (new)` : c.path), pre];
    }),
  );
}

async function fromHash(): Promise<void> {
  const state = location.hash.length > 1 ? await decodeState(location.hash) : null;
  writeState(state ?? exampleState());
  run();
  if (location.hash.length > 1 && !state) {
    status.className = 'error';
    status.textContent = 'This link could not be read (cut short?): the example is shown instead.';
  }
}

buildToggles();
for (const input of Object.values(editors)) input.addEventListener('input', () => schedule());
for (const input of [fields.python, fields.uid, fields.healthPath])
  input.addEventListener('input', () => schedule());
for (const input of [fields.uvLock, fields.lockFlag])
  input.addEventListener('change', () => schedule(0));
byId('example').addEventListener('click', () => {
  writeState(exampleState());
  schedule(0);
});
byId('copy-link').addEventListener('click', () => {
  const inAddressBar = () =>
    (status.textContent = 'The permalink is the address in the address bar.');
  // A page opened from file:// may have no clipboard to write to.
  if (!navigator.clipboard) return inAddressBar();
  navigator.clipboard
    .writeText(location.href)
    .then(() => (status.textContent = 'The permalink is copied.'), inAddressBar);
});
// A permalink pasted into this tab's address bar changes only the hash.
window.addEventListener('hashchange', () => void fromHash());
void fromHash();
