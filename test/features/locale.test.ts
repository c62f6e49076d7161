// zh-cn variants of the editor features: the same values and origins as in English, the surrounding text in Chinese.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { completionsAt, hoverAt, runnerStatus, type Locale } from '@engine';

import { ROOT, setup } from './util';

const CJK = /[\u4e00-\u9fff]/;
const PLACEHOLDER = /\{[A-Za-z0-9_]+\}/;

const PIPELINE = `.docker:
  image: docker:27.5.1-cli
  services:
    - docker:27.5.1-dind
  variables:
    DOCKER_HOST: tcp://docker:2376
    DOCKER_TLS_CERTDIR: "/certs"
build:
  extends: .docker
  script:
    - docker info
`;
const RUNNER = `[[runners]]
  name = "r"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client"]
`;

function hover(caretText: string, needle: string, locale: Locale): string {
  const at = caretText.indexOf(needle);
  assert.ok(at >= 0, needle);
  const files = { '.gitlab-ci.yml': PIPELINE, 'runner/config.toml': RUNNER };
  const target = caretText === RUNNER ? 'runner/config.toml' : '.gitlab-ci.yml';
  const s = setup({ ...files, [target]: caretText.slice(0, at + 1) + '|' + caretText.slice(at + 1) });
  const h = hoverAt(s.analysis, s.file, s.offset, { root: ROOT, settings: s.settings, locale });
  assert.ok(h, `hover on ${needle}`);
  assert.doesNotMatch(h.markdown, PLACEHOLDER, 'no unrendered placeholder');
  return h.markdown;
}

/** The inline code spans of a Markdown text: values, paths and names, which must not depend on the language. */
function codeSpans(markdown: string): string[] {
  return [...markdown.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
}

for (const [what, text, needle] of [
  ['a job', PIPELINE, 'build:'],
  ['a service', PIPELINE, 'docker:27.5.1-dind'],
  ['a variable', PIPELINE, 'DOCKER_HOST'],
  ['a config.toml key', RUNNER, 'privileged'],
  ['a config.toml table header', RUNNER, 'runners.docker]'],
] as const) {
  test(`zh-cn hover on ${what}: Chinese text, the same values and origins as English`, () => {
    const en = hover(text, needle, 'en');
    const zh = hover(text, needle, 'zh-cn');
    assert.doesNotMatch(en, CJK);
    assert.match(zh, CJK);
    assert.notEqual(zh, en);
    assert.deepEqual(codeSpans(zh), codeSpans(en), 'values, origins and keys stay verbatim');
  });
}

test('zh-cn hover on a job names its origin file and line', () => {
  const zh = hover(PIPELINE, 'docker:27.5.1-dind', 'zh-cn');
  assert.ok(zh.includes('`.gitlab-ci.yml:4`'), zh);
  assert.ok(zh.includes('`extends: .docker`'), zh);
  assert.match(zh, /服务/);
});

test('zh-cn config.toml hover shows the Chinese one-line doc of the key', () => {
  const zh = hover(RUNNER, 'privileged', 'zh-cn');
  assert.match(zh, /rootful dind 必需/);
  assert.match(zh, /\[GitLab Runner 文档\]\(https:/);
});

test('zh-cn completion: DinD variable details and docs in Chinese, same labels', () => {
  const text = `build:\n  variables:\n    DOCKER_H|\n`;
  const run = (locale: Locale) => {
    const s = setup({ '.gitlab-ci.yml': text });
    return completionsAt(s.analysis, s.file, s.offset, { root: ROOT, settings: s.settings, locale });
  };
  const en = run('en');
  const zh = run('zh-cn');
  assert.ok(zh.length > 0);
  assert.deepEqual(
    zh.map((e) => e.label),
    en.map((e) => e.label),
  );
  for (const e of zh) {
    assert.match(e.detail ?? '', CJK, e.label);
    assert.match(e.documentation ?? '', CJK, e.label);
    assert.doesNotMatch(e.documentation ?? '', PLACEHOLDER);
  }
  assert.equal(en.find((e) => e.label === 'DOCKER_HOST')?.detail, 'DinD variable');
});

test('zh-cn completion: service images and config.toml keys', () => {
  const images = setup({ '.gitlab-ci.yml': `build:\n  image: docker:27.5.1-cli\n  services:\n    - |\n` });
  const entries = completionsAt(images.analysis, images.file, images.offset, { root: ROOT, locale: 'zh-cn' });
  const dind = entries.find((e) => e.label === 'docker:27.5.1-dind');
  assert.ok(dind, entries.map((e) => e.label).join(', '));
  assert.match(dind.detail ?? '', /dind 服务/);
  assert.ok(dind.documentation?.includes('`docker:27.5.1-cli`'), dind.documentation);

  const toml = setup({ 'runner/config.toml': `[[runners]]\n  [runners.docker]\n    privi|\n` });
  const keys = completionsAt(toml.analysis, toml.file, toml.offset, { root: ROOT, locale: 'zh-cn' });
  const privileged = keys.find((e) => e.label === 'privileged');
  assert.ok(privileged);
  assert.equal(privileged.detail, 'boolean = false', 'the type stays verbatim');
  assert.match(privileged.documentation ?? '', /rootful dind 必需/);
});

test('zh-cn status label', () => {
  const s = setup({ '.gitlab-ci.yml': 'build:\n  script: [|x]\n' }, { assumeRunner: 'gitlab-saas' });
  assert.equal(runnerStatus(s.analysis, { root: ROOT, settings: s.settings }).label, 'GitLab.com (assumed)');
  assert.equal(
    runnerStatus(s.analysis, { root: ROOT, settings: s.settings, locale: 'zh-cn' }).label,
    'GitLab.com（假定）',
  );
});
