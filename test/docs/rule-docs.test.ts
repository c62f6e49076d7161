import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { MODEL_FINDING_LIST, RULES } from '@engine';

import { REPO_ROOT } from '../helpers/paths';

test('docs/rules.md lists every rule and model finding with its current metadata', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'rules.md'), 'utf8');
  for (const r of RULES) {
    const row = doc.split('\n').find((l) => l.includes(`\`${r.meta.id}\``));
    assert.ok(row, `${r.meta.id} is documented (regenerate with node scripts/gen-rule-docs.mjs)`);
    assert.ok(row.includes(`| ${r.meta.defaultSeverity} |`), `${r.meta.id} severity is current`);
    assert.ok(row.includes(r.meta.title), `${r.meta.id} title is current`);
    assert.ok(row.includes(r.meta.docs), `${r.meta.id} docs link is current`);
  }
  for (const m of MODEL_FINDING_LIST) {
    assert.ok(doc.includes(`### ${m.id.replace('dind/', '')}\n`), `${m.id} has its anchor in docs/rules.md`);
  }
});

test('every rule has an id matching its file, catalogue number and GitLab docs link', () => {
  const seen = new Set<string>();
  for (const r of RULES) {
    assert.match(r.meta.id, /^dind\/[a-z0-9-]+$/);
    assert.ok(!seen.has(r.meta.id), `${r.meta.id} is unique`);
    seen.add(r.meta.id);
    assert.match(r.meta.catalogue, /^A\d+$/);
    assert.match(r.meta.docs, /^https:\/\/docs\.gitlab\.com\//);
    assert.ok(r.meta.title.length > 10, `${r.meta.id} has a title`);
    assert.ok('checkJob' in r || 'checkRunner' in r, `${r.meta.id} has a check`);
  }
  assert.equal(RULES.length, 39);
});
