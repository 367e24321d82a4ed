/**
 * One answer to "is this a uv call, and what does it do?", for every place that asks: RUN lines,
 * start commands, entrypoint scripts and Compose commands. uv is recognised by any path it is
 * installed at (`uv`, `/bin/uv`, `/usr/local/bin/uv`, `/root/.local/bin/uv`, `$HOME/.local/bin/uv`),
 * as `python -m uv`, and with global options before the subcommand (`uv --project . sync`,
 * `uv --directory app run`). Settings uv reads from the environment (`UV_FROZEN=1 uv sync`, or an
 * ENV of the stage) count as the flags they stand for.
 */

/** uv's global options that take a separate value (`uv --directory app run`). */
const GLOBAL_VALUE = new Set([
  '--directory',
  '--project',
  '--cache-dir',
  '--config-file',
  '--color',
  '--python',
  '-p',
  '--python-preference',
  '--allow-insecure-host',
]);

/** A word as the recogniser needs it: its value when literal (null for an expansion), and its text. */
export interface UvWord {
  value: string | null;
  raw?: string;
  /** The shell model's reading of an expansion (see ShellWord). */
  parts?: readonly ({ text: string } | { name: string })[] | null;
  fields?: readonly (readonly string[])[] | null;
}

export interface UvCall {
  /** Index of the word that names uv (for `python -m uv`, the `python` word). */
  bin: number;
  /** Index of the first word after uv itself (after `-m uv` for `python -m uv`). */
  args: number;
  /** Index of the subcommand; the length of the words when there is none. */
  sub: number;
  /** `sync`, `run`, `pip`, `venv`, `lock`, `tool`, ...; null when absent or unreadable. */
  subcommand: string | null;
  /** The word after `pip`, `tool`, `python` (`install`, `sync`, `run`); null otherwise. */
  action: string | null;
  /** Global options seen before the subcommand, by name. */
  globals: string[];
}

/** A path or name that is uv itself: `uv`, `/usr/local/bin/uv`, `$HOME/.local/bin/uv`, `~/.cargo/bin/uv`. */
export function isUvBinary(word: UvWord | undefined): boolean {
  if (!word) return false;
  if (word.value !== null) return /(^|\/)uv$/.test(word.value);
  // `$UV_CMD sync` where the RUN sets UV_CMD="uv" on one path and "sfw uv" on another: whatever it
  // holds, uv runs last in the command, with the words that follow as its arguments.
  if (word.parts?.length === 1 && 'name' in word.parts[0] && word.fields?.length)
    return word.fields.every((f) => f.length > 0 && /(^|\/)uv$/.test(f[f.length - 1]));
  // An expanded directory (`$HOME/.local/bin/uv`, `"${UV_DIR}/uv"`) still names the uv binary.
  return word.raw !== undefined && /\/uv["']?$/.test(word.raw);
}

const PYTHON = /(^|\/)python[0-9.]*$/;

/** The uv call these words make, or null when they do not call uv. */
export function uvCall(words: readonly UvWord[]): UvCall | null {
  let args: number;
  if (isUvBinary(words[0])) args = 1;
  else if (
    words[0]?.value != null &&
    PYTHON.test(words[0].value) &&
    words[1]?.value === '-m' &&
    words[2]?.value === 'uv'
  )
    args = 3;
  else return null;
  const globals: string[] = [];
  let i = args;
  while (i < words.length) {
    const v = words[i].value;
    if (v === null || !v.startsWith('-')) break;
    const name = v.includes('=') ? v.slice(0, v.indexOf('=')) : v;
    globals.push(name);
    i += GLOBAL_VALUE.has(v) ? 2 : 1;
  }
  const subcommand = i < words.length ? words[i].value : null;
  const takesAction = subcommand === 'pip' || subcommand === 'tool' || subcommand === 'python';
  return {
    bin: 0,
    args,
    sub: Math.min(i, words.length),
    subcommand,
    action: takesAction ? (words[i + 1]?.value ?? null) : null,
    globals,
  };
}

/** uv subcommands distinctive enough that `$X sync` or `$X pip` reads as a uv call. */
const UV_SUBCOMMANDS = new Set(['sync', 'pip', 'venv', 'lock', 'export']);

/**
 * A command that may call uv through a variable whose value cannot be told (`$UV_CMD sync --frozen`
 * where UV_CMD comes from `$(..)` or an ARG without default): the word that names the program, or
 * null. Nothing should rewrite such a call; whatever passes over it says why.
 */
export function unreadableUvCall(words: readonly UvWord[]): UvWord | null {
  const [first, second] = words;
  if (!first || first.value !== null || isUvBinary(first) || second?.value == null) return null;
  return UV_SUBCOMMANDS.has(second.value) ? first : null;
}

/** Values of a list of plain strings as recogniser words (exec form, Compose lists). */
export function uvCallOf(values: readonly (string | null)[]): UvCall | null {
  return uvCall(values.map((value) => ({ value })));
}

/** Settings uv reads from the environment that stand for a flag. */
export interface UvSettings {
  frozen: boolean;
  locked: boolean;
  noDev: boolean;
  noSync: boolean;
  systemPython: boolean;
  noCache: boolean;
  /** UV_PROJECT_ENVIRONMENT as given, or null. */
  projectEnvironment: string | null;
  cacheDir: string | null;
}

/** uv's boolean environment settings: `1`, `true`, `yes`, `on` (any case) mean on. */
function truthy(value: string | null | undefined): boolean {
  return value != null && /^(1|true|yes|on)$/i.test(value.trim());
}

/**
 * The settings in force for one uv call: the stage's environment, then the assignments on the
 * command itself (`UV_FROZEN=1 uv sync`), which win.
 */
export function uvSettings(
  env: ReadonlyMap<string, string | null>,
  assigns: readonly { name: string; value: string | null }[] = [],
): UvSettings {
  const all = new Map<string, string | null>(env);
  for (const a of assigns) all.set(a.name, a.value);
  return {
    frozen: truthy(all.get('UV_FROZEN')),
    locked: truthy(all.get('UV_LOCKED')),
    noDev: truthy(all.get('UV_NO_DEV')),
    noSync: truthy(all.get('UV_NO_SYNC')),
    systemPython: truthy(all.get('UV_SYSTEM_PYTHON')),
    noCache: truthy(all.get('UV_NO_CACHE')),
    projectEnvironment: all.get('UV_PROJECT_ENVIRONMENT') ?? null,
    cacheDir: all.get('UV_CACHE_DIR') ?? null,
  };
}

/** `NAME=value` shell words as name and literal value (null when the value is an expansion). */
export function assignments(words: readonly UvWord[]): { name: string; value: string | null }[] {
  return words.flatMap((w) => {
    const text = w.value ?? w.raw ?? '';
    const eq = text.indexOf('=');
    if (eq <= 0) return [];
    return [{ name: text.slice(0, eq), value: w.value === null ? null : text.slice(eq + 1) }];
  });
}
