/**
 * A parsed Dockerfile with every range as offsets into its text, plus the helpers the transforms
 * share: stages, exec-form arrays, shell words, variable defaults, and edits that insert or remove
 * whole instructions in the file's own line ending and continuation style.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import type { Edit } from './types.js';
import { parseShell, type ShellCommand, type ShellScript } from './shell.js';

export const KNOWN_INSTRUCTIONS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

export interface Flag {
  name: string;
  value: string | null;
  start: number;
  end: number;
}

export interface Heredoc {
  name: string;
  /** The body between the `<<NAME` line and the delimiter line. */
  contentStart: number;
  contentEnd: number;
  /** No line closes it: the body runs to the end of the file (Docker refuses such a file). */
  unterminated: boolean;
}

export interface Instr {
  /** Upper-cased keyword (`RUN`, `FROM`, ...). */
  keyword: string;
  /** Index in `doc.instructions`. */
  index: number;
  /** Index of the stage it belongs to; -1 before the first FROM (global ARGs). */
  stage: number;
  /** 0-based line of the keyword. */
  line: number;
  /** The instruction itself, keyword to last argument, without the trailing line ending. */
  start: number;
  end: number;
  /** Start of the instruction's first line (indentation included). */
  lineStart: number;
  /** After the trailing line ending, or the end of the text when there is none. */
  lineEnd: number;
  /** Start of the run of comment lines directly above (no blank line between); `lineStart` if none. */
  commentStart: number;
  /** Arguments after the flags. `argsStart === argsEnd` when there are none. */
  argsStart: number;
  argsEnd: number;
  flags: Flag[];
  /** Decoded elements of a JSON (exec-form) array, or null for shell form. */
  json: string[] | null;
  /**
   * Written as an exec-form array (`['a', 'b']`, `["a", "b"] # c`, `["a", "b"`) but not a JSON array
   * of strings: Docker runs the text as shell form, and `shell()` reads it as shell. A test command
   * (`[ -f x ] && ...`) is plain shell form, not this.
   */
  jsonInvalid: boolean;
  heredocs: Heredoc[];
  raw: Instruction;
}

export interface Stage {
  index: number;
  from: Instr;
  /** `AS name`, as written (case kept), or null. */
  name: string | null;
  /** The image reference as written (`python:3.12-slim`, `${BASE}`), or null. */
  image: string | null;
  /** Instructions after the FROM, up to the next FROM. */
  instructions: Instr[];
}

export interface Directive {
  name: string;
  value: string;
}

export class Doc {
  readonly text: string;
  readonly eol: '\n' | '\r\n';
  readonly escape: string;
  readonly finalNewline: boolean;
  readonly instructions: Instr[];
  readonly stages: Stage[];
  readonly directives: Directive[];
  /** Instructions whose keyword Docker does not know. */
  readonly unknown: Instr[];
  private readonly lineStarts: number[];
  private readonly shellCache = new Map<number, ShellScript>();

  constructor(text: string) {
    this.text = text;
    this.lineStarts = computeLineStarts(text);
    const firstBreak = text.search(/\r\n|\n/);
    this.eol = firstBreak >= 0 && text[firstBreak] === '\r' ? '\r\n' : '\n';
    this.finalNewline = text.endsWith('\n');
    const parsed = DockerfileParser.parse(text);
    this.escape = parsed.getEscapeCharacter();
    this.directives = parsed.getDirectives().map((d) => ({
      name: d.getName().toLowerCase(),
      value: d.getValue(),
    }));
    this.instructions = [];
    this.stages = [];
    this.unknown = [];
    let stage = -1;
    for (const raw of parsed.getInstructions()) {
      const instr = this.toInstr(raw, this.instructions.length, stage);
      if (instr.keyword === 'FROM') {
        stage += 1;
        instr.stage = stage;
        const name = (raw as import('dockerfile-ast').From).getBuildStage();
        const imageRange = (raw as import('dockerfile-ast').From).getImageRange();
        this.stages.push({
          index: stage,
          from: instr,
          name,
          image: imageRange ? this.slice(imageRange) : null,
          instructions: [],
        });
      } else if (stage >= 0) {
        this.stages[stage].instructions.push(instr);
      }
      if (!KNOWN_INSTRUCTIONS.has(instr.keyword)) this.unknown.push(instr);
      this.instructions.push(instr);
    }
  }

  /** Offset of a dockerfile-ast position. */
  offset(pos: { line: number; character: number }): number {
    const start = this.lineStarts[pos.line];
    return start === undefined
      ? this.text.length
      : Math.min(start + pos.character, this.text.length);
  }

  /** 0-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lineStartOf(offset: number): number {
    return this.lineStarts[this.lineOf(offset)];
  }

  private slice(range: {
    start: { line: number; character: number };
    end: { line: number; character: number };
  }): string {
    return this.text.slice(this.offset(range.start), this.offset(range.end));
  }

  private toInstr(raw: Instruction, index: number, stage: number): Instr {
    const range = raw.getRange();
    const start = this.offset(range.start);
    const end = this.offset(range.end);
    const lineStart = this.lineStartOf(start);
    let lineEnd = end;
    if (this.text.startsWith('\r\n', lineEnd)) lineEnd += 2;
    else if (this.text[lineEnd] === '\n' || this.text[lineEnd] === '\r') lineEnd += 1;
    // Arguments start after the keyword and any blank or continued space; asking dockerfile-ast
    // for them tokenizes every instruction, so it is asked only when there are flags.
    const afterKeyword = this.skipSpace(this.offset(raw.getInstructionRange().end), end);
    const hasFlags =
      this.text.startsWith('--', afterKeyword) && typeof (raw as any).getFlags === 'function';
    const flags: Flag[] = hasFlags
      ? ((raw as any).getFlags() as import('dockerfile-ast').Flag[]).map((f) => ({
          name: f.getName(),
          value: f.getValue(),
          start: this.offset(f.getRange().start),
          end: this.offset(f.getRange().end),
        }))
      : [];
    const lastFlag = flags[flags.length - 1];
    const argsStart = lastFlag ? this.skipSpace(lastFlag.end, end) : afterKeyword;
    let argsEnd = end;
    while (argsEnd > argsStart && /\s/.test(this.text[argsEnd - 1])) argsEnd--;
    const keyword = raw.getKeyword().toUpperCase();
    const heredocs: Heredoc[] =
      'getHeredocs' in raw && this.text.slice(argsStart, end).includes('<<')
        ? ((raw as any).getHeredocs() as import('dockerfile-ast').Heredoc[]).flatMap((h) => {
            const content = h.getContentRange();
            const unterminated = h.getDelimiterRange() === null;
            if (!content) {
              return unterminated
                ? [{ name: h.getName(), contentStart: end, contentEnd: end, unterminated }]
                : [];
            }
            return [
              {
                name: h.getName(),
                contentStart: this.offset(content.start),
                contentEnd: this.offset(content.end),
                unterminated,
              },
            ];
          })
        : [];
    const instr: Instr = {
      keyword,
      index,
      stage,
      line: range.start.line,
      start,
      end,
      lineStart,
      lineEnd,
      commentStart: this.commentBlockStart(lineStart),
      argsStart,
      argsEnd,
      flags,
      json: null,
      jsonInvalid: false,
      heredocs,
      raw,
    };
    if (
      keyword === 'CMD' ||
      keyword === 'ENTRYPOINT' ||
      keyword === 'RUN' ||
      keyword === 'SHELL' ||
      keyword === 'HEALTHCHECK'
    ) {
      const body =
        keyword === 'HEALTHCHECK'
          ? this.healthcheckCommand(instr)
          : { start: argsStart, end: argsEnd };
      if (body) {
        const logical = this.logical(body.start, body.end).trim();
        if (logical.startsWith('[')) {
          const decoded = decodeJsonArray(logical);
          if (decoded) instr.json = decoded;
          else instr.jsonInvalid = WRITTEN_AS_ARRAY.test(logical);
        }
      }
    }
    return instr;
  }

  /** Past blanks, line continuations and the comment lines inside them, up to `limit`. */
  private skipSpace(from: number, limit: number): number {
    let i = from;
    const esc = this.escape;
    while (i < limit) {
      const c = this.text[i];
      if (c === ' ' || c === '\t') {
        i++;
        continue;
      }
      if (c === esc) {
        let j = i + 1;
        while (j < limit && (this.text[j] === ' ' || this.text[j] === '\t')) j++;
        if (this.text[j] === '\r' && this.text[j + 1] === '\n') j += 2;
        else if (this.text[j] === '\n') j += 1;
        else break;
        // Blank lines and comment lines inside the continuation.
        for (;;) {
          const m = /^[ \t]*(?:#[^\r\n]*)?\r?\n/.exec(
            this.text.slice(j, Math.min(limit, j + 2000)),
          );
          if (!m) break;
          j += m[0].length;
        }
        i = j;
        continue;
      }
      break;
    }
    return i;
  }

  /** The run of `#` comment lines immediately above `lineStart`, directives excluded. */
  private commentBlockStart(lineStart: number): number {
    let start = lineStart;
    let line = this.lineOf(lineStart) - 1;
    while (line >= 0) {
      const ls = this.lineStarts[line];
      const content = this.text.slice(ls, this.lineStarts[line + 1] ?? this.text.length).trim();
      if (!content.startsWith('#') || isDirectiveLine(this.text, ls, content)) break;
      start = ls;
      line -= 1;
    }
    return start;
  }

  /**
   * Text of `[start, end)` as Docker sees it: line continuations and the comment lines inside a
   * continued instruction removed.
   */
  logical(start: number, end: number): string {
    const esc = escapeRegExp(this.escape);
    return this.text
      .slice(start, end)
      .replace(new RegExp(`${esc}[ \\t]*\\r?\\n(?:[ \\t]*(?:#[^\\n]*)?\\r?\\n)*`, 'g'), '');
  }

  /**
   * Like `logical`, but each continuation joins its lines with one space (the indentation of the
   * next line is dropped): for rewriting a continued command as one line.
   */
  joined(start: number, end: number): string {
    const esc = escapeRegExp(this.escape);
    return this.text
      .slice(start, end)
      .replace(
        new RegExp(`[ \\t]*${esc}[ \\t]*\\r?\\n(?:[ \\t]*(?:#[^\\n]*)?\\r?\\n)*[ \\t]*`, 'g'),
        ' ',
      );
  }

  /** For `HEALTHCHECK [opts] CMD ...`: the range after `CMD`. Null for `HEALTHCHECK NONE`. */
  healthcheckCommand(instr: Instr): { start: number; end: number } | null {
    const args = this.text.slice(instr.argsStart, instr.argsEnd);
    const m = /(^|\s)CMD(\s+)/i.exec(args);
    if (!m) return null;
    return { start: instr.argsStart + m.index + m[0].length, end: instr.argsEnd };
  }

  /** Shell words of a shell-form RUN/CMD/ENTRYPOINT (heredoc bodies included, as separate scripts). */
  shell(instr: Instr): ShellScript {
    const cached = this.shellCache.get(instr.index);
    if (cached) return cached;
    let script: ShellScript;
    if (instr.json) {
      script = { ok: false, error: 'exec form', statements: [], commands: [] };
    } else if (instr.heredocs.length > 0) {
      // `RUN <<EOF` runs the bodies; the `<<EOF` line itself only names them.
      const parts = instr.heredocs.map((h) =>
        parseShell(this.text, h.contentStart, h.contentEnd, {
          escape: this.escape,
          continuations: false,
        }),
      );
      script = {
        ok: parts.every((p) => p.ok),
        error: parts.find((p) => !p.ok)?.error ?? null,
        statements: parts.flatMap((p) => p.statements),
        commands: parts.flatMap((p) => p.commands),
      };
    } else {
      const body =
        instr.keyword === 'HEALTHCHECK'
          ? this.healthcheckCommand(instr)
          : { start: instr.argsStart, end: instr.argsEnd };
      script = body
        ? parseShell(this.text, body.start, body.end, { escape: this.escape, continuations: true })
        : { ok: true, error: null, statements: [], commands: [] };
    }
    this.shellCache.set(instr.index, script);
    return script;
  }

  /** Every simple command `uv <sub> ...` in shell-form RUNs, with its instruction. */
  uvCommands(sub?: string): { instr: Instr; command: ShellCommand }[] {
    const out: { instr: Instr; command: ShellCommand }[] = [];
    for (const instr of this.instructions) {
      if (instr.keyword !== 'RUN') continue;
      for (const command of this.shell(instr).commands) {
        if (isUvCall(command, sub)) out.push({ instr, command });
      }
    }
    return out;
  }

  /** The ARG default visible to a FROM (global ARGs before the first FROM). */
  globalArgDefault(
    name: string,
  ): { value: string | null; instr: Instr; valueStart: number; valueEnd: number } | null {
    for (const instr of this.instructions) {
      if (instr.keyword === 'FROM') break;
      if (instr.keyword !== 'ARG') continue;
      for (const p of (instr.raw as import('dockerfile-ast').Arg).getProperties()) {
        if (p.getName() !== name) continue;
        const vr = p.getValueRange();
        return {
          value: p.getValue(),
          instr,
          valueStart: vr ? this.offset(vr.start) : this.offset(p.getRange().end),
          valueEnd: vr ? this.offset(vr.end) : this.offset(p.getRange().end),
        };
      }
    }
    return null;
  }

  /** Paths a stage declares with VOLUME (exec or shell form), quotes taken off, each once. */
  volumes(stage: Stage): string[] {
    const out: string[] = [];
    for (const instr of stage.instructions) {
      if (instr.keyword !== 'VOLUME') continue;
      const args = this.logical(instr.argsStart, instr.argsEnd).trim();
      const paths = (args.startsWith('[') ? decodeJsonArray(args) : null) ?? args.split(/\s+/);
      for (const p of paths.map((w) => w.replace(/^["']|["']$/g, '')))
        if (p !== '' && !out.includes(p)) out.push(p);
    }
    return out;
  }

  /** ENV/ARG values set in a stage (last one wins), as `name -> value`. */
  stageEnv(stage: Stage): Map<string, string> {
    const env = new Map<string, string>();
    for (const instr of stage.instructions) {
      if (instr.keyword !== 'ENV') continue;
      for (const p of (instr.raw as import('dockerfile-ast').Env).getProperties()) {
        env.set(p.getName(), p.getValue() ?? '');
      }
    }
    return env;
  }

  /** The last WORKDIR of a stage, as written, or null. */
  workdir(stage: Stage): string | null {
    let dir: string | null = null;
    for (const instr of stage.instructions) {
      if (instr.keyword !== 'WORKDIR') continue;
      const arg = this.logical(instr.argsStart, instr.argsEnd).trim();
      dir = arg.startsWith('/') || dir === null ? arg : `${dir.replace(/\/$/, '')}/${arg}`;
    }
    return dir;
  }

  /** The stage the image runs: the last one. */
  get finalStage(): Stage | undefined {
    return this.stages[this.stages.length - 1];
  }

  /** Indentation used for continuation lines in this file (first one seen), 4 spaces by default. */
  get continuationIndent(): string {
    const esc = escapeRegExp(this.escape);
    const m = new RegExp(`${esc}[ \\t]*\\r?\\n([ \\t]+)\\S`).exec(this.text);
    return m ? m[1] : '    ';
  }

  /** An edit that inserts whole lines before an instruction (before its comment block when `withComments`). */
  insertBefore(instr: Instr, lines: string[], withComments = false): Edit {
    const at = withComments ? instr.commentStart : instr.lineStart;
    return { start: at, end: at, text: lines.map((l) => l + this.eol).join('') };
  }

  /** An edit that inserts whole lines after an instruction. */
  insertAfter(instr: Instr, lines: string[]): Edit {
    const at = instr.lineEnd;
    if (at === instr.end) {
      // The instruction ends the file without a line ending: the new lines go after one, and the
      // file keeps having no final newline.
      return { start: at, end: at, text: lines.map((l) => this.eol + l).join('') };
    }
    return { start: at, end: at, text: lines.map((l) => l + this.eol).join('') };
  }

  /** An edit that appends lines at the end of the file, keeping whether it ends with a newline. */
  append(lines: string[]): Edit {
    const at = this.text.length;
    if (this.finalNewline || at === 0)
      return { start: at, end: at, text: lines.map((l) => l + this.eol).join('') };
    return { start: at, end: at, text: lines.map((l) => this.eol + l).join('') };
  }

  /** An edit that removes an instruction's lines (and the comment lines directly above it when `withComments`). */
  remove(instr: Instr, withComments = false): Edit {
    let start = withComments ? instr.commentStart : instr.lineStart;
    let end = instr.lineEnd;
    if (end === instr.end && start > 0) {
      // Last line without a final newline: take the line ending before it instead.
      const before = this.text.slice(0, start);
      start -= before.endsWith('\r\n') ? 2 : before.endsWith('\n') ? 1 : 0;
      end = instr.end;
    }
    return { start, end, text: '' };
  }

  /** The instruction's source (and the comment lines directly above it when `withComments`), without its line ending. */
  sourceOf(instr: Instr, withComments = false): string {
    const text = this.text.slice(withComments ? instr.commentStart : instr.lineStart, instr.end);
    return text;
  }

  /** Lines joined with the file's continuation: `A \` EOL indent `B`. */
  continued(lines: string[], indent = this.continuationIndent): string {
    return lines.map((l, i) => (i === 0 ? l : indent + l)).join(` ${this.escape}${this.eol}`);
  }
}

/** A path that can be written into an instruction as it is: absolute, no blanks, quotes, expansions or flag separators. */
export const PLAIN_PATH = /^\/[^\s"'$`\\,=]*$/;

export function parse(text: string): Doc {
  return new Doc(text);
}

export function isUvCall(command: ShellCommand, sub?: string): boolean {
  const w = command.words;
  if (w.length === 0) return false;
  const bin = w[0].value;
  if (bin === null || !/(^|\/)uv$/.test(bin)) return false;
  if (sub === undefined) return true;
  // Global options may stand between `uv` and the subcommand (`uv --no-cache sync`).
  for (let i = 1; i < w.length; i++) {
    const v = w[i].value;
    if (v === null) return false;
    if (v.startsWith('-')) continue;
    return v === sub;
  }
  return false;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10) {
      starts.push(i + 1);
    }
  }
  return starts;
}

function isDirectiveLine(text: string, lineStart: number, content: string): boolean {
  // Directives only count in the header of the file, before anything else.
  if (!/^#\s*(syntax|escape|check)\s*=/i.test(content)) return false;
  return /^(\s*#[^\n]*\r?\n)*$/.test(text.slice(0, lineStart));
}

/**
 * Text that is not JSON but was meant as an exec-form array: a quoted first element followed by a
 * comma, or a lone quoted element (or none) closed by `]` and nothing but a comment after it, or
 * never closed. Shell tests do not look like this: `[ -f x ]`, `[ "$A" = b ]`, `[ "$A" ] && x`.
 */
const WRITTEN_AS_ARRAY =
  /^\[\s*(?:(?:"(?:[^"\\]|\\.)*"|'[^']*')\s*(?:,|\]\s*(?:#|$)|$)|\]\s*(?:#|$))/;

/** Decode `["a", "b"]` strictly; null when it is not a JSON array of strings. */
export function decodeJsonArray(text: string): string[] | null {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // Docker falls back to shell form for malformed JSON.
  }
  return null;
}

/** Encode an exec-form array the way people write them: `["a", "b"]`. */
export function encodeJsonArray(items: string[]): string {
  return `[${items.map((s) => JSON.stringify(s)).join(', ')}]`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
