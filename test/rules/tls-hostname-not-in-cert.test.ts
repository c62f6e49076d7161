// A18 dind/tls-hostname-not-in-cert: with TLS, the client connects by a name the server certificate lacks.
import { ruleCases } from '../helpers/rule-cases';

const RUNNER = `[[runners]]
  name = "tls"
  executor = "docker"
  [runners.docker]
    image = "docker:24.0.5-cli"
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

const SAN_FIX = 'Add DOCKER_TLS_SAN `DNS:dind` to service `docker:24.0.5-dind`';
const DOCKER_FIX = 'Point DOCKER_HOST at `tcp://docker:2376`';

ruleCases('dind/tls-hostname-not-in-cert', [
  {
    name: 'alias dind with TLS (image default cert dir): error at DOCKER_HOST',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
  variables:
    DOCKER_HOST: tcp://dind:2376
  script: [docker info]
`,
      'config.toml': RUNNER,
    },
    expect: [{ at: 'tcp://dind:2376', job: 'build', runner: 'tls', severity: 'error', message: 'not dind' }],
    fixes: [SAN_FIX, DOCKER_FIX],
  },
  {
    name: 'negative: DOCKER_TLS_SAN covers the alias',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
      variables:
        DOCKER_TLS_SAN: "DNS:dind"
  variables:
    DOCKER_HOST: tcp://dind:2376
  script: [docker info]
`,
      'config.toml': RUNNER,
    },
    expect: [],
  },
  {
    name: 'negative: job-level DOCKER_TLS_SAN reaches the service too',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
  variables:
    DOCKER_HOST: tcp://dind:2376
    DOCKER_TLS_SAN: "DNS:other DNS:dind"
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'a SAN for another name does not help (fix extends it)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
      variables:
        DOCKER_TLS_SAN: "DNS:other"
  variables:
    DOCKER_HOST: tcp://dind:2376
  script: [docker info]
`,
    },
    expect: [{ at: 'tcp://dind:2376', job: 'build' }],
    fixes: [SAN_FIX],
  },
  {
    name: 'negative: TLS disabled',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
  variables:
    DOCKER_HOST: tcp://dind:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'negative (QA noise): alias dind on port 2375 while TLS is on: A11 explains it, no handshake happens',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
  variables:
    DOCKER_HOST: tcp://dind:2375
  script: [docker build .]
`,
      'config.toml': RUNNER,
    },
    expect: [],
  },
  {
    name: 'negative: a port the daemon does not listen on (A11 case c)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
  variables:
    DOCKER_HOST: tcp://dind:4444
  script: [docker info]
`,
      'config.toml': RUNNER,
    },
    expect: [],
  },
  {
    name: 'a TLS --host port in the service command is a TLS port too',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
      command: ["--host=tcp://0.0.0.0:4444"]
  variables:
    DOCKER_HOST: tcp://dind:4444
  script: [docker info]
`,
      'config.toml': RUNNER,
    },
    expect: [{ at: 'tcp://dind:4444', job: 'build', runner: 'tls', message: 'not dind' }],
    fixes: [SAN_FIX, 'Point DOCKER_HOST at `tcp://docker:4444`'],
  },
  {
    name: 'negative: connecting as docker',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
  variables:
    DOCKER_HOST: tcp://docker:2376
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'negative: unknown DOCKER_TLS_SAN (project variable)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
  variables:
    DOCKER_HOST: tcp://dind:2376
    DOCKER_TLS_SAN: $SAN_FROM_SETTINGS
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: 'service and variables from an included template through extends and default',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/dind.yml
default:
  services:
    - name: docker:24.0.5-dind
      alias: dind
build:
  extends: .dind-vars
  image: docker:24.0.5-cli
  script: [docker info]
`,
      'ci/dind.yml': `.dind-vars:
  variables:
    DOCKER_HOST: tcp://dind:2376
    DOCKER_TLS_CERTDIR: "/certs"
`,
    },
    expect: [{ file: 'ci/dind.yml', at: 'tcp://dind:2376', job: 'build' }],
    fixes: [SAN_FIX, DOCKER_FIX],
  },
  {
    name: 'DOCKER_HOST through !reference',
    files: {
      '.gitlab-ci.yml': `.hosts:
  variables:
    DOCKER_HOST: tcp://dind:2376
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
  variables: !reference [.hosts, variables]
  script: [docker info]
`,
    },
    expect: [{ at: 'tcp://dind:2376', job: 'build' }],
    fixes: [SAN_FIX],
  },
  {
    name: 'conditional: TLS only in the branch without the rules variable',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: dind
  variables:
    DOCKER_HOST: tcp://dind:2376
  rules:
    - if: $CI_COMMIT_TAG
      variables:
        DOCKER_TLS_CERTDIR: ""
    - when: on_success
  script: [docker info]
`,
    },
    expect: [{ at: 'tcp://dind:2376', job: 'build' }],
  },
]);
