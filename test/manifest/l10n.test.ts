// The manifest and the client speak English and Simplified Chinese: every key in one language exists in the other,
// with the same placeholders, and every client string passed to vscode.l10n.t has a translation.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { REPO_ROOT } from '../helpers/paths';

function json(rel: string): Record<string, string> {
  return JSON.parse(readFileSync(join(REPO_ROOT, rel), 'utf8')) as Record<string, string>;
}

const CJK = /[\u4e00-\u9fff]/;

test('package.nls.zh-cn.json translates every key of package.nls.json, and the manifest uses only known keys', () => {
  const en = json('package.nls.json');
  const zh = json('package.nls.zh-cn.json');
  assert.deepEqual(Object.keys(zh).sort(), Object.keys(en).sort());
  for (const [k, v] of Object.entries(zh)) {
    if (en[k] !== 'GitLab CI DinD') assert.match(v, CJK, `${k} is translated`);
  }
  const manifest = readFileSync(join(REPO_ROOT, 'package.json'), 'utf8');
  const used = [...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1] ?? '');
  assert.ok(used.length > 5);
  assert.deepEqual(
    used.filter((k) => en[k] === undefined),
    [],
    'every %key% in package.json is defined',
  );
});

test('every vscode.l10n.t string of the client has a Simplified Chinese translation with the same placeholders', () => {
  const bundle = json('l10n/bundle.l10n.zh-cn.json');
  const dir = join(REPO_ROOT, 'client', 'src');
  const keys = readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1] ?? ''),
    );
  assert.ok(keys.length >= 10, 'client strings are localised');
  for (const k of keys) {
    const zh = bundle[k];
    assert.ok(zh !== undefined, `translation of ${JSON.stringify(k)}`);
    assert.match(zh, CJK);
    const ph = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
    assert.deepEqual(ph(zh), ph(k), `placeholders of ${JSON.stringify(k)}`);
  }
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { l10n?: string };
  assert.equal(manifest.l10n, './l10n');
});
