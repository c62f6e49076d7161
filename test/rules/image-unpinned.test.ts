import { ruleCases } from '../helpers/rule-cases';

const RUNNER = `[[runners]]
  name = "docker-runner"
  executor = "docker"
  [runners.docker]
    image = "docker:latest"
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

ruleCases('dind/image-unpinned', [
  {
    name: 'floating job image and dind service: two warnings, each fix pins the pair',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:latest
  services:
    - docker:dind
  script:
    - docker build .
`,
    },
    expect: [
      { at: 'docker:latest', job: 'build', severity: 'warning', message: 'Pin the Docker image version' },
      { at: 'docker:dind', job: 'build', severity: 'warning', message: 'floating tags change the daemon under you' },
    ],
    fixes: ['Pin docker:24.0.5-cli and docker:24.0.5-dind'],
  },
  {
    name: 'pinned pair: no finding',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`,
    },
    expect: [],
  },
  {
    name: 'major.minor and digest-pinned images are pinned enough; non-docker images are not checked',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker:27.3-cli
  services:
    - docker:27.3-dind
  script: [docker info]
b:
  image: docker@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
  script: [docker info]
c:
  image: alpine:latest
  services: [postgres:latest]
  script: [echo]
`,
    },
    expect: [],
  },
  {
    name: 'a floating dind service next to a pinned client takes the client version (matching pair)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:27.5.1-cli
  services:
    - name: docker:dind
      alias: docker
  script: [docker info]
`,
    },
    expect: [{ at: 'docker:dind', job: 'build', severity: 'warning', message: '`docker:27.5.1-dind`' }],
    fixes: ['Pin docker:27.5.1-dind'],
  },
  {
    name: 'major-only tags are info; the fix keeps the major',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:27-cli
  services:
    - docker:27-dind
  script: [docker info]
`,
    },
    expect: [
      { at: 'docker:27-cli', job: 'build', severity: 'info', message: 'pins only the major version' },
      { at: 'docker:27-dind', job: 'build', severity: 'info' },
    ],
    fixes: ['Pin docker:27.5.1-cli and docker:27.5.1-dind'],
  },
  {
    name: 'docker (no tag), docker:stable, docker:git and docker:dind-rootless are floating',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker
  script: [docker info]
b:
  image: docker:stable
  script: [docker info]
c:
  image: docker:git
  services: [docker:dind-rootless]
  script: [docker info]
`,
    },
    expect: [
      { at: 'docker', job: 'a', severity: 'warning' },
      { at: 'docker:stable', job: 'b', severity: 'warning', message: 'has not been updated since Docker 19.03' },
      { at: 'docker:git', job: 'c', severity: 'warning' },
      { at: 'docker:dind-rootless', job: 'c', severity: 'warning' },
    ],
    fixes: ['Pin docker:24.0.5-git and docker:24.0.5-dind-rootless', 'Pin docker:24.0.5-cli'],
  },
  {
    name: 'values from default:, extends, an included file and !reference are reported where they are written',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
default:
  image: docker:latest
.svc:
  services:
    - docker:dind
build:
  extends: .dind
  script: [docker info]
ref:
  image: docker:24.0.5-cli
  services: !reference [.svc, services]
  script: [docker info]
`,
      'ci/docker.yml': `.dind:
  services:
    - name: registry.example.com/library/docker:dind
      alias: docker
`,
    },
    expect: [
      { at: 'docker:latest', job: 'build', severity: 'warning' },
      { file: 'ci/docker.yml', at: 'registry.example.com/library/docker:dind', job: 'build', severity: 'warning' },
      { at: 'docker:dind', job: 'ref', severity: 'warning' },
    ],
    fixes: ['Pin docker:24.0.5-cli and registry.example.com/library/docker:24.0.5-dind', 'Pin docker:24.0.5-dind'],
  },
  {
    name: 'a variable in the tag is unknown: no finding; runner-defined images are out of scope',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:$DOCKER_VERSION-cli
  services:
    - docker:\${DOCKER_VERSION}-dind
  script: [docker info]
plain:
  script: [docker info]
`,
      'config.toml': RUNNER,
    },
    expect: [],
  },
]);
