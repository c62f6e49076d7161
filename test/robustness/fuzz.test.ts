// Mutation fuzzing over the corpus (a few thousand inputs, bounded in time) and fast-check properties over
// generated pipelines and runner configs. The long run (100,000+ inputs) is `npm run fuzz`.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import fc from 'fast-check';

import { CORPUS, CORPUS_ABSENT_REASON, CORPUS_PRESENT } from '../helpers/paths';
import { checkCase, fuzz, loadSeeds, PIPELINE_YAML, RUNNER_TOML } from './fuzz-core';

/** Inputs per `npm test` run: a fixed count, so the run does not depend on how busy the machine is. */
const INPUTS = 800;
/** One input may take at most this long: a hang detector, generous for small and busy CI machines. */
const SLOW_MS = 10_000;

function report(failures: readonly { seed: number; source: string; message: string }[]): string {
  return failures
    .slice(0, 10)
    .map((f) => `input ${f.seed} (${f.source}): ${f.message}`)
    .join('\n');
}

test('mutated corpus files: no exception escapes, every input is quick, spans stay in their files', (t) => {
  if (!CORPUS_PRESENT) {
    t.skip(CORPUS_ABSENT_REASON);
    return;
  }
  const seeds = loadSeeds(CORPUS);
  assert.ok(seeds.length > 50, `corpus seeds found: ${seeds.length}`);
  const totals = fuzz(seeds, 0, INPUTS, { maxFixes: 20, slowMs: SLOW_MS });
  t.diagnostic(
    `${totals.inputs} inputs, ${totals.findings} findings, ${totals.fixesChecked} fixes checked, max ${totals.maxMs.toFixed(0)} ms`,
  );
  assert.equal(totals.inputs, INPUTS, 'every input ran');
  assert.ok(totals.findings > totals.inputs, 'the inputs reach the rules');
  assert.ok(totals.fixesChecked > 0, 'some fixes were checked');
  assert.equal(totals.failures.length, 0, report(totals.failures));
  assert.equal(totals.internalErrors.length, 0, report(totals.internalErrors));
  // Fixes that would add syntax errors are withheld from users by the adapters' safety net (asserted above through
  // `failures`); they are still rule bugs, listed here and by `npm run fuzz` (which fails on them).
  if (totals.fixFailures.length > 0) {
    t.diagnostic(`fixes withheld by the safety net (rule bugs):\n${report(totals.fixFailures)}`);
  }
});

/** A pipeline assembled from DinD-relevant pieces: a structure fast-check can shrink to a minimal failing case. */
const pipelineArb = fc
  .array(
    fc.record({
      name: fc.constantFrom('build', '.tpl', 'test', 'deploy', 'default'),
      image: fc.option(fc.constantFrom('docker:24', 'docker:latest', 'docker:24.0.7-cli', '"$IMAGE"', 'alpine'), {
        nil: undefined,
      }),
      services: fc.array(
        fc.constantFrom(
          'docker:dind',
          'docker:24-dind',
          '{name: "docker:24-dind", alias: docker}',
          '{name: docker:dind, command: ["--tls=false"]}',
          'docker:24-dind-rootless',
          'postgres',
        ),
        { maxLength: 3 },
      ),
      vars: fc.dictionary(
        fc.constantFrom('DOCKER_HOST', 'DOCKER_TLS_CERTDIR', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_DRIVER'),
        fc.constantFrom('tcp://docker:2376', 'tcp://docker:2375', 'tcp://localhost:2375', '""', '/certs', '1', 'vfs'),
      ),
      extendsTpl: fc.boolean(),
      script: fc.constantFrom('docker build .', 'docker info', 'echo hi', 'docker buildx build --push .'),
    }),
    { maxLength: 6 },
  )
  .map((jobs) =>
    jobs
      .map((j) => {
        const lines = [`${j.name}:`];
        if (j.extendsTpl && j.name !== '.tpl' && j.name !== 'default') lines.push('  extends: .tpl');
        if (j.image) lines.push(`  image: ${j.image}`);
        if (j.services.length > 0) lines.push(`  services: [${j.services.join(', ')}]`);
        const vars = Object.entries(j.vars);
        if (vars.length > 0) lines.push('  variables:', ...vars.map(([k, v]) => `    ${k}: ${v}`));
        if (j.name !== 'default') lines.push(`  script: [${JSON.stringify(j.script)}]`);
        return lines.join('\n');
      })
      .join('\n'),
  );

const runnerArb = fc
  .record({
    executor: fc.constantFrom('docker', 'kubernetes', 'shell', 'docker+machine', 'docker-autoscaler'),
    privileged: fc.option(fc.boolean(), { nil: undefined }),
    volumes: fc.array(fc.constantFrom('"/certs/client"', '"/cache"', '"/var/run/docker.sock:/var/run/docker.sock"'), {
      maxLength: 3,
    }),
    tlsVerify: fc.option(fc.boolean(), { nil: undefined }),
    environment: fc.array(fc.constantFrom('"DOCKER_TLS_CERTDIR="', '"DOCKER_HOST=tcp://docker:2375"', '"X"'), {
      maxLength: 2,
    }),
  })
  .map((r) => {
    const section = r.executor === 'kubernetes' ? 'kubernetes' : 'docker';
    const lines = ['[[runners]]', '  name = "gen"', `  executor = "${r.executor}"`];
    if (r.environment.length > 0) lines.push(`  environment = [${r.environment.join(', ')}]`);
    lines.push(`  [runners.${section}]`);
    if (r.privileged !== undefined) lines.push(`    privileged = ${r.privileged}`);
    if (r.tlsVerify !== undefined) lines.push(`    tls_verify = ${r.tlsVerify}`);
    if (section === 'docker') lines.push(`    volumes = [${r.volumes.join(', ')}]`);
    return `${lines.join('\n')}\n`;
  });

test('generated pipelines × runner configs: no exception, valid spans, fixes within their files', (t) => {
  const fixFailures = new Set<string>();
  fc.assert(
    fc.property(pipelineArb, runnerArb, (pipeline, runner) => {
      const r = checkCase(
        new Map([
          ['/ws/.gitlab-ci.yml', pipeline],
          ['/ws/config.toml', runner],
          ['/ws/ci/other.yml', 'other:\n  script: [echo]\n'],
        ]),
        50,
      );
      assert.deepEqual([...r.failures, ...r.internalErrors], []);
      assert.ok(
        r.fixFailures.every((f) => !/out of range|outside the workspace/.test(f)),
        r.fixFailures.join('\n'),
      );
      for (const f of r.fixFailures) fixFailures.add(f);
    }),
    { numRuns: 300 },
  );
  // Generated pipelines repeat top-level keys (a duplicate job or default:), where an edit may miss; such fixes are
  // withheld by the safety net (the failures above assert it), and listed here.
  if (fixFailures.size > 0) t.diagnostic(`fixes withheld by the safety net:\n${[...fixFailures].join('\n')}`);
});

test('arbitrary text as a pipeline or a runner config never escapes the engine', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.boolean(), (text, asToml) => {
      const r = checkCase(
        new Map([
          ['/ws/.gitlab-ci.yml', asToml ? PIPELINE_YAML : text],
          ['/ws/config.toml', asToml ? text : RUNNER_TOML],
        ]),
        20,
      );
      assert.deepEqual([...r.failures, ...r.internalErrors], []);
    }),
    { numRuns: 300 },
  );
});
