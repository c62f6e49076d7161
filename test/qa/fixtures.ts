// Shared runner configs and pipelines for the QA cases: realistic config.toml shapes written from spec section B.

/** A DockerLike `[[runners]]` entry named `name`; `docker` holds the `[runners.docker]` body lines. */
export function dockerRunner(docker: string, opts: { name?: string; executor?: string; runner?: string } = {}): string {
  return `[[runners]]
  name = "${opts.name ?? 'r1'}"
  url = "https://gitlab.example.com/"
  executor = "${opts.executor ?? 'docker'}"
${opts.runner ?? ''}  [runners.docker]
    image = "alpine:3.19"
${docker}
`;
}

/** A Kubernetes `[[runners]]` entry named `k1`; `k8s` holds the `[runners.kubernetes]` body lines. */
export function k8sRunner(k8s: string, tail = ''): string {
  return `[[runners]]
  name = "k1"
  executor = "kubernetes"
  [runners.kubernetes]
    image = "alpine:3.19"
${k8s}
${tail}`;
}

export const K8S_CERTS = `  [[runners.kubernetes.volumes.empty_dir]]
    name = "docker-certs"
    mount_path = "/certs/client"
    medium = "Memory"
`;

/** B2 runner: privileged, `/certs/client` shared. */
export const B2_RUNNER = dockerRunner('    privileged = true\n    volumes = ["/certs/client", "/cache"]');

/** Privileged runner without the cert volume. */
export const NO_CERTS_RUNNER = dockerRunner('    privileged = true\n    volumes = ["/cache"]');

/** The K8s TLS client variables of B6. */
export const K8S_TLS_VARS = `variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
  DOCKER_TLS_VERIFY: 1
  DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
`;

/** A plain pinned dind job. */
export const DIND_JOB = `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script:
    - docker build -t app .
`;
