// imageTlsCertdirDefault for major-only tags: `docker:19` follows the newest 19.x release (19.03, TLS by default).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { imageTlsCertdirDefault, parseImageRef } from '@engine';

test('major-only docker tags take the newest minor of that major for the DOCKER_TLS_CERTDIR default', () => {
  const d = (n: string) => imageTlsCertdirDefault(parseImageRef(n));
  assert.equal(d('docker:19'), '/certs');
  assert.equal(d('docker:19-dind'), '/certs');
  assert.equal(d('docker:20-dind'), '/certs');
  assert.equal(d('docker:18'), '');
  assert.equal(d('docker:18-dind'), '');
  assert.equal(d('docker:19.0-dind'), '');
  assert.equal(d('docker:19.03-dind'), '/certs');
});
