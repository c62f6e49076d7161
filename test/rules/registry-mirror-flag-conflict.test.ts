import { ruleCases } from '../helpers/rule-cases';

const MIRROR_RUNNER = (volume: string, extra = '') => `[[runners]]
  name = "mirror-runner"
  executor = "docker"
  [runners.docker]
    image = "docker:24.0.5-cli"
    privileged = true
    volumes = ["/certs/client", "${volume}"]
${extra}`;

ruleCases('dind/registry-mirror-flag-conflict', [
  {
    name: 'daemon.json mount and --registry-mirror in the job service command: both places, linked',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["--registry-mirror", "https://mirror.example.com"]
  script: [docker info]
`,
      'config.toml': MIRROR_RUNNER('/opt/docker/daemon.json:/etc/docker/daemon.json:ro'),
    },
    expect: [
      {
        at: '"--registry-mirror"',
        job: 'build',
        runner: 'mirror-runner',
        severity: 'warning',
        message: 'dockerd refuses to start when a directive is given both as a flag and in daemon.json',
      },
      {
        file: 'config.toml',
        at: '"/opt/docker/daemon.json:/etc/docker/daemon.json:ro"',
        job: 'build',
        runner: 'mirror-runner',
        severity: 'warning',
        message: 'registry-mirrors',
      },
    ],
    fixes: [
      'Remove --registry-mirror from the dind service command',
      'Remove the daemon.json mount from runner mirror-runner',
    ],
  },
  {
    name: 'B10 (a) without a daemon.json mount, and (c) without flags: no warning',
    files: {
      '.gitlab-ci.yml': `a:
  services:
    - name: docker:24.0.5-dind
      command: ["--registry-mirror", "https://mirror.example.com"]
  script: [docker info]
`,
      'config.toml': MIRROR_RUNNER('/cache'),
    },
    expect: [],
  },
  {
    name: 'runner-defined service (B10 b) with --mtu=1400 plus the mount: reported in config.toml',
    files: {
      '.gitlab-ci.yml': `build:
  script: [docker info]
`,
      'config.toml': MIRROR_RUNNER(
        '/opt/docker/daemon.json:/etc/docker/daemon.json:ro',
        `    [[runners.docker.services]]
      name = "docker:24.0.5-dind"
      command = ["--mtu=1400", "--tls=false"]
`,
      ),
    },
    expect: [
      { file: 'config.toml', at: '"--mtu=1400"', job: 'build', message: '`--mtu=1400`' },
      { file: 'config.toml', at: '"/opt/docker/daemon.json:/etc/docker/daemon.json:ro"', job: 'build', message: 'mtu' },
    ],
    fixes: ['Remove --mtu from the dind service command'],
  },
  {
    name: 'writable daemon.json mount: info on the runner with a :ro fix',
    files: {
      'config.toml': MIRROR_RUNNER('/opt/docker/daemon.json:/etc/docker/daemon.json'),
    },
    expect: [
      {
        file: 'config.toml',
        at: '"/opt/docker/daemon.json:/etc/docker/daemon.json"',
        job: null,
        severity: 'info',
        message: 'without `:ro`',
      },
    ],
    fixes: ['Mount daemon.json read-only (:ro)'],
  },
  {
    name: 'service command from an included template (extends, block list) and through !reference',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/dind.yml
build:
  extends: .dind
  script: [docker info]
ref:
  services: !reference [.dind, services]
  script: [docker info]
`,
      'ci/dind.yml': `.dind:
  services:
    - name: docker:24.0.5-dind
      command:
        - --tls=false
        - --insecure-registry
        - registry.local:5000
`,
      'config.toml': MIRROR_RUNNER('/srv/daemon.json:/etc/docker/daemon.json:ro'),
    },
    expect: [
      { file: 'ci/dind.yml', at: '--insecure-registry', job: 'build' },
      { file: 'ci/dind.yml', at: '--insecure-registry', job: 'ref' },
      { file: 'config.toml', at: '"/srv/daemon.json:/etc/docker/daemon.json:ro"', job: 'build' },
      { file: 'config.toml', at: '"/srv/daemon.json:/etc/docker/daemon.json:ro"', job: 'ref' },
    ],
    fixes: ['Remove --insecure-registry from the dind service command'],
  },
  {
    name: 'Kubernetes ConfigMap daemon.json (B10 d) with a -H flag',
    files: {
      '.gitlab-ci.yml': `build:
  services:
    - name: docker:24.0.5-dind
      command: ["-H", "tcp://0.0.0.0:2375"]
  script: [docker info]
`,
      'config.toml': `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
    [[runners.kubernetes.volumes.config_map]]
      name = "docker-daemon"
      mount_path = "/etc/docker/daemon.json"
      sub_path = "daemon.json"
`,
    },
    expect: [
      { at: '"-H"', job: 'build', runner: 'k8s', message: 'hosts' },
      { file: 'config.toml', at: '"/etc/docker/daemon.json"', job: 'build', runner: 'k8s' },
    ],
    fixes: ['Remove -H from the dind service command'],
  },
]);
