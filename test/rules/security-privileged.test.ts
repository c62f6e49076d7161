// A35 `dind/security-privileged`: privileged = true on a DockerLike or Kubernetes runner.

import { ruleCases } from '../helpers/rule-cases';

const CI = `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`;

ruleCases('dind/security-privileged', [
  {
    name: 'docker runner with privileged = true and no restriction: warning with the restricted-privilege fix',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  name = "dind"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
`,
    },
    expect: [
      {
        file: 'config.toml',
        at: 'privileged = true',
        runner: 'dind',
        severity: 'warning',
        message: 'gain root on the runner host',
      },
    ],
    fixes: ['Make only dind services privileged (services_privileged + allowed_privileged_services)'],
  },
  {
    name: 'allowed_privileged_images restriction lowers the severity to info',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  executor = "docker+machine"
  [runners.docker]
    privileged = true
    allowed_privileged_images = ["docker:*"]
`,
    },
    expect: [
      {
        file: 'config.toml',
        at: 'privileged = true',
        runner: 'runners[0]',
        severity: 'info',
        message: 'allowed_privileged_images',
      },
    ],
  },
  {
    name: 'the fix keeps a non-standard dind service (rootless) in the allow-list',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:27-cli
  services:
    - docker:27-dind-rootless
  script:
    - docker info
`,
      'config.toml': `[[runners]]
  executor = "docker"
  [runners.docker]
    privileged = true
    services_privileged = false
`,
    },
    expect: [{ file: 'config.toml', at: 'privileged = true', severity: 'warning', message: '`build`' }],
    fixes: ['Make only dind services privileged (services_privileged + allowed_privileged_services)'],
  },
  {
    name: 'kubernetes privileged = true: warning with a service security context fix',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  executor = "kubernetes"
  [runners.kubernetes]
    image = "ubuntu:20.04"
    privileged = true
`,
    },
    expect: [{ file: 'config.toml', at: 'privileged = true', severity: 'warning', message: 'job pod' }],
    fixes: ['Make only service containers privileged (service_container_security_context)'],
  },
  {
    name: 'negative: services_privileged with an allow-list, privileged = false',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  executor = "docker"
  [runners.docker]
    privileged = false
    services_privileged = true
    allowed_privileged_services = ["docker:*-dind"]
    volumes = ["/certs/client"]
`,
    },
    expect: [],
  },
  {
    name: 'negative: shell executor with a stray [runners.docker] privileged',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  executor = "shell"
  [runners.docker]
    privileged = true
`,
    },
    expect: [],
  },
]);
