// Paths and small helpers shared by the e2e harness scripts (install, run, electron).
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
/** Git-ignored working folder of the harness: code-server, tools, user data, logs. */
export const E2E_DIR = join(ROOT, '.e2e');
/** The newest code-server whose `engines.node` is 20; it bundles VS Code 1.100.3. */
export const CODE_SERVER_VERSION = '4.100.3';
export const NODE_GYP_VERSION = '12';
export const CODE_SERVER_PREFIX = join(E2E_DIR, 'code-server');
export const CODE_SERVER_PKG = join(CODE_SERVER_PREFIX, 'node_modules', 'code-server');
export const CODE_SERVER_ENTRY = join(CODE_SERVER_PKG, 'out', 'node', 'entry.js');
export const INSTALL_MARKER = join(CODE_SERVER_PREFIX, '.installed.json');
export const TOOLS_PREFIX = join(E2E_DIR, 'tools');
export const CHROMIUM = '/usr/bin/chromium';
export const RIPGREP = '/usr/bin/rg';
/** Where the compiled extension-host suite lands (see build-suite.mjs). */
export const SUITE_OUT = join(ROOT, 'out', 'e2e');
export const SUITE_INDEX = join(SUITE_OUT, 'suite', 'index.js');
export const FIXTURES = join(ROOT, 'test', 'e2e', 'fixtures');
export const SCREENSHOTS = join(E2E_DIR, 'screenshots');
export const DOC_IMAGES = join(ROOT, 'docs', 'images');

/** What a completed install must match; a different Node ABI needs the native modules rebuilt. */
export function installStamp() {
  return { codeServer: CODE_SERVER_VERSION, nodeAbi: process.versions.modules, platform: process.platform };
}

export function isInstalled() {
  if (!existsSync(INSTALL_MARKER) || !existsSync(CODE_SERVER_ENTRY)) return false;
  try {
    const stamp = JSON.parse(readFileSync(INSTALL_MARKER, 'utf8'));
    return JSON.stringify(stamp) === JSON.stringify(installStamp());
  } catch {
    return false;
  }
}

/** Node's own headers beside the running binary, so node-gyp builds offline instead of downloading them. */
export function localNodeDir() {
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
}

/**
 * Runs a command, appending its output to `logFile`. Resolves on exit code 0; rejects with the log's tail otherwise.
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd: string, env?: NodeJS.ProcessEnv, logFile: string }} opts
 */
export function run(cmd, args, opts) {
  return new Promise((resolvePromise, reject) => {
    const log = createWriteStream(opts.logFile, { flags: 'a' });
    log.write(`\n$ (cd ${opts.cwd} && ${cmd} ${args.join(' ')})\n`);
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const keep = (chunk) => {
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) => {
      log.end();
      reject(new Error(`${cmd} could not start: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      log.end(() => {
        if (code === 0) resolvePromise();
        else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`}); last output:\n${tail}`));
      });
    });
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePromise(port));
    });
  });
}
