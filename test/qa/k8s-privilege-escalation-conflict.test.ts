// QA A8 dind/k8s-privilege-escalation-conflict: effective privileged = true with effective allow_privilege_escalation =
// false for the same container (global or the same *_container_security_context).

import { ruleCases } from '../helpers/rule-cases';

import { k8sRunner } from './fixtures';
import { B6_CI } from './fixtures-qa2';

const ID = 'dind/k8s-privilege-escalation-conflict';

const CERTS = `    [[runners.kubernetes.volumes.empty_dir]]
      name = "docker-certs"
      mount_path = "/certs/client"
      medium = "Memory"
`;

ruleCases(ID, [
  {
    name: 'positive: global privileged = true and allow_privilege_escalation = false',
    files: {
      '.gitlab-ci.yml': B6_CI,
      'config.toml': k8sRunner('    privileged = true\n    allow_privilege_escalation = false', CERTS),
    },
    expect: [{ file: 'config.toml', at: 'allow_privilege_escalation = false', severity: 'error' }],
  },
  {
    name: 'positive: both flags in service_container_security_context',
    files: {
      '.gitlab-ci.yml': B6_CI,
      'config.toml': k8sRunner(
        `    [runners.kubernetes.service_container_security_context]
      privileged = true
      allow_privilege_escalation = false`,
        CERTS,
      ),
    },
    expect: [{ file: 'config.toml', at: 'allow_privilege_escalation = false', severity: 'error' }],
  },
  {
    name: 'negative: privileged only for services, allow_privilege_escalation = false only for the build container',
    files: {
      '.gitlab-ci.yml': B6_CI,
      'config.toml': k8sRunner(
        `    privileged = false
    [runners.kubernetes.build_container_security_context]
      allow_privilege_escalation = false
    [runners.kubernetes.service_container_security_context]
      privileged = true`,
        CERTS,
      ),
    },
    expect: [],
  },
  {
    name: 'negative: B6 runner (privileged, escalation not restricted)',
    files: { '.gitlab-ci.yml': B6_CI, 'config.toml': k8sRunner('    privileged = true', CERTS) },
    expect: [],
  },
  {
    name: 'negative: global allow_privilege_escalation = false overridden to true for the privileged service container',
    files: {
      '.gitlab-ci.yml': B6_CI,
      'config.toml': k8sRunner(
        `    allow_privilege_escalation = false
    [runners.kubernetes.service_container_security_context]
      privileged = true
      allow_privilege_escalation = true`,
        CERTS,
      ),
    },
    expect: [],
  },
]);
