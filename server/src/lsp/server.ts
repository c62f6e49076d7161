// The handlers: the only code that touches the LSP connection. Capabilities are negotiated from the client's;
// analysis lives in `Workspace`, conversions in `convert`.

import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type ConnectionOptions,
  type DiagnosticServerCancellationData,
  type ResponseMessage,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
  TextDocumentSyncKind,
  TextDocuments,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type CompletionItem,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type DocumentLink,
  type Hover,
  type InitializeParams,
  type Location,
  type InitializeResult,
  type Position,
  type ServerCapabilities,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createHash } from 'node:crypto';

import {
  completionsAt,
  DEFAULT_SETTINGS,
  definitionsAt,
  documentLinks,
  findingKey,
  fixesFor,
  hoverAt,
  MESSAGES,
  msg,
  normalizeLocale,
  renderEffectiveJob,
  runnerStatus,
  sanitizeSettings,
  SETTINGS_SECTION,
  type FeatureOptions,
  type Finding,
  type Locale,
  type Settings,
} from '../engine/index';
import {
  DIAGNOSTIC_SOURCE,
  FIX_ALL_KIND,
  fixAll,
  fixDataKeepsSyntax,
  quickFixes,
  toDiagnostic,
  toFixData,
  type ConvertContext,
  type FixData,
} from './convert';
import { FaultLog } from './faults';
import { toCompletionItems, toDocumentLinks, toHover, toLocations } from './features';
import { DocumentIndex, LspHost } from './host';
import {
  EffectiveJobRequest,
  ListJobsRequest,
  RunnerStatusRequest,
  type EffectiveJobResult,
  type InitializationOptions,
  type RunnerStatusResult,
} from './protocol';
import { pathToUri, uriToPath } from './uri';
import { Workspace, type FolderAnalysis } from './workspace';

/** What the client can do, decided once in `initialize`. */
interface Negotiated {
  readonly pullDiagnostics: boolean;
  readonly refreshDiagnostics: boolean;
  readonly codeActions: boolean;
  readonly documentChanges: boolean;
  readonly configuration: boolean;
  readonly workspaceFolders: boolean;
  readonly watchFiles: boolean;
}

/** Delay after the last edit before other files' diagnostics are refreshed or pushed (a burst of edits coalesces). */
const REFRESH_DELAY_MS = 150;

/**
 * Connection options for `createConnection`: a request the client cancels before it was dispatched (a diagnostic
 * pull overtaken by the next keystroke) is answered at once and never computed.
 */
export const CONNECTION_OPTIONS: ConnectionOptions = {
  connectionStrategy: {
    cancelUndispatched: (message): ResponseMessage | undefined =>
      'id' in message && (typeof message.id === 'number' || typeof message.id === 'string')
        ? {
            jsonrpc: '2.0',
            id: message.id,
            error: { code: LSPErrorCodes.RequestCancelled, message: 'The request was cancelled before it ran.' },
          }
        : undefined,
  },
};

export function negotiate(caps: ClientCapabilities): Negotiated {
  return {
    pullDiagnostics: caps.textDocument?.diagnostic !== undefined,
    refreshDiagnostics: caps.workspace?.diagnostics?.refreshSupport === true,
    codeActions: caps.textDocument?.codeAction?.codeActionLiteralSupport !== undefined,
    documentChanges: caps.workspace?.workspaceEdit?.documentChanges === true,
    configuration: caps.workspace?.configuration === true,
    workspaceFolders: caps.workspace?.workspaceFolders === true,
    watchFiles: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
  };
}

export class DindLanguageServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly index = new DocumentIndex(
    () => this.documents.all(),
    (uri) => this.documents.get(uri),
  );
  private readonly host = new LspHost(this.index);
  private negotiated: Negotiated = negotiate({});
  private trusted = true;
  /** The client's UI language (InitializeParams.locale): messages and fix titles are rendered in it. */
  private locale: Locale = 'en';
  private workspace: Workspace = this.createWorkspace();
  private readonly settingsCache = new Map<string, Promise<Settings>>();
  /** Settings pushed with `didChangeConfiguration`, for clients without `workspace/configuration`. */
  private pushedSettings: unknown = undefined;
  /** URIs that received pushed diagnostics (to clear them when a file stops being ours). */
  private readonly published = new Set<string>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every change that makes analyses stale; a push computed for an older generation is dropped. */
  private generation = 0;
  private readonly faults: FaultLog;

  constructor(private readonly connection: Connection) {
    this.faults = new FaultLog((message) => connection.console.error(message));
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => this.guard('initialized', undefined, () => this.initialized()));
    c.onDidChangeConfiguration((params) =>
      this.guard('didChangeConfiguration', undefined, () => {
        this.pushedSettings = (params.settings as Record<string, unknown> | null)?.[SETTINGS_SECTION];
        this.settingsCache.clear();
        this.workspace.invalidateAll(false);
        this.generation++;
        this.scheduleRefresh(0);
      }),
    );
    c.onDidChangeWatchedFiles(() =>
      this.guard('didChangeWatchedFiles', undefined, () => {
        this.host.forgetDisk();
        this.workspace.invalidateAll(true);
        this.generation++;
        this.scheduleRefresh(0);
      }),
    );
    this.documents.onDidOpen((e) => this.guard('didOpen', undefined, () => this.documentChanged(e.document.uri, true)));
    this.documents.onDidChangeContent((e) =>
      this.guard('didChange', undefined, () => this.documentChanged(e.document.uri, false)),
    );
    this.documents.onDidClose((e) => this.guard('didClose', undefined, () => this.documentClosed(e.document.uri)));
    c.languages.diagnostics.on((params, token) =>
      this.guard('textDocument/diagnostic', emptyReport(), () => this.pullDiagnostics(params.textDocument.uri, token)),
    );
    c.languages.diagnostics.onWorkspace((params, token) =>
      this.guard('workspace/diagnostic', { items: [] }, () =>
        this.workspaceDiagnostics(params.previousResultIds, token),
      ),
    );
    c.onCodeAction((params, token) => this.guard('textDocument/codeAction', [], () => this.codeActions(params, token)));
    c.onRequest(ListJobsRequest, (params) => this.guard('listJobs', [], () => this.listJobs(params.uri)));
    c.onRequest(EffectiveJobRequest, (params) =>
      this.guard('effectiveJob', { content: '' }, () => this.effectiveJob(params.uri, params.job)),
    );
    c.onRequest(RunnerStatusRequest, (params) => this.guard('runnerStatus', null, () => this.runnerStatus(params.uri)));
    c.onHover((params, token) =>
      this.guard('textDocument/hover', null, () => this.hover(params.textDocument.uri, params.position, token)),
    );
    c.onCompletion((params, token) =>
      this.guard('textDocument/completion', [], () => this.completion(params.textDocument.uri, params.position, token)),
    );
    c.onDocumentLinks((params) =>
      this.guard('textDocument/documentLink', [], () => this.documentLinks(params.textDocument.uri)),
    );
    c.onDefinition((params, token) =>
      this.guard('textDocument/definition', [], () => this.definition(params.textDocument.uri, params.position, token)),
    );
    c.onShutdown(() => clearTimeout(this.refreshTimer));
    this.documents.listen(c);
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.negotiated = negotiate(params.capabilities);
    this.locale = normalizeLocale(params.locale);
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    this.trusted = options.trusted !== false;
    this.workspace = this.createWorkspace();
    this.setFolders(initialFolders(params));

    const n = this.negotiated;
    const capabilities: ServerCapabilities = {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [':', ' ', '=', '-'] },
      documentLinkProvider: { resolveProvider: false },
      definitionProvider: true,
    };
    if (n.pullDiagnostics) {
      capabilities.diagnosticProvider = {
        identifier: DIAGNOSTIC_SOURCE,
        interFileDependencies: true,
        workspaceDiagnostics: true,
      };
    }
    if (n.codeActions) {
      capabilities.codeActionProvider = { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] };
    }
    return { capabilities, serverInfo: { name: 'gitlab-ci-dind' } };
  }

  private async initialized(): Promise<void> {
    if (this.negotiated.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) =>
        this.guard('didChangeWorkspaceFolders', undefined, async () => {
          const folders = (await this.connection.workspace.getWorkspaceFolders()) ?? [];
          this.setFolders(folders.length > 0 || e.added.length === 0 ? folders : e.added);
          this.settingsCache.clear();
          this.scheduleRefresh(0);
        }),
      );
    }
    if (this.negotiated.watchFiles) {
      await this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yml,yaml,toml}' }],
      });
    }
  }

  private createWorkspace(): Workspace {
    return new Workspace(
      {
        host: this.host,
        openPaths: () => [...this.index.entries()].map(([p]) => p),
        settings: (uri) => this.settingsFor(uri),
        trusted: this.trusted,
        analysed: (result) => this.faults.report(result.analysis.findings),
      },
      (path) => this.uriOf(path),
    );
  }

  private setFolders(folders: readonly WorkspaceFolder[]): void {
    const mapped = folders.flatMap((f) => {
      const path = uriToPath(f.uri);
      return path === undefined ? [] : [{ path, uri: f.uri }];
    });
    this.workspace.setFolders(mapped);
  }

  private settingsFor(scopeUri: string): Promise<Settings> {
    let settings = this.settingsCache.get(scopeUri);
    if (!settings) {
      settings = this.negotiated.configuration
        ? this.connection.workspace.getConfiguration({ scopeUri, section: SETTINGS_SECTION }).then(
            (raw) => sanitizeSettings(raw),
            (e: unknown) => {
              this.logError('workspace/configuration', e);
              return DEFAULT_SETTINGS;
            },
          )
        : Promise.resolve(sanitizeSettings(this.pushedSettings));
      this.settingsCache.set(scopeUri, settings);
    }
    return settings;
  }

  /** The open document's own URI when there is one (clients spell URIs differently), else the file URI. */
  private uriOf(path: string): string {
    return this.index.byPath(path)?.uri ?? pathToUri(path);
  }

  private documentChanged(uri: string, opened: boolean): void {
    if (opened) this.index.invalidate();
    const path = uriToPath(uri);
    if (path === undefined) return;
    this.workspace.changed(path);
    this.generation++;
    this.scheduleRefresh(REFRESH_DELAY_MS);
  }

  private documentClosed(uri: string): void {
    this.index.invalidate();
    const path = uriToPath(uri);
    if (path !== undefined) this.workspace.changed(path);
    this.workspace.pruneLoose();
    this.generation++;
    this.scheduleRefresh(REFRESH_DELAY_MS);
  }

  /** After a change, other files' diagnostics are refreshed (pull) or pushed again. */
  private scheduleRefresh(delay: number): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      if (this.negotiated.pullDiagnostics) {
        if (this.negotiated.refreshDiagnostics) {
          this.connection.languages.diagnostics.refresh().catch((e: unknown) => this.logError('refresh', e));
        }
      } else {
        this.pushAll().catch((e: unknown) => this.logError('publishDiagnostics', e));
      }
    }, delay);
  }

  /**
   * Publishes the diagnostics of every folder with an open document. A change during the run supersedes it: nothing
   * computed for the older texts is published (the change scheduled another run), and each report carries the
   * document version its analysis saw.
   */
  private async pushAll(): Promise<void> {
    const generation = this.generation;
    const next = new Map<string, { diagnostics: Diagnostic[]; version: number | undefined }>();
    const openFolders = new Set([...this.index.entries()].map(([p]) => this.workspace.folderFor(p)));
    for (const folder of openFolders) {
      const result = await this.workspace.analysisOf(folder);
      if (this.generation !== generation) return;
      const ctx = this.convertContext(result);
      for (const file of result.owned) {
        const uri = this.uriOf(file);
        const diagnostics = (result.findingsByFile.get(file) ?? []).map((f) => toDiagnostic(ctx, f));
        next.set(uri, { diagnostics, version: this.documents.get(uri)?.version });
      }
    }
    for (const uri of this.published) if (!next.has(uri)) next.set(uri, { diagnostics: [], version: undefined });
    this.published.clear();
    for (const [uri, { diagnostics, version }] of next) {
      if (diagnostics.length > 0) this.published.add(uri);
      await this.connection.sendDiagnostics(
        version === undefined ? { uri, diagnostics } : { uri, version, diagnostics },
      );
    }
  }

  private convertContext(result: FolderAnalysis): ConvertContext {
    return { sources: result.analysis.sources, uriOf: (p) => this.uriOf(p), locale: this.locale };
  }

  /** The analysis that owns `uri`, or undefined when the file is not ours. */
  private async ownerOf(uri: string): Promise<{ path: string; result: FolderAnalysis } | undefined> {
    const path = uriToPath(uri);
    if (path === undefined) return undefined;
    const result = await this.workspace.analysisFor(path);
    return result.owned.has(path) ? { path, result } : undefined;
  }

  /**
   * The diagnostics of the newest version of `uri`. A pull that the client cancelled, or whose version a later
   * `didChange` superseded before it ran, returns at once without analysing (superseded: `ServerCancelled` with
   * `retriggerRequest`, so the client asks again for the new version).
   */
  private async pullDiagnostics(uri: string, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    const version = this.documents.get(uri)?.version;
    await this.checkpoint(token);
    this.throwIfSuperseded(uri, version);
    const owner = await this.ownerOf(uri);
    this.throwIfCancelled(token);
    this.throwIfSuperseded(uri, version);
    if (!owner) return emptyReport();
    const ctx = this.convertContext(owner.result);
    const items = (owner.result.findingsByFile.get(owner.path) ?? []).map((f) => toDiagnostic(ctx, f));
    return { kind: DocumentDiagnosticReportKind.Full, items };
  }

  /**
   * Diagnostics of every file of every workspace folder's analysis, so that problems show in files that are not open
   * (a config.toml that breaks a pipeline). Reports whose diagnostics did not change since the client's previous
   * result id are sent as `unchanged`.
   */
  private async workspaceDiagnostics(
    previous: readonly { uri: string; value: string }[],
    token: CancellationToken,
  ): Promise<WorkspaceDiagnosticReport> {
    const known = new Map(previous.map((p) => [p.uri, p.value]));
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    const seen = new Set<string>();
    for (const folder of this.workspace.allFolders()) {
      await this.checkpoint(token);
      const result = await this.workspace.analysisOf(folder);
      const ctx = this.convertContext(result);
      for (const path of result.owned) {
        const uri = this.uriOf(path);
        if (seen.has(uri)) continue;
        seen.add(uri);
        const diagnostics = (result.findingsByFile.get(path) ?? []).map((f) => toDiagnostic(ctx, f));
        const resultId = createHash('sha1').update(JSON.stringify(diagnostics)).digest('hex');
        const version = this.documents.get(uri)?.version ?? null;
        items.push(
          known.get(uri) === resultId
            ? { kind: DocumentDiagnosticReportKind.Unchanged, uri, version, resultId }
            : { kind: DocumentDiagnosticReportKind.Full, uri, version, resultId, items: diagnostics },
        );
      }
    }
    return { items };
  }

  private async codeActions(params: CodeActionParams, token: CancellationToken): Promise<CodeAction[]> {
    await this.checkpoint(token);
    const owner = await this.ownerOf(params.textDocument.uri);
    if (!owner) return [];
    const only = params.context.only;
    const wants = (kind: string): boolean =>
      only === undefined || only.some((k) => k === '' || kind === k || kind.startsWith(`${k}.`));
    const documentChanges = this.negotiated.documentChanges;
    const actions: CodeAction[] = [];
    const analysis = owner.result.analysis;
    const findings = owner.result.findingsByFile.get(owner.path) ?? [];
    const ctx = this.convertContext(owner.result);
    if (wants(CodeActionKind.QuickFix)) {
      // Deferred fixes are computed from the analysis the diagnostics came from; a diagnostic of an older analysis
      // whose finding is gone offers none, and edits for an older document version fail `isCurrent`.
      let byKey: Map<string, Finding> | undefined;
      const resolve = (key: string): FixData[] => {
        byKey ??= new Map(findings.map((f) => [findingKey(f), f]));
        const finding = byKey.get(key);
        return finding ? fixesFor(analysis, finding).map((fix) => toFixData(ctx, fix)) : [];
      };
      actions.push(
        ...quickFixes(
          params.context.diagnostics,
          documentChanges,
          (uri, v) => this.isCurrent(uri, v),
          (fix) => fixDataKeepsSyntax(ctx, fix, uriToPath),
          resolve,
        ),
      );
    }
    if (wants(FIX_ALL_KIND)) {
      const all = fixAll(ctx, findings, documentChanges, (f) => fixesFor(analysis, f));
      if (all) actions.push(all);
    }
    return actions;
  }

  /** Whether an edit computed for `version` of `uri` still fits the document (files not open: always). */
  private isCurrent(uri: string, version: number | null): boolean {
    if (version === null) return true;
    return this.documents.get(uri)?.version === version;
  }

  private async listJobs(uri: string): Promise<string[]> {
    const owner = await this.ownerOf(uri);
    if (!owner) return [];
    const pipeline = this.workspace.pipelineOf(owner.result, owner.path);
    return [...new Set(pipeline?.jobs.map((j) => j.name) ?? [])];
  }

  private async effectiveJob(uri: string, job: string): Promise<EffectiveJobResult> {
    const owner = await this.ownerOf(uri);
    const pipeline = owner && this.workspace.pipelineOf(owner.result, owner.path);
    if (!owner || !pipeline)
      return { content: `# ${MESSAGES.render(this.locale, msg('features.render.no-pipeline'))}\n` };
    const content = renderEffectiveJob(pipeline, job, owner.result.analysis.sources, owner.result.root, this.locale);
    return {
      content:
        content ?? `# ${MESSAGES.render(this.locale, msg('features.render.no-job', { job: JSON.stringify(job) }))}\n`,
    };
  }

  /** What the editor features need: the folder, its settings and the client's locale. */
  private featureOptions(result: FolderAnalysis): FeatureOptions {
    return { root: result.root, settings: result.settings, locale: this.locale };
  }

  /**
   * The analysis of the folder holding `uri` and the engine offset of `position` in it. When the document changed
   * while the analysis waited (for settings), `position` no longer fits it: `ContentModified`, as LSP prescribes.
   */
  private async at(
    uri: string,
    position: Position,
  ): Promise<{ path: string; result: FolderAnalysis; offset: number } | undefined> {
    const path = uriToPath(uri);
    if (path === undefined) return undefined;
    const version = this.documents.get(uri)?.version;
    const result = await this.workspace.analysisFor(path);
    if (this.documents.get(uri)?.version !== version) {
      throw new ResponseError(LSPErrorCodes.ContentModified, 'The document changed while the request ran.');
    }
    const source = result.analysis.sources.file(path);
    if (!source) return undefined;
    return { path, result, offset: source.lines.offsetAt(position) };
  }

  private async hover(uri: string, position: Position, token: CancellationToken): Promise<Hover | null> {
    await this.checkpoint(token);
    const here = await this.at(uri, position);
    if (!here) return null;
    const { path, result, offset } = here;
    const hover = hoverAt(result.analysis, path, offset, this.featureOptions(result));
    return hover && toHover(this.convertContext(result), path, hover);
  }

  private async completion(uri: string, position: Position, token: CancellationToken): Promise<CompletionItem[]> {
    await this.checkpoint(token);
    const here = await this.at(uri, position);
    if (!here) return [];
    const { path, result, offset } = here;
    const entries = completionsAt(result.analysis, path, offset, this.featureOptions(result));
    return toCompletionItems(this.convertContext(result), path, entries);
  }

  private async documentLinks(uri: string): Promise<DocumentLink[]> {
    const owner = await this.ownerOf(uri);
    if (!owner) return [];
    const links = documentLinks(owner.result.analysis, owner.path, { root: owner.result.root });
    return toDocumentLinks(this.convertContext(owner.result), owner.path, links);
  }

  private async definition(uri: string, position: Position, token: CancellationToken): Promise<Location[]> {
    await this.checkpoint(token);
    const here = await this.at(uri, position);
    if (!here) return [];
    const targets = definitionsAt(here.result.analysis, here.path, here.offset);
    return toLocations(this.convertContext(here.result), targets);
  }

  private async runnerStatus(uri: string): Promise<RunnerStatusResult | null> {
    const path = uriToPath(uri);
    if (path === undefined) return null;
    const result = await this.workspace.analysisFor(path);
    const status = runnerStatus(result.analysis, this.featureOptions(result));
    return {
      label: status.label,
      configs: status.configs.map((f) => this.uriOf(f)),
      assumed: status.assumed,
      available: result.available.map((f) => this.uriOf(f)),
      folder: result.inFolder ? pathToUri(result.root) : null,
    };
  }

  /**
   * Yields one turn of the event loop, so that input already received is read (a `$/cancelRequest` marks its token),
   * then throws `RequestCancelled` when the client no longer wants the answer.
   */
  private async checkpoint(token: CancellationToken): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.throwIfCancelled(token);
  }

  private throwIfCancelled(token: CancellationToken): void {
    if (token.isCancellationRequested) {
      throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
    }
  }

  /** A pull computed for `version` while the document is at a newer one is dropped; the client asks again. */
  private throwIfSuperseded(uri: string, version: number | undefined): void {
    if (this.documents.get(uri)?.version === version) return;
    throw new ResponseError<DiagnosticServerCancellationData>(
      LSPErrorCodes.ServerCancelled,
      'A newer version of the document superseded this request.',
      { retriggerRequest: true },
    );
  }

  /**
   * Runs a handler; an exception is logged and answered with `fallback`, and the server keeps serving. A
   * `ResponseError` (cancellation) is the answer itself and passes through.
   */
  private async guard<T>(name: string, fallback: T, body: () => T | Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      this.logError(name, e);
      return fallback;
    }
  }

  private logError(name: string, e: unknown): void {
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    this.connection.console.error(`${name} failed: ${detail}`);
  }
}

/**
 * The workspace folders a client announced: `workspaceFolders`, else the deprecated `rootUri`, else the older
 * `rootPath` (editors other than VS Code often send only one of these, or none).
 */
export function initialFolders(params: InitializeParams): WorkspaceFolder[] {
  if (params.workspaceFolders && params.workspaceFolders.length > 0) return params.workspaceFolders;
  if (params.rootUri) return [{ uri: params.rootUri, name: 'root' }];
  const rootPath = params.rootPath;
  if (typeof rootPath === 'string' && rootPath !== '') return [{ uri: pathToUri(rootPath), name: 'root' }];
  return [];
}

function emptyReport(): DocumentDiagnosticReport {
  return { kind: DocumentDiagnosticReportKind.Full, items: [] };
}
