import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { jobData, jobProvenance } from '@engine';

import { build } from './util';

test('default: allowed keys are copied to jobs that lack them; jobs keep their own (no merge)', () => {
  const b = build({
    '.gitlab-ci.yml': `default:
  image: docker:24
  services:
    - docker:24-dind
  tags: [docker]
  before_script: [docker info]
  variables: { NOT: allowed }
a:
  script: [docker build .]
b:
  services: [postgres:16]
  script: [docker build .]
`,
  });
  const a = b.job('a');
  assert.equal(a.image?.name.value, 'docker:24');
  assert.equal(b.at(a.image?.origin), '.gitlab-ci.yml:2 via default');
  assert.deepEqual(a.tags, ['docker']);
  assert.deepEqual(
    a.script.map((l) => l.section),
    ['before_script', 'script'],
  );
  assert.equal(a.variables.size, 0);
  const bJob = b.job('b');
  assert.deepEqual(
    bJob.services.map((s) => s.name.value),
    ['postgres:16'],
  );
  assert.deepEqual(
    bJob.replaced.map((r) => `${r.key} ${r.reason} ${b.at(r.lost) ?? ''} by ${b.at(r.by) ?? ''}`),
    ['services replaced .gitlab-ci.yml:4 via default by .gitlab-ci.yml:11'],
  );
});

test('inherit: default false or a list, and variables false or a list, filter defaults and record what was lost', () => {
  const b = build({
    '.gitlab-ci.yml': `variables:
  DOCKER_HOST: tcp://docker:2376
  DOCKER_TLS_CERTDIR: /certs
  OTHER: x
default:
  image: docker:24
  services: [docker:24-dind]
none:
  inherit: { default: false, variables: false }
  script: [docker info]
some:
  inherit:
    default: [image]
    variables: [DOCKER_HOST]
  script: [docker info]
`,
  });
  const none = b.job('none');
  assert.equal(none.image, null);
  assert.equal(none.variables.size, 0);
  assert.deepEqual(none.inherit, { default: false, variables: false });
  assert.deepEqual(
    none.replaced.map((r) => `${r.key} ${r.reason} ${b.at(r.lost) ?? ''}`),
    [
      'image inherit-default .gitlab-ci.yml:6 via default',
      'services inherit-default .gitlab-ci.yml:7 via default',
      'variables inherit-variables .gitlab-ci.yml:2',
      'variables inherit-variables .gitlab-ci.yml:3',
    ],
  );
  const some = b.job('some');
  assert.equal(some.image?.name.value, 'docker:24');
  assert.deepEqual(some.services, []);
  assert.deepEqual([...some.variables.keys()], ['DOCKER_HOST']);
  assert.deepEqual(
    some.replaced.map((r) => `${r.key} ${r.reason} by ${b.at(r.by) ?? ''}`),
    ['services inherit-default by .gitlab-ci.yml:13', 'variables inherit-variables by .gitlab-ci.yml:14'],
  );
});

test('deprecated globals act as defaults; together with default: they are a structure finding and default wins', () => {
  const b = build({
    '.gitlab-ci.yml': `image: docker:20
services: [docker:20-dind]
default:
  image: docker:24
job:
  script: [docker info]
`,
  });
  const job = b.job('job');
  assert.equal(job.image?.name.value, 'docker:24');
  assert.equal(b.at(job.services[0]?.origin), '.gitlab-ci.yml:2 via global');
  assert.deepEqual(b.findings(), ['dind/pipeline-structure warning .gitlab-ci.yml:1']);
});

test('hidden jobs and reserved keys are not jobs; a non-mapping job is a structure finding', () => {
  const b = build({
    '.gitlab-ci.yml': `stages: [build]
workflow:
  rules: [{ when: always }]
variables: { A: a }
.hidden:
  script: [echo]
cache: { paths: [x] }
after_script: [echo done]
job:
  script: [echo]
broken: just a string
`,
  });
  assert.deepEqual(
    b.pipeline.jobs.map((j) => j.name),
    ['job'],
  );
  assert.deepEqual(b.findings(), ['dind/pipeline-structure warning .gitlab-ci.yml:11']);
  assert.deepEqual(jobData(b.job('job'))['cache'], { paths: ['x'] });
});

test('variables: scalar and object forms, expand false, rules and workflow:rules variables are conditional', () => {
  const b = build({
    '.gitlab-ci.yml': `variables:
  DOCKER_TLS_CERTDIR: "/certs"
  NUM: 1
  BOOL: true
  RAW:
    value: $NOT_EXPANDED
    description: kept literally
    expand: false
workflow:
  rules:
    - if: $CI_COMMIT_TAG
      variables:
        DOCKER_TLS_CERTDIR: "/wf"
job:
  variables:
    JOB_ONLY: j
  rules:
    - if: $CI_MERGE_REQUEST_ID
      variables:
        DOCKER_TLS_CERTDIR: ""
        JOB_ONLY: rule
    - if: $OTHER
      variables:
        DOCKER_TLS_CERTDIR: "/other"
  script: [docker info]
`,
  });
  const v = b.job('job').variables;
  assert.equal(v.get('NUM')?.value, '1');
  assert.equal(v.get('BOOL')?.value, 'true');
  assert.equal(v.get('RAW')?.value, '$NOT_EXPANDED');
  assert.equal(v.get('RAW')?.expand, false);
  const tls = v.get('DOCKER_TLS_CERTDIR');
  assert.equal(tls?.value, '');
  assert.equal(tls?.layer, 'job-rules');
  assert.equal(tls?.conditional, true);
  assert.deepEqual(
    tls?.alternatives?.map((a) => `${a.value} ${a.layer} ${String(a.conditional)}`),
    ['/other job-rules true', '/wf workflow-rules true', '/certs global false'],
  );
  const jobOnly = v.get('JOB_ONLY');
  assert.equal(jobOnly?.value, 'rule');
  assert.deepEqual(
    jobOnly?.alternatives?.map((a) => a.value),
    ['j'],
  );
  assert.equal(v.get('NUM')?.conditional, false);
  assert.equal(v.get('NUM')?.alternatives, undefined);
});

test('images and services: string and object forms, aliases, command, entrypoint, service variables, expansion', () => {
  const b = build({
    '.gitlab-ci.yml': `variables:
  DOCKER_VERSION: "24.0.5"
job:
  variables:
    REGISTRY: registry.example.com:5000
  image:
    name: docker:$DOCKER_VERSION
    entrypoint: [""]
    pull_policy: [always, if-not-present]
  services:
    - name: \${REGISTRY}/library/docker:\${DOCKER_VERSION}-dind
      alias: docker, dind  other
      command: ["--tls=false"]
      entrypoint: [dockerd-entrypoint.sh]
      variables:
        DOCKER_TLS_CERTDIR: ""
      pull_policy: always
    - $UNKNOWN_IMAGE/docker:dind
  script: [docker info]
`,
  });
  const job = b.job('job');
  assert.equal(job.image?.ref.expanded, 'docker:24.0.5');
  assert.equal(job.image?.ref.unresolved, false);
  assert.deepEqual(job.image?.entrypoint?.value, ['']);
  assert.deepEqual(job.image?.pullPolicy, ['always', 'if-not-present']);
  const [dind, unknown] = job.services;
  assert.equal(dind?.ref.expanded, 'registry.example.com:5000/library/docker:24.0.5-dind');
  assert.equal(dind?.ref.registry, 'registry.example.com:5000');
  assert.deepEqual(dind?.aliases, ['docker', 'dind', 'other']);
  assert.deepEqual(dind?.derivedAliases, [
    'registry.example.com__library__docker',
    'registry.example.com-library-docker',
  ]);
  assert.deepEqual(dind?.command?.value, ['--tls=false']);
  assert.deepEqual(dind?.entrypoint?.value, ['dockerd-entrypoint.sh']);
  assert.equal(dind?.variables.get('DOCKER_TLS_CERTDIR')?.layer, 'service');
  assert.deepEqual(dind?.pullPolicy, ['always']);
  assert.equal(b.at(dind?.aliasOrigin), '.gitlab-ci.yml:12');
  assert.equal(unknown?.ref.unresolved, true);
  assert.equal(unknown?.ref.expanded, '$UNKNOWN_IMAGE/docker:dind');
  assert.equal(unknown?.ref.repository, 'docker');
  assert.deepEqual(unknown?.derivedAliases, []);
  assert.equal(b.at(jobProvenance(job).get('services[0].alias')), '.gitlab-ci.yml:12');
});

test('parallel: matrix expands one job per combination, named as GitLab shows it, with names expanded per instance', () => {
  const b = build({
    '.gitlab-ci.yml': `build:
  image: docker:\${DOCKER_VERSION}
  services:
    - docker:\${DOCKER_VERSION}-dind
  parallel:
    matrix:
      - DOCKER_VERSION: ["24", "27"]
        ARCH: amd64
      - DOCKER_VERSION: "20"
  script: [docker build .]
`,
  });
  assert.deepEqual(
    b.pipeline.jobs.map((j) => `${j.name} | ${j.image?.ref.expanded ?? ''} | ${j.services[0]?.ref.expanded ?? ''}`),
    [
      'build: [24, amd64] | docker:24 | docker:24-dind',
      'build: [27, amd64] | docker:27 | docker:27-dind',
      'build: [20] | docker:20 | docker:20-dind',
    ],
  );
  const first = b.pipeline.jobs[0];
  assert.deepEqual(first?.matrix, { DOCKER_VERSION: '24', ARCH: 'amd64' });
  assert.equal(b.at(first?.variables.get('DOCKER_VERSION')?.origin), '.gitlab-ci.yml:7 via matrix');
});

test('trigger: include: child pipelines are built as their own roots, without the parent defaults', () => {
  const b = build({
    'child.yml': 'child-job:\n  script: [docker info]\ntrigger-again:\n  trigger:\n    include: .gitlab-ci.yml\n',
    '.gitlab-ci.yml': `default:
  image: docker:24
variables:
  PARENT: p
spawn:
  trigger:
    include:
      - local: child.yml
spawn-missing:
  trigger:
    include: nope.yml
`,
  });
  assert.equal(b.pipeline.children.length, 1);
  const child = b.pipeline.children[0];
  assert.equal(child?.root, '/ws/child.yml');
  const job = child?.jobs.find((j) => j.name === 'child-job');
  assert.equal(job?.image, null);
  assert.equal(job?.variables.size, 0);
  assert.deepEqual(child?.children, []);
  assert.deepEqual(b.findings(), ['dind/include-error error .gitlab-ci.yml:11']);
});
