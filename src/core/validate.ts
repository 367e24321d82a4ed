/**
 * Whether a Dockerfile can be migrated at all, and whether a migration's output is at least as
 * valid as its input: what Docker or the shell would stop on, said in plain words. The engine
 * refuses an input with a problem, and an output that breaks what the input had right.
 */
import type { Doc, Instr, Stage } from './document.js';
import { isImageReference } from './images.js';
import { startCallingUv, stageHasUv } from './uv-presence.js';

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
export function outputRegression(input: Doc, output: Doc): string | null {
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
