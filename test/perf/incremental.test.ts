// Incremental re-analysis: with the cache the editor keeps, an analysis after an edit gives exactly the findings of
// a cold analysis (spans, fixes and all), for edits to included files, extends parents, `default:`, the runner
// config and broken YAML; and rule results of unaffected jobs are reused rather than recomputed.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { analyze, DEFAULT_SETTINGS, ParseCache, type Analysis, type Finding } from '@engine';

import { MemoryHost } from '../helpers/memory-host';

const ROOT = [
  'stages: [build]',
  'default:',
  '  image: docker:24.0.7',
  'include:',
  '  - local: ci/templates.yml',
  '  - local: ci/build.yml',
  '  - local: ci/other.yml',
  '',
].join('\n');

const TEMPLATES = [
  '.dind:',
  '  services:',
  '    - name: docker:24.0.7-dind',
  '      alias: docker',
  '  variables:',
  '    DOCKER_HOST: tcp://docker:2376',
  '    DOCKER_TLS_CERTDIR: "/certs"',
  '.plain-dind:',
  '  extends: .dind',
  '  variables:',
  '    DOCKER_TLS_CERTDIR: ""',
  '',
].join('\n');

const BUILD = [
  'build-a:',
  '  extends: .dind',
  '  script:',
  '    - docker build -t a .',
  'build-b:',
  '  extends: .plain-dind',
  '  script:',
  '    - docker build -t b .',
  '',
].join('\n');

const OTHER = [
  'other-1:',
  '  image: alpine:3.20',
  '  script:',
  '    - docker info',
  'other-2:',
  '  services: [docker:dind]',
  '  script:',
  '    - docker ps',
  '',
].join('\n');

const RUNNERS = [
  '[[runners]]',
  '  name = "one"',
  '  executor = "docker"',
  '  [runners.docker]',
  '    image = "alpine:3.20"',
  '    privileged = false',
  '    volumes = ["/cache"]',
  '[[runners]]',
  '  name = "two"',
  '  executor = "docker"',
  '  [runners.docker]',
  '    image = "alpine:3.20"',
  '    privileged = false',
  '    volumes = ["/cache"]',
  '',
].join('\n');

const OPTIONS = { workspaceRoot: '/ws', pipelines: ['/ws/.gitlab-ci.yml'], runnerConfigs: ['/ws/config.toml'] };

function workspace(): MemoryHost {
  return new MemoryHost({
    '.gitlab-ci.yml': ROOT,
    'ci/templates.yml': TEMPLATES,
    'ci/build.yml': BUILD,
    'ci/other.yml': OTHER,
    'config.toml': RUNNERS,
  });
}

const plain = (a: Analysis): unknown => JSON.parse(JSON.stringify(a.findings));
const edit = (host: MemoryHost, path: string, from: string, to: string): void => {
  const text = host.files.get(host.abs(path)) ?? '';
  assert.ok(text.includes(from), `${path} holds ${JSON.stringify(from)}`);
  host.set(path, text.replace(from, to));
};

/** Edits applied in turn; each leaves a workspace that the incremental analysis must get exactly right. */
const EDITS: readonly [string, (host: MemoryHost) => void][] = [
  ['a job in an included file', (h) => edit(h, 'ci/build.yml', 'docker build -t a .', 'docker build -t a2 .')],
  ['a line inserted above every job of a file', (h) => edit(h, 'ci/other.yml', 'other-1:', '# moved\nother-1:')],
  [
    'an extends parent',
    (h) => edit(h, 'ci/templates.yml', 'DOCKER_HOST: tcp://docker:2376', 'DOCKER_HOST: tcp://dind:2375'),
  ],
  [
    'the services of an extends parent',
    (h) => edit(h, 'ci/templates.yml', '    - name: docker:24.0.7-dind\n', '    - name: docker:20.10-dind\n'),
  ],
  [
    'default:',
    (h) =>
      edit(h, '.gitlab-ci.yml', '  image: docker:24.0.7', '  image: docker:20.10\n  services: [docker:20.10-dind]'),
  ],
  [
    'a job added',
    (h) => edit(h, 'ci/other.yml', 'other-2:', 'other-3:\n  extends: .plain-dind\n  script: [docker ps]\nother-2:'),
  ],
  ['an include removed', (h) => edit(h, '.gitlab-ci.yml', '  - local: ci/other.yml\n', '')],
  [
    'the include put back',
    (h) => edit(h, '.gitlab-ci.yml', '  - local: ci/build.yml\n', '  - local: ci/build.yml\n  - local: ci/other.yml\n'),
  ],
  ['broken YAML', (h) => edit(h, 'ci/build.yml', 'build-b:', 'build-b: [')],
  ['YAML repaired', (h) => edit(h, 'ci/build.yml', 'build-b: [', 'build-b:')],
  ['one runner made privileged', (h) => edit(h, 'config.toml', 'privileged = false', 'privileged = true')],
  ['a runner renamed', (h) => edit(h, 'config.toml', 'name = "two"', 'name = "deux"')],
];

test('perf: incremental analysis after each edit equals a cold analysis', () => {
  const host = workspace();
  const cache = new ParseCache();
  const first = analyze(host, { ...OPTIONS, cache });
  assert.deepEqual(plain(first), plain(analyze(host, { ...OPTIONS, shortcuts: false })));
  assert.ok(
    first.findings.some((f) => f.job !== null && f.runner !== null),
    'the workspace has job × runner findings',
  );
  for (const [what, change] of EDITS) {
    change(host);
    const incremental = analyze(host, { ...OPTIONS, cache });
    const cold = analyze(host, { ...OPTIONS, shortcuts: false });
    assert.ok(cold.findings.length > 0, `${what}: the workspace still has findings`);
    assert.deepEqual(plain(incremental), plain(cold), `after editing ${what}`);
  }
});

test('perf: rule results of jobs an edit does not touch are reused, those of the edited job are not', () => {
  const host = workspace();
  const cache = new ParseCache();
  const before = analyze(host, { ...OPTIONS, cache });
  const byJob = (fs: readonly Finding[], job: string): Finding[] => fs.filter((f) => f.job === job);
  assert.ok(byJob(before.findings, 'other-2').length > 0 && byJob(before.findings, 'build-a').length > 0);

  edit(host, 'ci/build.yml', 'docker build -t a .', 'docker build -t a2 .');
  const after = analyze(host, { ...OPTIONS, cache });
  const reused = (job: string): number =>
    byJob(after.findings, job).filter((f) => byJob(before.findings, job).includes(f)).length;
  assert.ok(reused('other-2') > 0, 'findings of a job in an unchanged file come from the cache');
  assert.equal(reused('build-a'), 0, 'findings of the edited job are recomputed');

  const cold = analyze(host, { ...OPTIONS, cache: new ParseCache() });
  assert.equal(cold.findings.filter((f) => before.findings.includes(f)).length, 0, 'a fresh cache reuses nothing');
});

test('perf: a settings change invalidates cached rule results', () => {
  const host = workspace();
  const cache = new ParseCache();
  analyze(host, { ...OPTIONS, cache });
  const settings = { ...DEFAULT_SETTINGS, rules: { ...DEFAULT_SETTINGS.rules }, runner: 'one' };
  const reference = analyze(host, { ...OPTIONS, shortcuts: false, settings });
  const incremental = analyze(host, { ...OPTIONS, cache, settings });
  assert.deepEqual(plain(incremental), plain(reference));
  assert.ok(incremental.findings.some((f) => f.runner === 'one'));
  assert.ok(incremental.findings.every((f) => f.runner === null || f.runner === 'one'));
});
