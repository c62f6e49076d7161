import { ruleCases } from '../helpers/rule-cases';

const DOCKER_TOML = `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

ruleCases('dind/wrong-image-variant', [
  {
    name: '(a) the dind image as the job image',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-dind
  script:
    - docker build .
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [{ at: 'docker:24.0.5-dind', job: 'build', severity: 'error', message: 'is the Docker daemon image' }],
    fixes: ['Use `docker:24.0.5-cli` as the image and `docker:24.0.5-dind` as a service'],
  },
  {
    name: '(a) the dind image through default: in an included file, with a dind service already there',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/base.yml
build:
  services:
    - docker:27-dind
  script:
    - docker build .
`,
      'ci/base.yml': `default:
  image:
    name: docker:27-dind
`,
    },
    expect: [{ file: 'ci/base.yml', at: 'docker:27-dind', job: 'build' }],
    fixes: ['Use `docker:27-cli` as the image'],
  },
  {
    name: '(b) the CLI image as the service, through extends',
    files: {
      '.gitlab-ci.yml': `.docker:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-cli
build:
  extends: .docker
  script:
    - docker build .
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [{ at: 'docker:24.0.5-cli', occurrence: 1, job: 'build', message: 'is the Docker CLI image' }],
    fixes: ['Use `docker:24.0.5-dind`'],
  },
  {
    name: '(b) docker:latest as a service through !reference',
    files: {
      '.gitlab-ci.yml': `.svc:
  services:
    - name: docker:latest
build:
  image: docker:cli
  services: !reference [.svc, services]
  script:
    - docker info
`,
    },
    expect: [{ at: 'docker:latest', job: 'build' }],
    fixes: ['Use `docker:dind`'],
  },
  {
    name: 'the canonical pair is fine',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script:
    - docker build .
`,
    },
    expect: [],
  },
  {
    name: '(b) needs Docker usage: a docker client service in a job that does not use Docker is not reported',
    files: {
      '.gitlab-ci.yml': `test:
  image: python:3.12
  services: [docker:24.0.5]
  script:
    - pytest
`,
    },
    expect: [],
  },
  {
    name: "QA: (b) a CLI image inherited from default: services; the fix pins the client's version",
    files: {
      '.gitlab-ci.yml': `default:
  services: [docker:stable]
build:
  image: docker:24.0.5-cli
  script: [docker build .]
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [{ at: 'docker:stable', job: 'build', severity: 'error', message: 'is the Docker CLI image' }],
    fixes: ['Use `docker:24.0.5-dind`'],
  },
]);
