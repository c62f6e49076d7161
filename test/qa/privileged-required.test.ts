// QA A6 dind/privileged-required: PRIV_SVC on DockerLike (services_privileged ?? privileged, allow-list as written)
// and Kubernetes (service container security context over the global flag), runner-defined services, Sysbox.

import { ruleCases } from '../helpers/rule-cases';

import { DIND_JOB, K8S_CERTS, K8S_TLS_VARS, dockerRunner, k8sRunner } from './fixtures';

const ID = 'dind/privileged-required';

const K8S_JOB = `${K8S_TLS_VARS}build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2376"
  script: [docker build .]
`;

ruleCases(ID, [
  {
    name: "QA: an unprivileged rootless dind service is A37's finding, not A6's; a rootful one beside it stays A6's",
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:27.4.1-cli
  services:
    - docker:27.4.1-dind-rootless
  script:
    - docker build -t app .
rootful:
  image: docker:27.4.1-cli
  services:
    - docker:27.4.1-dind
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner('    volumes = ["/certs/client", "/cache"]'),
    },
    expect: [
      { at: 'docker:27.4.1-dind', occurrence: 1, job: 'rootful', severity: 'error' },
      { file: 'config.toml', at: '[runners.docker]', job: 'rootful', severity: 'error' },
    ],
  },
  {
    name: 'QA: with A37 turned off, A6 reports the unprivileged rootless dind service',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:27.4.1-cli
  services:
    - docker:27.4.1-dind-rootless
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner('    volumes = ["/certs/client", "/cache"]'),
    },
    settings: { rules: { 'dind/rootless-misconfigured': 'off' } },
    expect: [
      { at: 'docker:27.4.1-dind-rootless', job: 'build', severity: 'error' },
      { file: 'config.toml', at: '[runners.docker]', job: 'build', severity: 'error' },
    ],
  },
  {
    name: 'positive: services_privileged = false overrides privileged = true',
    files: {
      '.gitlab-ci.yml': DIND_JOB,
      'config.toml': dockerRunner(
        '    privileged = true\n    services_privileged = false\n    volumes = ["/certs/client", "/cache"]',
      ),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', runner: 'r1', severity: 'error' },
      { file: 'config.toml', at: 'services_privileged = false', job: 'build', severity: 'error' },
    ],
  },
  {
    name: 'positive: a runner-defined dind service on an unprivileged runner lands in config.toml',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script: [docker build .]
`,
      'config.toml': dockerRunner(
        '    volumes = ["/certs/client", "/cache"]\n    [[runners.docker.services]]\n      name = "docker:24.0.5-dind"',
      ),
    },
    expect: [{ file: 'config.toml', at: '"docker:24.0.5-dind"', job: 'build', severity: 'error' }],
  },
  {
    name: 'positive: Kubernetes without privileged anywhere',
    files: { '.gitlab-ci.yml': K8S_JOB, 'config.toml': k8sRunner('', K8S_CERTS) },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', runner: 'k1', severity: 'error' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'build', severity: 'error' },
    ],
  },
  {
    name: 'positive: Kubernetes service_container_security_context privileged = false overrides the global true',
    files: {
      '.gitlab-ci.yml': K8S_JOB,
      'config.toml': k8sRunner(
        '    privileged = true\n    [runners.kubernetes.service_container_security_context]\n      privileged = false',
        K8S_CERTS,
      ),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'error' },
      { file: 'config.toml', at: 'privileged = false', job: 'build', severity: 'error' },
    ],
  },
  {
    name: 'negative: Kubernetes privileged only in service_container_security_context',
    files: {
      '.gitlab-ci.yml': K8S_JOB,
      'config.toml': k8sRunner(
        '    [runners.kubernetes.service_container_security_context]\n      privileged = true',
        K8S_CERTS,
      ),
    },
    expect: [],
  },
  {
    name: 'negative: services_privileged with an allow-list that lists both tag forms',
    files: {
      '.gitlab-ci.yml': DIND_JOB,
      'config.toml': dockerRunner(
        '    services_privileged = true\n    allowed_privileged_services = ["docker:dind", "docker:*-dind"]\n    volumes = ["/certs/client", "/cache"]',
      ),
    },
    expect: [],
  },
  {
    name: 'negative: B11 Sysbox runtime, unprivileged',
    files: {
      '.gitlab-ci.yml': `image: docker:24.0.5-cli
services:
  - docker:24.0.5-dind
variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  script:
    - docker build -t my-docker-image .
`,
      'config.toml': dockerRunner(
        '    privileged = false\n    volumes = ["/certs/client", "/cache"]\n    runtime = "sysbox-runc"',
      ),
    },
    expect: [],
  },
  {
    name: 'negative: runnerTags route the dind job to the privileged runner only',
    files: {
      '.gitlab-ci.yml': `build:
  tags: [dind]
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml':
        dockerRunner('    privileged = true\n    volumes = ["/certs/client", "/cache"]', { name: 'big' }) +
        dockerRunner('    volumes = ["/certs/client"]', { name: 'small' }),
    },
    settings: { runnerTags: { big: ['dind'], small: ['small'] } },
    expect: [],
  },
  {
    name: "negative (noise item 1): privileged services with an allow-list miss are A7's finding, not A6's",
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:dind]
  script: [docker build .]
`,
      'config.toml': dockerRunner(
        '    services_privileged = true\n    allowed_privileged_services = ["docker:*-dind"]\n    volumes = ["/certs/client", "/cache"]',
      ),
    },
    expect: [],
  },
  {
    name: 'positive: services_privileged = false with an allow-list that misses the name (privileged mode is off)',
    files: {
      '.gitlab-ci.yml': DIND_JOB,
      'config.toml': dockerRunner(
        '    services_privileged = false\n    allowed_privileged_services = ["postgres:*"]\n    volumes = ["/certs/client", "/cache"]',
      ),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'error', message: '`services_privileged = false`' },
      { file: 'config.toml', at: 'services_privileged = false', job: 'build', severity: 'error' },
    ],
  },
]);
