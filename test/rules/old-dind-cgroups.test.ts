import { ruleCases } from '../helpers/rule-cases';

ruleCases('dind/old-dind-cgroups', [
  {
    name: 'dind 19.03 with a 19.03 client: warning, the fix upgrades the pair',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:19.03.12
  services:
    - docker:19.03.12-dind
  script: [docker build .]
`,
    },
    expect: [
      {
        at: 'docker:19.03.12-dind',
        job: 'build',
        severity: 'warning',
        message: 'cgroups: cgroup mountpoint does not exist: unknown',
      },
    ],
    fixes: ['Use docker:24.0.5-dind and docker:24.0.5-cli'],
  },
  {
    name: 'dind 20.10 and newer, and floating dind: no finding',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker:20.10.24
  services: [docker:20.10.24-dind]
  script: [docker info]
b:
  services: [docker:dind]
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: '18.09 also starts without TLS; stable-dind counts as 19.03',
    files: {
      '.gitlab-ci.yml': `a:
  services:
    - name: docker:18.09-dind
      alias: docker
  script: [docker info]
b:
  services: [docker:stable-dind]
  script: [docker info]
`,
    },
    expect: [
      { at: 'docker:18.09-dind', job: 'a', message: 'also starts without TLS' },
      { at: 'docker:stable-dind', job: 'b', message: '19.03' },
    ],
    fixes: ['Use docker:24.0.5-dind'],
  },
  {
    name: 'from default: in an included file, through extends, and through !reference',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/base.yml
.old:
  services:
    - docker:19.03-dind-rootless
build:
  image: docker:24.0.5-cli
  script: [docker info]
other:
  extends: .old
  script: [docker info]
ref:
  services: !reference [.old, services]
  script: [docker info]
`,
      'ci/base.yml': `default:
  services:
    - registry.example.com/docker:19.03.13-dind
`,
    },
    expect: [
      { file: 'ci/base.yml', at: 'registry.example.com/docker:19.03.13-dind', job: 'build' },
      { at: 'docker:19.03-dind-rootless', job: 'other' },
      { at: 'docker:19.03-dind-rootless', job: 'ref' },
    ],
    fixes: ['Use registry.example.com/docker:24.0.5-dind', 'Use docker:24.0.5-dind-rootless'],
  },
  {
    name: 'a runner-defined old dind service is reported in config.toml',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script: [docker info]
`,
      'config.toml': `[[runners]]
  name = "r"
  executor = "docker"
  [runners.docker]
    privileged = true
    [[runners.docker.services]]
      name = "docker:19.03.12-dind"
      alias = "docker"
`,
    },
    expect: [{ file: 'config.toml', at: '"docker:19.03.12-dind"', job: 'build', runner: 'r' }],
    fixes: ['Use docker:24.0.5-dind'],
  },
  {
    name: 'variable tags are unknown: no finding',
    files: {
      '.gitlab-ci.yml': `build:
  services: ["docker:\${DIND}-dind"]
  script: [docker info]
`,
    },
    expect: [],
  },
]);
