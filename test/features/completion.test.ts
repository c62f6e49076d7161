import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { completionsAt, type CompletionEntry } from '@engine';

import { PRIVILEGED_RUNNER, ROOT, setup } from './util';

function complete(files: Record<string, string>): { items: CompletionEntry[]; typed: (e: CompletionEntry) => string } {
  const s = setup(files);
  const items = completionsAt(s.analysis, s.file, s.offset, { root: ROOT, settings: s.settings });
  const text = s.host.files.get(s.file) ?? '';
  return { items, typed: (e) => text.slice(e.span.start, e.span.end) };
}

const labels = (items: readonly CompletionEntry[]): string[] => items.map((i) => i.label);
const preferred = (items: readonly CompletionEntry[]): string[] => items.filter((i) => i.preferred).map((i) => i.label);

describe('completion in .gitlab-ci.yml', () => {
  test('variable names in a job’s variables:, without the ones already set, replacing the typed word', () => {
    const { items, typed } = complete({
      '.gitlab-ci.yml': 'build:\n  variables:\n    DOCKER_DRIVER: overlay2\n    DOC|\n  script: x\n',
    });
    assert.ok(labels(items).includes('DOCKER_HOST'));
    assert.ok(labels(items).includes('HEALTHCHECK_TCP_PORT'));
    assert.ok(!labels(items).includes('DOCKER_DRIVER'));
    const host = items.find((i) => i.label === 'DOCKER_HOST');
    assert.equal(host?.insertText, 'DOCKER_HOST: ');
    assert.equal(host && typed(host), 'DOC');
    assert.match(host?.documentation ?? '', /tcp:\/\/docker:2376/);
  });

  test('variable names in global and service-level variables:', () => {
    assert.ok(
      labels(complete({ '.gitlab-ci.yml': 'variables:\n  |\nbuild:\n  script: x\n' }).items).includes(
        'DOCKER_TLS_CERTDIR',
      ),
    );
    const svc = complete({
      '.gitlab-ci.yml':
        'build:\n  services:\n    - name: docker:27.5.1-dind\n      variables:\n        DOCKER_TLS|\n  script: x\n',
    });
    assert.ok(labels(svc.items).includes('DOCKER_TLS_CERTDIR'));
  });

  test('DOCKER_HOST values: port 2376 preferred when the job’s dind serves TLS', () => {
    const { items } = complete({
      '.gitlab-ci.yml':
        'build:\n  image: docker:27.5.1-cli\n  services: [docker:27.5.1-dind]\n  variables:\n    DOCKER_HOST: |\n  script: x\n',
      'runner/config.toml': PRIVILEGED_RUNNER,
    });
    assert.deepEqual(labels(items), ['tcp://docker:2376', 'tcp://docker:2375']);
    assert.deepEqual(preferred(items), ['tcp://docker:2376']);
  });

  test('DOCKER_HOST values: port 2375 preferred when dind has TLS off', () => {
    const { items } = complete({
      '.gitlab-ci.yml':
        'build:\n  image: docker:27.5.1-cli\n  services: [docker:27.5.1-dind]\n  variables:\n    DOCKER_TLS_CERTDIR: ""\n    DOCKER_HOST: tcp|\n  script: x\n',
    });
    assert.deepEqual(preferred(items), ['tcp://docker:2375']);
  });

  test('DOCKER_TLS_CERTDIR values', () => {
    const { items } = complete({ '.gitlab-ci.yml': 'build:\n  variables:\n    DOCKER_TLS_CERTDIR: |\n  script: x\n' });
    assert.deepEqual(labels(items), ['"/certs"', '""']);
  });

  test('services: the dind image matching the job’s client image version', () => {
    const { items, typed } = complete({
      '.gitlab-ci.yml': 'build:\n  image: docker:27.5.1-cli\n  services:\n    - dock|\n  script: x\n',
    });
    assert.equal(items[0]?.label, 'docker:27.5.1-dind');
    assert.equal(items[0] && typed(items[0]), 'dock');
    assert.match(items[0]?.documentation ?? '', /matches the job’s client image `docker:27\.5\.1-cli`/);
  });

  test('services with name: and a half-typed tag', () => {
    const { items } = complete({
      '.gitlab-ci.yml': 'build:\n  image: docker:26.1.4-cli\n  services:\n    - name: docker:26|\n  script: x\n',
    });
    assert.equal(items[0]?.label, 'docker:26.1.4-dind');
  });

  test('image: the cli image matching the dind service version', () => {
    const { items } = complete({
      '.gitlab-ci.yml': 'build:\n  image: |\n  services:\n    - docker:25.0.3-dind\n  script: x\n',
    });
    assert.equal(items[0]?.label, 'docker:25.0.3-cli');
    assert.deepEqual(preferred(items), ['docker:25.0.3-cli']);
  });

  test('nothing outside those contexts', () => {
    assert.deepEqual(complete({ '.gitlab-ci.yml': 'build:\n  script:\n    - echo |\n' }).items, []);
  });
});

describe('completion in config.toml', () => {
  const ci = { '.gitlab-ci.yml': 'build:\n  script: x\n' };

  test('keys of the table at the cursor that are not written yet, with docs', () => {
    const { items, typed } = complete({
      ...ci,
      'runner/config.toml': PRIVILEGED_RUNNER.replace('privileged = true', 'privileged = true\n    tl|'),
    });
    const names = labels(items);
    assert.ok(names.includes('tls_verify'));
    assert.ok(names.includes('services_privileged'));
    assert.ok(!names.includes('privileged'));
    assert.ok(!names.includes('image'));
    assert.ok(!names.includes('executor'), 'keys of [[runners]] are not offered in [runners.docker]');
    const tls = items.find((i) => i.label === 'tls_verify');
    assert.equal(tls && typed(tls), 'tl');
    assert.equal(tls?.insertText, 'tls_verify = ');
    assert.match(tls?.documentation ?? '', /`boolean` · default `false`/);
  });

  test('boolean and enum values', () => {
    const bool = complete({
      ...ci,
      'runner/config.toml': PRIVILEGED_RUNNER.replace('privileged = true', 'privileged = |'),
    });
    assert.deepEqual(labels(bool.items), ['true', 'false']);
    const exec = complete({
      ...ci,
      'runner/config.toml': PRIVILEGED_RUNNER.replace('executor = "docker"', 'executor = "|"'),
    });
    assert.ok(labels(exec.items).includes('kubernetes'));
    assert.equal(exec.items.find((i) => i.label === 'docker')?.insertText, '"docker"');
  });
});
