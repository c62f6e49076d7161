import { ruleCases } from '../helpers/rule-cases';

const CI = `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  script:
    - docker build .
`;

function runner(timeout: string, executor = 'docker'): string {
  return `[[runners]]
  name = "r1"
  executor = "${executor}"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
    wait_for_services_timeout = ${timeout}
`;
}

const FIX = 'Set `wait_for_services_timeout = 30`';

ruleCases('dind/wait-for-services-timeout', [
  {
    name: '-1 disables the health check',
    files: { '.gitlab-ci.yml': CI, 'config.toml': runner('-1') },
    expect: [
      {
        file: 'config.toml',
        at: 'wait_for_services_timeout = -1',
        runner: 'r1',
        job: 'build',
        severity: 'warning',
        message: 'disables the service health check',
      },
    ],
    fixes: [FIX],
  },
  {
    name: 'a timeout below 30 s',
    files: { '.gitlab-ci.yml': CI, 'config.toml': runner('10') },
    expect: [{ file: 'config.toml', at: 'wait_for_services_timeout = 10', message: 'waits only 10 s' }],
    fixes: [FIX],
  },
  {
    name: 'negative: 0 means the default 30, and 30/120 are fine',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `${runner('0')}${runner('30').replace('"r1"', '"r2"')}${runner('120').replace('"r1"', '"r3"')}`,
    },
    expect: [],
  },
  {
    name: 'negative: no dind in use',
    files: {
      '.gitlab-ci.yml': `build:
  image: alpine:3.19
  script:
    - echo hi
`,
      'config.toml': runner('-1'),
    },
    expect: [],
  },
  {
    name: 'negative: kubernetes executor (not DockerLike)',
    files: { '.gitlab-ci.yml': CI, 'config.toml': runner('-1', 'kubernetes') },
    expect: [],
  },
  {
    name: 'docker-autoscaler, dind through default: in an included file',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
build:
  script:
    - docker build .
test:
  script:
    - docker info
`,
      'ci/docker.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
`,
      'config.toml': runner('5', 'docker-autoscaler'),
    },
    expect: [{ file: 'config.toml', at: 'wait_for_services_timeout = 5', job: null, message: '`build` and `test`' }],
    fixes: [FIX],
  },
  {
    name: 'conditional variable making a service name a dind image counts',
    files: {
      '.gitlab-ci.yml': `variables:
  DIND_TAG: "24.0.5"
build:
  image: docker:24.0.5-cli
  services:
    - docker:\${DIND_TAG}-dind
  script:
    - docker build .
`,
      'config.toml': runner('-1'),
    },
    expect: [{ file: 'config.toml', at: 'wait_for_services_timeout = -1', job: 'build' }],
    fixes: [FIX],
  },
]);
