// The bundled server stays responsive under a burst of edits: edits coalesce, requests answer for the text current
// when they run, and a pull that was cancelled or superseded returns at once instead of analysing an old text.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';

import { MODEL_FINDINGS } from '@engine';

import { SERVER_JS } from '../helpers/paths';
import {
  PULL_CLIENT,
  PUSH_CLIENT,
  ServerProcess,
  TempWorkspace,
  within,
  type LspDiagnostic,
  type PublishedDiagnostics,
} from './lsp-client';

const BURST = 200;
/** `LSPErrorCodes.RequestCancelled` and `LSPErrorCodes.ServerCancelled`. */
const REQUEST_CANCELLED = -32800;
const SERVER_CANCELLED = -32802;

/** Edit `i` of a burst: a valid pipeline whose only job is `job<i>`, shifted down by a varying number of lines. */
function edit(i: number): string {
  return `${'# pad\n'.repeat(i % 20)}job${i}:\n  script: docker build .\n`;
}

/** The last text: an unterminated flow sequence, detected on the `tags` line (after 25 padding lines: line 27). */
const LAST_TEXT = `${'# pad\n'.repeat(25)}build:\n  script: ["docker build .", x\n  tags: [a]\n`;
const LAST_ERROR_LINE = 27;

function syntaxErrors(items: readonly LspDiagnostic[]): LspDiagnostic[] {
  return items.filter((d) => d.code === MODEL_FINDINGS.yamlSyntax.id);
}

async function rejection(promise: Promise<unknown>, what: string): Promise<ResponseError<unknown>> {
  const outcome = await within(
    promise.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    ),
    what,
  );
  assert.equal(outcome.ok, false, `${what} was answered: ${JSON.stringify(outcome.ok && outcome.value)}`);
  if (outcome.ok || !(outcome.error instanceof ResponseError)) throw new Error(`${what}: not a ResponseError`);
  return outcome.error;
}

describe('responsiveness over stdio', { skip: existsSync(SERVER_JS) ? false : `${SERVER_JS} is not built` }, () => {
  let ws: TempWorkspace;
  let server: ServerProcess;
  const uri = (): string => ws.uri('.gitlab-ci.yml');

  beforeEach(() => {
    ws = new TempWorkspace({ '.gitlab-ci.yml': edit(0) });
    server = new ServerProcess();
  });

  afterEach(() => {
    server.kill();
    ws.dispose();
  });

  test(`${BURST} edits in a burst, then a pull: the report is for the last text`, async () => {
    await server.initialize(ws.uri(), PULL_CLIENT);
    await server.open(uri(), 'yaml', edit(0));
    for (let i = 1; i <= BURST; i++) await server.change(uri(), edit(i), i + 1);
    await server.change(uri(), LAST_TEXT, BURST + 2);
    const report = await server.pull(uri());
    const errors = syntaxErrors(report.items);
    assert.equal(errors.length, 1, JSON.stringify(report.items));
    assert.equal(errors[0]?.range.start.line, LAST_ERROR_LINE);
    assert.equal(await server.stop(), 0);
  });

  test('a hover sent in the middle of a burst is answered, for the text current when it was sent', async () => {
    await server.initialize(ws.uri(), PULL_CLIENT);
    await server.open(uri(), 'yaml', edit(0));
    // Settings are fetched once, by the first analysis; the hover then runs without waiting for the client.
    assert.deepEqual(syntaxErrors((await server.pull(uri())).items), []);
    const middle = BURST / 2;
    for (let i = 1; i <= middle; i++) await server.change(uri(), edit(i), i + 1);
    const line = middle % 20;
    const hover = server.request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri: uri() },
      position: { line, character: 2 },
    });
    for (let i = middle + 1; i <= BURST; i++) await server.change(uri(), edit(i), i + 1);
    const answer = await hover;
    assert.ok(answer, 'the hover was answered with nothing');
    assert.match(answer.contents.value, new RegExp(`\\*\\*Job \`job${middle}\`\\*\\*`));
    const report = await server.pull(uri());
    assert.deepEqual(syntaxErrors(report.items), []);
  });

  test('a pull cancelled while edits are queued returns RequestCancelled, and the next pull answers', async () => {
    await server.initialize(ws.uri(), PULL_CLIENT);
    await server.open(uri(), 'yaml', edit(0));
    for (let i = 1; i <= BURST; i++) void server.change(uri(), edit(i), i + 1);
    const source = new CancellationTokenSource();
    const cancelled = server.connection.sendRequest(
      'textDocument/diagnostic',
      { textDocument: { uri: uri() } },
      source.token,
    );
    source.cancel();
    assert.equal((await rejection(cancelled, 'the cancelled pull')).code, REQUEST_CANCELLED);
    await server.change(uri(), LAST_TEXT, BURST + 2);
    assert.equal(syntaxErrors((await server.pull(uri())).items)[0]?.range.start.line, LAST_ERROR_LINE);
  });

  test('a pull whose version an edit superseded while it ran asks to be retriggered', async () => {
    await server.initialize(ws.uri(), PULL_CLIENT);
    await server.open(uri(), 'yaml', edit(0));
    // The first pull fetches the settings; the edit is sent before they are answered, so it lands mid-request.
    server.connection.onRequest('workspace/configuration', async (p: { items: unknown[] }) => {
      await server.change(uri(), LAST_TEXT, 2);
      return p.items.map(() => ({}));
    });
    const error = await rejection(server.pull(uri()), 'the superseded pull');
    assert.equal(error.code, SERVER_CANCELLED);
    assert.deepEqual(error.data, { retriggerRequest: true });
    const retriggered = await server.pull(uri());
    assert.equal(syntaxErrors(retriggered.items)[0]?.range.start.line, LAST_ERROR_LINE);
  });

  test('push: a burst of edits is published once settled, with the version of the text analysed', async () => {
    const published: PublishedDiagnostics[] = [];
    let settled: (p: PublishedDiagnostics) => void = () => undefined;
    const last = new Promise<PublishedDiagnostics>((resolve) => (settled = resolve));
    server.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      published.push(p);
      if (p.uri === uri() && p.version === BURST + 2) settled(p);
    });
    await server.initialize(ws.uri(), PUSH_CLIENT);
    await server.open(uri(), 'yaml', edit(0));
    for (let i = 1; i <= BURST; i++) await server.change(uri(), edit(i), i + 1);
    await server.change(uri(), LAST_TEXT, BURST + 2);
    const final = await within(last, 'diagnostics for the last version');
    assert.equal(syntaxErrors(final.diagnostics)[0]?.range.start.line, LAST_ERROR_LINE);
    const superseded = published.filter((p) => p.uri === uri() && p !== final);
    assert.ok(superseded.length <= 1, `diagnostics were published for ${superseded.length} superseded versions`);
  });
});
