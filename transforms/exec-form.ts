/**
 * CMD uvicorn app:app --port 8000          ->  CMD ["uvicorn", "app:app", "--port", "8000"]
 * CMD uvicorn app:app --port ${PORT}       ->  CMD ["sh", "-c", "exec uvicorn app:app --port ${PORT}"]
 * CMD alembic upgrade head && uvicorn app  ->  CMD ["sh", "-c", "alembic upgrade head && exec uvicorn app"]
 * CMD ["sh", "-c", "uvicorn app"]          ->  CMD ["sh", "-c", "exec uvicorn app"]
 * CMD uvicorn app # the API                ->  # the API
 *                                              CMD ["uvicorn", "app"]
 * CMD ["uvicorn", "app"]  # the API        ->  # the API
 *                                              CMD ["uvicorn", "app"]
 * CMD ['uvicorn', 'app']                   ->  CMD ["uvicorn", "app"]
 *
 * In the final stage. Comment lines inside a continued CMD move above it. An array that is not JSON
 * is shell form to Docker (`sh -c '["uvicorn", "app"]  # the API'` runs a program named
 * `[uvicorn,` and the container does not start): a comment after it, or single quotes, are
 * repaired. Reported, not fixed: any other array that is not JSON (unclosed, a trailing comma), a
 * pipeline or a background job, a shell-form ENTRYPOINT beside a CMD (in exec form it would receive
 * the CMD as arguments).
 */
import { defineTransform } from '../src/core/transform.js';
import { encodeJsonArray, type Doc, type Instr, type Stage } from '../src/core/document.js';
import { execWords, programWords, scriptFile, shellWrapped } from '../src/core/command.js';
import { ignoresSigterm } from '../src/core/signals.js';
import { parseShell, type ShellScript, type ShellStatement } from '../src/core/shell.js';
import type { Edit, Finding } from '../src/core/types.js';

export default defineTransform({
  id: 'exec-form',
  title: 'Exec-form CMD and ENTRYPOINT',
  rationale:
    'A shell-form command runs under /bin/sh -c, which does not forward SIGTERM: the program never ' +
    'hears `docker stop`, and is killed after the timeout (exit 137) without draining requests. ' +
    'In exec form the program is PID 1 and receives the signal. Where the shell is needed for ' +
    '${VARIABLES}, `sh -c "exec ..."` lets the program replace the shell.',
  uvOnly: false,
  detect(doc, ctx) {
    return doc
      .runtimeStages()
      .flatMap((stage) => [
        ...inStage(doc, stage, ctx.files),
        ...deafToSigterm(doc, stage, ctx.files),
      ]);
  },
});

/**
 * Exec form makes the program PID 1, and PID 1 gets no default action for SIGTERM: a Python
 * program without a handler of its own still ignores `docker stop`. Said, not fixed: the handler
 * belongs in the program (or `docker run --init` puts an init in front of it).
 */
function deafToSigterm(doc: Doc, stage: Stage, files: Record<string, string>): Finding[] {
  for (const instr of doc.starts(stage)) {
    for (const argv of programWords(doc, instr)) {
      const path = ignoresSigterm(argv, files);
      if (path === null) continue;
      return [
        {
          message: `${argv.filter((w) => w !== null).join(' ')}: nothing in ${path} or the project modules it imports handles SIGTERM (no signal handler, no server known to install one), and as PID 1 it gets no default action for it: \`docker stop\` waits out its timeout and kills it (exit 137); handle SIGTERM in ${path} (signal.signal) or run the container with --init`,
          range: { start: instr.start, end: instr.end },
          severity: 'info',
        },
      ];
    }
  }
  return [];
}

/** The start commands of one stage the image can be built to run. */
function inStage(doc: Doc, stage: Stage, files: Record<string, string>): Finding[] {
  const findings: Finding[] = [];
  const hasCmd = stage.instructions.some((i) => i.keyword === 'CMD');
  const shellPrefix = shellOf(doc, stage.instructions);
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'CMD' && instr.keyword !== 'ENTRYPOINT') continue;
    const range = { start: instr.start, end: instr.end };
    if (instr.jsonInvalid) {
      findings.push(repairArray(doc, instr));
      continue;
    }
    if (instr.json) {
      findings.push(...addExec(doc, instr));
      continue;
    }
    if (instr.argsStart === instr.argsEnd) continue;
    if (instr.keyword === 'ENTRYPOINT' && hasCmd) {
      findings.push({
        message:
          'a shell-form ENTRYPOINT ignores CMD; in exec form it would receive CMD as arguments, which changes what runs; left as is',
        range,
        severity: 'warning',
      });
      continue;
    }
    findings.push(...toExec(doc, instr, shellPrefix, files));
  }
  return findings;
}

function shellOf(doc: Doc, instructions: Instr[]): string[] {
  const shell = [...instructions].reverse().find((i) => i.keyword === 'SHELL' && i.json);
  return shell?.json ?? ['sh', '-c'];
}

function toExec(
  doc: Doc,
  instr: Instr,
  shellPrefix: string[],
  files: Record<string, string>,
): Finding[] {
  const range = { start: instr.start, end: instr.end };
  const script = doc.shell(instr);
  if (!script.ok || script.statements.length === 0) {
    return [
      {
        message: `${instr.keyword}: the shell text does not parse (${script.error}); left as is`,
        range,
        severity: 'warning',
      },
    ];
  }
  if (script.statements.some((s) => !simpleCommand(s) || s.next === '&')) {
    return [
      {
        message: `${instr.keyword} runs a pipeline or a background job; left in shell form: wrap it in a script that execs the main program`,
        range,
        severity: 'warning',
      },
    ];
  }
  const last = script.statements[script.statements.length - 1];
  const comments = commentLines(doc, instr, last.end);
  const simple =
    script.statements.length === 1 &&
    last.commands[0].assigns.length === 0 &&
    last.commands[0].start === last.start &&
    last.commands[0].end === last.end &&
    last.commands[0].words.every((w) => w.value !== null && !unquotedGlob(w.raw));
  let items: string[];
  if (simple) {
    items = last.commands[0].words.map((w) => w.value!);
    if (items[0] === 'exec') items = items.slice(1);
    // The kernel runs a script only by its #! line; a shell falls back to reading it itself.
    const script = scriptFile(items[0], files);
    if (script && !script.text.startsWith('#!'))
      return [
        {
          message: `${instr.keyword} runs ${script.path}, which has no #! line: only a shell can run it, and in exec form it would fail with "exec format error"; left in shell form: start the script with #!/bin/sh and exec its program, then use exec form`,
          range,
          severity: 'warning',
        },
      ];
  } else {
    const first = script.statements[0];
    // `exec` goes after the command's assignments: `PORT=8000 exec app`, not `exec PORT=8000 app`.
    const program = last.commands[0].words[0]?.start ?? last.start;
    const head = doc.joined(first.start, program);
    const tail = doc.joined(program, last.end);
    const body = /^exec\s/.test(tail) ? head + tail : `${head}exec ${tail}`;
    items = [...shellPrefix, body];
  }
  const json = encodeJsonArray(items);
  const edits = [{ start: instr.argsStart, end: instr.end, text: json }];
  if (comments.length > 0) edits.push(doc.insertBefore(instr, comments));
  const how = simple ? '' : ` through ${shellPrefix[0]} -c with exec, since it needs the shell`;
  return [
    { message: `${instr.keyword} in exec form${how}: ${instr.keyword} ${json}`, range, edits },
  ];
}

/** One simple command; a `$(nproc)` inside its words is part of it, not a pipeline. */
function simpleCommand(statement: ShellStatement): boolean {
  const [first, ...inner] = statement.commands;
  return (
    first !== undefined &&
    first.start === statement.start &&
    inner.every((c) => c.start >= first.start && c.end <= first.end)
  );
}

/** `["sh", "-c", "uvicorn app"]`: the program should replace the shell. */
function addExec(doc: Doc, instr: Instr): Finding[] {
  const words = execWords(doc, instr);
  const inner = words && shellWrapped(words);
  if (!inner) return [];
  const script: ShellScript = parseShell(inner.script, 0, inner.script.length, {
    escape: '\\',
    continuations: false,
  });
  if (!script.ok || script.statements.length === 0) return [];
  if (script.statements.some((s) => !simpleCommand(s) || s.next === '&')) return [];
  const last = script.statements[script.statements.length - 1];
  const program = last.commands[0].words[0];
  if (!program || program.value === 'exec' || last.commands[0].start !== last.start) return [];
  const text = `${inner.script.slice(0, program.start)}exec ${inner.script.slice(program.start)}`;
  return [
    {
      message: `${instr.keyword}: exec added so the program replaces the shell and receives SIGTERM`,
      range: { start: instr.start, end: instr.end },
      edits: [{ start: inner.word.start, end: inner.word.end, text: JSON.stringify(text) }],
    },
  ];
}

/** Comment lines inside the continued instruction and a shell comment after the command. */
function commentLines(doc: Doc, instr: Instr, commandEnd: number): string[] {
  const lines: string[] = [];
  const body = doc.text.slice(instr.argsStart, instr.end);
  const first = body.search(/\r?\n/);
  if (first >= 0) {
    for (const line of body.slice(first).split(/\r?\n/)) {
      if (line.trim().startsWith('#')) lines.push(line.trim());
    }
  }
  const after = doc.logical(commandEnd, instr.end).trim();
  if (after.startsWith('#')) lines.push(after);
  return lines;
}

function unquotedGlob(raw: string): boolean {
  return /[*?[]/.test(raw.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, ''));
}

/** One element of an array as written: its value, the file range of its quoted text, its quote. */
interface LooseElement {
  value: string;
  start: number;
  end: number;
  quote: '"' | "'";
}

/**
 * `["a", 'b']  # c` read loosely: elements in double (JSON) or single quotes, separated by commas,
 * with blanks and line continuations between them; `close` is the offset after `]`. Null when the
 * text does not read that way (no `]`, a trailing comma, a backslash inside single quotes).
 */
function looseArray(
  doc: Doc,
  start: number,
  end: number,
): { elements: LooseElement[]; close: number } | null {
  const esc = doc.escape.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const gap = new RegExp(
    `(?:[ \\t]+|${esc}[ \\t]*\\r?\\n(?:[ \\t]*(?:#[^\\r\\n]*)?\\r?\\n)*)*`,
    'y',
  );
  const text = doc.text.slice(0, end);
  const skip = (i: number) => {
    gap.lastIndex = i;
    return gap.exec(text) ? gap.lastIndex : i;
  };
  if (text[start] !== '[') return null;
  const elements: LooseElement[] = [];
  let i = skip(start + 1);
  if (text[i] === ']') return { elements, close: i + 1 };
  for (;;) {
    const q = text[i];
    let value: string;
    let after: number;
    if (q === '"') {
      const m = /"(?:[^"\\\r\n]|\\.)*"/y;
      m.lastIndex = i;
      if (!m.exec(text)) return null;
      after = m.lastIndex;
      try {
        value = JSON.parse(text.slice(i, after)) as string;
      } catch {
        return null;
      }
    } else if (q === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return null;
      value = text.slice(i + 1, close);
      if (/[\\\r\n]/.test(value)) return null;
      after = close + 1;
    } else {
      return null;
    }
    elements.push({ value, start: i, end: after, quote: q });
    i = skip(after);
    if (text[i] === ']') return { elements, close: i + 1 };
    if (text[i] !== ',') return null;
    i = skip(i + 1);
  }
}

/**
 * A CMD/ENTRYPOINT written as an array that Docker does not read as JSON, so it runs the text
 * through /bin/sh -c and the container fails at start. Repaired where what was meant is plain: a
 * comment after the array moves to its own line above, single quotes become double quotes.
 */
function repairArray(doc: Doc, instr: Instr): Finding {
  const range = { start: instr.start, end: instr.end };
  const array = looseArray(doc, instr.argsStart, instr.argsEnd);
  const rest = array ? doc.text.slice(array.close, instr.argsEnd) : '';
  const comment = /^[ \t]*(#[^\r\n]*)$/.exec(rest)?.[1].trimEnd();
  const unreadable: Finding = {
    message: `${instr.keyword} is written like an exec-form array but is not valid JSON, so Docker runs the text as a shell command (/bin/sh -c), which fails at start; left as is: write it as a JSON array of double-quoted strings, alone on its line`,
    range,
    severity: 'warning',
  };
  if (!array || (rest !== '' && comment === undefined)) return unreadable;
  const edits: Edit[] = array.elements
    .filter((e) => e.quote === "'")
    .map((e) => ({ start: e.start, end: e.end, text: JSON.stringify(e.value) }));
  const why: string[] = [];
  if (edits.length > 0) why.push('single quotes are not JSON');
  if (comment !== undefined) {
    why.push(`\`${comment}\` after the array is part of its text: a comment must start its line`);
    edits.push(
      { start: array.close, end: instr.end, text: '' },
      doc.insertBefore(instr, [comment]),
    );
  }
  if (why.length === 0) return unreadable;
  const json = encodeJsonArray(array.elements.map((e) => e.value));
  return {
    message: `${instr.keyword} is not exec form (${why.join('; ')}): Docker runs it as a shell command (/bin/sh -c), where it fails at start; now ${instr.keyword} ${json}${comment !== undefined ? ', the comment on the line above' : ''}`,
    range,
    edits,
  };
}
