// QA A38 dind/sysbox-misconfigured: Sysbox runtime combined with privileged mode or host namespaces.

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner, k8sRunner, K8S_CERTS } from './fixtures';
import { B2_CI } from './fixtures-qa3';

const ID = 'dind/sysbox-misconfigured';
const RUNTIME_INFO = { file: 'config.toml', at: 'runtime = "sysbox-runc"', severity: 'info', message: '14.4' } as const;
const SYSBOX = '    runtime = "sysbox-runc"\n    volumes = ["/certs/client", "/cache"]\n';

ruleCases(ID, [
  {
    name: 'positive: sysbox-runc + privileged = true',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': dockerRunner(`${SYSBOX}    privileged = true`) },
    expect: [{ file: 'config.toml', at: 'privileged = true', severity: 'error' }, RUNTIME_INFO],
  },
  {
    name: 'positive: sysbox-runc + services_privileged = true',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': dockerRunner(`${SYSBOX}    services_privileged = true`) },
    expect: [{ file: 'config.toml', at: 'services_privileged = true', severity: 'error' }, RUNTIME_INFO],
  },
  {
    name: 'positive: sysbox-runc + network_mode = "host"',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': dockerRunner(`${SYSBOX}    network_mode = "host"`) },
    expect: [{ file: 'config.toml', at: 'network_mode = "host"', severity: 'error' }, RUNTIME_INFO],
  },
  {
    name: 'positive: kubernetes sysbox runtime class with privileged = true',
    files: {
      'config.toml': k8sRunner('    runtime_class_name = "sysbox-runc"\n    privileged = true', K8S_CERTS),
    },
    expect: [{ file: 'config.toml', at: 'privileged = true', severity: 'error' }],
  },
  {
    name: 'B11 canonical: only the Runner >= 14.4 info',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': dockerRunner(`${SYSBOX}    privileged = false`) },
    expect: [RUNTIME_INFO],
  },
]);
