// A10 dind/k8s-tls-certs-volume-missing: Kubernetes TLS dind without a volume at `$DOCKER_TLS_CERTDIR/client`.

import { ruleCases } from '../helpers/rule-cases';

const ID = 'dind/k8s-tls-certs-volume-missing';
const ADD = 'Add an empty_dir volume at "/certs/client" to runner `k`';
const TLS_OFF = 'Disable TLS for dind: DOCKER_TLS_CERTDIR: "" and DOCKER_HOST: tcp://docker:2375';

const K8S = `[[runners]]
  name = "k"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
`;

const B6_CI = `default:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2376"
variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
  DOCKER_TLS_VERIFY: 1
  DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
build:
  script:
    - docker build .
`;

ruleCases(ID, [
  {
    name: 'B6 without the empty_dir: CI finding at DOCKER_TLS_CERTDIR, TOML finding at [runners.kubernetes]',
    files: { '.gitlab-ci.yml': B6_CI, 'config.toml': K8S },
    expect: [
      { at: '"/certs"', job: 'build', runner: 'k', severity: 'error', message: 'empty_dir' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: null, runner: 'k', message: '`build` runs dind' },
    ],
    fixes: [ADD, TLS_OFF],
  },
  {
    name: 'negative: B6 with the empty_dir, a parent mount, and B7 (TLS off)',
    files: {
      '.gitlab-ci.yml': `${B6_CI}plain:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
      'config.toml': `${K8S}  [[runners.kubernetes.volumes.empty_dir]]
    name = "certs"
    mount_path = "/certs"
    medium = "Memory"
`,
    },
    expect: [],
  },
  {
    name: 'image default TLS, mount at another path; an existing docker-certs name is not reused',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
      'config.toml': `${K8S}  [[runners.kubernetes.volumes.empty_dir]]
    name = "docker-certs"
    mount_path = "/other"
`,
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', message: 'DOCKER_TLS_CERTDIR=/certs' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: null },
    ],
    fixes: [ADD],
  },
  {
    name: 'via extends from an included file with a custom cert dir',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/dind.yml
build:
  extends: .dind
  script: [docker info]
`,
      'ci/dind.yml': `.dind:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_TLS_CERTDIR: /tls
`,
      'config.toml': `${K8S}  [[runners.kubernetes.volumes.empty_dir]]
    name = "docker-certs"
    mount_path = "/certs/client"
`,
    },
    expect: [
      { file: 'ci/dind.yml', at: '/tls', job: 'build', message: '`/tls/client`' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: null, message: '`/tls/client`' },
    ],
    fixes: ['Add an empty_dir volume at "/tls/client" to runner `k`'],
  },
  {
    name: 'conditional via !reference: a rules: branch turns TLS on',
    files: {
      '.gitlab-ci.yml': `.tls:
  DOCKER_TLS_CERTDIR: /certs
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  rules:
    - if: $CI_COMMIT_TAG
      variables:
        DOCKER_TLS_CERTDIR: !reference [.tls, DOCKER_TLS_CERTDIR]
    - when: always
  script: [docker info]
`,
      'config.toml': K8S,
    },
    expect: [
      { at: '/certs', job: 'build' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: null },
    ],
    fixes: [ADD],
  },
  {
    name: 'negative: docker executor (A9) and no runner',
    files: {
      '.gitlab-ci.yml': B6_CI,
      'config.toml': `[[runners]]
  name = "d"
  executor = "docker"
  [runners.docker]
    privileged = true
`,
    },
    expect: [],
  },
]);
