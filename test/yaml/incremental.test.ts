// Incremental YAML: after an edit inside one top-level block, `ParseCache.ciTree` re-parses only that block. Its
// result (tree with every span, convert problems, syntax problems) must equal a full parse and conversion of the new
// text after every edit of random edit sequences, over generated pipelines and the shared corpus; blocks before the
// edit keep their entry objects; and the risky cases fall back to the full parse.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import fc from 'fast-check';
import { isMap, isScalar, isSeq } from 'yaml';

import { hiddenServiceLists, ParseCache, parseYaml, SourceStore, type HiddenServices } from '@engine';

import { filesUnder } from '../helpers/disk';
import { MemoryHost } from '../helpers/memory-host';
import { CORPUS, CORPUS_ABSENT_REASON, CORPUS_PRESENT } from '../helpers/paths';
import { apply, editArb, workloads, type Edit } from '../helpers/yaml-edits';

const PATH = '/ws/ci/part.yml';

/** A full parse and conversion of `text`, with nothing cached (the reference: never block by block). */
function full(text: string): unknown {
  return new ParseCache({ blockwise: false }).ciTree(PATH, text);
}

/** Applies `edits` in turn to one cache; after each, the cached result equals a full parse. Returns fast-path count. */
function checkSequence(base: string, edits: readonly Edit[]): number {
  const cache = new ParseCache();
  cache.ciTree(PATH, base);
  let text = base;
  for (const edit of edits) {
    text = apply(text, edit);
    assert.deepStrictEqual(cache.ciTree(PATH, text), full(text), `after editing to ${JSON.stringify(text)}`);
  }
  return cache.treeStats.blocks;
}

test('incremental trees equal full parses over random edit sequences of generated pipelines', async () => {
  const bases = await workloads();
  let fast = 0;
  let edits = 0;
  fc.assert(
    fc.property(fc.constantFrom(...bases), fc.array(editArb, { minLength: 1, maxLength: 8 }), (base, seq) => {
      fast += checkSequence(base, seq);
      edits += seq.length;
    }),
    { numRuns: 600 },
  );
  // About one edit in ten takes the fast path (many sequences break the file early); none would test nothing.
  assert.ok(fast > edits / 50, `the fast path was taken ${fast} times in ${edits} edits`);
});

test('incremental trees equal full parses over random edit sequences of the corpus', (t) => {
  if (!CORPUS_PRESENT) {
    t.skip(CORPUS_ABSENT_REASON);
    return;
  }
  const texts = filesUnder(CORPUS, /\.ya?ml$/).map((f) => readFileSync(f, 'utf8'));
  assert.ok(texts.length > 0);
  let fast = 0;
  fc.assert(
    fc.property(fc.constantFrom(...texts), fc.array(editArb, { minLength: 1, maxLength: 6 }), (base, seq) => {
      fast += checkSequence(base, seq);
    }),
    { numRuns: 600 },
  );
  assert.ok(fast > 0);
});

// ---- identity and the fast path ---------------------------------------------------------------------------------

const SIX = [
  'stages: [build]',
  '.dind:',
  '  services:',
  '    - name: docker:24.0.7-dind',
  '      alias: docker',
  'job-a:',
  '  extends: .dind',
  '  script:',
  '    - docker build .',
  'job-b:',
  '  variables:',
  '    N: "1"',
  '  script: |',
  '    echo b',
  'job-c:',
  '  image: alpine:3.20',
  '# a comment between blocks',
  'job-d:',
  '  script: [echo d]',
  '',
].join('\n');

test('a value edit re-parses one block; earlier blocks keep their entries, later ones move', () => {
  const cache = new ParseCache();
  const before = cache.ciTree(PATH, SIX);
  assert.ok(before?.tree?.kind === 'map');
  const edited = SIX.replace('N: "1"', 'N: "12345"');
  const after = cache.ciTree(PATH, edited);
  assert.deepStrictEqual(cache.treeStats, { full: 0, blockwise: 1, blocks: 1 });
  assert.deepStrictEqual(after, full(edited));
  assert.ok(after?.tree?.kind === 'map');
  const keys = [...after.tree.entries.keys()];
  assert.deepStrictEqual(keys, ['stages', '.dind', 'job-a', 'job-b', 'job-c', 'job-d']);
  for (const k of ['stages', '.dind', 'job-a']) assert.equal(after.tree.entries.get(k), before.tree.entries.get(k), k);
  for (const k of ['job-b', 'job-c', 'job-d']) assert.notEqual(after.tree.entries.get(k), before.tree.entries.get(k));
  assert.equal(after.tree.entries.get('job-d')?.keySpan.start, edited.indexOf('job-d:'));
  // The same text again is served from the cache, object for object.
  assert.equal(cache.ciTree(PATH, edited), after);
});

test('edits in the last block, in a block scalar and deleting lines take the fast path', () => {
  const edits: [string, string][] = [
    ['  script: [echo d]', '  script: [echo d, echo e]'],
    ['    echo b', '    echo b\n    echo c'],
    ['  variables:\n    N: "1"\n', ''],
    ['  image: alpine:3.20', '  image: alpine:3.21\n  tags: [x]'],
    ['      alias: docker\n', ''],
  ];
  for (const [from, to] of edits) {
    const cache = new ParseCache();
    cache.ciTree(PATH, SIX);
    const edited = SIX.replace(from, to);
    assert.deepStrictEqual(cache.ciTree(PATH, edited), full(edited), from);
    assert.equal(cache.treeStats.blocks, 1, `fast path for ${JSON.stringify(from)}`);
  }
});

test('risky edits fall back to a full parse and still equal it', () => {
  const cases: [string, string, string][] = [
    ['the key line', 'job-b:', 'job-bb:'],
    ['a new top-level key', '    echo b\n', '    echo b\njob-x: 1\n'],
    ['a comment on the key line', 'job-c:', 'job-c: # c'],
    ['an anchor', '  image: alpine:3.20', '  image: &img alpine:3.20'],
    ['an alias', '  image: alpine:3.20', '  image: *nowhere'],
    ['a syntax error', '  image: alpine:3.20', '  image: [alpine'],
    ['a duplicate key', '  image: alpine:3.20', '  image: a\n  image: b'],
    ['an unknown tag', '  image: alpine:3.20', '  image: !custom alpine'],
    ['a tab', '  image: alpine:3.20', '  image:\talpine:3.20'],
    ['a CRLF', '  image: alpine:3.20\n', '  image: alpine:3.20\r\n'],
    ['a lone CR', '  image: alpine:3.20', '  image: alpine:3.20\r'],
    ['a document marker', '  image: alpine:3.20\n', '  image: alpine:3.20\n---\n'],
    ['a flow collection open across the boundary', '  image: alpine:3.20\n', '  image: [alpine,\n'],
    ['a plain line at column 0', '  image: alpine:3.20\n', '  image: alpine\nmore\n'],
    ['an edit spanning two blocks', '3.20\n# a comment between blocks\njob-d:\n  script:', '3.21\njob-d:\n  scripts:'],
  ];
  for (const [name, from, to] of cases) {
    assert.ok(SIX.includes(from), name);
    const cache = new ParseCache();
    cache.ciTree(PATH, SIX);
    const edited = SIX.replace(from, to);
    assert.deepStrictEqual(cache.ciTree(PATH, edited), full(edited), name);
    assert.equal(cache.treeStats.blocks, 0, `no fast path for ${name}`);
  }
});

/** `.dind`'s services anchored, and used by job-b. */
const LINKED = SIX.replace('  services:', '  services: &svc').replace('  variables:', '  services: *svc\n  variables:');

test('blocks without anchors or aliases take the fast path in a file that has them elsewhere', () => {
  const cache = new ParseCache();
  cache.ciTree(PATH, LINKED);
  const edited = LINKED.replace('  image: alpine:3.20', '  image: alpine:3.21');
  assert.deepStrictEqual(cache.ciTree(PATH, edited), full(edited));
  assert.equal(cache.treeStats.blocks, 1);
});

test('blocks that use anchors of earlier blocks take the fast path, aliases resolved as a full parse does', () => {
  const REDEFINED = LINKED.replace('job-c:', '.other:\n  services: &svc [docker:20.10-dind]\njob-c:\n  services: *svc');
  const cases: [string, string, string, string][] = [
    ['alias to another block', LINKED, 'N: "1"', 'N: "2"'],
    ['a merge key with a literal mapping', SIX, '  image: alpine:3.20', '  <<: {a: 1}'],
    [
      'alias to the later of two anchors of one name',
      REDEFINED,
      'job-c:\n  services: *svc',
      'job-c:\n  services: *svc\n  tags: [x]',
    ],
  ];
  for (const [name, base, from, to] of cases) {
    assert.ok(base.includes(from), name);
    const cache = new ParseCache();
    cache.ciTree(PATH, base);
    const edited = base.replace(from, to);
    assert.deepStrictEqual(cache.ciTree(PATH, edited), full(edited), name);
    assert.equal(cache.treeStats.blocks, 1, `fast path: ${name}`);
    // A second edit in the same block keeps working from the updated state.
    const again = edited.replace(to, `${to}\n  when: manual`);
    assert.deepStrictEqual(cache.ciTree(PATH, again), full(again), `${name}, edited again`);
  }
  // An alias to an anchor below the edited block (or an unknown one) cannot be resolved alone: full parse.
  const cache = new ParseCache();
  cache.ciTree(PATH, SIX);
  const forward = SIX.replace('  image: alpine:3.20', '  image: *later');
  assert.deepStrictEqual(cache.ciTree(PATH, forward), full(forward));
  assert.equal(cache.treeStats.blocks, 0);
});

test('no fast path in files with a header, anchors used elsewhere, or problems in the old text', () => {
  const cases: [string, string, string, string][] = [
    ['spec header', `spec:\n  inputs:\n    x:\n      default: 1\n---\n${SIX}`, 'N: "1"', 'N: "2"'],
    ['anchor in the edited block', SIX.replace('  variables:', '  variables: &v'), 'N: "1"', 'N: "2"'],
    ['anchor used by another block', LINKED, 'alias: docker', 'alias: dind'],
    ['syntax error elsewhere', SIX.replace('  script: [echo d]', '  script: [echo d'), 'N: "1"', 'N: "2"'],
    ['duplicate key elsewhere', SIX.replace('  script: [echo d]', '  x: 1\n  x: 2'), 'N: "1"', 'N: "2"'],
  ];
  for (const [name, base, from, to] of cases) {
    const cache = new ParseCache();
    cache.ciTree(PATH, base);
    const edited = base.replace(from, to);
    assert.notEqual(edited, base, name);
    assert.deepStrictEqual(cache.ciTree(PATH, edited), full(edited), name);
    assert.equal(cache.treeStats.blocks, 0, `no fast path: ${name}`);
  }
  // A header file has no cached tree at all: the document is converted with its inputs instead.
  assert.equal(new ParseCache().ciTree(PATH, `spec:\n  inputs: {}\n---\n${SIX}`), null);
});

// ---- hidden jobs' services from the tree --------------------------------------------------------------------------

/** The original document-based computation, as the reference. */
function hiddenFromDocument(text: string): HiddenServices[] {
  const parsed = parseYaml(text);
  const root = parsed.documents[parsed.documents.length - 1]?.contents;
  const out: HiddenServices[] = [];
  if (!isMap(root)) return out;
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof key !== 'string' || !key.startsWith('.')) continue;
    const services = isMap(pair.value) ? pair.value.get('services', true) : undefined;
    if (!isSeq(services)) continue;
    const r = services.range;
    out.push({ key, file: PATH, span: r ? { start: r[0], end: r[1] } : null, value: services.toJSON() });
  }
  return out;
}

test('hiddenServiceLists from the converted tree equals the document-based lists after random edits', async () => {
  const bases = [...(await workloads()), SIX];
  if (CORPUS_PRESENT) bases.push(...filesUnder(CORPUS, /\.ya?ml$/).map((f) => readFileSync(f, 'utf8')));
  fc.assert(
    fc.property(fc.constantFrom(...bases), fc.array(editArb, { maxLength: 4 }), (base, seq) => {
      const cache = new ParseCache();
      let text = base;
      for (const edit of [undefined, ...seq]) {
        if (edit) text = apply(text, edit);
        const sources = new SourceStore(new MemoryHost({ [PATH]: text }), cache);
        assert.deepStrictEqual(hiddenServiceLists(sources, [PATH]), hiddenFromDocument(text));
      }
    }),
    { numRuns: 400 },
  );
});
