// Which runner runs which job. config.toml holds no tags, so: the `runnerTags` setting maps runner names to tags;
// without a mapping every docker-like or kubernetes runner is a candidate and findings name the runner.

import type { EffectiveJob } from '../ci/model';
import type { Settings } from '../settings';
import { SourceStore } from '../sources';
import { parseRunnerConfig } from './config';
import type { Runner, RunnerConfig } from './model';

/** The virtual file of the assumed GitLab.com instance runner; findings and edits in it are never shown. */
export const ASSUMED_RUNNER_FILE = '/__gitlab-ci-dind__/gitlab-saas-runner.toml';

/** GitLab.com instance runners: docker executor, privileged, `/certs/client` shared (S1). */
export const ASSUMED_RUNNER_TOML = `[[runners]]
  name = "gitlab-saas"
  executor = "docker"
  [runners.docker]
    image = "ruby:3.1"
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

export function assumedRunnerConfig(sources: SourceStore): RunnerConfig {
  const overlay = new SourceStore({
    readFile: (p) => (p === ASSUMED_RUNNER_FILE ? { kind: 'ok', text: ASSUMED_RUNNER_TOML } : sources.read(p)),
    readDirectory: (p) => sources.host.readDirectory(p),
  });
  const config = parseRunnerConfig(overlay, ASSUMED_RUNNER_FILE);
  if (!config) throw new Error('the assumed runner config does not parse');
  return config;
}

/**
 * Runners that may run `job`: with a tag mapping, those whose tags cover the job's tags (untagged jobs go to
 * runners mapped with no tags, or to all when none is); without one, every candidate.
 */
export function selectRunners(job: EffectiveJob, candidates: readonly Runner[], settings: Settings): Runner[] {
  const mapped = candidates.filter((r) => r.name !== null && settings.runnerTags[r.name] !== undefined);
  if (mapped.length === 0) return [...candidates];
  const matching = mapped.filter((r) => {
    const tags = settings.runnerTags[r.name ?? ''] ?? [];
    return job.tags.every((t) => tags.includes(t));
  });
  if (matching.length > 0) return matching;
  // Tags map to no known runner: fall back to the unmapped candidates, if any.
  return candidates.filter((r) => !mapped.includes(r));
}
