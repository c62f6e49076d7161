// The server analyses with lazy fixes: diagnostics carry none, and code actions compute them (`fixesFor`) from the
// analysis the diagnostics came from — here a CI finding whose fix edits the runner's config.toml.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PULL_CLIENT, serverPerTest, type LspCodeAction, type LspTextEdit } from './lsp-client';

const PIPELINE = `build:
  image: docker:27.5.1-cli
  services:
    - docker:27.5.1-dind
  variables:
    DOCKER_HOST: tcp://docker:2376
    DOCKER_TLS_CERTDIR: "/certs"
    DOCKER_TLS_VERIFY: "1"
    DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
  script:
    - docker info
`;
const RUNNER = `[[runners]]
  name = "r"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/cache"]
`;
const RULE = 'dind/tls-certs-volume-missing';

const lsp = serverPerTest({ '.gitlab-ci.yml': PIPELINE, 'runner/config.toml': RUNNER });

/** The edits an action makes to `uri` (from `changes` or `documentChanges`). */
function editsTo(action: LspCodeAction, uri: string): LspTextEdit[] {
  const fromChanges = action.edit?.changes?.[uri] ?? [];
  const fromDocs = (action.edit?.documentChanges ?? [])
    .filter((d) => d.textDocument.uri === uri)
    .flatMap((d) => d.edits);
  return [...fromChanges, ...fromDocs];
}

test('a deferred CI fix that edits config.toml is offered as a quick fix and in fix-all', async () => {
  await lsp.server.initialize(lsp.ws.uri(), PULL_CLIENT);
  const ci = lsp.ws.uri('.gitlab-ci.yml');
  const toml = lsp.ws.uri('runner/config.toml');
  await lsp.server.open(ci, 'yaml', PIPELINE);
  const report = await lsp.server.pull(ci);
  const d = report.items.find((x) => x.code === RULE);
  assert.ok(d, `${RULE} reported; got ${report.items.map((x) => String(x.code)).join(', ')}`);
  const data = d.data as { fixes?: unknown[]; deferred?: unknown };
  assert.deepEqual(data.fixes, [], 'the diagnostic carries no fixes');
  assert.equal(typeof data.deferred, 'string', 'the diagnostic names its deferred finding');

  const quick = await lsp.server.codeActions(ci, [d], ['quickfix']);
  const share = quick.find((a) => editsTo(a, toml).length > 0);
  assert.ok(share, `a quick fix edits config.toml; got ${quick.map((a) => a.title).join(' | ')}`);
  assert.ok(
    editsTo(share, toml).some((e) => e.newText.includes('/certs/client')),
    JSON.stringify(editsTo(share, toml)),
  );

  const all = await lsp.server.codeActions(ci, [], ['source.fixAll.gitlabCiDind']);
  assert.equal(all.length, 1, JSON.stringify(all));
  const fixAll = all[0];
  assert.ok(fixAll);
  assert.deepEqual(editsTo(fixAll, toml), editsTo(share, toml), 'fix-all applies the same config.toml edit');
});

test('a diagnostic whose finding is no longer in the analysis offers no deferred fix', async () => {
  await lsp.server.initialize(lsp.ws.uri(), PULL_CLIENT);
  const ci = lsp.ws.uri('.gitlab-ci.yml');
  await lsp.server.open(ci, 'yaml', PIPELINE);
  const d = (await lsp.server.pull(ci)).items.find((x) => x.code === RULE);
  assert.ok(d);
  // Switch TLS off: the finding is gone from the new analysis, so the old diagnostic resolves to nothing.
  await lsp.server.change(ci, PIPELINE.replace('DOCKER_TLS_CERTDIR: "/certs"', 'DOCKER_TLS_CERTDIR: ""'), 2);
  assert.equal((await lsp.server.pull(ci)).items.filter((x) => x.code === RULE).length, 0);
  assert.deepEqual(await lsp.server.codeActions(ci, [d], ['quickfix']), []);
});
