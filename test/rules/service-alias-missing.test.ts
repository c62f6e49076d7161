// A16 dind/service-alias-missing: a prefixed dind service name derives no `docker` alias.
import { ruleCases } from '../helpers/rule-cases';

const RUNNER_TLS = `[[runners]]
  name = "tls"
  executor = "docker"
  [runners.docker]
    image = "docker:24.0.5-cli"
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

const FIX = 'Add `alias: docker` to service `registry.hub.docker.com/library/docker:24.0.5-dind`';

ruleCases('dind/service-alias-missing', [
  {
    name: 'prefixed dind with explicit DOCKER_HOST docker: error at the service name',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - registry.hub.docker.com/library/docker:24.0.5-dind
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script:
    - docker build .
`,
    },
    expect: [
      {
        at: 'registry.hub.docker.com/library/docker:24.0.5-dind',
        job: 'build',
        severity: 'error',
        message:
          'reachable as `registry.hub.docker.com__library__docker`, `registry.hub.docker.com-library-docker`, not `docker`',
      },
    ],
    fixes: [FIX],
  },
  {
    name: 'client entrypoint default (CLIENT_AUTO) also connects to docker',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: mirror.local/docker:24.0.5-dind
  script:
    - docker info
`,
      'config.toml': RUNNER_TLS,
    },
    expect: [{ at: 'mirror.local/docker:24.0.5-dind', job: 'build', runner: 'tls', message: 'entrypoint' }],
    fixes: ['Add `alias: docker` to service `mirror.local/docker:24.0.5-dind`'],
  },
  {
    name: 'negative: explicit alias docker',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: registry.hub.docker.com/library/docker:24.0.5-dind
      alias: docker
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script:
    - docker info
`,
    },
    expect: [],
  },
  {
    name: 'negative: plain docker:dind derives docker',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://docker:2375
  script:
    - docker info
`,
    },
    expect: [],
  },
  {
    name: 'negative: DOCKER_HOST names the derived alias (no docker involved)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [mirror.local/docker:24.0.5-dind]
  variables:
    DOCKER_HOST: tcp://mirror.local__docker:2375
    DOCKER_TLS_CERTDIR: ""
  script:
    - docker info
`,
    },
    expect: [],
  },
  {
    name: 'dependency proxy prefix: unresolved variable in the prefix still cannot derive docker',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - \${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24.0.5-dind
  variables:
    DOCKER_HOST: tcp://docker:2376
  script:
    - docker info
`,
    },
    expect: [{ at: '${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24.0.5-dind', job: 'build' }],
    fixes: ['Add `alias: docker` to service `${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24.0.5-dind`'],
  },
  {
    name: 'negative: unknown DOCKER_HOST (project variable) never errors',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [mirror.local/docker:24.0.5-dind]
  variables:
    DOCKER_HOST: $MY_DOCKER_HOST
  script:
    - docker info
`,
    },
    expect: [],
  },
  {
    name: 'service through default: reported in default, for every job',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - registry.hub.docker.com/library/docker:24.0.5-dind
variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
a:
  script: [docker info]
b:
  script: [docker info]
`,
    },
    expect: [
      { at: 'registry.hub.docker.com/library/docker:24.0.5-dind', job: 'a' },
      { at: 'registry.hub.docker.com/library/docker:24.0.5-dind', job: 'b' },
    ],
    fixes: [FIX],
  },
  {
    name: 'service through extends from an included template: reported and fixed in the template',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
build:
  extends: .docker
  script: [docker build .]
`,
      'ci/docker.yml': `.docker:
  image: docker:24.0.5-cli
  services:
    - name: registry.hub.docker.com/library/docker:24.0.5-dind
      command: ["--registry-mirror", "https://mirror.example.com"]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
`,
    },
    expect: [{ file: 'ci/docker.yml', at: 'registry.hub.docker.com/library/docker:24.0.5-dind', job: 'build' }],
    fixes: [FIX],
  },
  {
    name: 'service through !reference',
    files: {
      '.gitlab-ci.yml': `.dind:
  services:
    - registry.hub.docker.com/library/docker:24.0.5-dind
build:
  image: docker:24.0.5-cli
  services: !reference [.dind, services]
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [{ at: 'registry.hub.docker.com/library/docker:24.0.5-dind', job: 'build' }],
    fixes: [FIX],
  },
  {
    name: 'conditional DOCKER_HOST: the rules branch points at docker',
    files: {
      '.gitlab-ci.yml': `build:
  image: alpine:3.20
  services: [mirror.local/docker:24.0.5-dind]
  variables:
    DOCKER_TLS_CERTDIR: ""
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
      variables:
        DOCKER_HOST: tcp://docker:2375
    - when: always
  script: [docker info]
`,
    },
    expect: [{ at: 'mirror.local/docker:24.0.5-dind', job: 'build' }],
  },
  {
    name: 'runner-defined dind service without alias: reported and fixed in config.toml',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
      'config.toml': `[[runners]]
  name = "mirror"
  executor = "docker"
  [runners.docker]
    privileged = true
    [[runners.docker.services]]
      name = "mirror.local/docker:24.0.5-dind"
`,
    },
    expect: [{ file: 'config.toml', at: '"mirror.local/docker:24.0.5-dind"', job: 'build', runner: 'mirror' }],
    fixes: ['Add `alias: docker` to service `mirror.local/docker:24.0.5-dind`'],
  },
]);
