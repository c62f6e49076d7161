import { ruleCases } from '../helpers/rule-cases';

const CI = `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`;

ruleCases('dind/runner-allowlist-blocks-dind', [
  {
    name: 'allowed_services without dind',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
    allowed_services = ["postgres:*"]
`,
    },
    expect: [
      {
        at: 'docker:24.0.5-dind',
        job: 'build',
        runner: 'dock',
        message: 'does not allow `docker:24.0.5-dind` as a service',
      },
      { file: 'config.toml', at: 'allowed_services = ["postgres:*"]', job: 'build' },
    ],
    fixes: ['Add "docker:24.0.5-dind" to allowed_services'],
  },
  {
    name: 'allowed_images without the client image, from default:',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
build:
  services: [docker:24.0.5-dind]
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
    allowed_images = ["ruby:*"]
`,
    },
    expect: [
      { at: 'docker:24.0.5-cli', job: 'build', message: 'does not allow the image' },
      { file: 'config.toml', at: 'allowed_images = ["ruby:*"]', job: 'build' },
    ],
    fixes: ['Add "docker:24.0.5-cli" to allowed_images'],
  },
  {
    name: 'allowed_privileged_services does not match the dependency-proxy name',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  variables:
    PREFIX: registry.example.com/proxy
  services:
    - $PREFIX/docker:24.0.5-dind
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    privileged = true
    allowed_privileged_services = ["docker:*-dind"]
    volumes = ["/certs/client", "/cache"]
`,
    },
    expect: [
      { at: '$PREFIX/docker:24.0.5-dind', job: 'build', message: 'unprivileged' },
      { file: 'config.toml', at: 'allowed_privileged_services = ["docker:*-dind"]', job: 'build' },
    ],
    fixes: ['Add "registry.example.com/proxy/docker:24.0.5-dind" to allowed_privileged_services'],
  },
  {
    name: 'services_limit below the number of services',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
    - postgres:16
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
    services_limit = 1
`,
    },
    expect: [
      {
        at: '- docker:24.0.5-dind\n    - postgres:16\n',
        job: 'build',
        message: 'too many services requested: 2, only 1 allowed',
      },
      { file: 'config.toml', at: 'services_limit = 1', job: 'build' },
    ],
    fixes: ['Set services_limit = 2'],
  },
  {
    name: 'pull policy not allowed',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      pull_policy: always
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
    allowed_pull_policies = ["if-not-present"]
`,
    },
    expect: [
      { at: 'name: docker:24.0.5-dind\n      pull_policy: always\n', job: 'build', message: 'not allowed' },
      { file: 'config.toml', at: 'allowed_pull_policies = ["if-not-present"]', job: 'build' },
    ],
  },
  {
    name: 'matching allow-lists are fine',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
    allowed_images = ["docker:*"]
    allowed_services = ["docker:*-dind"]
    allowed_privileged_services = ["docker:*-dind"]
`,
    },
    expect: [],
  },
]);
