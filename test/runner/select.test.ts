import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  ASSUMED_RUNNER_FILE,
  DEFAULT_SETTINGS,
  SourceStore,
  assumedRunnerConfig,
  selectRunners,
  type EffectiveJob,
  type Runner,
} from '@engine';

import { MemoryHost } from '../helpers/memory-host';
import { parse } from './util';

const TEXT = `[[runners]]
  name = "dind"
  executor = "docker"
  [runners.docker]
    privileged = true
[[runners]]
  name = "socket"
  executor = "docker"
[[runners]]
  executor = "kubernetes"
`;

function job(tags: string[]): EffectiveJob {
  return { name: 'build', tags } as unknown as EffectiveJob;
}

function names(runners: readonly Runner[]): string[] {
  return runners.map((r) => r.label);
}

describe('runner selection', () => {
  const candidates = parse(TEXT).runners;

  test('without a tag mapping every runner is a candidate', () => {
    assert.deepEqual(names(selectRunners(job(['x']), candidates, DEFAULT_SETTINGS)), ['dind', 'socket', 'runners[2]']);
  });

  test('with a mapping, runners whose tags cover the job tags', () => {
    const settings = { ...DEFAULT_SETTINGS, runnerTags: { dind: ['docker', 'privileged'], socket: ['docker'] } };
    assert.deepEqual(names(selectRunners(job(['docker', 'privileged']), candidates, settings)), ['dind']);
    assert.deepEqual(names(selectRunners(job(['docker']), candidates, settings)), ['dind', 'socket']);
    assert.deepEqual(names(selectRunners(job([]), candidates, settings)), ['dind', 'socket']);
  });

  test('tags that no mapped runner covers fall back to the unmapped runners', () => {
    const settings = { ...DEFAULT_SETTINGS, runnerTags: { dind: ['docker'] } };
    assert.deepEqual(names(selectRunners(job(['gpu']), candidates, settings)), ['socket', 'runners[2]']);
  });

  test('the assumed GitLab.com runner: docker executor, privileged, /certs/client shared, no findings', () => {
    const config = assumedRunnerConfig(new SourceStore(new MemoryHost()));
    assert.equal(config.file, ASSUMED_RUNNER_FILE);
    assert.deepEqual(config.findings, []);
    const [runner] = config.runners;
    assert.equal(runner?.label, 'gitlab-saas');
    assert.equal(runner?.dockerLike, true);
    assert.equal(runner?.docker?.entries.get('privileged')?.value, true);
    assert.deepEqual(runner?.docker?.entries.get('volumes')?.value, ['/certs/client', '/cache']);
  });
});
