// The canonical configurations of the spec's section B (GitLab's documented setups) must produce no error finding.
// The setups come from test/helpers/canonical.ts, in the shape the docs intend (B8's header merged, B9 with the
// "/certs/client" volume); B12 is a documented example that trips several rules on purpose and is not canonical.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { CANONICAL_SETUPS } from '../helpers/canonical';
import { analyzeCase } from '../helpers/rule-cases';

for (const { title, ci, toml } of CANONICAL_SETUPS) {
  test(`canonical ${title}: no error finding`, () => {
    const { analysis } = analyzeCase({ files: { '.gitlab-ci.yml': ci, 'gitlab-runner/config.toml': toml } });
    const errors = analysis.findings.filter((f) => f.severity === 'error');
    assert.deepEqual(
      errors.map((f) => `${f.ruleId} ${f.job ?? ''}: ${f.message}`),
      [],
    );
    assert.ok((analysis.pipelines[0]?.jobs.length ?? 0) > 0, 'the pipeline was modelled with its jobs');
    assert.ok((analysis.runnerConfigs[0]?.runners.length ?? 0) > 0, 'the runner config was modelled with its runners');
  });
}
