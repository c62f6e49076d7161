// QA A24 dind/mtu-mismatch: dind's inner MTU 1500 vs the runner network_mtu or the Kubernetes overlay.

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner, k8sRunner, K8S_CERTS, K8S_TLS_VARS } from './fixtures';
import { B2_CI } from './fixtures-qa3';

const ID = 'dind/mtu-mismatch';
const FF = { runner: '  [runners.feature_flags]\n    FF_NETWORK_PER_BUILD = true\n' };
const PRIV = '    privileged = true\n    volumes = ["/certs/client", "/cache"]\n';

ruleCases(ID, [
  {
    name: 'positive: network_mtu = 1400 and a dind service in default: without --mtu',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': dockerRunner(`${PRIV}    network_mtu = 1400`, FF) },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'warning' },
      { file: 'config.toml', at: 'network_mtu = 1400', job: 'build', severity: 'warning' },
    ],
  },
  {
    name: 'positive: --mtu larger than network_mtu',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["--mtu=1500"]
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner(`${PRIV}    network_mtu = 1400`, FF),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'warning' },
      { file: 'config.toml', at: 'network_mtu = 1400', job: 'build', severity: 'warning' },
    ],
  },
  {
    name: 'positive: kubernetes executor, dind without --mtu',
    files: {
      '.gitlab-ci.yml': `${K8S_TLS_VARS}build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2376"
  script:
    - docker build -t app .
`,
      'config.toml': k8sRunner('    privileged = true', K8S_CERTS),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'warning', message: '1360' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'build', runner: 'k1', severity: 'warning' },
    ],
  },
  {
    name: 'negative: --mtu=1360 with network_mtu = 1400',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["--mtu=1360"]
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner(`${PRIV}    network_mtu = 1400`, FF),
    },
    expect: [],
  },
  {
    name: 'negative: runner-defined dind service passes --mtu in config.toml',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner(
        `${PRIV}    network_mtu = 1400\n    [[runners.docker.services]]\n      name = "docker:24.0.5-dind"\n      command = ["--mtu=1400"]`,
        FF,
      ),
    },
    expect: [],
  },
  {
    name: 'negative: docker runner without network_mtu',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': dockerRunner(PRIV) },
    expect: [],
  },
]);
