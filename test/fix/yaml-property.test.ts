import assert from 'node:assert/strict';
import { test } from 'node:test';

import fc from 'fast-check';
import { Document, isCollection, isScalar, visit, Scalar } from 'yaml';

import { isPlainSafe, yamlScalar, YamlEditor, type EditResult, type EditValue } from '@engine';

import { apply, assertUntouchedLines, clone, FILE, yamlData } from './helpers';

type Data = Record<string, unknown>;

const keyArb = fc.oneof(
  fc.constantFrom('a', 'b', 'image', 'variables', 'services', 'DOCKER_HOST', 'on', 'my key', 'é'),
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,5}$/),
);
const stringArb = fc.oneof(
  fc.constantFrom(
    '',
    'true',
    '2375',
    'docker:24-dind',
    'tcp://docker:2376',
    'a: b',
    'x #y',
    "it's",
    'é😀',
    '- x',
    '[a]',
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
const scalarArb: fc.Arbitrary<string | number | boolean | null> = fc.oneof(
  stringArb,
  fc.integer({ min: -1000, max: 100000 }),
  fc.boolean(),
  fc.constant(null),
);
const valueArb: fc.Arbitrary<EditValue> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalarArb, tie('seq'), tie('map')),
  seq: fc.array(fc.oneof(scalarArb, tie('map')), { minLength: 1, maxLength: 3 }),
  map: fc.dictionary(keyArb, tie('value'), { minKeys: 1, maxKeys: 4 }),
})).value as fc.Arbitrary<EditValue>;

const docArb = fc.record({
  data: fc.dictionary(keyArb, valueArb, { minKeys: 1, maxKeys: 5 }),
  indent: fc.constantFrom(2, 4),
  crlf: fc.boolean(),
  flowSeed: fc.integer({ min: 0, max: 1000 }),
  commentSeed: fc.integer({ min: 0, max: 1000 }),
  quoteSeed: fc.integer({ min: 0, max: 1000 }),
});

/** Writes random data as YAML with a mix of flow and block collections, comments and quote styles. */
interface RenderOptions {
  readonly data: Data;
  readonly indent: number;
  readonly crlf: boolean;
  readonly flowSeed: number;
  readonly commentSeed: number;
  readonly quoteSeed: number;
}

function render(d: RenderOptions): string {
  const doc = new Document(d.data);
  let n = 0;
  visit(doc, {
    Node(_k, node) {
      n++;
      if (isCollection(node) && (d.flowSeed + n) % 4 === 0) node.flow = true;
      if ((d.commentSeed + n) % 5 === 0) node.comment = ' note';
      if (isScalar(node) && typeof node.value === 'string' && (d.quoteSeed + n) % 3 === 0)
        node.type = Scalar.QUOTE_SINGLE;
    },
  });
  const text = doc.toString({ indent: d.indent, lineWidth: 0 });
  return d.crlf ? text.replace(/\n/g, '\r\n') : text;
}

type Path = (string | number)[];

/** Every mapping and sequence in the data, with its path. */
function collections(data: unknown, path: Path = []): { path: Path; value: Data | unknown[] }[] {
  if (data === null || typeof data !== 'object') return [];
  const here = [{ path, value: data as Data | unknown[] }];
  const entries = Array.isArray(data) ? data.map((v, i) => [i, v] as const) : Object.entries(data);
  return [...here, ...entries.flatMap(([k, v]) => collections(v, [...path, k]))];
}

function at(data: unknown, path: Path): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], data);
}

const opArb = fc.record({
  kind: fc.constantFrom('set', 'remove', 'append', 'insert', 'toMapping', 'variable'),
  pick: fc.nat(),
  key: keyArb,
  value: valueArb,
  scalar: scalarArb,
  before: fc.boolean(),
});

test('property: random set/remove/append/insert operations re-parse and change exactly the target', () => {
  fc.assert(
    fc.property(docArb, opArb, (d, rawOp) => {
      // fast-check builds dictionaries without a prototype; compare against ordinary objects.
      const op = { ...rawOp, value: JSON.parse(JSON.stringify(rawOp.value)) as EditValue };
      const text = render(d);
      const data = yamlData(text)[0] as Data;
      const cols = collections(data);
      const target = cols[op.pick % cols.length]!;
      const ed = YamlEditor.fromText(FILE, text);
      const node = ed.get(target.path, ed.root);
      const expected = clone(data);
      const value = at(expected, target.path) as Data | unknown[];
      let result: EditResult;
      if (Array.isArray(value)) {
        const i = op.pick % value.length;
        if (op.kind === 'remove') {
          result = ed.removeItem(node, i);
          value.splice(i, 1);
        } else if (op.kind === 'insert') {
          result = ed.insertItem(node, i, op.value, op.before ? 'before' : 'after');
          value.splice(op.before ? i : i + 1, 0, op.value);
        } else if (op.kind === 'toMapping' && typeof value[i] === 'string' && value[i] !== '') {
          const extraKey = op.key === 'name' ? 'alias' : op.key;
          result = ed.setItemKeys(node, i, { [extraKey]: op.scalar });
          value[i] = { name: value[i], [extraKey]: op.scalar };
        } else {
          result = ed.appendItem(node, op.value);
          value.push(op.value);
        }
      } else {
        const keys = Object.keys(value);
        if (op.kind === 'remove') {
          const k = keys[op.pick % keys.length]!;
          result = ed.removeKey(node, k);
          delete value[k];
        } else if (op.kind === 'variable') {
          const vars = value['variables'];
          if (vars !== undefined && vars !== null && (typeof vars !== 'object' || Array.isArray(vars))) return;
          const varsMap = (vars ?? {}) as Data;
          const cur = varsMap[op.key];
          result = ed.setVariable(node, op.key, op.scalar);
          if (cur !== null && typeof cur === 'object' && !Array.isArray(cur)) (cur as Data)['value'] = op.scalar;
          else value['variables'] = { ...varsMap, [op.key]: op.scalar };
        } else {
          result = ed.setKey(node, op.key, op.value);
          value[op.key] = mergeInto(value[op.key], op.value);
        }
      }
      const after = apply(text, result);
      assert.deepEqual(yamlData(after)[0], expected, `before:\n${text}\nafter:\n${after}`);
      assertUntouchedLines(text, after, result);
    }),
    { numRuns: 400 },
  );
});

/** What `setKeys` does with an object value over an existing mapping: merge key by key. */
function mergeInto(current: unknown, value: EditValue): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if (current === null || typeof current !== 'object' || Array.isArray(current)) return value;
  const out = { ...(current as Data) };
  for (const [k, v] of Object.entries(value)) out[k] = mergeInto(out[k], v);
  return out;
}

test('property: yamlScalar text reads back as the same value in block and flow context', () => {
  fc.assert(
    fc.property(
      scalarArb,
      fc.constantFrom<('plain' | 'single' | 'double')[]>('plain', 'single', 'double'),
      fc.boolean(),
      (v, style, flow) => {
        const s = yamlScalar(v, style, flow);
        const parsed = yamlData(flow ? `k: [${s}]\n` : `k: ${s}\n`)[0] as Data;
        assert.deepEqual(flow ? (parsed['k'] as unknown[])[0] : parsed['k'], v);
        if (typeof v === 'string' && style === 'plain' && s === v) assert.ok(isPlainSafe(v, flow));
      },
    ),
    { numRuns: 500 },
  );
});
