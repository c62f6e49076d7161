import assert from 'node:assert/strict';
import { test } from 'node:test';

import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';

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

test('LineIndex line starts equal the LSP text document library, with and without CRs', () => {
  const piece = fc.constantFrom('a', 'key: v', '\n', '\r\n', '\r', 'é', '😀', '  ');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
      const text = pieces.join('');
      const idx = new LineIndex(text);
      const doc = TextDocument.create('file:///a.yml', 'yaml', 0, text);
      assert.equal(idx.lineCount, doc.lineCount, JSON.stringify(text));
      for (let line = 0; line < doc.lineCount; line++) {
        assert.equal(idx.lineStart(line), doc.offsetAt({ line, character: 0 }), `${JSON.stringify(text)} line ${line}`);
      }
    }),
    { numRuns: 500 },
  );
});
