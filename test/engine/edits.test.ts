import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import fc from 'fast-check';

import {
  applyEdits,
  applyFixes,
  editsConflict,
  LineIndex,
  planFixes,
  rangedEdit,
  safeFixes,
  type Finding,
  type Fix,
  type TextEdit,
} from '@engine';

const A = '/ws/.gitlab-ci.yml';
const B = '/ws/config.toml';

function edit(file: string, start: number, end: number, newText: string): TextEdit {
  return { file, span: { start, end }, newText };
}

function fix(title: string, ...edits: TextEdit[]): Fix {
  return { title, safe: true, edits };
}

/** Offset of `needle` in `text` (asserting it is there). */
function at(text: string, needle: string): number {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `${needle} in text`);
  return i;
}

describe('applyEdits', () => {
  test('replaces by offset in any order and keeps CRLF line breaks and untouched bytes', () => {
    const text = 'job:\r\n  image: docker:24-cli\r\n  services:\r\n    - docker:24\r\n';
    const s = at(text, 'docker:24\r\n');
    const out = applyEdits(text, [
      edit(A, s + 'docker:24'.length, s + 'docker:24'.length, '-dind'),
      edit(A, at(text, '24-cli'), at(text, '24-cli') + 2, '27'),
    ]);
    assert.equal(out, 'job:\r\n  image: docker:27-cli\r\n  services:\r\n    - docker:24-dind\r\n');
    assert.equal(out.split('\r\n').length, text.split('\r\n').length);
    assert.ok(!/[^\r]\n/.test(out), 'every line break is still CRLF');
  });

  test('leaves the text unchanged when an edit is out of range or edits overlap', () => {
    assert.equal(applyEdits('abc', [edit(A, 2, 9, 'x')]), 'abc');
    assert.equal(applyEdits('abc', [edit(A, 2, 1, 'x')]), 'abc');
    assert.equal(applyEdits('abcdef', [edit(A, 0, 3, 'x'), edit(A, 2, 4, 'y')]), 'abcdef');
  });

  test('matches applying the edits one at a time from the end of the text', () => {
    const arb = fc
      .tuple(
        fc.string({ unit: fc.constantFrom('a', 'é', '😀', '\r\n', '\n', ' '), maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 4 })), { maxLength: 6 }),
      )
      .map(([text, raw]) => {
        // Cut the text at sorted, distinct points into disjoint edits.
        const edits: TextEdit[] = [];
        let floor = 0;
        for (const [a, b, newText] of raw) {
          if (floor > text.length) break;
          const start = floor + (a % (text.length - floor + 1));
          const end = start + (b % (text.length - start + 1));
          edits.push(edit(A, start, end, newText));
          floor = end + 1;
        }
        return { text, edits };
      });
    fc.assert(
      fc.property(arb, ({ text, edits }) => {
        let expected = text;
        for (const e of [...edits].reverse()) {
          expected = expected.slice(0, e.span.start) + e.newText + expected.slice(e.span.end);
        }
        assert.equal(applyEdits(text, [...edits].reverse()), expected);
      }),
    );
  });
});

describe('editsConflict', () => {
  test('shared text and two insertions at one point conflict; touching edits do not', () => {
    assert.equal(editsConflict({ start: 0, end: 3 }, { start: 2, end: 5 }), true);
    assert.equal(editsConflict({ start: 0, end: 3 }, { start: 3, end: 5 }), false);
    assert.equal(editsConflict({ start: 4, end: 4 }, { start: 4, end: 4 }), true);
    assert.equal(editsConflict({ start: 4, end: 4 }, { start: 4, end: 6 }), false);
    assert.equal(editsConflict({ start: 6, end: 6 }, { start: 4, end: 6 }), false);
    assert.equal(editsConflict({ start: 5, end: 5 }, { start: 4, end: 6 }), true);
  });
});

describe('planFixes and applyFixes', () => {
  const texts = new Map([
    [A, 'build:\n  image: docker:24-dind\n'],
    [B, '[[runners]]\r\n  name = "r"\r\n  [runners.docker]\r\n    privileged = false\r\n'],
  ]);
  const yaml = texts.get(A) ?? '';
  const toml = texts.get(B) ?? '';

  test('applies fixes across files and returns only the changed texts', () => {
    const dind = at(yaml, 'dind');
    const falseAt = at(toml, 'false');
    const result = applyFixes(texts, [
      fix('image', edit(A, dind, dind + 4, 'cli')),
      fix('privileged', edit(B, falseAt, falseAt + 5, 'true')),
    ]);
    assert.equal(result.applied.length, 2);
    assert.deepEqual(result.skipped, []);
    assert.equal(result.texts.get(A), 'build:\n  image: docker:24-cli\n');
    assert.equal(result.texts.get(B), toml.replace('false', 'true'));
    assert.ok(result.texts.get(B)?.includes('\r\n  [runners.docker]\r\n'), 'CRLF kept');
  });

  test('a fix is all or nothing: one overlapping edit skips all of its edits', () => {
    const dind = at(yaml, 'dind');
    const falseAt = at(toml, 'false');
    const first = fix('first', edit(A, dind, dind + 4, 'cli'));
    const second = fix('second', edit(B, falseAt, falseAt + 5, 'true'), edit(A, dind + 1, dind + 2, 'X'));
    const result = applyFixes(texts, [first, second]);
    assert.deepEqual(result.applied, [first]);
    assert.deepEqual(result.skipped, [{ fix: second, reason: 'overlap' }]);
    assert.equal(result.texts.has(B), false, 'the skipped fix left the other file alone');
  });

  test('an identical edit offered by two findings is applied once', () => {
    const dind = at(yaml, 'dind');
    const same = edit(A, dind, dind + 4, 'cli');
    const result = applyFixes(texts, [fix('one', same), fix('two', { ...same })]);
    assert.equal(result.applied.length, 2);
    assert.equal(result.texts.get(A), 'build:\n  image: docker:24-cli\n');
  });

  test('two different insertions at the same offset conflict; a fix overlapping itself is skipped', () => {
    const end = yaml.length;
    const a = fix('a', edit(A, end, end, '  tags: [a]\n'));
    const b = fix('b', edit(A, end, end, '  tags: [b]\n'));
    const self = fix('self', edit(B, 0, 4, 'x'), edit(B, 2, 6, 'y'));
    const plan = planFixes([a, b, self], (f) => texts.get(f));
    assert.deepEqual(plan.applied, [a]);
    assert.deepEqual(
      plan.skipped.map((s) => [s.fix.title, s.reason]),
      [
        ['b', 'overlap'],
        ['self', 'overlap'],
      ],
    );
  });

  test('edits outside the file or in an unknown file are skipped with the reason', () => {
    const plan = planFixes(
      [fix('far', edit(A, 0, yaml.length + 1, '')), fix('nowhere', edit('/ws/other.yml', 0, 0, 'x'))],
      (f) => texts.get(f),
    );
    assert.deepEqual(plan.applied, []);
    assert.deepEqual(
      plan.skipped.map((s) => s.reason),
      ['invalid-range', 'unknown-file'],
    );
    assert.equal(plan.edits.size, 0);
  });

  test('accepted edits are grouped by file and sorted by position', () => {
    const plan = planFixes(
      [fix('late', edit(A, 10, 12, 'x')), fix('early', edit(A, 0, 1, 'y')), fix('toml', edit(B, 3, 3, 'z'))],
      (f) => texts.get(f),
    );
    assert.deepEqual(
      plan.edits.get(A)?.map((e) => e.span.start),
      [0, 10],
    );
    assert.equal(plan.edits.get(B)?.length, 1);
  });
});

describe('safeFixes', () => {
  test('takes the first safe fix of each finding and ignores unsafe ones', () => {
    const finding = (fixes: Fix[]): Finding => ({
      ruleId: 'dind/x',
      severity: 'error',
      message: 'm',
      file: A,
      span: { start: 0, end: 0 },
      job: null,
      runner: null,
      related: [],
      fixes,
    });
    const unsafe: Fix = { title: 'unsafe', safe: false, edits: [] };
    const s1 = fix('s1');
    const s2 = fix('s2');
    const s3 = fix('s3');
    assert.deepEqual(safeFixes([finding([unsafe, s1, s2]), finding([unsafe]), finding([s3])]), [s1, s3]);
  });
});

describe('rangedEdit', () => {
  test('gives the same zero-based UTF-16 line/character for CRLF and LF texts', () => {
    const lf = 'a: 1\nb: "é😀中" x\n';
    const crlf = lf.replaceAll('\n', '\r\n');
    const x = (t: string): TextEdit => edit(A, at(t, 'x'), at(t, 'x') + 1, 'y');
    const expected = { range: { start: { line: 1, character: 10 }, end: { line: 1, character: 11 } }, newText: 'y' };
    assert.deepEqual(rangedEdit(new LineIndex(lf), x(lf)), expected);
    assert.deepEqual(rangedEdit(new LineIndex(crlf), x(crlf)), expected);
  });
});
