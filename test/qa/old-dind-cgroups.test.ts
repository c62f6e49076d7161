// QA A30 dind/old-dind-cgroups: dind older than 20.10 on cgroup v2 hosts.

import { ruleCases } from '../helpers/rule-cases';

import { B2_RUNNER, NO_CERTS_RUNNER } from './fixtures';

const ID = 'dind/old-dind-cgroups';

ruleCases(ID, [
  {
    name: 'positive: docker:19.03.12-dind',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:19.03.12
  services:
    - docker:19.03.12-dind
  script:
    - docker build -t app .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'docker:19.03.12-dind', job: 'build', severity: 'warning' }],
  },
  {
    name: 'positive: docker:18.09-dind in default: with TLS explicitly off',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:18.09
  services:
    - docker:18.09-dind
variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  script:
    - docker build -t app .
`,
      'config.toml': NO_CERTS_RUNNER,
    },
    expect: [{ at: 'docker:18.09-dind', job: 'build', severity: 'warning' }],
  },
  {
    name: 'QA: 18.09 with TLS off by the image default; the upgrade keeps TLS off',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:18.09
  services:
    - docker:18.09-dind
variables:
  DOCKER_HOST: tcp://docker:2375
build:
  script:
    - docker build -t app .
`,
      'config.toml': NO_CERTS_RUNNER,
    },
    expect: [{ at: 'docker:18.09-dind', job: 'build', severity: 'warning', message: 'also starts without TLS' }],
    fixes: ['Use docker:24.0.5-dind and docker:24.0.5-cli, keeping TLS off (DOCKER_TLS_CERTDIR: "")'],
  },
  {
    name: 'negative: docker:20.10.24-dind and a 19.03 client image',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:19.03.12
  services:
    - docker:20.10.24-dind
  script:
    - docker build -t app .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [],
  },
  {
    name: 'negative: floating docker:dind (version unknown)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:dind
  script:
    - docker build -t app .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [],
  },
]);
