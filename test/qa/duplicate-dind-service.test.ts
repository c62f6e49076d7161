// QA A19 dind/duplicate-dind-service: two dind services in SVC(J) (runner-defined + job, or merged twice), or a second
// service with the explicit alias docker.

import { ruleCases } from '../helpers/rule-cases';

import { dockerRunner } from './fixtures';
import { B2, B2_CI } from './fixtures-qa2';

const ID = 'dind/duplicate-dind-service';

ruleCases(ID, [
  {
    name: 'positive: B10(b) runner-defined dind plus the B2 job service from default:',
    files: {
      '.gitlab-ci.yml': B2_CI,
      'config.toml': dockerRunner(`    privileged = true
    volumes = ["/certs/client", "/cache"]
    [[runners.docker.services]]
      name = "docker:24.0.5-dind"
      command = ["--registry-mirror", "https://registry-mirror.example.com"]`),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'warning' },
      { file: 'config.toml', at: '[[runners.docker.services]]', job: null, runner: 'r1', severity: 'warning' },
    ],
  },
  {
    name: 'positive: a job listing dind twice (alias variant and plain)',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
    - name: docker:24.0.5-dind
      alias: dind
  script: [docker build .]
`,
      'config.toml': B2,
    },
    expect: [{ at: 'docker:24.0.5-dind', occurrence: 1, job: 'build', severity: 'warning' }],
  },
  {
    name: 'negative: job services replace default services (only one dind after the merge)',
    files: {
      '.gitlab-ci.yml': `default:
  services:
    - docker:24.0.5-dind
build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
    - postgres:16
  script: [docker build .]
`,
      'config.toml': B2,
    },
    expect: [],
  },
  {
    name: 'negative: B2 canonical',
    files: { '.gitlab-ci.yml': B2_CI, 'config.toml': B2 },
    expect: [],
  },
  {
    name: 'positive: a second service with the explicit alias docker',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
    - name: nginx:1.27
      alias: docker
  script: [docker build .]
`,
      'config.toml': B2,
    },
    expect: [{ at: 'docker', occurrence: 2, job: 'build', severity: 'warning', message: 'nginx:1.27' }],
  },
  {
    name: 'positive: one job starting its own dind next to the runner service: singular wording on the runner side',
    files: {
      '.gitlab-ci.yml': `build:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
      'config.toml': B2.replace(
        '    volumes = ["/certs/client", "/cache"]',
        '    volumes = ["/certs/client", "/cache"]\n    [[runners.docker.services]]\n      name = "docker:24.0.5-dind"',
      ),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'warning' },
      {
        file: 'config.toml',
        at: '[[runners.docker.services]]',
        message: 'and job `build` starts its own dind service',
      },
    ],
  },
  {
    name: 'positive: two jobs starting their own dind next to the runner service: plural wording',
    files: {
      '.gitlab-ci.yml': `a:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
b:
  image: docker:24.0.5-cli
  services: [docker:24.0.5-dind]
  script: [docker info]
`,
      'config.toml': B2.replace(
        '    volumes = ["/certs/client", "/cache"]',
        '    volumes = ["/certs/client", "/cache"]\n    [[runners.docker.services]]\n      name = "docker:24.0.5-dind"',
      ),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'a', severity: 'warning' },
      { at: 'docker:24.0.5-dind', occurrence: 1, job: 'b', severity: 'warning' },
      { file: 'config.toml', at: '[[runners.docker.services]]', message: '`a`, `b` start their own dind service' },
    ],
  },
]);
