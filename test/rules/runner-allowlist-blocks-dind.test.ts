import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeCase, ruleCases } from '../helpers/rule-cases';
import { CERT_VOLUMES, dockerRunner } from '../helpers/runners';

const CI = `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`;

/** QA noise item 1: the bare `docker:dind` tag, which doublestar `docker:*-dind` does not match. */
const QA_JOB = `build:
  image: docker:24.0.5-cli
  services: [docker:dind]
  script: [docker build .]
`;

const QA_TOML = dockerRunner({
  name: 'r1',
  docker: [
    'services_privileged = true',
    'allowed_privileged_services = ["docker:*-dind"]',
    'volumes = ["/certs/client", "/cache"]',
  ],
});

ruleCases('dind/runner-allowlist-blocks-dind', [
  {
    name: 'allowed_services without dind',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': dockerRunner({
        name: 'dock',
        privileged: true,
        volumes: CERT_VOLUMES,
        docker: ['allowed_services = ["postgres:*"]'],
      }),
    },
    expect: [
      {
        at: 'docker:24.0.5-dind',
        job: 'build',
        runner: 'dock',
        message: 'does not allow `docker:24.0.5-dind` as a service',
      },
      { file: 'config.toml', at: 'allowed_services = ["postgres:*"]', job: 'build' },
    ],
    fixes: ['Add "docker:24.0.5-dind" to allowed_services'],
  },
  {
    name: 'allowed_images without the client image, from default:',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
build:
  services: [docker:24.0.5-dind]
  script:
    - docker build .
`,
      'config.toml': dockerRunner({
        name: 'dock',
        privileged: true,
        volumes: CERT_VOLUMES,
        docker: ['allowed_images = ["ruby:*"]'],
      }),
    },
    expect: [
      { at: 'docker:24.0.5-cli', job: 'build', message: 'does not allow the image' },
      { file: 'config.toml', at: 'allowed_images = ["ruby:*"]', job: 'build' },
    ],
    fixes: ['Add "docker:24.0.5-cli" to allowed_images'],
  },
  {
    name: 'allowed_privileged_services does not match the dependency-proxy name',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  variables:
    PREFIX: registry.example.com/proxy
  services:
    - $PREFIX/docker:24.0.5-dind
  script:
    - docker build .
`,
      'config.toml': dockerRunner({
        name: 'dock',
        privileged: true,
        docker: ['allowed_privileged_services = ["docker:*-dind"]', 'volumes = ["/certs/client", "/cache"]'],
      }),
    },
    expect: [
      { at: '$PREFIX/docker:24.0.5-dind', job: 'build', message: 'unprivileged' },
      { file: 'config.toml', at: 'allowed_privileged_services = ["docker:*-dind"]', job: 'build' },
    ],
    fixes: ['Add "registry.example.com/proxy/docker:24.0.5-dind" to allowed_privileged_services'],
  },
  {
    name: 'services_limit below the number of services',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
    - postgres:16
  script:
    - docker build .
`,
      'config.toml': dockerRunner({
        name: 'dock',
        privileged: true,
        volumes: CERT_VOLUMES,
        docker: ['services_limit = 1'],
      }),
    },
    expect: [
      {
        at: '- docker:24.0.5-dind\n    - postgres:16\n',
        job: 'build',
        message: 'too many services requested: 2, only 1 allowed',
      },
      { file: 'config.toml', at: 'services_limit = 1', job: 'build' },
    ],
    fixes: ['Set services_limit = 2'],
  },
  {
    name: 'pull policy not allowed',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      pull_policy: always
  script:
    - docker build .
`,
      'config.toml': dockerRunner({
        name: 'dock',
        privileged: true,
        volumes: CERT_VOLUMES,
        docker: ['allowed_pull_policies = ["if-not-present"]'],
      }),
    },
    expect: [
      { at: 'name: docker:24.0.5-dind\n      pull_policy: always\n', job: 'build', message: 'not allowed' },
      { file: 'config.toml', at: 'allowed_pull_policies = ["if-not-present"]', job: 'build' },
    ],
  },
  {
    name: 'matching allow-lists are fine',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': dockerRunner({
        name: 'dock',
        privileged: true,
        volumes: CERT_VOLUMES,
        docker: [
          'allowed_images = ["docker:*"]',
          'allowed_services = ["docker:*-dind"]',
          'allowed_privileged_services = ["docker:*-dind"]',
        ],
      }),
    },
    expect: [],
  },
  // QA noise item 1: an allowed_privileged_services miss is this rule's finding alone (A6 defers to it).
  {
    name: 'QA: services_privileged with an allow-list that misses the bare docker:dind tag',
    files: { '.gitlab-ci.yml': QA_JOB, 'config.toml': QA_TOML },
    expect: [
      { at: 'docker:dind', job: 'build', runner: 'r1', severity: 'error', message: 'runs `docker:dind` unprivileged' },
      { file: 'config.toml', at: 'allowed_privileged_services = ["docker:*-dind"]', job: 'build', runner: 'r1' },
    ],
    fixes: ['Add "docker:dind" to allowed_privileged_services'],
  },
  {
    name: 'QA: a $DIND_IMAGE service that expands to the docker.io name',
    files: {
      '.gitlab-ci.yml': `variables:
  DIND_IMAGE: docker.io/library/docker:24.0.5-dind
build:
  image: docker:24.0.5-cli
  services:
    - name: $DIND_IMAGE
  script: [docker build .]
`,
      'config.toml': QA_TOML,
    },
    expect: [
      { at: '$DIND_IMAGE', occurrence: 0, job: 'build', message: 'docker.io/library/docker:24.0.5-dind' },
      { file: 'config.toml', at: 'allowed_privileged_services = ["docker:*-dind"]', job: 'build' },
    ],
    fixes: ['Add "docker.io/library/docker:24.0.5-dind" to allowed_privileged_services'],
  },
  {
    name: 'QA: a parallel:matrix version outside the allow-list blocks only that instance',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  parallel:
    matrix:
      - DOCKER_VERSION: ["24.0.5", "25.0.3"]
  services:
    - docker:\${DOCKER_VERSION}-dind
  script: [docker build .]
`,
      'config.toml': QA_TOML.replace('["docker:*-dind"]', '["docker:24.*-dind"]'),
    },
    expect: [
      { at: 'docker:${DOCKER_VERSION}-dind', message: 'docker:25.0.3-dind' },
      { file: 'config.toml', at: 'allowed_privileged_services = ["docker:24.*-dind"]', message: '25.0.3' },
    ],
    fixes: ['Add "docker:25.0.3-dind" to allowed_privileged_services'],
  },
  {
    name: 'two jobs with different dind names: one finding pair and one fix per job',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker:24.0.5-cli
  services: [docker:dind]
  script: [docker build .]
b:
  image: docker:24.0.5-cli
  services: [docker.io/library/docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': QA_TOML,
    },
    expect: [
      { at: 'docker:dind', job: 'a' },
      { file: 'config.toml', at: 'allowed_privileged_services = ["docker:*-dind"]', job: 'a' },
      { at: 'docker.io/library/docker:24.0.5-dind', job: 'b' },
      { file: 'config.toml', at: 'allowed_privileged_services = ["docker:*-dind"]', job: 'b' },
    ],
    fixes: [
      'Add "docker:dind" to allowed_privileged_services',
      'Add "docker.io/library/docker:24.0.5-dind" to allowed_privileged_services',
    ],
  },
  {
    name: 'under Sysbox an allow-list miss costs nothing',
    files: {
      '.gitlab-ci.yml': QA_JOB,
      'config.toml': QA_TOML.replace('    volumes', '    runtime = "sysbox-runc"\n    volumes'),
    },
    expect: [],
  },
]);

test('QA: an allow-list miss gives one error per place (A7), not A6 as well', () => {
  const { analysis: all, host } = analyzeCase({ files: { '.gitlab-ci.yml': QA_JOB, 'config.toml': QA_TOML } });
  const analysis = { findings: all.findings.filter((f) => f.severity === 'error') };
  const ci = host.abs('.gitlab-ci.yml');
  const text = host.files.get(ci) ?? '';
  const at = text.indexOf('docker:dind');
  const onService = analysis.findings.filter((f) => f.file === ci && f.span.start === at);
  assert.deepEqual(
    onService.map((f) => f.ruleId),
    ['dind/runner-allowlist-blocks-dind'],
  );
  const toml = host.abs('config.toml');
  const list = (host.files.get(toml) ?? '').indexOf('allowed_privileged_services');
  const onList = analysis.findings.filter((f) => f.file === toml && f.span.start === list);
  assert.deepEqual(
    onList.map((f) => f.ruleId),
    ['dind/runner-allowlist-blocks-dind'],
  );
  assert.equal(analysis.findings.filter((f) => f.ruleId === 'dind/privileged-required').length, 0);
});
