// QA A17 dind/docker-host-unresolvable: DOCKER_HOST host not among the dind aliases; localhost on DockerLike; a
// variable in alias; a K8s alias that is not an RFC-1123 label.

import { ruleCases } from '../helpers/rule-cases';

import { B3, B7_TOML } from './fixtures-qa2';

const ID = 'dind/docker-host-unresolvable';

const job = (host: string, service = '    - docker:24.0.5-dind\n'): string => `variables:
  DOCKER_HOST: ${host}
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:24.0.5-cli
  services:
${service}  script: [docker build .]
`;

ruleCases(ID, [
  {
    name: 'positive: tcp://localhost:2375 on the docker executor',
    files: { '.gitlab-ci.yml': job('tcp://localhost:2375'), 'config.toml': B3 },
    expect: [
      { at: 'tcp://localhost:2375', job: 'build', severity: 'error' },
      { file: 'config.toml', at: '"docker"', job: null, runner: 'plain', severity: 'error', message: 'loopback' },
    ],
  },
  {
    name: 'negative: tcp://localhost:2375 on Kubernetes (shared pod network)',
    files: { '.gitlab-ci.yml': job('tcp://localhost:2375'), 'config.toml': B7_TOML },
    expect: [],
  },
  {
    name: 'positive: tcp://dind:2375 without an alias',
    files: { '.gitlab-ci.yml': job('tcp://dind:2375'), 'config.toml': B3 },
    expect: [{ at: 'tcp://dind:2375', job: 'build', severity: 'error' }],
  },
  {
    name: 'negative: tcp://dind:2375 with alias dind',
    files: {
      '.gitlab-ci.yml': job('tcp://dind:2375', '    - name: docker:24.0.5-dind\n      alias: dind\n'),
      'config.toml': B3,
    },
    expect: [],
  },
  {
    name: 'negative: derived alias of a registry path (registry.example.com__docker)',
    files: {
      '.gitlab-ci.yml': job(
        'tcp://registry.example.com-docker:2375',
        '    - registry.example.com/docker:24.0.5-dind\n',
      ),
      'config.toml': B3,
    },
    expect: [],
  },
  {
    name: 'positive: Kubernetes alias with an underscore',
    files: {
      '.gitlab-ci.yml': job('tcp://docker_daemon:2375', '    - name: docker:24.0.5-dind\n      alias: docker_daemon\n'),
      'config.toml': B7_TOML,
    },
    expect: [{ at: 'docker_daemon', occurrence: 1, job: 'build', severity: 'error' }],
  },
  {
    name: 'positive: DOCKER_HOST tcp://dind:2375 from [[runners]] environment',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': B3.replace('  executor', '  environment = ["DOCKER_HOST=tcp://dind:2375"]\n  executor'),
    },
    expect: [{ file: 'config.toml', at: '"DOCKER_HOST=tcp://dind:2375"', job: 'build', severity: 'error' }],
  },
  {
    name: 'positive: a variable in alias is not expanded',
    files: {
      '.gitlab-ci.yml': `variables:
  DIND_HOST: dind
  DOCKER_HOST: tcp://$DIND_HOST:2375
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: $DIND_HOST
  script: [docker build .]
`,
      'config.toml': B3,
    },
    expect: [{ at: 'tcp://$DIND_HOST:2375', job: 'build', severity: 'error', message: 'alias: $DIND_HOST' }],
  },
]);
