import assert from 'node:assert/strict';
import { test } from 'node:test';

import { LineIndex } from '@engine';

test('LineIndex maps offsets to zero-based UTF-16 positions across LF, CRLF and CR', () => {
  const text = 'a: 1\r\nbé: 😀x\nc\rd';
  const idx = new LineIndex(text);
  assert.equal(idx.lineCount, 4);
  assert.deepEqual(idx.positionAt(text.indexOf('b')), { line: 1, character: 0 });
  // The emoji is two UTF-16 code units: 'x' sits at character 6 of "bé: 😀x".
  assert.deepEqual(idx.positionAt(text.indexOf('x')), { line: 1, character: 6 });
  assert.deepEqual(idx.positionAt(text.indexOf('d')), { line: 3, character: 0 });
  // An offset inside "\r\n" clamps to the end of the line's content.
  assert.deepEqual(idx.positionAt(text.indexOf('\n')), { line: 0, character: 4 });
  for (let o = 0; o <= text.length; o++) {
    const p = idx.positionAt(o);
    assert.ok(idx.offsetAt(p) <= o, `round trip at ${o}`);
  }
});
