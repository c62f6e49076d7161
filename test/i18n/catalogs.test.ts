// Every message exists in English and Simplified Chinese with the same placeholders, every key the sources use is
// defined, and each rule's keys are namespaced by the rule's name.

import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

import { CORE_CATALOGS, LOCALES, MESSAGES, RULES, msg, normalizeLocale, placeholders, type Catalogs } from '@engine';

import { REPO_ROOT } from '../helpers/paths';

function checkCatalogs(owner: string, c: Catalogs): void {
  const en = Object.keys(c.en).sort();
  for (const locale of LOCALES) {
    assert.deepEqual(Object.keys(c[locale]).sort(), en, `${owner}: ${locale} has exactly the English keys`);
    for (const k of en) {
      assert.ok((c[locale][k] ?? '').trim().length > 0, `${owner}: ${locale} ${k} is not empty`);
      assert.deepEqual(
        placeholders(c[locale][k] ?? ''),
        placeholders(c.en[k] ?? ''),
        `${owner}: ${locale} ${k} has the English placeholders`,
      );
    }
  }
}

test('rule catalogues: same keys and placeholders in every language, namespaced by the rule', () => {
  for (const r of RULES) {
    if (!r.messages) continue;
    checkCatalogs(r.meta.id, r.messages);
    const prefix = `${r.meta.id.replace('dind/', '')}.`;
    for (const k of Object.keys(r.messages.en)) assert.ok(k.startsWith(prefix), `${k} starts with ${prefix}`);
  }
});

test('core catalogues: same keys and placeholders in every language', () => {
  CORE_CATALOGS.forEach((c, i) => checkCatalogs(`core catalogue ${i}`, c));
});

test('a missing placeholder or language is caught (the check can fail)', () => {
  const bad: Catalogs = { en: { 'x.a': 'Port {port}' }, 'zh-cn': { 'x.a': '端口' } };
  assert.throws(() => checkCatalogs('bad', bad));
  const missing = { en: { 'x.a': 'A', 'x.b': 'B' }, 'zh-cn': { 'x.a': '甲' } } as unknown as Catalogs;
  assert.throws(() => checkCatalogs('missing', missing));
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

test('every message key used in the sources is defined in every language', () => {
  const missing: string[] = [];
  for (const file of sourceFiles(join(REPO_ROOT, 'server', 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bmsg\(\s*'([a-z0-9-]+\.[A-Za-z0-9_.-]+)'/g)) {
      const key = m[1] ?? '';
      for (const locale of LOCALES) {
        if (MESSAGES.template(locale, key) === undefined)
          missing.push(`${relative(REPO_ROOT, file)}: ${locale} ${key}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test('rendering substitutes nested messages and falls back to English', () => {
  const key = MESSAGES.keys('en')[0];
  if (key !== undefined) {
    assert.notEqual(MESSAGES.render('zh-cn', msg(key)), key, 'a defined key renders to text');
  }
  assert.equal(MESSAGES.render('zh-cn', msg('no-such.key')), 'no-such.key');
  assert.equal(normalizeLocale('zh-CN'), 'zh-cn');
  assert.equal(normalizeLocale('zh-Hans'), 'zh-cn');
  assert.equal(normalizeLocale('de'), 'en');
  assert.equal(normalizeLocale(undefined), 'en');
});
