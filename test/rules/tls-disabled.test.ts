// A15 dind/tls-disabled: DOCKER_TLS_CERTDIR: "" (a) warning, (b) info about dockerd's startup delay.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeCase, applyEditsToHost, ruleCases, WS } from '../helpers/rule-cases';

const ID = 'dind/tls-disabled';
const ENABLE = 'Switch dind to TLS: DOCKER_TLS_CERTDIR: "/certs"';
const TLS_FALSE = 'Add --tls=false to the dind service command';

const B3_TOML = `[[runners]]
  name = "r1"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/cache"]
`;

const B3 = `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  script:
    - docker build .
`;

/** A Kubernetes runner whose own dind service has a literal-string health check on 2375. */
const K8S_RUNNER_SERVICE = `[[runners]]
  name = "k"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
  [[runners.kubernetes.services]]
    name = "docker:24.0.5-dind"
    command = ["--tls=false"]
    environment = ['HEALTHCHECK_TCP_PORT=2375']
`;

ruleCases(ID, [
  {
    name: 'B3: (a) warning at the variable, (b) info at the service; switching to TLS also shares the certs',
    files: { '.gitlab-ci.yml': B3, 'config.toml': B3_TOML },
    expect: [
      {
        at: '""',
        job: 'build',
        runner: 'r1',
        severity: 'warning',
        message: 'unauthenticated root-equivalent API on tcp/2375',
      },
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'info', message: 'sleeps ~15 s' },
    ],
    fixes: [ENABLE, TLS_FALSE],
  },
  {
    name: '(b) not reported with --tls=false; (a) still is',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["--tls=false"]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [{ at: '""', job: 'build', severity: 'warning' }],
    fixes: [ENABLE],
  },
  {
    name: '(b) with an existing flags-only command: --tls=false appended; no fix for dind 27+',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["--mtu=1450"]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
b:
  image: docker:28.1-cli
  services:
    - docker:28.1-dind
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [
      { at: '""', job: 'a', severity: 'warning' },
      { at: '["--mtu=1450"]', job: 'a', severity: 'info' },
      { at: '""', occurrence: 1, job: 'b', severity: 'warning' },
      { at: 'docker:28.1-dind', job: 'b', severity: 'info', message: 'Docker 27+ may refuse it' },
    ],
    fixes: [TLS_FALSE],
  },
  {
    name: 'Kubernetes (B7): switching to TLS adds the TLS client variables, the empty_dir and the health-check port',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2375"
variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  script: [docker info]
`,
      'config.toml': `[[runners]]
  name = "k"
  [runners.kubernetes]
    privileged = true
`,
    },
    expect: [
      { at: '""', job: 'build', severity: 'warning' },
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'info' },
    ],
    fixes: [ENABLE],
  },
  {
    name: 'Kubernetes, runner-defined dind service: switching to TLS moves its environment health check to 2376',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
      'config.toml': K8S_RUNNER_SERVICE,
    },
    expect: [{ at: '""', job: 'build', runner: 'k', severity: 'warning' }],
    fixes: [ENABLE],
  },
  {
    name: 'via extends from an included file and service-level variables',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/dind.yml
build:
  extends: .dind
  image: docker:24.0.5-cli
  variables:
    DOCKER_HOST: tcp://docker:2375
  script: [docker info]
`,
      'ci/dind.yml': `.dind:
  services:
    - name: docker:24.0.5-dind
      command: ["--tls=false"]
      variables:
        DOCKER_TLS_CERTDIR: ""
`,
    },
    expect: [{ file: 'ci/dind.yml', at: '""', job: 'build', severity: 'warning' }],
    fixes: [ENABLE],
  },
  {
    name: 'conditional and !reference: only the branch without TLS is reported',
    files: {
      '.gitlab-ci.yml': `.off:
  variables:
    DOCKER_TLS_CERTDIR: ""
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["--tls=false"]
  variables: !reference [.off, variables]
  script: [docker info]
`,
    },
    expect: [{ at: '""', job: 'build', severity: 'warning' }],
  },
  {
    name: 'negative: TLS on (B2), old 18.09 image whose default is empty, entrypoint bypassed',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_TLS_CERTDIR: "/certs"
  script: [docker info]
b:
  image: docker:18.09
  services: [docker:18.09-dind]
  script: [docker info]
`,
    },
    expect: [],
  },
]);

test('switching to TLS rewrites the runner service health check item in place, keeping its literal quoting', () => {
  const files = {
    '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    'config.toml': K8S_RUNNER_SERVICE,
  };
  const { analysis, host } = analyzeCase({ files });
  const fix = analysis.findings
    .filter((f) => f.ruleId === ID)
    .flatMap((f) => f.fixes)
    .find((f) => f.title === ENABLE);
  assert.ok(fix, 'the switch-to-TLS fix is offered');
  const toml = applyEditsToHost(host, fix.edits).files.get(`${WS}/config.toml`) ?? '';
  assert.match(toml, /environment = \['HEALTHCHECK_TCP_PORT=2376'\]/);
  assert.doesNotMatch(toml, /2375/);
});
