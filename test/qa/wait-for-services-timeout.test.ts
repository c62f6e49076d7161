// QA A27 dind/wait-for-services-timeout: health-check wait disabled or shorter than dind's startup.

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner, k8sRunner } from './fixtures';
import { B2_CI, SOCKET_CI } from './fixtures-qa3';

const ID = 'dind/wait-for-services-timeout';
const PRIV = '    privileged = true\n    volumes = ["/certs/client", "/cache"]\n';

ruleCases(ID, [
  {
    name: 'positive: wait_for_services_timeout = -1 (disabled)',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': dockerRunner(`${PRIV}    wait_for_services_timeout = -1`) },
    expect: [{ file: 'config.toml', at: 'wait_for_services_timeout = -1', runner: 'r1', severity: 'warning' }],
  },
  {
    name: 'positive: wait_for_services_timeout = 10 on docker-autoscaler',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': dockerRunner(`${PRIV}    wait_for_services_timeout = 10`, { executor: 'docker-autoscaler' }),
    },
    expect: [{ file: 'config.toml', at: 'wait_for_services_timeout = 10', runner: 'r1', severity: 'warning' }],
  },
  {
    name: 'negative: 30 (the default)',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': dockerRunner(`${PRIV}    wait_for_services_timeout = 30`) },
    expect: [],
  },
  {
    name: 'negative: unset (0 → 30)',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': dockerRunner(PRIV) },
    expect: [],
  },
  {
    name: 'negative: -1 but no dind in use (socket binding)',
    files: {
      '.gitlab-ci.yml': SOCKET_CI,
      'config.toml': dockerRunner(
        '    volumes = ["/var/run/docker.sock:/var/run/docker.sock", "/cache"]\n    wait_for_services_timeout = -1',
      ),
    },
    expect: [],
  },
  {
    name: 'negative: kubernetes executor',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': k8sRunner('    privileged = true') },
    expect: [],
  },
]);
