// A minimal LSP client for tests: spawns the bundled server over stdio and speaks JSON-RPC to it. No sleeps:
// every wait is a response or a notification, bounded by a deadline.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach } from 'node:test';
import { pathToFileURL } from 'node:url';

import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';

import { SERVER_JS } from '../helpers/paths';

export const DEADLINE_MS = 10_000;

/** Rejects when `promise` does not settle within `ms`. */
export async function within<T>(promise: Promise<T>, what: string, ms = DEADLINE_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: LspDiagnostic[];
}

export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  data?: unknown;
}

export interface LspTextEdit {
  range: LspDiagnostic['range'];
  newText: string;
}

export interface LspCodeAction {
  title: string;
  kind?: string;
  isPreferred?: boolean;
  diagnostics?: LspDiagnostic[];
  edit?: {
    changes?: Record<string, LspTextEdit[]>;
    documentChanges?: { textDocument: { uri: string; version: number | null }; edits: LspTextEdit[] }[];
  };
}

/** A temporary workspace folder on disk. */
export class TempWorkspace {
  readonly root: string;

  constructor(files: Record<string, string> = {}) {
    this.root = mkdtempSync(join(tmpdir(), 'gitlab-ci-dind-lsp-'));
    for (const [rel, text] of Object.entries(files)) this.write(rel, text);
  }

  write(rel: string, text: string): string {
    const full = join(this.root, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    return full;
  }

  uri(rel = ''): string {
    return pathToFileURL(rel === '' ? this.root : join(this.root, rel)).href;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A workspace and a server for the test that is running (see `serverPerTest`). */
export interface PerTest {
  readonly ws: TempWorkspace;
  readonly server: ServerProcess;
}

/**
 * For each test of the calling file, a new workspace with `files` and a new server process, both disposed of after
 * the test (registered with `beforeEach`/`afterEach`; call at the top level of a test file).
 */
export function serverPerTest(files: Record<string, string>): PerTest {
  let current: PerTest | undefined;
  beforeEach(() => {
    current = { ws: new TempWorkspace(files), server: new ServerProcess() };
  });
  afterEach(() => {
    current?.server.kill();
    current?.ws.dispose();
    current = undefined;
  });
  const now = (): PerTest => {
    if (!current) throw new Error('serverPerTest: used outside a test');
    return current;
  };
  return {
    get ws() {
      return now().ws;
    },
    get server() {
      return now().server;
    },
  };
}

export class ServerProcess {
  readonly process: ChildProcess;
  readonly connection: MessageConnection;
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  /** Settings answered to `workspace/configuration`. */
  settings: unknown = {};
  private readonly published: PublishedDiagnostics[] = [];
  private readonly waiters: {
    test: (p: PublishedDiagnostics) => boolean;
    resolve: (p: PublishedDiagnostics) => void;
  }[] = [];
  private readonly logWaiters: { pattern: RegExp; resolve: (message: string) => void }[] = [];
  readonly exited: Promise<number | null>;

  constructor() {
    this.process = spawn(process.execPath, [SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.process.on('exit', (code) => resolve(code)));
    this.process.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    if (!this.process.stdout || !this.process.stdin) throw new Error('the server process has no stdio');
    this.connection = createMessageConnection(
      new StreamMessageReader(this.process.stdout),
      new StreamMessageWriter(this.process.stdin),
    );
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      this.published.push(p);
      for (const w of [...this.waiters]) {
        if (w.test(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      for (const w of [...this.logWaiters]) {
        if (w.pattern.test(p.message)) {
          this.logWaiters.splice(this.logWaiters.indexOf(w), 1);
          w.resolve(p.message);
        }
      }
    });
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/diagnostic/refresh', () => null);
    this.connection.listen();
  }

  /** The next (or an already received) `publishDiagnostics` for `uri` that satisfies `test`. */
  diagnosticsFor(uri: string, test: (p: PublishedDiagnostics) => boolean = () => true): Promise<PublishedDiagnostics> {
    const match = (p: PublishedDiagnostics): boolean => p.uri === uri && test(p);
    const seen = [...this.published].reverse().find(match);
    if (seen) return Promise.resolve(seen);
    return within(
      new Promise((resolve) => this.waiters.push({ test: match, resolve })),
      `publishDiagnostics for ${uri}`,
    );
  }

  /** A `window/logMessage` matching `pattern`, received already or next. */
  logMessage(pattern: RegExp): Promise<string> {
    const seen = this.logs.find((m) => pattern.test(m));
    if (seen !== undefined) return Promise.resolve(seen);
    return within(new Promise((resolve) => this.logWaiters.push({ pattern, resolve })), `a log message ${pattern}`);
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return within(this.connection.sendRequest<R>(method, params), method);
  }

  async initialize(
    rootUri: string,
    capabilities: object,
    initializationOptions?: object,
    locale?: string,
  ): Promise<InitializeResult> {
    const result = await this.request<InitializeResult>('initialize', {
      processId: process.pid,
      ...(locale ? { locale } : {}),
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'ws' }],
      capabilities,
      ...(initializationOptions ? { initializationOptions } : {}),
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  async open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId, version, text },
    });
  }

  async change(uri: string, text: string, version: number): Promise<void> {
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  pull(uri: string): Promise<{ kind: string; items: LspDiagnostic[] }> {
    return this.request('textDocument/diagnostic', { textDocument: { uri } });
  }

  /** The code actions for `diagnostics` of `uri` (all kinds, or those of `only`). */
  codeActions(uri: string, diagnostics: readonly LspDiagnostic[], only?: readonly string[]): Promise<LspCodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return this.request('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics, ...(only ? { only } : {}) },
    });
  }

  /** `shutdown`, `exit`, and the process's exit code. */
  async stop(): Promise<number | null> {
    await this.request('shutdown', null);
    await this.connection.sendNotification('exit');
    const code = await within(this.exited, 'the server process to exit');
    this.connection.dispose();
    return code;
  }

  kill(): void {
    this.connection.dispose();
    if (this.process.exitCode === null) this.process.kill();
  }
}

export interface InitializeResult {
  capabilities: {
    diagnosticProvider?: { interFileDependencies: boolean };
    codeActionProvider?: { codeActionKinds?: string[] };
    textDocumentSync?: unknown;
  };
}

/** Capabilities of a VS Code-like client: pull diagnostics, code actions, versioned workspace edits. */
export const PULL_CLIENT = {
  textDocument: {
    synchronization: { dynamicRegistration: false },
    diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } },
      dataSupport: true,
    },
  },
  workspace: {
    configuration: true,
    workspaceFolders: true,
    diagnostics: { refreshSupport: true },
    workspaceEdit: { documentChanges: true },
  },
};

/** An older client: no pull diagnostics, no code actions, no `workspace/configuration`. */
export const PUSH_CLIENT = {
  textDocument: { publishDiagnostics: { relatedInformation: true } },
  workspace: {},
};
