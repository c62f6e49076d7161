import { ruleCases } from '../helpers/rule-cases';

ruleCases('dind/executor-unsupported', [
  {
    name: '(a) shell executor with image and services',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "sh"
  executor = "shell"
`,
    },
    expect: [
      { at: 'image', job: 'build', runner: 'sh', severity: 'error', message: 'ignored by the `shell` executor' },
      { at: 'services', job: 'build', runner: 'sh' },
      { file: 'config.toml', at: 'executor = "shell"', job: 'build', message: 'ignores the `image:`' },
      { file: 'config.toml', at: 'executor = "shell"', job: 'build', message: 'ignores the `services:`' },
    ],
    fixes: ['Remove `image`, `services` and dind variables for the `shell` executor'],
  },
  {
    name: '(a) B1: shell executor without image/services is fine',
    files: {
      '.gitlab-ci.yml': `build:
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "sh"
  executor = "shell"
`,
    },
    expect: [],
  },
  {
    name: '(b) docker-windows with a dind service',
    files: {
      '.gitlab-ci.yml': `build:
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "win"
  executor = "docker-windows"
  [runners.docker]
    volumes = ["c:\\\\cache"]
`,
    },
    expect: [
      {
        at: 'docker:24.0.5-dind',
        job: 'build',
        runner: 'win',
        message: 'Windows containers do not support Docker-in-Docker',
      },
      { file: 'config.toml', at: 'executor = "docker-windows"', job: 'build' },
    ],
    fixes: ['Remove the `docker:24.0.5-dind` service'],
  },
  {
    name: 'docker executor is fine',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
`,
    },
    expect: [],
  },
]);
