import assert from 'node:assert/strict';
import { test } from 'node:test';

import { combineEdits, editsOrEmpty, fixFrom, YamlEditor, type EditResult } from '@engine';

import { FILE } from './helpers';

const ok = (start: number, end: number, newText: string): EditResult => ({
  ok: true,
  edits: [{ file: FILE, span: { start, end }, newText }],
});

test('combineEdits sorts, keeps identical edits once, and refuses overlaps and same-offset insertions', () => {
  const joined = combineEdits(ok(5, 6, 'b'), ok(0, 1, 'a'), ok(5, 6, 'b'));
  assert.ok(joined.ok);
  assert.deepEqual(
    joined.edits.map((e) => e.span.start),
    [0, 5],
  );
  assert.equal(combineEdits(ok(0, 4, 'x'), ok(2, 6, 'y')).ok, false);
  assert.equal(combineEdits(ok(3, 3, 'x'), ok(3, 3, 'y')).ok, false);
  const failure: EditResult = { ok: false, reason: 'no' };
  assert.deepEqual(combineEdits(ok(0, 1, 'a'), failure), failure);
  assert.deepEqual(editsOrEmpty(failure), []);
});

test('fixFrom builds a Fix from results, or nothing when a result failed or nothing changes', () => {
  const text = 'job:\n  image: docker:27-cli\n';
  const ed = YamlEditor.fromText(FILE, text);
  const fix = fixFrom('Pin the image', true, ed.setKey(ed.get(['job']), 'image', 'docker:27.1-cli'));
  assert.equal(fix?.title, 'Pin the image');
  assert.equal(fix?.safe, true);
  assert.equal(fix?.edits.length, 1);
  assert.equal(fixFrom('same', true, ed.setKey(ed.get(['job']), 'image', 'docker:27-cli')), undefined);
  assert.equal(fixFrom('bad', true, ed.removeKey(ed.get(['job']), 'nope')), undefined);
});
