// The canonical configurations of spec section B, built through the real engine (analyze on an in-memory
// workspace): for each, the facts rules read have the values the spec describes. B9 is taken as the docs give it
// (without the "/certs/client" volume), to show what that shape leads to.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  analyze,
  containerRuntime,
  JobFacts,
  listenerFor,
  tcpPorts,
  unixSockets,
  type KnownVar,
  type VarLookup,
} from '@engine';

import { B11, B2, B3, B4, B5, B6, B7, B8, B9, docsToml } from '../helpers/canonical';
import { MemoryHost } from '../helpers/memory-host';

function facts(ci: string, toml: string): JobFacts {
  const host = new MemoryHost({ '.gitlab-ci.yml': ci, 'config.toml': toml });
  const a = analyze(host, {
    workspaceRoot: host.root,
    pipelines: [host.abs('.gitlab-ci.yml')],
    runnerConfigs: [host.abs('config.toml')],
  });
  const job = a.pipelines[0]?.jobs[0];
  const runner = a.runnerConfigs[0]?.runners[0];
  assert.ok(job, 'the pipeline has a job');
  assert.ok(runner, 'the config has a runner');
  return new JobFacts(job, runner);
}

function known(v: VarLookup): KnownVar {
  assert.equal(v.state, 'set', `${v.name} is set`);
  return v;
}

function onlyDind(f: JobFacts) {
  assert.equal(f.dindServices.length, 1);
  const s = f.dindServices[0];
  assert.ok(s);
  return s;
}

test('B2 Docker executor, dind with TLS: TLS on, certs shared, client auto-configures tcp://docker:2376', () => {
  const f = facts(B2.ci, B2.toml);
  const s = onlyDind(f);
  const d = f.daemon(s);
  assert.equal(d.tls, true);
  assert.equal(known(d.certDir).value, '/certs');
  assert.equal(known(d.certDir).layer, 'global');
  assert.ok(f.certsShared('/certs'));
  assert.equal(f.privilege(s)?.privileged, true);
  assert.equal(f.clientAuto.value, true);
  assert.equal(f.dockerHost.source, 'entrypoint');
  assert.equal(f.dockerHost.value, 'tcp://docker:2376');
  assert.equal(f.dockerHost.entrypointTls, true);
  const ep = f.dockerHost.endpoint;
  assert.ok(ep && ep.scheme === 'tcp');
  assert.equal(listenerFor(d, ep)?.tls, true);
  assert.equal(f.socketMount, null);
  assert.equal(f.usesDocker.value, true);
  assert.ok(f.aliases(s).includes('docker'));
});

test('B3 Docker executor, dind without TLS: TLS off, DOCKER_HOST variable on 2375 matches the daemon', () => {
  const f = facts(B3.ci, B3.toml);
  const d = f.daemon(onlyDind(f));
  assert.equal(d.tls, false);
  assert.deepEqual(tcpPorts(d), [2375]);
  assert.equal(f.dockerHost.source, 'variable');
  const ep = f.dockerHost.endpoint;
  assert.ok(ep && ep.scheme === 'tcp' && ep.port === 2375);
  assert.equal(listenerFor(d, ep)?.tls, false);
  assert.equal(f.certsShared('/certs'), null);
});

test('B4 Unix socket on a shared volume: the daemon listens on the DOCKER_HOST socket inside the shared volume', () => {
  const f = facts(B4.ci, B4.toml);
  const d = f.daemon(onlyDind(f));
  assert.deepEqual(unixSockets(d), ['/runner/services/docker/docker.sock']);
  assert.equal(d.tls, true, 'the service still opens 2376 when DOCKER_TLS_CERTDIR is set by the image');
  const ep = f.dockerHost.endpoint;
  assert.ok(ep && ep.scheme === 'unix');
  assert.ok(listenerFor(d, ep));
  assert.equal(f.socketMount, null);
});

test('B5 Docker socket binding: no dind, the socket is mounted and the client entrypoint picks it', () => {
  const f = facts(B5.ci, B5.toml);
  assert.equal(f.dindServices.length, 0);
  assert.equal(f.socketMount?.index, 0);
  assert.equal(f.dockerHost.branch, 'socket');
  assert.equal(f.dockerHost.value, 'unix:///var/run/docker.sock');
  assert.equal(f.usesDocker.value, true);
});

test('B6 Kubernetes, dind with TLS: certs on an empty_dir, no client auto-config, explicit TLS variables', () => {
  const f = facts(B6.ci, B6.toml);
  assert.equal(f.executor, 'kubernetes');
  const s = onlyDind(f);
  const d = f.daemon(s);
  assert.equal(d.tls, true);
  assert.equal(f.certsShared('/certs')?.k8sType, 'empty_dir');
  assert.equal(f.privilege(s)?.privileged, true);
  assert.equal(f.clientAuto.value, false);
  assert.equal(f.clientAuto.reason, 'kubernetes-entrypoint-not-honored');
  assert.equal(f.dockerHost.source, 'variable');
  assert.equal(known(f.buildVar('DOCKER_CERT_PATH')).value, '/certs/client');
  assert.equal(known(f.buildVar('DOCKER_TLS_VERIFY')).value, '1');
  assert.equal(known(f.serviceVar(s, 'HEALTHCHECK_TCP_PORT')).value, String(d.entrypointPort));
});

test('B7 Kubernetes, dind without TLS: port 2375 everywhere, nothing to share', () => {
  const f = facts(B7.ci, B7.toml);
  const s = onlyDind(f);
  const d = f.daemon(s);
  assert.equal(d.tls, false);
  assert.equal(d.entrypointPort, 2375);
  assert.equal(known(f.serviceVar(s, 'HEALTHCHECK_TCP_PORT')).value, '2375');
  const ep = f.dockerHost.endpoint;
  assert.ok(ep && ep.scheme === 'tcp' && ep.port === 2375);
  assert.equal(f.privilege(s)?.source, 'privileged');
});

test('B8 Kubernetes socket binding: host_path socket mount, no dind, unprivileged', () => {
  const f = facts(B8.ci, B8.toml);
  assert.equal(f.dindServices.length, 0);
  const m = f.socketMount;
  assert.equal(m?.k8sType, 'host_path');
  assert.equal(m?.readOnly, true);
  assert.equal(f.usesDocker.value, true);
});

test('B9 rootless dind with restricted privileged mode: privileged via the allow-list, TLS on but certs not shared', () => {
  const f = facts(B9.ci, docsToml('B9'));
  const s = onlyDind(f);
  assert.equal(f.isRootless(s), true);
  const p = f.privilege(s);
  assert.equal(p?.privileged, true);
  assert.equal(p?.source, 'services_privileged');
  assert.equal(p?.allowList?.matched?.pattern, 'docker:dind-rootless');
  assert.equal(f.daemon(s).tls, true);
  assert.equal(f.certsShared('/certs'), null);
  assert.equal(f.dockerHost.value, 'tcp://docker:2375', 'the client finds no certs and falls back to 2375 (A9)');
});

test('B11 Sysbox runtime: unprivileged services, sysbox runtime, TLS with shared certs', () => {
  const f = facts(B11.ci, B11.toml);
  const s = onlyDind(f);
  assert.equal(f.privilege(s)?.privileged, false);
  assert.ok(f.runner);
  assert.equal(containerRuntime(f.runner)?.sysbox, true);
  assert.equal(f.daemon(s).tls, true);
  assert.equal(f.dockerHost.value, 'tcp://docker:2376');
});
