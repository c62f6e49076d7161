// Lazy fixes (`fixes: 'lazy'`): the same findings and, through `fixesFor`, the same fixes as an eager analysis, over
// the canonical setups and the corpus; and cached rule runs no longer depend on the text of the job's file, so an
// edit in one job leaves the runs of the other jobs of that file (whose spans did not move) in the cache.

import { strict as assert } from 'node:assert';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

import { analyze, ParseCache, RULES, type AnalysisOptions, type FixMode, type Rule } from '@engine';

import { diskHost, filesUnder } from '../helpers/disk';
import { CANONICAL_SETUPS } from '../helpers/canonical';
import { assertLazyEquivalent } from '../helpers/lazy';
import { MemoryHost } from '../helpers/memory-host';
import { CORPUS, CORPUS_ABSENT_REASON, CORPUS_PRESENT } from '../helpers/paths';

test('lazy fixes: the canonical setups give the eager findings and fixes, cold and with a warm cache', () => {
  let deferred = 0;
  for (const setup of CANONICAL_SETUPS) {
    const host = new MemoryHost({}, '/ws');
    host.set('.gitlab-ci.yml', setup.ci);
    host.set('config.toml', setup.toml);
    const options: AnalysisOptions = {
      workspaceRoot: '/ws',
      pipelines: [host.abs('.gitlab-ci.yml')],
      runnerConfigs: [host.abs('config.toml')],
    };
    deferred += assertLazyEquivalent(host, options, setup.title);
    const cache = new ParseCache();
    assertLazyEquivalent(host, { ...options, cache }, `${setup.title} (cache)`);
    deferred += assertLazyEquivalent(host, { ...options, cache }, `${setup.title} (warm cache)`);
  }
  assert.ok(deferred > 0, 'some canonical findings defer their fixes');
});

const DISK = diskHost();

test(
  'lazy fixes: the corpus gives the eager findings and fixes',
  { skip: CORPUS_PRESENT ? false : CORPUS_ABSENT_REASON },
  () => {
    const pipelines = ['gitlab-templates', 'real-world'].flatMap((d) => filesUnder(join(CORPUS, d), /\.ya?ml$/i));
    const runners = filesUnder(join(CORPUS, 'runner-configs'), /\.toml/);
    let deferred = 0;
    pipelines.forEach((root, i) => {
      const runner = runners[i % runners.length];
      const options = { workspaceRoot: dirname(root), pipelines: [root], runnerConfigs: runner ? [runner] : [] };
      deferred += assertLazyEquivalent(DISK, options, root);
    });
    assert.ok(deferred > 100, `deferred findings compared: ${deferred}`);
  },
);

/**
 * A job whose findings have fixes in its own file (floating `docker:cli`/`docker:dind` tags: pin them). The runner
 * shares the cert volume, so no finding names the runner's other jobs (a message that does depends on them all).
 */
function jobText(name: string, certDir: string): string {
  return [
    `${name}:`,
    '  image: docker:cli',
    '  services:',
    '    - docker:dind',
    '  variables:',
    '    DOCKER_HOST: tcp://docker:2376',
    `    DOCKER_TLS_CERTDIR: "${certDir}"`,
    '  script:',
    '    - docker info',
    '',
  ].join('\n');
}

const RUNNER = [
  '[[runners]]',
  '  name = "r"',
  '  executor = "docker"',
  '  [runners.docker]',
  '    privileged = true',
  '    volumes = ["/certs/client", "/cache"]',
  '',
].join('\n');

/** `checkJob` calls per job name while `body` runs (every rule wrapped, as scripts/bench/work.mjs does). */
function countRuns(body: () => void): Map<string, number> {
  const counts = new Map<string, number>();
  const rules = RULES as unknown as { checkJob?: Rule['checkJob'] }[];
  const originals = rules.map((r) => r.checkJob);
  rules.forEach((rule, i) => {
    const original = originals[i];
    if (!original) return;
    rule.checkJob = function (this: unknown, check, report) {
      counts.set(check.job.name, (counts.get(check.job.name) ?? 0) + 1);
      original.call(this, check, report);
    };
  });
  try {
    body();
  } finally {
    rules.forEach((rule, i) => {
      rule.checkJob = originals[i];
    });
  }
  return counts;
}

/** Re-runs after an edit in the last job's value, per job, in `mode`. */
function runsAfterLastJobEdit(mode: FixMode): Map<string, number> {
  const host = new MemoryHost({}, '/ws');
  const before = jobText('job-a', '/certs') + jobText('job-b', '/certs') + jobText('job-c', '/certs');
  host.set('.gitlab-ci.yml', before);
  host.set('config.toml', RUNNER);
  const options: AnalysisOptions = {
    workspaceRoot: '/ws',
    pipelines: [host.abs('.gitlab-ci.yml')],
    runnerConfigs: [host.abs('config.toml')],
    cache: new ParseCache(),
    fixes: mode,
  };
  const first = analyze(host, options);
  assert.ok(
    first.findings.some((f) => f.job === 'job-a' && (f.fixes.length > 0 || f.deferredFixes)),
    'job-a has findings with fixes',
  );
  host.set('.gitlab-ci.yml', before.replace(/"\/certs"(?![\s\S]*"\/certs")/, '"/certs2"'));
  let edited = first;
  const runs = countRuns(() => {
    edited = analyze(host, options);
  });
  const cold = analyze(host, { ...options, cache: undefined });
  assert.deepEqual(JSON.parse(JSON.stringify(edited.findings)), JSON.parse(JSON.stringify(cold.findings)));
  return runs;
}

test('lazy fixes: an edit in one job keeps the cached rule runs of the other jobs of its file', () => {
  const lazy = runsAfterLastJobEdit('lazy');
  assert.ok((lazy.get('job-c') ?? 0) > 0, 'the edited job is checked again');
  assert.equal(lazy.get('job-a') ?? 0, 0, `job-a re-ran: ${JSON.stringify([...lazy])}`);
  assert.equal(lazy.get('job-b') ?? 0, 0, `job-b re-ran: ${JSON.stringify([...lazy])}`);
  // Eager fixes read the whole file, so there the other jobs' runs are invalidated by the same edit.
  const eager = runsAfterLastJobEdit('eager');
  assert.ok((eager.get('job-a') ?? 0) > 0, `eager: job-a kept its runs: ${JSON.stringify([...eager])}`);
});
