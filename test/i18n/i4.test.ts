// Localised messages of rules A28–A34 and of the engine's own (model) findings: for a positive case of each, the
// finding and its fixes carry a `Msg` whose English rendering is the shown text and whose Chinese rendering is
// complete (Chinese text, no placeholder left).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { MESSAGES, type Finding, type Msg } from '@engine';

import { analyzeCase } from '../helpers/rule-cases';

const CJK = /[\u4e00-\u9fff]/;
const PLACEHOLDER = /\{[A-Za-z0-9_]+\}/;

const DOCKER_RUNNER = `[[runners]]
  name = "docker-runner"
  executor = "docker"
  [runners.docker]
    image = "docker:24.0.5-cli"
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

interface Case {
  readonly ruleId: string;
  readonly files: Readonly<Record<string, string>>;
  /** Whether the case's findings offer fixes (then every fix title is checked too). */
  readonly fixes: boolean;
}

const CASES: readonly Case[] = [
  {
    ruleId: 'dind/image-unpinned',
    files: {
      '.gitlab-ci.yml':
        'build:\n  image: docker:stable\n  services:\n    - docker:27-dind\n  script: [docker build .]\n',
    },
    fixes: true,
  },
  {
    ruleId: 'dind/client-daemon-version-skew',
    files: {
      '.gitlab-ci.yml':
        'build:\n  image: docker:24.0.5-cli\n  services:\n    - docker:29.0.0-dind\n  script: [docker build .]\n',
    },
    fixes: true,
  },
  {
    ruleId: 'dind/old-dind-cgroups',
    files: {
      '.gitlab-ci.yml':
        'build:\n  image: docker:18.09.7\n  services:\n    - docker:18.09.7-dind\n  script: [docker build .]\n',
    },
    fixes: true,
  },
  {
    ruleId: 'dind/docker-driver',
    files: {
      '.gitlab-ci.yml':
        'variables:\n  DOCKER_DRIVER: overlay\nbuild:\n  image: docker:24.0.5-cli\n  services: [docker:24.0.5-dind]\n' +
        '  script: [docker build .]\n',
    },
    fixes: true,
  },
  {
    ruleId: 'dind/buildx-tls-context',
    files: {
      '.gitlab-ci.yml':
        'default:\n  image: docker:24.0.5-cli\n  services:\n    - docker:24.0.5-dind\nvariables:\n  DOCKER_TLS_CERTDIR: "/certs"\n' +
        'build:\n  script:\n    - docker buildx create --driver docker-container --use\n    - docker buildx build -t app .\n',
      'config.toml': DOCKER_RUNNER,
    },
    fixes: true,
  },
  {
    ruleId: 'dind/registry-auth',
    files: {
      '.gitlab-ci.yml':
        'build:\n  image: docker:24.0.5-cli\n  services: [docker:24.0.5-dind]\n  script:\n' +
        '    - docker login -u gitlab-ci-token -p $CI_BUILD_TOKEN $CI_REGISTRY\n    - docker push $CI_REGISTRY_IMAGE\n' +
        'push:\n  image: docker:24.0.5-cli\n  services: [docker:24.0.5-dind]\n  script:\n    - docker push $CI_REGISTRY_IMAGE\n',
    },
    fixes: true,
  },
  {
    ruleId: 'dind/registry-mirror-flag-conflict',
    files: {
      '.gitlab-ci.yml':
        'build:\n  image: docker:24.0.5-cli\n  services:\n    - name: docker:24.0.5-dind\n' +
        '      command: ["--registry-mirror", "https://mirror.example.com"]\n  script: [docker info]\n',
      'config.toml': DOCKER_RUNNER.replace('"/cache"', '"/opt/docker/daemon.json:/etc/docker/daemon.json"'),
    },
    fixes: true,
  },
  { ruleId: 'dind/yaml-syntax', files: { '.gitlab-ci.yml': 'build: [unclosed\n' }, fixes: false },
  {
    ruleId: 'dind/yaml-syntax',
    files: { '.gitlab-ci.yml': 'build:\n  script: [a]\nbuild:\n  script: [b]\n' },
    fixes: false,
  },
  {
    ruleId: 'dind/pipeline-structure',
    files: { '.gitlab-ci.yml': 'build: 3\nx:\n  script: [a]\n  y: $[[ inputs.z ]]\n' },
    fixes: false,
  },
  {
    ruleId: 'dind/include-error',
    files: {
      '.gitlab-ci.yml': 'include:\n  - local: missing.yml\n  - other.txt\n  - ../outside.yml\njob:\n  script: [a]\n',
    },
    fixes: false,
  },
  {
    ruleId: 'dind/include-not-followed',
    files: {
      '.gitlab-ci.yml': 'include:\n  - remote: https://example.com/ci.yml\n  - template: A.yml\njob:\n  script: [a]\n',
    },
    fixes: false,
  },
  {
    ruleId: 'dind/extends-error',
    files: {
      '.gitlab-ci.yml': '.a:\n  extends: .b\n.b:\n  extends: .a\njob:\n  extends: [.a, .nope]\n  script: [a]\n',
    },
    fixes: false,
  },
  {
    ruleId: 'dind/reference-error',
    files: {
      '.gitlab-ci.yml':
        '.base:\n  script: [a]\njob:\n  script:\n    - !reference [.nope, script]\n    - !reference [.base, x]\n',
    },
    fixes: false,
  },
  {
    ruleId: 'dind/reference-error',
    files: {
      '.gitlab-ci.yml':
        'include:\n  - remote: https://example.com/ci.yml\njob:\n  script:\n    - !reference [.elsewhere, script]\n',
    },
    fixes: false,
  },
  { ruleId: 'dind/toml-syntax', files: { 'config.toml': '[[runners]\nname = 1\n' }, fixes: false },
  {
    ruleId: 'dind/runner-config-schema',
    files: {
      'config.toml':
        'concurrent = 0\n[[runners]]\n  name = "r"\n  executor = "docker"\n  environment = ["BROKEN"]\n' +
        '  [runners.docker]\n    privilged = true\n    privileged = "true"\n    pull_policy = "alway"\n' +
        '    shm_size = "30"\n',
    },
    fixes: true,
  },
  {
    ruleId: 'dind/runner-config-schema',
    files: {
      'config.toml':
        'bogus_key = 1\n[[runners]]\n  name = "r"\n  executor = "docker"\n  [runners.docker]\n    tls_verify = [1]\n',
    },
    fixes: false,
  },
  { ruleId: 'dind/no-runner-config', files: { '.gitlab-ci.yml': 'job:\n  script: [a]\n' }, fixes: false },
];

function checkMsg(label: string, l10n: Msg | undefined, english: string): void {
  assert.ok(l10n, `${label}: has a localisable message (${english})`);
  assert.equal(MESSAGES.render('en', l10n), english, `${label}: English rendering is the shown text`);
  const zh = MESSAGES.render('zh-cn', l10n);
  assert.match(zh, CJK, `${label}: Chinese rendering has Chinese text: ${zh}`);
  assert.doesNotMatch(zh, PLACEHOLDER, `${label}: no placeholder left in ${zh}`);
  assert.doesNotMatch(english, PLACEHOLDER, `${label}: no placeholder left in ${english}`);
}

function checkFinding(f: Finding, wantFixes: boolean): number {
  checkMsg(`${f.ruleId} message`, f.l10n, f.message);
  for (const fix of f.fixes) checkMsg(`${f.ruleId} fix`, fix.l10nTitle, fix.title);
  if (wantFixes) return f.fixes.length;
  return 0;
}

describe('i18n of rules A28–A34 and the model findings', () => {
  for (const [i, c] of CASES.entries()) {
    test(`${c.ruleId} (case ${i + 1})`, () => {
      const { analysis } = analyzeCase({ files: c.files });
      const found = analysis.findings.filter((f) => f.ruleId === c.ruleId);
      assert.ok(found.length > 0, `a ${c.ruleId} finding among ${analysis.findings.map((f) => f.ruleId).join(', ')}`);
      let fixes = 0;
      for (const f of found) fixes += checkFinding(f, c.fixes);
      if (c.fixes) assert.ok(fixes > 0, `${c.ruleId}: the case offers fixes`);
    });
  }

  test('the unfollowed-include hint wraps the missing-name message in both languages', () => {
    const { analysis } = analyzeCase({ files: CASES[14]?.files ?? {} });
    const f = analysis.findings.find((x) => x.ruleId === 'dind/reference-error');
    assert.ok(f?.l10n);
    assert.equal(f.l10n.key, 'ci.maybe-in-include');
    assert.match(f.message, /there is no \.elsewhere in the configuration\. It may be defined in an include/);
    assert.match(MESSAGES.render('zh-cn', f.l10n), /配置中没有 \.elsewhere。它可能定义在/);
  });

  test('quoted runtime errors stay English in the Chinese message', () => {
    const { analysis } = analyzeCase({ files: CASES[1]?.files ?? {} });
    const f = analysis.findings.find((x) => x.ruleId === 'dind/client-daemon-version-skew');
    assert.ok(f?.l10n);
    assert.ok(
      MESSAGES.render('zh-cn', f.l10n).includes(
        'Error response from daemon: client version 1.43 is too old. Minimum supported API version is 1.44',
      ),
    );
  });
});
