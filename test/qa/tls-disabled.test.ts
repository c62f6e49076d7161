// QA A15 dind/tls-disabled: TLS_ON false because DOCKER_TLS_CERTDIR is "": always a warning, plus info when the service
// command lacks --tls=false / --tlsverify=false.

import { ruleCases } from '../helpers/rule-cases';

import { B2, B2_CI, B3, B3_CI, B7_CI, B7_TOML } from './fixtures-qa2';

const ID = 'dind/tls-disabled';

ruleCases(ID, [
  {
    name: 'positive: B3 canonical gives the warning and the startup-delay info',
    files: { '.gitlab-ci.yml': B3_CI, 'config.toml': B3 },
    expect: [
      { at: '""', job: 'build', severity: 'warning' },
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'info' },
    ],
  },
  {
    name: 'positive: B3 with command ["--tls=false"] gives only the warning',
    files: {
      '.gitlab-ci.yml': B3_CI.replace(
        '  services:\n    - docker:24.0.5-dind\n',
        '  services:\n    - name: docker:24.0.5-dind\n      command: ["--tls=false"]\n',
      ),
      'config.toml': B3,
    },
    expect: [{ at: '""', job: 'build', severity: 'warning' }],
  },
  {
    name: 'positive: DOCKER_TLS_CERTDIR "" from an included file lands there',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/vars.yml
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["--tlsverify=false"]
  script: [docker build .]
`,
      'ci/vars.yml': `variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
`,
      'config.toml': B3,
    },
    expect: [{ file: 'ci/vars.yml', at: '""', job: 'build', severity: 'warning' }],
  },
  {
    name: 'positive: B7 on Kubernetes (TLS off)',
    files: { '.gitlab-ci.yml': B7_CI, 'config.toml': B7_TOML },
    expect: [
      { at: '""', job: 'build', severity: 'warning' },
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'info' },
    ],
  },
  {
    name: 'negative: B2 canonical (TLS on)',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': B2 },
    expect: [],
  },
  {
    name: 'negative: DOCKER_TLS_CERTDIR "" globally but "/certs" on the service (service variables win)',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        DOCKER_TLS_CERTDIR: "/certs"
  variables:
    DOCKER_HOST: tcp://docker:2376
    DOCKER_TLS_VERIFY: 1
    DOCKER_CERT_PATH: /certs/client
  script: [docker build .]
`,
      'config.toml': B2,
    },
    expect: [],
  },
  {
    name: 'positive: DOCKER_TLS_CERTDIR= from [[runners]] environment lands in config.toml',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2375
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': B3.replace('  executor', '  environment = ["DOCKER_TLS_CERTDIR="]\n  executor'),
    },
    expect: [
      { file: 'config.toml', at: '"DOCKER_TLS_CERTDIR="', job: 'build', severity: 'warning' },
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'info' },
    ],
  },
  {
    name: 'negative: docker:18.09-dind without DOCKER_TLS_CERTDIR (TLS off by image, not by "")',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:18.09
  services: [docker:18.09-dind]
  script: [docker build .]
`,
      'config.toml': B3,
    },
    expect: [],
  },
]);
