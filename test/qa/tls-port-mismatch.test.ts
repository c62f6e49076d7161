// QA A11 dind/tls-port-mismatch: DOCKER_HOST port vs TLS_ON, through templates, anchors, !reference, rules/workflow
// variables and the runner environment.

import { ruleCases } from '../helpers/rule-cases';

import { B2_RUNNER, dockerRunner } from './fixtures';

const ID = 'dind/tls-port-mismatch';

ruleCases(ID, [
  {
    name: 'positive: 2375 from a hidden template while TLS is on by image default',
    files: {
      '.gitlab-ci.yml': `.dind:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    DOCKER_HOST: tcp://docker:2375
build:
  extends: .dind
  script: [docker build .]
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'tcp://docker:2375', job: 'build', runner: 'r1', severity: 'error', message: '2376 (TLS)' }],
  },
  {
    name: 'positive: 2375 from an anchored variables mapping',
    files: {
      '.gitlab-ci.yml': `.vars: &dind-vars
  DOCKER_HOST: tcp://docker:2375
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    <<: *dind-vars
    GIT_DEPTH: "10"
  script: [docker build .]
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'tcp://docker:2375', job: 'build', severity: 'error' }],
  },
  {
    name: 'positive: 2375 via !reference into an included file lands in that file',
    files: {
      '.gitlab-ci.yml': `include: ci/vars.yml
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: !reference [.dind-vars, variables, DOCKER_HOST]
  script: [docker build .]
`,
      'ci/vars.yml': `.dind-vars:
  variables:
    DOCKER_HOST: tcp://docker:2375
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ file: 'ci/vars.yml', at: 'tcp://docker:2375', job: 'build', severity: 'error' }],
  },
  {
    name: 'positive: DOCKER_HOST=tcp://docker:2375 in [[runners]] environment (BOTH)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': dockerRunner('    privileged = true\n    volumes = ["/certs/client", "/cache"]', {
        runner: '  environment = ["DOCKER_HOST=tcp://docker:2375"]\n',
      }),
    },
    expect: [{ file: 'config.toml', at: '"DOCKER_HOST=tcp://docker:2375"', job: 'build', severity: 'error' }],
  },
  {
    name: 'positive: 2376 while workflow:rules:variables may switch TLS off (worst case)',
    files: {
      '.gitlab-ci.yml': `workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
      variables:
        DOCKER_TLS_CERTDIR: ""
    - when: always
variables:
  DOCKER_HOST: tcp://docker:2376
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'tcp://docker:2376', job: 'build', severity: 'error', message: '2375 (no TLS)' }],
  },
  {
    name: 'positive: 2376 against docker:18.09-dind (TLS off by default)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:18.09
  services: [docker:18.09-dind]
  variables:
    DOCKER_HOST: tcp://docker:2376
  script: [docker build .]
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'tcp://docker:2376', job: 'build', severity: 'error' }],
  },
  {
    name: 'positive: custom port 2377 without a --host flag',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2377
  script: [docker build .]
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'tcp://docker:2377', job: 'build', severity: 'error' }],
  },
  {
    name: 'negative: custom port 2377 published with --host=tcp://0.0.0.0:2377',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["--host=tcp://0.0.0.0:2377"]
  variables:
    DOCKER_HOST: tcp://docker:2377
    DOCKER_TLS_CERTDIR: ""
  script: [docker build .]
`,
      'config.toml': B2_RUNNER,
    },
    expect: [],
  },
  {
    name: 'negative: job variables override a global no-TLS pair with a TLS pair',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2376
    DOCKER_TLS_CERTDIR: "/certs"
  script: [docker build .]
`,
      'config.toml': B2_RUNNER,
    },
    expect: [],
  },
  {
    name: 'negative: B3 without a runner config (CI-only rule)',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  script: [docker build .]
`,
    },
    expect: [],
  },
]);
