// URIs ↔ engine paths on both platforms' conventions.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { resolvePath } from '../../server/src/lsp/host';
import { dirname, isInside, pathToUri, uriToPath } from '../../server/src/lsp/uri';

test('POSIX: percent-encoding round-trips', () => {
  assert.equal(uriToPath('file:///home/u/my%20repo/%23ci/.gitlab-ci.yml', false), '/home/u/my repo/#ci/.gitlab-ci.yml');
  const path = '/home/u/my repo/#ci/a%b.yml';
  assert.equal(uriToPath(pathToUri(path, false), false), path);
});

test('Windows: drive letters (VS Code encodes the colon) become lower-case c:/ paths', () => {
  assert.equal(uriToPath('file:///c%3A/Users/me/repo/.gitlab-ci.yml', true), 'c:/Users/me/repo/.gitlab-ci.yml');
  assert.equal(uriToPath('file:///C:/Users/me/config.toml', true), 'c:/Users/me/config.toml');
  assert.equal(uriToPath(pathToUri('c:/a b/x.yml', true), true), 'c:/a b/x.yml');
  assert.equal(uriToPath('file://server/share/x.yml', true), '//server/share/x.yml');
});

test('other schemes and garbage have no path', () => {
  assert.equal(uriToPath('untitled:Untitled-1', false), undefined);
  assert.equal(uriToPath('vscode-vfs://github/o/r/.gitlab-ci.yml', false), undefined);
  assert.equal(uriToPath('not a uri', false), undefined);
});

test('path helpers', () => {
  assert.equal(resolvePath('/ws', 'runner/../config.toml'), '/ws/config.toml');
  assert.equal(resolvePath('/ws', '/etc/gitlab-runner/config.toml'), '/etc/gitlab-runner/config.toml');
  assert.equal(resolvePath('c:/ws', 'C:\\runner\\config.toml'), 'c:/runner/config.toml');
  assert.equal(resolvePath('/ws', '.'), '/ws');
  assert.ok(isInside('/ws/a.yml', '/ws'));
  assert.ok(!isInside('/wsx/a.yml', '/ws'));
  assert.equal(dirname('/ws/a.yml'), '/ws');
  assert.equal(dirname('c:/a.yml'), 'c:/');
});
