/**
 * The migration engine: one transform at a time, in the declared order, re-parsing after each,
 * until a whole pass changes nothing. Untouched bytes stay identical; BOM, line endings, directives
 * and the final newline are kept; an output that would not parse as well as the input is refused.
 */
import { Doc, parse, type Instr, type Stage } from './document.js';
import { startCallingUv, stageHasUv, uvProject } from './uv-presence.js';
import { pipProject } from './pip.js';
import { poetryProject } from './poetry.js';
import { pipenvProject } from './pipenv.js';
import { plainPythonService, stagedPythonService } from './staged-project.js';

export { uvProject };
import { isImageReference } from './images.js';
import { applyEditGroups, applyEdits } from './edit.js';
import { appDirectoryEdits } from './root-app.js';
import type { Transform } from './transform.js';
import type {
  Edit,
  FileChange,
  MigrationOptions,
  MigrationResult,
  ProjectContext,
  ReportedFinding,
} from './types.js';

/** Passes over the whole transform list before the engine gives up on reaching a fixed point. */
export const MAX_PASSES = 8;
const BOM = '\uFEFF';

export interface MigrationInput {
  /** The Dockerfile's path as the caller names it (messages, diffs). */
  path: string;
  text: string;
  context: ProjectContext;
  /**
   * The parse of `text` without its BOM, when the caller already has it (to read the context):
   * it is not parsed again. One of another text is ignored.
   */
  doc?: Doc;
}

/**
 * The document the engine migrates: the text without its BOM, parsed; null when the raw text is
 * no Dockerfile at all (empty, binary), which migrate() refuses before parsing.
 */
export function dockerfileDoc(text: string): Doc | null {
  const body = text.startsWith(BOM) ? text.slice(BOM.length) : text;
  return inputProblem(body) ? null : parse(body);
}

export function migrate(
  input: MigrationInput,
  options: MigrationOptions,
  transforms: readonly Transform[],
): MigrationResult {
  const bom = input.text.startsWith(BOM);
  const original = bom ? input.text.slice(BOM.length) : input.text;
  const result: MigrationResult = {
    path: input.path,
    status: 'unchanged',
    changes: [],
    findings: [],
    errors: [],
    notes: [...input.context.problems],
  };
  const fail = (reason: string): MigrationResult => ({
    ...result,
    status: 'error',
    changes: [],
    errors: [reason],
  });

  const problem = inputProblem(original);
  if (problem) return fail(problem);
  const inputDoc = input.doc?.text === original ? input.doc : parse(original);
  let doc = inputDoc;
  const invalid = documentProblem(doc);
  if (invalid) return fail(invalid);

  // An app at the root is read as it is once app-directory has given it its WORKDIR: what kind
  // of project it is, and so which transforms run, depends on having an app directory.
  const moving =
    transforms.some((t) => t.id === 'app-directory') &&
    (options.only === null || options.only.includes('app-directory')) &&
    !options.skip.includes('app-directory');
  const moved = moving ? appDirectoryEdits(doc) : null;
  const kindDoc = moved ? parse(applyEdits(original, moved)) : doc;
  const project = uvProject(kindDoc, input.context);
  // A pip project whose installs move into a venv gets the venv layout transforms too (the split,
  // the user, the health check), never uv. The recognisers decline a Dockerfile that names uv; one
  // that never does is built with its own installer even beside a uv.lock.
  const poetry = poetryProject(kindDoc, input.context).kind === 'ready';
  const pipenv = !poetry && pipenvProject(kindDoc, input.context).kind === 'ready';
  const pip = poetry || pipenv || pipProject(kindDoc, input.context).kind === 'ready';
  // A pip, Poetry or Pipenv file with stages of its own keeps them, and gets the runtime hardening
  // (user, health check, .dockerignore) the venv layout transforms give a split file.
  const staged = !pip && stagedPythonService(kindDoc, input.context).kind === 'ready';
  const uv = { ...project, yes: project.yes && !pip && !staged };
  const besideLock = project.yes && !uv.yes;
  // Nothing to install: nothing to split, but the same runtime hardening.
  const plain = !pip && !uv.yes && !staged && plainPythonService(kindDoc, input.context);
  // Beside a uv.lock, the lockfile is not what this Dockerfile installs: installing it with uv
  // sync instead may choose other versions, so that move is a person's step.
  const noUv = (tool: string) =>
    besideLock
      ? `the project has a uv.lock, but the Dockerfile never names uv and installs with ${tool}, so the image is built as it is written`
      : 'no uv.lock and no uv in the Dockerfile';
  const toUv = besideLock
    ? 'installing uv.lock with uv sync instead (which may choose other versions) is a separate step'
    : 'moving the project to uv is a separate step';
  if (poetry)
    result.notes.push(
      `uv migration skipped: a Poetry project: ${noUv('Poetry')}. Poetry installs into a venv in the app directory and the image is split and hardened without uv; pyproject.toml and poetry.lock are unchanged, and ${toUv}`,
    );
  else if (pipenv)
    result.notes.push(
      `uv migration skipped: a Pipenv project: ${noUv('Pipenv')}. Pipenv installs into a venv in the app directory and the image is split and hardened without uv; Pipfile and Pipfile.lock are unchanged, and ${toUv}`,
    );
  else if (pip)
    result.notes.push(
      `uv migration skipped: a pip project: ${noUv('pip')}. Its pip installs move into a venv in the app directory and the image is split and hardened without uv; ${toUv}`,
    );
  else if (staged)
    result.notes.push(
      `uv migration skipped: ${besideLock ? noUv('pip, Poetry or Pipenv') : uv.why.replace(/, so only .*$/, '')}. The file already has stages of its own, which are kept; its runtime stage is hardened without uv, and ${toUv}`,
    );
  else if (plain)
    result.notes.push(
      'uv migration skipped: nothing is installed (no uv, pip, Poetry or Pipenv install), so there is no build to split; the image gets the runtime hardening (user, health check, .dockerignore)',
    );
  else if (!uv.yes) result.notes.push(`uv migration skipped: ${uv.why}`);
  const active = transforms.filter(
    (t) =>
      (!t.uvOnly || uv.yes || ((pip || staged || plain) && t.pip === true)) &&
      (options.only === null || options.only.includes(t.id)) &&
      !options.skip.includes(t.id),
  );

  const dockerfileKey = input.context.dockerfile;
  const files = new Map<string, string | null>();
  files.set(dockerfileKey, original);
  for (const [path, text] of Object.entries(input.context.files)) files.set(path, text);
  const before = new Map(files);

  const seen = new Map<string, ReportedFinding>();
  // Findings of the settling pass: what is still there. A finding left unfixed in an earlier pass
  // that a later edit resolved (or reworded) is not reported.
  const lastPass = new Set<string>();
  const history = new Set<string>([snapshotOf(files)]);
  let settled = false;
  try {
    for (let pass = 0; pass < MAX_PASSES && !settled; pass++) {
      let passChanged = false;
      lastPass.clear();
      for (const transform of active) {
        const text = files.get(dockerfileKey)!;
        doc = text === doc.text ? doc : parse(text);
        const ctx = contextWith(input.context, files, dockerfileKey);
        const findings = transform.detect(doc, ctx, options);
        if (findings.length === 0) continue;

        // Group each finding's edits by file; a finding is applied whole or deferred whole.
        const groupsByFile = new Map<string, { finding: number; edits: Edit[] }[]>();
        findings.forEach((finding, i) => {
          const byFile = new Map<string, Edit[]>();
          for (const edit of finding.edits ?? []) {
            const key = edit.file ?? dockerfileKey;
            byFile.set(key, [...(byFile.get(key) ?? []), edit]);
          }
          for (const [key, edits] of byFile) {
            groupsByFile.set(key, [...(groupsByFile.get(key) ?? []), { finding: i, edits }]);
          }
        });
        const fixed = new Set<number>();
        for (const [key, groups] of groupsByFile) {
          const current = files.get(key) ?? '';
          const applied = applyEditGroups(
            current,
            groups.map((g) => g.edits),
          );
          for (const gi of applied.applied) fixed.add(groups[gi].finding);
          if (applied.text !== (files.get(key) ?? null)) {
            if ((files.get(key) ?? null) === null && applied.text === '') continue;
            files.set(key, applied.text);
            passChanged = true;
          }
        }
        findings.forEach((finding, i) => {
          const key = `${transform.id}\0${finding.message}`;
          lastPass.add(key);
          const prior = seen.get(key);
          const wasFixed = fixed.has(i) && (finding.edits?.length ?? 0) > 0;
          if (prior) {
            prior.fixed ||= wasFixed;
            return;
          }
          seen.set(key, {
            transform: transform.id,
            title: transform.title,
            message: finding.message,
            severity: finding.severity ?? (finding.edits?.length ? 'warning' : 'info'),
            fixed: wasFixed,
            ...(finding.missingDigest ? { missingDigest: finding.missingDigest } : {}),
            ...(finding.file !== undefined
              ? { file: finding.file, ...linesIn(before.get(finding.file) ?? null, finding.range) }
              : finding.range && doc.text === original
                ? {
                    line: doc.lineOf(finding.range.start) + 1,
                    endLine: doc.lineOf(Math.max(finding.range.start, finding.range.end - 1)) + 1,
                  }
                : {}),
          });
        });
      }
      const snapshot = snapshotOf(files);
      if (!passChanged) settled = true;
      else if (history.has(snapshot)) {
        return fail('the transforms undo each other and never settle; the file was left unchanged');
      } else history.add(snapshot);
    }
  } catch (error) {
    const failed = fail(
      `internal error while migrating: ${error instanceof Error ? error.message : String(error)}`,
    );
    return {
      ...failed,
      internal: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
  if (!settled)
    return fail(
      `the transforms did not settle after ${MAX_PASSES} passes; the file was left unchanged`,
    );

  result.findings = [...seen].filter(([k, f]) => f.fixed || lastPass.has(k)).map(([, f]) => f);
  const output = files.get(dockerfileKey)!;
  const outDoc = output === doc.text ? doc : parse(output);
  const regression = outputRegression(inputDoc, outDoc);
  if (regression) {
    return fail(`the migrated file would be invalid (${regression}); the file was left unchanged`);
  }

  const changes: FileChange[] = [];
  for (const [path, after] of files) {
    const prior = before.get(path) ?? null;
    if (after === null || after === prior) continue;
    const withBom = path === dockerfileKey && bom;
    changes.push({
      path,
      before: prior === null ? null : withBom ? BOM + prior : prior,
      after: withBom ? BOM + after : after,
    });
  }
  changes.sort((a, b) =>
    a.path === dockerfileKey ? -1 : b.path === dockerfileKey ? 1 : a.path.localeCompare(b.path),
  );
  result.changes = changes;
  result.status = changes.length > 0 ? 'changed' : 'unchanged';
  return result;
}

/** 1-based lines of a range in another file's original text. */
function linesIn(
  text: string | null,
  range: { start: number; end: number } | undefined,
): { line?: number; endLine?: number } {
  if (text === null || !range || range.end > text.length) return {};
  const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
  return { line: lineAt(range.start), endLine: lineAt(Math.max(range.start, range.end - 1)) };
}

function snapshotOf(files: Map<string, string | null>): string {
  return JSON.stringify([...files]);
}

function contextWith(
  base: ProjectContext,
  files: Map<string, string | null>,
  dockerfileKey: string,
): ProjectContext {
  const others: Record<string, string> = {};
  for (const [path, text] of files) {
    if (path !== dockerfileKey && text !== null) others[path] = text;
  }
  return { ...base, files: others };
}

/** Problems with the raw text that make any migration unsafe. */
export function inputProblem(text: string): string | null {
  if (text.trim() === '') return 'the file is empty';
  if (text.includes('\0')) return 'the file holds binary data (NUL bytes), not a Dockerfile';
  return null;
}

/** Problems with the parsed document that make any migration unsafe. */
export function documentProblem(doc: Doc): string | null {
  if (doc.instructions.length === 0)
    return 'the file has no instructions (only comments or blank lines)';
  if (doc.unknown.length > 0) {
    const u = doc.unknown[0];
    return `unknown instruction ${u.keyword} on line ${u.line + 1}`;
  }
  if (doc.stages.length === 0) return 'the file has no FROM instruction';
  const firstNonArg = doc.instructions.find((i) => i.keyword !== 'ARG');
  if (firstNonArg && firstNonArg.keyword !== 'FROM') {
    return `${firstNonArg.keyword} on line ${firstNonArg.line + 1} comes before the first FROM`;
  }
  for (const stage of doc.stages) {
    const bad = badFrom(doc, stage);
    if (bad) return `the FROM on line ${stage.from.line + 1} ${bad}`;
  }
  for (const instr of doc.instructions) {
    const from = instr.keyword === 'COPY' ? instr.flags.find((f) => f.name === 'from') : undefined;
    if (from?.value && !validSource(doc, from.value)) {
      return `the COPY on line ${instr.line + 1} copies --from ${JSON.stringify(from.value)}, which is neither a stage nor a valid image reference`;
    }
  }
  const open = doc.instructions.find((i) => i.heredocs.some((h) => h.unterminated));
  if (open) {
    const name = open.heredocs.find((h) => h.unterminated)!.name;
    return `the heredoc <<${name} of the ${open.keyword} on line ${open.line + 1} is never closed: no line ${name} follows`;
  }
  for (const instr of doc.instructions) {
    const element = nonStringElement(doc, instr);
    if (element !== null) {
      return `the ${instr.keyword} on line ${instr.line + 1} is a JSON array holding ${element}, which Docker refuses: an exec-form array holds only strings`;
    }
    const cut = cutOff(doc, instr);
    if (cut) return `the ${instr.keyword} on line ${instr.line + 1} is cut off: ${cut}`;
  }
  const trimmed = doc.text.replace(/[ \t\r\n]+$/, '');
  if (trimmed.endsWith(doc.escape) && !trimmed.endsWith(doc.escape + doc.escape)) {
    return 'the last instruction ends with a line continuation and nothing after it';
  }
  return null;
}

/**
 * A FROM Docker would stop on: not `image` or `image AS name`, or an image that is no valid
 * reference (variables aside; an earlier stage's name is fine).
 */
function badFrom(doc: Doc, stage: Stage): string | null {
  const args = (stage.from.raw as import('dockerfile-ast').From)
    .getArguments()
    .map((a) => a.getValue());
  if (!(args.length === 1 || (args.length === 3 && args[1].toLowerCase() === 'as'))) {
    return `is not \`FROM image\` or \`FROM image AS name\` (${args.length} words)`;
  }
  const image = stage.image;
  if (image === null || image.includes('$')) return null;
  const earlier = doc.stages.some(
    (s) => s.index < stage.index && s.name?.toLowerCase() === image.toLowerCase(),
  );
  if (earlier || isImageReference(image)) return null;
  return `names ${JSON.stringify(image)}, which is not a valid image reference`;
}

/** `COPY --from=` a stage (by name or number), a build context or image, or a variable. */
function validSource(doc: Doc, value: string): boolean {
  if (value.includes('$') || /^\d+$/.test(value)) return true;
  if (doc.stages.some((s) => s.name?.toLowerCase() === value.toLowerCase())) return true;
  return isImageReference(value);
}

/** Instructions whose argument Docker decodes as JSON when it starts with `[`. */
const JSON_ARGUMENTS = new Set([
  'RUN',
  'CMD',
  'ENTRYPOINT',
  'HEALTHCHECK',
  'SHELL',
  'VOLUME',
  'COPY',
  'ADD',
]);

/**
 * The first element that is not a string in a JSON array argument (`CMD ["app", 8000]`), as
 * written, or null. Docker stops on it; any other text that is not a JSON array is shell form
 * (or a word list) to Docker, so it is not refused here.
 */
function nonStringElement(doc: Doc, instr: Instr): string | null {
  if (!JSON_ARGUMENTS.has(instr.keyword)) return null;
  const body =
    instr.keyword === 'HEALTHCHECK'
      ? doc.healthcheckCommand(instr)
      : { start: instr.argsStart, end: instr.argsEnd };
  if (!body) return null;
  const text = doc.logical(body.start, body.end).trim();
  if (!text.startsWith('[')) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return null;
  const element: unknown = value.find((v) => typeof v !== 'string');
  return element === undefined ? null : JSON.stringify(element);
}

/**
 * Text the shell or Docker would stop on: a quote never closed (shell text of RUN/CMD/ENTRYPOINT,
 * also one written like an exec-form array, which Docker hands to the shell; values of
 * ENV/ARG/LABEL). A `[` without its `]` is no reason: `[ -f x ] && ...` is a shell test, and
 * `["a", "b"` is shell text to Docker. Null when none.
 */
function cutOff(doc: Doc, instr: Instr): string | null {
  if (instr.keyword === 'RUN' || instr.keyword === 'CMD' || instr.keyword === 'ENTRYPOINT') {
    if (instr.json) return null;
    const script = doc.shell(instr);
    if (!script.ok && script.error && /reached EOF without/.test(script.error)) {
      return `the shell text ends inside a quote or bracket (${script.error.replace(/^[^:]*:\d+:\d+: /, '')})`;
    }
    return null;
  }
  if (instr.keyword === 'ENV' || instr.keyword === 'ARG' || instr.keyword === 'LABEL') {
    const quote = openQuote(doc.logical(instr.argsStart, instr.argsEnd), doc.escape);
    return quote ? `a value opens a ${quote} quote that is never closed` : null;
  }
  return null;
}

/** The quote character left open at the end of `text` (escapes honoured outside single quotes). */
function openQuote(text: string, escape: string): string | null {
  let open: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === escape && open !== "'") i++;
    else if (open === null && (c === '"' || c === "'")) open = c;
    else if (c === open) open = null;
  }
  return open === '"' ? 'double' : open === "'" ? 'single' : null;
}

/** What the output breaks that the input did not: null when it is at least as valid. */
function outputRegression(input: Doc, output: Doc): string | null {
  const problem = documentProblem(output);
  if (problem) return problem;
  const badJson = (d: Doc) => d.instructions.filter((i) => i.jsonInvalid).length;
  if (badJson(output) > badJson(input)) return 'an exec-form array is not valid JSON';
  const badShell = (d: Doc) =>
    d.instructions.filter(
      (i) =>
        (i.keyword === 'RUN' || i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') &&
        !i.json &&
        !i.jsonInvalid &&
        !d.shell(i).ok,
    ).length;
  if (badShell(output) > badShell(input)) return 'a shell command does not parse';
  // A stage whose start command calls uv but that has no uv cannot start.
  const uvless = (d: Doc) =>
    d.stages.filter((s) => startCallingUv(d, s) && !stageHasUv(d, s)).map((s) => s.index);
  const broken = uvless(output).filter((i) => !uvless(input).includes(i));
  if (broken.length > 0) {
    const stage = output.stages[broken[0]];
    return `the ${startCallingUv(output, stage)} of stage ${stage.name ?? stage.index + 1} would call uv, which that stage no longer has`;
  }
  return null;
}
