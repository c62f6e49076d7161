import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  certsSharedVolume,
  containerRuntime,
  executorClass,
  featureFlag,
  JobFacts,
  parseDockerVolume,
  runnerVolumes,
  servicePrivilege,
  socketMount,
  variableVariants,
  VariableScope,
  variableLayer,
} from '@engine';

import { job, runner, TOML_FILE, variable, variables } from './factories';

test('Var_build: CI variables > runner environment > image ENV, each with its origin', () => {
  const r = runner({
    executor: 'docker',
    environment: ['DOCKER_DRIVER=overlay2', 'DOCKER_HOST=tcp://docker:2375', 'DOCKER_DRIVER=vfs'],
  });
  const j = job({ image: 'docker:24.0.5-cli', variables: { DOCKER_HOST: 'tcp://docker:2376' } });
  const f = new JobFacts(j, r);

  const host = f.buildVar('DOCKER_HOST');
  assert.equal(host.state, 'set');
  assert.equal(host.state === 'set' && host.value, 'tcp://docker:2376');
  assert.equal(host.state === 'set' && host.origin, j.variables.get('DOCKER_HOST')?.origin);

  const driver = f.buildVar('DOCKER_DRIVER');
  assert.ok(driver.state === 'set');
  assert.equal(driver.value, 'vfs', 'a later environment item overrides an earlier one');
  assert.equal(driver.layer, 'runner');
  const env = r.table.entries.get('environment');
  assert.deepEqual(driver.origin.span, env?.itemSpans[2]);
  assert.equal(driver.origin.file, TOML_FILE);

  const certdir = f.buildVar('DOCKER_TLS_CERTDIR');
  assert.ok(certdir.state === 'set');
  assert.equal(certdir.value, '/certs');
  assert.equal(certdir.layer, 'image-default');
  assert.deepEqual(certdir.origin.span, j.image?.origin.span);
  assert.deepEqual(certdir.origin.via.at(-1), { kind: 'image-default', image: 'docker:24.0.5-cli' });

  const unset = f.buildVar('NO_PROXY');
  assert.deepEqual(unset, { state: 'unset', name: 'NO_PROXY', externalPossible: true });
});

test('expansion: known variables expand, unknown ones make the value `unknown`, expand:false and $$ are literal', () => {
  const scope = new VariableScope([
    variableLayer(
      variables({
        DOCKER_TLS_CERTDIR: '/certs',
        DOCKER_CERT_PATH: '$DOCKER_TLS_CERTDIR/client',
        BRACED: '${DOCKER_TLS_CERTDIR}/x',
        HOST: 'tcp://$DIND_HOST:2376',
        RAW: { value: '$DOCKER_TLS_CERTDIR', expand: false },
        DOLLAR: 'a$$b',
        LOOP_A: '$LOOP_B',
        LOOP_B: '$LOOP_A',
      }),
    ),
  ]);
  const cert = scope.get('DOCKER_CERT_PATH');
  assert.ok(cert.state === 'set');
  assert.equal(cert.value, '/certs/client');
  assert.equal(cert.raw, '$DOCKER_TLS_CERTDIR/client');
  assert.equal((scope.get('BRACED') as { value: string }).value, '/certs/x');
  const host = scope.get('HOST');
  assert.equal(host.state, 'unknown');
  assert.deepEqual(host.state === 'unknown' ? host.unresolved : [], ['DIND_HOST']);
  assert.equal((scope.get('RAW') as { value: string }).value, '$DOCKER_TLS_CERTDIR');
  assert.equal((scope.get('DOLLAR') as { value: string }).value, 'a$b');
  assert.equal(scope.get('LOOP_A').state, 'unknown', 'cycles end as unknown, without throwing');
  assert.deepEqual(scope.expand('$DOCKER_CERT_PATH/ca.pem'), { value: '/certs/client/ca.pem', unresolved: [] });
});

test('Var_svc: service variables > CI variables > runner environment > service image ENV', () => {
  const r = runner({ executor: 'docker', environment: ['DOCKER_TLS_SAN=DNS:runner'] });
  const j = job({
    image: 'docker:24.0.5-cli',
    variables: { DOCKER_TLS_CERTDIR: '/certs2' },
    services: [
      { name: 'docker:24.0.5-dind', variables: { DOCKER_TLS_CERTDIR: '' } },
      'docker:24.0.5-dind',
      'docker:18.09-dind',
    ],
  });
  const f = new JobFacts(j, r);
  const [s0, s1] = f.services;
  assert.ok(s0 && s1);
  const own = f.serviceVar(s0, 'DOCKER_TLS_CERTDIR');
  assert.ok(own.state === 'set');
  assert.equal(own.value, '');
  assert.equal(own.layer, 'service');
  assert.equal((f.serviceVar(s1, 'DOCKER_TLS_CERTDIR') as { value: string }).value, '/certs2');
  assert.equal((f.serviceVar(s1, 'DOCKER_TLS_SAN') as { layer: string }).layer, 'runner');

  const bare = new JobFacts(job({ services: ['docker:24.0.5-dind', 'docker:18.09-dind'] }), r);
  const [b0, b1] = bare.services;
  assert.ok(b0 && b1);
  const d0 = bare.serviceVar(b0, 'DOCKER_TLS_CERTDIR');
  assert.ok(d0.state === 'set');
  assert.equal(d0.value, '/certs');
  assert.equal(d0.layer, 'image-default');
  assert.deepEqual(d0.origin.span, b0.origin.span);
  assert.equal((bare.serviceVar(b1, 'DOCKER_TLS_CERTDIR') as { value: string }).value, '');
  assert.equal(bare.buildVar('DOCKER_TLS_CERTDIR').state, 'unset', 'no job image: the service default does not leak');
});

test('variants: conditional variables give a second map with the unconditional fallback or nothing', () => {
  const fallback = variable('DOCKER_HOST', { value: 'tcp://docker:2375', layer: 'global' });
  const j = job({
    image: 'docker:24.0.5-cli',
    variables: {
      DOCKER_HOST: { value: 'tcp://docker:2376', layer: 'job-rules', conditional: true, alternatives: [fallback] },
      DOCKER_TLS_CERTDIR: { value: '', layer: 'workflow-rules', conditional: true },
      KEEP: 'x',
    },
  });
  const vs = variableVariants(j);
  assert.deepEqual(
    vs.map((v) => v.label),
    ['all', 'without-conditional'],
  );
  const base = vs[1]?.variables;
  assert.equal(base?.get('DOCKER_HOST'), fallback);
  assert.equal(base?.has('DOCKER_TLS_CERTDIR'), false);
  assert.equal(base?.get('KEEP'), j.variables.get('KEEP'));
  const facts = JobFacts.variants(j, null);
  assert.equal(facts.length, 2);
  assert.equal((facts[0]?.buildVar('DOCKER_TLS_CERTDIR') as { value: string }).value, '');
  assert.equal((facts[1]?.buildVar('DOCKER_TLS_CERTDIR') as { value: string }).value, '/certs');
  assert.equal(variableVariants(job({ variables: { A: '1' } })).length, 1);
});

test('executor classes', () => {
  const cls = (executor: string | undefined) => executorClass(runner(executor ? { executor } : {}));
  assert.equal(cls('docker'), 'docker-like');
  assert.equal(cls('docker+machine'), 'docker-like');
  assert.equal(cls('docker-autoscaler'), 'docker-like');
  assert.equal(cls('docker-windows'), 'docker-windows');
  assert.equal(cls('kubernetes'), 'kubernetes');
  for (const e of ['shell', 'ssh', 'virtualbox', 'parallels', 'instance']) assert.equal(cls(e), 'no-containers');
  assert.equal(cls('custom'), 'custom');
  assert.equal(cls(undefined), 'unknown');
  assert.equal(executorClass(runner({ kubernetes: { privileged: true } })), 'kubernetes', 'Helm configs omit executor');
});

test('volumes: anonymous, bind with mode, Windows drive letters; SOCKET_MOUNT with the item span', () => {
  assert.deepEqual(parseDockerVolume('/certs/client'), {
    kind: 'anonymous',
    source: null,
    target: '/certs/client',
    mode: null,
  });
  assert.deepEqual(parseDockerVolume('/var/run/docker.sock:/var/run/docker.sock:ro'), {
    kind: 'bind',
    source: '/var/run/docker.sock',
    target: '/var/run/docker.sock',
    mode: 'ro',
  });
  assert.deepEqual(parseDockerVolume('C:\\cache:C:\\cache'), {
    kind: 'bind',
    source: 'C:\\cache',
    target: 'C:\\cache',
    mode: null,
  });

  const r = runner({
    executor: 'docker',
    docker: { volumes: ['/cache', '/var/run/docker.sock:/var/run/docker.sock'] },
  });
  const m = socketMount(r);
  assert.ok(m);
  assert.equal(m.index, 1);
  assert.equal(m.kind, 'bind');
  assert.deepEqual(m.origin.span, r.docker?.entries.get('volumes')?.itemSpans[1]);
  assert.equal(socketMount(runner({ executor: 'docker', docker: { volumes: ['/cache'] } })), null);

  const k8s = runner({
    executor: 'kubernetes',
    kubernetes: {
      volumes: { host_path: [{ name: 'sock', host_path: '/var/run/docker.sock', mount_path: '/var/run/docker.sock' }] },
    },
  });
  const km = socketMount(k8s);
  assert.equal(km?.k8sType, 'host_path');
  assert.equal(km?.source, '/var/run/docker.sock');
  assert.equal(
    socketMount(
      runner({ executor: 'docker', docker: { volumes: ['\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine'] } }),
    )?.kind,
    'bind',
  );
  // A socket mount in the section the executor ignores does not count.
  assert.equal(
    socketMount(runner({ executor: 'kubernetes', docker: { volumes: ['/var/run/docker.sock:/var/run/docker.sock'] } })),
    null,
  );
});

test('CERTS_SHARED: dir/client or a parent, custom dirs, Kubernetes mount paths', () => {
  const r = runner({ executor: 'docker', docker: { volumes: ['/cache', '/certs/client/'] } });
  assert.equal(certsSharedVolume(r, '/certs')?.containerPath, '/certs/client');
  assert.equal(certsSharedVolume(r, '/certs/')?.index, 1);
  assert.equal(certsSharedVolume(r, '/certs2'), null, 'a custom cert dir is not covered by /certs/client');
  assert.equal(certsSharedVolume(r, ''), null);
  const parent = runner({ executor: 'docker', docker: { volumes: ['/srv/x:/certs'] } });
  assert.equal(certsSharedVolume(parent, '/certs')?.kind, 'bind');
  const k8s = runner({
    executor: 'kubernetes',
    kubernetes: { volumes: { empty_dir: [{ name: 'docker-certs', mount_path: '/certs/client', medium: 'Memory' }] } },
  });
  const v = certsSharedVolume(k8s, '/certs');
  assert.equal(v?.k8sType, 'empty_dir');
  assert.deepEqual(
    v?.origin.span,
    k8s.kubernetes?.tables.get('volumes')?.tableArrays.get('empty_dir')?.[0]?.entries.get('mount_path')?.valueSpan,
  );
  assert.equal(runnerVolumes(runner({ executor: 'kubernetes', docker: { volumes: ['/certs/client'] } })).length, 0);
});

test('PRIV_SVC: services_privileged ?? privileged, allow-list doublestar on the name as written, K8s override', () => {
  const p = (docker: Record<string, boolean | string[]>, name = 'docker:24.0.5-dind') =>
    servicePrivilege(runner({ executor: 'docker', docker }), name);
  assert.equal(p({ privileged: true }).privileged, true);
  assert.equal(p({ privileged: true }).source, 'privileged');
  assert.equal(p({}).privileged, false);
  assert.equal(p({}).source, 'default');
  assert.equal(p({ privileged: false, services_privileged: true }).privileged, true);
  assert.equal(p({ privileged: true, services_privileged: false }).privileged, false);
  assert.equal(p({ privileged: true, services_privileged: false }).source, 'services_privileged');
  const allow = { services_privileged: true, allowed_privileged_services: ['docker:*-dind'] };
  assert.equal(p(allow).privileged, true);
  assert.equal(p(allow).allowList?.matched?.pattern, 'docker:*-dind');
  const blocked = p(allow, 'docker.io/library/docker:24-dind');
  assert.equal(blocked.privileged, false);
  assert.equal(blocked.source, 'allow-list');
  assert.equal(blocked.allowList?.matched, null);
  assert.equal(p(allow, 'docker:dind').privileged, false);

  const k = (kubernetes: Record<string, unknown>) =>
    servicePrivilege(runner({ executor: 'kubernetes', kubernetes: kubernetes as never }), 'docker:dind');
  assert.equal(k({ privileged: true }).privileged, true);
  assert.equal(k({ privileged: true, service_container_security_context: { privileged: false } }).privileged, false);
  assert.equal(
    k({ service_container_security_context: { privileged: true } }).source,
    'service_container_security_context',
  );
  assert.equal(k({}).privileged, false);
  assert.equal(
    servicePrivilege(runner({ executor: 'shell', docker: { privileged: true } }), 'docker:dind').privileged,
    false,
  );
});

test('feature flags: [runners.feature_flags] > job variable > runner environment > default', () => {
  const vars = variables({ FF_NETWORK_PER_BUILD: 'true' });
  const full = runner({
    executor: 'docker',
    environment: ['FF_NETWORK_PER_BUILD=1'],
    feature_flags: { FF_NETWORK_PER_BUILD: false },
  });
  const a = featureFlag(full, vars, 'FF_NETWORK_PER_BUILD');
  assert.equal(a.value, false);
  assert.equal(a.source, 'runner-feature-flags');
  assert.deepEqual(
    a.origin?.span,
    full.table.tables.get('feature_flags')?.entries.get('FF_NETWORK_PER_BUILD')?.valueSpan,
  );

  const envOnly = runner({ executor: 'docker', environment: ['FF_NETWORK_PER_BUILD=1'] });
  const b = featureFlag(envOnly, variables({ FF_NETWORK_PER_BUILD: 'false' }), 'FF_NETWORK_PER_BUILD');
  assert.equal(b.value, false);
  assert.equal(b.source, 'variable');
  const c = featureFlag(envOnly, new Map(), 'FF_NETWORK_PER_BUILD');
  assert.equal(c.value, true);
  assert.equal(c.source, 'runner-environment');
  const d = featureFlag(null, variables({ FF_KUBERNETES_HONOR_ENTRYPOINT: 'yes' }), 'FF_KUBERNETES_HONOR_ENTRYPOINT');
  assert.equal(d.value, false, 'values that are not Go booleans are ignored');
  assert.equal(d.source, 'default');
});

test('container runtime: DockerLike runtime and K8s runtime_class_name, Sysbox detection', () => {
  assert.equal(containerRuntime(runner({ executor: 'docker', docker: { runtime: 'sysbox-runc' } }))?.sysbox, true);
  assert.equal(
    containerRuntime(runner({ executor: 'kubernetes', kubernetes: { runtime_class_name: 'sysbox-runc' } }))?.sysbox,
    true,
  );
  assert.equal(containerRuntime(runner({ executor: 'docker', docker: { runtime: 'nvidia' } }))?.sysbox, false);
  assert.equal(containerRuntime(runner({ executor: 'docker' })), null);
});
