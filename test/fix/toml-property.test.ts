import assert from 'node:assert/strict';
import { test } from 'node:test';

import TOML from '@iarna/toml';
import fc from 'fast-check';

import { TomlEditor, type EditResult, type TomlEditValue } from '@engine';

import { apply, assertUntouchedLines, clone, runnerTable, TOML_FILE, tomlData, tomlModel } from './helpers';

type Data = Record<string, unknown>;

const pathArb = fc.stringMatching(/^\/[a-z]{1,6}(\/[a-z]{1,4})?$/);
const stringArb = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom('docker:24-dind', 'é😀', 'a "q"', "it's", 'back\\slash'),
);
const scalarArb: fc.Arbitrary<TomlEditValue> = fc.oneof(stringArb, fc.integer({ min: -5, max: 500 }), fc.boolean());
const valueArb: fc.Arbitrary<TomlEditValue> = fc.oneof(scalarArb, fc.array(stringArb, { maxLength: 3 }));
const keyArb = fc.constantFrom(
  'privileged',
  'volumes',
  'image',
  'services_privileged',
  'tls_verify',
  'odd key',
  'pull_policy',
);

const runnerArb = fc.record(
  {
    name: stringArb,
    executor: fc.constantFrom('docker', 'kubernetes', 'shell'),
    docker: fc.record(
      { privileged: fc.boolean(), volumes: fc.array(pathArb, { maxLength: 3 }), image: stringArb },
      { requiredKeys: [] },
    ),
    kubernetes: fc.record({ namespace: stringArb }),
  },
  { requiredKeys: ['name', 'executor'] },
);

const configArb = fc.record({
  data: fc.record({
    concurrent: fc.integer({ min: 1, max: 10 }),
    runners: fc.array(runnerArb, { minLength: 1, maxLength: 3 }),
  }),
  crlf: fc.boolean(),
  multiLineArrays: fc.boolean(),
});

/** TOML text for the data (@iarna/toml), optionally with one-item-per-line arrays and CRLF line breaks. */
function render(c: { data: Data; crlf: boolean; multiLineArrays: boolean }): string {
  let text = TOML.stringify(c.data as TOML.JsonMap);
  if (c.multiLineArrays) {
    text = text.replace(/^( *)(volumes) = \[ (.+) \]$/gm, (_m, indent: string, key: string, items: string) => {
      const lines = items.split(', ').map((item) => `${indent}  ${item},`);
      return `${indent}${key} = [\n${lines.join('\n')}\n${indent}]`;
    });
  }
  return c.crlf ? text.replace(/\n/g, '\r\n') : text;
}

const opArb = fc.record({
  kind: fc.constantFrom('set', 'append', 'removeItem', 'removeKey', 'flag', 'emptyDir'),
  runner: fc.nat(),
  pick: fc.nat(),
  key: keyArb,
  value: valueArb,
  path: pathArb,
  flag: fc.boolean(),
});

test('property: random set/append/remove/add-table operations on config.toml re-parse and change exactly the target', () => {
  fc.assert(
    fc.property(configArb, opArb, (c, op) => {
      const text = render(c);
      const data = tomlData(text) as Data;
      const ed = new TomlEditor(TOML_FILE, text);
      const root = tomlModel(text);
      const runners = data['runners'] as Data[];
      const ri = op.runner % runners.length;
      const runnerData = runners[ri]!;
      const table = runnerTable(root, ri);
      const docker = table.tables.get('docker');
      const expected = clone(data);
      const target = (expected['runners'] as Data[])[ri]!;
      const dockerData = (): Data => (target['docker'] ??= {}) as Data;
      let result: EditResult;
      const volumes = runnerData['docker'] && (runnerData['docker'] as Data)['volumes'];
      if (op.kind === 'append' && docker && Array.isArray(volumes)) {
        result = ed.appendToArray(docker, 'volumes', op.path);
        (dockerData()['volumes'] as string[]).push(op.path);
      } else if (op.kind === 'removeItem' && docker && Array.isArray(volumes) && volumes.length > 0) {
        const i = op.pick % volumes.length;
        result = ed.removeArrayItem(docker, 'volumes', i);
        (dockerData()['volumes'] as string[]).splice(i, 1);
      } else if (op.kind === 'removeKey' && docker && docker.entries.size > 0) {
        const keys = [...docker.entries.keys()];
        const k = keys[op.pick % keys.length]!;
        result = ed.removeKey(docker, k);
        delete dockerData()[k];
      } else if (op.kind === 'flag') {
        result = ed.setInTable(table, ['feature_flags'], { FF_NETWORK_PER_BUILD: op.flag });
        target['feature_flags'] = { FF_NETWORK_PER_BUILD: op.flag };
      } else if (op.kind === 'emptyDir') {
        const values = { name: 'docker-certs', mount_path: op.path, medium: 'Memory' };
        result = ed.addTable(table, ['kubernetes', 'volumes', 'empty_dir'], values, { array: true });
        const k8s = (target['kubernetes'] ??= {}) as Data;
        k8s['volumes'] = { empty_dir: [values] };
      } else {
        result = ed.setInTable(table, ['docker'], { [op.key]: op.value });
        dockerData()[op.key] = op.value;
      }
      const after = apply(text, result, TOML_FILE);
      assert.deepEqual(tomlData(after), expected, `before:\n${text}\nafter:\n${after}`);
      assertUntouchedLines(text, after, result);
    }),
    { numRuns: 400 },
  );
});
