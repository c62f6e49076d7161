// QA A21 dind/network-mode-conflict: `[runners.docker] network_mode` host / shared user-defined network with dind.

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner, k8sRunner } from './fixtures';
import { B2_CI, SOCKET_CI } from './fixtures-qa3';

const ID = 'dind/network-mode-conflict';
const PRIV = '    privileged = true\n    volumes = ["/certs/client", "/cache"]\n';

ruleCases(ID, [
  {
    name: 'positive (a): network_mode = "host" on a docker runner running dind jobs',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': dockerRunner(`${PRIV}    network_mode = "host"`) },
    expect: [{ file: 'config.toml', at: 'network_mode = "host"', runner: 'r1', severity: 'warning' }],
  },
  {
    name: 'positive (b): a pre-existing shared network on docker+machine',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': dockerRunner(`${PRIV}    network_mode = "ci-shared"`, { executor: 'docker+machine' }),
    },
    expect: [{ file: 'config.toml', at: 'network_mode = "ci-shared"', runner: 'r1', severity: 'warning' }],
  },
  {
    name: 'positive (b): network_mode wins over FF_NETWORK_PER_BUILD = true',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': dockerRunner(`${PRIV}    network_mode = "ci-shared"`, {
        runner: '  [runners.feature_flags]\n    FF_NETWORK_PER_BUILD = true\n',
      }),
    },
    expect: [{ file: 'config.toml', at: 'network_mode = "ci-shared"', runner: 'r1', severity: 'warning' }],
  },
  {
    name: 'positive: runner-defined dind service, no pipeline',
    files: {
      'config.toml': dockerRunner(
        `${PRIV}    network_mode = "host"\n    [[runners.docker.services]]\n      name = "docker:24.0.5-dind"`,
      ),
    },
    expect: [{ file: 'config.toml', at: 'network_mode = "host"', runner: 'r1', severity: 'warning' }],
  },
  {
    name: 'negative: network_mode = "host" but the jobs use socket binding, not dind',
    files: {
      '.gitlab-ci.yml': SOCKET_CI,
      'config.toml': dockerRunner(
        '    volumes = ["/var/run/docker.sock:/var/run/docker.sock", "/cache"]\n    network_mode = "host"',
      ),
    },
    expect: [],
  },
  {
    name: 'negative: network_mode = "bridge" (the default network, not a shared user-defined one)',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': dockerRunner(`${PRIV}    network_mode = "bridge"`) },
    expect: [],
  },
  {
    name: 'negative: FF_NETWORK_PER_BUILD without network_mode',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': dockerRunner(PRIV, { runner: '  [runners.feature_flags]\n    FF_NETWORK_PER_BUILD = true\n' }),
    },
    expect: [],
  },
  {
    name: 'negative: kubernetes executor (network_mode under [runners.docker] is not read)',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': k8sRunner('    privileged = true\n') },
    expect: [],
  },
]);
