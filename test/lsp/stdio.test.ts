// The bundled language server, spawned over stdio as any LSP editor would run it.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, test } from 'node:test';

import { MODEL_FINDINGS } from '@engine';

import { SERVER_JS } from '../helpers/paths';
import { PULL_CLIENT, PUSH_CLIENT, ServerProcess, TempWorkspace } from './lsp-client';

// Line 3 (`  tags: [a]`) is where the unterminated flow sequence of line 2 is detected; the emoji on line 0 takes
// two UTF-16 code units, so a byte- or code-point-based conversion would land elsewhere.
const BROKEN_PIPELINE = '# 🐳 build images\nbuild:\n  script: ["docker build .", x\n  tags: [a]\n';
const BROKEN_RUNNER_CONFIG = '[[runners]]\n  name = "🐳"\n  executor = "docker\n';

describe('language server over stdio', { skip: existsSync(SERVER_JS) ? false : `${SERVER_JS} is not built` }, () => {
  let ws: TempWorkspace;
  let server: ServerProcess;

  beforeEach(() => {
    ws = new TempWorkspace({ '.gitlab-ci.yml': BROKEN_PIPELINE, 'other.yml': 'key: [unclosed\n' });
    server = new ServerProcess();
  });

  afterEach(() => {
    server.kill();
    ws.dispose();
  });

  test('pull diagnostics: a YAML error in .gitlab-ci.yml at its exact range, then a clean shutdown', async () => {
    const init = await server.initialize(ws.uri(), PULL_CLIENT);
    assert.equal(init.capabilities.diagnosticProvider?.interFileDependencies, true);
    assert.deepEqual(init.capabilities.codeActionProvider?.codeActionKinds, ['quickfix', 'source.fixAll.gitlabCiDind']);

    const uri = ws.uri('.gitlab-ci.yml');
    await server.open(uri, 'yaml', BROKEN_PIPELINE);
    const report = await server.pull(uri);
    assert.equal(report.kind, 'full');
    const syntax = report.items.filter((d) => d.code === MODEL_FINDINGS.yamlSyntax.id);
    assert.equal(syntax.length, 1, JSON.stringify(report.items));
    const [d] = syntax;
    assert.deepEqual(d?.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 3 } });
    assert.equal(d?.severity, 1);
    assert.equal(d?.source, 'gitlab-ci-dind');
    assert.equal(d?.codeDescription?.href, MODEL_FINDINGS.yamlSyntax.docs);

    assert.equal(await server.stop(), 0);
  });

  test('an edit is analysed again: fixing the YAML clears the error', async () => {
    await server.initialize(ws.uri(), PULL_CLIENT);
    const uri = ws.uri('.gitlab-ci.yml');
    await server.open(uri, 'yaml', BROKEN_PIPELINE);
    assert.equal((await server.pull(uri)).items.filter((d) => d.code === MODEL_FINDINGS.yamlSyntax.id).length, 1);
    await server.change(uri, 'build:\n  script: ["docker build ."]\n', 2);
    const after = await server.pull(uri);
    assert.deepEqual(
      after.items.filter((d) => d.code === MODEL_FINDINGS.yamlSyntax.id),
      [],
    );
  });

  test('a client without pull support gets publishDiagnostics and no code action provider', async () => {
    const init = await server.initialize(ws.uri(), PUSH_CLIENT);
    assert.equal(init.capabilities.diagnosticProvider, undefined);
    assert.equal(init.capabilities.codeActionProvider, undefined);
    const uri = ws.uri('.gitlab-ci.yml');
    await server.open(uri, 'yaml', BROKEN_PIPELINE, 7);
    const published = await server.diagnosticsFor(uri, (p) => p.diagnostics.length > 0);
    const syntax = published.diagnostics.filter((d) => d.code === MODEL_FINDINGS.yamlSyntax.id);
    assert.equal(syntax.length, 1);
    assert.deepEqual(syntax[0]?.range.start, { line: 3, character: 2 });
    assert.equal(published.version, 7);
  });

  test('a config.toml with [[runners]] and a TOML error gets dind/toml-syntax', async () => {
    await server.initialize(ws.uri(), PULL_CLIENT);
    const uri = ws.uri('runner/config.toml');
    ws.write('runner/config.toml', BROKEN_RUNNER_CONFIG);
    await server.open(uri, 'toml', BROKEN_RUNNER_CONFIG);
    const report = await server.pull(uri);
    const syntax = report.items.filter((d) => d.code === MODEL_FINDINGS.tomlSyntax.id);
    assert.equal(syntax.length, 1, JSON.stringify(report.items));
    assert.equal(syntax[0]?.range.start.line, 2);
    assert.equal(syntax[0]?.codeDescription?.href, MODEL_FINDINGS.tomlSyntax.docs);
  });

  test('YAML and TOML files that are not ours get nothing, even when broken', async () => {
    await server.initialize(ws.uri(), PULL_CLIENT);
    const yamlUri = ws.uri('other.yml');
    await server.open(yamlUri, 'yaml', 'key: [unclosed\n');
    assert.deepEqual((await server.pull(yamlUri)).items, []);
    const tomlUri = ws.uri('pyproject.toml');
    await server.open(tomlUri, 'toml', '[project\nname = "x"\n');
    assert.deepEqual((await server.pull(tomlUri)).items, []);
    const untitled = 'untitled:Untitled-1';
    await server.open(untitled, 'yaml', 'key: [unclosed\n');
    assert.deepEqual((await server.pull(untitled)).items, []);
    const actions = await server.request<unknown[]>('textDocument/codeAction', {
      textDocument: { uri: yamlUri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(actions, []);
  });

  test('an included file outside the root is analysed as part of the pipeline', async () => {
    const root = 'include:\n  - local: ci/build.yml\n';
    const included = 'build:\n  script: [oops\n  tags: [a]\n';
    ws.write('.gitlab-ci.yml', root);
    ws.write('ci/build.yml', included);
    await server.initialize(ws.uri(), PULL_CLIENT);
    const rootReport = await server.pull(ws.uri('.gitlab-ci.yml'));
    assert.deepEqual(
      rootReport.items.filter((d) => d.code === MODEL_FINDINGS.yamlSyntax.id),
      [],
    );
    const includedReport = await server.pull(ws.uri('ci/build.yml'));
    const syntax = includedReport.items.filter((d) => d.code === MODEL_FINDINGS.yamlSyntax.id);
    assert.equal(syntax.length, 1, JSON.stringify(includedReport.items));
    assert.deepEqual(syntax[0]?.range.start, { line: 2, character: 2 });
    // The same YAML outside the pipeline is not ours.
    ws.write('ci/unused.yml', included);
    assert.deepEqual((await server.pull(ws.uri('ci/unused.yml'))).items, []);
  });

  test('the server survives garbage: unknown methods, malformed params, broken notifications', async () => {
    await server.initialize(ws.uri(), PULL_CLIENT);
    await assert.rejects(server.request('gitlabCiDind/noSuchRequest', { x: 1 }), /Unhandled method/);
    const effective = await server.request<{ content: unknown }>('gitlabCiDind/effectiveJob', { uri: 42, job: null });
    assert.equal(typeof effective.content, 'string');
    assert.deepEqual(await server.request('textDocument/diagnostic', { textDocument: {} }), {
      kind: 'full',
      items: [],
    });
    // A code action request without `context` throws inside the handler: logged, answered with an empty result.
    const logged = server.logMessage(/textDocument\/codeAction failed/);
    assert.deepEqual(
      await server.request('textDocument/codeAction', { textDocument: { uri: ws.uri('.gitlab-ci.yml') } }),
      [],
    );
    await logged;
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///nowhere' } });
    await server.connection.sendNotification('workspace/didChangeConfiguration', null);

    const uri = ws.uri('.gitlab-ci.yml');
    await server.open(uri, 'yaml', BROKEN_PIPELINE);
    const report = await server.pull(uri);
    assert.equal(report.items.filter((d) => d.code === MODEL_FINDINGS.yamlSyntax.id).length, 1);
    assert.equal(await server.stop(), 0);
  });
});
