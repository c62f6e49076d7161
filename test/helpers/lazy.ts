// Lazy fixes must not change what the user gets: a lazy analysis plus `fixesFor` gives, for every finding, the
// findings and fixes of the eager analysis. Used by the rule-case harness (every rule fixture) and test/perf.

import assert from 'node:assert/strict';

import { analyze, fixesFor, type AnalysisOptions, type Finding, type Host } from '@engine';

/** What a finding is without its fixes (lazy findings differ only there). */
function bare(f: Finding): unknown {
  const { fixes: _fixes, deferredFixes: _deferred, ...rest } = f;
  return JSON.parse(JSON.stringify(rest));
}

/**
 * Analyses eagerly and lazily (with and without a warm cache) and asserts the same findings and, through `fixesFor`,
 * the same fixes. Returns how many findings had their fixes deferred.
 */
export function assertLazyEquivalent(host: Host, options: AnalysisOptions, label: string): number {
  const eager = analyze(host, { ...options, fixes: 'eager' });
  const lazy = analyze(host, { ...options, fixes: 'lazy' });
  assert.deepEqual(lazy.findings.map(bare), eager.findings.map(bare), `${label}: lazy mode changed the findings`);
  let deferred = 0;
  lazy.findings.forEach((f, i) => {
    const want: unknown = JSON.parse(JSON.stringify(eager.findings[i]?.fixes ?? []));
    if (f.deferredFixes) {
      deferred++;
      assert.deepEqual(f.fixes, [], `${label}: a deferred finding carries no fixes`);
    }
    assert.deepEqual(JSON.parse(JSON.stringify(fixesFor(lazy, f))), want, `${label}: fixes of ${f.ruleId} differ`);
  });
  return deferred;
}
