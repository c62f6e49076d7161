// QA A4 dind/executor-section-mismatch: dind keys only in the section the executor ignores, and unknown keys (typos).

import { ruleCases } from '../helpers/rule-cases';

import { B2_CI, B6_CI } from './fixtures-qa2';

const ID = 'dind/executor-section-mismatch';

ruleCases(ID, [
  {
    name: 'positive: executor = "kubernetes" with privileged only under [runners.docker]',
    files: {
      '.gitlab-ci.yml': B6_CI,
      'config.toml': `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.docker]
    privileged = true
  [runners.kubernetes]
    image = "ubuntu:20.04"
  [[runners.kubernetes.volumes.empty_dir]]
    name = "docker-certs"
    mount_path = "/certs/client"
    medium = "Memory"
`,
    },
    expect: [{ file: 'config.toml', at: 'privileged = true', severity: 'error' }],
  },
  {
    name: 'positive: docker executor with privileged and volumes only under [runners.kubernetes]',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': `[[runners]]
  name = "d"
  executor = "docker"
  [runners.docker]
    image = "docker:24.0.5-cli"
  [runners.kubernetes]
    privileged = true
`,
    },
    expect: [{ file: 'config.toml', at: 'privileged = true', severity: 'error' }],
  },
  {
    name: 'positive: typo privileged_services in [runners.docker]',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': `[[runners]]
  name = "d"
  executor = "docker"
  [runners.docker]
    image = "docker:24.0.5-cli"
    privileged_services = true
    volumes = ["/certs/client", "/cache"]
`,
    },
    expect: [{ file: 'config.toml', at: 'privileged_services', severity: 'error' }],
  },
  {
    name: 'negative: B2 runner (keys in the matching section, tls_verify/disable_cache are real keys)',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': `[[runners]]
  name = "d"
  url = "https://gitlab.com/"
  token = "TOKEN"
  executor = "docker"
  [runners.docker]
    tls_verify = false
    image = "docker:24.0.5-cli"
    privileged = true
    disable_cache = false
    volumes = ["/certs/client", "/cache"]
  [runners.cache]
    [runners.cache.s3]
    [runners.cache.gcs]
`,
    },
    expect: [],
  },
  {
    name: 'negative: docker-autoscaler runner with [runners.docker] and [runners.autoscaler]',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': `[[runners]]
  name = "asg"
  executor = "docker-autoscaler"
  [runners.docker]
    image = "docker:24.0.5-cli"
    privileged = true
    volumes = ["/certs/client", "/cache"]
  [runners.autoscaler]
    plugin = "aws:latest"
    capacity_per_instance = 1
    max_instances = 10
`,
    },
    expect: [],
  },
]);
