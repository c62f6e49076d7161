// The server's heap policy: its V8 flags, unless the node command line sets them itself.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HEAP_FLAGS, heapFlags } from '../../server/src/lsp/memory';

test('the heap policy sets both flags by default', () => {
  assert.deepEqual(heapFlags([]), [...HEAP_FLAGS]);
  assert.deepEqual(heapFlags(['--inspect=6009', '--nolazy']), [...HEAP_FLAGS]);
});

test('a flag on the command line wins, in either spelling and either sense', () => {
  assert.deepEqual(heapFlags(['--heap-growing-percent=80']), ['--no-allocation-site-pretenuring']);
  assert.deepEqual(heapFlags(['--heap_growing_percent=80']), ['--no-allocation-site-pretenuring']);
  assert.deepEqual(heapFlags(['--allocation-site-pretenuring']), ['--heap-growing-percent=50']);
  assert.deepEqual(heapFlags(['--noallocation_site_pretenuring', '--heap-growing-percent=20']), []);
});
