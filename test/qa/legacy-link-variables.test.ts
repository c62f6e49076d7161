// QA A22 dind/legacy-link-variables: clients relying on `DOCKER_PORT_2375_TCP` link variables with per-build networks.

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner } from './fixtures';

const ID = 'dind/legacy-link-variables';
const FF = { runner: '  [runners.feature_flags]\n    FF_NETWORK_PER_BUILD = true\n' };
const PRIV = '    privileged = true\n    volumes = ["/cache"]';

ruleCases(ID, [
  {
    name: 'positive: docker:18.09 client (link-based entrypoint) with FF_NETWORK_PER_BUILD in config.toml',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:18.09.7
  services:
    - docker:18.09.7-dind
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner(PRIV, FF),
    },
    expect: [
      { at: 'docker:18.09.7', job: 'build', severity: 'warning' },
      { file: 'config.toml', at: 'FF_NETWORK_PER_BUILD = true', job: 'build', severity: 'warning' },
    ],
  },
  {
    name: 'positive: script reads $DOCKER_PORT_2375_TCP_ADDR with FF_NETWORK_PER_BUILD as a job variable',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    FF_NETWORK_PER_BUILD: "true"
    DOCKER_TLS_CERTDIR: ""
  script:
    - export DOCKER_HOST=tcp://$DOCKER_PORT_2375_TCP_ADDR:2375
    - docker build -t app .
`,
      'config.toml': dockerRunner(PRIV),
    },
    expect: [{ at: 'export DOCKER_HOST=tcp://$DOCKER_PORT_2375_TCP_ADDR:2375', job: 'build', severity: 'warning' }],
  },
  {
    name: 'negative: old client but DOCKER_HOST set explicitly in a template',
    files: {
      '.gitlab-ci.yml': `.dind:
  variables:
    DOCKER_HOST: tcp://docker:2375
build:
  extends: .dind
  image: docker:18.09.7
  services:
    - docker:18.09.7-dind
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner(PRIV, FF),
    },
    expect: [],
  },
  {
    name: 'negative: current client, DOCKER_HOST unset, per-build network (entrypoint does not use links)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner('    privileged = true\n    volumes = ["/certs/client", "/cache"]', FF),
    },
    expect: [],
  },
]);
