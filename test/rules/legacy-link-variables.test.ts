import { ruleCases } from '../helpers/rule-cases';

const DOCKER = `[[runners]]
  name = "r1"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/cache"]
`;

const FF = `${DOCKER}  [runners.feature_flags]
    FF_NETWORK_PER_BUILD = true
`;

ruleCases('dind/legacy-link-variables', [
  {
    name: 'client image < 19.03 without DOCKER_HOST, FF on in the runner: CI at the image, TOML at the flag',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:18.09
  services:
    - docker:18.09-dind
  script:
    - docker build .
`,
      'config.toml': FF,
    },
    expect: [
      { at: 'docker:18.09', job: 'build', runner: 'r1', severity: 'warning', message: 'FF_NETWORK_PER_BUILD is on' },
      { file: 'config.toml', at: 'FF_NETWORK_PER_BUILD = true', job: 'build', severity: 'warning' },
    ],
    fixes: ['Set `DOCKER_HOST: tcp://docker:2375` in job `build`'],
  },
  {
    name: 'script reads $DOCKER_PORT_2375_TCP; Runner ≥ 18.7 without the flag',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    DOCKER_TLS_CERTDIR: ""
  script:
    - export DOCKER_HOST=$DOCKER_PORT_2375_TCP
    - docker build .
`,
      'config.toml': DOCKER,
    },
    expect: [{ at: 'export DOCKER_HOST=$DOCKER_PORT_2375_TCP', job: 'build', message: 'Runner ≥ 18.7' }],
    fixes: ['Set `DOCKER_HOST: tcp://docker:2375` in job `build`'],
  },
  {
    name: 'DOCKER_HOST defined from the link variable in an included template',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
build:
  extends: .docker
  script:
    - docker build .
`,
      'ci/docker.yml': `.docker:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    DOCKER_TLS_CERTDIR: ""
    DOCKER_HOST: $DOCKER_PORT_2375_TCP
`,
      'config.toml': DOCKER,
    },
    expect: [{ file: 'ci/docker.yml', at: '$DOCKER_PORT_2375_TCP', job: 'build' }],
    fixes: ['Set `DOCKER_HOST: tcp://docker:2375` in job `build`'],
  },
  {
    name: 'old client from default: without a runner config (GitLab.com-like runner assumed current)',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:18.09.7
  services:
    - docker:18.09.7-dind
build:
  script:
    - docker info
`,
    },
    expect: [{ at: 'docker:18.09.7', job: 'build', runner: null }],
    fixes: ['Set `DOCKER_HOST: tcp://docker:2375` in job `build`'],
  },
  {
    name: 'negative: DOCKER_HOST set explicitly',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2375
build:
  image: docker:18.09
  services:
    - docker:18.09-dind
  script:
    - docker build .
`,
      'config.toml': FF,
    },
    expect: [],
  },
  {
    name: 'negative: client ≥ 19.03 (also `docker:19`) sets DOCKER_HOST itself; no dind; kubernetes',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:19.03.12
  services:
    - docker:19.03.12-dind
  script:
    - docker build .
major:
  image: docker:19
  services:
    - docker:19-dind
  script:
    - docker build .
nodind:
  image: docker:18.09
  script:
    - echo $DOCKER_PORT_2375_TCP
`,
      'config.toml': `${FF}[[runners]]
  name = "k"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
`,
    },
    expect: [],
  },
  {
    name: 'conditional DOCKER_HOST: only the branch without it is affected',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:18.09
  services:
    - docker:18.09-dind
  rules:
    - if: $CI_COMMIT_TAG
      variables:
        DOCKER_HOST: tcp://docker:2375
    - when: always
  script:
    - docker build .
`,
      'config.toml': FF,
    },
    expect: [
      { at: 'docker:18.09', occurrence: 0, job: 'build' },
      { file: 'config.toml', at: 'FF_NETWORK_PER_BUILD = true' },
    ],
  },
]);
