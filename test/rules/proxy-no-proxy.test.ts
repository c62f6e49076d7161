import { ruleCases } from '../helpers/rule-cases';

const DIND = `  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
`;

const DOCKER = `[[runners]]
  name = "r1"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

ruleCases('dind/proxy-no-proxy', [
  {
    name: 'HTTP_PROXY in CI variables, no NO_PROXY: at the proxy variable',
    files: {
      '.gitlab-ci.yml': `variables:
  HTTP_PROXY: http://proxy.corp:3128
build:
${DIND}  script:
    - docker build .
`,
      'config.toml': DOCKER,
    },
    expect: [{ at: 'http://proxy.corp:3128', job: 'build', severity: 'warning', message: 'NO_PROXY is not set' }],
    fixes: ['Add `docker:2375,docker:2376` to NO_PROXY'],
  },
  {
    name: 'NO_PROXY without ports: at NO_PROXY, fix prepends',
    files: {
      '.gitlab-ci.yml': `variables:
  https_proxy: http://proxy.corp:3128
  NO_PROXY: "localhost,docker"
build:
${DIND}  script:
    - docker build .
`,
    },
    expect: [{ at: '"localhost,docker"', job: 'build', message: 'lacks docker:2375, docker:2376' }],
    fixes: ['Add `docker:2375,docker:2376` to NO_PROXY'],
  },
  {
    name: 'proxy and NO_PROXY from [[runners]] environment: one runner-side finding with a TOML fix',
    files: {
      '.gitlab-ci.yml': `build:
${DIND}  script:
    - docker build .
test:
${DIND}  script:
    - docker info
`,
      'config.toml': `[[runners]]
  name = "r1"
  executor = "docker"
  environment = ["HTTPS_PROXY=http://proxy.corp:3128", "NO_PROXY=localhost"]
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
`,
    },
    expect: [{ file: 'config.toml', at: '"NO_PROXY=localhost"', job: null, message: '`build` and `test`' }],
    fixes: ['Add `docker:2375,docker:2376` to NO_PROXY'],
  },
  {
    name: 'proxy only in the runner environment: NO_PROXY added to the environment',
    files: {
      '.gitlab-ci.yml': `build:
${DIND}  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "r1"
  executor = "docker"
  environment = ["HTTP_PROXY=http://proxy.corp:3128"]
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
`,
    },
    expect: [{ file: 'config.toml', at: '"HTTP_PROXY=http://proxy.corp:3128"', job: 'build' }],
    fixes: ['Add `docker:2375,docker:2376` to NO_PROXY'],
  },
  {
    name: 'negative: NO_PROXY lists the daemon with ports (B14), or DOCKER_HOST host:port',
    files: {
      '.gitlab-ci.yml': `variables:
  HTTP_PROXY: http://proxy.corp:3128
  NO_PROXY: "docker:2375,docker:2376,localhost"
build:
${DIND}  script:
    - docker build .
other:
${DIND}  variables:
    DOCKER_HOST: tcp://docker:2376
    NO_PROXY: "docker:2376"
  script:
    - docker build .
`,
      'config.toml': DOCKER,
    },
    expect: [],
  },
  {
    name: 'negative: no dind service, or a unix socket DOCKER_HOST',
    files: {
      '.gitlab-ci.yml': `variables:
  HTTP_PROXY: http://proxy.corp:3128
build:
  image: alpine:3.19
  script:
    - echo hi
sock:
${DIND}  variables:
    DOCKER_HOST: unix:///runner/services/docker/docker.sock
  script:
    - docker build .
`,
    },
    expect: [],
  },
  {
    name: 'proxy in an included template via extends; the fix edits that template',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/proxy.yml
build:
  extends: .proxy
${DIND}  script:
    - docker build .
`,
      'ci/proxy.yml': `.proxy:
  variables:
    HTTPS_PROXY: http://proxy.corp:3128
`,
    },
    expect: [{ file: 'ci/proxy.yml', at: 'http://proxy.corp:3128', job: 'build' }],
    fixes: ['Add `docker:2375,docker:2376` to NO_PROXY'],
  },
  {
    name: 'conditional NO_PROXY: the branch without it is reported',
    files: {
      '.gitlab-ci.yml': `variables:
  HTTP_PROXY: http://proxy.corp:3128
build:
${DIND}  rules:
    - if: $CI_COMMIT_TAG
      variables:
        NO_PROXY: "docker:2375,docker:2376"
    - when: always
  script:
    - docker build .
`,
    },
    expect: [{ at: 'http://proxy.corp:3128', job: 'build' }],
  },
]);
