// The canonical configurations of the spec's section B (GitLab's documented setups) must produce no error finding.
// B8's TOML is given in its intended shape (the docs repeat the [runners.kubernetes] header, which strict TOML
// rejects); B9 gets the "/certs/client" volume the spec's observations call for; B12 is a documented example that
// trips several rules on purpose and is not canonical.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeCase } from '../helpers/rule-cases';

const B2_TOML = `[[runners]]
  url = "https://gitlab.com/"
  token = "TOKEN"
  executor = "docker"
  [runners.docker]
    tls_verify = false
    image = "docker:24.0.5-cli"
    privileged = true
    disable_cache = false
    volumes = ["/certs/client", "/cache"]
  [runners.cache]
    [runners.cache.s3]
    [runners.cache.gcs]
`;

const CASES: Record<string, { ci: string; toml: string }> = {
  'B1 shell executor': {
    toml: `[[runners]]
  url = "https://gitlab.com/"
  token = "TOKEN"
  executor = "shell"
`,
    ci: `default:
  before_script:
    - docker info
build_image:
  script:
    - docker build -t my-docker-image .
    - docker run my-docker-image /script/to/run/tests
`,
  },
  'B2 docker executor, dind with TLS': {
    toml: B2_TOML,
    ci: `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  before_script:
    - docker info

variables:
  DOCKER_TLS_CERTDIR: "/certs"

build:
  stage: build
  tags:
    - tls-docker-runner
  script:
    - docker build -t my-docker-image .
    - docker run my-docker-image /script/to/run/tests
`,
  },
  'B3 docker executor, dind without TLS': {
    toml: `[[runners]]
  url = "https://gitlab.com/"
  token = "TOKEN"
  executor = "docker"
  [runners.docker]
    tls_verify = false
    image = "docker:24.0.5-cli"
    privileged = true
    disable_cache = false
    volumes = ["/cache"]
  [runners.cache]
    [runners.cache.s3]
    [runners.cache.gcs]
`,
    ci: `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  before_script:
    - docker info

variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""

build:
  stage: build
  tags:
    - no-tls-docker-runner
  script:
    - docker build -t my-docker-image .
    - docker run my-docker-image /script/to/run/tests
`,
  },
  'B4 docker executor, Unix socket on a shared volume': {
    toml: `[[runners]]
  url = "https://gitlab.com/"
  token = "TOKEN"
  executor = "docker"
  [runners.docker]
    image = "docker:24.0.5-cli"
    privileged = true
    volumes = ["/runner/services/docker"] # Temporary volume shared between build and service containers.
`,
    ci: `job:
  variables:
    # Shared by the DinD service (creates docker.sock here) and the client (connects here)
    DOCKER_HOST: "unix:///runner/services/docker/docker.sock"
  services:
    - docker:24.0.5-dind
  image: docker:24.0.5-cli
  script:
    - docker version
`,
  },
  'B5 docker executor, socket binding': {
    toml: `[[runners]]
  url = "https://gitlab.com/"
  token = "RUNNER_TOKEN"
  executor = "docker"
  [runners.docker]
    tls_verify = false
    image = "docker:24.0.5-cli"
    privileged = false
    disable_cache = false
    volumes = ["/var/run/docker.sock:/var/run/docker.sock", "/cache"]
  [runners.cache]
    Insecure = false
`,
    ci: `default:
  image: docker:24.0.5-cli
  before_script:
    - docker info

build:
  stage: build
  tags:
    - socket-binding-docker-runner
  script:
    - docker build -t my-docker-image .
    - docker run my-docker-image /script/to/run/tests
`,
  },
  'B6 kubernetes executor, dind with TLS': {
    toml: `[[runners]]
  executor = "kubernetes"
  [runners.kubernetes]
    image = "ubuntu:20.04"
    privileged = true
  [[runners.kubernetes.volumes.empty_dir]]
    name = "docker-certs"
    mount_path = "/certs/client"
    medium = "Memory"
`,
    ci: `default:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2376"
  before_script:
    - docker info

variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
  DOCKER_TLS_VERIFY: 1
  DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"

build:
  stage: build
  tags:
    - tls-dind-kubernetes-runner
  script:
    - docker build -t my-docker-image .
    - docker run my-docker-image /script/to/run/tests
`,
  },
  'B7 kubernetes executor, dind without TLS': {
    toml: `[[runners]]
  executor = "kubernetes"
  [runners.kubernetes]
    image = "ubuntu:20.04"
    privileged = true
`,
    ci: `default:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2375"
  before_script:
    - docker info

variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  stage: build
  tags:
    - no-tls-dind-kubernetes-runner
  script:
    - docker build -t my-docker-image .
    - docker run my-docker-image /script/to/run/tests
`,
  },
  'B8 kubernetes executor, socket binding': {
    toml: `[[runners]]
  executor = "kubernetes"
  [runners.kubernetes]
    image = "ubuntu:20.04"
    privileged = false
    [[runners.kubernetes.volumes.host_path]]
      host_path = '/var/run/docker.sock'
      mount_path = '/var/run/docker.sock'
      name = 'docker-sock'
      read_only = true
`,
    ci: `default:
  image: docker:24.0.5-cli
  before_script:
    - docker info
build:
  stage: build
  tags:
    - socket-binding-kubernetes-runner
  script:
    - docker build -t my-docker-image .
    - docker run my-docker-image /script/to/run/tests
`,
  },
  'B9 rootless dind with restricted privileged mode': {
    toml: `[[runners]]
  executor = "docker"
  [runners.docker]
    services_privileged = true
    allowed_privileged_services = ["docker.io/library/docker:*-dind-rootless", "docker.io/library/docker:dind-rootless", "docker:*-dind-rootless", "docker:dind-rootless"]
    volumes = ["/certs/client", "/cache"]
`,
    ci: `image: docker:git
services:
- docker:dind-rootless

build:
  script:
  - docker build -t my-image .
  - docker push my-image
`,
  },
  'B10a registry mirror in the service command': {
    toml: B2_TOML,
    ci: `image: docker:24.0.5-cli
services:
  - name: docker:24.0.5-dind
    command: ["--registry-mirror", "https://registry-mirror.example.com"]
build:
  script:
    - docker build -t my-docker-image .
`,
  },
  'B10b registry mirror in a runner-defined service': {
    toml: `[[runners]]
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
    [[runners.docker.services]]
      name = "docker:24.0.5-dind"
      command = ["--registry-mirror", "https://registry-mirror.example.com"]
`,
    ci: `image: docker:24.0.5-cli
build:
  script:
    - docker build -t my-docker-image .
`,
  },
  'B10c registry mirror through daemon.json': {
    toml: `[[runners]]
  executor = "docker"
  [runners.docker]
    image = "alpine:3.12"
    privileged = true
    volumes = ["/opt/docker/daemon.json:/etc/docker/daemon.json:ro", "/certs/client", "/cache"]
`,
    ci: `image: docker:24.0.5-cli
services:
  - docker:24.0.5-dind
build:
  script:
    - docker build -t my-docker-image .
`,
  },
  'B11 sysbox runtime': {
    toml: `[[runners]]
  url = "https://gitlab.com/"
  token = "TOKEN"
  executor = "docker"
  [runners.docker]
    tls_verify = false
    image = "docker:24.0.5-cli"
    privileged = false
    disable_cache = false
    volumes = ["/certs/client", "/cache"]
    runtime = "sysbox-runc"
`,
    ci: `image: docker:24.0.5-cli
services:
  - docker:24.0.5-dind
variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  script:
    - docker build -t my-docker-image .
`,
  },
};

for (const [name, { ci, toml }] of Object.entries(CASES)) {
  test(`canonical ${name}: no error finding`, () => {
    const { analysis } = analyzeCase({ files: { '.gitlab-ci.yml': ci, 'gitlab-runner/config.toml': toml } });
    const errors = analysis.findings.filter((f) => f.severity === 'error');
    assert.deepEqual(
      errors.map((f) => `${f.ruleId} ${f.job ?? ''}: ${f.message}`),
      [],
    );
    assert.ok((analysis.pipelines[0]?.jobs.length ?? 0) > 0, 'the pipeline was modelled with its jobs');
    assert.ok((analysis.runnerConfigs[0]?.runners.length ?? 0) > 0, 'the runner config was modelled with its runners');
  });
}
