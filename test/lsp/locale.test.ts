// The server renders messages and quick-fix titles in the client's locale (InitializeParams.locale).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PULL_CLIENT, serverPerTest } from './lsp-client';

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

const lsp = serverPerTest({ '.gitlab-ci.yml': PIPELINE, 'runner/config.toml': RUNNER });

async function portFinding(locale: string | undefined) {
  await lsp.server.initialize(lsp.ws.uri(), PULL_CLIENT, undefined, locale);
  const uri = lsp.ws.uri('.gitlab-ci.yml');
  await lsp.server.open(uri, 'yaml', PIPELINE);
  const report = await lsp.server.pull(uri);
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
  const actions = await lsp.server.codeActions(lsp.ws.uri('.gitlab-ci.yml'), [d], ['quickfix']);
  const titles = actions.map((a) => a.title);
  assert.ok(titles.length > 0 && titles.every((t) => CJK.test(t)), `fix titles are localised: ${titles.join(' | ')}`);
});

test('a client without a locale (or in English) gets English', async () => {
  const d = await portFinding(undefined);
  assert.doesNotMatch(d.message, CJK);
  assert.match(d.message, /listens on 2376/);
});
