import { ruleCases } from '../helpers/rule-cases';

const CI = `variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`;

function dockerRunner(extra: string): string {
  return `[[runners]]
  name = "r1"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
${extra}`;
}

const K8S = `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
  [[runners.kubernetes.volumes.empty_dir]]
    name = "docker-certs"
    mount_path = "/certs/client"
`;

ruleCases('dind/mtu-mismatch', [
  {
    name: 'network_mtu below 1500 and no --mtu: CI at the service, TOML at network_mtu',
    files: { '.gitlab-ci.yml': CI, 'config.toml': dockerRunner('    network_mtu = 1450\n') },
    expect: [
      {
        at: 'docker:24.0.5-dind',
        job: 'build',
        runner: 'r1',
        severity: 'warning',
        message: 'outer network MTU is 1450',
      },
      { file: 'config.toml', at: 'network_mtu = 1450', job: 'build', severity: 'warning', message: '`build`' },
    ],
    fixes: [
      'Add `--mtu=1450` to the command of `docker:24.0.5-dind`',
      'Add `--mtu=1360` to the command of `docker:24.0.5-dind`',
    ],
  },
  {
    name: 'negative: --mtu at or below network_mtu',
    files: {
      '.gitlab-ci.yml': CI.replace(
        '    - docker:24.0.5-dind\n',
        '    - name: docker:24.0.5-dind\n      command: ["--mtu=1400"]\n',
      ),
      'config.toml': dockerRunner('    network_mtu = 1450\n'),
    },
    expect: [],
  },
  {
    name: '--mtu above network_mtu is reported without a fix',
    files: {
      '.gitlab-ci.yml': CI.replace(
        '    - docker:24.0.5-dind\n',
        '    - name: docker:24.0.5-dind\n      command: ["--mtu=1500"]\n',
      ),
      'config.toml': dockerRunner('    network_mtu = 1450\n'),
    },
    expect: [
      { at: 'docker:24.0.5-dind', message: '`--mtu=1500`' },
      { file: 'config.toml', at: 'network_mtu = 1450' },
    ],
  },
  {
    name: 'negative: no network_mtu, 1500 or more, or not a real MTU (1)',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `${dockerRunner('')}${dockerRunner('    network_mtu = 1500\n').replace('"r1"', '"r2"')}${dockerRunner('    network_mtu = 1\n').replace('"r1"', '"r3"')}`,
    },
    expect: [],
  },
  {
    name: 'negative: no runner config',
    files: { '.gitlab-ci.yml': CI },
    expect: [],
  },
  {
    name: 'kubernetes: any dind without --mtu; fix appends to an existing flags-only command',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
  DOCKER_TLS_VERIFY: 1
  DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["--registry-mirror", "https://mirror.example.com"]
      variables:
        HEALTHCHECK_TCP_PORT: "2376"
  script:
    - docker build .
`,
      'config.toml': K8S,
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', message: 'SSL_ERROR_SYSCALL' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'build', message: 'Kubernetes' },
    ],
    fixes: ['Add `--mtu=1360` to the command of `docker:24.0.5-dind`'],
  },
  {
    name: 'service from an included template through extends: the template is the place',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
build:
  extends: .docker
  script:
    - docker build .
`,
      'ci/docker.yml': `.docker:
  image: docker:24.0.5-cli
  variables:
    DOCKER_TLS_CERTDIR: "/certs"
  services:
    - name: docker:24.0.5-dind
`,
      'config.toml': dockerRunner('    network_mtu = 1400\n'),
    },
    expect: [
      { file: 'ci/docker.yml', at: 'docker:24.0.5-dind', job: 'build' },
      { file: 'config.toml', at: 'network_mtu = 1400' },
    ],
    fixes: ['Add `--mtu=1400` to the command of `docker:24.0.5-dind`'],
  },
  {
    name: 'service through default: and !reference command without --mtu',
    files: {
      '.gitlab-ci.yml': `.flags:
  cmd: ["--registry-mirror=https://m.example.com"]
default:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: !reference [.flags, cmd]
variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  script:
    - docker build .
`,
      'config.toml': dockerRunner('    network_mtu = 1450\n'),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build' },
      { file: 'config.toml', at: 'network_mtu = 1450' },
    ],
  },
  {
    name: 'runner-defined dind service: finding and fix in config.toml',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  image: docker:24.0.5-cli
  script:
    - docker build .
`,
      'config.toml': dockerRunner(
        '    network_mtu = 1450\n    [[runners.docker.services]]\n      name = "docker:24.0.5-dind"\n',
      ),
    },
    expect: [{ file: 'config.toml', at: '"docker:24.0.5-dind"', job: 'build' }],
    fixes: ['Add `--mtu=1450` to the command of `docker:24.0.5-dind`'],
  },
]);
