// A37 `dind/rootless-misconfigured`: rootless dind without privileges (a), with a privileged build container (b),
// with a one-form allow-list (c), with the CA directory on a volume (d), and under AppArmor on Kubernetes (e).

import { ruleCases } from '../helpers/rule-cases';

const ROOTLESS_CI = `build:
  image: docker:27-cli
  services:
    - docker:27-dind-rootless
  script:
    - docker build .
`;

const B9_TOML = `[[runners]]
  executor = "docker"
  [runners.docker]
    services_privileged = true
    allowed_privileged_services = ["docker.io/library/docker:*-dind-rootless", "docker.io/library/docker:dind-rootless", "docker:*-dind-rootless", "docker:dind-rootless"]
    volumes = ["/certs/client", "/cache"]
`;

const SVC = 'docker:27-dind-rootless';

ruleCases('dind/rootless-misconfigured', [
  {
    name: '(a) no privileges at all: error in both files with the services_privileged fix',
    files: {
      '.gitlab-ci.yml': ROOTLESS_CI,
      'config.toml': `[[runners]]
  name = "rl"
  executor = "docker"
  [runners.docker]
    volumes = ["/certs/client", "/cache"]
`,
    },
    expect: [
      { at: SVC, job: 'build', runner: 'rl', severity: 'error', message: 'must run privileged' },
      { file: 'config.toml', at: '[runners.docker]', job: null, runner: 'rl', severity: 'error', message: '`build`' },
    ],
    fixes: ['Run rootless dind privileged (services_privileged = true with an allow-list)'],
  },
  {
    name: '(a)+(c) allow-list with only the docker.io form does not match the short name; service via default:',
    files: {
      '.gitlab-ci.yml': `default:
  services:
    - docker:27-dind-rootless
build:
  image: docker:27-cli
  script:
    - docker info
`,
      'config.toml': `[[runners]]
  executor = "docker"
  [runners.docker]
    services_privileged = true
    allowed_privileged_services = ["docker.io/library/docker:*-dind-rootless"]
    volumes = ["/certs/client"]
`,
    },
    expect: [
      { at: SVC, job: 'build', severity: 'error', message: 'does not match' },
      {
        file: 'config.toml',
        at: 'allowed_privileged_services = ["docker.io/library/docker:*-dind-rootless"]',
        severity: 'error',
      },
    ],
    fixes: ['Run rootless dind privileged (services_privileged = true with an allow-list)'],
  },
  {
    name: '(c) allow-list matches the short form only: warning, fix adds the docker.io form; service from an included file',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
build:
  extends: .docker
  script:
    - docker info
`,
      'ci/docker.yml': `.docker:
  image: docker:27-cli
  services:
    - name: docker:27-dind-rootless
      alias: docker
`,
      'config.toml': `[[runners]]
  executor = "docker"
  [runners.docker]
    services_privileged = true
    allowed_privileged_services = ["docker:*-dind-rootless"]
    volumes = ["/certs/client"]
`,
    },
    expect: [
      { file: 'ci/docker.yml', at: SVC, job: 'build', severity: 'warning', message: 'docker.io/library/docker:' },
      { file: 'config.toml', at: 'allowed_privileged_services = ["docker:*-dind-rootless"]', severity: 'warning' },
    ],
    fixes: ['Allow both name forms of rootless dind in allowed_privileged_services'],
  },
  {
    name: '(b) privileged = true makes the build container privileged: warning with the restricted fix',
    files: {
      '.gitlab-ci.yml': ROOTLESS_CI,
      'config.toml': `[[runners]]
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
`,
    },
    expect: [
      { at: SVC, severity: 'warning', message: 'defeats the purpose' },
      { file: 'config.toml', at: 'privileged = true', severity: 'warning' },
    ],
    fixes: ['Make only the rootless dind service privileged (privileged = false, services_privileged = true)'],
  },
  {
    name: '(d) /certs/ca on a volume: error with a fix removing it; service through !reference',
    files: {
      '.gitlab-ci.yml': `.dind:
  services:
    - docker:27-dind-rootless
build:
  image: docker:27-cli
  services: !reference [.dind, services]
  script:
    - docker info
`,
      'config.toml': B9_TOML.replace('"/certs/client", "/cache"', '"/certs/client", "/certs/ca", "/cache"'),
    },
    expect: [
      { at: SVC, job: 'build', severity: 'error', message: 'Permission denied' },
      { file: 'config.toml', at: '"/certs/ca"', severity: 'error', message: 'falls back to non-TLS' },
    ],
    fixes: ['Remove the "/certs/ca" volume'],
  },
  {
    name: '(d) not reported when TLS is off',
    files: {
      '.gitlab-ci.yml': ROOTLESS_CI.replace('  script:', '  variables:\n    DOCKER_TLS_CERTDIR: ""\n  script:'),
      'config.toml': B9_TOML.replace('"/certs/client", "/cache"', '"/certs", "/cache"'),
    },
    expect: [],
  },
  {
    name: '(e) kubernetes: privileged service without an AppArmor profile; (a) kubernetes unprivileged in another runner',
    files: {
      '.gitlab-ci.yml': ROOTLESS_CI,
      'config.toml': `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    [runners.kubernetes.service_container_security_context]
      privileged = true
[[runners]]
  name = "k8s-plain"
  executor = "kubernetes"
  [runners.kubernetes]
    image = "ubuntu:20.04"
`,
    },
    expect: [
      { at: SVC, runner: 'k8s', severity: 'warning', message: 'failed to share mount point' },
      { file: 'config.toml', at: 'privileged = true', runner: 'k8s', severity: 'warning', message: 'AppArmor' },
      { at: SVC, runner: 'k8s-plain', severity: 'error', message: 'must run privileged' },
      { file: 'config.toml', at: '[runners.kubernetes]', occurrence: 1, runner: 'k8s-plain', severity: 'error' },
    ],
    fixes: [
      "Set the service containers' AppArmor profile to Unconfined",
      'Run service containers privileged (service_container_security_context)',
    ],
  },
  {
    name: 'conditional variable: the rootless image comes from a rules: variable',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:27-cli
  variables:
    DIND: docker:27-dind
  rules:
    - if: $ROOTLESS
      variables:
        DIND: docker:27-dind-rootless
    - when: on_success
  services:
    - $DIND
  script:
    - docker info
`,
      'config.toml': `[[runners]]
  executor = "docker"
  [runners.docker]
    privileged = false
    volumes = ["/certs/client"]
`,
    },
    expect: [
      { at: '$DIND', occurrence: 0, severity: 'error', message: 'must run privileged' },
      { file: 'config.toml', at: 'privileged = false', severity: 'error' },
    ],
  },
  {
    name: 'negative: B9 with the /certs/client volume, rootful dind, and no runner config',
    files: {
      '.gitlab-ci.yml':
        ROOTLESS_CI +
        `other:
  image: docker:27-cli
  services:
    - docker:27-dind
  script:
    - docker info
`,
      'config.toml': B9_TOML,
    },
    expect: [],
  },
  {
    name: 'negative: no runner config (runner-dependent checks skipped)',
    files: { '.gitlab-ci.yml': ROOTLESS_CI },
    expect: [],
  },
]);
