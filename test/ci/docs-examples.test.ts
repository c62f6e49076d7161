// The examples of GitLab's "Optimize GitLab CI/CD configuration files" (yaml_optimization) and "Use CI/CD
// configuration from other files" (includes) pages, with the results those pages give. Each test asserts the
// documented result and compares the full model with a golden file.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { jobData, jobProvenance } from '@engine';

import { build, golden, summarize } from './util';

test('yaml_optimization: Anchors (job_configuration merged into test1 and test2)', () => {
  const b = build({
    '.gitlab-ci.yml': `.job_template: &job_configuration
  image: ruby:2.6
  services:
    - postgres
    - redis

test1:
  <<: *job_configuration
  script:
    - test1 project

test2:
  <<: *job_configuration
  script:
    - test2 project
`,
  });
  for (const name of ['test1', 'test2']) {
    const job = b.job(name);
    assert.equal(job.image?.name.value, 'ruby:2.6');
    assert.deepEqual(
      job.services.map((s) => s.name.value),
      ['postgres', 'redis'],
    );
    // Merged values keep the origin of the anchored node.
    assert.equal(b.at(job.image?.origin), '.gitlab-ci.yml:2');
  }
  assert.deepEqual(
    b.job('test2').script.map((l) => l.text),
    ['test2 project'],
  );
  golden('docs-anchors', summarize(b));
});

test('yaml_optimization: Anchors, overriding tags and services (test:postgres, test:mysql)', () => {
  const b = build({
    '.gitlab-ci.yml': `.job_template: &job_configuration
  script:
    - test project
  tags:
    - dev

.postgres_services:
  services: &postgres_configuration
    - postgres
    - ruby

.mysql_services:
  services: &mysql_configuration
    - mysql
    - ruby

test:postgres:
  <<: *job_configuration
  services: *postgres_configuration
  tags:
    - postgres

test:mysql:
  <<: *job_configuration
  services: *mysql_configuration
`,
  });
  assert.deepEqual(b.job('test:postgres').tags, ['postgres']);
  assert.deepEqual(b.job('test:mysql').tags, ['dev']);
  assert.deepEqual(
    b.job('test:mysql').services.map((s) => s.name.value),
    ['mysql', 'ruby'],
  );
  golden('docs-anchors-override', summarize(b));
});

test('yaml_optimization: YAML anchors for scripts', () => {
  const b = build({
    '.gitlab-ci.yml': `.some-script-before: &some-script-before
  - echo "Execute this script first"

.some-script: &some-script
  - echo "Execute this script second"
  - echo "Execute this script too"

.some-script-after: &some-script-after
  - echo "Execute this script last"

job1:
  before_script:
    - *some-script-before
  script:
    - *some-script
    - echo "Execute something, for this job only"
  after_script:
    - *some-script-after
`,
  });
  assert.deepEqual(
    b.job('job1').script.map((l) => `${l.section}: ${l.text}`),
    [
      'before_script: echo "Execute this script first"',
      'script: echo "Execute this script second"',
      'script: echo "Execute this script too"',
      'script: echo "Execute something, for this job only"',
      'after_script: echo "Execute this script last"',
    ],
  );
  golden('docs-anchors-scripts', summarize(b));
});

test('yaml_optimization: YAML anchors for variables', () => {
  const b = build({
    '.gitlab-ci.yml': `variables: &global-variables
  SAMPLE_VARIABLE: sample_variable_value
  ANOTHER_SAMPLE_VARIABLE: another_sample_variable_value

job1:
  variables: &job1-variables
    <<: *global-variables
    JOB1_VARIABLE: job1_variable_value
  script: echo

job2:
  variables:
    <<: *job1-variables
    JOB2_VARIABLE: job2_variable_value
  script: echo
`,
  });
  const job2 = b.job('job2');
  assert.deepEqual(Object.keys(jobData(job2)['variables'] as object).sort(), [
    'ANOTHER_SAMPLE_VARIABLE',
    'JOB1_VARIABLE',
    'JOB2_VARIABLE',
    'SAMPLE_VARIABLE',
  ]);
  assert.equal(job2.variables.get('SAMPLE_VARIABLE')?.layer, 'job');
  assert.equal(b.at(job2.variables.get('JOB1_VARIABLE')?.origin), '.gitlab-ci.yml:8');
  golden('docs-anchors-variables', summarize(b));
});

test('yaml_optimization: Merge details (rspec extends .only-important and .in-docker)', () => {
  const b = build({
    '.gitlab-ci.yml': `.only-important:
  variables:
    URL: "http://my-url.internal"
    IMPORTANT_VAR: "the details"
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
    - if: $CI_COMMIT_BRANCH == "stable"
  tags:
    - production
  script:
    - echo "Hello world!"

.in-docker:
  variables:
    URL: "http://docker-url.internal"
  tags:
    - docker
  image: alpine

rspec:
  variables:
    GITLAB: "is-awesome"
  extends:
    - .only-important
    - .in-docker
  script:
    - rake rspec
`,
  });
  const rspec = b.job('rspec');
  assert.deepEqual(Object.fromEntries([...rspec.variables].map(([k, v]) => [k, v.value])), {
    URL: 'http://docker-url.internal',
    IMPORTANT_VAR: 'the details',
    GITLAB: 'is-awesome',
  });
  assert.deepEqual(rspec.tags, ['docker']);
  assert.equal(rspec.image?.name.value, 'alpine');
  assert.deepEqual(
    rspec.script.map((l) => l.text),
    ['rake rspec'],
  );
  assert.equal((jobData(rspec)['rules'] as unknown[]).length, 2);
  assert.equal(b.at(rspec.variables.get('URL')?.origin), '.gitlab-ci.yml:15 via extends .in-docker');
  assert.deepEqual(rspec.extendsChain, ['.only-important', '.in-docker']);
  golden('docs-merge-details', summarize(b));
});

test('yaml_optimization: Exclude a key from extends (variables: {} keeps, variables: null removes)', () => {
  const b = build({
    '.gitlab-ci.yml': `.base:
  script: test
  variables:
    VAR1: base var 1

test1:
  extends: .base
  variables:
    VAR1: test1 var 1
    VAR2: test2 var 2

test2:
  extends: .base
  variables:
    VAR2: test2 var 2

test3:
  extends: .base
  variables: {}

test4:
  extends: .base
  variables: null
`,
  });
  const vars = (name: string): Record<string, string> =>
    Object.fromEntries([...b.job(name).variables].map(([k, v]) => [k, v.value]));
  assert.deepEqual(vars('test1'), { VAR1: 'test1 var 1', VAR2: 'test2 var 2' });
  assert.deepEqual(vars('test2'), { VAR1: 'base var 1', VAR2: 'test2 var 2' });
  assert.deepEqual(vars('test3'), { VAR1: 'base var 1' });
  assert.deepEqual(vars('test4'), {});
  assert.equal(jobData(b.job('test4'))['variables'], undefined);
  const [removed] = b.job('test4').replaced;
  assert.equal(removed?.reason, 'null');
  assert.deepEqual(removed?.lostValue, { VAR1: 'base var 1' });
  assert.equal(b.at(removed?.by), '.gitlab-ci.yml:23');
  golden('docs-exclude-key', summarize(b));
});

test('yaml_optimization: Use extends and include together', () => {
  const b = build({
    'included.yml': `.template:
  script:
    - echo Hello!
`,
    '.gitlab-ci.yml': `include: included.yml

useTemplate:
  image: ruby:2.6
  extends: .template
`,
  });
  const job = b.job('useTemplate');
  assert.deepEqual(
    job.script.map((l) => l.text),
    ['echo Hello!'],
  );
  assert.equal(b.at(job.script[0]?.origin), 'included.yml:3 via include included.yml → extends .template');
  golden('docs-extends-include', summarize(b));
});

test('yaml_optimization: !reference tags (setup.yml, .teardown)', () => {
  const b = build({
    'setup.yml': `.setup:
  script:
    - echo creating environment
`,
    '.gitlab-ci.yml': `include:
  - local: setup.yml

.teardown:
  after_script:
    - echo deleting environment

test:
  script:
    - !reference [.setup, script]
    - echo running my own command
  after_script:
    - !reference [.teardown, after_script]
`,
  });
  assert.deepEqual(
    b.job('test').script.map((l) => `${l.section}: ${l.text}`),
    [
      'script: echo creating environment',
      'script: echo running my own command',
      'after_script: echo deleting environment',
    ],
  );
  assert.equal(
    b.at(b.job('test').script[0]?.origin),
    'setup.yml:3 via include setup.yml → !reference [.setup, script]',
  );
  golden('docs-reference', summarize(b));
});

test('yaml_optimization: Nest !reference tags in script, before_script, and after_script', () => {
  const b = build({
    '.gitlab-ci.yml': `.snippets:
  one:
    - echo "ONE!"
  two:
    - !reference [.snippets, one]
    - echo "TWO!"
  three:
    - !reference [.snippets, two]
    - echo "THREE!"

nested-references:
  script:
    - !reference [.snippets, three]
`,
  });
  assert.deepEqual(
    b.job('nested-references').script.map((l) => l.text),
    ['echo "ONE!"', 'echo "TWO!"', 'echo "THREE!"'],
  );
  golden('docs-nested-reference', summarize(b));
});

test('yaml_optimization: !reference in variables (whole map and one variable)', () => {
  const b = build({
    '.gitlab-ci.yml': `.vars:
  variables:
    URL: "http://my-url.internal"
    IMPORTANT_VAR: "the details"

test_job:
  variables: !reference [.vars, variables]
  script:
    - printenv

test_job2:
  variables:
    MY_VAR: !reference [.vars, variables, IMPORTANT_VAR]
  script:
    - printenv
`,
  });
  assert.equal(b.job('test_job').variables.get('URL')?.value, 'http://my-url.internal');
  assert.equal(b.job('test_job2').variables.get('MY_VAR')?.value, 'the details');
  assert.equal(
    b.at(b.job('test_job2').variables.get('MY_VAR')?.origin),
    '.gitlab-ci.yml:4 via !reference [.vars, variables, IMPORTANT_VAR]',
  );
  golden('docs-reference-variables', summarize(b));
});

test('includes: Override included configuration values', () => {
  const b = build({
    'autodevops-template.yml': `variables:
  POSTGRES_USER: user
  POSTGRES_PASSWORD: testing_password
  POSTGRES_DB: $CI_ENVIRONMENT_SLUG

production:
  stage: production
  script:
    - install_dependencies
    - deploy
  environment:
    name: production
    url: https://$CI_PROJECT_PATH_SLUG.$KUBE_INGRESS_BASE_DOMAIN
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
`,
    '.gitlab-ci.yml': `include: 'autodevops-template.yml'

variables:
  POSTGRES_USER: root
  POSTGRES_PASSWORD: secure_password

stages:
  - build
  - test
  - production

production:
  environment:
    url: https://domain.com
`,
  });
  const job = b.job('production');
  assert.deepEqual(jobData(job)['environment'], { name: 'production', url: 'https://domain.com' });
  assert.equal(job.variables.get('POSTGRES_USER')?.value, 'root');
  assert.equal(job.variables.get('POSTGRES_DB')?.value, '$CI_ENVIRONMENT_SLUG');
  assert.equal(
    b.at(jobProvenance(job).get('environment.name')),
    'autodevops-template.yml:12 via include autodevops-template.yml',
  );
  assert.equal(b.at(jobProvenance(job).get('environment.url')), '.gitlab-ci.yml:14');
  // The job's name is taken from the definition merged last (the including file).
  assert.equal(b.at({ file: job.file, span: job.nameSpan, via: [] }), '.gitlab-ci.yml:12');
  golden('docs-include-override-values', summarize(b));
});

test('includes: Override included configuration arrays', () => {
  const b = build({
    'autodevops-template.yml': `production:
  script:
    - install_dependencies
    - deploy
`,
    '.gitlab-ci.yml': `include: 'autodevops-template.yml'

stages:
  - production

production:
  script:
    - install_dependencies
    - deploy
    - notify_owner
`,
  });
  assert.deepEqual(
    b.job('production').script.map((l) => `${l.text} @ ${b.at(l.origin) ?? ''}`),
    ['install_dependencies @ .gitlab-ci.yml:8', 'deploy @ .gitlab-ci.yml:9', 'notify_owner @ .gitlab-ci.yml:10'],
  );
  golden('docs-include-override-arrays', summarize(b));
});

test('includes: Use default configuration from an included configuration file', () => {
  const b = build({
    'templates/.before-script-template.yml': `default:
  before_script:
    - apt-get update -qq && apt-get install -y -qq sqlite3 libsqlite3-dev nodejs
    - gem install bundler --no-document
    - bundle install --jobs $(nproc)  "\${FLAGS[@]}" --path vendor
`,
    '.gitlab-ci.yml': `include: '/templates/.before-script-template.yml'

rspec1:
  script:
    - bundle exec rspec

rspec2:
  before_script: []
  script:
    - bundle exec rspec
`,
  });
  const rspec1 = b.job('rspec1').script;
  assert.equal(rspec1.filter((l) => l.section === 'before_script').length, 3);
  assert.equal(
    b.at(rspec1[0]?.origin),
    'templates/.before-script-template.yml:3 via include templates/.before-script-template.yml → default',
  );
  assert.deepEqual(
    b.job('rspec2').script.map((l) => l.section),
    ['script'],
  );
  golden('docs-include-default', summarize(b));
});
