import { ruleCases } from '../helpers/rule-cases';

const DOCKER_RUNNER = (image: string) => `[[runners]]
  name = "docker-runner"
  executor = "docker"
  [runners.docker]
    image = "${image}"
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

ruleCases('dind/client-daemon-version-skew', [
  {
    name: 'dind 29 with a Docker 24 client: error with the runtime text, fix sets the matching client',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:29.0.0-dind
  script: [docker build .]
`,
    },
    expect: [
      {
        at: 'docker:24.0.5-cli',
        job: 'build',
        severity: 'error',
        message: 'requires client API ≥ 1.44 but `docker:24.0.5-cli` ships Docker 24.0.5 (API 1.43)',
      },
    ],
    fixes: ['Use docker:29.0.0-cli as the job image'],
  },
  {
    name: 'matching pair, and a newer client with an older daemon of the same major: no finding',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker:29.0.0-cli
  services: [docker:29.0.0-dind]
  script: [docker info]
b:
  image: docker:27.5.1-cli
  services: [docker:27.3-dind]
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'majors differ without a known incompatibility: warning',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:20.10.24
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
    },
    expect: [{ at: 'docker:20.10.24', job: 'build', severity: 'warning', message: 'differ in major version' }],
    fixes: ['Use docker:24.0.5-cli as the job image'],
  },
  {
    name: 'docker:stable is years old (19.03, API 1.40): error against a floating docker:dind',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:stable
  services: [docker:dind]
  script: [docker info]
`,
    },
    expect: [{ at: 'docker:stable', job: 'build', severity: 'error', message: 'API 1.40' }],
    fixes: ['Use docker:cli as the job image'],
  },
  {
    name: 'a major-only client tag counts as the newest release of its major (docker:19 = 19.03, API 1.40)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:19
  services: [docker:29-dind]
  script: [docker info]
`,
    },
    expect: [{ at: 'docker:19', job: 'build', severity: 'error', message: 'ships Docker 19 (API 1.40)' }],
    fixes: ['Use docker:29-cli as the job image'],
  },
  {
    name: 'a floating client never is too old; unknown versions ($VAR) give nothing',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker:cli
  services: [docker:24.0.5-dind]
  script: [docker info]
b:
  image: docker:$CLIENT_VERSION
  services: [docker:29.0.0-dind]
  script: [docker info]
c:
  image: docker:24.0.5-cli
  services: ["docker:\${DIND_VERSION}-dind"]
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'client from default:, dind from an included template through extends: reported at the image',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/dind.yml
default:
  image: registry.example.com/mirror/docker:24.0.5
build:
  extends: .dind
  script: [docker info]
`,
      'ci/dind.yml': `.dind:
  services:
    - name: docker:29.1.2-dind-rootless
`,
    },
    expect: [{ at: 'registry.example.com/mirror/docker:24.0.5', job: 'build', severity: 'error' }],
    fixes: ['Use registry.example.com/mirror/docker:29.1.2-cli as the job image'],
  },
  {
    name: 'services through !reference; client from the runner default image is reported in config.toml',
    files: {
      '.gitlab-ci.yml': `.svc:
  services: [docker:29.0.0-dind]
build:
  services: !reference [.svc, services]
  script: [docker info]
`,
      'config.toml': DOCKER_RUNNER('docker:24.0.5-cli'),
    },
    expect: [{ file: 'config.toml', at: '"docker:24.0.5-cli"', job: 'build', severity: 'error' }],
    fixes: ["Use docker:29.0.0-cli as the runner's default image"],
  },
]);
