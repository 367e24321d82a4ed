/**
 * CMD uvicorn app:app --port 8000          ->  CMD ["uvicorn", "app:app", "--port", "8000"]
 * CMD uvicorn app:app --port ${PORT}       ->  CMD ["sh", "-c", "exec uvicorn app:app --port ${PORT}"]
 * CMD alembic upgrade head && uvicorn app  ->  CMD ["sh", "-c", "alembic upgrade head && exec uvicorn app"]
 * CMD ["sh", "-c", "uvicorn app"]          ->  CMD ["sh", "-c", "exec uvicorn app"]
 * CMD uvicorn app # the API                ->  # the API
 *                                              CMD ["uvicorn", "app"]
 *
 * In the final stage. Comment lines inside a continued CMD move above it. Reported, not fixed: a
 * pipeline or a background job, exec-form text that is not valid JSON (Docker runs it through a
 * shell), a shell-form ENTRYPOINT beside a CMD (in exec form it would receive the CMD as arguments).
 */
import { defineTransform } from '../src/core/transform.js';
import { encodeJsonArray, type Doc, type Instr } from '../src/core/document.js';
import { execWords, shellWrapped } from '../src/core/command.js';
import { parseShell, type ShellScript, type ShellStatement } from '../src/core/shell.js';
import type { Finding } from '../src/core/types.js';

export default defineTransform({
  id: 'exec-form',
  title: 'Exec-form CMD and ENTRYPOINT',
  rationale:
    'A shell-form command runs under /bin/sh -c, which does not forward SIGTERM: the program never ' +
    'hears `docker stop`, and is killed after the timeout (exit 137) without draining requests. ' +
    'In exec form the program is PID 1 and receives the signal. Where the shell is needed for ' +
    '${VARIABLES}, `sh -c "exec ..."` lets the program replace the shell.',
  uvOnly: false,
  detect(doc) {
    const stage = doc.finalStage;
    if (!stage) return [];
    const findings: Finding[] = [];
    const hasCmd = stage.instructions.some((i) => i.keyword === 'CMD');
    const shellPrefix = shellOf(doc, stage.instructions);
    for (const instr of stage.instructions) {
      if (instr.keyword !== 'CMD' && instr.keyword !== 'ENTRYPOINT') continue;
      const range = { start: instr.start, end: instr.end };
      if (instr.jsonInvalid) {
        findings.push({
          message: `${instr.keyword} looks like exec form but is not valid JSON (double quotes are required), so Docker runs it through a shell; left as is`,
          range,
          severity: 'warning',
        });
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
      findings.push(...toExec(doc, instr, shellPrefix));
    }
    return findings;
  },
});

function shellOf(doc: Doc, instructions: Instr[]): string[] {
  const shell = [...instructions].reverse().find((i) => i.keyword === 'SHELL' && i.json);
  return shell?.json ?? ['sh', '-c'];
}

function toExec(doc: Doc, instr: Instr, shellPrefix: string[]): Finding[] {
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
