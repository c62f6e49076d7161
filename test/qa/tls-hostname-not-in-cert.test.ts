// QA A18 dind/tls-hostname-not-in-cert: TLS on and the DOCKER_HOST host is neither docker nor localhost, without a
// DOCKER_TLS_SAN for it.

import { ruleCases } from '../helpers/rule-cases';

import { B2, B7_TOML } from './fixtures-qa2';

const ID = 'dind/tls-hostname-not-in-cert';

const job = (host: string, service: string): string => `variables:
  DOCKER_HOST: ${host}
  DOCKER_TLS_CERTDIR: "/certs"
build:
  image: docker:24.0.5-cli
  services:
${service}  script: [docker build .]
`;

ruleCases(ID, [
  {
    name: 'positive: alias dind and tcp://dind:2376 with TLS',
    files: {
      '.gitlab-ci.yml': job('tcp://dind:2376', '    - name: docker:24.0.5-dind\n      alias: dind\n'),
      'config.toml': B2,
    },
    expect: [{ at: 'tcp://dind:2376', job: 'build', severity: 'error' }],
  },
  {
    name: 'negative: DOCKER_TLS_SAN DNS:dind on the service',
    files: {
      '.gitlab-ci.yml': job(
        'tcp://dind:2376',
        '    - name: docker:24.0.5-dind\n      alias: dind\n      variables:\n        DOCKER_TLS_SAN: "DNS:dind"\n',
      ),
      'config.toml': B2,
    },
    expect: [],
  },
  {
    name: 'negative: alias "dind docker" with tcp://docker:2376',
    files: {
      '.gitlab-ci.yml': job('tcp://docker:2376', '    - name: docker:24.0.5-dind\n      alias: dind docker\n'),
      'config.toml': B2,
    },
    expect: [],
  },
  {
    name: 'negative: TLS disabled on the service with tcp://dind:2375',
    files: {
      '.gitlab-ci.yml': job(
        'tcp://dind:2375',
        '    - name: docker:24.0.5-dind\n      alias: dind\n      variables:\n        DOCKER_TLS_CERTDIR: ""\n',
      ),
      'config.toml': B2,
    },
    expect: [],
  },
  {
    name: 'negative: Kubernetes tcp://localhost:2376 (localhost is in the certificate)',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://localhost:2376
  DOCKER_TLS_CERTDIR: "/certs"
  DOCKER_TLS_VERIFY: 1
  DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': B7_TOML,
    },
    expect: [],
  },
]);
