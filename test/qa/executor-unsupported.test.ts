// QA A3 dind/executor-unsupported: (a) shell/ssh/virtualbox/parallels/instance with image or services on J;
// (b) docker-windows with a dind service.

import { ruleCases } from '../helpers/rule-cases';

import { B2_CI } from './fixtures-qa2';

const ID = 'dind/executor-unsupported';

function runner(executor: string, extra = ''): string {
  return `[[runners]]
  name = "${executor}-runner"
  url = "https://gitlab.com/"
  executor = "${executor}"
${extra}`;
}

ruleCases(ID, [
  {
    name: 'positive: B2 pipeline (image and dind from default:) on a shell runner',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': runner('shell') },
    expect: [
      { at: 'image', job: 'build', runner: 'shell-runner', severity: 'error' },
      { at: 'services', job: 'build', runner: 'shell-runner', severity: 'error' },
      { file: 'config.toml', at: 'executor = "shell"', job: 'build', message: 'image:' },
      { file: 'config.toml', at: 'executor = "shell"', job: 'build', message: 'services:' },
    ],
  },
  {
    name: 'positive: ssh executor with a job-level dind service',
    files: {
      '.gitlab-ci.yml': `deploy:
  services:
    - docker:24.0.5-dind
  variables:
    DOCKER_HOST: tcp://docker:2375
  script:
    - docker compose up -d
`,
      'config.toml': runner('ssh', '  [runners.ssh]\n    host = "build.example.com"\n    user = "ci"\n'),
    },
    expect: [
      { at: 'services', job: 'deploy', runner: 'ssh-runner', severity: 'error' },
      { file: 'config.toml', at: 'executor = "ssh"', job: 'deploy', severity: 'error' },
    ],
  },
  {
    name: 'negative: B1 shell executor without image/services',
    files: {
      '.gitlab-ci.yml': `default:
  before_script:
    - docker info
build_image:
  script:
    - docker build -t my-docker-image .
    - docker run my-docker-image /script/to/run/tests
`,
      'config.toml': runner('shell'),
    },
    expect: [],
  },
  {
    name: 'positive: docker-windows executor with a dind service',
    files: {
      '.gitlab-ci.yml': `build:
  image: mcr.microsoft.com/windows/servercore:ltsc2022
  services:
    - docker:24.0.5-dind
  script:
    - docker build -t app .
`,
      'config.toml': runner(
        'docker-windows',
        '  [runners.docker]\n    image = "mcr.microsoft.com/windows/servercore:ltsc2022"\n',
      ),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'error' },
      { file: 'config.toml', at: 'executor = "docker-windows"', job: 'build', severity: 'error' },
    ],
  },
  {
    name: 'negative: docker-windows without a dind service',
    files: {
      '.gitlab-ci.yml': `build:
  image: mcr.microsoft.com/windows/servercore:ltsc2022
  script:
    - docker build -t app .
`,
      'config.toml': runner(
        'docker-windows',
        '  [runners.docker]\n    image = "mcr.microsoft.com/windows/servercore:ltsc2022"\n',
      ),
    },
    expect: [],
  },
  {
    name: 'negative: the docker executor runs services',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': runner('docker', '  [runners.docker]\n    privileged = true\n    volumes = ["/certs/client"]\n'),
    },
    expect: [],
  },
]);
