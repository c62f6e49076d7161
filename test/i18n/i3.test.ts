// The findings and fix titles of the networking, health-check, security and merge rules (A21–A27, A35–A39) are
// localised: each carries its `Msg`, renders in Simplified Chinese with every placeholder filled, and renders in
// English to exactly the message and title the analysis reports.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { MESSAGES, type Finding, type Msg } from '@engine';

import { analyzeCase } from '../helpers/rule-cases';

const CJK = /[\u4e00-\u9fff]/;
const PLACEHOLDER = /\{[A-Za-z0-9_]+\}/;

const DIND_CI = `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  script:
    - docker build .
test:
  script:
    - docker run --rm alpine true
`;

const JOB_CI = `variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`;

function dockerRunner(extra: string, docker = ''): string {
  return `[[runners]]
  name = "r1"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
${docker}${extra}`;
}

const FF = '  [runners.feature_flags]\n    FF_NETWORK_PER_BUILD = true\n';

const K8S = `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
  [[runners.kubernetes.volumes.empty_dir]]
    name = "docker-certs"
    mount_path = "/certs/client"
`;

interface Case {
  readonly rule: string;
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
  /** Whether the rule offers a fix in this case (every fix title must then be localised too). */
  readonly fixes: boolean;
}

const CASES: readonly Case[] = [
  {
    rule: 'network-mode-conflict',
    name: 'network_mode = "host" with two dind jobs',
    files: { '.gitlab-ci.yml': DIND_CI, 'config.toml': dockerRunner('', '    network_mode = "host"\n') },
    fixes: true,
  },
  {
    rule: 'network-mode-conflict',
    name: 'a shared network used by one job',
    files: { '.gitlab-ci.yml': JOB_CI, 'config.toml': dockerRunner('', '    network_mode = "ci-net"\n') },
    fixes: true,
  },
  {
    rule: 'legacy-link-variables',
    name: 'client image < 19.03 with FF_NETWORK_PER_BUILD',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:18.09
  services:
    - docker:18.09-dind
  script:
    - docker build .
`,
      'config.toml': dockerRunner(FF),
    },
    fixes: true,
  },
  {
    rule: 'legacy-link-variables',
    name: 'a script reads $DOCKER_PORT_2375_TCP',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - export DOCKER_HOST=$DOCKER_PORT_2375_TCP
    - docker build .
`,
      'config.toml': dockerRunner(''),
    },
    fixes: true,
  },
  {
    rule: 'per-build-network-dns',
    name: 'custom DNS with per-build networks',
    files: { '.gitlab-ci.yml': JOB_CI, 'config.toml': dockerRunner(FF, '    dns = ["10.0.0.2"]\n') },
    fixes: true,
  },
  {
    rule: 'mtu-mismatch',
    name: 'network_mtu below 1500',
    files: { '.gitlab-ci.yml': JOB_CI, 'config.toml': dockerRunner('', '    network_mtu = 1450\n') },
    fixes: true,
  },
  {
    rule: 'mtu-mismatch',
    name: 'Kubernetes overlay MTU',
    files: { '.gitlab-ci.yml': JOB_CI, 'config.toml': K8S },
    fixes: true,
  },
  {
    rule: 'proxy-no-proxy',
    name: 'HTTP_PROXY without NO_PROXY',
    files: {
      '.gitlab-ci.yml': JOB_CI.replace('variables:\n', 'variables:\n  HTTP_PROXY: http://proxy.corp:3128\n'),
      'config.toml': dockerRunner(''),
    },
    fixes: true,
  },
  {
    rule: 'proxy-no-proxy',
    name: 'NO_PROXY without ports in the runner environment',
    files: {
      '.gitlab-ci.yml': DIND_CI,
      'config.toml': dockerRunner('').replace(
        '  executor = "docker"\n',
        '  executor = "docker"\n  environment = ["HTTPS_PROXY=http://proxy.corp:3128", "NO_PROXY=localhost"]\n',
      ),
    },
    fixes: true,
  },
  {
    rule: 'k8s-healthcheck-port',
    name: 'missing service-level HEALTHCHECK_TCP_PORT',
    files: { '.gitlab-ci.yml': JOB_CI, 'config.toml': K8S },
    fixes: true,
  },
  {
    rule: 'k8s-healthcheck-port',
    name: 'a HEALTHCHECK_TCP_PORT the daemon does not listen on',
    files: {
      '.gitlab-ci.yml': JOB_CI.replace(
        '    - docker:24.0.5-dind\n',
        '    - name: docker:24.0.5-dind\n      variables:\n        HEALTHCHECK_TCP_PORT: "2375"\n',
      ),
      'config.toml': K8S,
    },
    fixes: true,
  },
  {
    rule: 'wait-for-services-timeout',
    name: 'health check disabled',
    files: { '.gitlab-ci.yml': DIND_CI, 'config.toml': dockerRunner('', '    wait_for_services_timeout = -1\n') },
    fixes: true,
  },
  {
    rule: 'wait-for-services-timeout',
    name: 'a short timeout',
    files: { '.gitlab-ci.yml': JOB_CI, 'config.toml': dockerRunner('', '    wait_for_services_timeout = 10\n') },
    fixes: true,
  },
  {
    rule: 'security-privileged',
    name: 'privileged docker runner',
    files: { '.gitlab-ci.yml': DIND_CI, 'config.toml': dockerRunner('') },
    fixes: true,
  },
  {
    rule: 'security-privileged',
    name: 'privileged Kubernetes runner',
    files: { '.gitlab-ci.yml': JOB_CI, 'config.toml': K8S },
    fixes: true,
  },
  {
    rule: 'security-docker-socket',
    name: 'the host socket mounted',
    files: {
      '.gitlab-ci.yml': 'build:\n  image: docker:24.0.5-cli\n  script:\n    - docker build .\n',
      'config.toml': `[[runners]]
  executor = "docker"
  [runners.docker]
    volumes = ["/var/run/docker.sock:/var/run/docker.sock", "/cache"]
`,
    },
    fixes: false,
  },
  {
    rule: 'rootless-misconfigured',
    name: 'rootless dind without privileges',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:27-cli
  services:
    - docker:27-dind-rootless
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "rl"
  executor = "docker"
  [runners.docker]
    volumes = ["/certs/client", "/cache"]
`,
    },
    fixes: true,
  },
  {
    rule: 'sysbox-misconfigured',
    name: 'privileged with sysbox-runc',
    files: { '.gitlab-ci.yml': DIND_CI, 'config.toml': dockerRunner('', '    runtime = "sysbox-runc"\n') },
    fixes: true,
  },
  {
    rule: 'merge-drops-dind-config',
    name: 'inherit: default: false drops services and image',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
build:
  inherit:
    default: false
  script:
    - docker build .
`,
      'config.toml': dockerRunner(''),
    },
    fixes: true,
  },
  {
    rule: 'merge-drops-dind-config',
    name: 'inherit: variables: false drops the Docker variables',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  inherit:
    variables: false
  script:
    - docker build .
`,
      'config.toml': dockerRunner(''),
    },
    fixes: true,
  },
];

/** Asserts that `m` renders in Chinese with every placeholder filled and in English to `english`. */
function assertLocalised(m: Msg | undefined, english: string, what: string): void {
  assert.ok(m, `${what} carries a localisable message`);
  const zh = MESSAGES.render('zh-cn', m);
  assert.match(zh, CJK, `${what}: the Chinese rendering is Chinese: ${zh}`);
  assert.doesNotMatch(zh, PLACEHOLDER, `${what}: no placeholder is left in: ${zh}`);
  assert.doesNotMatch(english, PLACEHOLDER, `${what}: no placeholder is left in: ${english}`);
  assert.equal(MESSAGES.render('en', m), english, `${what}: the English rendering is the reported text`);
}

function findingsOf(c: Case): Finding[] {
  return analyzeCase({ files: c.files }).analysis.findings.filter((f) => f.ruleId === `dind/${c.rule}`);
}

describe('localised findings and fix titles (A21–A27, A35–A39)', () => {
  for (const c of CASES) {
    test(`${c.rule}: ${c.name}`, () => {
      const findings = findingsOf(c);
      assert.ok(findings.length > 0, 'the case is positive');
      for (const f of findings) {
        assertLocalised(f.l10n, f.message, `finding at ${f.file}:${f.span.start}`);
        for (const x of f.fixes) assertLocalised(x.l10nTitle, x.title, `fix "${x.title}"`);
      }
      const fixes = findings.flatMap((f) => f.fixes);
      if (c.fixes) assert.ok(fixes.length > 0, 'the case offers a fix');
    });
  }

  test('every rule of the set has a case', () => {
    const rules = new Set(CASES.map((c) => c.rule));
    assert.equal(rules.size, 12);
  });

  test('job lists render with the localised conjunction', () => {
    const [f] = findingsOf(CASES[0] as Case);
    assert.ok(f?.l10n, 'the two-job case reports');
    assert.match(f.message, /`build` and `test`/);
    assert.match(MESSAGES.render('zh-cn', f.l10n), /`build` 和 `test`/);
  });
});
