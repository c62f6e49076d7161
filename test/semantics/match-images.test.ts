import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  apiVersionOf,
  compareApiVersions,
  deriveAliases,
  doublestarMatch,
  firstMatch,
  imageTlsCertdirDefault,
  isDindImage,
  isDockerClientImage,
  isRootlessDind,
  minClientApiOf,
  parseDockerTag,
  parseImageRef,
} from '@engine';

test('doublestarMatch: `*` stays within a path segment, `**` crosses segments (Go doublestar)', () => {
  assert.equal(doublestarMatch('docker:*-dind', 'docker:24.0.5-dind'), true);
  assert.equal(doublestarMatch('docker:*-dind', 'docker:dind'), false, 'the bare tag needs its own pattern');
  assert.equal(doublestarMatch('docker:*-dind', 'docker.io/library/docker:24-dind'), false, 'names match as written');
  assert.equal(doublestarMatch('docker:*-dind', 'docker:24-dind-rootless'), false);
  assert.equal(doublestarMatch('**/docker:*-dind', 'docker.io/library/docker:24-dind'), true);
  assert.equal(doublestarMatch('*', 'a/b'), false);
  assert.equal(doublestarMatch('**', 'a/b/c'), true);
  assert.equal(doublestarMatch('docker:{dind,*-dind}', 'docker:dind'), true);
  assert.equal(doublestarMatch('docker:2[0-9]-dind', 'docker:24-dind'), true);
  assert.equal(doublestarMatch('*', '.hidden'), true, 'no special treatment of dots');
  assert.equal(doublestarMatch('!docker:dind', 'docker:24-dind'), false, 'a leading ! is literal, not negation');
  assert.equal(doublestarMatch('!docker:dind', '!docker:dind'), true);
  assert.equal(doublestarMatch('./docker:dind', 'docker:dind'), false);
  assert.deepEqual(firstMatch(['postgres:*', 'docker:dind', 'docker:*-dind'], 'docker:27-dind'), {
    pattern: 'docker:*-dind',
    index: 2,
  });
  assert.equal(firstMatch([], 'docker:dind'), null);
});

test('parseDockerTag: pinned versions, variants and floating channels', () => {
  const t = parseDockerTag('24.0.5-dind');
  assert.deepEqual(t.version, { kind: 'pinned', major: 24, minor: 0, patch: 5, prerelease: null, text: '24.0.5' });
  assert.equal(t.variant, 'dind');
  assert.equal(parseDockerTag('27-dind-rootless').variant, 'dind-rootless');
  assert.deepEqual(parseDockerTag('27-dind-rootless').version, {
    kind: 'pinned',
    major: 27,
    minor: null,
    patch: null,
    prerelease: null,
    text: '27',
  });
  assert.equal(parseDockerTag('24.0.5-cli').variant, 'cli');
  assert.equal(parseDockerTag('24.0.5').variant, 'client');
  assert.equal(parseDockerTag('20.10.24-dind-alpine3.17').variant, 'dind');
  const rc = parseDockerTag('28.0.0-rc.1-dind');
  assert.equal(rc.variant, 'dind');
  assert.equal(rc.version.kind === 'pinned' ? rc.version.prerelease : undefined, 'rc.1');
  for (const [tag, channel, variant] of [
    ['dind', 'latest', 'dind'],
    ['dind-rootless', 'latest', 'dind-rootless'],
    ['latest', 'latest', 'client'],
    ['stable', 'stable', 'client'],
    ['cli', 'latest', 'cli'],
    ['git', 'latest', 'git'],
  ] as const) {
    const p = parseDockerTag(tag);
    assert.deepEqual(p.version, { kind: 'floating', channel }, tag);
    assert.equal(p.variant, variant, tag);
  }
  assert.deepEqual(parseDockerTag(null).version, { kind: 'floating', channel: 'latest' });
});

test('DIND, ROOTLESS and client detection follow spec 0.1 and the dindImages setting', () => {
  const dind = [
    'docker:dind',
    'docker:24.0.5-dind',
    'docker:27-dind-rootless',
    'registry.hub.docker.com/library/docker:24-dind',
    '${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:27-dind',
  ];
  for (const n of dind) assert.equal(isDindImage(parseImageRef(n)), true, n);
  for (const n of ['docker:24.0.5-cli', 'docker:24.0.5', 'docker', 'mydind:1', 'python:3.12', 'dind/docker-tools:1']) {
    assert.equal(isDindImage(parseImageRef(n)), false, n);
  }
  const custom = parseImageRef('registry.corp/ci/daemon:1.2');
  assert.equal(isDindImage(custom), false);
  assert.equal(isDindImage(custom, { dindImages: ['registry.corp/ci/daemon:*'] }), true);
  assert.equal(isDindImage(custom, { dindImages: ['daemon:*'] }), false, 'patterns match the whole name');

  assert.equal(isRootlessDind(parseImageRef('docker:dind-rootless')), true);
  assert.equal(isRootlessDind(parseImageRef('docker:27-dind-rootless')), true);
  assert.equal(isRootlessDind(parseImageRef('docker:27-dind')), false);
  assert.equal(isDockerClientImage(parseImageRef('docker:24.0.5-cli')), true);
  assert.equal(isDockerClientImage(parseImageRef('docker:stable')), true);
  assert.equal(isDockerClientImage(parseImageRef('docker:24.0.5-dind')), false);
  assert.equal(isDockerClientImage(parseImageRef('alpine:3')), false);
});

test('derived aliases: tag and registry port stripped, `/` replaced by `__` and `-`', () => {
  assert.deepEqual(deriveAliases('docker:24-dind'), ['docker']);
  assert.deepEqual(deriveAliases('registry.hub.docker.com/library/docker:24-dind'), [
    'registry.hub.docker.com__library__docker',
    'registry.hub.docker.com-library-docker',
  ]);
  assert.deepEqual(deriveAliases('mirror.local:5000/docker:dind'), ['mirror.local__docker', 'mirror.local-docker']);
});

test('API version table: lookups take the newest row at or below the release', () => {
  const v = (tag: string) => parseDockerTag(tag).version;
  assert.equal(apiVersionOf(v('24.0.5')), '1.43');
  assert.equal(apiVersionOf(v('25.0.1-cli')), '1.44');
  assert.equal(apiVersionOf(v('27.4.1-cli')), '1.47');
  assert.equal(apiVersionOf(v('29-dind')), '1.52');
  assert.equal(apiVersionOf(v('20.10.24')), '1.41');
  assert.equal(apiVersionOf(v('19.03.12-dind')), '1.40');
  assert.equal(apiVersionOf(v('latest')), null, 'floating tags have no fixed API');
  assert.equal(minClientApiOf(v('29.0.0-dind')), '1.44');
  assert.equal(minClientApiOf(v('28.5-dind')), '1.24');
  assert.ok(compareApiVersions(apiVersionOf(v('24.0.5')) ?? '', minClientApiOf(v('29-dind')) ?? '') < 0);
  assert.ok(compareApiVersions('1.44', '1.9') > 0, 'minor parts compare numerically');
});

test('image ENV default of DOCKER_TLS_CERTDIR: /certs from 19.03 and for floating tags, empty for 18.09', () => {
  const d = (n: string) => imageTlsCertdirDefault(parseImageRef(n));
  assert.equal(d('docker:24.0.5-dind'), '/certs');
  assert.equal(d('docker:19.03-dind'), '/certs');
  assert.equal(d('docker:19.03.12'), '/certs');
  assert.equal(d('docker:dind'), '/certs');
  assert.equal(d('docker:stable'), '/certs');
  assert.equal(d('docker:18.09-dind'), '');
  assert.equal(d('docker:18.09.7'), '');
  assert.equal(d('python:3.12'), undefined);
  assert.equal(imageTlsCertdirDefault(parseImageRef('corp/daemon:1'), { dindImages: ['corp/daemon:*'] }), '/certs');
});
