// A14 dind/certs-volume-shared: host-bound or whole cert directories shared across jobs (TOML only).

import { ruleCases } from '../helpers/rule-cases';

const ID = 'dind/certs-volume-shared';
const USE_CLIENT = 'Use the anonymous per-job volume "/certs/client"';

const CI = `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
`;

const runner = (volumes: string, extra = '', root = '') => `${root}[[runners]]
  name = "r1"
  executor = "docker"
${extra}  [runners.docker]
    privileged = true
    volumes = ${volumes}
`;

ruleCases(ID, [
  {
    name: 'host-bound /certs/client',
    files: { '.gitlab-ci.yml': CI, 'config.toml': runner('["/srv/certs:/certs/client", "/cache"]') },
    expect: [
      {
        file: 'config.toml',
        at: '"/srv/certs:/certs/client"',
        job: null,
        runner: 'r1',
        severity: 'warning',
        message: 'x509: certificate signed by unknown authority',
      },
    ],
    fixes: [USE_CLIENT],
  },
  {
    name: 'host-bound /certs (the whole dir)',
    files: { 'config.toml': runner('["/x:/certs"]') },
    expect: [{ file: 'config.toml', at: '"/x:/certs"', severity: 'warning' }],
    fixes: [USE_CLIENT],
  },
  {
    name: 'anonymous /certs and /certs/ca expose the CA key; with /certs/client present the fix removes the item',
    files: { 'config.toml': runner('["/certs/ca", "/certs/client", "/cache"]') },
    expect: [{ file: 'config.toml', at: '"/certs/ca"', severity: 'warning', message: 'CA private key' }],
    fixes: ['Remove "/certs/ca" (keep the anonymous "/certs/client")'],
  },
  {
    name: 'anonymous /certs',
    files: { '.gitlab-ci.yml': CI, 'config.toml': runner('["/certs", "/cache"]') },
    expect: [{ file: 'config.toml', at: '"/certs"', severity: 'warning', message: 'the whole cert directory' }],
    fixes: [USE_CLIENT],
  },
  {
    name: 'custom cert dir of a job on the runner (via default: variables)',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_TLS_CERTDIR: /tls
${CI}`,
      'config.toml': runner('["/host/tls:/tls/client"]'),
    },
    expect: [{ file: 'config.toml', at: '"/host/tls:/tls/client"', message: 'Share only the anonymous "/tls/client"' }],
    fixes: ['Use the anonymous per-job volume "/tls/client"'],
  },
  {
    name: 'info: anonymous /certs/client persisted through cache_dir with concurrent jobs',
    files: {
      'config.toml': runner('["/certs/client", "/cache"]', '', 'concurrent = 4\n\n').replace(
        '    privileged = true\n',
        '    privileged = true\n    cache_dir = "/srv/cache"\n',
      ),
    },
    expect: [{ file: 'config.toml', at: '"/certs/client"', severity: 'info', message: 'concurrent = 4' }],
    fixes: ['Set disable_cache = true'],
  },
  {
    name: 'negative: B2 volumes; cache_dir without concurrency; limit = 1; disable_cache',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `concurrent = 4

[[runners]]
  name = "a"
  executor = "docker"
  [runners.docker]
    volumes = ["/certs/client", "/cache"]
[[runners]]
  name = "b"
  executor = "docker"
  limit = 1
  [runners.docker]
    cache_dir = "/srv/cache"
    volumes = ["/certs/client", "/cache"]
[[runners]]
  name = "c"
  executor = "docker"
  [runners.docker]
    cache_dir = "/srv/cache"
    disable_cache = true
    volumes = ["/certs/client", "/var/run/docker.sock:/var/run/docker.sock"]
`,
    },
    expect: [],
  },
]);
