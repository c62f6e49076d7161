import { ruleCases } from '../helpers/rule-cases';

const CI = `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`;

ruleCases('dind/privileged-required', [
  {
    name: 'docker runner with privileged = false',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    privileged = false
    volumes = ["/certs/client", "/cache"]
`,
    },
    expect: [
      {
        at: 'docker:24.0.5-dind',
        job: 'build',
        runner: 'dock',
        severity: 'error',
        message: 'needs a privileged container',
      },
      { file: 'config.toml', at: 'privileged = false', job: 'build', runner: 'dock' },
    ],
    fixes: ['Set services_privileged = true with allowed_privileged_services for dind', 'Set privileged = true'],
  },
  {
    name: 'privileged absent: finding at the section header; dind from default: in an include',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
build:
  script:
    - docker build .
`,
      'ci/docker.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
`,
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    volumes = ["/certs/client", "/cache"]
`,
    },
    expect: [
      { file: 'ci/docker.yml', at: 'docker:24.0.5-dind', job: 'build' },
      { file: 'config.toml', at: '[runners.docker]', job: 'build' },
    ],
  },
  {
    name: 'services_privileged = true is enough',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    privileged = false
    services_privileged = true
    volumes = ["/certs/client", "/cache"]
`,
    },
    expect: [],
  },
  {
    name: 'allowed_privileged_services does not match the name as written: A7 reports it, not A6',
    files: {
      '.gitlab-ci.yml': `.base:
  image: docker:24.0.5-cli
  services:
    - docker.io/library/docker:24.0.5-dind
build:
  extends: .base
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    services_privileged = true
    allowed_privileged_services = ["docker:*-dind"]
    volumes = ["/certs/client", "/cache"]
`,
    },
    expect: [],
  },
  {
    name: 'privileged mode off and an allow-list that misses the name: A6 (privileged mode is the cause)',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    allowed_privileged_services = ["postgres:*"]
    volumes = ["/certs/client", "/cache"]
`,
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', message: '`privileged` is not set' },
      { file: 'config.toml', at: '[runners.docker]', job: 'build' },
    ],
    fixes: ['Set services_privileged = true with allowed_privileged_services for dind'],
  },
  {
    name: 'sysbox runtime is the exception',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  name = "box"
  executor = "docker"
  [runners.docker]
    privileged = false
    runtime = "sysbox-runc"
    volumes = ["/certs/client", "/cache"]
`,
    },
    expect: [],
  },
  {
    name: 'kubernetes without privileged',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    image = "ubuntu:22.04"
`,
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', runner: 'k8s' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'build' },
    ],
    fixes: [
      'Set [runners.kubernetes] privileged = true',
      'Set [runners.kubernetes.service_container_security_context] privileged = true',
    ],
  },
  {
    name: 'kubernetes service context overrides the global privileged',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
    [runners.kubernetes.service_container_security_context]
      privileged = false
`,
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build' },
      { file: 'config.toml', at: 'privileged = false', job: 'build' },
    ],
    fixes: ['Set [runners.kubernetes.service_container_security_context] privileged = true'],
  },
  {
    name: 'runner-defined dind service is checked in config.toml',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    volumes = ["/certs/client", "/cache"]
    [[runners.docker.services]]
      name = "docker:24.0.5-dind"
`,
    },
    expect: [{ file: 'config.toml', at: '"docker:24.0.5-dind"', job: 'build' }],
  },
  {
    name: 'no runner config or the assumed GitLab.com runner: nothing',
    files: { '.gitlab-ci.yml': CI },
    settings: { assumeRunner: 'gitlab-saas' },
    expect: [],
  },
]);
