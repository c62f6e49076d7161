import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeCase, ruleCases } from '../helpers/rule-cases';
import { CERT_VOLUMES, dockerRunner } from '../helpers/runners';

const DOCKER_TOML = dockerRunner({ name: 'dock', privileged: true, volumes: CERT_VOLUMES });

/** QA noise item 2: the wrong Docker image variant (B2 runner). */
const WRONG_VARIANT = {
  daemonImage: `build:
  image: docker:24.0.5-dind
  script: [docker build .]
`,
  cliService: `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5]
  script: [docker build .]
`,
  defaultCliService: `default:
  services: [docker:stable]
build:
  image: docker:24.0.5-cli
  script: [docker build .]
`,
};

const DIND_DEFAULT = `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
`;

/** QA noise item 3: a merge drops the dind service (A39 a, b, e). */
const DROPPED = {
  replaced: `${DIND_DEFAULT}build:
  services:
    - postgres:16
  script:
    - docker build -t app .
`,
  inheritFalse: `${DIND_DEFAULT}build:
  inherit:
    default: false
  script:
    - docker build -t app .
`,
  inheritList: `${DIND_DEFAULT}build:
  inherit:
    default: [image, before_script]
  script:
    - docker build -t app .
`,
  hiddenOnly: `.dind:
  services:
    - docker:24.0.5-dind
build:
  image: docker:24.0.5-cli
  script:
    - docker build -t app .
`,
};

ruleCases('dind/no-daemon-for-docker-commands', [
  {
    name: 'docker commands without dind or socket: error on the script line and the runner volumes',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script:
    - docker build -t app .
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [
      {
        at: '- docker build -t app .'.slice(2),
        job: 'build',
        runner: 'dock',
        severity: 'error',
        message: 'no Docker daemon is reachable',
      },
      { file: 'config.toml', at: 'volumes = ["/certs/client", "/cache"]', job: 'build', runner: 'dock' },
    ],
    fixes: [
      'Add a `docker:24.0.5-dind` service to job `build`',
      "Bind-mount the host's Docker socket in runner `dock` (socket binding)",
    ],
  },
  {
    name: 'a dind service makes a daemon reachable',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script:
    - docker build -t app .
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [],
  },
  {
    name: 'socket binding makes a daemon reachable',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script:
    - docker info
`,
      'config.toml': dockerRunner({ name: 'sock', volumes: ['/var/run/docker.sock:/var/run/docker.sock'] }),
    },
    expect: [],
  },
  {
    name: 'a remote DOCKER_HOST is a daemon',
    files: {
      '.gitlab-ci.yml': `build:
  image: alpine:3.20
  variables:
    DOCKER_HOST: tcp://build-host.example.com:2376
  script:
    - docker info
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [],
  },
  {
    name: 'a DOCKER_HOST that needs project variables is unknown: no finding',
    files: {
      '.gitlab-ci.yml': `build:
  image: alpine:3.20
  variables:
    DOCKER_HOST: $REMOTE_DOCKER
  script:
    - docker info
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [],
  },
  {
    name: 'no runner config: CI-only warning at the docker line that comes from default: in an included file',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
build:
  image: alpine:3.20
  script:
    - echo hi
`,
      'ci/docker.yml': `default:
  before_script:
    - docker login -u x -p y registry.example.com
`,
    },
    expect: [
      { file: 'ci/docker.yml', at: 'docker login -u x -p y registry.example.com', job: 'build', severity: 'warning' },
    ],
  },
  {
    name: 'DOCKER_HOST pointing at docker without a service, through extends',
    files: {
      '.gitlab-ci.yml': `.docker:
  variables:
    DOCKER_HOST: tcp://docker:2375
build:
  extends: .docker
  image: docker:24.0.5-cli
  script:
    - docker build .
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [
      { at: 'docker build .', job: 'build', severity: 'error' },
      { file: 'config.toml', at: 'volumes = ["/certs/client", "/cache"]', job: 'build' },
    ],
  },
  {
    name: 'services through !reference count as the daemon',
    files: {
      '.gitlab-ci.yml': `.dind:
  services:
    - docker:24.0.5-dind
build:
  image: docker:24.0.5-cli
  services: !reference [.dind, services]
  script:
    - docker build .
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [],
  },
  {
    name: 'kubernetes runner without dind: error, socket host_path fix',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "k8s"
  executor = "kubernetes"
  [runners.kubernetes]
    privileged = false
`,
    },
    expect: [
      { at: 'docker build .', job: 'build', runner: 'k8s', severity: 'error' },
      { file: 'config.toml', at: '[runners.kubernetes]', job: 'build' },
    ],
    fixes: ["Bind-mount the host's Docker socket in runner `k8s` (socket binding)"],
  },
  {
    name: 'shell executor is not this rule (A3 and the host daemon)',
    files: {
      '.gitlab-ci.yml': `build:
  script:
    - docker build .
`,
      'config.toml': `[[runners]]
  name = "sh"
  executor = "shell"
`,
    },
    expect: [],
  },
  {
    name: 'conditional DOCKER_HOST: the branch without it still fails',
    files: {
      '.gitlab-ci.yml': `build:
  image: alpine:3.20
  rules:
    - if: $CI_COMMIT_BRANCH == "main"
      variables:
        DOCKER_HOST: tcp://build-host.example.com:2375
    - when: always
  script:
    - docker info
`,
      'config.toml': DOCKER_TOML,
    },
    expect: [
      { at: 'docker info', job: 'build', severity: 'error' },
      { file: 'config.toml', at: 'volumes = ["/certs/client", "/cache"]', job: 'build' },
    ],
  },
  // QA noise item 2: a wrong image variant (A5) explains the missing daemon; A1 stays silent for the job.
  {
    name: 'QA: the dind image as the job image is A5, not A1',
    files: { '.gitlab-ci.yml': WRONG_VARIANT.daemonImage, 'config.toml': DOCKER_TOML },
    expect: [],
  },
  {
    name: 'QA: a CLI image as the service is A5, not A1',
    files: { '.gitlab-ci.yml': WRONG_VARIANT.cliService, 'config.toml': DOCKER_TOML },
    expect: [],
  },
  {
    name: 'QA: a CLI image as the default service is A5, not A1',
    files: { '.gitlab-ci.yml': WRONG_VARIANT.defaultCliService, 'config.toml': DOCKER_TOML },
    expect: [],
  },
  // QA noise item 3: a merge dropped the dind service (A39). The job still fails, but the cause is the merge: the
  // message names the dropped service and there is no config.toml finding or socket-binding fix.
  {
    name: "QA: the job's own services replace default: services with dind",
    files: { '.gitlab-ci.yml': DROPPED.replaced, 'config.toml': DOCKER_TOML },
    expect: [
      {
        at: 'docker build -t app .',
        job: 'build',
        runner: 'dock',
        severity: 'error',
        message: 'merge rules dropped its `docker:24.0.5-dind` service',
      },
    ],
    fixes: ['Add a `docker:24.0.5-dind` service to job `build`'],
  },
  {
    name: 'QA: inherit: default: false drops the dind service',
    files: { '.gitlab-ci.yml': DROPPED.inheritFalse, 'config.toml': DOCKER_TOML },
    expect: [{ at: 'docker build -t app .', job: 'build', severity: 'error', message: 'dropped its' }],
    fixes: ['Add a `docker:24.0.5-dind` service to job `build`'],
  },
  {
    name: 'QA: inherit: default: [image, before_script] drops the dind service',
    files: { '.gitlab-ci.yml': DROPPED.inheritList, 'config.toml': DOCKER_TOML },
    expect: [{ at: 'docker build -t app .', job: 'build', severity: 'error', message: 'dropped its' }],
    fixes: ['Add a `docker:24.0.5-dind` service to job `build`'],
  },
  {
    name: 'QA: dind only in a hidden job the job does not extend',
    files: { '.gitlab-ci.yml': DROPPED.hiddenOnly, 'config.toml': DOCKER_TOML },
    expect: [{ at: 'docker build -t app .', job: 'build', severity: 'error', message: 'dropped its' }],
    fixes: ['Add a `docker:24.0.5-dind` service to job `build`'],
  },
  {
    name: 'a dropped dind service without a runner config: still a CI-only warning naming the merge',
    files: { '.gitlab-ci.yml': DROPPED.replaced },
    expect: [{ at: 'docker build -t app .', job: 'build', severity: 'warning', message: 'dropped its' }],
  },
]);

for (const [name, yml] of Object.entries(WRONG_VARIANT)) {
  test(`QA noise item 2 (${name}): one error from A5, none from A1`, () => {
    const { analysis } = analyzeCase({ files: { '.gitlab-ci.yml': yml, 'config.toml': DOCKER_TOML } });
    const ids = analysis.findings.map((f) => f.ruleId);
    assert.ok(ids.includes('dind/wrong-image-variant'), `A5 reports the cause; got ${JSON.stringify(ids)}`);
    assert.ok(!ids.includes('dind/no-daemon-for-docker-commands'), `A1 stays silent; got ${JSON.stringify(ids)}`);
  });
}

for (const [name, yml] of Object.entries(DROPPED)) {
  test(`QA noise item 3 (${name}): A39 explains, A1 points at the dropped service and offers no socket binding`, () => {
    const { analysis, host } = analyzeCase({ files: { '.gitlab-ci.yml': yml, 'config.toml': DOCKER_TOML } });
    const a39 = analysis.findings.filter((f) => f.ruleId === 'dind/merge-drops-dind-config');
    assert.ok(a39.length > 0, 'A39 reports the merge');
    const a1 = analysis.findings.filter((f) => f.ruleId === 'dind/no-daemon-for-docker-commands');
    assert.equal(a1.length, 1, `one A1 finding; got ${JSON.stringify(a1.map((f) => f.message))}`);
    const [finding] = a1;
    assert.ok(finding);
    assert.equal(finding.file, host.abs('.gitlab-ci.yml'), 'no config.toml-side A1 finding');
    const titles = finding.fixes.map((f) => f.title);
    assert.ok(!titles.some((t) => /socket/i.test(t)), `no socket-binding fix; got ${JSON.stringify(titles)}`);
    const text = host.files.get(host.abs('.gitlab-ci.yml')) ?? '';
    const related = finding.related.map((r) => text.slice(r.span.start, r.span.end));
    assert.ok(
      related.some((r) => r.includes('docker:24.0.5-dind')),
      `related points at the dropped service; got ${JSON.stringify(related)}`,
    );
  });
}
