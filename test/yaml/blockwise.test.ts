// Block-by-block builds: `ParseCache.ciTree` first parses and converts a pipeline file one top-level block at a time
// (so the parser's structures of one block die young). The result (tree with every span, problems, plainness) must
// equal a full parse and conversion for every text, clean or broken; the risky texts fall back to the full parse.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import fc from 'fast-check';

import { ParseCache } from '@engine';

import { filesUnder } from '../helpers/disk';
import { CORPUS, CORPUS_ABSENT_REASON, CORPUS_PRESENT } from '../helpers/paths';
import { apply, editArb, workloads } from '../helpers/yaml-edits';

const PATH = '/ws/ci/part.yml';

/** The tree a fresh cache builds, and whether it was built block by block. */
function built(text: string): { value: unknown; blockwise: boolean } {
  const cache = new ParseCache();
  const value = cache.ciTree(PATH, text);
  assert.equal(cache.treeStats.full + cache.treeStats.blockwise, 1, 'one build per text');
  return { value, blockwise: cache.treeStats.blockwise === 1 };
}

/** The reference: a full parse and conversion. */
function full(text: string): unknown {
  return new ParseCache({ blockwise: false }).ciTree(PATH, text);
}

test('generated pipelines of every style are built block by block, equal to a full parse', async () => {
  for (const text of await workloads()) {
    const { value, blockwise } = built(text);
    assert.ok(blockwise, `block by block: ${text.slice(0, 60)}`);
    assert.deepStrictEqual(value, full(text));
  }
});

test('the corpus: block by block where it can be, always equal to a full parse', (t) => {
  if (!CORPUS_PRESENT) {
    t.skip(CORPUS_ABSENT_REASON);
    return;
  }
  let blockwise = 0;
  const files = filesUnder(CORPUS, /\.ya?ml$/);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const b = built(text);
    assert.deepStrictEqual(b.value, full(text), file);
    if (b.blockwise) blockwise++;
  }
  // Most corpus files are plain mappings of jobs; a few have headers, anchors of other kinds or tabs.
  assert.ok(blockwise > files.length / 2, `${blockwise} of ${files.length} block by block`);
});

test('randomly edited pipelines and corpus files: a cold build equals a full parse', async () => {
  const bases = await workloads();
  if (CORPUS_PRESENT) bases.push(...filesUnder(CORPUS, /\.ya?ml$/).map((f) => readFileSync(f, 'utf8')));
  let blockwise = 0;
  let fallback = 0;
  fc.assert(
    fc.property(fc.constantFrom(...bases), fc.array(editArb, { minLength: 1, maxLength: 4 }), (base, edits) => {
      const text = edits.reduce(apply, base);
      const b = built(text);
      assert.deepStrictEqual(b.value, full(text), `built from ${JSON.stringify(text)}`);
      if (b.blockwise) blockwise++;
      else fallback++;
    }),
    { numRuns: 1500 },
  );
  assert.ok(blockwise > 100 && fallback > 100, `block by block ${blockwise}, fallback ${fallback}: both exercised`);
});

const BASE = [
  '.tpl:',
  '  image: &img docker:24.0.7',
  '  services: &svc',
  '    - name: docker:24.0.7-dind',
  '      alias: docker',
  'job-a:',
  '  image: *img',
  '  services: *svc',
  '  script: [docker build .]',
  '# a comment between blocks',
  '.other:',
  '  services: &svc [docker:20.10-dind]',
  'job-b:',
  '  services: *svc',
  '  script: [docker build .]',
  '',
].join('\n');

test('aliases to anchors of earlier blocks resolve as in a full parse (the last anchor of a name before them)', () => {
  const cases = [
    BASE,
    `# leading comment\n\n${BASE}`,
    BASE.replace('job-b:\n  services: *svc', 'job-b:\n  services: &svc [x]\n  tags: *svc'),
    BASE.replace('.tpl:', '.tpl: &tpl').concat('job-c:\n  <<: *tpl\n  script: [echo c]\n'),
    BASE.trimEnd(),
    BASE.replace(/\n/g, '\r\n'),
  ];
  for (const text of cases) {
    const b = built(text);
    assert.ok(b.blockwise, JSON.stringify(text));
    assert.deepStrictEqual(b.value, full(text), JSON.stringify(text));
  }
});

test('texts that a block-by-block build could get wrong are parsed whole, with the same result', () => {
  const bomb = ['l0: &l0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= 6; i++)
    bomb.push(
      `l${i}: &l${i} [${Array(10)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  const cases: [string, string][] = [
    ['a document marker', `---\n${BASE}`],
    ['a directive', `%YAML 1.2\n---\n${BASE}`],
    ['a spec header', `spec:\n  inputs:\n    x:\n      default: 1\n---\n${BASE}`],
    ['a duplicate top-level key', `${BASE}job-a:\n  script: [echo again]\n`],
    ['a top-level merge key', `${BASE}<<: {job-z: {script: [echo]}}\n`],
    ['an alias before its anchor', BASE.replace('  image: *img', '  image: *later').concat('x: &later 1\n')],
    ['an indented line before the first key', `  # ok\n  stray: 1\n${BASE}`],
    ['a tab', BASE.replace('  script: [docker build .]', '  script:\t[docker build .]')],
    ['a byte-order mark', `\uFEFF${BASE}`],
    ['an empty key', BASE.replace('job-b:', ':')],
    ['a syntax error', BASE.replace('[docker:20.10-dind]', '[docker:20.10-dind')],
    ['a flow mapping at the root', '{a: 1, b: 2}\n'],
    ['a sequence at the root', '- a\n- b\n'],
    ['an alias bomb over blocks', `${bomb.join('\n')}\n`],
  ];
  for (const [name, text] of cases) {
    const b = built(text);
    assert.equal(b.blockwise, false, `parsed whole: ${name}`);
    assert.deepStrictEqual(b.value, full(text), name);
  }
  // The bomb is reported by the full parse, not hidden by the blocks.
  const bombed = full(`${bomb.join('\n')}\n`) as { problems: { message: string }[] };
  assert.ok(bombed.problems.length > 0);
});

test('a file that did not split into blocks is parsed whole on its next version (no double parse while broken)', () => {
  const cache = new ParseCache();
  const broken = BASE.replace('[docker:20.10-dind]', '[docker:20.10-dind');
  cache.ciTree(PATH, broken);
  cache.ciTree(PATH, broken.replace('job-a:', 'job-aa:'));
  assert.deepStrictEqual(cache.treeStats, { full: 2, blockwise: 0, blocks: 0 });
  // Fixed again: parsed whole once (its last version was broken), and clean from then on, so a later edit that
  // the incremental update cannot serve (a renamed key) is built block by block.
  cache.ciTree(PATH, BASE);
  cache.ciTree(PATH, BASE.replace('job-b:', 'job-bb:'));
  assert.deepStrictEqual(cache.treeStats, { full: 3, blockwise: 1, blocks: 0 });
});
