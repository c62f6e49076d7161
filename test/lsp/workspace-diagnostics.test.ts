// Workspace pull diagnostics: problems in files that are not open (a broken config.toml) reach the client, and
// unchanged reports are sent as `unchanged` for the client's previous result ids.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Diagnostic } from 'vscode-languageserver-protocol';

import { PULL_CLIENT, serverPerTest } from './lsp-client';

interface Report {
  kind: 'full' | 'unchanged';
  uri: string;
  resultId?: string;
  items?: Diagnostic[];
}

const lsp = serverPerTest({
  '.gitlab-ci.yml': 'build:\n  image: docker:27.5.1-cli\n  script: [docker info]\n',
  'runner/config.toml': '[[runners]]\n  name = "r"\n  executor = "docker\n',
  'notes/config.toml': '[server]\nport = \n',
});

test('workspace/diagnostic reports a runner config that no editor has open, then says unchanged', async () => {
  const init = await lsp.server.initialize(lsp.ws.uri(), PULL_CLIENT);
  assert.equal(
    (init.capabilities.diagnosticProvider as { workspaceDiagnostics?: boolean } | undefined)?.workspaceDiagnostics,
    true,
  );
  const first = await lsp.server.request<{ items: Report[] }>('workspace/diagnostic', { previousResultIds: [] });
  const toml = first.items.find((r) => r.uri === lsp.ws.uri('runner/config.toml'));
  assert.ok(toml && toml.kind === 'full', `config.toml reported; got ${first.items.map((r) => r.uri).join(', ')}`);
  assert.ok(toml.items?.some((d) => d.code === 'dind/toml-syntax'));
  assert.ok(
    !first.items.some((r) => r.uri === lsp.ws.uri('notes/config.toml')),
    'a TOML file that is not ours is not reported',
  );
  const previousResultIds = first.items.map((r) => ({ uri: r.uri, value: r.resultId ?? '' }));
  const second = await lsp.server.request<{ items: Report[] }>('workspace/diagnostic', { previousResultIds });
  assert.ok(second.items.length > 0 && second.items.every((r) => r.kind === 'unchanged'));
});
