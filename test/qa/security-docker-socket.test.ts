// QA A36 dind/security-docker-socket: host Docker socket shared with jobs.

import { ruleCases } from '../helpers/rule-cases';

import { B2_RUNNER, dockerRunner, k8sRunner } from './fixtures';
import { B2_CI, SOCKET_CI } from './fixtures-qa3';

const ID = 'dind/security-docker-socket';

ruleCases(ID, [
  {
    name: 'positive: B5 socket binding',
    files: {
      '.gitlab-ci.yml': SOCKET_CI,
      'config.toml': dockerRunner('    volumes = ["/var/run/docker.sock:/var/run/docker.sock", "/cache"]'),
    },
    expect: [{ file: 'config.toml', at: '"/var/run/docker.sock:/var/run/docker.sock"', severity: 'warning' }],
  },
  {
    name: 'positive: read-only socket mount still shares the daemon',
    files: { 'config.toml': dockerRunner('    volumes = ["/var/run/docker.sock:/var/run/docker.sock:ro"]') },
    expect: [{ file: 'config.toml', at: '"/var/run/docker.sock:/var/run/docker.sock:ro"', severity: 'warning' }],
  },
  {
    name: 'positive: B8 kubernetes host_path',
    files: {
      'config.toml': k8sRunner(
        '    privileged = false',
        `  [[runners.kubernetes.volumes.host_path]]
    host_path = '/var/run/docker.sock'
    mount_path = '/var/run/docker.sock'
    name = 'docker-sock'
    read_only = true
`,
      ),
    },
    expect: [{ file: 'config.toml', at: "'/var/run/docker.sock'", occurrence: 1, severity: 'warning' }],
  },
  {
    name: 'negative: B2 dind with TLS',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': B2_RUNNER },
    expect: [],
  },
]);
