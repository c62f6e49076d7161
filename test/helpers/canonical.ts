// The canonical configurations of spec section B (GitLab's documented setups): one copy for every test.
// The runner configs are the files in test/runner/fixtures/canonical/, as the docs give them (the runner tests read
// those files directly). Where the docs' shape is not what they intend, the `toml` here repairs it in plain sight:
// B8's repeated [runners.kubernetes] header (strict TOML rejects it) is merged, B9 gets the "/certs/client" volume
// the spec's observations call for, and B10b/B10c keep B2's cert volume beside the mirror setting.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './paths';

/** One documented setup: the pipeline and the runner config that goes with it. */
export interface CanonicalSetup {
  readonly title: string;
  /** `.gitlab-ci.yml`. */
  readonly ci: string;
  /** `config.toml`, in the shape the docs intend. */
  readonly toml: string;
}

const FIXTURES = join(REPO_ROOT, 'test', 'runner', 'fixtures', 'canonical');

/** The runner config of `id` (e.g. `B2`) as the docs give it: test/runner/fixtures/canonical/<id>.toml without its
 * leading provenance comment. */
export function docsToml(id: string): string {
  return readFileSync(join(FIXTURES, `${id}.toml`), 'utf8').replace(/^(#.*\n)+/, '');
}

/** `toml` with `keys` (string values, e.g. `name`, `executor`) as the first keys of its first `[[runners]]` entry. */
export function withRunnerKeys(toml: string, keys: Readonly<Record<string, string>>): string {
  const header = '[[runners]]\n';
  if (!toml.includes(header)) throw new Error('no [[runners]] entry to add keys to');
  const lines = Object.entries(keys).map(([k, v]) => `  ${k} = "${v}"\n`);
  return toml.replace(header, header + lines.join(''));
}

const CERT_VOLUMES = 'volumes = ["/certs/client", "/cache"]';

/** `text` with `from` replaced by `to`; throws when `from` is absent, so a changed fixture cannot go unrepaired. */
function repaired(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`canonical fixture lacks ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

export const B1: CanonicalSetup = {
  title: 'B1 shell executor',
  toml: docsToml('B1'),
  ci: `default:
  before_script:
    - docker info
build_image:
  script:
    - docker build -t my-docker-image .
    - docker run my-docker-image /script/to/run/tests
`,
};

export const B2: CanonicalSetup = {
  title: 'B2 docker executor, dind with TLS',
  toml: docsToml('B2'),
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
};

export const B3: CanonicalSetup = {
  title: 'B3 docker executor, dind without TLS',
  toml: docsToml('B3'),
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
};

export const B4: CanonicalSetup = {
  title: 'B4 docker executor, Unix socket on a shared volume',
  toml: docsToml('B4'),
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
};

export const B5: CanonicalSetup = {
  title: 'B5 docker executor, socket binding',
  toml: docsToml('B5'),
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
};

export const B6: CanonicalSetup = {
  title: 'B6 kubernetes executor, dind with TLS',
  toml: docsToml('B6'),
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
  # Usually set by the entrypoint; the Kubernetes executor doesn't run entrypoints (runner#4125)
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
};

export const B7: CanonicalSetup = {
  title: 'B7 kubernetes executor, dind without TLS',
  toml: docsToml('B7'),
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
};

export const B8: CanonicalSetup = {
  title: 'B8 kubernetes executor, socket binding',
  toml: repaired(docsToml('B8'), '    privileged = false\n  [runners.kubernetes]\n', '    privileged = false\n'),
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
};

export const B9: CanonicalSetup = {
  title: 'B9 rootless dind with restricted privileged mode',
  toml: `${docsToml('B9')}    ${CERT_VOLUMES}\n`,
  ci: `image: docker:git
services:
- docker:dind-rootless

build:
  script:
  - docker build -t my-image .
  - docker push my-image
`,
};

export const B10A: CanonicalSetup = {
  title: 'B10a registry mirror in the service command',
  toml: B2.toml,
  ci: `image: docker:24.0.5-cli
services:
  - name: docker:24.0.5-dind
    command: ["--registry-mirror", "https://registry-mirror.example.com"]
build:
  script:
    - docker build -t my-docker-image .
`,
};

export const B10B: CanonicalSetup = {
  title: 'B10b registry mirror in a runner-defined service',
  toml: repaired(docsToml('B10b'), '    privileged = true\n', `    privileged = true\n    ${CERT_VOLUMES}\n`),
  ci: `image: docker:24.0.5-cli
build:
  script:
    - docker build -t my-docker-image .
`,
};

export const B10C: CanonicalSetup = {
  title: 'B10c registry mirror through daemon.json',
  toml: repaired(
    docsToml('B10c'),
    'volumes = ["/opt/docker/daemon.json:/etc/docker/daemon.json:ro"]',
    'volumes = ["/opt/docker/daemon.json:/etc/docker/daemon.json:ro", "/certs/client", "/cache"]',
  ),
  ci: `image: docker:24.0.5-cli
services:
  - docker:24.0.5-dind
build:
  script:
    - docker build -t my-docker-image .
`,
};

export const B11: CanonicalSetup = {
  title: 'B11 sysbox runtime',
  toml: docsToml('B11'),
  ci: `image: docker:24.0.5-cli
services:
  - docker:24.0.5-dind
variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  script:
    - docker build -t my-docker-image .
`,
};

/** Every canonical setup; B12 trips several rules on purpose and is not canonical. */
export const CANONICAL_SETUPS: readonly CanonicalSetup[] = [B1, B2, B3, B4, B5, B6, B7, B8, B9, B10A, B10B, B10C, B11];
