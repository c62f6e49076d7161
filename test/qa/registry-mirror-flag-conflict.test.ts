// QA A34 dind/registry-mirror-flag-conflict: daemon.json mount plus the same directive as a dind flag.

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner } from './fixtures';

const ID = 'dind/registry-mirror-flag-conflict';
const MOUNT =
  '    privileged = true\n    volumes = ["/opt/docker/daemon.json:/etc/docker/daemon.json:ro", "/certs/client", "/cache"]';

ruleCases(ID, [
  {
    name: 'positive: daemon.json mount + job dind --registry-mirror (B10a with B10c)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["--registry-mirror", "https://registry-mirror.example.com"]
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner(MOUNT),
    },
    expect: [
      { at: '"--registry-mirror"', job: 'build', severity: 'warning' },
      {
        file: 'config.toml',
        at: '"/opt/docker/daemon.json:/etc/docker/daemon.json:ro"',
        job: 'build',
        runner: 'r1',
        severity: 'warning',
      },
    ],
  },
  {
    name: 'negative: B10a only (flag, no daemon.json mount)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - name: docker:24.0.5-dind
      command: ["--registry-mirror", "https://registry-mirror.example.com"]
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner('    privileged = true\n    volumes = ["/certs/client", "/cache"]'),
    },
    expect: [],
  },
  {
    name: 'negative: B10c only (read-only daemon.json mount, dind without flags)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build -t app .
`,
      'config.toml': dockerRunner(MOUNT),
    },
    expect: [],
  },
]);
