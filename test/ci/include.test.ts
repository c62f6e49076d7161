import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { build, rel } from './util';

const JOB = (name: string, image: string): string => `${name}:\n  image: ${image}\n  script: [echo]\n`;

test('include: string, list, local: forms and merge order (nested first, later wins, including file last)', () => {
  const b = build({
    'a.yml': 'include: nested.yml\nvariables:\n  V: a\n  A: a\n',
    'nested.yml': 'variables:\n  V: nested\n  N: nested\n',
    'b.yml': 'variables:\n  V: b\n',
    'c.yml': JOB('job', 'docker:24'),
    '.gitlab-ci.yml': `include:
  - a.yml
  - local: /b.yml
  - local: c.yml
variables:
  MAIN: main
`,
  });
  const job = b.job('job');
  const vars = Object.fromEntries([...job.variables].map(([k, v]) => [k, `${v.value} @ ${b.at(v.origin) ?? ''}`]));
  assert.deepEqual(vars, {
    V: 'b @ b.yml:2 via include b.yml',
    N: 'nested @ nested.yml:3 via include nested.yml → include a.yml',
    A: 'a @ a.yml:4 via include a.yml',
    MAIN: 'main @ .gitlab-ci.yml:6',
  });
  assert.deepEqual(b.pipeline.files.map(rel), ['.gitlab-ci.yml', 'a.yml', 'nested.yml', 'b.yml', 'c.yml']);
  assert.deepEqual(b.findings(), []);
});

test('include: the including file wins over included values of the same job', () => {
  const b = build({
    'ci/docker.yml': 'build:\n  image: docker:24\n  variables:\n    DOCKER_HOST: tcp://docker:2376\n',
    '.gitlab-ci.yml': 'include: ci/docker.yml\nbuild:\n  image: docker:27\n  script: [docker build .]\n',
  });
  const job = b.job('build');
  assert.equal(job.image?.name.value, 'docker:27');
  assert.equal(b.at(job.variables.get('DOCKER_HOST')?.origin), 'ci/docker.yml:4 via include ci/docker.yml');
});

test('include: a duplicated include counts twice and the last occurrence wins', () => {
  const b = build({
    'x.yml': 'variables:\n  V: x\n',
    'y.yml': 'variables:\n  V: y\n',
    '.gitlab-ci.yml': 'include: [x.yml, y.yml, x.yml]\njob:\n  script: [echo]\n',
  });
  assert.equal(b.job('job').variables.get('V')?.value, 'x');
});

test('include: wildcards follow GitLab (* within a folder, ** anywhere, **/ needs a subfolder), only .yml/.yaml', () => {
  const files = {
    'configs/a.yml': JOB('a', 'alpine'),
    'configs/b.yaml': JOB('b', 'alpine'),
    'configs/readme.md': '# not yaml',
    'configs/sub/c.yml': JOB('c', 'alpine'),
    'configs/sub/deep/d.yml': JOB('d', 'alpine'),
  };
  const jobs = (pattern: string): string[] =>
    build({ ...files, '.gitlab-ci.yml': `include: '${pattern}'\n` }).pipeline.jobs.map((j) => j.name);
  assert.deepEqual(jobs('configs/*.yml'), ['a']);
  assert.deepEqual(jobs('/configs/*.y*ml'), ['a', 'b']);
  assert.deepEqual(jobs('configs/**.yml'), ['a', 'c', 'd']);
  assert.deepEqual(jobs('configs/**/*.yml'), ['c', 'd']);
  const md = build({ ...files, '.gitlab-ci.yml': "include: 'configs/*.md'\n" });
  assert.deepEqual(md.findings(), ['dind/include-error error .gitlab-ci.yml:1']);
  const none = build({ ...files, '.gitlab-ci.yml': "include: 'nothing/*.yml'\n" });
  assert.match(none.pipeline.findings[0]?.message ?? '', /No file matches/);
});

test('include: a missing file, a cycle and a path escaping the workspace are include errors at the entry', () => {
  const b = build({
    'loop-a.yml': 'include: loop-b.yml\n',
    'loop-b.yml': 'include: loop-a.yml\nok:\n  script: [echo]\n',
    '.gitlab-ci.yml': `include:
  - missing.yml
  - loop-a.yml
  - local: ../outside.yml
  - local: /ci/../../../etc/passwd.yml
job:
  script: [echo]
`,
  });
  b.host.set('/outside.yml', 'evil:\n  script: [rm]\n');
  assert.deepEqual(b.findings(), [
    'dind/include-error error .gitlab-ci.yml:2',
    'dind/include-error error loop-b.yml:1',
    'dind/include-error error .gitlab-ci.yml:4',
    'dind/include-error error .gitlab-ci.yml:5',
  ]);
  assert.match(b.pipeline.findings[1]?.message ?? '', /cycle/);
  assert.match(b.pipeline.findings[2]?.message ?? '', /outside the repository/);
  assert.ok(!b.host.reads.some((p) => p.includes('outside') || p.includes('passwd')), 'escaping paths are never read');
  assert.deepEqual(
    b.pipeline.jobs.map((j) => j.name),
    ['ok', 'job'],
  );
});

test('include: more than 150 includes is an include error, and resolution stops there', () => {
  const files: Record<string, string> = {};
  const list: string[] = [];
  for (let i = 0; i < 160; i++) {
    files[`inc/f${i}.yml`] = `job${i}:\n  script: [echo]\n`;
    list.push(`  - inc/f${i}.yml`);
  }
  const b = build({ ...files, '.gitlab-ci.yml': `include:\n${list.join('\n')}\n` });
  assert.equal(b.pipeline.jobs.length, 150);
  const errors = b.pipeline.findings.filter((f) => f.ruleId === 'dind/include-error');
  assert.equal(errors.length, 10);
  assert.match(errors[0]?.message ?? '', /Maximum of 150 includes/);
});

test('include: project: resolves through settings.projects, with nested local includes in that project', () => {
  const b = build(
    {
      '/shared/templates/docker.yml': 'include: /templates/base.yml\n.docker:\n  image: docker:24\n',
      '/shared/templates/base.yml': 'variables:\n  FROM_SHARED: "yes"\n',
      'templates/base.yml': 'variables:\n  WRONG: "local repo file"\n',
      '.gitlab-ci.yml': `include:
  - project: group/shared
    ref: main
    file:
      - templates/docker.yml
  - project: group/unmapped
    file: x.yml
build:
  extends: .docker
  script: [docker info]
`,
    },
    { settings: { projects: { 'group/shared': '../shared' } } },
  );
  const job = b.job('build');
  assert.equal(job.image?.name.value, 'docker:24');
  assert.equal(
    b.at(job.image?.origin),
    '/shared/templates/docker.yml:3 via include /shared/templates/docker.yml → extends .docker',
  );
  assert.equal(job.variables.get('FROM_SHARED')?.value, 'yes');
  assert.equal(job.variables.get('WRONG'), undefined);
  assert.deepEqual(b.findings(), ['dind/include-not-followed info .gitlab-ci.yml:6']);
  assert.match(b.pipeline.findings[0]?.message ?? '', /group\/unmapped/);
});

test('include: remote, template and component includes are one info finding each, not followed', () => {
  const b = build({
    '.gitlab-ci.yml': `include:
  - remote: https://example.com/ci.yml
  - template: Auto-DevOps.gitlab-ci.yml
  - component: $CI_SERVER_FQDN/group/proj/name@1.0
  - https://example.com/other.yml
job:
  script: [echo]
`,
  });
  assert.deepEqual(b.findings(), [
    'dind/include-not-followed info .gitlab-ci.yml:2',
    'dind/include-not-followed info .gitlab-ci.yml:3',
    'dind/include-not-followed info .gitlab-ci.yml:4',
    'dind/include-not-followed info .gitlab-ci.yml:5',
  ]);
  assert.deepEqual(
    b.pipeline.findings.map((f) => f.message.split(' ')[0]),
    ['Remote', 'Template', 'Component', 'Remote'],
  );
});

test('include: rules are included (offline, both branches) and inputs interpolate spec defaults and given values', () => {
  const b = build({
    'templates/docker.yml': `spec:
  inputs:
    image:
      default: docker:24
    stage:
      default: build
    tls:
      default: true
---
"$[[ inputs.stage ]]-job":
  image: $[[ inputs.image ]]
  services:
    - name: $[[ inputs.image ]]-dind
  variables:
    TLS: $[[ inputs.tls ]]
  script: [docker info]
`,
    '.gitlab-ci.yml': `include:
  - local: templates/docker.yml
    rules:
      - if: $CI_COMMIT_BRANCH == "main"
    inputs:
      image: docker:27
`,
  });
  const job = b.job('build-job');
  assert.equal(job.image?.name.value, 'docker:27');
  assert.equal(job.services[0]?.name.value, 'docker:27-dind');
  assert.equal(job.variables.get('TLS')?.value, 'true');
  assert.deepEqual(b.findings(), []);
});

test('include: broken YAML in an included file is a finding in that file; the rest is still modelled', () => {
  const b = build({
    'broken.yml': 'oops: [unclosed\n  bad: : :\n',
    'good.yml': JOB('good', 'alpine'),
    '.gitlab-ci.yml': 'include: [broken.yml, good.yml]\nmain:\n  script: [echo]\n',
  });
  assert.deepEqual(
    b.pipeline.jobs.map((j) => j.name).filter((n) => n !== 'oops'),
    ['good', 'main'],
  );
  const syntax = b.pipeline.findings.filter((f) => f.ruleId === 'dind/yaml-syntax');
  assert.ok(syntax.length > 0);
  assert.ok(syntax.every((f) => rel(f.file) === 'broken.yml'));
});
