import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { deriveAliases, expandVariables, parseImageRef, splitAliases } from '@engine';

test('parseImageRef splits like Docker: registry, path, repository, tag, digest', () => {
  const cases: [string, string | null, string, string, string | null, string | null][] = [
    ['docker:24-dind', null, 'docker', 'docker', '24-dind', null],
    ['docker', null, 'docker', 'docker', null, null],
    ['library/docker:dind', null, 'library/docker', 'docker', 'dind', null],
    [
      'registry.hub.docker.com/library/docker:24-dind',
      'registry.hub.docker.com',
      'library/docker',
      'docker',
      '24-dind',
      null,
    ],
    ['localhost/docker:dind', 'localhost', 'docker', 'docker', 'dind', null],
    ['localhost:5000/group/img', 'localhost:5000', 'group/img', 'img', null, null],
    ['group/sub/img:1.0@sha256:abc', null, 'group/sub/img', 'img', '1.0', 'sha256:abc'],
    ['docker@sha256:abc', null, 'docker', 'docker', null, 'sha256:abc'],
  ];
  for (const [raw, registry, path, repository, tag, digest] of cases) {
    const ref = parseImageRef(raw);
    assert.deepEqual(
      { registry: ref.registry, path: ref.path, repository: ref.repository, tag: ref.tag, digest: ref.digest },
      { registry, path, repository, tag, digest },
      raw,
    );
    assert.equal(ref.unresolved, false);
  }
  assert.equal(parseImageRef('${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:27-dind').repository, 'docker');
  assert.equal(parseImageRef('${CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX}/docker:27-dind').unresolved, true);
});

test('deriveAliases: strip tag and registry port, / → __ and / → - (R14)', () => {
  assert.deepEqual(deriveAliases('docker:24-dind'), ['docker']);
  assert.deepEqual(deriveAliases('registry.hub.docker.com/library/docker:24-dind'), [
    'registry.hub.docker.com__library__docker',
    'registry.hub.docker.com-library-docker',
  ]);
  assert.deepEqual(deriveAliases('registry.example.com:5000/docker:dind'), [
    'registry.example.com__docker',
    'registry.example.com-docker',
  ]);
  assert.deepEqual(deriveAliases('tutum/wordpress:latest'), ['tutum__wordpress', 'tutum-wordpress']);
  assert.deepEqual(deriveAliases('$PREFIX/docker:dind'), []);
});

test('splitAliases and expandVariables', () => {
  assert.deepEqual(splitAliases('docker, dind  x,,y'), ['docker', 'dind', 'x', 'y']);
  const vars = new Map([
    ['A', { value: '$B-a', expand: true }],
    ['B', { value: 'b', expand: true }],
    ['RAW', { value: '$B', expand: false }],
    ['SELF', { value: '$SELF', expand: true }],
  ]);
  assert.equal(expandVariables('x:$A/${B}/$RAW/$UNKNOWN/${SELF}', vars), 'x:b-a/b/$B/$UNKNOWN/$SELF');
});

test(
  'derived aliases: a long name that almost matches the reference grammar is rejected without backtracking blow-up',
  { timeout: 10_000 },
  () => {
    assert.deepEqual(deriveAliases(`${'a'.repeat(60)}!:dind`), []);
    assert.deepEqual(deriveAliases(`group/${'a1-'.repeat(40)}B/docker:24-dind`), []);
    assert.deepEqual(deriveAliases('my-registry.example.com:5000/group--x/docker:24-dind'), [
      'my-registry.example.com__group--x__docker',
      'my-registry.example.com-group--x-docker',
    ]);
  },
);
