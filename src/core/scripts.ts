/**
 * Scripts the image runs at start (an ENTRYPOINT/CMD that names a script copied from the build
 * context, or hands one to a shell), found in the context and read with the same rewriters as the
 * start command. entrypoint-scripts edits them; multi-stage asks whether one still needs uv.
 */
import { decodeJsonArray, type Doc, type Instr, type Stage } from './document.js';
import {
  programWords,
  rewriteScript,
  scriptFile,
  syncedSelections,
  wrapperLength,
  type Rewrite,
  type RewriteContext,
} from './command.js';
import { dropDevFlags, stripUvRun } from './runtime-command.js';
import { parseShell } from './shell.js';

export interface StartScript {
  /** The CMD/ENTRYPOINT that runs it. */
  instr: Instr;
  /** As the instruction names it (`./docker-entrypoint.sh`, `/start`). */
  program: string;
  /** Its context path, or null when it is not in the build context. */
  path: string | null;
  /** Why its text was not read as shell, or null. */
  unparsed: string | null;
  /** `uv run` stripped; `problems` are the uv calls that must stay. */
  uv: Rewrite;
  /** Development-server flags dropped. */
  dev: Rewrite;
}

const SHELLS = /^(\/usr\/bin\/|\/bin\/)?(sh|bash|ash|dash)$/;
const SHEBANG = /^#!\s*(\S*\/)?(env\s+)?(sh|bash|ash|dash)\b/;
const EMPTY: Rewrite = { edits: [], changes: [], problems: [] };

/** The scripts a stage's CMD and ENTRYPOINT run, each once, with its rewrites. */
export function startScripts(doc: Doc, stage: Stage, files: Record<string, string>): StartScript[] {
  const out: StartScript[] = [];
  const seen = new Set<string>();
  const synced = syncedSelections(doc);
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'CMD' && instr.keyword !== 'ENTRYPOINT') continue;
    for (const words of programWords(doc, instr)) {
      const program = scriptNamed(words, files, doc, stage);
      if (program === null) continue;
      const path = copiedFrom(doc, stage, program, files) ?? scriptFile(program, files)?.path;
      if (path === undefined) {
        out.push({ instr, program, path: null, unparsed: null, uv: EMPTY, dev: EMPTY });
        continue;
      }
      if (seen.has(path)) continue;
      seen.add(path);
      const text = files[path];
      const parsed = parseShell(text, 0, text.length, { escape: '\\', continuations: false });
      if (!parsed.ok) {
        out.push({ instr, program, path, unparsed: parsed.error, uv: EMPTY, dev: EMPTY });
        continue;
      }
      const args = argsOf(doc, stage, instr, program);
      const ctx: RewriteContext = {
        shell: true,
        ...(args ? { args } : {}),
        ...(synced ? { synced } : {}),
      };
      out.push({
        instr,
        program,
        path,
        unparsed: null,
        uv: rewriteScript(parsed, stripUvRun, ctx),
        dev: rewriteScript(parsed, dropDevFlags, ctx),
      });
    }
  }
  return out;
}

/** A script the stage runs that would still call uv at start once rewritten, and why. */
export function scriptNeedingUv(
  doc: Doc,
  stage: Stage,
  files: Record<string, string>,
): { instr: Instr; path: string; problem: string } | null {
  for (const script of startScripts(doc, stage, files)) {
    if (script.path && script.uv.problems.length > 0)
      return { instr: script.instr, path: script.path, problem: script.uv.problems[0] };
  }
  return null;
}

/**
 * The script among a command's words: a `.sh` word, or the program (or the file handed to a
 * shell) when the Dockerfile copies a context file to that path.
 */
function scriptNamed(
  words: (string | null)[],
  files: Record<string, string>,
  doc: Doc,
  stage: Stage,
): string | null {
  const sh = words.find((w): w is string => w !== null && /\.sh$/.test(w));
  if (sh !== undefined) return sh;
  const rest = words.slice(wrapperLength(words.map((value) => ({ value }))));
  const program = rest[0] !== null && SHELLS.test(rest[0] ?? '') ? rest[1] : rest[0];
  if (!program || program.startsWith('-')) return null;
  const path = copiedFrom(doc, stage, program, files);
  // Without .sh, only a file that says it is a shell script (not `#!/usr/bin/env python`).
  return path !== null && SHEBANG.test(files[path]) ? program : null;
}

/**
 * The context path a COPY/ADD of the Dockerfile puts at the path a command names, when that
 * context file was read. Relative names are taken from the stage's WORKDIR; a bare name (found on
 * PATH) matches a copied file of that name.
 */
function copiedFrom(
  doc: Doc,
  stage: Stage,
  program: string,
  files: Record<string, string>,
): string | null {
  const workdir = doc.workdir(stage) ?? '/';
  const bare = !program.includes('/');
  const target = bare ? null : absolute(program, workdir);
  for (const s of doc.stages) {
    const dir = doc.workdir(s) ?? '/';
    for (const instr of s.instructions) {
      if (instr.keyword !== 'COPY' && instr.keyword !== 'ADD') continue;
      if (instr.flags.some((f) => f.name === 'from')) continue;
      const args = doc.logical(instr.argsStart, instr.argsEnd).trim();
      const words = (args.startsWith('[') ? decodeJsonArray(args) : null) ?? args.split(/\s+/);
      if (words.length < 2 || words.some((w) => /[$*?[]/.test(w))) continue;
      const sources = words.slice(0, -1).map((w) => w.replace(/^\.\//, '').replace(/\/$/, ''));
      const rawDest = words[words.length - 1];
      const dest = absolute(rawDest, dir);
      const intoDir = rawDest.endsWith('/') || sources.length > 1;
      for (const src of sources) {
        const whole = src === '.' || src === '';
        const isFile = !whole && files[src] !== undefined;
        if (isFile) {
          const at = intoDir ? `${dest.replace(/\/$/, '')}/${src.split('/').pop()}` : dest;
          if (bare ? at.split('/').pop() === program : at === target) return src;
          continue;
        }
        // A directory: what is under its destination comes from under it.
        if (bare || target === null) continue;
        const under =
          intoDir && !whole ? `${dest.replace(/\/$/, '')}/${src.split('/').pop()}` : dest;
        const prefix = `${under.replace(/\/$/, '')}/`;
        if (!target.startsWith(prefix)) continue;
        const rest = target.slice(prefix.length);
        const path = whole ? rest : `${src}/${rest}`;
        if (files[path] !== undefined) return path;
      }
    }
  }
  return null;
}

function absolute(path: string, workdir: string): string {
  if (path.startsWith('/')) return path;
  const parts = `${workdir}/${path}`.split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return `/${out.join('/')}`;
}

/**
 * What `"$@"` holds in a script that is the ENTRYPOINT (itself, or handed to a shell): the CMD's
 * words, as Docker appends them. Undefined otherwise (a CMD script gets no arguments).
 */
function argsOf(
  doc: Doc,
  stage: Stage,
  instr: Instr,
  program: string,
): (string | null)[] | undefined {
  if (instr.keyword !== 'ENTRYPOINT' || !instr.json) return undefined;
  const json = instr.json.slice(wrapperLength(instr.json.map((value) => ({ value }))));
  const runsIt = json[0] === program || (SHELLS.test(json[0] ?? '') && json[1] === program);
  if (!runsIt) return undefined;
  const cmd = stage.instructions.filter((i) => i.keyword === 'CMD').pop();
  if (!cmd || cmd.jsonInvalid) return undefined;
  return cmd.json ?? ['/bin/sh', '-c', doc.logical(cmd.argsStart, cmd.argsEnd).trim()];
}
