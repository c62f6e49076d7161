// QA A10 dind/k8s-tls-certs-volume-missing: Kubernetes, dind with TLS_ON, and no volume at {dir}/client or a parent.

import { ruleCases } from '../helpers/rule-cases';

import { B6_CI, B6_TOML, B7_CI, B7_TOML } from './fixtures-qa2';

const ID = 'dind/k8s-tls-certs-volume-missing';

ruleCases(ID, [
  {
    name: 'positive: B6 pipeline on B7 runner (no empty_dir)',
    files: { '.gitlab-ci.yml': B6_CI, 'config.toml': B7_TOML },
    expect: [
      { at: '"/certs"', job: 'build', runner: 'k8s', severity: 'error' },
      {
        file: 'config.toml',
        at: '[runners.kubernetes]',
        job: null,
        runner: 'k8s',
        severity: 'error',
        message: '`build`',
      },
    ],
  },
  {
    name: 'negative: B6 canonical',
    files: { '.gitlab-ci.yml': B6_CI, 'config.toml': B6_TOML },
    expect: [],
  },
  {
    name: 'negative: B7 canonical (TLS disabled)',
    files: { '.gitlab-ci.yml': B7_CI, 'config.toml': B7_TOML },
    expect: [],
  },
  {
    name: 'negative: empty_dir at the parent /certs',
    files: {
      '.gitlab-ci.yml': B6_CI,
      'config.toml': B6_TOML.replace('mount_path = "/certs/client"', 'mount_path = "/certs"'),
    },
    expect: [],
  },
  {
    name: 'positive: custom DOCKER_TLS_CERTDIR /tls with the volume still at /certs/client',
    files: {
      '.gitlab-ci.yml': B6_CI.replace('DOCKER_TLS_CERTDIR: "/certs"', 'DOCKER_TLS_CERTDIR: "/tls"'),
      'config.toml': B6_TOML,
    },
    expect: [
      { at: '"/tls"', job: 'build', severity: 'error', message: '/tls/client' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: null, severity: 'error', message: '/tls/client' },
    ],
  },
  {
    name: 'negative: TLS disabled on the service only (services[].variables DOCKER_TLS_CERTDIR "")',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  variables:
    DOCKER_HOST: tcp://docker:2375
  services:
    - name: docker:24.0.5-dind
      variables:
        DOCKER_TLS_CERTDIR: ""
        HEALTHCHECK_TCP_PORT: "2375"
  script: [docker build .]
`,
      'config.toml': B7_TOML,
    },
    expect: [],
  },
  {
    name: 'positive: no DOCKER_TLS_CERTDIR anywhere (image default /certs) and no volume',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': B7_TOML,
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'error' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: null, severity: 'error' },
    ],
  },
  {
    name: 'negative: docker:18.09-dind has no TLS by default',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:18.09
  services: [docker:18.09-dind]
  script: [docker build .]
`,
      'config.toml': B7_TOML,
    },
    expect: [],
  },
]);
