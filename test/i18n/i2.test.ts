// Rules A11–A20 report localisable messages and fix titles: for a positive case of each rule, every finding and fix
// carries a key, the English rendering is the text the analysis reports, and the Simplified Chinese rendering is
// Chinese with every placeholder filled in.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { MESSAGES, type Msg } from '@engine';

import { analyzeCase } from '../helpers/rule-cases';
import { CERT_VOLUMES, dockerRunner } from '../helpers/runners';

const HAN = /\p{Script=Han}/u;
const PLACEHOLDER = /\{[A-Za-z0-9_]+\}/;

const DOCKER_RUNNER = dockerRunner({ name: 'r1', privileged: true, volumes: CERT_VOLUMES });

const PLAIN_RUNNER = dockerRunner({ name: 'r1', privileged: true, volumes: ['/cache'] });

const K8S_RUNNER = `[[runners]]
  name = "k"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
  [[runners.kubernetes.volumes.empty_dir]]
    name = "docker-certs"
    mount_path = "/certs/client"
    medium = "Memory"
`;

const RUNNER_WITH_DIND = `[[runners]]
  name = "mirror"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
    [[runners.docker.services]]
      name = "docker:24.0.5-dind"
`;

interface Case {
  readonly name: string;
  readonly rule: string;
  readonly files: Readonly<Record<string, string>>;
  /** The message keys of the rule's findings (sorted). */
  readonly keys: readonly string[];
  /** How many fixes the findings offer together, at least. */
  readonly minFixes: number;
}

const CASES: readonly Case[] = [
  {
    name: 'A11 port 2375 while TLS is on',
    rule: 'dind/tls-port-mismatch',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2375
  script: [docker info]
`,
      'config.toml': DOCKER_RUNNER,
    },
    keys: ['tls-port-mismatch.message'],
    minFixes: 2,
  },
  {
    name: 'A11 the client entrypoint picks port 2375',
    rule: 'dind/tls-port-mismatch',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        DOCKER_TLS_CERTDIR: /certs
  variables:
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
      'config.toml': DOCKER_RUNNER,
    },
    keys: ['tls-port-mismatch.message'],
    minFixes: 1,
  },
  {
    name: 'A12 TLS variables without a TLS daemon',
    rule: 'dind/tls-verify-without-certs',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
    DOCKER_TLS_VERIFY: "0"
    DOCKER_CERT_PATH: /certs/client
  script: [docker info]
`,
      'config.toml': PLAIN_RUNNER,
    },
    keys: ['tls-verify-without-certs.message'],
    minFixes: 1,
  },
  {
    name: 'A12 misleading DOCKER_TLS_VERIFY: "false"',
    rule: 'dind/tls-verify-without-certs',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_TLS_CERTDIR: "/certs"
    DOCKER_TLS_VERIFY: "false"
  script: [docker info]
`,
      'config.toml': DOCKER_RUNNER,
    },
    keys: ['tls-verify-without-certs.misleading'],
    minFixes: 1,
  },
  {
    name: 'A13 non-docker image and a Kubernetes runner that does not run entrypoints',
    rule: 'dind/client-env-not-autoconfigured',
    files: {
      '.gitlab-ci.yml': `build:
  image: python:3.12
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': K8S_RUNNER,
    },
    keys: ['client-env-not-autoconfigured.message', 'client-env-not-autoconfigured.runner'],
    minFixes: 2,
  },
  {
    name: 'A14 host-bound cert directory and cache_dir with concurrent jobs',
    rule: 'dind/certs-volume-shared',
    files: {
      'config.toml': `concurrent = 4

[[runners]]
  name = "r1"
  executor = "docker"
  [runners.docker]
    privileged = true
    cache_dir = "/srv/cache"
    volumes = ["/srv/certs:/certs/ca", "/certs/client"]
`,
    },
    keys: ['certs-volume-shared.cache-dir', 'certs-volume-shared.shared'],
    minFixes: 2,
  },
  {
    name: 'A15 DOCKER_TLS_CERTDIR: "" (warning and startup delay)',
    rule: 'dind/tls-disabled',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker build .]
`,
      'config.toml': PLAIN_RUNNER,
    },
    keys: ['tls-disabled.slow-start', 'tls-disabled.unauthenticated'],
    minFixes: 2,
  },
  {
    name: 'A16 prefixed dind service without alias docker',
    rule: 'dind/service-alias-missing',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - registry.hub.docker.com/library/docker:24.0.5-dind
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker build .]
`,
    },
    keys: ['service-alias-missing.message'],
    minFixes: 1,
  },
  {
    name: 'A17 DOCKER_HOST names a host no service has',
    rule: 'dind/docker-host-unresolvable',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://dind:2376
  script: [docker info]
`,
    },
    keys: ['docker-host-unresolvable.unresolvable'],
    minFixes: 2,
  },
  {
    name: 'A17 localhost on the docker executor (CI and runner side)',
    rule: 'dind/docker-host-unresolvable',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://localhost:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
      'config.toml': DOCKER_RUNNER,
    },
    keys: ['docker-host-unresolvable.loopback', 'docker-host-unresolvable.loopback-runner-one'],
    minFixes: 1,
  },
  {
    name: 'A17 Kubernetes alias that is not a DNS name',
    rule: 'dind/docker-host-unresolvable',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: docker_dind
  variables:
    DOCKER_HOST: tcp://docker_dind:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
      'config.toml': K8S_RUNNER,
    },
    keys: ['docker-host-unresolvable.k8s-invalid-alias'],
    minFixes: 1,
  },
  {
    name: 'A17 alias and DOCKER_HOST use the same unknown variable',
    rule: 'dind/docker-host-unresolvable',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: $DIND_HOST
  variables:
    DOCKER_HOST: tcp://$DIND_HOST:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    keys: ['docker-host-unresolvable.variable-host'],
    minFixes: 1,
  },
  {
    name: 'A18 TLS alias not in the server certificate',
    rule: 'dind/tls-hostname-not-in-cert',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
  variables:
    DOCKER_HOST: tcp://dind:2376
  script: [docker info]
`,
      'config.toml': DOCKER_RUNNER,
    },
    keys: ['tls-hostname-not-in-cert.message'],
    minFixes: 2,
  },
  {
    name: 'A19 runner dind service plus job dind service',
    rule: 'dind/duplicate-dind-service',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
      'config.toml': RUNNER_WITH_DIND,
    },
    keys: ['duplicate-dind-service.runner-adds-dind-one', 'duplicate-dind-service.two-daemons'],
    minFixes: 3,
  },
  {
    name: 'A19 another service claims docker first',
    rule: 'dind/duplicate-dind-service',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: registry.example.com/tools/proxy:1
      alias: docker
    - docker:24.0.5-dind
  script: [docker info]
`,
    },
    keys: ['duplicate-dind-service.alias-conflict'],
    minFixes: 0,
  },
  {
    name: 'A20 command starting with dockerd',
    rule: 'dind/service-command-bypasses-entrypoint',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["dockerd", "--registry-mirror", "https://registry-mirror.example.com"]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    keys: ['service-command-bypasses-entrypoint.command'],
    minFixes: 1,
  },
  {
    name: 'A20 entrypoint overridden to dockerd',
    rule: 'dind/service-command-bypasses-entrypoint',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      entrypoint: ["dockerd"]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    keys: ['service-command-bypasses-entrypoint.entrypoint'],
    minFixes: 1,
  },
];

/** Checks one localisable text: English equals what the analysis reported, Chinese is complete. */
function checkLocalised(what: string, m: Msg | undefined, english: string): void {
  assert.ok(m, `${what} has a message key`);
  assert.equal(MESSAGES.render('en', m), english, `${what}: the English rendering is the reported text`);
  const zh = MESSAGES.render('zh-cn', m);
  assert.match(zh, HAN, `${what}: the Chinese rendering is Chinese: ${zh}`);
  assert.doesNotMatch(zh, PLACEHOLDER, `${what}: no unrendered placeholder in Chinese: ${zh}`);
  assert.doesNotMatch(english, PLACEHOLDER, `${what}: no unrendered placeholder in English: ${english}`);
  assert.notEqual(zh, english, `${what}: the Chinese text differs from the English one`);
}

describe('i18n of rules A11-A20', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const { analysis } = analyzeCase({ files: c.files });
      const findings = analysis.findings.filter((f) => f.ruleId === c.rule);
      assert.deepEqual(
        findings.map((f) => f.l10n?.key ?? `(plain) ${f.message}`).sort(),
        [...c.keys].sort(),
        `${c.rule} reports the expected localised findings`,
      );
      let fixCount = 0;
      for (const f of findings) {
        checkLocalised(`${c.rule} finding`, f.l10n, f.message);
        for (const fix of f.fixes) {
          checkLocalised(`${c.rule} fix "${fix.title}"`, fix.l10nTitle, fix.title);
          fixCount++;
        }
      }
      assert.ok(fixCount >= c.minFixes, `${c.rule}: at least ${c.minFixes} fixes offered, got ${fixCount}`);
    });
  }
});
