// The per-object memos of the semantics layer: computed once per key object, and equal to a fresh computation on
// every fixture runner config (a structured clone is a new key, so it is computed anew).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  certsSharedVolume,
  parseDockerTag,
  dockerInvocations,
  environmentItems,
  memoByObject,
  memoByPair,
  runnerEnvironment,
  runnerEnvironmentLayer,
  runnerServiceEnvironmentLayer,
  runnerVolumes,
  dockerVolumes,
  kubernetesVolumes,
  variableLayer,
  VariableScope,
  withSharedFacts,
  JobFacts,
  MAX_SHARED_FACT_PAIRS,
  type Runner,
} from '@engine';

import { parse, tomlFixtures } from '../runner/util';
import { job, runner, variable, variables } from './factories';

test('memoByObject: one computation per key object, separate entries for distinct keys', () => {
  let calls = 0;
  const size = memoByObject((o: { n: number }) => ({ n: o.n, call: ++calls }));
  const a = { n: 1 };
  const b = { n: 1 };
  const first = size(a);
  assert.equal(size(a), first, 'the same key gives the same result object');
  assert.equal(calls, 1);
  assert.notEqual(size(b), first, 'an equal but distinct key is computed anew');
  assert.equal(calls, 2);
});

test('memoByObject: an undefined result is remembered too', () => {
  let calls = 0;
  const nothing = memoByObject((_: object): undefined => void calls++);
  const key = {};
  assert.equal(nothing(key), undefined);
  assert.equal(nothing(key), undefined);
  assert.equal(calls, 1);
});

test('memoByPair: per (a, b); null and undefined second keys share one entry per first key', () => {
  const seen: string[] = [];
  const pair = memoByPair((a: { id: string }, b: { id: string } | null | undefined) => {
    seen.push(`${a.id}/${b?.id ?? '-'}`);
    return `${a.id}/${b?.id ?? '-'}`;
  });
  const a1 = { id: 'a1' };
  const a2 = { id: 'a2' };
  const b1 = { id: 'b1' };
  assert.equal(pair(a1, b1), 'a1/b1');
  assert.equal(pair(a1, b1), 'a1/b1');
  assert.equal(pair(a1, null), 'a1/-');
  assert.equal(pair(a1, undefined), 'a1/-');
  assert.equal(pair(a2, b1), 'a2/b1');
  assert.equal(pair(a2, undefined), 'a2/-');
  assert.deepEqual(seen, ['a1/b1', 'a1/-', 'a2/b1', 'a2/-']);
});

/** Every runner of every fixture config, with a structured clone of it (a distinct, equal runner). */
function fixtureRunners(): [string, Runner, Runner][] {
  const out: [string, Runner, Runner][] = [];
  for (const [name, text] of tomlFixtures()) {
    for (const runner of parse(text).runners) out.push([`${name} ${runner.label}`, runner, structuredClone(runner)]);
  }
  return out;
}

test('runner memos: the remembered volumes and environments equal a fresh computation, for every fixture runner', () => {
  const runners = fixtureRunners();
  assert.ok(runners.length > 10, `checked ${runners.length} runners`);
  let volumes = 0;
  let environments = 0;
  for (const [name, runner, clone] of runners) {
    const first = runnerVolumes(runner);
    assert.equal(runnerVolumes(runner), first, `${name}: the second call is served from the memo`);
    assert.deepEqual(first, runnerVolumes(clone), `${name}: runnerVolumes`);
    assert.deepEqual(dockerVolumes(runner), dockerVolumes(clone), `${name}: dockerVolumes`);
    assert.deepEqual(kubernetesVolumes(runner), kubernetesVolumes(clone), `${name}: kubernetesVolumes`);
    assert.deepEqual(runnerEnvironment(runner), runnerEnvironment(clone), `${name}: runnerEnvironment`);
    assert.deepEqual(runnerEnvironmentLayer(runner), runnerEnvironmentLayer(clone), `${name}: environment layer`);
    runner.services.forEach((svc, i) => {
      const cloned = clone.services[i]?.table;
      assert.deepEqual(environmentItems(runner, svc.table), environmentItems(clone, cloned), `${name}: service ${i}`);
      assert.deepEqual(
        runnerServiceEnvironmentLayer(runner, svc.table),
        runnerServiceEnvironmentLayer(clone, cloned),
        `${name}: service ${i} layer`,
      );
    });
    assert.deepEqual(environmentItems(runner, null), new Map());
    for (const dir of ['/certs', '/certs/', '/certs/client/..', '/builds', '']) {
      const shared = certsSharedVolume(runner, dir);
      assert.equal(certsSharedVolume(runner, dir), shared, `${name}: CERTS_SHARED(${dir}) is remembered`);
      assert.deepEqual(shared, certsSharedVolume(clone, dir), `${name}: CERTS_SHARED(${dir})`);
    }
    volumes += first.length;
    environments += runnerEnvironment(runner).size;
  }
  assert.ok(volumes > 0 && environments > 0, `fixtures hold volumes (${volumes}) and environments (${environments})`);
});

test('variableLayer: once per variable map, equal to the layer of an equal map', () => {
  const vars = variables({ DOCKER_HOST: 'tcp://docker:2376', DOCKER_TLS_CERTDIR: '/certs' });
  const layer = variableLayer(vars);
  assert.equal(variableLayer(vars), layer);
  assert.deepEqual(variableLayer(new Map(vars)), layer);
  assert.deepEqual([...layer.keys()], ['DOCKER_HOST', 'DOCKER_TLS_CERTDIR']);
});

test('VariableScope.get: one lookup per name, equal to a fresh scope over the same layers', () => {
  const layer = variableLayer(variables({ HOST: 'tcp://$ALIAS:2376', ALIAS: 'docker' }));
  const scope = new VariableScope([layer]);
  const host = scope.get('HOST');
  assert.equal(scope.get('HOST'), host);
  assert.deepEqual(host, new VariableScope([layer]).get('HOST'));
  assert.equal(host.state === 'set' && host.value, 'tcp://docker:2376');
  assert.deepEqual(scope.get('NOPE'), { state: 'unset', name: 'NOPE', externalPossible: true });
});

test('JobFacts.variants with shared memos: the same instances for one (job, runner, settings), equal facts', () => {
  const fallback = variable('DOCKER_HOST', { value: 'tcp://docker:2375', layer: 'global' });
  const j = job({
    image: 'docker:24.0.5-cli',
    services: ['docker:24.0.5-dind'],
    variables: {
      DOCKER_HOST: { value: 'tcp://docker:2376', layer: 'job-rules', conditional: true, alternatives: [fallback] },
    },
  });
  const r = runner({ executor: 'docker', docker: { volumes: ['/certs/client'] } });
  const facts = (f: JobFacts) => ({
    label: f.variant.label,
    host: f.dockerHost,
    services: f.dindServices,
    daemons: f.dindServices.map((s) => f.daemon(s)),
  });
  const shared = withSharedFacts(true, () => {
    const first = JobFacts.variants(j, r);
    const again = JobFacts.variants(j, r);
    assert.equal(first.length, 2);
    first.forEach((f, i) => assert.equal(again[i], f, `variant ${i} is the same instance`));
    assert.equal(again, first, 'one shared array (readonly: no copy per call)');
    assert.notEqual(JobFacts.variants(j, runner({ executor: 'docker' }))[0], first[0], 'another runner: new facts');
    return first.map(facts);
  });
  const alone = withSharedFacts(false, () => {
    const first = JobFacts.variants(j, r);
    assert.notEqual(JobFacts.variants(j, r)[0], first[0], 'without sharing every call makes new facts');
    return first.map(facts);
  });
  assert.deepEqual(shared, alone);
  assert.deepEqual(
    shared.map((f) => [f.label, f.host.value]),
    [
      ['all', 'tcp://docker:2376'],
      ['without-conditional', 'tcp://docker:2375'],
    ],
  );
});

test('JobFacts sharing is bounded: beyond MAX_SHARED_FACT_PAIRS (job, runner) pairs the oldest get new, equal facts', () => {
  const r = runner({ executor: 'docker', docker: { volumes: ['/certs/client'] } });
  const jobs = Array.from({ length: MAX_SHARED_FACT_PAIRS + 1 }, () =>
    job({ image: 'docker:24.0.5-cli', services: ['docker:24.0.5-dind'] }),
  );
  withSharedFacts(true, () => {
    const [oldest] = JobFacts.variants(jobs[0]!, r);
    for (const j of jobs.slice(1, MAX_SHARED_FACT_PAIRS)) JobFacts.variants(j, r);
    assert.equal(JobFacts.variants(jobs[0]!, r)[0], oldest, 'still shared at the limit');
    const [newest] = JobFacts.variants(jobs[MAX_SHARED_FACT_PAIRS]!, r);
    const [again] = JobFacts.variants(jobs[0]!, r);
    assert.notEqual(again, oldest, 'the oldest pair was dropped by the next one');
    assert.equal(JobFacts.variants(jobs[MAX_SHARED_FACT_PAIRS]!, r)[0], newest, 'the newest pair is shared');
    assert.deepEqual(again?.dockerHost, oldest?.dockerHost);
    assert.deepEqual(again?.dindServices, oldest?.dindServices);
  });
});

test('dockerInvocations: once per script list, equal to the invocations of an equal list', () => {
  const j = job({
    script: ['docker login -u x', 'echo hi && sudo docker buildx create --use', 'DOCKER_HOST=x docker ps'],
  });
  const first = dockerInvocations(j);
  assert.equal(dockerInvocations({ script: j.script }), first, 'keyed by the script list, not the job object');
  assert.deepEqual(dockerInvocations({ script: [...j.script] }), first);
  assert.deepEqual(
    first.map((i) => i.args.join(' ')),
    ['login -u x', 'buildx create --use', 'ps'],
  );
});

test('parseDockerTag: remembered by text, and equal after the bounded memo was cleared', () => {
  const tags = ['24.0.7-dind', '24-cli', 'dind-rootless', null, 'latest', '27.1.0-rc.1-dind'];
  const first = tags.map((t) => parseDockerTag(t));
  tags.forEach((t, i) => assert.equal(parseDockerTag(t), first[i], `${t}: the same object`));
  for (let i = 0; i < 1_100; i++) parseDockerTag(`${i}.0.0-dind`);
  tags.forEach((t, i) => assert.deepEqual(parseDockerTag(t), first[i], `${t}: equal after eviction`));
  assert.deepEqual(parseDockerTag('24.0.7-dind').version, {
    kind: 'pinned',
    major: 24,
    minor: 0,
    patch: 7,
    prerelease: null,
    text: '24.0.7',
  });
  assert.equal(parseDockerTag(null).version.kind, 'floating');
});
