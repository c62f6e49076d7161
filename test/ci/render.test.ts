import { strict as assert } from 'node:assert';
import { test } from 'node:test';

import { parse } from 'yaml';

import { renderEffectiveJob } from '@engine';

import { build, ROOT } from './util';

test('renderEffectiveJob: YAML of the merged job with the origin of each value as comments', () => {
  const b = build({
    'ci/docker.yml': `.docker:
  image: docker:24
  services:
    - name: docker:24-dind
      alias: docker
  variables:
    DOCKER_HOST: tcp://docker:2376
`,
    '.gitlab-ci.yml': `include: ci/docker.yml
variables:
  DOCKER_TLS_CERTDIR: /certs
build:
  extends: .docker
  script:
    - docker build .
`,
  });
  const text = renderEffectiveJob(b.pipeline, 'build', b.sources, ROOT);
  assert.ok(text !== undefined);
  const data = parse(text) as Record<string, Record<string, unknown>>;
  assert.deepEqual(data['build']?.['variables'], { DOCKER_HOST: 'tcp://docker:2376', DOCKER_TLS_CERTDIR: '/certs' });
  assert.deepEqual(data['build']?.['services'], [{ name: 'docker:24-dind', alias: 'docker' }]);
  const lineWith = (needle: string): string => text.split('\n').find((l) => l.includes(needle)) ?? '';
  assert.match(
    lineWith('image: docker:24'),
    /# from ci\/docker\.yml:2 via include ci\/docker\.yml → extends \.docker$/,
  );
  assert.match(lineWith('DOCKER_TLS_CERTDIR'), /# global, from \.gitlab-ci\.yml:3$/);
  assert.match(lineWith('DOCKER_HOST'), /# job, from ci\/docker\.yml:7/);
  assert.match(lineWith('- docker build .'), /# from \.gitlab-ci\.yml:7$/);
  assert.match(text, /derived aliases: docker/);
  assert.ok(!text.includes(ROOT), 'paths are workspace-relative');
  assert.equal(renderEffectiveJob(b.pipeline, 'nope', b.sources, ROOT), undefined);
});
