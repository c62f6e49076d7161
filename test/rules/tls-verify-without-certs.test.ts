// A12 dind/tls-verify-without-certs: TLS client variables without a TLS daemon or without shared certificates.

import { ruleCases } from '../helpers/rule-cases';

const ID = 'dind/tls-verify-without-certs';
const REMOVE = 'Remove DOCKER_TLS_VERIFY and DOCKER_CERT_PATH';

const runner = (volumes: string) => `[[runners]]
  name = "r1"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ${volumes}
`;

ruleCases(ID, [
  {
    name: 'daemon without TLS, DOCKER_TLS_VERIFY: "0" still enables TLS',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
    DOCKER_TLS_VERIFY: "0"
  script: [docker info]
`,
      'config.toml': runner('["/cache"]'),
    },
    expect: [{ at: '"0"', job: 'build', severity: 'error', message: 'does not serve TLS' }],
    fixes: [REMOVE],
  },
  {
    name: 'DOCKER_CERT_PATH alone from default variables, via include',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/vars.yml
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
      'ci/vars.yml': `variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
  DOCKER_CERT_PATH: /certs/client
`,
    },
    expect: [{ file: 'ci/vars.yml', at: '/certs/client', job: 'build', message: 'DOCKER_CERT_PATH=/certs/client' }],
    fixes: [REMOVE],
  },
  {
    name: 'TLS on but the runner does not share the certificates (fix: share them)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2376
    DOCKER_TLS_CERTDIR: "/certs"
    DOCKER_TLS_VERIFY: 1
    DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
  script: [docker info]
`,
      'config.toml': runner('["/cache"]'),
    },
    expect: [{ at: '1', job: 'build', runner: 'r1', message: 'does not share `/certs/client`' }],
    fixes: ['Share "/certs/client" with the job in runner `r1`'],
  },
  {
    name: 'Kubernetes TLS without the empty_dir: fix adds it',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2376
    DOCKER_TLS_CERTDIR: "/certs"
    DOCKER_TLS_VERIFY: 1
    DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
  script: [docker info]
`,
      'config.toml': `[[runners]]
  name = "k"
  [runners.kubernetes]
    privileged = true
`,
    },
    expect: [{ at: '1', job: 'build', runner: 'k' }],
    fixes: ['Share "/certs/client" with the job in runner `k`'],
  },
  {
    name: 'Kubernetes without TLS (B7) and a health check on 2375: removing the TLS variables keeps it consistent',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2375"
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
    DOCKER_TLS_VERIFY: 1
  script: [docker info]
`,
      'config.toml': `[[runners]]
  name = "k"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
`,
    },
    expect: [{ at: '1', job: 'build', runner: 'k', message: 'does not serve TLS' }],
    fixes: [REMOVE],
  },
  {
    name: 'misleading DOCKER_TLS_VERIFY: "false" on a working TLS setup (warning)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_TLS_CERTDIR: "/certs"
    DOCKER_TLS_VERIFY: "false"
  script: [docker info]
`,
      'config.toml': runner('["/certs/client", "/cache"]'),
    },
    expect: [{ at: '"false"', job: 'build', severity: 'warning', message: 'even to "0"' }],
    fixes: ['Set DOCKER_TLS_VERIFY to "1"'],
  },
  {
    name: 'negative: B6 (Kubernetes TLS with the empty_dir) and B2',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
  DOCKER_TLS_VERIFY: 1
  DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
      'config.toml': `[[runners]]
  name = "k"
  [runners.kubernetes]
    privileged = true
  [[runners.kubernetes.volumes.empty_dir]]
    name = "docker-certs"
    mount_path = "/certs/client"
    medium = "Memory"
`,
    },
    expect: [],
  },
  {
    name: 'negative: no dind service (remote daemon) and unknown value',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker:24.0.5-cli
  variables:
    DOCKER_HOST: tcp://remote:2376
    DOCKER_TLS_VERIFY: 1
  script: [docker info]
b:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_TLS_CERTDIR: ""
    DOCKER_TLS_VERIFY: $VERIFY
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'via extends and !reference, and from [[runners]] environment (lands in config.toml)',
    files: {
      '.gitlab-ci.yml': `.tls:
  variables:
    DOCKER_TLS_VERIFY: "1"
.base:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_TLS_CERTDIR: ""
a:
  extends: .base
  variables:
    DOCKER_TLS_VERIFY: !reference [.tls, variables, DOCKER_TLS_VERIFY]
  script: [docker info]
`,
      'config.toml': `[[runners]]
  name = "r1"
  executor = "docker"
  environment = ["DOCKER_CERT_PATH=/certs/client"]
  [runners.docker]
    privileged = true
`,
    },
    expect: [{ at: '"1"', job: 'a', runner: 'r1' }],
    fixes: [REMOVE],
  },
  {
    name: 'conditional: TLS turned off only in a rules: branch',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_TLS_VERIFY: 1
  rules:
    - if: $CI_COMMIT_TAG
      variables:
        DOCKER_TLS_CERTDIR: ""
    - when: always
  script: [docker info]
`,
      'config.toml': runner('["/certs/client"]'),
    },
    expect: [{ at: '1', job: 'build', message: 'does not serve TLS' }],
  },
]);
