/**
 * `dockmig lsp`: the migration as an editor's diagnostics and code actions, over the Language
 * Server Protocol. It runs beside whatever Dockerfile server the editor has and says only what
 * dockmig would change: one diagnostic per finding, a quick-fix per fixed finding (its lone fix,
 * from core/review.ts, so it is the change `--interactive` would make), and
 * `source.fixAll.dockmig` for the whole change set.
 *
 * The buffer is migrated, not the file on disk; the build context around it (pyproject.toml,
 * uv.lock, .dockerignore, scripts, the config file) is read from disk as the command line reads
 * it. Work is debounced per document, and a newer change or a cancelled request drops stale work.
 */
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  type CancellationToken,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type InitializeParams,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { migrate } from '../core/engine.js';
import { fixAlone, type ReviewInput } from '../core/review.js';
import type { MigrationOptions, MigrationResult } from '../core/types.js';
import { failureOf } from '../errors.js';
import { stdioConnection } from '../io/lsp-stdio.js';
import { isDockerfileName } from '../io/discover.js';
import {
  FIX_ALL_KIND,
  diagnosticsOf,
  findingRange,
  fixAllAction,
  overlaps,
  quickFixAction,
  refusal,
  type Buffer,
  type EditSupport,
} from './lsp-translate.js';
import { resolveRunOptions, type CommandLine } from './options.js';
import { reviewInput } from './process-file.js';

/** How long after the last keystroke a buffer is migrated again. */
export const DEBOUNCE_MS = 200;

/** What the migration of one Dockerfile needs that the command line decides: its options. */
export interface Settings {
  /** The migration options for this Dockerfile (absolute path) and its build context directory. */
  forFile(file: string): { options: MigrationOptions; contextDir: string };
  debounceMs?: number;
}

/**
 * The options as `dockmig` run in the Dockerfile's directory would resolve them: the config file
 * is searched upward from there, flags given to `dockmig lsp` win over it.
 */
export function commandLineSettings(cl: Omit<CommandLine, 'paths' | 'pathsGiven'>): Settings {
  // Paths given to `dockmig lsp` are relative to where the editor started it.
  const config = cl.flags.config;
  const flags = {
    ...cl.flags,
    ...(typeof config === 'string' ? { config: resolve(cl.cwd, config) } : {}),
  };
  return {
    forFile(file) {
      const run = resolveRunOptions({
        ...cl,
        flags,
        flagsCwd: cl.cwd,
        cwd: dirname(file),
        paths: ['.'],
        pathsGiven: true,
      });
      const options = run.optionsFor?.(file) ?? run.migration;
      // The editor asks no registry: digests come only from a --digests file.
      const digests = run.pinning ? { digests: run.pinning.known } : {};
      return { options: { ...options, ...digests }, contextDir: run.context ?? dirname(file) };
    },
  };
}

/** One migration of one version of a buffer. */
interface Analysis {
  buffer: Buffer;
  /** The Dockerfile's path relative to the build context (the change set's name for it). */
  dockerfile: string;
  contextDir: string;
  review: ReviewInput | null;
  result: MigrationResult | null;
  /** Why nothing could be migrated (a config file in error, an exception), or null. */
  failure: string | null;
}

const nextTurn = () => new Promise<void>((done) => setImmediate(done));

function fileOf(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  const file = fileURLToPath(uri);
  return isDockerfileName(basename(file)) ? file : null;
}

export function serve(connection: Connection, settings: Settings): void {
  const documents = new TextDocuments(TextDocument);
  const debounce = settings.debounceMs ?? DEBOUNCE_MS;
  const timers = new Map<string, NodeJS.Timeout>();
  const latest = new Map<string, Analysis>();
  let support: EditSupport = { documentChanges: false, create: false };

  const current = (buffer: Buffer) => documents.get(buffer.uri)?.version === buffer.version;
  const log = (text: string) => connection.console.log(text);

  /** The buffer migrated; a failure of any kind becomes the analysis' one reason. */
  function analyse(file: string, buffer: Buffer): Analysis {
    let contextDir = dirname(file);
    let dockerfile = basename(file);
    try {
      const forFile = settings.forFile(file);
      contextDir = forFile.contextDir;
      dockerfile = relative(contextDir, file).split(sep).join('/');
      const review = reviewInput(file, buffer.text, dockerfile, contextDir, forFile.options);
      const result = migrate(review.input, review.options, review.transforms);
      if (result.internal) log(`dockmig: ${file}: ${result.internal}`);
      return { buffer, dockerfile, contextDir, review, result, failure: null };
    } catch (error) {
      const { message, stack } = failureOf(error);
      log(`dockmig: ${file}: ${message}${stack ? `\n${stack}` : ''}`);
      return { buffer, dockerfile, contextDir, review: null, result: null, failure: message };
    }
  }

  function bufferOf(uri: string): Buffer | null {
    const doc = documents.get(uri);
    return doc ? { uri, version: doc.version, text: doc.getText() } : null;
  }

  /** The analysis of the buffer as it is now: the last one when it is still current. */
  function analysisNow(uri: string): Analysis | null {
    const file = fileOf(uri);
    const buffer = bufferOf(uri);
    if (!file || !buffer) return null;
    const known = latest.get(uri);
    if (known && known.buffer.version === buffer.version) return known;
    const fresh = analyse(file, buffer);
    latest.set(uri, fresh);
    return fresh;
  }

  async function publish(uri: string): Promise<void> {
    const version = documents.get(uri)?.version;
    // Let a change already waiting on the connection land first: it has its own turn coming.
    await nextTurn();
    const buffer = bufferOf(uri);
    if (buffer?.version !== version) return;
    // A code action asked since the change may have migrated this version already.
    const analysis = buffer && analysisNow(uri);
    if (!analysis) return;
    const diagnostics = analysis.failure
      ? [refusal(buffer, analysis.failure)]
      : diagnosticsOf(buffer, analysis.result!);
    await connection.sendDiagnostics({ uri, version: buffer.version, diagnostics });
  }

  function schedule(uri: string, delay: number): void {
    clearTimeout(timers.get(uri));
    if (!fileOf(uri)) return;
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        publish(uri).catch((error: unknown) => log(`dockmig: ${uri}: ${String(error)}`));
      }, delay),
    );
  }

  async function codeActions(
    params: CodeActionParams,
    token: CancellationToken,
  ): Promise<CodeAction[] | null> {
    const uri = params.textDocument.uri;
    const analysis = analysisNow(uri);
    if (!analysis?.result || !analysis.review) return null;
    const { buffer, dockerfile, contextDir, review, result } = analysis;
    const uriOf = (path: string) => pathToFileURL(resolve(contextDir, path)).href;
    const only = params.context.only;
    const wants = (kind: string) =>
      !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    const actions: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      for (const finding of result.findings) {
        if (!finding.fixed || !overlaps(findingRange(buffer, finding), params.range)) continue;
        // Each lone fix is a few more migrations: give a cancel or a keystroke the chance to stop it.
        await nextTurn();
        if (token.isCancellationRequested || !current(buffer)) return null;
        const lone = fixAlone(review, result, finding);
        const action = lone && quickFixAction(buffer, dockerfile, finding, lone, uriOf, support);
        if (action) actions.push(action);
      }
    }
    if (wants(FIX_ALL_KIND)) {
      const all = fixAllAction(buffer, dockerfile, result, uriOf, support);
      if (all) actions.push(all);
    }
    return token.isCancellationRequested || !current(buffer) ? null : actions;
  }

  connection.onInitialize((params: InitializeParams) => {
    const edit = params.capabilities.workspace?.workspaceEdit;
    support = {
      // Resource operations exist only in `documentChanges`: a client naming them takes those
      // (Neovim 0.7 applies them and names `create` without saying `documentChanges`).
      documentChanges: Boolean(edit?.documentChanges || edit?.resourceOperations?.length),
      create: Boolean(edit?.resourceOperations?.includes('create')),
    };
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      },
      serverInfo: { name: 'dockmig' },
    };
  });
  // Opening fires both events: an opened file is migrated at once, an edited one after a pause.
  const opening = new Set<string>();
  documents.onDidOpen((e) => opening.add(e.document.uri));
  documents.onDidChangeContent((e) =>
    schedule(e.document.uri, opening.delete(e.document.uri) ? 0 : debounce),
  );
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    latest.delete(e.document.uri);
    if (fileOf(e.document.uri))
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  connection.onCodeAction(async (params, token) => {
    try {
      return await codeActions(params, token);
    } catch (error) {
      const { message, stack } = failureOf(error);
      log(`dockmig: ${params.textDocument.uri}: ${message}${stack ? `\n${stack}` : ''}`);
      return null;
    }
  });
  documents.listen(connection);
  connection.listen();
}

/** The server on stdin and stdout, until the client says exit or closes the pipe. */
export function lsp(cl: Omit<CommandLine, 'paths' | 'pathsGiven'>): number {
  serve(stdioConnection(), commandLineSettings(cl));
  return 0;
}
