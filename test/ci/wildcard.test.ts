// GitLab's include wildcards: `**` crosses folders, `*` stays in one, the rest is literal, over the whole path.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyze, DEFAULT_SETTINGS } from '@engine';

import { wildcardMatcher } from '../../server/src/engine/ci/include';
import { MemoryHost } from '../helpers/memory-host';

test('wildcards match as GitLab translates them (** → .*?, * → [^/]*?)', () => {
  const cases: [pattern: string, path: string, expected: boolean][] = [
    ['configs/*.yml', 'configs/a.yml', true],
    ['configs/*.yml', 'configs/sub/a.yml', false],
    ['configs/**.yml', 'configs/sub/deep/a.yml', true],
    ['configs/**.yml', 'configs/a.yml', true],
    ['configs/**/*.yml', 'configs/a.yml', false],
    ['configs/**/*.yml', 'configs/sub/a.yml', true],
    ['ci/job**.yml', 'ci/jobs/b.yml', true],
    ['ci/*', 'ci/', true],
    ['ci/a.yml', 'ci/a.yml', true],
    ['ci/a.yml', 'ci/aXyml', false],
    ['***.yml', 'a/b.yml', true],
  ];
  for (const [pattern, path, expected] of cases) {
    assert.equal(wildcardMatcher(pattern)(path), expected, `${pattern} vs ${path}`);
  }
});

test('a pattern built to make a backtracking regex explode is answered at once', () => {
  const pattern = `ci/${'**a'.repeat(40)}**x.yml`;
  const path = `ci/${'a'.repeat(200)}.yml`;
  assert.equal(wildcardMatcher(pattern)(path), false);
  const host = new MemoryHost({
    '.gitlab-ci.yml': `include:\n  - local: '${pattern}'\n`,
    [`ci/${'a'.repeat(200)}.yml`]: 'a:\n  script: x\n',
  });
  const a = analyze(host, {
    workspaceRoot: '/ws',
    pipelines: ['/ws/.gitlab-ci.yml'],
    runnerConfigs: [],
    settings: DEFAULT_SETTINGS,
  });
  assert.ok(
    a.findings.some((f) => f.ruleId === 'dind/include-error'),
    'no file matches: an include error, not a hang',
  );
});
