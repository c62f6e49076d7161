import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { buildPipeline, DEFAULT_SETTINGS, ParseCache, SourceStore } from '@engine';

import { MemoryHost } from '../helpers/memory-host';

// Speed is measured by `npm run bench` (BENCHMARKS.md), not asserted here: this checks that a large workspace is modelled
// completely and the same way on every rebuild from the parse cache.
test('scale: 5,000 jobs over 50 files are modelled completely, and identically when rebuilt from the parse cache', (t) => {
  const files: Record<string, string> = {};
  const includes: string[] = [];
  for (let f = 0; f < 50; f++) {
    const jobs: string[] = [
      `.tpl${f}:\n  image: docker:24\n  services:\n    - name: docker:24-dind\n      alias: docker\n  variables:\n    DOCKER_HOST: tcp://docker:2376\n`,
    ];
    for (let j = 0; j < 100; j++) {
      jobs.push(
        `job-${f}-${j}:\n  extends: .tpl${(f + 1) % 50}\n  variables:\n    N: "${j}"\n  script:\n    - !reference [.tpl${f}, variables, DOCKER_HOST]\n    - docker build -t x:${j} .\n`,
      );
    }
    files[`ci/f${f}.yml`] = jobs.join('');
    includes.push(`  - ci/f${f}.yml`);
  }
  files['.gitlab-ci.yml'] = `include:\n${includes.join('\n')}\ndefault:\n  tags: [docker]\n`;
  const host = new MemoryHost(files);
  const cache = new ParseCache();
  const run = (): { ms: number; names: string[] } => {
    const started = performance.now();
    const p = buildPipeline(new SourceStore(host, cache), '/ws/.gitlab-ci.yml', {
      workspaceRoot: '/ws',
      settings: DEFAULT_SETTINGS,
    });
    const ms = performance.now() - started;
    assert.equal(p.jobs.length, 5000);
    assert.deepEqual(p.findings, []);
    const last = p.jobs[4999];
    assert.equal(last?.services[0]?.name.value, 'docker:24-dind');
    assert.deepEqual(last?.tags, ['docker']);
    return { ms, names: p.jobs.map((j) => j.name) };
  };
  const cold = run();
  const warm = run();
  assert.deepEqual(warm.names, cold.names);
  t.diagnostic(`5,000 jobs: cold ${cold.ms.toFixed(0)} ms, rebuilt ${warm.ms.toFixed(0)} ms`);
});
