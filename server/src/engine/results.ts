// Rule results kept between analyses (the language server keeps them in its ParseCache). Job-rule runs are grouped
// per (pipeline, runner, job name) with the job they were computed on; runner-rule runs per (rule, runner). Every
// stored position refers to the texts of the analysis that stored it (`texts`), so the next analysis can move reused
// findings across an edit (`PositionMap`).

import type { EffectiveJob } from './ci/model';
import { PositionMap } from './shift';
import type { Derivation } from './sources';
import type { Finding } from './types';

/** What one cached rule run read, so a later analysis can tell whether the run would give the same findings. */
export interface RuleRunDeps {
  /** The analysis settings, serialised. */
  readonly settings: string;
  /** Files the run read (through the source store), with the text it saw (null: not readable). */
  readonly files: ReadonlyMap<string, string | null>;
  /** Derived values the run asked for (`SourceStore.derive`): key → their print and how to recompute them. */
  readonly derived: ReadonlyMap<string, { readonly print: string; readonly compute: Derivation<unknown> }>;
  /** The jobs on the runner (in order), when the run looked at them. */
  readonly jobsOnRunner: readonly EffectiveJob[] | null;
  /** The pipeline's file list, when the run looked at the pipeline (its texts are in `files`). */
  readonly pipelineFiles: string | null;
  /** The pipeline's model findings, when the run looked at them. */
  readonly pipelineFindings: readonly Finding[] | null;
}

export interface RuleRun {
  readonly deps: RuleRunDeps;
  readonly findings: readonly Finding[];
}

/**
 * The runs of every rule on one job (and runner), with the job they were computed on. `runs` is indexed like the rule
 * list (`RULES`); a hole is a rule with no stored run (an array: a 5,000-job workspace keeps 5,000 of them).
 */
export interface JobRuns {
  readonly job: EffectiveJob;
  readonly runs: readonly (RuleRun | undefined)[];
  /** What all the runs read together (for the whole-job check of the next analysis). */
  readonly summary: RunsSummary;
}

export interface RunsSummary {
  /** The settings all runs saw, or null when they disagree (then the summary never holds). */
  readonly settings: string | null;
  /** Files some run read, with the text it saw. */
  readonly files: readonly (readonly [string, string | null])[];
  readonly derived: readonly { readonly key: string; readonly print: string; readonly compute: Derivation<unknown> }[];
  /** Pipeline file lists, model findings and runner job lists some run looked at. */
  readonly pipelineFiles: readonly string[];
  readonly pipelineFindings: readonly (readonly Finding[])[];
  readonly jobsOnRunner: readonly (readonly EffectiveJob[])[];
  /** Whether any run found something (whose positions may need moving). */
  readonly findings: boolean;
}

/** A run that found nothing, shared by every such run with the same deps (most runs). */
export function emptyRun(deps: RuleRunDeps, none: readonly Finding[]): RuleRun {
  let run = emptyRuns.get(deps);
  if (!run) emptyRuns.set(deps, (run = { deps, findings: none }));
  return run;
}

const emptyRuns = new WeakMap<RuleRunDeps, RuleRun>();

export function summarise(runs: readonly (RuleRun | undefined)[]): RunsSummary {
  const files = new Map<string, string | null>();
  const derived = new Map<string, { readonly print: string; readonly compute: Derivation<unknown> }>();
  const pipelineFiles = new Set<string>();
  const pipelineFindings = new Set<readonly Finding[]>();
  const jobsOnRunner = new Set<readonly EffectiveJob[]>();
  let settings: string | null | undefined;
  let findings = false;
  for (const run of runs) {
    if (!run) continue;
    const { deps, findings: found } = run;
    if (found.length > 0) findings = true;
    settings = settings === undefined || settings === deps.settings ? deps.settings : null;
    for (const [path, seen] of deps.files) if (!files.has(path)) files.set(path, seen);
    for (const [key, d] of deps.derived) {
      const prev = derived.get(key);
      if (prev && prev.print !== d.print) settings = null;
      derived.set(key, d);
    }
    if (deps.pipelineFiles !== null) pipelineFiles.add(deps.pipelineFiles);
    if (deps.pipelineFindings !== null) pipelineFindings.add(deps.pipelineFindings);
    if (deps.jobsOnRunner !== null) jobsOnRunner.add(deps.jobsOnRunner);
  }
  return {
    settings: settings ?? null,
    files: [...files],
    derived: [...derived].map(([key, d]) => ({ key, print: d.print, compute: d.compute })),
    pipelineFiles: [...pipelineFiles],
    pipelineFindings: [...pipelineFindings],
    jobsOnRunner: [...jobsOnRunner],
    findings,
  };
}

/**
 * Entries not used by the latest analysis are dropped when it ends (`commit`), so the store holds at most one
 * workspace's results, all in the coordinates of the latest analysis.
 */
export class RuleResults {
  /** (mode, pipeline, runner) bucket → job name → runs. */
  private current = new Map<string, Map<string, JobRuns>>();
  private next = new Map<string, Map<string, JobRuns>>();
  private runnerCurrent = new Map<string, RuleRun>();
  private runnerNext = new Map<string, RuleRun>();
  private texts: ReadonlyMap<string, string | null> = new Map();

  /** How positions of the stored results move to the texts `now` returns. */
  positions(now: (path: string) => string | null): PositionMap {
    return new PositionMap(this.texts, now);
  }

  job(bucket: string, name: string): JobRuns | undefined {
    return this.current.get(bucket)?.get(name);
  }

  private nextBucket(bucket: string): Map<string, JobRuns> {
    let jobs = this.next.get(bucket);
    if (!jobs) this.next.set(bucket, (jobs = new Map<string, JobRuns>()));
    return jobs;
  }

  /** Stores runs of `job`; runs stored earlier in this analysis for the same job and key are kept. */
  addJob(bucket: string, job: EffectiveJob, runs: (RuleRun | undefined)[]): void {
    const jobs = this.nextBucket(bucket);
    const earlier = jobs.get(job.name);
    if (earlier?.job === job) earlier.runs.forEach((run, i) => (runs[i] ??= run));
    jobs.set(job.name, { job, runs, summary: summarise(runs) });
  }

  /** Keeps an entry of the previous analysis as it is. */
  keepJob(bucket: string, runs: JobRuns): void {
    this.nextBucket(bucket).set(runs.job.name, runs);
  }

  runner(key: string): RuleRun | undefined {
    return this.runnerCurrent.get(key);
  }

  setRunner(key: string, run: RuleRun): void {
    this.runnerNext.set(key, run);
  }

  /** Ends an analysis that read `texts`: keeps only the entries it used or stored. */
  commit(texts: ReadonlyMap<string, string | null>): void {
    this.current = this.next;
    this.next = new Map();
    this.runnerCurrent = this.runnerNext;
    this.runnerNext = new Map();
    this.texts = texts;
  }
}
