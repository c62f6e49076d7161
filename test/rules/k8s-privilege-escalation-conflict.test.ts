import { ruleCases } from '../helpers/rule-cases';

ruleCases('dind/k8s-privilege-escalation-conflict', [
  {
    name: 'global privileged with global allow_privilege_escalation = false',
    files: {
      'config.toml': `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
    allow_privilege_escalation = false
`,
    },
    expect: [
      {
        file: 'config.toml',
        at: 'allow_privilege_escalation = false',
        runner: 'k8s',
        job: null,
        severity: 'error',
        message: 'build, service, helper',
      },
    ],
    fixes: ['Remove `allow_privilege_escalation = false` from [runners.kubernetes]'],
  },
  {
    name: 'service context privileged with the service context forbidding escalation',
    files: {
      'config.toml': `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    [runners.kubernetes.service_container_security_context]
      privileged = true
      allow_privilege_escalation = false
`,
    },
    expect: [{ file: 'config.toml', at: 'allow_privilege_escalation = false', message: 'the service container' }],
  },
  {
    name: 'escalation forbidden only for the build container, privileged only for services: fine',
    files: {
      'config.toml': `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    [runners.kubernetes.build_container_security_context]
      allow_privilege_escalation = false
    [runners.kubernetes.service_container_security_context]
      privileged = true
`,
    },
    expect: [],
  },
]);
