/**
 * Shell text of a Dockerfile (RUN bodies, shell-form CMD/ENTRYPOINT, heredoc bodies) as words and
 * commands with exact offsets into the Dockerfile, so a transform can edit `--locked` inside
 * `RUN pip install uv && uv sync \` + a comment line + `--locked` and nothing else.
 *
 * The Dockerfile parser removes line continuations and the comment lines inside a continued
 * instruction before the shell sees the text; we do the same and keep a map from that logical text
 * back to file offsets. mvdan-sh reports UTF-8 byte offsets; they are converted to UTF-16 indexes.
 */
import type { Node, Parser, Syntax } from 'mvdan-sh';
import { lazyModule } from './modules.js';

export interface ShellWord {
  /** Value after quote removal when the word is fully literal (no `$x`, `$(..)`, backticks); else null. */
  value: string | null;
  /** The word as the shell saw it. */
  raw: string;
  /** File offsets (UTF-16), end exclusive. */
  start: number;
  end: number;
  /**
   * For a word that expands something: its parts when each is a literal or a plain `$NAME` /
   * `${NAME}`, null when any is not (`$(..)`, `${X:-y}`, `$1`, arithmetic). Absent on literal words.
   */
  parts?: WordPart[] | null;
  /**
   * For a word that expands something, once `resolveVariables` has run: every value it can take, as
   * the fields the shell makes of it (an unquoted expansion splits on blanks), one list per way the
   * script can reach it. Null when any of them cannot be told. Absent on literal words.
   */
  fields?: string[][] | null;
}

/** A piece of a word: literal text (`quoted` when the shell will not split or glob it) or a variable. */
export type WordPart = { text: string; quoted: boolean } | { name: string; quoted: boolean };

/**
 * What the script has assigned to a variable before a command runs: every value it can hold there
 * (null for "as it was before the script": the ARG or ENV the builder gives it), or null when a
 * value cannot be told (assigned from `$(..)`, in a loop, by `read`).
 */
export type Assigned = readonly (string | null)[] | null;

export interface ShellCommand {
  /** Leading assignments (`FOO=1 cmd`). */
  assigns: ShellWord[];
  words: ShellWord[];
  /** The files its output redirections write (`> /etc/motd`, `2>> log`); absent when none. */
  writes?: ShellWord[];
  start: number;
  end: number;
  /**
   * Variables the script assigned before this command, by name; absent when it assigned none.
   * The name `''` (mapped to null) means anything may have changed (`eval`, `source`, a function).
   */
  vars?: ReadonlyMap<string, Assigned>;
}

export interface ShellStatement {
  /** Simple commands inside it, in order (a pipeline has several; an if/subshell its inner ones). */
  commands: ShellCommand[];
  /** The operator joining it to the next statement: '&&', '||', ';', '\n', '&', or null for the last. */
  next: string | null;
  start: number;
  end: number;
  /** What to delete to drop this statement from its list, with one adjacent operator. */
  removal: { start: number; end: number };
}

export interface ShellScript {
  ok: boolean;
  error: string | null;
  statements: ShellStatement[];
  commands: ShellCommand[];
}

let cached: { syntax: Syntax; parser: Parser } | null = null;

/** mvdan-sh costs ~90 ms to load: only a run that reads shell text pays for it. */
function shell(): { syntax: Syntax; parser: Parser } {
  if (!cached) {
    const { syntax } = lazyModule('mvdanSh') as { syntax: Syntax };
    cached = {
      syntax,
      parser: syntax.NewParser(syntax.KeepComments(false), syntax.Variant(syntax.LangBash)),
    };
  }
  return cached;
}

// mvdan.cc/sh/v3/syntax BinCmdOperator values.
const AND = 10;
const OR = 11;
// mvdan.cc/sh/v3/syntax RedirOperator values that write a file: > >> <> >| &> &>>.
const WRITING = new Set([54, 55, 57, 60, 64, 65]);

/**
 * Parses of logical shell text, in logical (UTF-16) offsets. The engine re-parses the document after
 * every transform, and the same instructions come back each time: the shell parser (~1.5 ms a call)
 * runs once per distinct text. Bounded; cleared whole when full.
 */
const memo = new Map<string, ShellScript>();
const MEMO_LIMIT = 5000;

export function parseShell(
  source: string,
  start: number,
  end: number,
  opts: { escape: string; continuations: boolean },
): ShellScript {
  const { text, map } = logicalText(source, start, end, opts);
  let logical = memo.get(text);
  if (!logical) {
    logical = parseSimple(text) ?? parseLogical(text);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(text, logical);
  }
  return toFile(logical, map);
}

/**
 * Most shell text in Dockerfiles is plain words joined by `&&`: `pip install uv && uv sync --locked`.
 * That subset is read here exactly as mvdan-sh reads it (a test holds the two to the same result),
 * so a run over such files never loads mvdan-sh. Anything else (expansions, escapes, redirects,
 * pipes, globs, comments, newlines) returns null and goes to mvdan-sh.
 */
export function parseSimple(text: string): ShellScript | null {
  if (!/^[A-Za-z0-9_ \t.\/:=@%+,&"'-]*$/.test(text)) return null;
  const tokens: { raw: string; value: string; start: number; end: number }[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === ' ' || text[i] === '\t') {
      i++;
      continue;
    }
    const start = i;
    let value = '';
    while (i < text.length && text[i] !== ' ' && text[i] !== '\t') {
      const c = text[i];
      if (c === '"' || c === "'") {
        const close = text.indexOf(c, i + 1);
        if (close < 0) return null;
        value += text.slice(i + 1, close);
        i = close + 1;
      } else {
        value += c;
        i++;
      }
    }
    const raw = text.slice(start, i);
    if (raw.includes('&') && raw !== '&&') return null;
    tokens.push({ raw, value, start, end: i });
  }
  const groups: (typeof tokens)[] = [[]];
  for (const t of tokens) {
    if (t.raw === '&&') groups.push([]);
    else groups[groups.length - 1].push(t);
  }
  if (tokens.length === 0) return { ok: true, error: null, statements: [], commands: [] };
  if (groups.some((g) => g.length === 0)) return null;
  // An assignment of its own (`A=1 && ...`) sets a variable later commands read: mvdan-sh's walk.
  if (groups.some((g) => g.every((t) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(t.raw)))) return null;
  const word = (t: (typeof tokens)[number]): ShellWord => ({
    value: t.value,
    raw: t.raw,
    start: t.start,
    end: t.end,
  });
  const flat = groups.map((g, i) => {
    let k = 0;
    while (k < g.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(g[k].raw)) k++;
    const command: ShellCommand = {
      assigns: g.slice(0, k).map(word),
      words: g.slice(k).map(word),
      start: g[0].start,
      end: g[g.length - 1].end,
    };
    return {
      commands: [command],
      next: i < groups.length - 1 ? '&&' : null,
      start: command.start,
      end: command.end,
    };
  });
  return withRemovals(flat);
}

/**
 * A parsed list with, for each statement, the range that drops it cleanly: up to the next
 * statement for the first and middle ones, from the previous one for the last.
 */
function withRemovals(flat: Omit<ShellStatement, 'removal'>[]): ShellScript {
  const statements: ShellStatement[] = flat.map((st, i) => ({
    ...st,
    removal:
      i < flat.length - 1
        ? { start: st.start, end: flat[i + 1].start }
        : i > 0
          ? { start: flat[i - 1].end, end: st.end }
          : { start: st.start, end: st.end },
  }));
  return { ok: true, error: null, statements, commands: statements.flatMap((s) => s.commands) };
}

/** The full parser, for tests that hold parseSimple to it. */
export function parseWithMvdan(text: string): ShellScript {
  return parseLogical(text);
}

/** Shift a parse in logical offsets to file offsets. */
function toFile(script: ShellScript, map: (i: number) => number): ShellScript {
  // An end offset maps from the character before it, so a continuation right after a word stays outside.
  const at = (i: number) => map(i);
  const to = (i: number) => (i === 0 ? map(0) : map(i - 1) + 1);
  const word = (w: ShellWord): ShellWord => ({ ...w, start: at(w.start), end: to(w.end) });
  const command = (c: ShellCommand): ShellCommand => ({
    ...c,
    assigns: c.assigns.map(word),
    words: c.words.map(word),
    start: at(c.start),
    end: to(c.end),
  });
  const statements = script.statements.map((s) => ({
    ...s,
    commands: s.commands.map(command),
    start: at(s.start),
    end: to(s.end),
    removal: {
      start: s.removal.start === s.start ? at(s.start) : to(s.removal.start),
      end: s.removal.end === s.end ? to(s.end) : at(s.removal.end),
    },
  }));
  return { ...script, statements, commands: statements.flatMap((s) => s.commands) };
}

/** Parse shell text; every offset in the result is a UTF-16 index into `text`. */
function parseLogical(text: string): ShellScript {
  const toIndex = byteToIndex(text);
  const { syntax, parser } = shell();
  let file: Node;
  try {
    file = parser.Parse(text, 'Dockerfile');
  } catch (error) {
    return { ok: false, error: describeError(error), statements: [], commands: [] };
  }

  const word = (w: Node, assign = false): ShellWord => {
    const s = toIndex(w.Pos().Offset());
    const e = toIndex(w.End().Offset());
    let value: string | null;
    if (assign) {
      // An Assign node: NAME=value, the value a word of its own (or none: `NAME=`).
      const v = w.Value ? literal(syntax, w.Value) : '';
      value = v === null || w.Append || w.Index || w.Array ? null : `${w.Name.Value}=${v}`;
    } else {
      value = literal(syntax, w);
      if (value === null)
        return { value, raw: text.slice(s, e), start: s, end: e, parts: parts(syntax, w) };
    }
    return { value, raw: text.slice(s, e), start: s, end: e };
  };
  const assigned = assignedBefore(syntax, file);
  const commandsIn = (node: Node): ShellCommand[] => {
    const out: ShellCommand[] = [];
    // The redirections belong to the statement around the call.
    const writes = new Map<string, ShellWord[]>();
    syntax.Walk(node, (n) => {
      if (n && syntax.NodeType(n) === 'Stmt' && n.Cmd && syntax.NodeType(n.Cmd) === 'CallExpr') {
        const targets = ([...n.Redirs] as Node[])
          .filter((r) => WRITING.has(Number(r.Op)) && r.Word)
          .map((r) => word(r.Word));
        if (targets.length > 0) writes.set(key(n.Cmd), targets);
      }
      if (n && syntax.NodeType(n) === 'CallExpr') {
        const vars = assigned.get(key(n)) ?? ANYTHING;
        const written = writes.get(key(n));
        out.push({
          assigns: [...n.Assigns].map((a: Node) => word(a, true)),
          words: [...n.Args].map((a: Node) => word(a)),
          start: toIndex(n.Pos().Offset()),
          end: toIndex(n.End().Offset()),
          ...(vars.size > 0 ? { vars } : {}),
          ...(written ? { writes: written } : {}),
        });
      }
      return true;
    });
    return out;
  };

  const flat: Omit<ShellStatement, 'removal'>[] = [];
  const flatten = (stmt: Node, after: string | null) => {
    const cmd = stmt.Cmd;
    if (
      cmd &&
      syntax.NodeType(cmd) === 'BinaryCmd' &&
      (cmd.Op === AND || cmd.Op === OR) &&
      !stmt.Negated &&
      !stmt.Background
    ) {
      flatten(cmd.X, cmd.Op === AND ? '&&' : '||');
      flatten(cmd.Y, after);
      return;
    }
    flat.push({
      commands: commandsIn(stmt),
      next: after,
      start: toIndex(stmt.Pos().Offset()),
      end: toIndex(stmt.End().Offset()),
    });
  };
  const stmts: Node[] = [...file.Stmts];
  stmts.forEach((stmt, i) => {
    const last = i === stmts.length - 1;
    const separator = stmt.Background
      ? '&'
      : stmt.Semicolon && stmt.Semicolon.Offset() > 0
        ? ';'
        : '\n';
    flatten(stmt, last && !stmt.Background ? null : separator);
  });
  return withRemovals(flat);
}

/**
 * The text the shell sees, and a map from its indexes to file offsets. With `continuations`, the
 * escape character + optional blanks + a line ending is removed, and so are the blank and comment
 * lines that follow it inside the continued instruction.
 */
function logicalText(
  source: string,
  start: number,
  end: number,
  opts: { escape: string; continuations: boolean },
): { text: string; map: (i: number) => number } {
  if (!opts.continuations) {
    return { text: source.slice(start, end), map: (i) => start + i };
  }
  const continuation = new RegExp(
    `${opts.escape.replace(/[\\`]/g, '\\$&')}[ \\t]*(?:\\r\\n|\\n)(?:[ \\t]*(?:#[^\\r\\n]*)?(?:\\r\\n|\\n))*`,
    'y',
  );
  let text = '';
  const offsets: number[] = [];
  let i = start;
  while (i < end) {
    if (source[i] === opts.escape) {
      continuation.lastIndex = i;
      if (continuation.test(source) && continuation.lastIndex <= end) {
        i = continuation.lastIndex;
        continue;
      }
    }
    text += source[i];
    offsets.push(i);
    i++;
  }
  offsets.push(end);
  return { text, map: (k) => offsets[Math.min(k, offsets.length - 1)] };
}

/** UTF-8 byte offset -> UTF-16 index of `text`. */
function byteToIndex(text: string): (byte: number) => number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\x00-\x7f]/.test(text)) return (b) => b;
  const table = new Map<number, number>();
  let byte = 0;
  for (let i = 0; i < text.length; i++) {
    table.set(byte, i);
    const code = text.codePointAt(i)!;
    if (code > 0xffff) {
      byte += 4;
      i++;
    } else {
      byte += code > 0x7ff ? 3 : code > 0x7f ? 2 : 1;
    }
  }
  table.set(byte, text.length);
  return (b) => table.get(b) ?? text.length;
}

type State = Map<string, Assigned>;

/** The state of a script after `eval`, `source` or a function: nothing can be told. */
const ANYTHING: ReadonlyMap<string, Assigned> = new Map([['', null]]);

const PIPE = 12;
const PIPE_ALL = 13;

/** Commands that may assign any variable, or run code that does. */
const OPAQUE = new Set(['eval', 'source', '.', 'trap']);
/** Commands that assign the variables named in their arguments. */
const ASSIGNING = new Set(['read', 'unset', 'getopts', 'mapfile', 'readarray', 'printf', 'let']);
/** Special builtins: an assignment before them (`A=1 :`) stays in the shell. */
const SPECIAL = new Set([
  ':',
  'export',
  'readonly',
  'set',
  'shift',
  'times',
  'exec',
  'return',
  'break',
  'continue',
  'exit',
  'eval',
  '.',
]);

function key(n: Node): string {
  return `${n.Pos().Offset()}:${n.End().Offset()}`;
}

/** The states a command can end in: after it succeeds, after it fails; null where it cannot. */
interface EndStates {
  ok: State | null;
  fail: State | null;
}

function joinEnds(a: State | null, b: State | null): State | null {
  return a && b ? join(a, b) : (a ?? b);
}

function join(a: State, b: State): State {
  const out: State = new Map();
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    const x = a.has(name) ? a.get(name)! : [null];
    const y = b.has(name) ? b.get(name)! : [null];
    out.set(name, x === null || y === null ? null : [...new Set([...x, ...y])]);
  }
  return out;
}

/**
 * What each simple command of a script sees the script itself has assigned, keyed by the command's
 * position. Only what holds on every way to the command is kept: after `if`/`else` a variable holds
 * one of the branches' values; after `a || A=1`, `A` may be unset; in a loop, a subshell, after
 * `read A` or `$(..)`, nothing is told. Errors toward "cannot be told", never toward a value.
 */
function assignedBefore(syntax: Syntax, file: Node): Map<string, ReadonlyMap<string, Assigned>> {
  const seen = new Map<string, ReadonlyMap<string, Assigned>>();
  const record = (node: Node, state: State) => {
    syntax.Walk(node, (n) => {
      if (n && syntax.NodeType(n) === 'CallExpr' && !seen.has(key(n)))
        seen.set(key(n), new Map(state));
      return true;
    });
  };
  // Names a construct may assign anywhere inside it; `ANYTHING` when it may assign any.
  const assignedIn = (node: Node): Set<string> | null => {
    const names = new Set<string>();
    let any = false;
    syntax.Walk(node, (n) => {
      if (!n) return true;
      switch (syntax.NodeType(n)) {
        case 'Assign':
          if (n.Name) names.add(String(n.Name.Value));
          break;
        case 'ParamExp':
          if (n.Exp) names.add(String(n.Param.Value));
          break;
        case 'WordIter':
          names.add(String(n.Name.Value));
          break;
        case 'ArithmExp':
        case 'ArithmCmd':
        case 'LetClause':
        case 'FuncDecl':
          any = true;
          break;
        case 'CallExpr': {
          const args = [...n.Args].map((a: Node) => literal(syntax, a));
          if (args[0] != null && OPAQUE.has(args[0])) any = true;
          if (args[0] != null && ASSIGNING.has(args[0]))
            for (const a of args.slice(1)) if (a && /^[A-Za-z_]\w*$/.test(a)) names.add(a);
          break;
        }
      }
      return true;
    });
    return any ? null : names;
  };
  const forget = (state: State, node: Node): State => {
    const names = assignedIn(node);
    if (names === null) return new Map(ANYTHING);
    const out = new Map(state);
    for (const name of names) out.set(name, null);
    return out;
  };
  const assignment = (next: State, a: Node) => {
    const v = a.Value ? literal(syntax, a.Value) : '';
    next.set(String(a.Name.Value), v === null || a.Append || a.Index || a.Array ? null : [v]);
  };
  const either = (o: EndStates): State | null =>
    o.ok && o.fail ? join(o.ok, o.fail) : (o.ok ?? o.fail);
  const same = (state: State): EndStates => ({ ok: state, fail: state });
  const list = (stmts: Node[], state: State | null): EndStates => {
    let out: EndStates = { ok: state, fail: null };
    for (const stmt of stmts) out = statement(stmt, either(out));
    return out;
  };
  const statement = (stmt: Node, entry: State | null): EndStates => {
    // A command no way reaches (`A=1 || cmd`) is read as if anything could hold.
    const state = entry ?? new Map(ANYTHING);
    if (stmt.Background) {
      // A background job runs in a subshell.
      record(stmt, forget(state, stmt));
      return same(state);
    }
    const out = command(stmt.Cmd, state);
    return stmt.Negated ? { ok: out.fail, fail: out.ok } : out;
  };
  const command = (cmd: Node | null, state: State): EndStates => {
    if (!cmd) return same(state);
    switch (syntax.NodeType(cmd)) {
      case 'BinaryCmd': {
        if (cmd.Op === PIPE || cmd.Op === PIPE_ALL) {
          // Each side of a pipe runs in a subshell: what it assigns does not outlive it.
          record(cmd, forget(state, cmd));
          return same(state);
        }
        const left = statement(cmd.X, state);
        // `X && Y` runs Y after X succeeds and ends failed when either fails; `X || Y` the reverse.
        if (cmd.Op === AND) {
          const right = left.ok ? statement(cmd.Y, left.ok) : { ok: null, fail: null };
          return { ok: right.ok, fail: joinEnds(left.fail, right.fail) };
        }
        const right = left.fail ? statement(cmd.Y, left.fail) : { ok: null, fail: null };
        return { ok: joinEnds(left.ok, right.ok), fail: right.fail };
      }
      case 'CallExpr': {
        const args = [...cmd.Args] as Node[];
        record(cmd, state);
        const next = forget(state, cmd);
        if (args.length === 0) {
          // A plain assignment; one with `$(..)` in its value fails when that command does.
          for (const a of [...cmd.Assigns] as Node[]) assignment(next, a);
          const substitutes = [...cmd.Assigns].some(
            (a: Node) => a.Value && literal(syntax, a.Value) === null,
          );
          return { ok: next, fail: substitutes ? next : null };
        }
        const name = literal(syntax, args[0]);
        if (name !== null && OPAQUE.has(name)) return same(new Map(ANYTHING));
        if (name !== null && SPECIAL.has(name))
          for (const a of [...cmd.Assigns] as Node[]) next.set(String(a.Name.Value), null);
        return same(next);
      }
      case 'DeclClause': {
        record(cmd, state);
        const next = forget(state, cmd);
        const variant = String(cmd.Variant.Value);
        const args = [...cmd.Args] as Node[];
        // `export A=1` assigns as `A=1` does; `export A` leaves A's value; `declare -i` and the like
        // change what a value means.
        if (
          (variant === 'export' || variant === 'readonly') &&
          !args.some((a) => a.Naked && a.Value)
        )
          for (const a of args) if (a.Name && !a.Naked) assignment(next, a);
        return same(next);
      }
      case 'IfClause': {
        const clause = (node: Node, entry: State): EndStates => {
          const cond = list([...node.Cond], entry);
          const then = list([...node.Then], cond.ok);
          // No branch taken: the if succeeds.
          if (!node.Else) return { ok: joinEnds(then.ok, cond.fail), fail: then.fail };
          const rest = cond.fail ?? new Map(ANYTHING);
          const other =
            [...node.Else.Cond].length > 0
              ? clause(node.Else, rest)
              : list([...node.Else.Then], rest);
          return { ok: joinEnds(then.ok, other.ok), fail: joinEnds(then.fail, other.fail) };
        };
        return clause(cmd, state);
      }
      case 'Block':
        return list([...cmd.Stmts], state);
      case 'Subshell':
        list([...cmd.Stmts], new Map(state));
        return same(state);
      default: {
        // Loops, case, tests, arithmetic: what they assign cannot be told.
        const next = forget(state, cmd);
        record(cmd, next);
        return same(next);
      }
    }
  };
  list([...file.Stmts], new Map());
  return seen;
}

/** The parts of a non-literal word, or null when one is not a literal or a plain variable. */
function parts(syntax: Syntax, word: Node): WordPart[] | null {
  const out: WordPart[] = [];
  const variable = (p: Node, quoted: boolean): boolean => {
    const name = p.Param ? String(p.Param.Value) : '';
    if (!/^[A-Za-z_]\w*$/.test(name)) return false;
    if (p.Excl || p.Length || p.Width || p.Index || p.Slice || p.Repl || p.Names || p.Exp)
      return false;
    out.push({ name, quoted });
    return true;
  };
  for (const part of [...word.Parts] as Node[]) {
    switch (syntax.NodeType(part)) {
      case 'Lit': {
        const text = String(part.Value);
        // Unquoted globs, braces and tildes expand further.
        if (/[*?[{~\\]/.test(text)) return null;
        out.push({ text, quoted: false });
        break;
      }
      case 'SglQuoted':
        if (part.Dollar) return null;
        out.push({ text: String(part.Value), quoted: true });
        break;
      case 'ParamExp':
        if (!variable(part, false)) return null;
        break;
      case 'DblQuoted':
        for (const inner of [...part.Parts] as Node[]) {
          const type = syntax.NodeType(inner);
          if (type === 'Lit') {
            if (/\\/.test(String(inner.Value))) return null;
            out.push({ text: String(inner.Value), quoted: true });
          } else if (type !== 'ParamExp' || !variable(inner, true)) return null;
        }
        if ([...part.Parts].length === 0) out.push({ text: '', quoted: true });
        break;
      default:
        return null;
    }
  }
  return out;
}

/** At most this many combinations of values are told apart in one word. */
const MAX_ALTERNATIVES = 16;

/**
 * Fills `fields` on every word that expands something: a variable the script assigned before the
 * command is read from `vars`, one it did not from `outer` (the ARG and ENV values the builder
 * gives, null when not known).
 */
export function resolveVariables(
  script: ShellScript,
  outer: (name: string) => string | null,
): ShellScript {
  const resolveWord = (w: ShellWord, vars: ReadonlyMap<string, Assigned>): ShellWord => {
    if (w.value !== null || w.parts === undefined) return w;
    return { ...w, fields: fieldsOf(w.parts, vars, outer) };
  };
  const resolveCommand = (c: ShellCommand): ShellCommand => {
    const vars = c.vars ?? new Map<string, Assigned>();
    return { ...c, words: c.words.map((w) => resolveWord(w, vars)) };
  };
  const statements = script.statements.map((st) => ({
    ...st,
    commands: st.commands.map(resolveCommand),
  }));
  return { ...script, statements, commands: statements.flatMap((s) => s.commands) };
}

function fieldsOf(
  parts: WordPart[] | null,
  vars: ReadonlyMap<string, Assigned>,
  outer: (name: string) => string | null,
): string[][] | null {
  if (parts === null || vars.has('')) return null;
  let alternatives: { text: string; quoted: boolean }[][] = [[]];
  for (const part of parts) {
    if ('text' in part) {
      alternatives = alternatives.map((a) => [...a, part]);
      continue;
    }
    const assigned = vars.has(part.name) ? vars.get(part.name)! : [null];
    if (assigned === null) return null;
    const values: string[] = [];
    for (const v of assigned) {
      const value = v ?? outer(part.name);
      if (value === null) return null;
      // An unquoted value with a glob would be matched against files.
      if (!part.quoted && /[*?[]/.test(value)) return null;
      values.push(value);
    }
    alternatives = alternatives.flatMap((a) =>
      [...new Set(values)].map((value) => [...a, { text: value, quoted: part.quoted }]),
    );
    if (alternatives.length > MAX_ALTERNATIVES) return null;
  }
  return alternatives.map((pieces) => {
    const out: string[] = [];
    let field: string | null = null;
    pieces.forEach((p, k) => {
      if (p.quoted || 'text' in parts[k]) {
        field = (field ?? '') + p.text;
        return;
      }
      p.text.split(/[ \t\n]+/).forEach((piece, j) => {
        if (j > 0 && field !== null) {
          out.push(field);
          field = null;
        }
        if (piece !== '') field = (field ?? '') + piece;
      });
    });
    if (field !== null) out.push(field);
    return out;
  });
}

/**
 * A command's words as the program receives them, where that can be told: a literal word as it is,
 * an expansion with a single possible value as its fields; null for a word that cannot be told.
 */
export function expandedValues(command: ShellCommand): (string | null)[] {
  return command.words.flatMap((w) => {
    if (w.value !== null) return [w.value];
    return w.fields?.length === 1 ? w.fields[0] : [null];
  });
}

/** The value of a word after quote removal, or null when it expands anything. */
function literal(syntax: Syntax, word: Node): string | null {
  let out = '';
  for (const part of [...word.Parts] as Node[]) {
    switch (syntax.NodeType(part)) {
      case 'Lit':
        out += String(part.Value).replace(/\\(\r?\n|.)/gs, (_m, c: string) =>
          c === '\n' || c === '\r\n' ? '' : c,
        );
        break;
      case 'SglQuoted':
        if (part.Dollar) return null;
        out += part.Value;
        break;
      case 'DblQuoted': {
        for (const inner of [...part.Parts] as Node[]) {
          if (syntax.NodeType(inner) !== 'Lit') return null;
          out += String(inner.Value).replace(/\\([\\"$`]|\r?\n)/g, (_m, c: string) =>
            c.endsWith('\n') ? '' : c,
          );
        }
        break;
      }
      default:
        return null;
    }
  }
  return out;
}

function describeError(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { Error?: () => string; message?: string; Text?: string };
    if (typeof e.Error === 'function') return String(e.Error());
    if (typeof e.Text === 'string') return e.Text;
    if (typeof e.message === 'string') return e.message;
  }
  return String(error);
}
