import { ruleCases } from '../helpers/rule-cases';

ruleCases('dind/executor-section-mismatch', [
  {
    name: 'kubernetes executor with privileged only under [runners.docker]',
    files: {
      'config.toml': `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.docker]
    privileged = true
  [runners.kubernetes]
    image = "ubuntu:22.04"
`,
    },
    expect: [
      { file: 'config.toml', at: 'privileged = true', runner: 'k8s', severity: 'error', message: 'has no effect' },
    ],
    fixes: ['Move `privileged` to `[runners.kubernetes]`'],
  },
  {
    name: 'docker executor with services only under [runners.kubernetes]',
    files: {
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    privileged = true
  [[runners.kubernetes.services]]
    name = "docker:24.0.5-dind"
`,
    },
    expect: [{ file: 'config.toml', at: '[[runners.kubernetes.services]]', runner: 'dock' }],
    fixes: ['Move the services to `[[runners.docker.services]]`'],
  },
  {
    name: 'a misspelt dind key',
    files: {
      'config.toml': `[[runners]]
  name = "dock"
  executor = "docker"
  [runners.docker]
    privileged = true
    privileged_services = true
`,
    },
    expect: [{ file: 'config.toml', at: 'privileged_services', runner: 'dock', message: 'did you mean' }],
  },
  {
    name: 'keys in the right section are fine',
    files: {
      'config.toml': `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = true
`,
    },
    expect: [],
  },
]);
