import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  apiVersionOfRelease,
  comparableVersion,
  minClientApiOfRelease,
  parseDockerTag,
  replaceImageTag,
  scriptTextPlacement,
} from '@engine';

test('replaceImageTag keeps registry, path and variables, drops a digest, refuses a variable tag', () => {
  assert.equal(replaceImageTag('docker:dind', '24.0.5-dind'), 'docker:24.0.5-dind');
  assert.equal(replaceImageTag('docker', '24.0.5-cli'), 'docker:24.0.5-cli');
  assert.equal(replaceImageTag('registry:5000/library/docker', '1-cli'), 'registry:5000/library/docker:1-cli');
  assert.equal(
    replaceImageTag('${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:dind', '24.0.5-dind'),
    '${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:24.0.5-dind',
  );
  assert.equal(replaceImageTag('docker:24@sha256:abc', '24.0.5'), 'docker:24.0.5');
  assert.equal(replaceImageTag('docker:${V}-dind', '24.0.5-dind'), null);
});

test('comparableVersion: stable is 19.03, other channels are the newest release; major-only tags float in their major', () => {
  const stable = comparableVersion(parseDockerTag('stable-dind').version);
  assert.deepEqual([stable.major, stable.minor, stable.floating], [19, 3, false]);
  const latest = comparableVersion(parseDockerTag('dind').version);
  assert.equal(latest.floating, true);
  assert.equal(minClientApiOfRelease(latest), '1.44');
  assert.equal(apiVersionOfRelease(comparableVersion(parseDockerTag('19').version)), '1.40');
  assert.equal(apiVersionOfRelease(comparableVersion(parseDockerTag('24.0.5-cli').version)), '1.43');
  assert.equal(minClientApiOfRelease(comparableVersion(parseDockerTag('28.5.1-dind').version)), '1.24');
});

test('scriptTextPlacement maps plain and quoted one-line items, not folded ones', () => {
  const file = `s:\n  - docker push x\n  - 'docker push y'\n  - "a\\tb"\n  - docker build\n    --push .\n`;
  const at = (text: string, src: string) => {
    const start = file.indexOf(src);
    return scriptTextPlacement(
      { text, origin: { file: 'f', span: { start, end: start + src.length }, via: [] } },
      file,
    );
  };
  assert.deepEqual(at('docker push x', 'docker push x'), { base: file.indexOf('docker push x'), quote: '' });
  assert.deepEqual(at('docker push y', "'docker push y'"), { base: file.indexOf('docker push y'), quote: "'" });
  assert.equal(at('a\tb', '"a\\tb"'), null);
  assert.equal(at('docker build --push .', 'docker build\n    --push .'), null);
});
