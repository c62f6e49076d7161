import assert from 'node:assert/strict';
import { test } from 'node:test';

import fc from 'fast-check';

import {
  doublestarMatch,
  JobFacts,
  parseDockerHost,
  parseDockerTag,
  shellCommands,
  variableLayer,
  VariableScope,
} from '@engine';

import { job, runner, variables } from './factories';

test('parsers and expansion never throw on arbitrary text', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), (a, b) => {
      parseDockerTag(a);
      parseDockerHost(a);
      shellCommands(a);
      doublestarMatch(a, b);
      new VariableScope([variableLayer(variables({ A: a, B: `$A${b}` }))]).get('B');
    }),
  );
});

test('facts of partial models: wrong TOML types, nameless runner services, no image, no runner', () => {
  const r = runner({
    executor: 'docker',
    environment: 'not-an-array',
    docker: {
      volumes: [1, true, '/certs/client'] as never,
      privileged: 'yes',
      allowed_privileged_services: 'docker:*-dind',
      services: [{ alias: 'nameless' }, { name: 'docker:24.0.5-dind', environment: ['=x', 'DOCKER_TLS_CERTDIR'] }],
    },
  });
  const f = new JobFacts(job({ services: ['docker:$VERSION-dind'], script: ['"unterminated'] }), r);
  assert.deepEqual(
    f.services.map((s) => `${s.source}:${s.name.value}`),
    ['runner:docker:24.0.5-dind', 'job:docker:$VERSION-dind'],
  );
  const [runnerSvc] = f.services;
  assert.ok(runnerSvc);
  assert.equal(f.serviceVar(runnerSvc, 'DOCKER_TLS_CERTDIR').state, 'set');
  assert.equal(f.privilege(runnerSvc)?.privileged, false, 'a non-boolean privileged is not true');
  assert.equal(f.certsShared('/certs')?.index, 2);
  assert.equal(f.image, null);
  assert.equal(f.usesDocker.value, false);
  assert.equal(f.dindServices.length, 2);
  const none = new JobFacts(job({ services: ['docker:dind'] }), null);
  assert.equal(none.privilege(none.services[0] ?? runnerSvc), null);
  assert.equal(none.certsShared('/certs'), undefined);
  assert.equal(none.dockerHost.source, 'default', 'no image: the client is not auto-configured');
});
