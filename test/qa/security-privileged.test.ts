// QA A35 dind/security-privileged: privileged runners.

import { ruleCases } from '../helpers/rule-cases';

import { B2_RUNNER, dockerRunner, k8sRunner, K8S_CERTS } from './fixtures';
import { B2_CI } from './fixtures-qa3';

const ID = 'dind/security-privileged';

ruleCases(ID, [
  {
    name: 'positive: B2 runner privileged = true',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': B2_RUNNER },
    expect: [{ file: 'config.toml', at: 'privileged = true', runner: 'r1' }],
  },
  {
    name: 'positive: kubernetes privileged = true',
    files: { 'config.toml': k8sRunner('    privileged = true', K8S_CERTS) },
    expect: [{ file: 'config.toml', at: 'privileged = true', runner: 'k1' }],
  },
  {
    name: 'negative: least-privilege services_privileged with an allow-list',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': dockerRunner(`    privileged = false
    services_privileged = true
    allowed_privileged_services = ["docker:dind", "docker:*-dind", "docker.io/library/docker:dind", "docker.io/library/docker:*-dind"]
    volumes = ["/certs/client", "/cache"]`),
    },
    expect: [],
  },
  {
    name: 'negative: shell executor (no [runners.docker] in effect)',
    files: { 'config.toml': '[[runners]]\n  name = "s1"\n  executor = "shell"\n' },
    expect: [],
  },
]);
