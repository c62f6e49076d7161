// A rule that throws: its fault becomes a `dind/internal-error` diagnostic and one log line (however often the
// analysis runs), the other rules still report, and the server keeps answering. The server runs in this process,
// over in-memory streams, so that one rule of its engine can be replaced by a throwing one.

import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, mock, test } from 'node:test';

import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';

import { MODEL_FINDINGS, msg, type Finding } from '@engine';

// The server's own engine instance (the bundled `@engine` is a separate copy the server does not see).
import { RULES, type Rule } from '../../server/src/engine/index';
import { FaultLog, MAX_LOGGED_FAULTS } from '../../server/src/lsp/faults';
import { CONNECTION_OPTIONS, DindLanguageServer } from '../../server/src/lsp/server';
import { PULL_CLIENT, TempWorkspace, within, type LspDiagnostic } from './lsp-client';

const FAULTY_RULE = 'dind/certs-volume-shared';
const PIPELINE = `build:
  image: docker:27.5.1-cli
  services:
    - docker:27.5.1-dind
  script: docker build .
`;
const RUNNER = `[[runners]]
  name = "dind-runner"
  executor = "docker"
  [runners.docker]
    image = "alpine"
    privileged = false
    volumes = ["/certs", "/cache"]
`;

function internalError(file: string, detail: Parameters<typeof msg>[1]): Finding {
  const l10n = msg('core.internal-error', detail);
  return {
    ruleId: MODEL_FINDINGS.internalError.id,
    severity: 'error',
    message: `Internal error: ${JSON.stringify(detail)}`,
    l10n,
    file,
    span: { start: 0, end: 0 },
    job: null,
    runner: null,
    related: [],
    fixes: [],
  };
}

describe('FaultLog', () => {
  const ruleFault = (rule: string, file = '/w/config.toml'): Finding =>
    internalError(file, { detail: msg('core.rule-failed', { rule, detail: 'Error: boom' }) });

  test('logs each failing rule once, however often and wherever it fails', () => {
    const lines: string[] = [];
    const log = new FaultLog((line) => lines.push(line));
    log.report([ruleFault('dind/a'), ruleFault('dind/a', '/w/other.toml')]);
    log.report([ruleFault('dind/a'), ruleFault('dind/b')]);
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0] ?? '', /rule dind\/a\b/);
    assert.match(lines[1] ?? '', /rule dind\/b\b/);
  });

  test("the engine's own faults are logged once per message; other findings are not logged", () => {
    const lines: string[] = [];
    const log = new FaultLog((line) => lines.push(line));
    const engineFault = internalError('/w/.gitlab-ci.yml', { detail: 'RangeError: too deep' });
    const ordinary: Finding = { ...engineFault, ruleId: MODEL_FINDINGS.yamlSyntax.id };
    log.report([engineFault, ordinary, engineFault]);
    log.report([engineFault, internalError('/w/.gitlab-ci.yml', { detail: 'TypeError: x' })]);
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0] ?? '', /the checker/);
  });

  test(`at most ${MAX_LOGGED_FAULTS} distinct faults are remembered`, () => {
    const lines: string[] = [];
    const log = new FaultLog((line) => lines.push(line));
    const many = Array.from({ length: MAX_LOGGED_FAULTS + 50 }, (_, i) => ruleFault(`dind/r${i}`));
    log.report(many);
    log.report(many);
    assert.equal(lines.length, MAX_LOGGED_FAULTS);
  });
});

describe('a throwing rule, in a running server', () => {
  test('becomes one logged internal error; the other rules report and requests are still answered', async (t) => {
    const rule = RULES.find((r) => r.meta.id === FAULTY_RULE);
    assert.equal(typeof rule?.checkRunner, 'function', `${FAULTY_RULE} checks runners`);
    mock.method(rule as unknown as Required<Pick<Rule, 'checkRunner'>>, 'checkRunner', (): never => {
      throw new Error('injected fault');
    });
    t.after(() => mock.restoreAll());

    const ws = new TempWorkspace({ '.gitlab-ci.yml': PIPELINE, 'config.toml': RUNNER });
    t.after(() => ws.dispose());
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    new DindLanguageServer(createConnection(ProposedFeatures.all, toServer, fromServer, CONNECTION_OPTIONS)).listen();
    const client = createMessageConnection(new StreamMessageReader(fromServer), new StreamMessageWriter(toServer));
    const logs: string[] = [];
    client.onNotification('window/logMessage', (p: { message: string }) => {
      logs.push(p.message);
    });
    client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
    client.onRequest('client/registerCapability', () => null);
    client.onRequest('workspace/diagnostic/refresh', () => null);
    client.listen();
    // Not `exit` and not the end of the stream: on either, the server library ends this (the test) process.
    t.after(() => client.dispose());

    const request = <R>(method: string, params: unknown): Promise<R> =>
      within(client.sendRequest<R>(method, params), method);
    await request('initialize', { processId: null, rootUri: ws.uri(), capabilities: PULL_CLIENT });
    await client.sendNotification('initialized', {});
    const toml = ws.uri('config.toml');
    await client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: toml, languageId: 'toml', version: 1, text: RUNNER },
    });
    const pull = async (): Promise<LspDiagnostic[]> =>
      (await request<{ items: LspDiagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: toml } })).items;

    const first = await pull();
    const internal = first.filter((d) => d.code === MODEL_FINDINGS.internalError.id);
    assert.equal(internal.length, 1, JSON.stringify(first));
    assert.match(internal[0]?.message ?? '', /injected fault/);
    assert.ok(
      first.some((d) => d.code !== MODEL_FINDINGS.internalError.id && typeof d.code === 'string'),
      `the other rules still report: ${JSON.stringify(first.map((d) => d.code))}`,
    );

    await client.sendNotification('textDocument/didChange', {
      textDocument: { uri: toml, version: 2 },
      contentChanges: [{ text: `${RUNNER}# edited\n` }],
    });
    const second = await pull();
    assert.equal(second.filter((d) => d.code === MODEL_FINDINGS.internalError.id).length, 1);
    const hover = await request<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri: toml },
      position: { line: 5, character: 6 },
    });
    assert.match(hover?.contents.value ?? '', /privileged/);

    const faultLines = logs.filter((l) => l.includes(FAULTY_RULE));
    assert.equal(faultLines.length, 1, logs.join('\n'));
    assert.match(faultLines[0] ?? '', /injected fault/);
  });
});
