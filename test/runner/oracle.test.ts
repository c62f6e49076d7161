// Differential oracle: the plain data of the runner model equals what @iarna/toml parses, for every TOML fixture
// and every corpus runner config. Where the two parsers legitimately disagree, the case is documented below.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import TOML from '@iarna/toml';

import { CORPUS_ABSENT_REASON, CORPUS_PRESENT } from '../helpers/paths';
import { corpusConfigs, modelData, parse, tomlFixtures } from './util';

/** Dates as their time value, big integers as numbers (the model keeps TOML integers as JS numbers). */
function normalize(v: unknown): unknown {
  if (v instanceof Date) return { date: v.getTime() };
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, normalize(x)]));
  }
  return v;
}

function check(name: string, text: string): 'same' | 'both-reject' {
  const config = parse(text);
  const ours = config.findings.some((f) => f.ruleId === 'dind/toml-syntax') ? null : modelData(config.root);
  // Known disagreement: @iarna/toml rejects the CR of a CRLF line break that ends a comment ("Control characters
  // are not allowed in comments"); TOML 1.0 allows CRLF everywhere. The oracle reads such files with LF breaks.
  const forOracle = /#[^\n]*\r\n/.test(text) ? text.replace(/\r\n/g, '\n') : text;
  let theirs: unknown = null;
  try {
    theirs = TOML.parse(forOracle);
  } catch {
    theirs = null;
  }
  if (ours === null || theirs === null) {
    assert.equal(ours, theirs, `${name}: one parser rejects the file, the other accepts it`);
    return 'both-reject';
  }
  assert.deepEqual(normalize(ours), normalize(theirs), name);
  return 'same';
}

describe('differential oracle against @iarna/toml', () => {
  test('every TOML fixture', () => {
    const results = tomlFixtures().map(([name, text]) => check(name, text));
    assert.ok(results.filter((r) => r === 'same').length >= 14);
    assert.ok(results.includes('both-reject'), 'B8 (duplicate table) is rejected by both');
  });

  test('every corpus runner config', { skip: CORPUS_PRESENT ? false : CORPUS_ABSENT_REASON }, () => {
    const configs = corpusConfigs();
    assert.ok(configs.length > 20);
    for (const [name, text] of configs) assert.equal(check(name, text), 'same', name);
  });

  test('values of every TOML type, inline tables, dotted keys, arrays of tables', () => {
    const text = [
      'str = "a\\tb"',
      "lit = 'C:\\path'",
      'ml = """',
      'line"""',
      'int = 1_000',
      'hex = 0xff',
      'neg = -7',
      'flt = 6.5e-1',
      'bool = false',
      'odt = 1979-05-27T07:32:00Z',
      'ld = 1979-05-27',
      'arr = [1, [2, 3], { x = 1 }]',
      'a.b.c = "dotted"',
      '[t]',
      'inline = { k = "v", n.m = 2 }',
      '[[t.list]]',
      'i = 0',
      '[[t.list]]',
      'i = 1',
      '',
    ].join('\n');
    assert.equal(check('types', text), 'same');
  });

  test('known disagreements: @iarna/toml rejects a local time without fraction followed by another line', () => {
    const text = 'at = 07:32:00\nnext = 1\n';
    assert.throws(() => TOML.parse(text));
    const config = parse(text);
    assert.deepEqual(
      config.findings.filter((f) => f.ruleId === 'dind/toml-syntax'),
      [],
    );
    assert.ok(config.root.entries.get('at')?.value instanceof Date);
    assert.equal(config.root.entries.get('next')?.value, 1);
  });

  test('known disagreements: @iarna/toml rejects a CRLF line break after a comment', () => {
    const text = '# comment\r\nconcurrent = 1\r\n';
    assert.throws(() => TOML.parse(text));
    assert.deepEqual(parse(text).findings, []);
    assert.equal(parse(text).root.entries.get('concurrent')?.value, 1);
  });

  test('known disagreements: integers beyond 2^53 are JS numbers in the model (bigint in @iarna/toml)', () => {
    const text = 'id = 9223372036854775807\n';
    const big = TOML.parse(text)['id'];
    assert.equal(typeof big, 'bigint');
    assert.equal(parse(text).root.entries.get('id')?.value, Number(big));
  });
});
