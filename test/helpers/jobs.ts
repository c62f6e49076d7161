// A job with its merged data and provenance (made on demand by the engine, so not fields of the job), for tests that
// compare whole jobs.

import { jobData, jobProvenance, type EffectiveJob, type Origin } from '@engine';

export function withMergedData(job: EffectiveJob): {
  readonly job: EffectiveJob;
  readonly data: Readonly<Record<string, unknown>>;
  readonly provenance: ReadonlyMap<string, Origin>;
} {
  return { job, data: jobData(job), provenance: jobProvenance(job) };
}
