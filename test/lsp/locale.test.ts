// The server renders messages and quick-fix titles in the client's locale (InitializeParams.locale).

import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';

import { PULL_CLIENT, ServerProcess, TempWorkspace } from './lsp-client';

const PIPELINE = `build:
  image: docker:27.5.1-cli
  services:
    - docker:27.5.1-dind
  variables:
    DOCKER_HOST: tcp://docker:2375
  script:
    - docker info
`;
const RUNNER = `[[runners]]
  name = "r"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

let ws: TempWorkspace;
let server: ServerProcess;
beforeEach(() => {
  ws = new TempWorkspace({ '.gitlab-ci.yml': PIPELINE, 'runner/config.toml': RUNNER });
  server = new ServerProcess();
});
afterEach(() => {
  server.kill();
  ws.dispose();
});

async function portFinding(locale: string | undefined) {
  await server.initialize(ws.uri(), PULL_CLIENT, undefined, locale);
  const uri = ws.uri('.gitlab-ci.yml');
  await server.open(uri, 'yaml', PIPELINE);
  const report = await server.pull(uri);
  const d = report.items.find((x) => x.code === 'dind/tls-port-mismatch');
  assert.ok(d, `tls-port-mismatch reported; got ${report.items.map((x) => String(x.code)).join(', ')}`);
  return d;
}

const CJK = /[\u4e00-\u9fff]/;

test('zh-cn client: the message is Simplified Chinese and keeps the exact runtime error text', async () => {
  const d = await portFinding('zh-CN');
  assert.match(d.message, CJK);
  assert.ok(d.message.includes('Cannot connect to the Docker daemon at tcp://docker:2375'), d.message);
  assert.doesNotMatch(d.message, /\{[a-zA-Z]+\}/, 'no unrendered placeholder');
  const actions = await server.codeActions(ws.uri('.gitlab-ci.yml'), [d], ['quickfix']);
  const titles = actions.map((a) => a.title);
  assert.ok(titles.length > 0 && titles.every((t) => CJK.test(t)), `fix titles are localised: ${titles.join(' | ')}`);
});

test('a client without a locale (or in English) gets English', async () => {
  const d = await portFinding(undefined);
  assert.doesNotMatch(d.message, CJK);
  assert.match(d.message, /listens on 2376/);
});
