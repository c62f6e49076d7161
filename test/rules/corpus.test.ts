// The rules over real configurations: GitLab's own CI templates checked against the canonical TLS runner (spec B2),
// and public real-world pipelines. No crash anywhere, and every error finding on a GitLab template is a true problem,
// explained here. (Findings per rule over the whole corpus: `node scripts/corpus-report.mjs`, table in the README.)

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { analyze, DEFAULT_SETTINGS } from '@engine';

import { diskHost, filesUnder } from '../helpers/disk';
import { B2 as CANONICAL_B2, withRunnerKeys } from '../helpers/canonical';
import { CORPUS, CORPUS_ABSENT_REASON, CORPUS_PRESENT } from '../helpers/paths';

const B2_FILE = '/__b2__/config.toml';
const B2 = withRunnerKeys(CANONICAL_B2.toml, { name: 'tls-docker-runner' });

const host = diskHost({ [B2_FILE]: B2 });

/** Every error finding on a GitLab template, with why it is a true problem. Key: `template|rule|job`. */
const EXPLAINED: Record<string, string> = {
  'Android-Fastlane.gitlab-ci.yml|dind/client-daemon-version-skew|ensureContainer':
    'image docker:stable is Docker 19.03 (API 1.40) while the floating docker:dind service is now Engine 29, which ' +
    'rejects clients older than API 1.44 ("client version 1.40 is too old").',
  'Android-Fastlane.gitlab-ci.yml|dind/client-daemon-version-skew|updateContainer':
    'same template job family (.updateContainerJob): docker:stable client against a floating docker:dind daemon.',
  'Chef.gitlab-ci.yml|dind/tls-port-mismatch|chefspec':
    'DOCKER_HOST: tcp://docker:2375 with docker:dind and no DOCKER_TLS_CERTDIR: the dind image serves TLS on 2376 by ' +
    'default since 19.03, so the job gets "Cannot connect to the Docker daemon at tcp://docker:2375".',
  'Chef.gitlab-ci.yml|dind/tls-port-mismatch|cookstyle': 'same global DOCKER_HOST as chefspec.',
};

test('GitLab CI templates with the B2 runner: no crash, and every error finding is an explained true problem', (t) => {
  if (!CORPUS_PRESENT) {
    t.skip(CORPUS_ABSENT_REASON);
    return;
  }
  const dir = join(CORPUS, 'gitlab-templates');
  const files = filesUnder(dir, /\.ya?ml$/);
  assert.ok(files.length >= 50, 'the templates are there');
  const seen = new Set<string>();
  const unexplained: string[] = [];
  for (const file of files) {
    const a = analyze(host, {
      workspaceRoot: dir,
      pipelines: [file],
      runnerConfigs: [B2_FILE],
      settings: DEFAULT_SETTINGS,
    });
    const rel = file.slice(dir.length + 1);
    assert.deepEqual(
      a.findings.filter((f) => f.ruleId === 'dind/internal-error').map((f) => f.message),
      [],
      `${rel}: no internal error`,
    );
    for (const f of a.findings.filter((x) => x.severity === 'error')) {
      const key = `${rel}|${f.ruleId}|${f.job ?? ''}`;
      seen.add(key);
      if (!EXPLAINED[key]) unexplained.push(`${key}: ${f.message}`);
    }
  }
  assert.deepEqual(unexplained, [], 'error findings without an explanation (a false positive, or explain it)');
  assert.deepEqual(
    Object.keys(EXPLAINED).filter((k) => !seen.has(k)),
    [],
    'every explained true problem is still found',
  );
});

test('real-world pipelines: no crash, and each analysis finishes in bounded time', (t) => {
  if (!CORPUS_PRESENT) {
    t.skip(CORPUS_ABSENT_REASON);
    return;
  }
  const dir = join(CORPUS, 'real-world');
  const files = filesUnder(dir, /\.ya?ml$/);
  assert.ok(files.length >= 30);
  for (const file of files) {
    const workspaceRoot = join(dir, file.slice(dir.length + 1).split('/')[0] ?? '');
    for (const settings of [DEFAULT_SETTINGS, { ...DEFAULT_SETTINGS, assumeRunner: 'gitlab-saas' as const }]) {
      const started = performance.now();
      const a = analyze(host, { workspaceRoot, pipelines: [file], runnerConfigs: [], settings });
      const ms = performance.now() - started;
      assert.deepEqual(
        a.findings.filter((f) => f.ruleId === 'dind/internal-error').map((f) => f.message),
        [],
        `${file}: no internal error`,
      );
      assert.ok(ms < 10_000, `${file} analysed in ${ms.toFixed(0)} ms`);
    }
  }
});
