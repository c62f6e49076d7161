// Aliases resolve as YAML defines them (the last anchor of that name before the alias), found in one walk of the
// document: the model's merged jobs equal what the `yaml` library itself loads, for anchors redefined, shadowed,
// nested and used as merge keys.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import fc from 'fast-check';
import { parse } from 'yaml';

import { jobData } from '@engine';

import { build } from './util';

/** The jobs of a pipeline file as `yaml` loads them (hidden keys and the merge key resolved). */
function loaded(text: string): Record<string, unknown> {
  const data = parse(text, { merge: true, maxAliasCount: -1 }) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith('.')));
}

function modelled(text: string): Record<string, unknown> {
  const built = build({ '.gitlab-ci.yml': text });
  return Object.fromEntries(built.pipeline.jobs.map((j) => [j.name, jobData(j)]));
}

const CASES: readonly [string, string][] = [
  [
    'an anchor redefined: each alias takes the one before it',
    [
      '.a: &t',
      '  image: one',
      'job-1:',
      '  <<: *t',
      '  script: [x]',
      '.b: &t',
      '  image: two',
      'job-2:',
      '  <<: *t',
      '  script: [x]',
    ].join('\n'),
  ],
  [
    'nested anchors and aliases inside sequences',
    [
      '.v: &vars',
      '  A: "1"',
      '  B: &b "2"',
      'job:',
      '  variables:',
      '    <<: *vars',
      '    C: *b',
      '  script: [&s echo, *s]',
    ].join('\n'),
  ],
  [
    'an anchor defined on a job and used by a later job',
    ['first: &first', '  image: alpine', '  script: [a]', 'second:', '  <<: *first', '  script: [b]'].join('\n'),
  ],
];

for (const [name, text] of CASES) {
  test(`anchors: ${name}`, () => {
    assert.deepEqual(modelled(text), loaded(text));
  });
}

test('anchors: random redefinitions resolve like the yaml library', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(2), fc.nat(2), fc.boolean()), { minLength: 1, maxLength: 12 }), (steps) => {
      const lines: string[] = [];
      const defined = new Set<number>();
      steps.forEach(([anchor, value, define], i) => {
        if (define || !defined.has(anchor)) {
          defined.add(anchor);
          lines.push(`.t${i}: &a${anchor}`, `  image: img-${value}-${i}`);
        } else {
          lines.push(`job-${i}:`, `  <<: *a${anchor}`, '  script: [x]');
        }
      });
      const text = lines.join('\n');
      assert.deepEqual(modelled(text), loaded(text));
    }),
    { numRuns: 200, seed: 11 },
  );
});
