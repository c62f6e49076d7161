// Rule runs that read pipeline-wide facts (deprecated top-level `image:`/`services:`, hidden templates with a dind
// service) depend on those facts, not on the whole text of every pipeline file: an edit elsewhere keeps their cached
// results, an edit to the facts recomputes them, and either way the findings equal a cold analysis.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { analyze, ParseCache, type Analysis, type Finding } from '@engine';

import { MemoryHost } from '../helpers/memory-host';

const OPTIONS = { workspaceRoot: '/ws', pipelines: ['/ws/.gitlab-ci.yml'], runnerConfigs: ['/ws/config.toml'] };
const MERGE = 'dind/merge-drops-dind-config';
const NO_DAEMON = 'dind/no-daemon-for-docker-commands';

function workspace(): MemoryHost {
  return new MemoryHost({
    '.gitlab-ci.yml': [
      'image: docker:24.0.7',
      'default:',
      '  tags: [docker]',
      'include:',
      '  - local: ci/templates.yml',
      '  - local: ci/build.yml',
      '  - local: ci/lonely.yml',
      '',
    ].join('\n'),
    'ci/templates.yml': ['.dind:', '  services:', '    - docker:24.0.7-dind', ''].join('\n'),
    'ci/build.yml': ['build:', '  script:', '    - echo build', ''].join('\n'),
    'ci/lonely.yml': ['lonely:', '  script:', '    - docker info', ''].join('\n'),
    'config.toml': ['[[runners]]', '  name = "one"', '  executor = "docker"', '  [runners.docker]', ''].join('\n'),
  });
}

const plain = (a: Analysis): unknown => JSON.parse(JSON.stringify(a.findings));
const edit = (host: MemoryHost, path: string, from: string, to: string): void => {
  const text = host.files.get(host.abs(path)) ?? '';
  assert.ok(text.includes(from), `${path} holds ${JSON.stringify(from)}`);
  host.set(path, text.replace(from, to));
};
const of = (a: Analysis, rule: string, job: string | null): Finding[] =>
  a.findings.filter((f) => f.ruleId === rule && f.job === job);

test('perf: an edit that leaves the pipeline-wide facts alone reuses the runs that read them', () => {
  const host = workspace();
  const cache = new ParseCache();
  const before = analyze(host, { ...OPTIONS, cache });
  const hidden = of(before, MERGE, 'lonely');
  const dropped = of(before, NO_DAEMON, 'lonely');
  const globals = of(before, MERGE, null);
  assert.equal(hidden.length, 1, 'lonely: dind only in a hidden job it does not extend');
  assert.equal(dropped.length, 1, 'lonely: no daemon, the dropped dind named');
  assert.equal(globals.length, 1, 'the deprecated top-level image is reported');

  edit(host, 'ci/build.yml', 'echo build', 'echo build again');
  const after = analyze(host, { ...OPTIONS, cache });
  assert.deepEqual(plain(after), plain(analyze(host, { ...OPTIONS, shortcuts: false })));
  assert.deepEqual(of(after, MERGE, 'lonely'), hidden);
  assert.ok(of(after, MERGE, 'lonely')[0] === hidden[0], 'the merge-drops run of lonely is reused');
  assert.ok(of(after, NO_DAEMON, 'lonely')[0] === dropped[0], 'the no-daemon run of lonely is reused');
  assert.ok(of(after, MERGE, null)[0] === globals[0], 'the deprecated-global finding is reused');
});

test('perf: an edit to the pipeline-wide facts recomputes the runs that read them', () => {
  const host = workspace();
  const cache = new ParseCache();
  const before = analyze(host, { ...OPTIONS, cache });
  const steps: readonly [string, () => void, (a: Analysis) => void][] = [
    [
      'the hidden template moved down a line',
      () => edit(host, 'ci/templates.yml', '.dind:', '# templates\n.dind:'),
      (a) => assert.notDeepEqual(of(a, MERGE, 'lonely')[0]?.related, of(before, MERGE, 'lonely')[0]?.related),
    ],
    [
      'the hidden template extended by lonely',
      () => edit(host, 'ci/lonely.yml', 'lonely:', 'lonely:\n  extends: .dind'),
      (a) => assert.equal(of(a, MERGE, 'lonely').length, 0),
    ],
    [
      'the deprecated global moved into default:',
      () => {
        edit(host, '.gitlab-ci.yml', 'image: docker:24.0.7\n', '');
        edit(host, '.gitlab-ci.yml', 'default:\n', 'default:\n  image: docker:24.0.7\n');
      },
      (a) => assert.equal(of(a, MERGE, null).length, 0),
    ],
  ];
  for (const [what, change, check] of steps) {
    change();
    const incremental = analyze(host, { ...OPTIONS, cache });
    assert.deepEqual(plain(incremental), plain(analyze(host, { ...OPTIONS, shortcuts: false })), what);
    check(incremental);
  }
});
