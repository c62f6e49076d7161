// The editor features' texts: every key they render is defined in every language, and every runner schema key and
// table has a Simplified Chinese doc.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { allRunnerTables, LOCALES, MESSAGES } from '@engine';

import { REPO_ROOT } from '../helpers/paths';

test('every features. key the features and the effective-job view render exists in every language', () => {
  const dir = join(REPO_ROOT, 'server', 'src', 'engine', 'features');
  const files = [
    ...readdirSync(dir).map((f) => join(dir, f)),
    join(REPO_ROOT, 'server', 'src', 'engine', 'ci', 'render.ts'),
  ];
  const used = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*[\w.]+,\s*'(features\.[\w.-]+)'/g)) used.add(m[1] ?? '');
    for (const m of text.matchAll(/\b(?:tr|m)\(\s*'([\w.-]+)'/g)) {
      const key = m[1] ?? '';
      used.add(file.endsWith('render.ts') ? `features.render.${key}` : `features.completion.${key}`);
    }
  }
  assert.ok(used.size > 50, `found the keys in use (${used.size})`);
  const missing = [...used].flatMap((k) =>
    LOCALES.filter((l) => MESSAGES.template(l, k) === undefined).map((l) => `${l} ${k}`),
  );
  assert.deepEqual(missing, []);
});

test('every runner schema key and table has a Simplified Chinese doc, and only those', async () => {
  const docs = (await import('../../server/src/engine/runner/schema-docs.zh-cn')) as {
    RUNNER_KEY_DOCS_ZH_CN: Record<string, string>;
    RUNNER_TABLE_DOCS_ZH_CN: Record<string, string>;
  };
  const keys = new Set<string>();
  const tables = new Set<string>();
  for (const t of allRunnerTables()) {
    tables.add(t.path);
    for (const k of t.keys.values()) keys.add(t.path === '' ? k.name : `${t.path}.${k.name}`);
  }
  assert.ok(keys.size > 150, `schema keys: ${keys.size}`);
  const CJK = /[\u4e00-\u9fff]/;
  for (const [paths, zh] of [
    [keys, docs.RUNNER_KEY_DOCS_ZH_CN],
    [tables, docs.RUNNER_TABLE_DOCS_ZH_CN],
  ] as const) {
    assert.deepEqual(
      [...paths].filter((p) => !(p in zh)),
      [],
      'missing Chinese docs',
    );
    assert.deepEqual(
      Object.keys(zh).filter((p) => !paths.has(p)),
      [],
      'Chinese docs of no schema entry',
    );
    for (const p of paths) assert.match(zh[p] ?? '', CJK, p);
  }
});
