/**
 * EXPOSE 8000                  ->  EXPOSE 8000
 * CMD ["uvicorn", ...]             HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
 *                                      CMD ["python", "-c", "import socket; socket.create_connection(('127.0.0.1', 8000), 4).close()"]
 *                                  CMD ["uvicorn", ...]
 * HEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1
 *                              ->  HEALTHCHECK CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8000/health', timeout=4)"]
 *
 * Only for a known port (EXPOSE, or --port/--bind/-b/--server.port in the command). A TCP connect
 * by default; an HTTP GET with --health-path (urlopen fails on 4xx/5xx); streamlit's own
 * /_stcore/health. `HEALTHCHECK NONE` is respected; a curl/wget check stays when the runtime
 * stage installs curl/wget itself. Silent when no port is known (there is nothing to check) and
 * on images without Python (ubuntu, distroless), where the check could not run.
 */
import { defineTransform } from '../src/core/transform.js';
import { encodeJsonArray, type Doc, type Instr, type Stage } from '../src/core/document.js';
import { programWords } from '../src/core/command.js';
import { stageHasPython } from '../src/core/images.js';
import type { Finding, MigrationOptions } from '../src/core/types.js';

const OPTIONS = '--interval=30s --timeout=5s --start-period=10s --retries=3';

export default defineTransform({
  id: 'healthcheck',
  title: 'A HEALTHCHECK that works in a slim image',
  rationale:
    'Without a HEALTHCHECK, Docker and Compose report a hung server as running. Slim images have no ' +
    'curl or wget, so a check that calls them always fails; the Python standard library is always ' +
    'there. The check is in exec form, so it needs no shell either.',
  uvOnly: true,
  pip: true,
  detect(doc, _ctx, options) {
    if (!options.healthcheck) return [];
    return doc.runtimeStages().flatMap((stage) => inStage(doc, stage, options));
  },
});

/** The HEALTHCHECK of one stage the image can be built to run. */
function inStage(doc: Doc, stage: Stage, options: MigrationOptions): Finding[] {
  // The check runs `python`: only a stage on a Python image has it on PATH.
  if (!stageHasPython(doc, stage)) return [];
  const existing = stage.instructions.filter((i) => i.keyword === 'HEALTHCHECK');
  if (existing.length > 0) return existing.flatMap((h) => rewriteCurl(doc, stage, h));
  const starts = stage.instructions.filter(
    (i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT',
  );
  if (starts.length === 0) return [];
  const words = starts.flatMap((i) => programWords(doc, i)).flat();
  const port = portOf(doc, stage, words);
  if (port === null) return [];
  const streamlit = words.some((w) => w === 'streamlit');
  const path = options.healthPath ?? (streamlit ? '/_stcore/health' : null);
  const code = path
    ? `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${port}${path}', timeout=4)`
    : `import socket; socket.create_connection(('127.0.0.1', ${port}), 4).close()`;
  const text = doc.continued([
    `HEALTHCHECK ${OPTIONS}`,
    `CMD ${encodeJsonArray(['python', '-c', code])}`,
  ]);
  return [
    {
      message: `a HEALTHCHECK ${path ? `GETs http://127.0.0.1:${port}${path}` : `connects to port ${port}`} with Python's standard library`,
      range: { start: starts[0].start, end: starts[0].end },
      edits: [doc.insertBefore(starts[0], [text], true)],
    },
  ];
}

function portOf(doc: Doc, stage: Stage, words: (string | null)[]): number | null {
  const exposed = doc.ports(stage).find((p) => p.protocol === 'tcp');
  if (exposed) return exposed.port;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === null) continue;
    const eq = /^(--port|--server\.port)=(\d+)$/.exec(w);
    if (eq) return Number(eq[2]);
    const bindEq = /^(--bind|-b)=?.*:(\d+)$/.exec(w);
    if (bindEq && w.includes('=')) return Number(bindEq[2]);
    const next = words[i + 1];
    if ((w === '--port' || w === '--server.port' || w === '-p') && next && /^\d+$/.test(next))
      return Number(next);
    if ((w === '--bind' || w === '-b') && next) {
      const m = /:(\d+)$/.exec(next);
      if (m) return Number(m[1]);
    }
  }
  return null;
}

/** `curl -f URL` / `wget -q --spider URL` in a slim runtime: the same request with urllib. */
function rewriteCurl(doc: Doc, stage: Stage, instr: Instr): Finding[] {
  const body = doc.healthcheckCommand(instr);
  if (!body) return [];
  const text = doc.logical(body.start, body.end).trim();
  let words: string[];
  if (instr.json) {
    words = instr.json;
    if (words[0] === 'CMD-SHELL') words = words.slice(1).join(' ').split(/\s+/);
    else if (words[0] === 'CMD') words = words.slice(1);
  } else if (text.startsWith('[')) {
    // An array that is not valid JSON: what it would run is not clear.
    return [];
  } else {
    words = text.split(/\s+/);
  }
  const tool = words[0]?.split('/').pop();
  if (tool !== 'curl' && tool !== 'wget') return [];
  const installs = stage.instructions.some(
    (i) =>
      i.keyword === 'RUN' &&
      doc.shell(i).commands.some((c) => {
        const v = c.words.map((w) => w.value);
        return (v.includes('install') || v.includes('add')) && v.includes(tool);
      }),
  );
  if (installs) return [];
  const url = words.find((w) => /^https?:\/\//.test(w));
  const range = { start: instr.start, end: instr.end };
  if (!url || words.some((w) => w.includes('$'))) {
    return [
      {
        message: `the HEALTHCHECK calls ${tool}, which a slim image does not have, and its URL is not a plain literal; left as is`,
        range,
        severity: 'warning',
      },
    ];
  }
  const code = `import urllib.request; urllib.request.urlopen(${JSON.stringify(url).replace(/^"|"$/g, "'")}, timeout=4)`;
  const json = encodeJsonArray(['python', '-c', code]);
  return [
    {
      message: `the HEALTHCHECK called ${tool}, which a slim image does not have; it makes the same request with urllib`,
      range,
      edits: [{ start: body.start, end: instr.end, text: json }],
    },
  ];
}
