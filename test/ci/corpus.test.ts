// Builds the pipeline of every YAML file in the shared corpus (GitLab's own templates and real-world projects), each
// file as its own root with its folder as the workspace root: no exception, bounded time.

import { strict as assert } from 'node:assert';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

import { buildPipeline, DEFAULT_SETTINGS, SourceStore } from '@engine';

import { diskHost, filesUnder } from '../helpers/disk';
import { CORPUS, CORPUS_ABSENT_REASON, CORPUS_PRESENT } from '../helpers/paths';

/** Per-file bound; generous because CI machines are slow. */
const MAX_MS_PER_FILE = 10_000;

test(
  'corpus: every template and real-world pipeline builds without exception in bounded time',
  { skip: CORPUS_PRESENT ? false : CORPUS_ABSENT_REASON },
  (t) => {
    const files = ['gitlab-templates', 'real-world'].flatMap((d) => filesUnder(join(CORPUS, d), /\.ya?ml$/i));
    assert.ok(files.length > 0, 'the corpus holds YAML files');
    let max = { ms: 0, file: '' };
    let jobs = 0;
    for (const file of files) {
      const root = file.replaceAll('\\', '/');
      const started = performance.now();
      const pipeline = buildPipeline(new SourceStore(diskHost()), root, {
        workspaceRoot: dirname(root),
        settings: DEFAULT_SETTINGS,
      });
      const ms = performance.now() - started;
      if (ms > max.ms) max = { ms, file: root.slice(CORPUS.length + 1) };
      assert.ok(ms < MAX_MS_PER_FILE, `${root} built in ${ms.toFixed(0)} ms`);
      assert.ok(!pipeline.findings.some((f) => f.ruleId === 'dind/internal-error'), root);
      jobs += pipeline.jobs.length;
    }
    t.diagnostic(`${files.length} files, ${jobs} jobs; slowest ${max.file} in ${max.ms.toFixed(1)} ms`);
    assert.ok(jobs > files.length, 'the corpus pipelines define jobs');
  },
);
