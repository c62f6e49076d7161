// Localisation of the topology, privilege and certificate-volume rules (A1–A10): for a positive case of each rule,
// every finding and fix title carries a message key, renders to Chinese with every placeholder filled, and its
// English rendering is exactly the text the analysis reports.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MESSAGES, type Msg } from '@engine';

import { analyzeCase } from '../helpers/rule-cases';

const CHINESE = /[\u4e00-\u9fff]/;
const PLACEHOLDER = /\{[A-Za-z0-9_]+\}/;

const DOCKER_TOML = (extra: string) => `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
${extra}`;

const DIND_JOB = `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`;

const CASES: readonly { rule: string; files: Record<string, string>; label?: string }[] = [
  {
    rule: 'dind/no-daemon-for-docker-commands',
    files: {
      '.gitlab-ci.yml': 'build:\n  image: docker:24.0.5-cli\n  script:\n    - docker build -t app .\n',
      'config.toml': DOCKER_TOML('    privileged = true\n    volumes = ["/certs/client", "/cache"]\n'),
    },
  },
  {
    rule: 'dind/no-daemon-for-docker-commands',
    label: 'dind service dropped by a merge',
    files: {
      '.gitlab-ci.yml':
        'default:\n  image: docker:24.0.5-cli\n  services:\n    - docker:24.0.5-dind\n' +
        'build:\n  services:\n    - postgres:16\n  script:\n    - docker build -t app .\n',
      'config.toml': DOCKER_TOML('    privileged = true\n    volumes = ["/certs/client", "/cache"]\n'),
    },
  },
  {
    rule: 'dind/socket-mount-with-dind-service',
    files: {
      '.gitlab-ci.yml': DIND_JOB,
      'config.toml': DOCKER_TOML('    volumes = ["/var/run/docker.sock:/var/run/docker.sock", "/cache"]\n'),
    },
  },
  {
    rule: 'dind/executor-unsupported',
    files: { '.gitlab-ci.yml': DIND_JOB, 'config.toml': '[[runners]]\n  name = "sh"\n  executor = "shell"\n' },
  },
  {
    rule: 'dind/executor-unsupported',
    files: {
      '.gitlab-ci.yml': DIND_JOB,
      'config.toml':
        '[[runners]]\n  name = "win"\n  executor = "docker-windows"\n  [runners.docker]\n    image = "x"\n',
    },
  },
  {
    rule: 'dind/executor-section-mismatch',
    files: {
      'config.toml':
        '[[runners]]\n  name = "k8s"\n  executor = "kubernetes"\n  [runners.docker]\n    privileged = true\n' +
        '  [runners.kubernetes]\n    image = "ubuntu:22.04"\n    privileged_services = true\n',
    },
  },
  {
    rule: 'dind/wrong-image-variant',
    files: {
      '.gitlab-ci.yml': 'build:\n  image: docker:24.0.5-dind\n  script:\n    - docker build .\n',
      'config.toml': DOCKER_TOML('    privileged = true\n    volumes = ["/certs/client", "/cache"]\n'),
    },
  },
  {
    rule: 'dind/privileged-required',
    files: {
      '.gitlab-ci.yml': DIND_JOB,
      'config.toml': DOCKER_TOML('    privileged = false\n    volumes = ["/certs/client", "/cache"]\n'),
    },
  },
  {
    rule: 'dind/runner-allowlist-blocks-dind',
    files: {
      '.gitlab-ci.yml': DIND_JOB,
      'config.toml': DOCKER_TOML(
        '    privileged = true\n    volumes = ["/certs/client", "/cache"]\n    allowed_services = ["postgres:*"]\n',
      ),
    },
  },
  {
    rule: 'dind/runner-allowlist-blocks-dind',
    label: 'allowed_privileged_services miss',
    files: {
      '.gitlab-ci.yml': DIND_JOB.replace('docker:24.0.5-dind', 'docker:dind'),
      'config.toml': DOCKER_TOML(
        '    services_privileged = true\n    allowed_privileged_services = ["docker:*-dind"]\n' +
          '    volumes = ["/certs/client", "/cache"]\n',
      ),
    },
  },
  {
    rule: 'dind/k8s-privilege-escalation-conflict',
    files: {
      'config.toml':
        '[[runners]]\n  name = "k8s"\n  executor = "kubernetes"\n  [runners.kubernetes]\n    privileged = true\n' +
        '    allow_privilege_escalation = false\n',
    },
  },
  {
    rule: 'dind/tls-certs-volume-missing',
    files: {
      '.gitlab-ci.yml':
        DIND_JOB.replace('  script:', '  variables:\n    DOCKER_TLS_CERTDIR: "/certs"\n  script:') +
        'test:\n  extends: build\n',
      'config.toml': DOCKER_TOML('    privileged = true\n    volumes = ["/cache"]\n'),
    },
  },
  {
    rule: 'dind/k8s-tls-certs-volume-missing',
    files: {
      '.gitlab-ci.yml': DIND_JOB.replace('  script:', '  variables:\n    DOCKER_TLS_CERTDIR: "/certs"\n  script:'),
      'config.toml':
        '[[runners]]\n  name = "k"\n  executor = "kubernetes"\n  [runners.kubernetes]\n    privileged = true\n',
    },
  },
];

function checkRendered(label: string, l10n: Msg | undefined, english: string): void {
  assert.ok(l10n, `${label}: has a message key`);
  const zh = MESSAGES.render('zh-cn', l10n);
  assert.match(zh, CHINESE, `${label}: renders to Chinese: ${zh}`);
  assert.doesNotMatch(zh, PLACEHOLDER, `${label}: no unrendered placeholder in Chinese: ${zh}`);
  assert.doesNotMatch(english, PLACEHOLDER, `${label}: no unrendered placeholder in English: ${english}`);
  assert.equal(MESSAGES.render('en', l10n), english, `${label}: English rendering is the reported text`);
}

for (const c of CASES) {
  const config = c.files['config.toml']?.match(/executor = "([^"]+)"/)?.[1] ?? 'no runner';
  test(`${c.rule} (${c.label ?? config}): findings and fix titles are localised`, () => {
    const { analysis } = analyzeCase({ files: c.files });
    const found = analysis.findings.filter((f) => f.ruleId === c.rule);
    assert.ok(found.length > 0, `${c.rule} reports a finding`);
    assert.ok(
      found.some((f) => f.fixes.length > 0),
      `${c.rule} offers a fix`,
    );
    for (const f of found) {
      checkRendered(`${c.rule} finding`, f.l10n, f.message);
      for (const fix of f.fixes) checkRendered(`${c.rule} fix`, fix.l10nTitle, fix.title);
    }
  });
}

test('the joining words of job lists are localised and the job names kept', () => {
  const { analysis } = analyzeCase({
    files: CASES.find((c) => c.rule === 'dind/tls-certs-volume-missing')?.files ?? {},
  });
  const runnerSide = analysis.findings.find((f) => f.ruleId === 'dind/tls-certs-volume-missing' && f.job === null);
  assert.ok(runnerSide?.l10n, 'a runner-side finding names the jobs');
  assert.match(runnerSide.message, /`build` and `test` run dind/);
  assert.match(MESSAGES.render('zh-cn', runnerSide.l10n), /`build` 和 `test`/);
});
