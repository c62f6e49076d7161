import { ruleCases } from '../helpers/rule-cases';

const K8S = `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    image = "ubuntu:20.04"
    privileged = true
  [[runners.kubernetes.volumes.empty_dir]]
    name = "docker-certs"
    mount_path = "/certs/client"
    medium = "Memory"
`;

const DOCKER = `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

const TLS_VARS = `variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
  DOCKER_TLS_VERIFY: 1
  DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
`;

ruleCases('dind/k8s-healthcheck-port', [
  {
    name: '(a) missing on a job service (scalar item): warning at the service, runner side names the job',
    files: {
      '.gitlab-ci.yml': `${TLS_VARS}build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`,
      'config.toml': K8S,
    },
    expect: [
      {
        at: 'docker:24.0.5-dind',
        job: 'build',
        runner: 'k8s',
        severity: 'warning',
        message: 'no service-level HEALTHCHECK_TCP_PORT',
      },
      {
        file: 'config.toml',
        at: 'executor = "kubernetes"',
        runner: 'k8s',
        job: 'build',
        severity: 'warning',
        message: '`build`',
      },
    ],
    fixes: ['Add `HEALTHCHECK_TCP_PORT: "2376"` to service `docker:24.0.5-dind`'],
  },
  {
    name: 'negative: B6 canonical (service-level 2376 with TLS)',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2376"
${TLS_VARS}build:
  script:
    - docker build .
`,
      'config.toml': K8S,
    },
    expect: [],
  },
  {
    name: 'negative: B7 canonical (2375 without TLS)',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2375"
variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  script:
    - docker build .
`,
      'config.toml': K8S,
    },
    expect: [],
  },
  {
    name: 'negative: Docker executor does not use HEALTHCHECK_TCP_PORT',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`,
      'config.toml': DOCKER,
    },
    expect: [],
  },
  {
    name: 'negative: no runner config (executor unknown)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`,
    },
    expect: [],
  },
  {
    name: '(a) a job-level HEALTHCHECK_TCP_PORT does not count',
    files: {
      '.gitlab-ci.yml': `${TLS_VARS}  HEALTHCHECK_TCP_PORT: "2376"
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
  script:
    - docker build .
`,
      'config.toml': K8S,
    },
    expect: [
      {
        at: 'docker:24.0.5-dind',
        job: 'build',
        severity: 'warning',
        message: 'job-level HEALTHCHECK_TCP_PORT does not count',
      },
      { file: 'config.toml', at: 'executor = "kubernetes"', severity: 'warning' },
    ],
    fixes: ['Add `HEALTHCHECK_TCP_PORT: "2376"` to service `docker:24.0.5-dind`'],
  },
  {
    name: '(b) wrong port: 2375 while TLS is on → error at the variable',
    files: {
      '.gitlab-ci.yml': `${TLS_VARS}build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2375"
  script:
    - docker build .
`,
      'config.toml': K8S,
    },
    expect: [
      { at: '"2375"', job: 'build', runner: 'k8s', severity: 'error', message: 'waits on port 2375' },
      { file: 'config.toml', at: 'executor = "kubernetes"', severity: 'error', job: 'build' },
    ],
    fixes: ['Set HEALTHCHECK_TCP_PORT of service `docker:24.0.5-dind` to "2376"'],
  },
  {
    name: '(b) wrong port: 2376 while TLS is off (DOCKER_TLS_CERTDIR empty)',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: 2376
  script:
    - docker build .
`,
      'config.toml': K8S,
    },
    expect: [
      { at: '2376', occurrence: 0, job: 'build', severity: 'error', message: 'listens on 2375' },
      { file: 'config.toml', at: 'executor = "kubernetes"', severity: 'error' },
    ],
    fixes: ['Set HEALTHCHECK_TCP_PORT of service `docker:24.0.5-dind` to "2375"'],
  },
  {
    name: '(a) service from default: in an included file: finding and fix in that file',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
${TLS_VARS}build:
  script:
    - docker build .
test:
  script:
    - docker run --rm alpine true
`,
      'ci/docker.yml': `default:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: docker
`,
      'config.toml': K8S,
    },
    expect: [
      { file: 'ci/docker.yml', at: 'docker:24.0.5-dind', job: 'build', severity: 'warning' },
      { file: 'ci/docker.yml', at: 'docker:24.0.5-dind', job: 'test', severity: 'warning' },
      {
        file: 'config.toml',
        at: 'executor = "kubernetes"',
        job: null,
        severity: 'warning',
        message: '`build` and `test`',
      },
    ],
    fixes: ['Add `HEALTHCHECK_TCP_PORT: "2376"` to service `docker:24.0.5-dind`'],
  },
  {
    name: '(a) service through extends: the template is the place',
    files: {
      '.gitlab-ci.yml': `${TLS_VARS}.docker:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
build:
  extends: .docker
  script:
    - docker build .
`,
      'config.toml': K8S,
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'warning' },
      { file: 'config.toml', at: 'executor = "kubernetes"', severity: 'warning' },
    ],
    fixes: ['Add `HEALTHCHECK_TCP_PORT: "2376"` to service `docker:24.0.5-dind`'],
  },
  {
    name: '(b) wrong port through !reference of a template variables mapping',
    files: {
      '.gitlab-ci.yml': `${TLS_VARS}.hc:
  variables:
    HEALTHCHECK_TCP_PORT: "2375"
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables: !reference [.hc, variables]
  script:
    - docker build .
`,
      'config.toml': K8S,
    },
    expect: [
      { at: '"2375"', job: 'build', severity: 'error' },
      { file: 'config.toml', at: 'executor = "kubernetes"', severity: 'error' },
    ],
    fixes: ['Set HEALTHCHECK_TCP_PORT of service `docker:24.0.5-dind` to "2376"'],
  },
  {
    name: '(b) conditional variable: TLS off only under a rule branch',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_TLS_CERTDIR: "/certs"
  DOCKER_HOST: tcp://docker:2376
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2376"
  rules:
    - if: $CI_COMMIT_TAG
      variables:
        DOCKER_TLS_CERTDIR: ""
        DOCKER_HOST: tcp://docker:2375
    - when: always
  script:
    - docker build .
`,
      'config.toml': K8S,
    },
    expect: [
      { at: '"2376"', job: 'build', severity: 'error', message: 'TLS off' },
      { file: 'config.toml', at: 'executor = "kubernetes"', severity: 'error' },
    ],
  },
  {
    name: '(a) runner-defined dind service: finding and fix in config.toml',
    files: {
      '.gitlab-ci.yml': `${TLS_VARS}build:
  image: docker:24.0.5-cli
  script:
    - docker build .
`,
      'config.toml': `${K8S}  [[runners.kubernetes.services]]
    name = "docker:24.0.5-dind"
`,
    },
    expect: [{ file: 'config.toml', at: '"docker:24.0.5-dind"', job: 'build', severity: 'warning' }],
    fixes: ['Add `HEALTHCHECK_TCP_PORT: "2376"` to service `docker:24.0.5-dind`'],
  },
  {
    name: 'negative: runner-defined dind service with the port in its environment',
    files: {
      '.gitlab-ci.yml': `${TLS_VARS}build:
  image: docker:24.0.5-cli
  script:
    - docker build .
`,
      'config.toml': `${K8S}  [[runners.kubernetes.services]]
    name = "docker:24.0.5-dind"
    environment = ["HEALTHCHECK_TCP_PORT=2376"]
`,
    },
    expect: [],
  },
  {
    name: 'negative: unknown TLS state (DOCKER_TLS_CERTDIR from a project variable) gives no (b)',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_TLS_CERTDIR: $MY_CERTDIR
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2375"
  script:
    - docker build .
`,
      'config.toml': K8S,
    },
    expect: [],
  },
]);
