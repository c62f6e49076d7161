import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  clientAuto,
  daemonFacts,
  dockerInvocations,
  findDockerCommands,
  flagValue,
  hostFlags,
  JobFacts,
  listenerFor,
  parseDockerHost,
  positionals,
  tcpPorts,
  unixSockets,
  usesDocker,
  VariableScope,
  variableLayer,
} from '@engine';

import { job, runner, service, variables } from './factories';

const scope = (vars: Record<string, string>) => new VariableScope([variableLayer(variables(vars))]);

test('parseDockerHost: tcp with and without port, IPv6, unix, others, invalid', () => {
  assert.deepEqual(parseDockerHost('tcp://docker:2376'), {
    scheme: 'tcp',
    host: 'docker',
    port: 2376,
    explicitPort: true,
    raw: 'tcp://docker:2376',
  });
  const noPort = parseDockerHost('tcp://docker');
  assert.equal(noPort.scheme === 'tcp' && noPort.port, 2375);
  const noPortTls = parseDockerHost('tcp://docker', true);
  assert.equal(noPortTls.scheme === 'tcp' && noPortTls.port, 2376);
  const v6 = parseDockerHost('tcp://[::1]:2375');
  assert.equal(v6.scheme === 'tcp' && v6.host, '::1');
  const unix = parseDockerHost('unix:///runner/services/docker/docker.sock');
  assert.equal(unix.scheme === 'unix' && unix.path, '/runner/services/docker/docker.sock');
  assert.equal(parseDockerHost('ssh://me@host').scheme, 'ssh');
  assert.equal(parseDockerHost('docker:2375').scheme, 'invalid');
  assert.equal(parseDockerHost('tcp://docker:abc').scheme, 'invalid');
});

test('TLS_ON and listeners: entrypoint flags, custom unix DOCKER_HOST, --host flags, dockerd bypass', () => {
  const tls = daemonFacts(service('docker:24.0.5-dind'), scope({ DOCKER_TLS_CERTDIR: '/certs' }));
  assert.equal(tls.tls, true);
  assert.equal(tls.entrypointRuns, true);
  assert.equal(tls.entrypointPort, 2376);
  assert.deepEqual(tcpPorts(tls), [2376]);
  assert.deepEqual(unixSockets(tls), ['/var/run/docker.sock']);

  const plain = daemonFacts(service('docker:24.0.5-dind'), scope({ DOCKER_TLS_CERTDIR: '' }));
  assert.equal(plain.tls, false);
  assert.deepEqual(tcpPorts(plain), [2375]);
  assert.equal(listenerFor(plain, parseDockerHost('tcp://docker:2376')), undefined);
  assert.equal(listenerFor(plain, parseDockerHost('tcp://docker:2375'))?.tls, false);

  const sock = daemonFacts(
    service('docker:24.0.5-dind'),
    scope({ DOCKER_TLS_CERTDIR: '/certs', DOCKER_HOST: 'unix:///runner/services/docker/docker.sock' }),
  );
  assert.deepEqual(unixSockets(sock), ['/runner/services/docker/docker.sock']);

  const flags = daemonFacts(
    service({ name: 'docker:dind', command: ['--host=tcp://0.0.0.0:2377', '--tls=false'] }),
    scope({ DOCKER_TLS_CERTDIR: '' }),
  );
  assert.deepEqual(tcpPorts(flags), [2375, 2377]);
  assert.equal(flags.tlsExplicitlyDisabled, true);

  const dockerd = daemonFacts(
    service({ name: 'docker:dind', command: ['dockerd', '--mtu=1360'] }),
    scope({ DOCKER_TLS_CERTDIR: '/certs' }),
  );
  assert.equal(dockerd.tls, false, 'TLS_ON requires the entrypoint logic');
  assert.equal(dockerd.commandIsDockerd, true);
  assert.equal(dockerd.bypassedBy, 'dockerd');
  assert.deepEqual(tcpPorts(dockerd), []);

  const dockerdHost = daemonFacts(
    service({ name: 'docker:dind', command: ['dockerd', '-H', 'tcp://0.0.0.0:2376', '--tlsverify'] }),
    scope({}),
  );
  assert.deepEqual(tcpPorts(dockerdHost), [2376]);
  assert.equal(dockerdHost.tls, true);

  const wrapped = daemonFacts(
    service({
      name: 'docker:19.03-dind',
      command: ['/bin/sh', '-c', 'update-ca-certificates && dockerd-entrypoint.sh || exit'],
    }),
    scope({ DOCKER_TLS_CERTDIR: '' }),
  );
  assert.equal(wrapped.entrypointRuns, true, 'a script that ends in dockerd-entrypoint.sh keeps the entrypoint logic');
  const overridden = daemonFacts(
    service({ name: 'docker:dind', entrypoint: ['/bin/sh'] }),
    scope({ DOCKER_TLS_CERTDIR: '/certs' }),
  );
  assert.equal(overridden.entrypointRuns, false);
  assert.equal(overridden.bypassedBy, '/bin/sh');

  const unknown = daemonFacts(service('docker:dind'), scope({ DOCKER_TLS_CERTDIR: '$PROJECT_CERTDIR' }));
  assert.equal(unknown.tls, null, 'an invisible cert dir makes TLS_ON unknown');
  assert.deepEqual(hostFlags(['-H=unix:///x.sock', '--host', 'tcp://0.0.0.0:1']), [
    'unix:///x.sock',
    'tcp://0.0.0.0:1',
  ]);
});

test('CLIENT_AUTO: docker image, entrypoint not overridden, executor runs entrypoints (K8s needs the flag)', () => {
  const j = job({ image: 'docker:24.0.5-cli' });
  const img = new JobFacts(j, null).image;
  assert.equal(clientAuto(img, runner({ executor: 'docker' }), j.variables).value, true);
  assert.equal(clientAuto(img, null, j.variables).value, true, 'no runner known: a Docker executor is assumed');
  const k8s = runner({ executor: 'kubernetes' });
  const off = clientAuto(img, k8s, j.variables);
  assert.equal(off.value, false);
  assert.equal(off.reason, 'kubernetes-entrypoint-not-honored');
  assert.equal(off.flag?.source, 'default');
  assert.equal(clientAuto(img, k8s, variables({ FF_KUBERNETES_HONOR_ENTRYPOINT: 'true' })).value, true);
  const ffRunner = runner({ executor: 'kubernetes', feature_flags: { FF_KUBERNETES_HONOR_ENTRYPOINT: false } });
  assert.equal(clientAuto(img, ffRunner, variables({ FF_KUBERNETES_HONOR_ENTRYPOINT: 'true' })).value, false);

  const py = new JobFacts(job({ image: 'python:3.12' }), null);
  assert.equal(py.clientAuto.reason, 'not-docker-image');
  const ep = job({ image: { name: 'docker:24.0.5-cli', entrypoint: [''] } });
  const epFacts = new JobFacts(ep, runner({ executor: 'docker' }));
  assert.equal(epFacts.clientAuto.reason, 'entrypoint-overridden');
  assert.equal(epFacts.clientAuto.entrypointOrigin, ep.image?.entrypoint?.origin);
  const locked = new JobFacts(ep, runner({ executor: 'docker', docker: { disable_entrypoint_overwrite: true } }));
  assert.equal(locked.clientAuto.value, true);
  assert.equal(new JobFacts(job(), runner({ executor: 'docker' })).clientAuto.reason, 'no-image');
  assert.equal(new JobFacts(j, runner({ executor: 'shell' })).clientAuto.reason, 'executor-without-containers');
});

test('the runner default image is the job image when the job sets none', () => {
  const r = runner({ executor: 'docker', docker: { image: 'docker:24.0.5-cli' } });
  const f = new JobFacts(job({ services: ['docker:24.0.5-dind'] }), r);
  assert.equal(f.image?.source, 'runner');
  assert.deepEqual(f.image?.origin.span, r.docker?.entries.get('image')?.valueSpan);
  assert.equal(f.clientAuto.value, true);
  assert.equal((f.buildVar('DOCKER_TLS_CERTDIR') as { value: string }).value, '/certs');
});

test('DOCKER_HOST_eff: explicit variable, entrypoint branches, CLI default', () => {
  const shared = runner({ executor: 'docker', docker: { privileged: true, volumes: ['/certs/client', '/cache'] } });
  const notShared = runner({ executor: 'docker', docker: { privileged: true, volumes: ['/cache'] } });
  const tlsJob = job({ image: 'docker:24.0.5-cli', services: ['docker:24.0.5-dind'] });

  const a = new JobFacts(tlsJob, shared).dockerHost;
  assert.equal(a.source, 'entrypoint');
  assert.equal(a.value, 'tcp://docker:2376');
  assert.equal(a.branch, 'certs');
  assert.equal(a.entrypointTls, true);
  assert.equal(a.certPath, '/certs/client');
  assert.equal(a.volume?.containerPath, '/certs/client');

  const b = new JobFacts(tlsJob, notShared).dockerHost;
  assert.equal(b.value, 'tcp://docker:2375');
  assert.equal(b.branch, 'no-certs');

  const c = new JobFacts(tlsJob, null).dockerHost;
  assert.equal(c.value, 'tcp://docker:2376');
  assert.equal(c.assumed, true);

  const explicit = job({
    image: 'docker:24.0.5-cli',
    services: ['docker:24.0.5-dind'],
    variables: { DOCKER_HOST: 'tcp://docker:2375' },
  });
  const d = new JobFacts(explicit, shared).dockerHost;
  assert.equal(d.source, 'variable');
  assert.equal(d.variable?.origin, explicit.variables.get('DOCKER_HOST')?.origin);
  assert.equal(d.endpoint?.scheme === 'tcp' && d.endpoint.port, 2375);

  const unknown = job({ image: 'docker:24.0.5-cli', variables: { DOCKER_HOST: '$MY_DOCKER_HOST' } });
  const u = new JobFacts(unknown, shared).dockerHost;
  assert.equal(u.source, 'variable');
  assert.equal(u.value, null);

  const socket = runner({ executor: 'docker', docker: { volumes: ['/var/run/docker.sock:/var/run/docker.sock'] } });
  const e = new JobFacts(tlsJob, socket).dockerHost;
  assert.equal(e.branch, 'socket');
  assert.equal(e.value, 'unix:///var/run/docker.sock');

  const k8s = new JobFacts(tlsJob, runner({ executor: 'kubernetes', kubernetes: { privileged: true } })).dockerHost;
  assert.equal(k8s.source, 'default');
  assert.equal(k8s.value, 'unix:///var/run/docker.sock');

  const certs2 = job({
    image: 'docker:24.0.5-cli',
    services: ['docker:24.0.5-dind'],
    variables: { DOCKER_TLS_CERTDIR: '/certs2' },
  });
  assert.equal(new JobFacts(certs2, shared).dockerHost.branch, 'no-certs', '/certs2/client is not shared');
});

test('USES_DOCKER and docker invocations in scripts', () => {
  const j = job({
    image: 'alpine:3',
    script: [
      'echo "$CI_REGISTRY_PASSWORD" | docker login $CI_REGISTRY --username $CI_REGISTRY_USER --password-stdin',
      'docker context create builder-ctx && sudo docker buildx create builder-ctx --driver docker-container --use',
      'echo "docker build is not run here"',
      'docker-compose up -d',
    ],
  });
  const usage = usesDocker(j, null);
  assert.equal(usage.value, true);
  assert.equal(usage.reason, 'script');
  assert.equal(usage.line, j.script[0]);
  const all = dockerInvocations(j);
  assert.deepEqual(
    all.map((i) => i.args.slice(0, 2)),
    [
      ['login', '$CI_REGISTRY'],
      ['context', 'create'],
      ['buildx', 'create'],
    ],
  );
  const login = findDockerCommands(j, 'login')[0];
  assert.ok(login);
  assert.equal(login.line.text.slice(login.offset, login.offset + 6), 'docker');
  assert.equal(flagValue(login.args, '--username', '-u'), '$CI_REGISTRY_USER');
  const create = findDockerCommands(j, 'buildx', 'create')[0];
  assert.ok(create);
  assert.equal(flagValue(create.args, '--driver'), 'docker-container');
  assert.deepEqual(positionals(create.args, 2, ['--driver']), ['builder-ctx']);
  assert.equal(findDockerCommands(j, 'context', 'create')[0]?.args[2], 'builder-ctx');

  assert.equal(usesDocker(job({ image: 'alpine:3', script: ['echo hi', 'make dockerfile'] }), null).value, false);
  const byImage = new JobFacts(job({ image: 'docker:24.0.5-cli', script: ['echo hi'] }), null).usesDocker;
  assert.equal(byImage.reason, 'image');
});
