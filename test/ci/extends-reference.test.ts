import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { build } from './util';

test('extends: multi-level chain, later parent overrides earlier, job keys win, hashes merge and arrays replace', () => {
  const b = build({
    '.gitlab-ci.yml': `.a:
  image: alpine
  variables: { A: a, SHARED: a }
  tags: [a]
.b:
  extends: .a
  variables: { B: b, SHARED: b }
.c:
  tags: [c]
  variables: { SHARED: c }
job:
  extends: [.b, .c]
  variables: { J: j }
  script: [echo]
`,
  });
  const job = b.job('job');
  const vars = Object.fromEntries([...job.variables].map(([k, v]) => [k, `${v.value} @ ${b.at(v.origin) ?? ''}`]));
  assert.deepEqual(vars, {
    A: 'a @ .gitlab-ci.yml:3 via extends .a → extends .b',
    SHARED: 'c @ .gitlab-ci.yml:10 via extends .c',
    B: 'b @ .gitlab-ci.yml:7 via extends .b',
    J: 'j @ .gitlab-ci.yml:13',
  });
  assert.deepEqual(job.tags, ['c']);
  assert.equal(b.at(job.image?.origin), '.gitlab-ci.yml:2 via extends .a → extends .b');
  assert.deepEqual(job.extendsChain, ['.b', '.a', '.c']);
  assert.deepEqual(b.findings(), []);
});

test('extends: a job replacing the parent services that held dind is recorded as a merge trap (A39 a)', () => {
  const b = build({
    'ci/docker.yml': `.docker:
  image: docker:24
  services:
    - docker:24-dind
`,
    '.gitlab-ci.yml': `include: ci/docker.yml
build:
  extends: .docker
  services:
    - postgres:16
  script: [docker build .]
plain:
  extends: .docker
  script: [docker build .]
`,
  });
  const [r] = b.job('build').replaced;
  assert.equal(r?.key, 'services');
  assert.equal(r?.reason, 'replaced');
  assert.deepEqual(r?.lostValue, ['docker:24-dind']);
  assert.equal(b.at(r?.lost), 'ci/docker.yml:4 via include ci/docker.yml → extends .docker');
  assert.equal(b.at(r?.by), '.gitlab-ci.yml:5');
  assert.deepEqual(b.job('plain').replaced, []);
  assert.deepEqual(
    b.job('plain').services.map((s) => s.name.value),
    ['docker:24-dind'],
  );
});

test('extends: cycles, missing parents and chains deeper than 11 levels are extends errors at the extends value', () => {
  const deep: string[] = [];
  for (let i = 0; i < 13; i++) deep.push(`.d${i}:\n  extends: .d${i + 1}\n`);
  deep.push('.d13:\n  image: alpine\n');
  const b = build({
    '.gitlab-ci.yml': `.x:
  extends: .y
.y:
  extends: .x
cyclic:
  extends: .x
  script: [echo]
missing:
  extends: [.nope]
  script: [echo]
deep:
  extends: .d0
  script: [echo]
${deep.join('')}`,
  });
  const errors = b.pipeline.findings.filter((f) => f.ruleId === 'dind/extends-error');
  assert.ok(errors.some((f) => /cycle/.test(f.message)));
  assert.ok(errors.some((f) => /unknown key in extends: \.nope/.test(f.message)));
  assert.ok(errors.some((f) => /deeper than 11/.test(f.message)));
  assert.deepEqual(
    b.pipeline.jobs.map((j) => j.name),
    ['cyclic', 'missing', 'deep'],
  );
  assert.equal(b.job('deep').image, null);
});

test('extends: exactly 11 levels resolve', () => {
  const chain: string[] = [];
  for (let i = 0; i < 10; i++) chain.push(`.l${i}:\n  extends: .l${i + 1}\n`);
  chain.push('.l10:\n  image: docker:24\n');
  const b = build({ '.gitlab-ci.yml': `job:\n  extends: .l0\n  script: [echo]\n${chain.join('')}` });
  assert.equal(b.job('job').image?.name.value, 'docker:24');
  assert.deepEqual(b.findings(), []);
});

test('!reference: services keep the referenced item; a referenced list is spliced in one level', () => {
  const b = build({
    '.gitlab-ci.yml': `.dind:
  services:
    - name: docker:24-dind
      alias: docker
  one: docker:27-dind
build:
  services:
    - !reference [.dind, services]
    - !reference [.dind, one]
    - postgres:16
  script: [docker build .]
`,
  });
  const services = b.job('build').services;
  assert.deepEqual(
    services.map((s) => `${s.index} ${s.name.value} @ ${b.at(s.origin) ?? ''}`),
    [
      '0 docker:24-dind @ .gitlab-ci.yml:3 via !reference [.dind, services]',
      '1 docker:27-dind @ .gitlab-ci.yml:5 via !reference [.dind, one]',
      '2 postgres:16 @ .gitlab-ci.yml:10',
    ],
  );
  assert.deepEqual(services[0]?.aliases, ['docker']);
});

test('!reference: resolved after extends (points into an extended job), across files, missing targets are errors', () => {
  const b = build({
    'base.yml': '.base:\n  variables:\n    DOCKER_HOST: tcp://docker:2375\n',
    '.gitlab-ci.yml': `include: base.yml
.mid:
  extends: .base
job:
  variables:
    DOCKER_HOST: !reference [.mid, variables, DOCKER_HOST]
    NOPE: !reference [.mid, variables, NOPE]
    GONE: !reference [.gone, script]
  script: [echo]
`,
  });
  const job = b.job('job');
  assert.equal(job.variables.get('DOCKER_HOST')?.value, 'tcp://docker:2375');
  assert.equal(
    b.at(job.variables.get('DOCKER_HOST')?.origin),
    'base.yml:3 via include base.yml → extends .base → !reference [.mid, variables, DOCKER_HOST]',
  );
  assert.deepEqual(b.findings(), [
    'dind/reference-error error .gitlab-ci.yml:7',
    'dind/reference-error error .gitlab-ci.yml:8',
  ]);
});

test('!reference: self-referencing cycles stop at 10 levels with a reference error, never a hang', () => {
  const b = build({
    '.gitlab-ci.yml': `.loop:
  script:
    - !reference [.loop, script]
job:
  script:
    - !reference [.loop, script]
`,
  });
  assert.ok(b.pipeline.findings.some((f) => f.ruleId === 'dind/reference-error' && /10 levels/.test(f.message)));
  assert.deepEqual(b.job('job').script, []);
});

test('a missing extends parent or !reference target is info, not error, when an include is not followed', () => {
  const files = {
    '.gitlab-ci.yml': `include:
  - template: Jobs/Build.gitlab-ci.yml
build:
  extends: .auto-build
  script:
    - !reference [.auto-build, script]
`,
  };
  const withRemote = build(files).pipeline.findings;
  const missing = withRemote.filter((f) => f.ruleId === 'dind/extends-error' || f.ruleId === 'dind/reference-error');
  assert.equal(missing.length, 2);
  assert.ok(missing.every((f) => f.severity === 'info' && f.message.includes('not followed offline')));
  const local = build({ '.gitlab-ci.yml': files['.gitlab-ci.yml'].replace(/include:\n.*\n/, '') }).pipeline.findings;
  const errors = local.filter((f) => f.ruleId === 'dind/extends-error' || f.ruleId === 'dind/reference-error');
  assert.equal(errors.length, 2);
  assert.ok(errors.every((f) => f.severity === 'error'));
});
