// Adversarial review of the CI model against GitLab's documented semantics (spec section D, D7). Each test quotes
// the documentation (or the runner source) it checks and asserts the effective job: values, origins, via chains.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { deriveAliases, expandVariables } from '@engine';

import { build } from './util';

const vars = (entries: Record<string, string>, raw: readonly string[] = []) => ({
  get: (name: string) =>
    entries[name] === undefined ? undefined : { value: entries[name], expand: !raw.includes(name) },
});

test('include: nested includes merge before the file, listed files in order, the including file last', () => {
  // includes.md "Merge method for include": "The configuration in the included files is merged ... The later file
  // wins" and "the main configuration file is merged last".
  const b = build({
    'ci/base.yml': 'variables:\n  A: base\n  B: base\n.tpl:\n  image: alpine\n',
    'ci/docker.yml': "include: '/ci/base.yml'\nvariables:\n  B: docker\n  C: docker\n",
    'ci/late.yml': 'variables:\n  C: late\n',
    '.gitlab-ci.yml': 'include:\n  - local: ci/docker.yml\n  - ci/late.yml\njob:\n  extends: .tpl\n  script: [echo]\n',
  });
  const job = b.job('job');
  const at = (n: string): string =>
    `${job.variables.get(n)?.value ?? ''} @ ${b.at(job.variables.get(n)?.origin) ?? ''}`;
  assert.equal(at('A'), 'base @ ci/base.yml:2 via include ci/base.yml → include ci/docker.yml');
  assert.equal(at('B'), 'docker @ ci/docker.yml:3 via include ci/docker.yml');
  assert.equal(at('C'), 'late @ ci/late.yml:2 via include ci/late.yml');
  assert.equal(b.at(job.image?.origin), 'ci/base.yml:5 via include ci/base.yml → include ci/docker.yml → extends .tpl');
});

test('include: a diamond (the same file reached twice) is allowed, not a cycle', () => {
  // gitlab MR 78297 "Remove warning/error for duplicate includes": "Allow including duplicate yaml file".
  const b = build({
    'base.yml': '.t:\n  image: docker:27\n',
    'one.yml': 'include: base.yml\n',
    'two.yml': 'include: base.yml\n',
    '.gitlab-ci.yml': 'include: [one.yml, two.yml]\njob:\n  extends: .t\n  script: [echo]\n',
  });
  assert.deepEqual(b.findings(), []);
  assert.equal(b.job('job').image?.name.value, 'docker:27');
});

test("include:local wildcards use GitLab's regex: ** inside a segment spans folders, * never crosses /", () => {
  // includes.md: "`configs/**.yml` matches all `.yml` files in both the `configs` folder and any subfolders."
  // Repository#search_files_by_wildcard_path turns `**` into `.*?` and `*` into `([^/])*?`, anchored.
  const files = {
    'ci/job-a.yml': 'a:\n  script: [echo]\n',
    'ci/jobs/b.yml': 'b:\n  script: [echo]\n',
    'ci/other/job-c.yml': 'c:\n  script: [echo]\n',
  };
  const jobs = (pattern: string): string[] =>
    build({ ...files, '.gitlab-ci.yml': `include: '${pattern}'\n` }).pipeline.jobs.map((j) => j.name);
  assert.deepEqual(jobs('ci/job**.yml'), ['a', 'b']);
  assert.deepEqual(jobs('ci/*/job-*.yml'), ['c']);
  assert.deepEqual(jobs('/ci/**.yml'), ['a', 'b', 'c']);
});

test('include:local wildcard that matches the including file skips it instead of reporting a cycle', () => {
  // Mapper#expand_wildcard_paths: "Prevent self-inclusion: skip paths matching the parent file that triggered this
  // wildcard expansion."
  const b = build({
    'ci/all.yml': "include: 'ci/*.yml'\n",
    'ci/build.yml': 'build:\n  image: docker:27\n  script: [docker build .]\n',
    '.gitlab-ci.yml': 'include: ci/all.yml\n',
  });
  assert.deepEqual(b.findings(), []);
  assert.deepEqual(
    b.pipeline.jobs.map((j) => j.name),
    ['build'],
  );
});

test('include:inputs: spec:inputs defaults are used, given inputs override them and keep their type', () => {
  // yaml/_index.md spec:inputs: "default: ... the default value when the input is not specified"; whole-value
  // interpolation of an array input inserts the array.
  const b = build({
    'tpl.yml': `spec:
  inputs:
    image:
      default: docker:27
    services:
      type: array
      default: [docker:27-dind]
---
build:
  image: $[[ inputs.image ]]
  services: $[[ inputs.services ]]
  script: [docker build .]
`,
    '.gitlab-ci.yml': "include:\n  - local: tpl.yml\n    inputs:\n      services: ['docker:26-dind', 'redis:7']\n",
  });
  const job = b.job('build');
  assert.equal(job.image?.name.value, 'docker:27');
  assert.deepEqual(
    job.services.map((s) => s.name.value),
    ['docker:26-dind', 'redis:7'],
  );
  assert.deepEqual(b.findings(), []);
});

test('extends: list order, multi-level, hashes merge by key, arrays replace, null removes the key', () => {
  // yaml/_index.md extends: "uses reverse deep merge based on the keys"; yaml_optimization.md: "You can use
  // extends to merge hashes but not arrays" and "To exclude a key from the extended content, you must assign it
  // to null".
  const b = build({
    '.gitlab-ci.yml': `.base:
  image: docker:24
  services: [docker:24-dind]
  variables: { A: base, B: base }
.mid:
  extends: .base
  variables: { B: mid, C: mid }
.other:
  services: [postgres:16]
  variables: { C: other }
job:
  extends: [.mid, .other]
  image: null
  variables: { D: job }
  script: [echo]
`,
  });
  const job = b.job('job');
  assert.deepEqual(job.extendsChain, ['.mid', '.base', '.other']);
  assert.equal(job.image, null);
  assert.deepEqual(
    job.services.map((s) => `${s.name.value} @ ${b.at(s.origin) ?? ''}`),
    ['postgres:16 @ .gitlab-ci.yml:9 via extends .other'],
  );
  const v = Object.fromEntries([...job.variables].map(([k, x]) => [k, `${x.value} @ ${b.at(x.origin) ?? ''}`]));
  assert.deepEqual(v, {
    A: 'base @ .gitlab-ci.yml:4 via extends .base → extends .mid',
    B: 'mid @ .gitlab-ci.yml:7 via extends .mid',
    C: 'other @ .gitlab-ci.yml:10 via extends .other',
    D: 'job @ .gitlab-ci.yml:14',
  });
});

test('extends: variables: null drops inherited job variables but keeps top-level ones', () => {
  // yaml_optimization.md: "variables: null" removes the extended variables; global variables are a separate layer.
  const b = build({
    '.gitlab-ci.yml': `variables:
  G: global
.t:
  variables: { T: t }
job:
  extends: .t
  variables: null
  script: [echo]
`,
  });
  assert.deepEqual([...b.job('job').variables.keys()], ['G']);
});

test('!reference: in variables, script (nested, flattened) and a single variable value, across files', () => {
  // yaml_optimization.md: "Use the !reference custom YAML tag to select keyword configuration from other job
  // sections"; "You can nest !reference tags up to 10 levels deep in script, before_script, and after_script".
  const b = build({
    'ci/shared.yml': `.vars:
  variables:
    DOCKER_HOST: tcp://docker:2376
    DOCKER_TLS_CERTDIR: /certs
.setup:
  script: [docker info]
.login:
  script:
    - !reference [.setup, script]
    - docker login
`,
    '.gitlab-ci.yml': `include: ci/shared.yml
job:
  variables:
    ONLY_HOST: !reference [.vars, variables, DOCKER_HOST]
  script:
    - !reference [.login, script]
    - docker build .
`,
  });
  const job = b.job('job');
  assert.deepEqual(
    job.script.map((l) => l.text),
    ['docker info', 'docker login', 'docker build .'],
  );
  assert.equal(
    b.at(job.script[0]?.origin),
    'ci/shared.yml:6 via include ci/shared.yml → !reference [.setup, script] → !reference [.login, script]',
  );
  const v = job.variables.get('ONLY_HOST');
  assert.equal(v?.value, 'tcp://docker:2376');
  assert.equal(
    b.at(v?.origin),
    'ci/shared.yml:3 via include ci/shared.yml → !reference [.vars, variables, DOCKER_HOST]',
  );
});

test('default: keys are copied only where the job lacks them; inherit:default list; deprecated globals act as default', () => {
  // yaml/_index.md default: "Default configuration does not merge with job configuration"; inherit:default: "A list
  // of specific default keywords to inherit"; deprecated_keywords.md: globally-defined image, services, ...
  const b = build({
    '.gitlab-ci.yml': `image: docker:27
default:
  services: [docker:27-dind]
  tags: [dind]
  before_script: [docker info]
only-image:
  inherit: { default: [image] }
  script: [echo]
own:
  services: [{ name: docker:26-dind, alias: dind }]
  script: [echo]
`,
  });
  const only = b.job('only-image');
  assert.equal(b.at(only.image?.origin), '.gitlab-ci.yml:1 via global');
  assert.deepEqual(only.services, []);
  assert.deepEqual(only.tags, []);
  assert.deepEqual(
    only.replaced.map((r) => `${r.key} ${r.reason}`),
    ['services inherit-default'],
  );
  const own = b.job('own');
  assert.deepEqual(
    own.services.map((s) => s.name.value),
    ['docker:26-dind'],
  );
  assert.deepEqual(own.tags, ['dind']);
  assert.equal(b.at(own.image?.origin), '.gitlab-ci.yml:1 via global');
});

test('types (deprecated stages) is a reserved top-level keyword, not a job', () => {
  // deprecated_keywords.md: "types ... Use stages instead."
  const b = build({ '.gitlab-ci.yml': 'types: [build, test]\njob:\n  script: [echo]\n' });
  assert.deepEqual(
    b.pipeline.jobs.map((j) => j.name),
    ['job'],
  );
  assert.deepEqual(b.findings(), []);
});

test('variables: job over workflow:rules over global; inherit:variables list; value/description/expand forms', () => {
  // yaml/_index.md variables: "value", "description", "expand: false" ("the variable is not expandable");
  // workflow:rules:variables "override the global variables"; inherit:variables: "A list of specific variables to
  // inherit".
  const b = build({
    '.gitlab-ci.yml': `variables:
  DOCKER_HOST:
    value: tcp://docker:2375
    description: the daemon
  DOCKER_TLS_CERTDIR: /certs
  RAW:
    value: $HOME/x
    expand: false
workflow:
  rules:
    - if: $CI_COMMIT_TAG
      variables: { DOCKER_HOST: tcp://docker:2376 }
    - when: always
job:
  inherit: { variables: [DOCKER_HOST, RAW] }
  image: docker:27
  script: [echo]
`,
  });
  const job = b.job('job');
  assert.deepEqual([...job.variables.keys()].sort(), ['DOCKER_HOST', 'RAW']);
  const host = job.variables.get('DOCKER_HOST');
  assert.equal(host?.value, 'tcp://docker:2376');
  assert.equal(host?.layer, 'workflow-rules');
  assert.equal(host?.conditional, true);
  assert.deepEqual(
    host?.alternatives?.map((a) => `${a.value} ${a.layer}`),
    ['tcp://docker:2375 global'],
  );
  assert.equal(job.variables.get('RAW')?.expand, false);
  assert.equal(job.variables.get('RAW')?.value, '$HOME/x');
});

test('rules:variables: the first matching rule wins over job variables; the others are alternatives', () => {
  // yaml/_index.md rules:variables: "Use variables in rules to define variables for specific conditions."
  const b = build({
    '.gitlab-ci.yml': `job:
  variables: { DOCKER_TLS_CERTDIR: /certs }
  rules:
    - if: $A
      variables: { DOCKER_TLS_CERTDIR: '' }
    - if: $B
      variables: { DOCKER_TLS_CERTDIR: /other }
  script: [echo]
`,
  });
  const v = b.job('job').variables.get('DOCKER_TLS_CERTDIR');
  assert.equal(v?.value, '');
  assert.equal(v?.layer, 'job-rules');
  assert.deepEqual(
    v?.alternatives?.map((a) => `${a.value}|${a.layer}`),
    ['/other|job-rules', '/certs|job'],
  );
});

test('parallel:matrix: one job per combination named `job: [v1, v2]`, image and services expanded per instance', () => {
  // yaml/_index.md parallel:matrix: the example generates jobs such as "deploystacks: [aws, monitoring]".
  const b = build({
    '.gitlab-ci.yml': `build:
  parallel:
    matrix:
      - VERSION: ['26', '27']
        VARIANT: dind
  image: docker:$VERSION
  services: ['docker:\${VERSION}-$VARIANT']
  script: [docker build .]
`,
  });
  assert.deepEqual(
    b.pipeline.jobs.map((j) => `${j.name} → ${j.image?.ref.expanded ?? ''} + ${j.services[0]?.ref.expanded ?? ''}`),
    ['build: [26, dind] → docker:26 + docker:26-dind', 'build: [27, dind] → docker:27 + docker:27-dind'],
  );
  const v = b.pipeline.jobs[0]?.variables.get('VERSION');
  assert.equal(b.at(v?.origin), '.gitlab-ci.yml:4 via matrix');
});

test('services: string and mapping forms, several aliases, command and entrypoint, service variables', () => {
  // services/_index.md: alias "Multiple aliases can be separated by spaces or commas"; command and entrypoint are
  // arrays; service variables are passed to the service only.
  const b = build({
    '.gitlab-ci.yml': `job:
  image: { name: docker:27, entrypoint: [''], pull_policy: [always, if-not-present] }
  services:
    - redis:7
    - name: docker:27-dind
      alias: docker, dind  build-daemon
      command: [--tls=false]
      entrypoint: [dockerd-entrypoint.sh]
      variables: { DOCKER_TLS_CERTDIR: '' }
      pull_policy: if-not-present
  script: [docker info]
`,
  });
  const job = b.job('job');
  assert.deepEqual(job.image?.entrypoint?.value, ['']);
  assert.deepEqual(job.image?.pullPolicy, ['always', 'if-not-present']);
  const [redis, dind] = job.services;
  assert.equal(redis?.name.value, 'redis:7');
  assert.deepEqual(redis?.derivedAliases, ['redis']);
  assert.deepEqual(dind?.aliases, ['docker', 'dind', 'build-daemon']);
  assert.deepEqual(dind?.command?.value, ['--tls=false']);
  assert.deepEqual(dind?.entrypoint?.value, ['dockerd-entrypoint.sh']);
  assert.equal(dind?.variables.get('DOCKER_TLS_CERTDIR')?.value, '');
  assert.equal(dind?.variables.get('DOCKER_TLS_CERTDIR')?.layer, 'service');
  assert.deepEqual(dind?.pullPolicy, ['if-not-present']);
  assert.equal(job.variables.has('DOCKER_TLS_CERTDIR'), false);
});

test('expansion: $VAR, ${VAR}, nested references, expand:false, unknown names kept, $$ is a literal $', () => {
  // Runner JobVariables.value: `case "$": return key` (so `$$` expands to `$`); CI/CD variables docs: use `$$` to
  // keep a literal `$`.
  const v = vars({ REG: '$HOST:5000', HOST: 'mirror.local', TAG: '27-dind', RAW: '$HOST' }, ['RAW']);
  assert.equal(expandVariables('$REG/docker:${TAG}', v), 'mirror.local:5000/docker:27-dind');
  assert.equal(expandVariables('$RAW/docker', v), '$HOST/docker');
  assert.equal(expandVariables('$UNKNOWN/docker:dind', v), '$UNKNOWN/docker:dind');
  assert.equal(expandVariables('$$TAG', v), '$TAG');
  assert.equal(expandVariables('a$$$TAG', v), 'a$27-dind');
  const self = vars({ A: 'x$A' });
  assert.equal(expandVariables('$A', self), 'x$A');
});

test('expansion in a job: service name built from global, job and matrix variables, with derived aliases', () => {
  const b = build({
    '.gitlab-ci.yml': `variables:
  PROXY: registry.example.com:5000/library
job:
  variables: { DIND: '$PROXY/docker:27-dind' }
  services: [$DIND]
  script: [echo]
`,
  });
  const s = b.job('job').services[0];
  assert.equal(s?.ref.expanded, 'registry.example.com:5000/library/docker:27-dind');
  assert.equal(s?.ref.unresolved, false);
  assert.deepEqual(s?.derivedAliases, ['registry.example.com__library__docker', 'registry.example.com-library-docker']);
});

test('derived aliases follow the runner: tag, digest and registry port stripped; none for an invalid reference', () => {
  // services/_index.md: "Everything after the colon (:) is stripped. Slash (/) is replaced with double underscores
  // (__) and the primary alias is created. Slash (/) is replaced with a single dash (-) and the secondary alias is
  // created." Runner SplitNameAndVersion returns no aliases when reference.ReferenceRegexp does not match.
  assert.deepEqual(deriveAliases('tutum/wordpress:latest'), ['tutum__wordpress', 'tutum-wordpress']);
  assert.deepEqual(deriveAliases('localhost:5000/docker:dind'), ['localhost__docker', 'localhost-docker']);
  assert.deepEqual(deriveAliases(`docker:27-dind@sha256:${'a'.repeat(64)}`), ['docker']);
  assert.deepEqual(deriveAliases(`docker@sha256:${'b'.repeat(64)}`), ['docker']);
  assert.deepEqual(deriveAliases('Docker:dind'), []);
  assert.deepEqual(deriveAliases('docker:dind extra'), []);
  assert.deepEqual(deriveAliases('$CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX/docker:dind'), []);
});

test('include:inputs: the truncate(offset, length) function applies to the interpolated value', () => {
  // yaml/inputs.md "Predefined interpolation functions": "truncate ... Shortens the interpolated value", with
  // `$[[ inputs.test | truncate(3,5) ]]` keeping 5 characters from offset 3.
  const b = build({
    'tpl.yml': `spec:
  inputs:
    version:
      default: '27.1.2-dind'
---
build:
  image: docker:$[[ inputs.version | truncate(0,2) ]]
  services: ['docker:$[[ inputs.version | truncate(0, 6) | expand_vars ]]-dind']
  script: [docker build .]
`,
    '.gitlab-ci.yml': 'include: tpl.yml\n',
  });
  const job = b.job('build');
  assert.equal(job.image?.name.value, 'docker:27');
  assert.equal(job.services[0]?.name.value, 'docker:27.1.2-dind');
});
