// A minimal stdio LSP client for the benchmark and the soak: spawns a server, speaks JSON-RPC, measures.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { DIST, ROOT } from './lib.mjs';

const require = createRequire(`${ROOT}/package.json`);
const rpc = require('vscode-jsonrpc/node');

export class LspProcess {
  constructor(command, args, onRequest = {}) {
    this.process = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr.on('data', () => {});
    this.connection = rpc.createMessageConnection(
      new rpc.StreamMessageReader(this.process.stdout),
      new rpc.StreamMessageWriter(this.process.stdin),
    );
    this.waiters = [];
    this.connection.onNotification('textDocument/publishDiagnostics', (p) => {
      for (const w of [...this.waiters]) {
        if (w.test(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onNotification(() => {});
    this.connection.onRequest('workspace/configuration', (p) => p.items.map((i) => onRequest.configuration?.(i) ?? {}));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/diagnostic/refresh', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  request(method, params) {
    return this.connection.sendRequest(method, params);
  }

  notify(method, params) {
    return this.connection.sendNotification(method, params);
  }

  /** The next publishDiagnostics satisfying `test`, or a rejection after `ms`. */
  published(test, ms = 60_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for publishDiagnostics')), ms);
      this.waiters.push({
        test,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** Resident set size now and at its peak (Linux /proc), in MB; undefined elsewhere. */
  memory() {
    try {
      const status = readFileSync(`/proc/${this.process.pid}/status`, 'utf8');
      const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
      return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
    } catch {
      return undefined;
    }
  }

  async stop() {
    try {
      await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
      await this.notify('exit');
    } catch {
      // The process may already be gone.
    }
    this.connection.dispose();
    if (this.process.exitCode === null) this.process.kill();
  }
}

/** Capabilities of a VS Code-like client with pull diagnostics. */
export const PULL_CAPS = {
  textDocument: {
    synchronization: { dynamicRegistration: false },
    diagnostic: { dynamicRegistration: false },
    publishDiagnostics: { versionSupport: true },
  },
  workspace: { configuration: true, workspaceFolders: true, diagnostics: { refreshSupport: true } },
};

export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** `files` (relative path → text) written to a new temporary folder named with `prefix`; returns its path. */
export function writeWorkspace(files, prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

/**
 * `files` written to a new temporary folder (`prefix` names it) and the bundled stdio server initialised on it, with
 * its `config.toml` as the runner config (`nodeArgs` go to node before the script). `open(path)` opens a file of the
 * workspace and returns its URI; `dispose()` stops the server and removes the folder.
 */
export async function serverOnWorkspace(files, prefix, nodeArgs = []) {
  const dir = writeWorkspace(files, prefix);
  const server = new LspProcess(process.execPath, [...nodeArgs, join(DIST, 'server.js'), '--stdio'], {
    configuration: () => ({ runnerConfigs: [join(dir, 'config.toml')] }),
  });
  const dispose = async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const rootUri = pathToFileURL(dir).href;
    await server.request('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'ws' }],
      capabilities: PULL_CAPS,
    });
    await server.notify('initialized', {});
  } catch (e) {
    await dispose();
    throw e;
  }
  const open = async (path) => {
    const uri = pathToFileURL(join(dir, path)).href;
    await server.notify('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 0, text: files[path] },
    });
    return uri;
  };
  return { server, open, dispose };
}
