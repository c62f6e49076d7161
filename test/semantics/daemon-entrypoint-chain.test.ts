// daemonFacts: a shell entrypoint override that chains `dockerd-entrypoint.sh` keeps the entrypoint logic (A20).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { daemonFacts, VariableScope, variableLayer } from '@engine';

import { service, variables } from './factories';

const scope = (vars: Record<string, string>) => new VariableScope([variableLayer(variables(vars))]);

test('an entrypoint that ends by running dockerd-entrypoint.sh does not bypass it', () => {
  const chained = daemonFacts(
    service({
      name: 'docker:24.0.5-dind',
      entrypoint: ['sh', '-c', 'update-ca-certificates && exec dockerd-entrypoint.sh "$@"', '--'],
    }),
    scope({ DOCKER_TLS_CERTDIR: '/certs' }),
  );
  assert.equal(chained.entrypointRuns, true);
  assert.equal(chained.bypassedBy, null);
  assert.equal(chained.tls, true);

  const direct = daemonFacts(
    service({ name: 'docker:24.0.5-dind', entrypoint: ['sh', '-c', 'update-ca-certificates && dockerd'] }),
    scope({ DOCKER_TLS_CERTDIR: '/certs' }),
  );
  assert.equal(direct.entrypointRuns, false, 'a script that never runs the entrypoint script bypasses it');
  assert.equal(direct.bypassedBy, 'sh');

  const lookalike = daemonFacts(
    service({ name: 'docker:24.0.5-dind', entrypoint: ['sh', '-c', 'cat my-dockerd-entrypoint.sh.bak; dockerd'] }),
    scope({ DOCKER_TLS_CERTDIR: '' }),
  );
  assert.equal(lookalike.entrypointRuns, false, 'only the script itself counts, not a file name containing it');
});
