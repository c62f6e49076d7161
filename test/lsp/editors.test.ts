// The language server as a non-VS Code editor (Neovim, Helix, Emacs) drives it over `--stdio`: no
// `workspace/configuration`, no workspace folders (only rootUri or rootPath, or neither), no pull diagnostics, no
// initializationOptions. Diagnostics must still arrive by push, and nothing may crash or log a failure.

import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, test } from 'node:test';

import { ServerProcess, TempWorkspace, within } from './lsp-client';

const PIPELINE = `build:
  image: docker:24.0.9-cli
  services:
    - docker:24.0.9-dind
  variables:
    DOCKER_HOST: tcp://docker:2376
  script:
    - docker build .
`;

const RUNNER_OK = `[[runners]]
  name = "r"
  executor = "docker"
  [runners.docker]
    image = "alpine"
    privileged = true
    volumes = ["/cache", "/certs/client"]
`;

const RUNNER_NO_CERTS = RUNNER_OK.replace(', "/certs/client"', '');

/** A bare editor: push diagnostics only, no configuration, no folders, no code action literals, no watchers. */
const BARE_CLIENT = { textDocument: { publishDiagnostics: {} }, workspace: {} };

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function start(files: Record<string, string>): { server: ServerProcess; ws: TempWorkspace } {
  const ws = new TempWorkspace(files);
  const server = new ServerProcess();
  cleanups.push(() => {
    server.kill();
    ws.dispose();
  });
  return { server, ws };
}

/** `initialize` exactly as given (no folders added), then `initialized`. */
async function initialize(server: ServerProcess, params: Record<string, unknown>): Promise<void> {
  await server.request('initialize', { processId: process.pid, capabilities: BARE_CLIENT, ...params });
  await server.connection.sendNotification('initialized', {});
}

const codes = (p: { diagnostics: { code?: string | number }[] }): (string | number | undefined)[] =>
  p.diagnostics.map((d) => d.code);

/** Nothing the server logged is a failed handler or an unhandled rejection. */
function assertNoFailures(server: ServerProcess): void {
  const bad = [...server.logs, ...server.stderr].filter((m) => /failed|unhandled|error/i.test(m));
  assert.deepEqual(bad, []);
}

describe('language server for editors other than VS Code (--stdio)', () => {
  test('rootUri only, no configuration support: diagnostics are pushed with the discovered runner config', async () => {
    const { server, ws } = start({ '.gitlab-ci.yml': PIPELINE, 'runner/config.toml': RUNNER_NO_CERTS });
    await initialize(server, { rootUri: ws.uri() });
    await server.open(ws.uri('.gitlab-ci.yml'), 'yaml', PIPELINE);
    const p = await server.diagnosticsFor(ws.uri('.gitlab-ci.yml'), (d) => d.diagnostics.length > 0);
    assert.ok(codes(p).includes('dind/tls-certs-volume-missing'), JSON.stringify(codes(p)));
    assert.equal(await server.stop(), 0);
    assertNoFailures(server);
  });

  test('rootPath only (no rootUri, no folders): the folder is still the workspace root', async () => {
    const { server, ws } = start({ '.gitlab-ci.yml': PIPELINE, 'runner/config.toml': RUNNER_NO_CERTS });
    await initialize(server, { rootPath: ws.root });
    await server.open(ws.uri('.gitlab-ci.yml'), 'yaml', PIPELINE);
    const p = await server.diagnosticsFor(ws.uri('.gitlab-ci.yml'), (d) => d.diagnostics.length > 0);
    assert.ok(codes(p).includes('dind/tls-certs-volume-missing'), JSON.stringify(codes(p)));
    assert.equal(await server.stop(), 0);
    assertNoFailures(server);
  });

  test('neither rootUri nor rootPath, initializationOptions absent: an opened pipeline gets pushed diagnostics', async () => {
    const { server, ws } = start({});
    await initialize(server, { rootUri: null });
    const uri = ws.uri('.gitlab-ci.yml');
    await server.open(uri, 'yaml', 'job:\n  script: [unclosed\n');
    const p = await server.diagnosticsFor(uri, (d) => d.diagnostics.length > 0);
    assert.ok(codes(p).includes('dind/yaml-syntax'), JSON.stringify(codes(p)));
    assert.equal(await server.stop(), 0);
    assertNoFailures(server);
  });

  test('a file opened from outside the workspace folder gets pushed diagnostics', async () => {
    const { server, ws } = start({ '.gitlab-ci.yml': 'lint:\n  script: [echo]\n' });
    const outside = new TempWorkspace({});
    cleanups.push(() => outside.dispose());
    await initialize(server, { rootUri: ws.uri(), workspaceFolders: null, initializationOptions: null });
    const uri = outside.uri('.gitlab-ci.yml');
    await server.open(uri, 'yaml', 'job:\n  script: [unclosed\n');
    const p = await server.diagnosticsFor(uri, (d) => d.diagnostics.length > 0);
    assert.ok(codes(p).includes('dind/yaml-syntax'), JSON.stringify(codes(p)));
    assertNoFailures(server);
  });

  test('shutdown without exit: the server answers shutdown and ends when the client closes the pipe', async () => {
    const { server, ws } = start({ '.gitlab-ci.yml': PIPELINE });
    await initialize(server, { rootUri: ws.uri() });
    await server.open(ws.uri('.gitlab-ci.yml'), 'yaml', PIPELINE);
    await server.diagnosticsFor(ws.uri('.gitlab-ci.yml'));
    assert.equal(await server.request('shutdown', null), null);
    server.process.stdin?.end();
    const code = await within(server.exited, 'the server to exit after its input closed');
    assert.notEqual(code, null, 'the server exits by itself rather than being killed');
    assertNoFailures(server);
  });

  test('$/cancelRequest for a finished or unknown request is ignored, and the server keeps serving', async () => {
    const { server, ws } = start({ '.gitlab-ci.yml': PIPELINE });
    await initialize(server, { rootUri: ws.uri() });
    const uri = ws.uri('.gitlab-ci.yml');
    await server.open(uri, 'yaml', PIPELINE);
    await server.connection.sendNotification('$/cancelRequest', { id: 987654 });
    await server.connection.sendNotification('$/cancelRequest', { id: 'no-such-request' });
    const hover = await server.request<unknown>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 3, character: 8 },
    });
    assert.notEqual(hover, undefined);
    assert.equal(await server.stop(), 0);
    assertNoFailures(server);
  });

  test('a request cancelled in flight gets an answer (its result or RequestCancelled) and the server keeps serving', async () => {
    const { server, ws } = start({ '.gitlab-ci.yml': PIPELINE });
    await initialize(server, { rootUri: ws.uri() });
    const uri = ws.uri('.gitlab-ci.yml');
    await server.open(uri, 'yaml', PIPELINE);
    const source = new (await import('vscode-jsonrpc/node')).CancellationTokenSource();
    const pending = server.connection.sendRequest(
      'textDocument/hover',
      { textDocument: { uri }, position: { line: 3, character: 8 } },
      source.token,
    );
    source.cancel();
    const outcome = await within(
      pending.then(
        () => 'answered',
        (e: { code?: number }) => e.code,
      ),
      'the cancelled hover',
    );
    assert.ok(outcome === 'answered' || outcome === -32800, `unexpected outcome ${String(outcome)}`);
    assert.equal(await server.stop(), 0);
    assertNoFailures(server);
  });

  test('didChangeWatchedFiles for a config.toml changed on disk pushes fresh diagnostics', async () => {
    const { server, ws } = start({ '.gitlab-ci.yml': PIPELINE, 'runner/config.toml': RUNNER_NO_CERTS });
    await initialize(server, { rootUri: ws.uri() });
    const uri = ws.uri('.gitlab-ci.yml');
    await server.open(uri, 'yaml', PIPELINE);
    const before = await server.diagnosticsFor(uri, (d) => codes(d).includes('dind/tls-certs-volume-missing'));
    assert.ok(before.diagnostics.length > 0);
    ws.write('runner/config.toml', RUNNER_OK);
    await server.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(`${ws.root}/runner/config.toml`).href, type: 2 }],
    });
    const after = await server.diagnosticsFor(uri, (d) => !codes(d).includes('dind/tls-certs-volume-missing'));
    assert.ok(!codes(after).includes('dind/tls-certs-volume-missing'));
    assert.equal(await server.stop(), 0);
    assertNoFailures(server);
  });
});
