// QA A25 dind/proxy-no-proxy: proxy settings without NO_PROXY for the dind host:ports.

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner } from './fixtures';
import { B2_CI } from './fixtures-qa3';

const ID = 'dind/proxy-no-proxy';
const PRIV = '    privileged = true\n    volumes = ["/certs/client", "/cache"]';

ruleCases(ID, [
  {
    name: 'positive: HTTP_PROXY in [[runners]] environment, no NO_PROXY',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': dockerRunner(PRIV, { runner: '  environment = ["HTTP_PROXY=http://proxy.corp:3128"]\n' }),
    },
    expect: [{ file: 'config.toml', at: '"HTTP_PROXY=http://proxy.corp:3128"', severity: 'warning' }],
  },
  {
    name: 'positive: lowercase https_proxy in CI variables, NO_PROXY without ports',
    files: {
      '.gitlab-ci.yml': `variables:
  https_proxy: http://proxy.corp:3128
  NO_PROXY: docker,localhost
build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker push registry.example.com/app
`,
      'config.toml': dockerRunner(PRIV),
    },
    expect: [{ at: 'docker,localhost', job: 'build', severity: 'warning' }],
  },
  {
    name: 'negative: R6 setup, NO_PROXY=docker:2375,docker:2376 in runner environment',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': dockerRunner(PRIV, {
        runner:
          '  environment = ["HTTPS_PROXY=http://proxy.corp:3128", "HTTP_PROXY=http://proxy.corp:3128", "NO_PROXY=docker:2375,docker:2376,localhost"]\n',
      }),
    },
    expect: [],
  },
  {
    name: 'negative: NO_PROXY holds the explicit DOCKER_HOST host:port',
    files: {
      '.gitlab-ci.yml': `variables:
  HTTPS_PROXY: http://proxy.corp:3128
  DOCKER_HOST: tcp://docker:2376
  NO_PROXY: docker:2376
build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner(PRIV),
    },
    expect: [],
  },
  {
    name: 'negative: proxy set but no dind (socket binding)',
    files: {
      '.gitlab-ci.yml': `variables:
  HTTP_PROXY: http://proxy.corp:3128
build:
  image: docker:24.0.5-cli
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner('    volumes = ["/var/run/docker.sock:/var/run/docker.sock", "/cache"]'),
    },
    expect: [],
  },
]);
