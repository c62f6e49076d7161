// A39 `dind/merge-drops-dind-config`: a job that runs Docker loses dind config through GitLab's merge rules.

import { ruleCases } from '../helpers/rule-cases';

const TOML = `[[runners]]
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

ruleCases('dind/merge-drops-dind-config', [
  {
    name: '(a) job services replace default:services',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
build:
  services:
    - postgres:16
  script:
    - docker build .
`,
      'config.toml': TOML,
    },
    expect: [
      {
        at: 'services',
        occurrence: 1,
        job: 'build',
        severity: 'warning',
        message: 'replaces `services` from `default:`',
      },
    ],
    fixes: ['Add docker:24.0.5-dind to the services of build'],
  },
  {
    name: '(a) a later extends parent replaces the template list; template in an included file',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
.db:
  services:
    - postgres:16
build:
  extends: [.docker, .db]
  script:
    - docker build .
`,
      'ci/docker.yml': `.docker:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: docker
`,
    },
    expect: [{ at: 'services', job: 'build', message: '`.docker` in ci/docker.yml' }],
    fixes: ['Add docker:24.0.5-dind to the services of build'],
  },
  {
    name: '(b) inherit: default: false drops services and image',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
build:
  inherit:
    default: false
  script:
    - docker build .
`,
      'config.toml': TOML,
    },
    expect: [
      { at: 'default', occurrence: 1, job: 'build', message: 'does not inherit `services`' },
      { at: 'default', occurrence: 1, job: 'build', message: 'does not inherit `image`' },
    ],
    fixes: ['Set `services` in build', 'Set `image` in build'],
  },
  {
    name: '(b) inherit: default: list without services',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
build:
  inherit:
    default: [image]
  script:
    - docker build .
`,
    },
    expect: [{ at: 'default', occurrence: 1, job: 'build', message: 'does not inherit `services`' }],
    fixes: ['Inherit `services` from default: (inherit: default: [..., services])'],
  },
  {
    name: '(c) inherit: variables: false drops the global DOCKER_HOST and DOCKER_TLS_CERTDIR',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  inherit:
    variables: false
  script:
    - docker build .
`,
      'config.toml': TOML,
    },
    expect: [{ at: 'variables', occurrence: 1, job: 'build', message: '`DOCKER_HOST`, `DOCKER_TLS_CERTDIR`' }],
    fixes: [
      'Inherit DOCKER_HOST and DOCKER_TLS_CERTDIR (inherit: variables: [...])',
      'Set DOCKER_HOST and DOCKER_TLS_CERTDIR in build',
    ],
  },
  {
    name: '(c) inherit: variables list without DOCKER_HOST',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
  OTHER: x
build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  inherit:
    variables: [DOCKER_TLS_CERTDIR, OTHER]
  script:
    - docker build .
`,
    },
    expect: [{ at: 'variables', occurrence: 1, job: 'build', message: 'global `DOCKER_HOST`' }],
    fixes: ['Inherit DOCKER_HOST (inherit: variables: [..., DOCKER_HOST])'],
  },
  {
    name: '(d) variables: null via extends removes the template DOCKER_HOST',
    files: {
      '.gitlab-ci.yml': `.docker:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
build:
  extends: .docker
  variables: null
  script:
    - docker build .
`,
    },
    expect: [{ at: 'variables', occurrence: 1, job: 'build', message: '`variables: null`' }],
    fixes: ['Remove `variables: null`'],
  },
  {
    name: '(e) dind only in a hidden job the job does not extend',
    files: {
      '.gitlab-ci.yml': `.dind:
  services:
    - docker:24.0.5-dind
build:
  image: docker:24.0.5-cli
  script:
    - docker build .
`,
      'config.toml': TOML,
    },
    expect: [{ at: 'build', job: 'build', message: 'hidden job `.dind`' }],
    fixes: ['Extend .dind in build'],
  },
  {
    name: '(f) deprecated top-level services next to default:',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
services:
  - docker:24.0.5-dind
build:
  script:
    - docker build .
`,
    },
    expect: [{ at: 'services', job: null, message: 'deprecated' }],
    fixes: ['Move top-level services into default:'],
  },
  {
    name: 'negative: the job repeats dind in its own list; jobs without docker; socket runner',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  services:
    - docker:24.0.5-dind
    - postgres:16
  inherit:
    variables: false
  script:
    - docker build .
test:
  image: node:20
  services:
    - postgres:16
  script:
    - npm test
`,
    },
    expect: [],
  },
]);
