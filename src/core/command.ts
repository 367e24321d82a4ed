/**
 * The programs a CMD/ENTRYPOINT (or a script) runs, as argv words with source ranges, and the
 * rewrites shared by no-uv-at-runtime, no-dev-server and entrypoint-scripts. A rewrite computes
 * word-level edits once; how they are spelled depends on where the words live: JSON elements of an
 * exec form, shell words in the Dockerfile, or the inner string of `["sh", "-c", "..."]`.
 */
import type { Doc, Instr } from './document.js';
import { applyEdits } from './edit.js';
import { parseShell, type ShellScript } from './shell.js';
import type { Edit, Finding } from './types.js';

export interface Word {
  value: string | null;
  /** The word as written, for shell words (`"$@"`, `$HOME/.local/bin/uv`). */
  raw?: string;
  start: number;
  end: number;
}

/** One program invocation: its words, and how a new word is written there. */
export interface Argv {
  form: 'exec' | 'shell';
  words: Word[];
  /**
   * Where a simple command stands in shell text a shell runs (a script, a shell form, `sh -c`), so
   * a rewrite may put shell syntax around it. Absent in exec form and in Compose's plain strings.
   */
  shell?: ShellPlace;
}

export interface ShellPlace {
  /** The whole simple command: assignments and `exec` included. */
  start: number;
  end: number;
  /** It runs under `exec`, so nothing after it runs. */
  exec: boolean;
  /**
   * It is a statement of the top-level list on its own (not inside if/case/a pipeline, not on the
   * right of `||`), so a `cd` joined to it with `&&` belongs to it alone.
   */
  alone: boolean;
  /** Nothing runs after it in this shell: it is the last statement of the text. */
  last: boolean;
}

export interface RewriteContext {
  /** The text runs in a shell. Absent: no shell runs it (a Compose string), so no shell syntax may be added. */
  shell?: boolean;
  /**
   * The words `"$@"` holds in a script: the CMD, when the script is the ENTRYPOINT. Absent: not
   * known (a CMD script gets none; `docker run` may pass any).
   */
  args?: (string | null)[];
  /**
   * The extras and groups the image's `uv sync` installs (`--extra=x`, `--all-extras`,
   * `--group=y`, `--all-groups`). Absent: not known.
   */
  synced?: Set<string>;
}

export interface Rewrite {
  /** Edits on the argv's own text (the Dockerfile, a script, or an sh -c string). */
  edits: Edit[];
  /** What changed, for the finding message. */
  changes: string[];
  /** What was seen and deliberately left, with why. */
  problems: string[];
}

export type Rewriter = (argv: Argv, ctx: RewriteContext) => Rewrite;

const SHELLS = new Set([
  'sh',
  '/bin/sh',
  'bash',
  '/bin/bash',
  '/usr/bin/env sh',
  'ash',
  '/bin/ash',
  'dash',
]);

/** JSON string elements of an exec-form instruction with their file ranges. */
export function execWords(doc: Doc, instr: Instr): Word[] | null {
  if (!instr.json) return null;
  const start =
    instr.keyword === 'HEALTHCHECK'
      ? (doc.healthcheckCommand(instr)?.start ?? instr.argsStart)
      : instr.argsStart;
  const text = doc.text.slice(start, instr.argsEnd);
  const words: Word[] = [];
  const re = /"(?:[^"\\]|\\.)*"/gs;
  for (const m of text.matchAll(re)) {
    const wordStart = start + m.index!;
    const wordEnd = wordStart + m[0].length;
    // A string may run over a line continuation, which Docker removes before reading the JSON.
    let value: string;
    try {
      value = JSON.parse(doc.logical(wordStart, wordEnd)) as string;
    } catch {
      return null;
    }
    words.push({ value, start: wordStart, end: wordEnd });
  }
  return words.length === instr.json.length && words.every((w, i) => w.value === instr.json![i])
    ? words
    : null;
}

/** How to write `value` as a new word in this form. */
export function spell(form: Argv['form'], value: string): string {
  if (form === 'exec') return JSON.stringify(value);
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Drop words [from, to) of an argv: with the separator before them, or after them at the start. */
export function dropWords(argv: Argv, from: number, to: number): Edit {
  const w = argv.words;
  if (from === 0)
    return { start: w[0].start, end: to < w.length ? w[to].start : w[to - 1].end, text: '' };
  return { start: w[from - 1].end, end: w[to - 1].end, text: '' };
}

/**
 * Apply a rewriter to every program of a CMD/ENTRYPOINT: the exec-form array, each command of a
 * shell form, or the commands inside `["sh", "-c", "..."]`. Returns edits on the Dockerfile.
 */
export function rewriteInstruction(doc: Doc, instr: Instr, rewriter: Rewriter): Rewrite {
  const out: Rewrite = { edits: [], changes: [], problems: [] };
  const synced = syncedSelections(doc);
  const ctx: RewriteContext = synced ? { synced } : {};
  if (instr.jsonInvalid) return out;
  if (instr.json) {
    const words = execWords(doc, instr);
    if (!words) return out;
    const inner = shellWrapped(words);
    if (inner) {
      const r = rewriteString(inner.script, rewriter, { ...ctx, shell: true });
      out.changes.push(...r.changes);
      out.problems.push(...r.problems);
      if (r.text !== inner.script)
        out.edits.push({
          start: inner.word.start,
          end: inner.word.end,
          text: JSON.stringify(r.text),
        });
      return out;
    }
    const r = rewriter({ form: 'exec', words: words.slice(wrapperLength(words)) }, ctx);
    return r;
  }
  const script = doc.shell(instr);
  if (!script.ok) return out;
  return rewriteScript(script, rewriter, { ...ctx, shell: true });
}

/**
 * The extras and groups the file's `uv sync` calls install, as `--extra=x`, `--group=y`,
 * `--all-extras`, `--all-groups`; null when a sync takes flags from a variable.
 */
export function syncedSelections(doc: Doc): Set<string> | null {
  const out = new Set<string>();
  for (const { command } of doc.uvCommands('sync')) {
    const values = command.words.map((w) => w.value);
    for (let i = 1; i < values.length; i++) {
      const v = values[i];
      if (v === null) return null;
      const [name, inline] = v.includes('=')
        ? [v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]
        : [v, null];
      if (name === '--all-extras' || name === '--all-groups') out.add(name);
      else if (name === '--extra' || name === '--group' || name === '--only-group') {
        const value = inline ?? values[++i];
        if (value === null || value === undefined) return null;
        out.add(`${name === '--extra' ? '--extra' : '--group'}=${value}`);
      }
    }
  }
  return out;
}

/**
 * How many leading words only run the rest as a program: `exec`, a privilege dropper and its user
 * (`gosu app`, `su-exec app`), an init (`tini --`, `dumb-init`), `env NAME=value`.
 */
export function wrapperLength(words: { value: string | null }[]): number {
  let i = 0;
  for (;;) {
    const name = words[i]?.value?.split('/').pop();
    if (name === 'exec') i += 1;
    else if (name === 'gosu' || name === 'su-exec') i += 2;
    else if (name === 'tini' || name === 'dumb-init') {
      i++;
      while (words[i]?.value?.startsWith('-')) if (words[i++].value === '--') break;
    } else if (name === 'env') {
      i++;
      while (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]?.value ?? '')) i++;
    } else return i;
  }
}

/** `["sh", "-c", "<script>"]`: the script element. */
export function shellWrapped(words: Word[]): { word: Word; script: string } | null {
  if (
    words.length >= 3 &&
    words[0].value !== null &&
    SHELLS.has(words[0].value) &&
    words[1].value === '-c' &&
    words[2].value !== null
  ) {
    return { word: words[2], script: words[2].value };
  }
  return null;
}

export function rewriteScript(
  script: ShellScript,
  rewriter: Rewriter,
  ctx: RewriteContext,
): Rewrite {
  const out: Rewrite = { edits: [], changes: [], problems: [] };
  script.statements.forEach((statement, s) => {
    const afterOr = script.statements[s - 1]?.next === '||';
    for (const command of statement.commands) {
      // `exec uv run app`, `exec gosu app uv run app`: the program starts after them.
      const exec = command.words[0]?.value === 'exec';
      const words: Word[] = command.words.slice(wrapperLength(command.words));
      if (words.length === 0) continue;
      // Commands inside `$(...)` of this one's words do not make it share its statement.
      const alone =
        !afterOr &&
        statement.commands.every(
          (c) => c === command || (c.start >= command.start && c.end <= command.end),
        );
      const argv: Argv = { form: 'shell', words };
      if (ctx.shell)
        argv.shell = {
          start: command.start,
          end: command.end,
          exec,
          alone,
          last: s === script.statements.length - 1,
        };
      const r = rewriter(argv, ctx);
      out.edits.push(...r.edits);
      out.changes.push(...r.changes);
      out.problems.push(...r.problems);
    }
  });
  return out;
}

/** Rewrite shell text held in a string (an sh -c argument, a script file). */
export function rewriteString(
  text: string,
  rewriter: Rewriter,
  ctx: RewriteContext,
): Rewrite & { text: string } {
  const script = parseShell(text, 0, text.length, { escape: '\\', continuations: false });
  if (!script.ok)
    return {
      edits: [],
      changes: [],
      problems: [`the shell text does not parse (${script.error})`],
      text,
    };
  const r = rewriteScript(script, rewriter, ctx);
  return { ...r, text: applyEdits(text, r.edits) };
}

/** The argv words of a CMD/ENTRYPOINT as plain values (null where not literal), for reading. */
export function programWords(doc: Doc, instr: Instr): (string | null)[][] {
  if (instr.jsonInvalid) return [];
  if (instr.json) {
    const inner = shellWrapped(instr.json.map((v, i) => ({ value: v, start: i, end: i })));
    if (inner) {
      const s = parseShell(inner.script, 0, inner.script.length, {
        escape: '\\',
        continuations: false,
      });
      return s.commands.map((c) => c.words.map((w) => w.value));
    }
    return [instr.json];
  }
  return doc.shell(instr).commands.map((c) => c.words.map((w) => w.value));
}

/** The context path and text of a script a CMD/ENTRYPOINT names (`./start.sh`, `/app/start.sh`). */
export function scriptFile(
  program: string,
  files: Record<string, string>,
): { path: string; text: string } | null {
  if (!/\.sh$/.test(program)) return null;
  const plain = program.replace(/^\.\//, '');
  if (files[plain] !== undefined) return { path: plain, text: files[plain] };
  const base = program.split('/').pop()!;
  const match = Object.keys(files)
    .filter((p) => p.split('/').pop() === base)
    .sort((a, b) => a.length - b.length)[0];
  return match === undefined ? null : { path: match, text: files[match] };
}

/** Scripts a CMD/ENTRYPOINT runs: the program itself or the script given to a shell. */
export function scriptsRun(doc: Doc, instr: Instr): string[] {
  return programWords(doc, instr).flatMap((words) =>
    words.filter((w): w is string => w !== null && /\.sh$/.test(w)).slice(0, 1),
  );
}

/** A rewrite of a CMD/ENTRYPOINT as findings: one per problem left as is, one for the edits. */
export function rewriteFindings(instr: Instr, r: Rewrite): Finding[] {
  const range = { start: instr.start, end: instr.end };
  const findings: Finding[] = r.problems.map((p) => ({
    message: `${instr.keyword}: ${p}`,
    range,
    severity: 'warning',
  }));
  if (r.edits.length > 0)
    findings.push({ message: `${instr.keyword}: ${r.changes.join('; ')}`, range, edits: r.edits });
  return findings;
}
