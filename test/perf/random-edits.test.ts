// Random edit sequences (fast-check): after every edit, the analysis that reuses the previous one's work (the
// ParseCache the language server keeps: memoised jobs, rule results moved across the edit, kept runner models)
// equals a cold analysis without any shortcut: the same findings (spans, fixes and all) and the same jobs.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import fc from 'fast-check';

import { analyze, ParseCache, RULES, type Analysis } from '@engine';

import { withMergedData } from '../helpers/jobs';
import { MemoryHost } from '../helpers/memory-host';

const FILES: Readonly<Record<string, string>> = {
  '.gitlab-ci.yml': [
    'stages: [build, test]',
    'default:',
    '  image: docker:24.0.7',
    'variables:',
    '  DOCKER_TLS_CERTDIR: "/certs"',
    'include:',
    '  - local: ci/templates.yml',
    '  - local: ci/jobs.yml',
    '',
  ].join('\n'),
  'ci/templates.yml': [
    '.dind:',
    '  services:',
    '    - name: docker:24.0.7-dind',
    '      alias: docker',
    '  variables:',
    '    DOCKER_HOST: tcp://docker:2376',
    '    DOCKER_TLS_VERIFY: "1"',
    '    DOCKER_CERT_PATH: "/certs/client"',
    '.plain:',
    '  extends: .dind',
    '  variables:',
    '    DOCKER_TLS_CERTDIR: ""',
    '    DOCKER_HOST: tcp://docker:2375',
    '.anchored: &anchored',
    '  services: [docker:dind]',
    '',
  ].join('\n'),
  'ci/jobs.yml': [
    'build-a:',
    '  extends: .dind',
    '  script:',
    '    - docker build -t a .',
    'build-b:',
    '  extends: .plain',
    '  script:',
    '    - docker build -t b .',
    'build-c:',
    '  <<: *anchored',
    '  script: [docker info]',
    'test-d:',
    '  image: alpine:3.20',
    '  services: !reference [.dind, services]',
    '  script:',
    '    - docker ps',
    'test-e:',
    '  variables:',
    '    DOCKER_HOST: tcp://docker:2375',
    '  rules:',
    '    - if: $CI',
    '      variables:',
    '        DOCKER_HOST: tcp://dind:2376',
    '  script:',
    '    - docker version',
    'lint:',
    '  image: node:20',
    '  script: [npm test]',
    '',
  ].join('\n'),
  'config.toml': [
    'concurrent = 2',
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
    '    privileged = true',
    '    volumes = ["/certs/client", "/cache"]',
    '',
  ].join('\n'),
};

const PATHS = Object.keys(FILES);
const OPTIONS = { workspaceRoot: '/ws', pipelines: ['/ws/.gitlab-ci.yml'], runnerConfigs: ['/ws/config.toml'] };

/** Fragments that shift positions, change values, break and repair syntax. */
const SNIPPETS = [
  ' ',
  '\n',
  'x',
  '# note\n',
  '2375',
  '2376',
  'docker',
  ':',
  '"',
  '[',
  '  ',
  'new-job:\n  extends: .dind\n  script: [docker ps]\n',
  '    - name: docker:20.10-dind\n',
  '  privileged = true\n',
  'DOCKER_TLS_CERTDIR: ""\n',
];

interface Edit {
  readonly file: number;
  readonly at: number;
  readonly remove: number;
  readonly insert: number;
}

/** `at` is a fraction of the file's length; `insert` -1 inserts nothing. */
const edits: fc.Arbitrary<Edit[]> = fc.array(
  fc.record({
    file: fc.nat(PATHS.length - 1),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    remove: fc.oneof(fc.constant(0), fc.nat(12)),
    insert: fc.oneof(fc.constant(-1), fc.nat(SNIPPETS.length - 1)),
  }),
  { minLength: 1, maxLength: 6 },
);

function apply(host: MemoryHost, e: Edit): void {
  const path = PATHS[e.file] ?? '.gitlab-ci.yml';
  const text = host.files.get(host.abs(path)) ?? '';
  const at = Math.floor(e.at * text.length);
  const insert = e.insert < 0 ? '' : (SNIPPETS[e.insert] ?? '');
  host.set(path, text.slice(0, at) + insert + text.slice(Math.min(text.length, at + e.remove)));
}

const replacer = (_key: string, value: unknown): unknown => (value instanceof Map ? [...value.entries()] : value);
const plain = (a: Analysis): unknown =>
  JSON.parse(
    JSON.stringify({ findings: a.findings, jobs: a.pipelines.map((p) => p.jobs.map(withMergedData)) }, replacer),
  );

test('perf: after random edit sequences, the cached analysis equals a cold one (findings and jobs)', () => {
  let positionsMoved = 0;
  fc.assert(
    fc.property(edits, fc.boolean(), (sequence, lazy) => {
      const host = new MemoryHost(FILES);
      const cache = new ParseCache();
      const fixes = lazy ? ('lazy' as const) : ('eager' as const);
      analyze(host, { ...OPTIONS, cache, fixes });
      for (const e of sequence) {
        apply(host, e);
        const incremental = analyze(host, { ...OPTIONS, cache, fixes });
        const cold = analyze(host, { ...OPTIONS, shortcuts: false, fixes });
        assert.deepEqual(plain(incremental), plain(cold));
        if (e.insert >= 0 || e.remove > 0) positionsMoved++;
      }
    }),
    { numRuns: 60, seed: 7 },
  );
  assert.ok(positionsMoved > 100, 'the sequences moved positions hundreds of times');
});

/** Runs `body` counting job-rule runs per job name. */
function countingRuns(body: () => void): Map<string, number> {
  const runs = new Map<string, number>();
  const originals = RULES.map((rule) => Object.getOwnPropertyDescriptor(rule, 'checkJob'));
  RULES.forEach((rule) => {
    const check = rule.checkJob?.bind(rule);
    if (check)
      (rule as { checkJob?: typeof check }).checkJob = (c, report) => {
        runs.set(c.job.name, (runs.get(c.job.name) ?? 0) + 1);
        check(c, report);
      };
  });
  try {
    body();
  } finally {
    RULES.forEach((rule, i) => {
      const original = originals[i];
      if (original) Object.defineProperty(rule, 'checkJob', original);
    });
  }
  return runs;
}

test('perf: an edit in one job leaves the other jobs of the file to the cache, positions moved', () => {
  const host = new MemoryHost(FILES);
  const cache = new ParseCache();
  // As the language server analyses: fixes are built on request, so runs do not depend on the file's text.
  const lazy = { ...OPTIONS, cache, fixes: 'lazy' as const };
  const before = analyze(host, lazy);
  const text = host.files.get(host.abs('ci/jobs.yml')) ?? '';
  host.set('ci/jobs.yml', text.replace('docker build -t a .', 'docker build -t a-longer-name .'));
  let after = before;
  const runs = countingRuns(() => (after = analyze(host, lazy)));
  assert.ok((runs.get('build-a') ?? 0) > 0, 'the edited job is checked again');
  // test-d is checked again too: its `services:` key (moved) and its value (from .dind, not moved) are one origin
  // whose key span is in another file than its value, which the position map cannot tell apart.
  assert.deepEqual(
    ['build-b', 'build-c', 'test-e', 'lint'].filter((j) => runs.has(j)),
    [],
    'the jobs below it, whose positions moved, are not',
  );
  assert.deepEqual(plain(after), plain(analyze(host, { ...OPTIONS, shortcuts: false, fixes: 'lazy' })));

  const moved = after.findings.filter((f) => f.job === 'test-e' && f.file.endsWith('ci/jobs.yml'));
  const earlier = before.findings.filter((f) => f.job === 'test-e' && f.file.endsWith('ci/jobs.yml'));
  assert.ok(moved.length > 0, 'test-e has findings in ci/jobs.yml');
  assert.deepEqual(
    moved.map((f) => f.span.start - 'a-longer-name'.length + 'a'.length),
    earlier.map((f) => f.span.start),
    "test-e's findings moved by the length of the edit",
  );
});

test('perf: jobs of unchanged files keep their objects between analyses', () => {
  const host = new MemoryHost(FILES);
  const cache = new ParseCache();
  const before = analyze(host, { ...OPTIONS, cache }).pipelines[0]?.jobs ?? [];
  const text = host.files.get(host.abs('config.toml')) ?? '';
  host.set('config.toml', text.replace('privileged = false', 'privileged = true'));
  const after = analyze(host, { ...OPTIONS, cache }).pipelines[0]?.jobs ?? [];
  assert.ok(before.length > 3);
  assert.deepEqual(
    after.map((j) => before.includes(j)),
    after.map(() => true),
    'a runner edit rebuilds no job',
  );
  const cold = analyze(host, { ...OPTIONS, cache: new ParseCache() }).pipelines[0]?.jobs ?? [];
  assert.ok(
    cold.every((j) => !before.includes(j)),
    'a fresh cache builds every job anew',
  );
});

/** A workspace whose jobs file parses cleanly (no aliases), so edits take the incremental parse and jobs move. */
function plainWorkspace(): MemoryHost {
  const jobs: string[] = [];
  for (let i = 0; i < 12; i++) {
    jobs.push(
      i % 3 === 2
        ? `lint-${i}:\n  image: node:20\n  script: [npm test]\n`
        : `build-${i}:\n  extends: ${i % 2 === 0 ? '.dind' : '.plain'}\n  variables:\n    N: "${i}"\n  script:\n    - docker build -t app-${i} .\n`,
    );
  }
  // Jobs whose findings lie in their own block (a dind service without TLS settings), below the edits.
  for (let i = 0; i < 3; i++) jobs.push(`own-${i}:\n  services:\n    - docker:dind\n  script:\n    - docker info\n`);
  return new MemoryHost({ ...FILES, 'ci/jobs.yml': jobs.join('') });
}

test('perf: typing above many jobs, keystroke by keystroke, keeps every moved job exact', () => {
  const host = plainWorkspace();
  const cache = new ParseCache();
  const lazy = { ...OPTIONS, cache, fixes: 'lazy' as const };
  analyze(host, lazy);
  const blocksBefore = cache.treeStats.blocks;
  const typed = 'docker build --pull -t a .';
  for (let i = 0; i < 45; i++) {
    const text = host.files.get(host.abs('ci/jobs.yml')) ?? '';
    // Insert, and every fifth keystroke delete, inside the first job's script; the second edit series types in the
    // fourth job, so moves compose across different places of the file.
    const at = text.indexOf(i < 25 ? '-t app-0 .' : '-t app-3 .');
    assert.ok(at > 0);
    const next =
      i % 5 === 4
        ? text.slice(0, at - 1) + text.slice(at)
        : text.slice(0, at) + (typed[i % typed.length] ?? 'x') + text.slice(at);
    host.set('ci/jobs.yml', next);
    const incremental = analyze(host, lazy);
    assert.deepEqual(
      plain(incremental),
      plain(analyze(host, { ...OPTIONS, shortcuts: false, fixes: 'lazy' })),
      `keystroke ${i}`,
    );
  }
  assert.ok(cache.treeStats.blocks - blocksBefore >= 40, 'the keystrokes re-parsed one block each');
  const moved = analyze(host, lazy).findings.filter((f) => f.job?.startsWith('own-') && f.file.endsWith('ci/jobs.yml'));
  assert.ok(moved.length > 0, 'jobs below the edits have findings in their own (moved) blocks');
});
