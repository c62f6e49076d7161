// Job facts are shared for a bounded number of (job, runner) pairs (`MAX_SHARED_FACT_PAIRS`). A workspace with more
// pairs than that, whose runner rules walk every job on every runner, must give the findings of an analysis without
// any sharing, cold and after an edit.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { analyze, MAX_SHARED_FACT_PAIRS, ParseCache, type Analysis } from '@engine';

import { MemoryHost } from '../helpers/memory-host';

const OPTIONS = { workspaceRoot: '/ws', pipelines: ['/ws/.gitlab-ci.yml'], runnerConfigs: ['/ws/config.toml'] };
const JOBS = 40;
// At least two runners: one with the certificates volume and one without.
const RUNNERS = Math.max(2, Math.ceil((MAX_SHARED_FACT_PAIRS * 1.2) / JOBS));

function workspace(): MemoryHost {
  const jobs = Array.from({ length: JOBS }, (_, i) =>
    [
      `job-${i}:`,
      '  image: docker:24.0.7',
      '  services:',
      '    - docker:24.0.7-dind',
      '  variables:',
      '    DOCKER_HOST: tcp://docker:2376',
      '    DOCKER_TLS_CERTDIR: "/certs"',
      `    HTTPS_PROXY: http://proxy-${i % 3}:3128`,
      '  script:',
      `    - docker build -t app-${i} .`,
      '',
    ].join('\n'),
  );
  // Half the runners share the certificates volume, half do not; none exempts the daemon from the proxy.
  const runners = Array.from({ length: RUNNERS }, (_, i) =>
    [
      '[[runners]]',
      `  name = "runner-${i}"`,
      '  executor = "docker"',
      '  [runners.docker]',
      '    privileged = true',
      i % 2 === 0 ? '    volumes = ["/certs/client", "/cache"]' : '    volumes = ["/cache"]',
      '',
    ].join('\n'),
  );
  return new MemoryHost({ '.gitlab-ci.yml': jobs.join('\n'), 'config.toml': runners.join('\n') });
}

const plain = (a: Analysis): unknown => JSON.parse(JSON.stringify(a.findings));

test('perf: more (job, runner) pairs than shared facts: findings equal an analysis without sharing', () => {
  assert.ok(JOBS * RUNNERS > MAX_SHARED_FACT_PAIRS);
  const host = workspace();
  const cache = new ParseCache();
  const shared = analyze(host, { ...OPTIONS, cache });
  const alone = analyze(host, { ...OPTIONS, shortcuts: false });
  assert.deepEqual(plain(shared), plain(alone));
  const rules = new Set(shared.findings.map((f) => f.ruleId));
  assert.ok(rules.has('dind/proxy-no-proxy'), 'runner rules walk every job: proxy findings');
  assert.ok(rules.has('dind/tls-certs-volume-missing'), 'TLS findings on the runners without the volume');

  const text = host.files.get(host.abs('.gitlab-ci.yml')) ?? '';
  host.set('.gitlab-ci.yml', text.replace('HTTPS_PROXY: http://proxy-1:3128', 'NO_PROXY: docker'));
  assert.deepEqual(plain(analyze(host, { ...OPTIONS, cache })), plain(analyze(host, { ...OPTIONS, shortcuts: false })));
});
