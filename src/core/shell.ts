/**
 * Shell text of a Dockerfile (RUN bodies, shell-form CMD/ENTRYPOINT, heredoc bodies) as words and
 * commands with exact offsets into the Dockerfile, so a transform can edit `--locked` inside
 * `RUN pip install uv && uv sync \` + a comment line + `--locked` and nothing else.
 *
 * The Dockerfile parser removes line continuations and the comment lines inside a continued
 * instruction before the shell sees the text; we do the same and keep a map from that logical text
 * back to file offsets. mvdan-sh reports UTF-8 byte offsets; they are converted to UTF-16 indexes.
 */
import { createRequire } from 'node:module';
import type { Node, Parser, Syntax } from 'mvdan-sh';

export interface ShellWord {
  /** Value after quote removal when the word is fully literal (no `$x`, `$(..)`, backticks); else null. */
  value: string | null;
  /** The word as the shell saw it. */
  raw: string;
  /** File offsets (UTF-16), end exclusive. */
  start: number;
  end: number;
}

export interface ShellCommand {
  /** Leading assignments (`FOO=1 cmd`). */
  assigns: ShellWord[];
  words: ShellWord[];
  start: number;
  end: number;
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
    const { syntax } = createRequire(import.meta.url)('mvdan-sh') as { syntax: Syntax };
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
    }
    return { value, raw: text.slice(s, e), start: s, end: e };
  };
  const commandsIn = (node: Node): ShellCommand[] => {
    const out: ShellCommand[] = [];
    syntax.Walk(node, (n) => {
      if (n && syntax.NodeType(n) === 'CallExpr') {
        out.push({
          assigns: [...n.Assigns].map((a: Node) => word(a, true)),
          words: [...n.Args].map((a: Node) => word(a)),
          start: toIndex(n.Pos().Offset()),
          end: toIndex(n.End().Offset()),
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
