/**
 * The language server's behaviour between messages, with the server and a protocol client joined
 * by in-memory streams: which files it migrates, with which options, when it publishes (the last
 * of a burst of changes only), what a failure becomes, and that closing clears. Neovim's view of
 * the same server is test/e2e/lsp-neovim.test.ts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createConnection,
  CancellationTokenSource,
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { commandLineSettings, serve } from '../../src/commands/lsp.js';
import { cleanup, tempDir } from '../helpers/cli.js';

interface Session {
  client: ProtocolConnection;
  /** Every publishDiagnostics so far, in order. */
  published: PublishDiagnosticsParams[];
  /** The next publishDiagnostics for `uri` from now on. */
  next(uri: string): Promise<PublishDiagnosticsParams>;
}

let session: Session;
let dir: string;

async function start(flags: Record<string, unknown> = {}): Promise<Session> {
  const up = new PassThrough();
  const down = new PassThrough();
  const server = createConnection(new StreamMessageReader(up), new StreamMessageWriter(down));
  const settings = commandLineSettings({
    flags,
    given: (key) => key in flags,
    cwd: dir,
    version: '0.0.0',
    env: {},
  });
  serve(server, { ...settings, debounceMs: 30 });
  const client = createProtocolConnection(
    new StreamMessageReader(down),
    new StreamMessageWriter(up),
  );
  const published: PublishDiagnosticsParams[] = [];
  const waiting: { uri: string; done: (p: PublishDiagnosticsParams) => void }[] = [];
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    const i = waiting.findIndex((w) => w.uri === p.uri);
    if (i >= 0) waiting.splice(i, 1)[0].done(p);
  });
  client.listen();
  await client.sendRequest('initialize', {
    processId: null,
    rootUri: null,
    capabilities: { workspace: { workspaceEdit: { documentChanges: true } } },
  });
  client.sendNotification('initialized', {});
  return {
    client,
    published,
    next: (uri) => new Promise((done) => waiting.push({ uri, done })),
  };
}

/** A project's directory (pyproject.toml, uv.lock, an app); the URI of its Dockerfile. */
function project(name: string): string {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true });
  const all = {
    'pyproject.toml': '[project]\nname = "api"\nversion = "1"\nrequires-python = ">=3.11"\n',
    'uv.lock': '',
    'main.py': '',
  };
  for (const [path, text] of Object.entries(all)) writeFileSync(join(root, path), text);
  writeFileSync(join(root, 'Dockerfile'), 'FROM scratch\n');
  return pathToFileURL(join(root, 'Dockerfile')).href;
}

const open = (uri: string, text: string) =>
  session.client.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'dockerfile', version: 1, text },
  });
const change = (uri: string, version: number, text: string) =>
  session.client.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [{ text }],
  });
const codes = (d: Diagnostic[]) => d.map((x) => x.code);

const LEGACY = 'FROM python:3\nWORKDIR /app\nCOPY . .\nRUN uv sync\nCMD ["uv", "run", "main.py"]\n';

beforeEach(() => {
  dir = tempDir('dockmig-lsp-unit-');
});
afterEach(() => {
  session?.client.dispose();
  cleanup();
});

describe('dockmig lsp', () => {
  it("migrates the buffer, not the file on disk, with the project's context", async () => {
    session = await start();
    const uri = project('api');
    const published = session.next(uri);
    open(uri, LEGACY);
    const { diagnostics, version } = await published;
    expect(version).toBe(1);
    // requires-python >=3.11 from pyproject.toml; the disk's `FROM scratch` would say nothing.
    expect(diagnostics.find((d) => d.code === 'pin-python-base')?.message).toContain(
      'python:3.11-slim-trixie',
    );
  });

  it('takes the options of the config file found upward from the Dockerfile, and its own flags over them', async () => {
    writeFileSync(join(dir, 'dockmig.config.json'), JSON.stringify({ python: '3.10', uid: 2000 }));
    session = await start({ uid: 3000 });
    const uri = project('svc');
    const published = session.next(uri);
    open(uri, LEGACY);
    const messages = (await published).diagnostics.map((d) => d.message).join('\n');
    expect(messages).toContain('python:3.10-slim-trixie');
    expect(messages).toContain('3000:3000');
  });

  it('publishes once for a burst of changes, for the last version', async () => {
    session = await start();
    const uri = project('api');
    const opened = session.next(uri);
    open(uri, LEGACY);
    await opened;
    const published = session.next(uri);
    change(uri, 2, LEGACY.replace('python:3', 'python:3.13'));
    change(uri, 3, LEGACY.replace('python:3', 'python:3.12'));
    change(uri, 4, LEGACY.replace('python:3\n', 'python:3.12-slim-trixie\n'));
    const last = await published;
    expect(last.version).toBe(4);
    expect(codes(last.diagnostics)).not.toContain('pin-python-base');
    expect(session.published.map((p) => p.version)).toEqual([1, 4]);
  });

  it('leaves files that are not Dockerfiles to other servers', async () => {
    session = await start();
    const uri = project('api');
    const published = session.next(uri);
    open(uri.replace(/Dockerfile$/, 'main.py'), 'print(1)\n');
    open(uri, LEGACY);
    await published;
    expect(session.published.map((p) => p.uri)).toEqual([uri]);
  });

  it('turns a config file it cannot read into one diagnostic, and goes on serving', async () => {
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'dockmig.config.json'), '{ "uid": ');
    session = await start();
    const bad = project('bad');
    const refused = session.next(bad);
    open(bad, LEGACY);
    const { diagnostics } = await refused;
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0].severity).toBe(1);
    expect(diagnostics[0].message).toMatch(
      /^dockmig cannot migrate this file: .*dockmig\.config\.json/,
    );
    const good = project('good');
    const served = session.next(good);
    open(good, LEGACY);
    expect(codes((await served).diagnostics)).toContain('pin-python-base');
  });

  it('clears the diagnostics of a closed file', async () => {
    session = await start();
    const uri = project('api');
    const opened = session.next(uri);
    open(uri, LEGACY);
    expect((await opened).diagnostics.length).toBeGreaterThan(0);
    const cleared = session.next(uri);
    session.client.sendNotification('textDocument/didClose', { textDocument: { uri } });
    expect((await cleared).diagnostics).toEqual([]);
  });

  it('answers code actions for the buffer as it is, the whole migration among them', async () => {
    session = await start();
    const uri = project('api');
    open(uri, LEGACY);
    const actions = (await session.client.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } },
      context: { diagnostics: [] },
    })) as { kind: string; title: string }[];
    expect(actions.map((a) => a.kind)).toContain('quickfix');
    expect(actions.find((a) => a.title.startsWith('dockmig pin-python-base'))).toBeDefined();
    expect(actions.at(-1)?.kind).toBe('source.fixAll.dockmig');
  });

  it('drops the quick-fixes it was computing when the buffer changes or the request is cancelled', async () => {
    session = await start();
    const uri = project('api');
    open(uri, LEGACY);
    const whole = {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } },
      context: { diagnostics: [] },
    };
    // Each lone fix waits a turn: the change, sent right behind the request, lands before the next.
    const asked = session.client.sendRequest('textDocument/codeAction', whole);
    change(uri, 2, LEGACY.replace('RUN uv sync', 'RUN uv sync --frozen'));
    expect(await asked).toBeNull();
    const source = new CancellationTokenSource();
    const cancelled = session.client.sendRequest('textDocument/codeAction', whole, source.token);
    source.cancel();
    expect(await cancelled).toBeNull();
    // And the buffer as it is now still gets its fixes.
    const now = (await session.client.sendRequest('textDocument/codeAction', whole)) as unknown[];
    expect(now.length).toBeGreaterThan(1);
  });
});
