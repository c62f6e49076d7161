import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeCase, applyEditsToHost, ruleCases, WS } from '../helpers/rule-cases';

ruleCases('dind/old-dind-cgroups', [
  {
    name: 'dind 19.03 with a 19.03 client: warning, the fix upgrades the pair',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:19.03.12
  services:
    - docker:19.03.12-dind
  script: [docker build .]
`,
    },
    expect: [
      {
        at: 'docker:19.03.12-dind',
        job: 'build',
        severity: 'warning',
        message: 'cgroups: cgroup mountpoint does not exist: unknown',
      },
    ],
    fixes: ['Use docker:24.0.5-dind and docker:24.0.5-cli'],
  },
  {
    name: 'dind 20.10 and newer, and floating dind: no finding',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker:20.10.24
  services: [docker:20.10.24-dind]
  script: [docker info]
b:
  services: [docker:dind]
  script: [docker info]
`,
    },
    expect: [],
  },
  {
    name: '18.09 also starts without TLS; stable-dind counts as 19.03',
    files: {
      '.gitlab-ci.yml': `a:
  services:
    - name: docker:18.09-dind
      alias: docker
  script: [docker info]
b:
  services: [docker:stable-dind]
  script: [docker info]
`,
    },
    expect: [
      { at: 'docker:18.09-dind', job: 'a', message: 'also starts without TLS' },
      { at: 'docker:stable-dind', job: 'b', message: '19.03' },
    ],
    fixes: ['Use docker:24.0.5-dind'],
  },
  {
    name: 'from default: in an included file, through extends, and through !reference',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/base.yml
.old:
  services:
    - docker:19.03-dind-rootless
build:
  image: docker:24.0.5-cli
  script: [docker info]
other:
  extends: .old
  script: [docker info]
ref:
  services: !reference [.old, services]
  script: [docker info]
`,
      'ci/base.yml': `default:
  services:
    - registry.example.com/docker:19.03.13-dind
`,
    },
    expect: [
      { file: 'ci/base.yml', at: 'registry.example.com/docker:19.03.13-dind', job: 'build' },
      { at: 'docker:19.03-dind-rootless', job: 'other' },
      { at: 'docker:19.03-dind-rootless', job: 'ref' },
    ],
    fixes: ['Use registry.example.com/docker:24.0.5-dind', 'Use docker:24.0.5-dind-rootless'],
  },
  {
    name: 'a runner-defined old dind service is reported in config.toml',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script: [docker info]
`,
      'config.toml': `[[runners]]
  name = "r"
  executor = "docker"
  [runners.docker]
    privileged = true
    [[runners.docker.services]]
      name = "docker:19.03.12-dind"
      alias = "docker"
`,
    },
    expect: [{ file: 'config.toml', at: '"docker:19.03.12-dind"', job: 'build', runner: 'r' }],
    fixes: ['Use docker:24.0.5-dind'],
  },
  {
    name: 'variable tags are unknown: no finding',
    files: {
      '.gitlab-ci.yml': `build:
  services: ["docker:\${DIND}-dind"]
  script: [docker info]
`,
    },
    expect: [],
  },
]);

/** The text of `.gitlab-ci.yml` after the only fix of the only A30 finding. */
function fixedPipeline(files: Readonly<Record<string, string>>): string | undefined {
  const { analysis, host } = analyzeCase({ files });
  const found = analysis.findings.filter((f) => f.ruleId === 'dind/old-dind-cgroups');
  assert.equal(found.length, 1);
  const fix = found[0]?.fixes[0];
  if (!fix) return undefined;
  return applyEditsToHost(host, fix.edits).files.get(`${WS}/.gitlab-ci.yml`);
}

test('18.09 in a job: the upgrade writes DOCKER_TLS_CERTDIR: "" into the job, next to the service', () => {
  const after = fixedPipeline({
    '.gitlab-ci.yml': `build:
  image: docker:18.09.7
  services:
    - docker:18.09.7-dind
  variables:
    DOCKER_HOST: tcp://docker:2375
  script: [docker info]
`,
  });
  assert.equal(
    after,
    `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  variables:
    DOCKER_HOST: tcp://docker:2375
    DOCKER_TLS_CERTDIR: ""
  script: [docker info]
`,
  );
});

test('18.09 with DOCKER_TLS_CERTDIR set explicitly, and 19.03: the upgrade only rewrites the tags', () => {
  for (const [service, vars] of [
    ['docker:18.09-dind', '  variables:\n    DOCKER_TLS_CERTDIR: ""\n'],
    ['docker:19.03.12-dind', ''],
  ] as const) {
    const before = `build:\n  services:\n    - ${service}\n${vars}  script: [docker info]\n`;
    const after = fixedPipeline({ '.gitlab-ci.yml': before });
    assert.equal(after, before.replace(service, 'docker:24.0.5-dind'));
  }
});

test('a runner-defined 18.09 service that runs without TLS by default: no one-click upgrade', () => {
  const { analysis } = analyzeCase({
    files: {
      '.gitlab-ci.yml': 'build:\n  image: docker:24.0.5-cli\n  script: [docker info]\n',
      'config.toml': `[[runners]]
  name = "r"
  executor = "docker"
  [runners.docker]
    privileged = true
    [[runners.docker.services]]
      name = "docker:18.09-dind"
      alias = "docker"
`,
    },
  });
  const found = analysis.findings.filter((f) => f.ruleId === 'dind/old-dind-cgroups');
  assert.equal(found.length, 1);
  assert.deepEqual(found[0]?.fixes, []);
});
