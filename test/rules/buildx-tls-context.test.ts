import { ruleCases } from '../helpers/rule-cases';

const B2_RUNNER = `[[runners]]
  name = "tls-runner"
  executor = "docker"
  [runners.docker]
    image = "docker:24.0.5-cli"
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

const K8S_RUNNER = `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
  [[runners.kubernetes.volumes.empty_dir]]
    name = "docker-certs"
    mount_path = "/certs/client"
    medium = "Memory"
`;

ruleCases('dind/buildx-tls-context', [
  {
    name: 'TLS through the client entrypoint (B2) and buildx create: warning, fix creates a context',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  script:
    - docker buildx create --driver docker-container --use
    - docker buildx build -t app .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [
      {
        at: 'docker buildx create --driver docker-container --use',
        job: 'build',
        severity: 'warning',
        message: 'could not create a builder instance with TLS data loaded from environment',
      },
    ],
    fixes: ['Create docker context builder-ctx and build in it'],
  },
  {
    name: 'B13: context created first and passed; TLS off; docker driver: no finding',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:27.4.1-cli
  services:
    - docker:27.4.1-dind
variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
b13:
  script:
    - docker context create my-builder
    - docker buildx create my-builder --driver docker-container --use
notls:
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script:
    - docker buildx create --use
driver:
  script:
    - docker buildx create --driver docker --use
`,
      'config.toml': B2_RUNNER,
    },
    expect: [],
  },
  {
    name: 'DOCKER_HOST tcp://docker:2376 set explicitly, no runner config (assumed recommended setup)',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
build:
  image: docker:27.5.1-cli
  services: [docker:27.5.1-dind]
  script:
    - docker context create ctx
    - docker buildx create --use
`,
    },
    expect: [{ at: 'docker buildx create --use', job: 'build' }],
    fixes: ['Create the builder in context ctx'],
  },
  {
    name: 'Kubernetes with DOCKER_TLS_VERIFY set (B6) and the command in an included template via extends',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/buildx.yml
variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
  DOCKER_TLS_VERIFY: 1
  DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
build:
  extends: .buildx
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
`,
      'ci/buildx.yml': `.buildx:
  script:
    - docker buildx create --name builder --use
`,
      'config.toml': K8S_RUNNER,
    },
    expect: [
      {
        file: 'ci/buildx.yml',
        at: 'docker buildx create --name builder --use',
        job: 'build',
        message: 'DOCKER_TLS_VERIFY is set',
      },
    ],
    fixes: ['Create docker context builder-ctx and build in it'],
  },
  {
    name: 'conditional TLS: only the rules: branch that turns TLS on is reported',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_TLS_CERTDIR: ""
  DOCKER_HOST: tcp://docker:2375
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  rules:
    - if: $SECURE
      variables:
        DOCKER_TLS_CERTDIR: "/certs"
        DOCKER_HOST: tcp://docker:2376
    - when: always
  script:
    - docker buildx create --use
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'docker buildx create --use', job: 'build' }],
  },
]);
