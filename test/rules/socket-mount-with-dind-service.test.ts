import { ruleCases } from '../helpers/rule-cases';
import { CERT_VOLUMES, dockerRunner } from '../helpers/runners';

const SOCKET_TOML = dockerRunner({
  name: 'sock',
  privileged: false,
  volumes: ['/var/run/docker.sock:/var/run/docker.sock', '/cache'],
});

ruleCases('dind/socket-mount-with-dind-service', [
  {
    name: 'dind service on a socket-binding runner: both places, both fixes',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script:
    - docker build .
`,
      'config.toml': SOCKET_TOML,
    },
    expect: [
      {
        at: 'docker:24.0.5-dind',
        job: 'build',
        runner: 'sock',
        severity: 'error',
        message: 'bind-mounts /var/run/docker.sock',
      },
      { file: 'config.toml', at: '"/var/run/docker.sock:/var/run/docker.sock"', job: 'build', runner: 'sock' },
    ],
    fixes: [
      "Remove the `docker:24.0.5-dind` service (use the runner's socket binding)",
      'Remove the Docker socket volume and set `privileged = true` in runner `sock` (use Docker-in-Docker)',
    ],
  },
  {
    name: 'the dind service comes from default: in an included file',
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
    - name: docker:24.0.5-dind
`,
      'config.toml': SOCKET_TOML,
    },
    expect: [
      { file: 'ci/docker.yml', at: 'docker:24.0.5-dind', job: 'build' },
      { file: 'config.toml', at: '"/var/run/docker.sock:/var/run/docker.sock"', job: 'build' },
    ],
  },
  {
    name: 'socket binding alone is fine',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script:
    - docker build .
`,
      'config.toml': SOCKET_TOML,
    },
    expect: [],
  },
  {
    name: 'dind without socket binding is fine',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script:
    - docker build .
`,
      'config.toml': dockerRunner({ name: 'dind', privileged: true, volumes: CERT_VOLUMES }),
    },
    expect: [],
  },
  {
    name: 'kubernetes host_path socket with a dind service from extends',
    files: {
      '.gitlab-ci.yml': `.dind:
  services:
    - docker:24.0.5-dind
build:
  extends: .dind
  image: docker:24.0.5-cli
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
    [[runners.kubernetes.volumes.host_path]]
      name = "docker-sock"
      mount_path = "/var/run/docker.sock"
      host_path = "/var/run/docker.sock"
`,
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', runner: 'k8s' },
      { file: 'config.toml', at: '"/var/run/docker.sock"', job: 'build', runner: 'k8s' },
    ],
  },
  {
    name: 'no runner config: nothing to check',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script:
    - docker build .
`,
    },
    expect: [],
  },
]);
