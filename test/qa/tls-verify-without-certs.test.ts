// QA A12 dind/tls-verify-without-certs: DOCKER_TLS_VERIFY non-empty (any value) or DOCKER_CERT_PATH set while TLS is off
// or certs are not shared; DOCKER_TLS_VERIFY "0"/"false" is misleading on its own.

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner } from './fixtures';
import { B2, B2_CI, B3, B3_CI, B6_CI, B6_TOML } from './fixtures-qa2';

const ID = 'dind/tls-verify-without-certs';

ruleCases(ID, [
  {
    name: 'positive: B3 (TLS off) plus DOCKER_TLS_VERIFY "0" in a template',
    files: {
      '.gitlab-ci.yml': `${B3_CI}
.no-verify:
  variables:
    DOCKER_TLS_VERIFY: "0"

publish:
  extends: .no-verify
  script:
    - docker push app
`,
      'config.toml': B3,
    },
    expect: [{ at: '"0"', job: 'publish', runner: 'plain', severity: 'error' }],
  },
  {
    name: 'positive: TLS on, DOCKER_CERT_PATH set, runner does not share /certs/client',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
  DOCKER_TLS_VERIFY: 1
  DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': B3,
    },
    expect: [{ at: '1', job: 'build', severity: 'error', message: 'does not share `/certs/client`' }],
  },
  {
    name: 'negative: B2 with the client TLS variables set explicitly (S5 style)',
    files: {
      '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: "/certs"
  DOCKER_TLS_VERIFY: 1
  DOCKER_CERT_PATH: "$DOCKER_TLS_CERTDIR/client"
build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': B2,
    },
    expect: [],
  },
  {
    name: 'negative: B6 on Kubernetes with the empty_dir',
    files: { '.gitlab-ci.yml': B6_CI, 'config.toml': B6_TOML },
    expect: [],
  },
  {
    name: 'positive: DOCKER_TLS_VERIFY "false" with TLS working (B2) is flagged as misleading',
    files: {
      '.gitlab-ci.yml': B2_CI.replace(
        '  DOCKER_TLS_CERTDIR: "/certs"\n',
        '  DOCKER_TLS_CERTDIR: "/certs"\n  DOCKER_TLS_VERIFY: "false"\n',
      ),
      'config.toml': B2,
    },
    expect: [{ at: '"false"', job: 'build' }],
  },
  {
    name: 'positive: DOCKER_TLS_VERIFY from [[runners]] environment on the B3 setup',
    files: {
      '.gitlab-ci.yml': B3_CI,
      'config.toml': dockerRunner('    privileged = true\n    volumes = ["/cache"]', {
        name: 'plain',
        runner: '  environment = ["DOCKER_TLS_VERIFY=1"]\n',
      }),
    },
    expect: [{ file: 'config.toml', at: '"DOCKER_TLS_VERIFY=1"', job: 'build', severity: 'error' }],
  },
  {
    name: 'negative: DOCKER_TLS_VERIFY set to the empty string on B3',
    files: {
      '.gitlab-ci.yml': B3_CI.replace(
        '  DOCKER_TLS_CERTDIR: ""\n',
        '  DOCKER_TLS_CERTDIR: ""\n  DOCKER_TLS_VERIFY: ""\n',
      ),
      'config.toml': B3,
    },
    expect: [],
  },
]);
