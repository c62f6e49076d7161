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

function runner(extra: string, executor = 'docker'): string {
  return `[[runners]]
  name = "r1"
  executor = "${executor}"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
${extra}`;
}

const FIX = 'Remove `network_mode` and set `FF_NETWORK_PER_BUILD = true`';

ruleCases('dind/network-mode-conflict', [
  {
    name: '(a) network_mode = "host" with dind',
    files: { '.gitlab-ci.yml': CI, 'config.toml': runner('    network_mode = "host"\n') },
    expect: [
      {
        file: 'config.toml',
        at: 'network_mode = "host"',
        runner: 'r1',
        job: 'build',
        severity: 'warning',
        message: 'address already in use',
      },
    ],
    fixes: [FIX],
  },
  {
    name: '(b) a pre-existing user-defined network shared by all jobs',
    files: {
      '.gitlab-ci.yml': `${CI}test:
  script:
    - docker run --rm alpine true
`,
      'config.toml': runner(
        '    network_mode = "ci-net"\n  [runners.feature_flags]\n    FF_NETWORK_PER_BUILD = false\n',
      ),
    },
    expect: [
      {
        file: 'config.toml',
        at: 'network_mode = "ci-net"',
        job: null,
        message: 'share network `ci-net`',
      },
    ],
    fixes: [FIX],
  },
  {
    name: '(b) docker+machine executor counts as DockerLike',
    files: { '.gitlab-ci.yml': CI, 'config.toml': runner('    network_mode = "shared"\n', 'docker+machine') },
    expect: [{ file: 'config.toml', at: 'network_mode = "shared"', message: 'docker:dind CA' }],
    fixes: [FIX],
  },
  {
    name: 'negative: bridge, none and container: modes',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `${runner('    network_mode = "bridge"\n')}[[runners]]
  name = "r2"
  executor = "docker"
  [runners.docker]
    privileged = true
    network_mode = "container:other"
`,
    },
    expect: [],
  },
  {
    name: 'negative: no dind service in any job',
    files: {
      '.gitlab-ci.yml': `build:
  image: alpine:3.19
  script:
    - echo hi
`,
      'config.toml': runner('    network_mode = "host"\n'),
    },
    expect: [],
  },
  {
    name: 'negative: kubernetes runner ignores a docker network_mode',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  name = "k"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
  [runners.docker]
    network_mode = "host"
`,
    },
    expect: [],
  },
  {
    name: 'dind from an included template via extends still counts',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
build:
  extends: .docker
  script:
    - docker build .
`,
      'ci/docker.yml': `.docker:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
`,
      'config.toml': runner('    network_mode = "host"\n'),
    },
    expect: [{ file: 'config.toml', at: 'network_mode = "host"', job: 'build' }],
    fixes: [FIX],
  },
  {
    name: 'runner-defined dind service counts even without a job service',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script:
    - docker build .
`,
      'config.toml': runner(
        '    network_mode = "host"\n    [[runners.docker.services]]\n      name = "docker:24.0.5-dind"\n',
      ),
    },
    expect: [{ file: 'config.toml', at: 'network_mode = "host"', job: 'build' }],
    fixes: [FIX],
  },
]);
