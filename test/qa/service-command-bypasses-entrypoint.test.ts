// QA A20 dind/service-command-bypasses-entrypoint: command[0] is dockerd (or any non-flag executable), or the entrypoint
// does not end in dockerd-entrypoint.sh, with no --host=tcp://... flag.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzeCase, ruleCases } from '../helpers/rule-cases';

import { B2, B3 } from './fixtures-qa2';

const ID = 'dind/service-command-bypasses-entrypoint';

const job = (service: string): string => `variables:
  DOCKER_HOST: tcp://docker:2375
  DOCKER_TLS_CERTDIR: ""
build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
${service}  script: [docker build .]
`;

ruleCases(ID, [
  {
    name: 'positive: command ["dockerd", "--mtu=1400"]',
    files: { '.gitlab-ci.yml': job('      command: ["dockerd", "--mtu=1400"]\n'), 'config.toml': B3 },
    expect: [{ at: '["dockerd", "--mtu=1400"]', job: 'build', severity: 'error' }],
  },
  {
    name: 'negative: dockerd with an explicit --host=tcp:// listener',
    files: {
      '.gitlab-ci.yml': job(
        '      command: ["dockerd", "--host=tcp://0.0.0.0:2375", "--host=unix:///var/run/docker.sock", "--tls=false"]\n',
      ),
      'config.toml': B3,
    },
    expect: [],
  },
  {
    name: 'negative: flags only (B10 registry mirror)',
    files: {
      '.gitlab-ci.yml': job('      command: ["--registry-mirror", "https://registry-mirror.example.com"]\n'),
      'config.toml': B3,
    },
    expect: [],
  },
  {
    name: 'positive: entrypoint overridden to dockerd',
    files: { '.gitlab-ci.yml': job('      entrypoint: ["dockerd"]\n'), 'config.toml': B3 },
    expect: [{ at: '["dockerd"]', job: 'build', severity: 'error' }],
  },
  {
    name: 'negative: entrypoint is the full path of dockerd-entrypoint.sh',
    files: {
      '.gitlab-ci.yml': job('      entrypoint: ["/usr/local/bin/dockerd-entrypoint.sh"]\n'),
      'config.toml': B3,
    },
    expect: [],
  },
  {
    name: 'negative: S3 custom-CA script that ends in dockerd-entrypoint.sh (the catalogue quick-fix form)',
    files: {
      '.gitlab-ci.yml': job(
        '      command:\n        - /bin/sh\n        - -c\n        - update-ca-certificates && dockerd-entrypoint.sh || exit\n',
      ),
      'config.toml': B3,
    },
    expect: [],
  },
  {
    name: 'positive: a runner-defined dind service with command ["dockerd"] on the B2 runner lands in config.toml',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script: [docker build .]
`,
      'config.toml': B2.replace(
        '    volumes = ["/certs/client", "/cache"]',
        '    volumes = ["/certs/client", "/cache"]\n    [[runners.docker.services]]\n      name = "docker:24.0.5-dind"\n      command = ["dockerd"]',
      ),
    },
    expect: [{ file: 'config.toml', at: '["dockerd"]', job: 'build', severity: 'error' }],
  },
  {
    name: 'positive: entrypoint /bin/sh -c running dockerd directly',
    files: {
      '.gitlab-ci.yml': job(
        '      entrypoint: ["/bin/sh", "-c"]\n      command: ["apk add ca-certificates && dockerd"]\n',
      ),
      'config.toml': B3,
    },
    expect: [{ at: '["/bin/sh", "-c"]', job: 'build', severity: 'error' }],
  },
  {
    name: 'positive: a runner-defined command ["dockerd"] on a runner without /certs/client: the fixes keep A9 away',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  script: [docker build .]
`,
      'config.toml': B3.replace(
        '    volumes = ["/cache"]',
        '    volumes = ["/cache"]\n    [[runners.docker.services]]\n      name = "docker:24.0.5-dind"\n      command = ["dockerd"]',
      ),
    },
    expect: [{ file: 'config.toml', at: '["dockerd"]', job: 'build', severity: 'error' }],
    fixes: [
      'Keep only the flags: drop `dockerd` from the command, and keep TLS off as before (`DOCKER_TLS_CERTDIR=""` for the service)',
      'Keep only the flags: drop `dockerd` from the command, and turn TLS on: share the client certificates with the runner',
    ],
  },
  {
    name: 'positive: a job service command ["dockerd"] with the image TLS default on a runner without /certs/client',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["dockerd"]
  script: [docker build .]
`,
      'config.toml': B3,
    },
    expect: [{ at: '["dockerd"]', job: 'build', severity: 'error' }],
    fixes: [
      'Keep only the flags: drop `dockerd` from the command, and keep TLS off as before (`DOCKER_TLS_CERTDIR=""` for the service)',
    ],
  },
]);

test('A20: the behaviour-preserving fix (TLS stays off) is the preferred one on a runner without the cert volume', () => {
  const toml = B3.replace(
    '    volumes = ["/cache"]',
    '    volumes = ["/cache"]\n    [[runners.docker.services]]\n      name = "docker:24.0.5-dind"\n      command = ["dockerd"]',
  );
  const { analysis } = analyzeCase({
    files: {
      '.gitlab-ci.yml': 'build:\n  image: docker:24.0.5-cli\n  script: [docker build .]\n',
      'config.toml': toml,
    },
  });
  const finding = analysis.findings.find((f) => f.ruleId === ID);
  assert.ok(finding, 'A20 reports the runner service');
  const preferred = finding.fixes.filter((f) => f.preferred);
  assert.equal(preferred.length, 1, 'exactly one preferred fix');
  const edits = preferred[0]?.edits ?? [];
  assert.ok(
    edits.some((e) => e.newText.includes('DOCKER_TLS_CERTDIR=')),
    `the preferred fix sets DOCKER_TLS_CERTDIR= on the service: ${JSON.stringify(edits)}`,
  );
  assert.ok(!edits.some((e) => e.newText.includes('/certs/client')), 'and does not touch the volumes');
});
