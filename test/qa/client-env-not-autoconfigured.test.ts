// QA A13 dind/client-env-not-autoconfigured: CLIENT_AUTO false (K8s without FF_KUBERNETES_HONOR_ENTRYPOINT, non-docker
// image, entrypoint override) with DOCKER_HOST unset, or TLS vars missing.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeCase, applyEditsToHost, ruleCases, WS } from '../helpers/rule-cases';

import { B2_RUNNER, K8S_CERTS, k8sRunner } from './fixtures';

const ID = 'dind/client-env-not-autoconfigured';
const PLAIN = 'Configure the client without TLS: DOCKER_HOST: tcp://docker:2375, DOCKER_TLS_CERTDIR: ""';

/** A dind job on Kubernetes without a service-level health check (A26 warns about that separately). */
const K8S_NO_HEALTH = `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script: [docker build .]
`;

/** B6's Kubernetes service, with HEALTHCHECK_TCP_PORT "2376", without the client variables. */
const K8S_BARE = `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      variables:
        HEALTHCHECK_TCP_PORT: "2376"
  script: [docker build .]
`;

ruleCases(ID, [
  {
    name: 'positive: Kubernetes without FF_KUBERNETES_HONOR_ENTRYPOINT and without DOCKER_HOST',
    files: { '.gitlab-ci.yml': K8S_NO_HEALTH, 'config.toml': k8sRunner('    privileged = true', K8S_CERTS) },
    expect: [
      { at: 'docker:24.0.5-cli', job: 'build', runner: 'k1', severity: 'error' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'build', severity: 'error' },
    ],
  },
  {
    name: 'positive: Kubernetes with DOCKER_HOST tcp://docker:2376 but no DOCKER_TLS_VERIFY/DOCKER_CERT_PATH',
    files: {
      '.gitlab-ci.yml': `variables:\n  DOCKER_HOST: tcp://docker:2376\n${K8S_NO_HEALTH}`,
      'config.toml': k8sRunner('    privileged = true', K8S_CERTS),
    },
    expect: [
      { at: 'docker:24.0.5-cli', job: 'build', severity: 'error' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'build', message: 'DOCKER_TLS_VERIFY' },
    ],
  },
  {
    name: 'positive (QA): B6 service with HEALTHCHECK_TCP_PORT "2376", no client variables; every fix adds no error',
    files: { '.gitlab-ci.yml': K8S_BARE, 'config.toml': k8sRunner('    privileged = true', K8S_CERTS) },
    expect: [
      { at: 'docker:24.0.5-cli', job: 'build', runner: 'k1', severity: 'error' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'build', severity: 'error' },
    ],
    fixes: [PLAIN],
  },
  {
    name: 'positive (QA): the same with DOCKER_HOST tcp://docker:2376; every fix adds no error',
    files: {
      '.gitlab-ci.yml': `variables:\n  DOCKER_HOST: tcp://docker:2376\n${K8S_BARE}`,
      'config.toml': k8sRunner('    privileged = true', K8S_CERTS),
    },
    expect: [
      { at: 'docker:24.0.5-cli', job: 'build', severity: 'error' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'build', message: 'DOCKER_TLS_VERIFY' },
    ],
    fixes: [PLAIN],
  },
  {
    name: 'positive: python image with the docker CLI on the docker executor',
    files: {
      '.gitlab-ci.yml': `build:
  image: python:3.12
  services: [docker:24.0.5-dind]
  script:
    - pip install docker
    - docker build .
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: 'python:3.12', job: 'build', severity: 'error' }],
  },
  {
    name: 'positive: docker client image with entrypoint [""]',
    files: {
      '.gitlab-ci.yml': `build:
  image:
    name: docker:24.0.5-cli
    entrypoint: [""]
  services: [docker:24.0.5-dind]
  script: [docker build .]
`,
      'config.toml': B2_RUNNER,
    },
    expect: [{ at: '[""]', job: 'build', severity: 'error' }],
  },
  {
    name: 'negative: FF_KUBERNETES_HONOR_ENTRYPOINT as a CI variable',
    files: {
      '.gitlab-ci.yml': `variables:\n  FF_KUBERNETES_HONOR_ENTRYPOINT: "true"\n${K8S_BARE}`,
      'config.toml': k8sRunner('    privileged = true', K8S_CERTS),
    },
    expect: [],
  },
  {
    name: 'negative: FF_KUBERNETES_HONOR_ENTRYPOINT in [runners.feature_flags]',
    files: {
      '.gitlab-ci.yml': K8S_BARE,
      'config.toml': `[[runners]]
  name = "k1"
  executor = "kubernetes"
  [runners.feature_flags]
    FF_KUBERNETES_HONOR_ENTRYPOINT = true
  [runners.kubernetes]
    privileged = true
${K8S_CERTS}`,
    },
    expect: [],
  },
  {
    name: 'negative: B2 on the docker executor (entrypoint runs)',
    files: {
      '.gitlab-ci.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  script: [docker build .]
`,
      'config.toml': B2_RUNNER,
    },
    expect: [],
  },
]);

test('QA: the no-TLS fix sets the service-level HEALTHCHECK_TCP_PORT to "2375" next to DOCKER_TLS_CERTDIR: ""', () => {
  const files = { '.gitlab-ci.yml': K8S_BARE, 'config.toml': k8sRunner('    privileged = true', K8S_CERTS) };
  const { analysis, host } = analyzeCase({ files });
  const finding = analysis.findings.find((f) => f.ruleId === ID && f.file === `${WS}/.gitlab-ci.yml`);
  const fix = finding?.fixes.find((f) => f.title === PLAIN);
  assert.ok(fix, 'the no-TLS fix is offered at the job image');
  const text = applyEditsToHost(host, fix.edits).files.get(`${WS}/.gitlab-ci.yml`) ?? '';
  assert.match(text, /HEALTHCHECK_TCP_PORT: "2375"/);
  assert.doesNotMatch(text, /2376/);
  assert.match(text, /DOCKER_TLS_CERTDIR: ""/);
  assert.match(text, /DOCKER_HOST: tcp:\/\/docker:2375/);
});
