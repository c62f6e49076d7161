// A19 dind/duplicate-dind-service: two docker daemons, or two services claiming `docker`.
import { ruleCases } from '../helpers/rule-cases';

const RUNNER_WITH_SERVICE = `[[runners]]
  name = "mirror"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
    [[runners.docker.services]]
      name = "docker:24.0.5-dind"
      command = ["--registry-mirror", "https://registry-mirror.example.com"]
`;

ruleCases('dind/duplicate-dind-service', [
  {
    name: 'runner service plus job service: warning in CI and on the runner service',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script: [docker info]
`,
      'config.toml': RUNNER_WITH_SERVICE,
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', runner: 'mirror', severity: 'warning', message: 'Two docker daemons' },
      { file: 'config.toml', at: '[[runners.docker.services]]', job: null, runner: 'mirror', message: '`build`' },
    ],
    fixes: [
      'Remove the duplicate dind service `docker:24.0.5-dind` from the job',
      'Remove the dind service `docker:24.0.5-dind` from the runner config',
    ],
  },
  {
    name: 'negative: runner service alone (B10b)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script: [docker info]
`,
      'config.toml': RUNNER_WITH_SERVICE,
    },
    expect: [],
  },
  {
    name: 'negative: one dind service',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind, postgres:16]
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'the same list names dind twice (second reported)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
    - name: docker:27.4.1-dind
      alias: dind2
  script: [docker info]
`,
    },
    expect: [{ at: 'docker:27.4.1-dind', job: 'build' }],
    fixes: ['Remove the duplicate dind service `docker:27.4.1-dind` from the job'],
  },
  {
    name: 'through default: and an included template',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/defaults.yml
build:
  image: docker:24.0.5-cli
  script: [docker info]
`,
      'ci/defaults.yml': `default:
  services:
    - docker:24.0.5-dind
    - registry.example.com/docker:24.0.5-dind
`,
    },
    expect: [{ file: 'ci/defaults.yml', at: 'registry.example.com/docker:24.0.5-dind', job: 'build' }],
    fixes: ['Remove the duplicate dind service `registry.example.com/docker:24.0.5-dind` from the job'],
  },
  {
    name: 'extends parent services with a !reference splice',
    files: {
      '.gitlab-ci.yml': `.dind:
  services:
    - docker:24.0.5-dind
.base:
  services: !reference [.dind, services]
build:
  extends: .base
  image: docker:24.0.5-cli
  script: [docker info]
`,
      'config.toml': RUNNER_WITH_SERVICE,
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', runner: 'mirror' },
      { file: 'config.toml', at: '[[runners.docker.services]]', runner: 'mirror' },
    ],
  },
  {
    name: 'a second service with explicit alias docker',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
    - name: registry.example.com/tools/proxy:1
      alias: docker
  script: [docker info]
`,
    },
    expect: [{ at: 'docker', occurrence: 2, job: 'build', message: 'already has it' }],
  },
  {
    name: 'another service claims docker first: the dind service loses its alias',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: registry.example.com/tools/proxy:1
      alias: docker
    - docker:24.0.5-dind
  script: [docker info]
`,
    },
    expect: [{ at: 'docker:24.0.5-dind', job: 'build', message: 'Skipping alias "docker"' }],
  },
]);
