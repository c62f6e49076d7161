import { ruleCases } from '../helpers/rule-cases';

const CI = `variables:
  DOCKER_TLS_CERTDIR: "/certs"
build:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
  script:
    - docker build .
`;

function runner(extra: string, ff = true): string {
  return `[[runners]]
  name = "r1"
  executor = "docker"
  [runners.docker]
    privileged = true
    volumes = ["/certs/client", "/cache"]
${extra}${ff ? '  [runners.feature_flags]\n    FF_NETWORK_PER_BUILD = true\n' : ''}`;
}

const FIX = 'Pass the runner DNS to `docker:24.0.5-dind` (`--dns`)';

ruleCases('dind/per-build-network-dns', [
  {
    name: 'FF in [runners.feature_flags] and dns set: info at the service and at dns',
    files: { '.gitlab-ci.yml': CI, 'config.toml': runner('    dns = ["10.0.0.2"]\n') },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', runner: 'r1', severity: 'info', message: '8.8.8.8' },
      { file: 'config.toml', at: 'dns = ["10.0.0.2"]', job: 'build', severity: 'info' },
    ],
    fixes: [FIX],
  },
  {
    name: 'dns_search only, FF from a job variable',
    files: {
      '.gitlab-ci.yml': CI.replace('  script:', '  variables:\n    FF_NETWORK_PER_BUILD: "true"\n  script:'),
      'config.toml': runner('    dns_search = ["corp.example.com"]\n', false),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build', severity: 'info', message: 'corp.example.com' },
      { file: 'config.toml', at: 'dns_search = ["corp.example.com"]', severity: 'info' },
    ],
    fixes: [FIX],
  },
  {
    name: 'negative: FF off',
    files: { '.gitlab-ci.yml': CI, 'config.toml': runner('    dns = ["10.0.0.2"]\n', false) },
    expect: [],
  },
  {
    name: 'negative: --dns already in the dind command',
    files: {
      '.gitlab-ci.yml': CI.replace(
        '    - docker:24.0.5-dind\n',
        '    - name: docker:24.0.5-dind\n      command: ["--dns=127.0.0.11", "--dns=10.0.0.2"]\n',
      ),
      'config.toml': runner('    dns = ["10.0.0.2"]\n'),
    },
    expect: [],
  },
  {
    name: 'negative: network_mode set (the flag is ignored) or no custom DNS',
    files: {
      '.gitlab-ci.yml': CI,
      'config.toml': `${runner('    dns = ["10.0.0.2"]\n    network_mode = "bridge"\n')}${runner('').replace('"r1"', '"r2"')}`,
    },
    expect: [],
  },
  {
    name: 'service from an included default:, FF through a global variable',
    files: {
      '.gitlab-ci.yml': `include:
  - local: ci/docker.yml
variables:
  FF_NETWORK_PER_BUILD: 1
  DOCKER_TLS_CERTDIR: "/certs"
build:
  script:
    - docker build .
`,
      'ci/docker.yml': `default:
  image: docker:24.0.5-cli
  services:
    - docker:24.0.5-dind
`,
      'config.toml': runner('    dns = ["10.0.0.2", "10.0.0.3"]\n', false),
    },
    expect: [
      { file: 'ci/docker.yml', at: 'docker:24.0.5-dind', job: 'build' },
      { file: 'config.toml', at: 'dns = ["10.0.0.2", "10.0.0.3"]' },
    ],
    fixes: [FIX],
  },
  {
    name: 'conditional FF variable under rules: reported for the branch that enables it',
    files: {
      '.gitlab-ci.yml': CI.replace(
        '  script:',
        '  rules:\n    - if: $CI_COMMIT_BRANCH\n      variables:\n        FF_NETWORK_PER_BUILD: "true"\n  script:',
      ),
      'config.toml': runner('    dns = ["10.0.0.2"]\n', false),
    },
    expect: [
      { at: 'docker:24.0.5-dind', job: 'build' },
      { file: 'config.toml', at: 'dns = ["10.0.0.2"]' },
    ],
    fixes: [FIX],
  },
]);
