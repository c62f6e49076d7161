// The server's host reads a file from disk again only when its stat changed, and never trusts the stat of a file
// changed just before the read (file times tick coarsely: a second write in the same tick keeps the stamp).

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import type { ReadResult } from '../../server/src/engine/index';
import { LspHost, readDiskFile } from '../../server/src/lsp/host';

const NO_DOCUMENTS = { byPath: () => undefined };

function counted(now: () => number): { host: LspHost; reads: () => number } {
  let reads = 0;
  const read = (path: string): ReadResult => {
    reads++;
    return readDiskFile(path);
  };
  return { host: new LspHost(NO_DOCUMENTS, { now, read }), reads: () => reads };
}

const textOf = (r: ReadResult): string | undefined => (r.kind === 'ok' ? r.text : undefined);

test('a file unchanged since the last read is not read again; a changed, removed or forgotten one is', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gitlab-ci-dind-host-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'a.yml');
  writeFileSync(file, 'a: 1\n');
  // A clock a minute ahead: the file was last changed long before the read.
  const { host, reads } = counted(() => Date.now() + 60_000);

  assert.equal(textOf(host.readFile(file)), 'a: 1\n');
  assert.equal(textOf(host.readFile(file)), 'a: 1\n');
  assert.equal(reads(), 1, 'the second read is served from the kept text');

  writeFileSync(file, 'a: 22\n');
  assert.equal(textOf(host.readFile(file)), 'a: 22\n', 'a new size is a new stamp');
  assert.equal(reads(), 2);

  host.forgetDisk();
  assert.equal(textOf(host.readFile(file)), 'a: 22\n');
  assert.equal(reads(), 3, 'forgotten texts are read again');

  rmSync(file);
  assert.equal(host.readFile(file).kind, 'missing');
  writeFileSync(file, 'a: 3\n');
  assert.equal(textOf(host.readFile(file)), 'a: 3\n', 'a file created again is read again');
});

test('a file changed within the racy window is read on every analysis until it settles', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'gitlab-ci-dind-host-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'a.yml');
  writeFileSync(file, 'a: 1\n');
  let now = Date.now();
  const { host, reads } = counted(() => now);

  assert.equal(textOf(host.readFile(file)), 'a: 1\n');
  // Same size, and likely the same time stamps: only the racy rule makes the second text visible.
  writeFileSync(file, 'a: 2\n');
  assert.equal(textOf(host.readFile(file)), 'a: 2\n');
  assert.equal(reads(), 2);
  now += 60_000;
  host.readFile(file);
  host.readFile(file);
  assert.equal(reads(), 3, 'once settled, the text is kept');
});

test('open documents are served before the disk, with their version', () => {
  const doc = { getText: () => 'open: 1\n', version: 7 };
  const host = new LspHost({ byPath: (p) => (p === '/ws/a.yml' ? (doc as never) : undefined) });
  assert.deepEqual(host.readFile('/ws/a.yml'), { kind: 'ok', text: 'open: 1\n', version: 7 });
  assert.equal(host.readFile('/ws/none.yml').kind, 'missing');
});
