// QA A2 dind/socket-mount-with-dind-service: SOCKET_MOUNT(R) (container path /var/run/docker.sock; K8s host_path
// mount_path) together with a dind service in SVC(J).

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner, k8sRunner } from './fixtures';
import { B2_CI, B5 } from './fixtures-qa2';

const ID = 'dind/socket-mount-with-dind-service';

ruleCases(ID, [
  {
    name: 'positive: B2 pipeline (dind from default:) on the B5 socket-binding runner',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': B5 },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', runner: 'sock', severity: 'error' },
      { file: 'config.toml', at: '"/var/run/docker.sock:/var/run/docker.sock"', job: 'build', severity: 'error' },
    ],
  },
  {
    name: 'positive: dind service from an included template on a docker+machine runner with a :ro socket bind',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml

build:
  extends: .dind
  script:
    - docker build -t app .
`,
      'ci/docker.yml': `.dind:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      alias: docker
`,
      'config.toml': dockerRunner(
        '    privileged = true\n    volumes = ["/cache", "/var/run/docker.sock:/var/run/docker.sock:ro"]',
        { executor: 'docker+machine' },
      ),
    },
    expect: [
      { file: 'ci/docker.yml', at: 'docker:24.0.5-dind', job: 'build', severity: 'error' },
      { file: 'config.toml', at: '"/var/run/docker.sock:/var/run/docker.sock:ro"', job: 'build', severity: 'error' },
    ],
  },
  {
    name: 'positive: Kubernetes host_path socket (B8) with a dind service',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': k8sRunner(
        '    privileged = true',
        `    [[runners.kubernetes.volumes.host_path]]
      host_path = '/var/run/docker.sock'
      mount_path = '/var/run/docker.sock'
      name = 'docker-sock'
`,
      ),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'error' },
      { file: 'config.toml', at: "'/var/run/docker.sock'", occurrence: 1, job: 'build', severity: 'error' },
    ],
  },
  {
    name: 'negative: the host socket mounted at another container path does not occupy the dind socket',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': dockerRunner(
        '    privileged = true\n    volumes = ["/certs/client", "/cache", "/var/run/docker.sock:/var/run/host-docker.sock"]',
      ),
    },
    expect: [],
  },
  {
    name: 'negative: B5 socket binding without any dind service',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
build:
  script:
    - docker build -t my-docker-image .
`,
      'config.toml': B5,
    },
    expect: [],
  },
]);
