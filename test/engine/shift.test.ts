// The changed region of two texts (what the incremental parse and the moved positions are built on).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import fc from 'fast-check';

import { changedRegion } from '../../server/src/engine/shift';

/** The reference: character by character. */
function naive(before: string, after: string): ReturnType<typeof changedRegion> {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before[start] === after[start]) start++;
  let suffix = 0;
  while (suffix < max - start && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  return { start, oldEnd: before.length - suffix, delta: after.length - before.length };
}

test('changedRegion equals a character-by-character comparison, across chunk boundaries', () => {
  const base = fc
    .array(fc.constantFrom('a', 'b', '\n', ' ', 'é'), { minLength: 0, maxLength: 5000 })
    .map((a) => a.join(''));
  fc.assert(
    fc.property(base, fc.nat(), fc.nat({ max: 3000 }), fc.string({ maxLength: 20 }), (text, at, remove, insert) => {
      const i = at % (text.length + 1);
      const edited = text.slice(0, i) + insert + text.slice(i + remove);
      assert.deepEqual(changedRegion(text, edited), naive(text, edited));
      assert.deepEqual(changedRegion(edited, text), naive(edited, text));
    }),
    { numRuns: 400 },
  );
  // Long equal runs around a one-character change at every distance from a chunk boundary.
  const long = 'x'.repeat(4096);
  for (const i of [0, 1, 1023, 1024, 1025, 2048, 4095, 4096]) {
    const edited = `${long.slice(0, i)}y${long.slice(i)}`;
    assert.deepEqual(changedRegion(long, edited), naive(long, edited), `insert at ${i}`);
  }
});
