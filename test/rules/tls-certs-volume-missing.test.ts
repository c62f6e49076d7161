// A9 dind/tls-certs-volume-missing: TLS dind on a DockerLike runner that does not share `$DOCKER_TLS_CERTDIR/client`.

import { ruleCases } from '../helpers/rule-cases';

const ID = 'dind/tls-certs-volume-missing';
const SHARE = 'Share "/certs/client" in the volumes of runner `r1`';
const TLS_OFF = 'Disable TLS for dind: DOCKER_TLS_CERTDIR: "" and DOCKER_HOST: tcp://docker:2375';

const runner = (volumes: string, extra = '') => `[[runners]]
  name = "r1"
  executor = "docker"
  [runners.docker]
    image = "alpine:3.19"
    privileged = true
    volumes = ${volumes}
${extra}`;

const TLS_JOB = `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    DOCKER_TLS_CERTDIR: "/certs"
  script:
    - docker info
`;

ruleCases(ID, [
  {
    name: 'positive: explicit DOCKER_TLS_CERTDIR, runner volumes without /certs/client (CI and TOML findings)',
    files: { '.gitlab-ci.yml': TLS_JOB, 'config.toml': runner('["/cache"]') },
    expect: [
      {
        at: '"/certs"',
        job: 'build',
        runner: 'r1',
        severity: 'error',
        message: 'Cannot connect to the Docker daemon at tcp://docker:2375',
      },
      { file: 'config.toml', at: 'volumes', job: null, runner: 'r1', severity: 'error', message: '`build`' },
    ],
    fixes: [SHARE, TLS_OFF],
  },
  {
    name: 'negative: B2, /certs/client shared',
    files: { '.gitlab-ci.yml': TLS_JOB, 'config.toml': runner('["/certs/client", "/cache"]') },
    expect: [],
  },
  {
    name: 'negative: a parent of the client dir is shared',
    files: { '.gitlab-ci.yml': TLS_JOB, 'config.toml': runner('["/certs", "/cache"]') },
    expect: [],
  },
  {
    name: 'positive: image default TLS (no DOCKER_TLS_CERTDIR anywhere) lands on the dind service; no volumes key at all',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:27-cli
  services:
    - docker:27-dind
  script:
    - docker info
`,
      'config.toml': `[[runners]]
  name = "r1"
  executor = "docker"
  [runners.docker]
    privileged = true
`,
    },
    expect: [
      { at: 'docker:27-dind', job: 'build', severity: 'error', message: 'DOCKER_TLS_CERTDIR=/certs' },
      { file: 'config.toml', at: '[runners.docker]', job: null },
    ],
    fixes: [SHARE, TLS_OFF],
  },
  {
    name: 'positive: custom DOCKER_TLS_CERTDIR /certs2 while only /certs/client is mounted',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_TLS_CERTDIR: /certs2
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
      'config.toml': runner('["/certs/client", "/cache"]'),
    },
    expect: [
      { at: '/certs2', job: 'build', message: '`/certs2/client` is not a shared volume in runner `r1`' },
      { file: 'config.toml', at: 'volumes', job: null, message: '"/certs2/client"' },
    ],
    fixes: ['Share "/certs2/client" in the volumes of runner `r1`'],
  },
  {
    name: 'via default: and global variables: finding at the global variable, fix adds the volume',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  script:
    - docker build .
test:
  script:
    - docker run --rm alpine true
`,
      'config.toml': runner('["/cache"]'),
    },
    expect: [
      { at: '"/certs"', job: 'build' },
      { at: '"/certs"', job: 'test' },
      { file: 'config.toml', at: 'volumes', job: null, message: '`build` and `test` run dind' },
    ],
    fixes: [SHARE, TLS_OFF],
  },
  {
    name: 'via extends from an included file: the finding lands in the template file',
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
    DOCKER_TLS_CERTDIR: "/certs"
`,
      'config.toml': runner('["/cache"]'),
    },
    expect: [
      { file: 'ci/docker.yml', at: '"/certs"', job: 'build', runner: 'r1' },
      { file: 'config.toml', at: 'volumes', job: null },
    ],
    fixes: [SHARE, TLS_OFF],
  },
  {
    name: 'via !reference: variables pulled from a hidden job',
    files: {
      '.gitlab-ci.yml': `.tls:
  variables:
    DOCKER_TLS_CERTDIR: "/certs"
build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables: !reference [.tls, variables]
  script:
    - docker info
`,
      'config.toml': runner('["/cache"]'),
    },
    expect: [
      { at: '"/certs"', job: 'build' },
      { file: 'config.toml', at: 'volumes', job: null },
    ],
    fixes: [SHARE],
  },
  {
    name: 'conditional variable: only the rules: branch turns TLS on',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  rules:
    - if: $CI_COMMIT_TAG
      variables:
        DOCKER_TLS_CERTDIR: "/certs"
    - when: always
  script:
    - docker info
`,
      'config.toml': runner('["/cache"]'),
    },
    expect: [
      { at: '"/certs"', job: 'build', message: 'Cannot connect to the Docker daemon at tcp://docker:2375' },
      { file: 'config.toml', at: 'volumes', job: null },
    ],
    fixes: [SHARE],
  },
  {
    name: 'runtime failure text follows the client env: DOCKER_TLS_VERIFY/DOCKER_CERT_PATH give the ca.pem error',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    DOCKER_HOST: tcp://docker:2376
    DOCKER_TLS_CERTDIR: "/certs"
    DOCKER_TLS_VERIFY: 1
    DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
  script:
    - docker info
`,
      'config.toml': runner('["/cache"]'),
    },
    expect: [
      { at: '"/certs"', job: 'build', message: 'open /certs/client/ca.pem: no such file or directory' },
      { file: 'config.toml', at: 'volumes', job: null },
    ],
    fixes: [SHARE, TLS_OFF],
  },
  {
    name: 'negative: TLS off (DOCKER_TLS_CERTDIR: "")',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
      'config.toml': runner('["/cache"]'),
    },
    expect: [],
  },
  {
    name: 'negative: Unix socket on a shared volume (B4)',
    files: {
      '.gitlab-ci.yml': `job:
  variables:
    DOCKER_HOST: "unix:///runner/services/docker/docker.sock"
  services:
    - docker:24.0.5-dind
  image: docker:24.0.5-cli
  script:
    - docker version
`,
      'config.toml': runner('["/runner/services/docker"]'),
    },
    expect: [],
  },
  {
    name: 'negative: DOCKER_HOST from an unknown project variable',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: $MY_DOCKER_HOST
  script: [docker info]
`,
      'config.toml': runner('["/cache"]'),
    },
    expect: [],
  },
  {
    name: 'negative: Kubernetes runner (A10 covers it) and no runner at all',
    files: {
      '.gitlab-ci.yml': TLS_JOB,
      'config.toml': `[[runners]]
  name = "k"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
`,
    },
    expect: [],
  },
  {
    name: 'assumed GitLab.com runner: shares /certs/client, so only a custom dir is reported (CI side only, no TOML fix)',
    settings: { assumeRunner: 'gitlab-saas' },
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_TLS_CERTDIR: /mycerts
  script: [docker info]
ok:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
    },
    expect: [{ at: '/mycerts', job: 'build', runner: 'gitlab-saas' }],
    fixes: [TLS_OFF],
  },
  {
    name: 'runner-defined dind service with TLS by image default: both findings in config.toml',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script:
    - docker info
`,
      'config.toml': runner(
        '["/cache"]',
        `    [[runners.docker.services]]
      name = "docker:24.0.5-dind"
`,
      ),
    },
    expect: [
      { file: 'config.toml', at: '"docker:24.0.5-dind"', job: 'build' },
      { file: 'config.toml', at: 'volumes', job: null },
    ],
    fixes: [SHARE],
  },
  {
    name: 'runner-defined dind service with DOCKER_TLS_CERTDIR in its environment: the job-level TLS-off fix overrides it',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script:
    - docker info
`,
      'config.toml': runner(
        '["/cache"]',
        `    [[runners.docker.services]]
      name = "docker:24.0.5-dind"
      environment = ["DOCKER_TLS_CERTDIR=/certs", "HEALTHCHECK_TCP_PORT=2376"]
`,
      ),
    },
    expect: [
      { file: 'config.toml', at: '"DOCKER_TLS_CERTDIR=/certs"', job: 'build' },
      { file: 'config.toml', at: 'volumes', job: null },
    ],
    fixes: [SHARE, TLS_OFF],
  },
]);
