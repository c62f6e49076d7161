// Over stdio, a client that initializes with `locale: 'zh-cn'` gets hovers in Simplified Chinese.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Hover, MarkupContent } from 'vscode-languageserver';

import { PULL_CLIENT, serverPerTest } from './lsp-client';

const PIPELINE = `build:
  image: docker:27.5.1-cli
  services:
    - docker:27.5.1-dind
  variables:
    DOCKER_HOST: tcp://docker:2376
  script:
    - docker info
`;
const RUNNER = `[[runners]]
  name = "r"
  executor = "docker"
  [runners.docker]
    privileged = true
`;

const lsp = serverPerTest({ '.gitlab-ci.yml': PIPELINE, 'runner/config.toml': RUNNER });

async function hoverText(locale: string, file: string, text: string, needle: string): Promise<string> {
  await lsp.server.initialize(lsp.ws.uri(), PULL_CLIENT, undefined, locale);
  const uri = lsp.ws.uri(file);
  await lsp.server.open(uri, file.endsWith('.toml') ? 'toml' : 'yaml', text);
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  const character = (lines[line] ?? '').indexOf(needle) + 1;
  const hover = await lsp.server.request<Hover | null>('textDocument/hover', {
    textDocument: { uri },
    position: { line, character },
  });
  assert.ok(hover, `a hover on ${needle}`);
  return (hover.contents as MarkupContent).value;
}

test('zh-cn client: a job hover is Chinese and keeps the values', async () => {
  const value = await hoverText('zh-cn', '.gitlab-ci.yml', PIPELINE, 'docker:27.5.1-dind');
  assert.match(value, /\*\*作业 `build`\*\*/);
  assert.ok(value.includes('`docker:27.5.1-dind`'), value);
  assert.ok(value.includes('`.gitlab-ci.yml:4`'), value);
});

test('zh-cn client: a config.toml hover shows the Chinese key doc', async () => {
  const value = await hoverText('zh-cn', 'runner/config.toml', RUNNER, 'privileged');
  assert.match(value, /rootful dind 必需/);
});

test('an English client gets the English hover', async () => {
  const value = await hoverText('en', '.gitlab-ci.yml', PIPELINE, 'docker:27.5.1-dind');
  assert.match(value, /\*\*Job `build`\*\*/);
});
