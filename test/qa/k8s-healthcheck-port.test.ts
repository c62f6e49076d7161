// QA A26 dind/k8s-healthcheck-port: HEALTHCHECK_TCP_PORT on Kubernetes dind services.

import { ruleCases } from '../helpers/rule-cases';

import { B2_RUNNER, k8sRunner, K8S_CERTS, K8S_TLS_VARS } from './fixtures';

const ID = 'dind/k8s-healthcheck-port';
const K8S = k8sRunner('    privileged = true', K8S_CERTS);

ruleCases(ID, [
  {
    name: 'positive (a): HEALTHCHECK_TCP_PORT only at job level does not count',
    files: {
      '.gitlab-ci.yml': `${K8S_TLS_VARS}build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    HEALTHCHECK_TCP_PORT: "2376"
  script:
    - docker build -t app .
`,
      'config.toml': K8S,
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'warning' },
      { file: 'config.toml', at: 'executor = "kubernetes"', job: 'build', runner: 'k1', severity: 'warning' },
    ],
  },
  {
    name: 'positive (b): TLS on (image default) but the health check waits on 2375, defined in a template',
    files: {
      '.gitlab-ci.yml': `${K8S_TLS_VARS}.dind:
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2375"
build:
  extends: .dind
  image: docker:24.0.5-cli
  script:
    - docker build -t app .
`,
      'config.toml': K8S,
    },
    expect: [
      { at: '"2375"', job: 'build', severity: 'error' },
      { file: 'config.toml', at: 'executor = "kubernetes"', job: 'build', runner: 'k1', severity: 'error' },
    ],
  },
  {
    name: 'positive (b): TLS off but the health check waits on 2376',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2376"
  script:
    - docker build -t app .
`,
      'config.toml': k8sRunner('    privileged = true'),
    },
    expect: [
      { at: '"2376"', job: 'build', severity: 'error' },
      { file: 'config.toml', at: 'executor = "kubernetes"', job: 'build', runner: 'k1', severity: 'error' },
    ],
  },
  {
    name: 'negative: B6 canonical (TLS, 2376)',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2376"
  before_script:
    - docker info

${K8S_TLS_VARS}
build:
  stage: build
  script:
    - docker build -t my-docker-image .
`,
      'config.toml': K8S,
    },
    expect: [],
  },
  {
    name: 'negative: B7 canonical (no TLS, 2375)',
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
  script:
    - docker build -t my-docker-image .
`,
      'config.toml': k8sRunner('    privileged = true'),
    },
    expect: [],
  },
  {
    name: 'negative: runner-defined K8s dind service with HEALTHCHECK_TCP_PORT in environment',
    files: {
      '.gitlab-ci.yml': `${K8S_TLS_VARS}build:
  image: docker:24.0.5-cli
  script:
    - docker build -t app .
`,
      'config.toml': k8sRunner(
        '    privileged = true',
        `${K8S_CERTS}  [[runners.kubernetes.services]]\n    name = "docker:24.0.5-dind"\n    environment = ["HEALTHCHECK_TCP_PORT=2376"]\n`,
      ),
    },
    expect: [],
  },
  {
    name: 'negative: docker executor (health check is automatic)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build -t app .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [],
  },
]);
