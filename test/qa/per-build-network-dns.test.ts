// QA A23 dind/per-build-network-dns: custom runner DNS is not inherited by containers inside dind on per-build networks.

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner } from './fixtures';
import { B2_CI } from './fixtures-qa3';

const ID = 'dind/per-build-network-dns';
const FF = { runner: '  [runners.feature_flags]\n    FF_NETWORK_PER_BUILD = true\n' };
const PRIV = '    privileged = true\n    volumes = ["/certs/client", "/cache"]\n';

ruleCases(ID, [
  {
    name: 'positive: FF_NETWORK_PER_BUILD + dns, dind without --dns',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': dockerRunner(`${PRIV}    dns = ["10.0.0.2"]`, FF) },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', runner: 'r1', severity: 'info', message: '10.0.0.2' },
      { file: 'config.toml', at: 'dns = ["10.0.0.2"]', job: 'build', runner: 'r1', severity: 'info' },
    ],
  },
  {
    name: 'positive: FF from a job variable, dns_search only',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    FF_NETWORK_PER_BUILD: "true"
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner(`${PRIV}    dns_search = ["corp.example.com"]`),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'info', message: 'corp.example.com' },
      { file: 'config.toml', at: 'dns_search = ["corp.example.com"]', job: 'build', severity: 'info' },
    ],
  },
  {
    name: 'negative: dind command passes --dns',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["--dns=127.0.0.11", "--dns=10.0.0.2"]
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner(`${PRIV}    dns = ["10.0.0.2"]`, FF),
    },
    expect: [],
  },
  {
    name: 'negative: job FF_NETWORK_PER_BUILD=true loses to [runners.feature_flags] false',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    FF_NETWORK_PER_BUILD: "true"
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner(`${PRIV}    dns = ["10.0.0.2"]`, {
        runner: '  [runners.feature_flags]\n    FF_NETWORK_PER_BUILD = false\n',
      }),
    },
    expect: [],
  },
  {
    name: 'negative: network_mode set, so no per-build network despite the flag',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': dockerRunner(`${PRIV}    dns = ["10.0.0.2"]\n    network_mode = "bridge"`, FF),
    },
    expect: [],
  },
  {
    name: 'negative: dns without per-build networking',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': dockerRunner(`${PRIV}    dns = ["10.0.0.2"]`) },
    expect: [],
  },
]);
