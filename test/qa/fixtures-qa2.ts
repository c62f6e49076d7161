// Pipelines and runner configs for the qa2 cases, written from spec section B (canonical setups) and close variants.

import { dockerRunner } from './fixtures';

/** B2 runner named `tls`: privileged, `/certs/client` shared. */
export const B2 = dockerRunner('    privileged = true\n    volumes = ["/certs/client", "/cache"]', { name: 'tls' });

/** B3 runner named `plain`: privileged, no cert volume. */
export const B3 = dockerRunner('    privileged = true\n    volumes = ["/cache"]', { name: 'plain' });

/** B5 runner named `sock`: host socket bound, not privileged. */
export const B5 = dockerRunner(
  '    privileged = false\n    volumes = ["/var/run/docker.sock:/var/run/docker.sock", "/cache"]',
  { name: 'sock' },
);

/** B2's pipeline: dind from `default:`, TLS on through the global DOCKER_TLS_CERTDIR. */
export const B2_CI = `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  before_script:
    - docker info

variables:
  DOCKER_TLS_CERTDIR: "/certs"

build:
  stage: build
  script:
    - docker build -t my-docker-image .
`;

/** B3's pipeline: TLS disabled. */
export const B3_CI = `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind

variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""

build:
  script:
    - docker build -t my-docker-image .
`;

/** B6's Kubernetes runner (`k8s`), with the cert empty_dir. */
export const B6_TOML = `[[runners]]
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

/** B7's Kubernetes runner (`k8s`), no volumes. */
export const B7_TOML = `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    image = "ubuntu:20.04"
    privileged = true
`;

/** B6's pipeline. */
export const B6_CI = `default:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2376"

variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
  DOCKER_TLS_VERIFY: 1
  DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"

build:
  script:
    - docker build -t my-docker-image .
`;

/** B7's pipeline. */
export const B7_CI = `default:
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
    - docker build -t my-docker-image .
`;
