/**
 * A parsed Dockerfile with every range as offsets into its text, plus the helpers the transforms
 * share: stages, exec-form arrays, shell words, variable defaults, and edits that insert or remove
 * whole instructions in the file's own line ending and continuation style.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { Util } from 'dockerfile-ast/lib/util.js';
import type { Edit } from './types.js';
import {
  expandedValues,
  parseShell,
  resolveVariables,
  type ShellCommand,
  type ShellScript,
} from './shell.js';
import { assignments, uvCall } from './uv.js';

// dockerfile-ast tells a BOM by encoding the first character with Node's global Buffer, on every
// parse: outside Node (the library in a browser) that global is missing and every parse throws.
// A character is a UTF-8 BOM exactly when it is U+FEFF; asked that way, no global is needed.
Util.isUTF8BOM = (char: string) => char === '\uFEFF';

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
  /** Offsets of the image reference in the text, or null when the FROM names none. */
  imageStart: number | null;
  imageEnd: number | null;
  /** Instructions after the FROM, up to the next FROM. */
  instructions: Instr[];
}

/** A COPY or ADD: where from, what, where to, owned by whom. */
export interface Copy {
  instr: Instr;
  /** `--from=` as written (a stage name or number, an image, a build context), or null for the context. */
  from: string | null;
  /** Sources as written, quotes taken off (exec form decoded). */
  sources: string[];
  /** The destination as written, quotes taken off. */
  dest: string;
  /** The destination resolved against the WORKDIR and variables in force, when it can be told. */
  target: Resolved;
  chown: string | null;
}

export interface Directive {
  name: string;
  value: string;
}

/**
 * A variable as the builder resolves it. `value` has every reference it could resolve replaced and
 * the others left as written (`/app/.venv/bin:$PATH` when the base image's PATH is not known);
 * `exact` is false when anything was left (an ARG without a default, the base image's ENV).
 */
export interface Variable {
  kind: 'arg' | 'env';
  value: string;
  exact: boolean;
  /** The ENV/ARG that set it. */
  instr: Instr;
}

/** A resolved path, exact when no variable in it was left unresolved. */
export interface Resolved {
  value: string;
  exact: boolean;
}

/**
 * Directories that are never an app directory: the runtime would copy the builder's system (or a
 * home, or a scratch area) whole. TARGET.md, "The app directory".
 */
export const SYSTEM_DIRS = new Set([
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/lib',
  '/lib64',
  '/media',
  '/mnt',
  '/opt',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/usr/bin',
  '/usr/lib',
  '/usr/local',
  '/usr/local/bin',
  '/usr/local/lib',
  '/usr/sbin',
  '/usr/share',
  '/usr/src',
  '/var',
  '/var/lib',
  '/var/tmp',
]);

/** Parts of a stage name that mark a development or test target (`dev`, `api-test`, `debug`). */
const DEVELOPMENT_TARGET = new Set([
  'dev',
  'devel',
  'develop',
  'development',
  'test',
  'tests',
  'testing',
  'debug',
  'local',
  'lint',
  'ci',
]);

function isDevelopment(stage: Stage): boolean {
  return (stage.name ?? '')
    .split(/[-_.]/)
    .some((part) => DEVELOPMENT_TARGET.has(part.toLowerCase()));
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
  private scopes: Map<number, ReadonlyMap<string, Variable>> | null = null;
  private stageScopes: Map<number, ReadonlyMap<string, Variable>> | null = null;

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
          imageStart: imageRange ? this.offset(imageRange.start) : null,
          imageEnd: imageRange ? this.offset(imageRange.end) : null,
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
    } else if (instr.heredocs.length > 0 && !heredocsAreInput(this.text, instr)) {
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
    } else if (instr.heredocs.length > 0) {
      // `RUN cat > /start.sh <<EOF`, `RUN python3 <<EOF`: the first line is the command and the
      // bodies its input, as the shell reads the whole text.
      script = parseShell(this.text, instr.argsStart, instr.end, {
        escape: this.escape,
        continuations: false,
      });
    } else {
      const body =
        instr.keyword === 'HEALTHCHECK'
          ? this.healthcheckCommand(instr)
          : { start: instr.argsStart, end: instr.argsEnd };
      script = body
        ? parseShell(this.text, body.start, body.end, { escape: this.escape, continuations: true })
        : { ok: true, error: null, statements: [], commands: [] };
    }
    // A RUN sees the ARG and ENV values of its stage; a start command's shell runs in a container
    // whose environment `docker run -e` may change, so there only the script's own values count.
    const env = instr.keyword === 'RUN' ? this.runEnv(instr) : new Map<string, string | null>();
    script = resolveVariables(script, (name) => env.get(name) ?? null);
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

  /**
   * The name/value pairs an ENV or ARG instruction declares, with the value's range (the end of the
   * name when an ARG has no default) and its text as written (quotes kept).
   */
  properties(instr: Instr): {
    name: string;
    value: string | null;
    written: string | null;
    valueStart: number;
    valueEnd: number;
  }[] {
    if (instr.keyword !== 'ENV' && instr.keyword !== 'ARG') return [];
    return (instr.raw as import('dockerfile-ast').Env).getProperties().map((p) => {
      const vr = p.getValueRange();
      const valueStart = vr ? this.offset(vr.start) : this.offset(p.getRange().end);
      const valueEnd = vr ? this.offset(vr.end) : valueStart;
      return {
        name: p.getName(),
        value: p.getValue(),
        written: vr ? this.text.slice(valueStart, valueEnd) : null,
        valueStart,
        valueEnd,
      };
    });
  }

  /**
   * The ARG and ENV variables an instruction sees, resolved the way the builder resolves them:
   * global ARGs (before the first FROM) only in FROM lines and in a stage's `ARG NAME` that
   * redeclares them; per stage ARG and ENV in order, an ENV never overridden by a later ARG; a stage
   * built FROM an earlier stage inherits its ENV. The instruction's own declarations are not in it.
   */
  scope(instr: Instr): ReadonlyMap<string, Variable> {
    if (!this.scopes) this.resolveScopes();
    return this.scopes!.get(instr.index) ?? new Map();
  }

  /** The variables at the end of a stage: what its last instruction sees plus its own declarations. */
  stageScope(stage: Stage): ReadonlyMap<string, Variable> {
    if (!this.stageScopes) this.resolveScopes();
    return this.stageScopes!.get(stage.index) ?? new Map();
  }

  /**
   * `$NAME`, `${NAME}`, `${NAME:-word}` and `${NAME:+word}` replaced from `scope`; a reference to a
   * variable that is not known is left as written and makes the result inexact. `\$` is a dollar.
   */
  expand(text: string, scope: ReadonlyMap<string, Variable>): Resolved {
    let exact = true;
    const value = text.replace(
      /\\\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (
        whole,
        braced: string | undefined,
        op: string | undefined,
        word: string | undefined,
        bare: string | undefined,
      ) => {
        if (whole === '\\$') return '$';
        const v = scope.get((braced ?? bare)!);
        const known = v !== undefined && v.exact;
        if (op === '-') {
          if (known) return v.value !== '' ? v.value : this.expand(word!, scope).value;
          if (v === undefined) {
            const inner = this.expand(word!, scope);
            if (!inner.exact) exact = false;
            return inner.value;
          }
        } else if (op === '+') {
          if (known) return v.value !== '' ? this.expand(word!, scope).value : '';
        } else if (v !== undefined) {
          if (!v.exact) exact = false;
          return v.value;
        }
        exact = false;
        return whole;
      },
    );
    return { value, exact };
  }

  private resolveScopes(): void {
    const scopes = new Map<number, ReadonlyMap<string, Variable>>();
    const ends = new Map<number, ReadonlyMap<string, Variable>>();
    const globals = new Map<string, Variable>();
    let vars = globals;
    const declare = (instr: Instr) => {
      for (const p of this.properties(instr)) {
        if (instr.keyword === 'ARG') {
          // An ENV of the same name wins over an ARG, whatever their order.
          if (vars.get(p.name)?.kind === 'env') continue;
          if (p.value === null) {
            const global = instr.stage >= 0 ? globals.get(p.name) : undefined;
            vars.set(
              p.name,
              global
                ? { ...global, instr }
                : { kind: 'arg', value: '$' + p.name, exact: false, instr },
            );
            continue;
          }
        }
        const literal = p.written?.startsWith("'") ?? false;
        const resolved = literal
          ? { value: p.value ?? '', exact: true }
          : this.expand(p.value ?? '', vars);
        vars.set(p.name, {
          kind: instr.keyword === 'ARG' ? 'arg' : 'env',
          value: resolved.value,
          exact: resolved.exact,
          instr,
        });
      }
    };
    for (const instr of this.instructions) {
      if (instr.keyword === 'FROM') {
        if (instr.stage > 0) ends.set(instr.stage - 1, vars);
        scopes.set(instr.index, new Map(globals));
        const stage = this.stages[instr.stage];
        const parent = this.parentStage(stage);
        vars = new Map();
        if (parent) {
          for (const [name, v] of ends.get(parent.index) ?? [])
            if (v.kind === 'env') vars.set(name, v);
        }
        continue;
      }
      scopes.set(instr.index, new Map(vars));
      declare(instr);
    }
    if (this.stages.length > 0) ends.set(this.stages.length - 1, vars);
    this.scopes = scopes;
    this.stageScopes = ends;
  }

  /** A stage and the stages it is built FROM, the stage itself first and the one on an image last. */
  lineage(stage: Stage): Stage[] {
    const out = [stage];
    for (let p = this.parentStage(stage); p && !out.includes(p); p = this.parentStage(p))
      out.push(p);
    return out;
  }

  /** The earlier stage a stage is built FROM (`FROM build AS api`), or null for an image. */
  parentStage(stage: Stage): Stage | null {
    const image = stage.image?.toLowerCase();
    if (!image) return null;
    return (
      this.stages.find(
        (s) =>
          s.index < stage.index &&
          (s.name?.toLowerCase() === image || (/^\d+$/.test(image) && s.index === Number(image))),
      ) ?? null
    );
  }

  /**
   * The environment a RUN's commands see: its stage's ARG and ENV values (null where the value
   * cannot be told: a build argument without default, the base image's own).
   */
  runEnv(instr: Instr): Map<string, string | null> {
    const env = new Map<string, string | null>();
    for (const [name, v] of this.scope(instr)) env.set(name, v.exact ? v.value : null);
    return env;
  }

  /**
   * The environment a container of the stage starts with, as far as the file tells: its ENV values
   * (a parent stage's included), null where one cannot be told exactly (the base image's PATH).
   */
  containerEnv(stage: Stage): Map<string, string | null> {
    const env = new Map<string, string | null>();
    for (const [name, v] of this.stageScope(stage))
      if (v.kind === 'env') env.set(name, v.exact ? v.value : null);
    return env;
  }

  /** ENV values of a stage at its end (inherited from a parent stage included), resolved as far as they can be. */
  stageEnv(stage: Stage): Map<string, string> {
    const env = new Map<string, string>();
    for (const [name, v] of this.stageScope(stage)) if (v.kind === 'env') env.set(name, v.value);
    return env;
  }

  /**
   * The working directory an instruction runs in: each WORKDIR resolved against the one before and
   * through ARG/ENV; `/` when none (a stage built on an earlier stage starts in that one's).
   */
  workdirAt(instr: Instr): Resolved {
    const stage = this.stages[instr.stage];
    if (!stage) return { value: '/', exact: true };
    return this.walkWorkdir(stage, instr.index);
  }

  private walkWorkdir(stage: Stage, before: number): Resolved {
    const parent = this.parentStage(stage);
    let dir: Resolved = parent
      ? this.walkWorkdir(parent, Number.MAX_SAFE_INTEGER)
      : { value: '/', exact: true };
    for (const instr of stage.instructions) {
      if (instr.index >= before) break;
      if (instr.keyword !== 'WORKDIR') continue;
      const arg = this.logical(instr.argsStart, instr.argsEnd)
        .trim()
        .replace(/^(["'])(.*)\1$/, '$2');
      const r = this.expand(arg, this.scope(instr));
      dir = r.value.startsWith('/')
        ? { value: normalizePath(r.value), exact: r.exact }
        : { value: normalizePath(`${dir.value}/${r.value}`), exact: r.exact && dir.exact };
    }
    return dir;
  }

  /** The last WORKDIR of a stage, resolved as far as it can be, or null when the stage sets none. */
  workdir(stage: Stage): string | null {
    if (!stage.instructions.some((i) => i.keyword === 'WORKDIR')) return null;
    return this.walkWorkdir(stage, Number.MAX_SAFE_INTEGER).value;
  }

  /**
   * The directory the app lives in: the stage's WORKDIR when it resolves to a plain path that is not
   * a system directory (TARGET.md, "The app directory"), or why there is none.
   */
  appDir(stage: Stage): { dir: string } | { dir: null; why: string } {
    const set = stage.instructions.some((i) => i.keyword === 'WORKDIR');
    const parent = this.parentStage(stage);
    if (!set && !(parent && this.appDir(parent).dir))
      return {
        dir: null,
        why: 'no WORKDIR: the app lives in /, which cannot be copied to a runtime stage on its own; add a WORKDIR first',
      };
    // The project is where uv installs it: a later WORKDIR (`WORKDIR /app/src` before the CMD)
    // only changes where the program starts.
    const install = stage.instructions
      .filter(
        (i) =>
          i.keyword === 'RUN' &&
          this.shell(i).commands.some((c) => {
            const sub = uvCall(c.words)?.subcommand;
            if (sub === 'sync') return true;
            if (sub !== 'pip' && sub !== 'venv') return false;
            // Into an absolute VIRTUAL_ENV (`uv venv ${VIRTUAL_ENV}`, then `uv pip install`) the
            // install does not depend on where it runs: the source's WORKDIR is the app's.
            const venv = this.runEnv(i).get('VIRTUAL_ENV');
            if (!venv?.startsWith('/') || c.assigns.length > 0) return true;
            if (sub === 'pip') return false;
            const path = expandedValues(c).filter((v) => v === null || !v.startsWith('-'));
            return path.length !== 3 || path[2] !== venv;
          }),
      )
      .at(-1);
    const r = install ? this.workdirAt(install) : this.walkWorkdir(stage, Number.MAX_SAFE_INTEGER);
    if (!r.exact || !PLAIN_PATH.test(r.value))
      return {
        dir: null,
        why: `the WORKDIR ${r.value} cannot be resolved to a plain absolute path; the image keeps its single stage`,
      };
    if (SYSTEM_DIRS.has(r.value))
      return {
        dir: null,
        why: `the WORKDIR ${r.value} is a system directory, not an app directory: the runtime stage would copy it whole; put the app in its own directory (WORKDIR /app)`,
      };
    return { dir: r.value };
  }

  /**
   * The project environment uv syncs into, as an absolute path where it can be told:
   * UV_PROJECT_ENVIRONMENT (set in any stage: the builder's setting describes the venv the runtime
   * receives), relative to the WORKDIR of the stage that sets it; else VIRTUAL_ENV, the same way,
   * when no `uv sync` ignores it (uv pip installs there; uv sync only with `--active`); else `.venv`
   * in the app directory of `stage`. Relative (`.venv`) when the directory cannot be told.
   */
  venvDir(stage: Stage): string | null {
    // Given on the sync itself (`UV_PROJECT_ENVIRONMENT=/opt/venv uv sync`), it names the venv made.
    for (const { instr, command } of this.uvCommands('sync')) {
      const inline = assignments(command.assigns).find((a) => a.name === 'UV_PROJECT_ENVIRONMENT');
      if (!inline) continue;
      if (inline.value === null) return null;
      const dir = this.workdirAt(instr);
      if (inline.value.startsWith('/')) return normalizePath(inline.value);
      return dir.exact ? normalizePath(`${dir.value}/${inline.value}`) : null;
    }
    const syncs = this.uvCommands('sync');
    const names = ['UV_PROJECT_ENVIRONMENT'];
    if (syncs.every(({ command }) => command.words.some((w) => w.value === '--active')))
      names.push('VIRTUAL_ENV');
    for (const name of names) {
      const dir = this.envDir(stage, name);
      if (dir !== undefined) return dir;
    }
    // uv sync makes `.venv` in the project it syncs: that of the stage that runs it (a runtime
    // stage that only receives the venv has the builder's).
    const syncing = syncs.some(({ instr }) => instr.stage === stage.index)
      ? stage
      : (this.stages[syncs.at(-1)?.instr.stage ?? -1] ?? stage);
    const app = this.appDir(syncing);
    return app.dir ? `${app.dir}/.venv` : '.venv';
  }

  /** A directory an ENV names (`stage` first, then the others), as venvDir reads it; undefined when none sets it. */
  private envDir(stage: Stage, name: string): string | null | undefined {
    for (const s of [stage, ...this.stages.filter((o) => o !== stage)]) {
      const v = this.stageScope(s).get(name);
      if (!v || v.kind !== 'env') continue;
      if (!v.exact) return null;
      if (v.value.startsWith('/')) return normalizePath(v.value);
      const dir = this.walkWorkdir(s, Number.MAX_SAFE_INTEGER);
      return dir.exact && s.instructions.some((i) => i.keyword === 'WORKDIR')
        ? normalizePath(`${dir.value}/${v.value}`)
        : v.value.replace(/^\.\//, '');
    }
    return undefined;
  }

  /**
   * PATH as the running container sees it, from the stage's ENV (resolved; the base image's own
   * PATH stays `$PATH`), split into directories; null when the stage never sets PATH.
   */
  runtimePath(stage: Stage): string[] | null {
    const path = this.stageScope(stage).get('PATH');
    if (!path || path.kind !== 'env') return null;
    return path.value
      .split(':')
      .map((d) => (d === '$PATH' || d === '${PATH}' ? d : normalizePath(d)));
  }

  /**
   * The ports a stage EXPOSEs, in order, each once: every word of every EXPOSE, variables resolved
   * (`EXPOSE $PORT` with `ENV PORT=8000`); a range gives its first port. Words that do not resolve
   * to a port are left out.
   */
  ports(stage: Stage): { port: number; protocol: 'tcp' | 'udp'; instr: Instr }[] {
    const out: { port: number; protocol: 'tcp' | 'udp'; instr: Instr }[] = [];
    for (const instr of stage.instructions) {
      if (instr.keyword !== 'EXPOSE') continue;
      const scope = this.scope(instr);
      for (const word of this.logical(instr.argsStart, instr.argsEnd).trim().split(/\s+/)) {
        const m = /^(\d{1,5})(?:-\d{1,5})?(?:\/(tcp|udp))?$/i.exec(this.expand(word, scope).value);
        if (!m || Number(m[1]) > 65535) continue;
        const protocol = (m[2]?.toLowerCase() ?? 'tcp') as 'tcp' | 'udp';
        if (!out.some((p) => p.port === Number(m[1]) && p.protocol === protocol))
          out.push({ port: Number(m[1]), protocol, instr });
      }
    }
    return out;
  }

  /** The COPY and ADD instructions of a stage (heredoc copies, which name no source, are left out). */
  copies(stage: Stage): Copy[] {
    const out: Copy[] = [];
    for (const instr of stage.instructions) {
      if ((instr.keyword !== 'COPY' && instr.keyword !== 'ADD') || instr.heredocs.length > 0)
        continue;
      const args = this.logical(instr.argsStart, instr.argsEnd).trim();
      const words =
        (args.startsWith('[') ? decodeJsonArray(args) : null) ??
        args.split(/\s+/).map((w) => w.replace(/^(["'])(.*)\1$/, '$2'));
      if (words.length < 2) continue;
      const dest = words[words.length - 1];
      const flag = (name: string) => instr.flags.find((f) => f.name === name)?.value ?? null;
      const written = this.expand(dest, this.scope(instr));
      const dir = this.workdirAt(instr);
      const target: Resolved = written.value.startsWith('/')
        ? {
            value: normalizePath(written.value) + (dest.endsWith('/') ? '/' : ''),
            exact: written.exact,
          }
        : {
            value:
              normalizePath(`${dir.value}/${written.value}`) +
              (dest.endsWith('/') || dest === '.' || dest === './' ? '/' : ''),
            exact: written.exact && dir.exact,
          };
      out.push({
        instr,
        from: flag('from'),
        sources: words.slice(0, -1),
        dest,
        target,
        chown: flag('chown'),
      });
    }
    return out;
  }

  /** The stage the image runs: the last one. */
  get finalStage(): Stage | undefined {
    return this.stages[this.stages.length - 1];
  }

  /**
   * The stage a `--from=` (COPY, RUN --mount) names: a stage by name (any case) or by index, or
   * null for an image or a build context.
   */
  stageRef(ref: string): Stage | null {
    const name = ref.toLowerCase();
    return (
      this.stages.find(
        (s) => s.name?.toLowerCase() === name || (/^\d+$/.test(name) && s.index === Number(name)),
      ) ?? null
    );
  }

  /** The stages an instruction reads from: `COPY --from=`, `RUN --mount=...,from=`. */
  readsFrom(instr: Instr): Stage[] {
    const out: Stage[] = [];
    for (const flag of instr.flags) {
      const ref =
        flag.name === 'from'
          ? flag.value
          : flag.name === 'mount'
            ? (/(?:^|,)from=([^,]+)/.exec(flag.value ?? '')?.[1] ?? null)
            : null;
      const stage = ref ? this.stageRef(ref) : null;
      if (stage && !out.includes(stage)) out.push(stage);
    }
    return out;
  }

  /**
   * The stages an image is run from: the final stage, and every other named stage no stage is
   * built FROM or reads from that has a start command of its own or from its parents
   * (`FROM build AS api`, `FROM build AS worker`, chosen with `--target` or Compose's
   * `build.target`). A name that says development or test (`dev`, `test`, `debug`, `local`...) is
   * not a runtime: its reloading server or dev dependencies are the point; the final stage is one
   * unless it is so named and other targets are the runtimes.
   */
  runtimeStages(): Stage[] {
    const used = new Set<Stage>();
    for (const stage of this.stages) {
      const parent = this.parentStage(stage);
      if (parent) used.add(parent);
      for (const instr of stage.instructions) for (const s of this.readsFrom(instr)) used.add(s);
    }
    const final = this.finalStage;
    const targets = this.stages.filter(
      (s) =>
        s !== final &&
        s.name !== null &&
        !used.has(s) &&
        !isDevelopment(s) &&
        this.startsSomething(s),
    );
    // A last stage named for development, after the production targets, is built by name too.
    if (final && (targets.length === 0 || !isDevelopment(final))) targets.push(final);
    return targets;
  }

  /**
   * The ENTRYPOINT and CMD a container of this stage starts with: the last of each in the stage,
   * else inherited from the stage it is built on. As the builder does it, an ENTRYPOINT set in a
   * stage drops the CMD it would inherit.
   */
  starts(stage: Stage): Instr[] {
    let entrypoint: Instr | undefined;
    let cmd: Instr | undefined;
    let cmdOpen = true;
    for (const s of this.lineage(stage)) {
      const own = (keyword: string) => s.instructions.filter((i) => i.keyword === keyword).pop();
      const e = own('ENTRYPOINT');
      const c = own('CMD');
      if (cmdOpen && !cmd && c) cmd = c;
      if (!entrypoint && e) {
        entrypoint = e;
        if (!cmd) cmdOpen = false;
      }
    }
    return [entrypoint, cmd].filter((i): i is Instr => i !== undefined);
  }

  /** Whether a stage, or a stage it is built on, sets CMD or ENTRYPOINT. */
  private startsSomething(stage: Stage): boolean {
    const own = stage.instructions.some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
    if (own) return true;
    const parent = this.parentStage(stage);
    return parent !== null && this.startsSomething(parent);
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
  const call = uvCall(command.words);
  if (!call) return false;
  return sub === undefined || call.subcommand === sub;
}

/** Whether `path` is `dir` or inside it. */
/** Build inputs (requirement files, lockfiles, wheels): the builder's own, never the runtime's. */
const BUILD_INPUT =
  /(^|\/)(requirements[^/]*\.(txt|in)|constraints[^/]*\.txt|pyproject\.toml|poetry\.lock|Pipfile(\.lock)?|uv\.lock|[^/]*\.whl)$/;

/** A copied source that only the build reads (a requirement file, a lockfile, a wheel). */
export function isBuildInput(source: string): boolean {
  return BUILD_INPUT.test(source);
}

/**
 * Where a source of a COPY lands. Into a directory destination (`COPY ./scrapyd.conf
 * /etc/scrapyd/`, or several sources) a file lands under its own name, while a directory, `.`
 * included, gives its contents: so a file copied to `/etc/scrapyd/` is
 * `/etc/scrapyd/scrapyd.conf`, and a runtime receiving just that file receives all it copied.
 */
export function landingPath(
  source: string,
  target: string,
  intoDirectory: boolean,
  isDirectory: (source: string) => boolean,
): string {
  const dir = target.replace(/(.)\/$/, '$1');
  // A wildcard's matches, or what a variable names, cannot be told from the Dockerfile: the whole
  // destination stands for them.
  if (!intoDirectory || source.endsWith('/') || /[*?[$]/.test(source) || isDirectory(source))
    return dir;
  const name = source.replace(/\/+$/, '').split('/').pop()!;
  // The context itself (`.`, `..`) is a directory whatever the listing says.
  if (name === '.' || name === '..' || name === '') return dir;
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/**
 * Where each source of a copy from the build context lands, as an absolute path (see landingPath);
 * null when the destination cannot be told. `directories` are the context's directories
 * (ProjectContext.directories).
 */
export function copyLandings(copy: Copy, directories: readonly string[]): string[] | null {
  if (!copy.target.exact) return null;
  const intoDirectory = copy.dest.endsWith('/') || copy.sources.length > 1;
  const isDirectory = (s: string) => directories.includes(normalizePath(s));
  return copy.sources.map((s) => landingPath(s, copy.target.value, intoDirectory, isDirectory));
}

export function isUnder(path: string, dir: string): boolean {
  const d = dir === '/' ? '' : dir.replace(/\/$/, '');
  return path === dir || path === d || path.startsWith(d + '/');
}

/**
 * Whether the heredocs of an instruction are the input of the command on its first line
 * (`cat > /start.sh <<EOF`) rather than the scripts it runs (`RUN <<EOF`, `RUN <<A <<B`).
 */
function heredocsAreInput(text: string, instr: Instr): boolean {
  const newline = text.indexOf('\n', instr.argsStart);
  const first = text.slice(instr.argsStart, newline < 0 ? instr.end : newline);
  return !/^\s*(<<-?\s*(["']?)[A-Za-z_][A-Za-z0-9_]*\2\s*)+$/.test(first.replace(/\r$/, ''));
}

/** `/a//b/./c/` -> `/a/b/c`; `..` taken back; the root stays `/`. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return (path.startsWith('/') ? '/' : '') + out.join('/') || (path.startsWith('/') ? '/' : '.');
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
