// The engine's entry point: text → parse → model → rules → findings. Pure: all input comes through `Host`.

import type { EffectiveJob, Pipeline } from './ci/model';
import { movedJobOf } from './ci/jobs';
import { buildPipeline } from './ci/pipeline';
import { isMsg, msg, type Msg } from './i18n';
import { MODEL_FINDINGS } from './ids';
import { MESSAGES } from './messages';
import { RULES } from './rules/index';
import type { DeferredRun } from './fix/deferred';
import type { JobCheck, Report, Rule, RuleFinding } from './rules/rule';
import { parseRunnerConfig } from './runner/config';
import type { Runner, RunnerConfig } from './runner/model';
import { selectRunners, assumedRunnerConfig, ASSUMED_RUNNER_FILE } from './runner/select';
import { emptyRun, type JobRuns, type RuleResults, type RuleRun, type RuleRunDeps, type RunsSummary } from './results';
import { runnerConfigPrint } from './semantics/fingerprint';
import type { PositionMap } from './shift';
import { joinedFiles, withSharedFacts } from './semantics/facts';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { type Derivation, type ParseCache, SourceStore } from './sources';
import { applySuppressions } from './suppress';
import type { Finding, Host } from './types';

export interface AnalysisOptions {
  /** Absolute workspace root (include paths resolve against it). */
  readonly workspaceRoot: string;
  /** Pipeline root files (absolute paths). */
  readonly pipelines: readonly string[];
  /** Runner config files (absolute paths). */
  readonly runnerConfigs: readonly string[];
  readonly settings?: Settings;
  /** Parse results kept between analyses (the LSP server keeps one). */
  readonly cache?: ParseCache;
  /**
   * Work-saving paths, on by default: job facts shared by all rules, one evaluation per class of identically
   * configured runners, and rule results reused from `cache` for jobs whose inputs did not change. Off gives the
   * reference results the equivalence tests compare with.
   */
  readonly shortcuts?: boolean;
  /**
   * `eager` (default): fixes are computed during the analysis. `lazy`: rules that defer their fixes are not asked for
   * them; their findings get `fixes: []` and `deferredFixes: true`, and `fixesFor` computes them on request.
   */
  readonly fixes?: FixMode;
}

export type FixMode = 'eager' | 'lazy';

export interface Analysis {
  readonly findings: readonly Finding[];
  readonly pipelines: readonly Pipeline[];
  readonly runnerConfigs: readonly RunnerConfig[];
  /** Every file the analysis read, with its text and line index. */
  readonly sources: SourceStore;
  /** The settings the analysis ran with. */
  readonly settings?: Settings;
  /** How to re-run the rule of each finding with deferred fixes, by `findingKey` (lazy analyses). */
  readonly deferred?: ReadonlyMap<string, DeferredRun>;
}

export function analyze(host: Host, options: AnalysisOptions): Analysis {
  const shortcuts = options.shortcuts ?? true;
  return withSharedFacts(shortcuts, () => {
    return analyzeAll(host, options, shortcuts);
  });
}

function analyzeAll(host: Host, options: AnalysisOptions, shortcuts: boolean): Analysis {
  const sources = new SourceStore(host, options.cache);
  const settings = shortcuts
    ? keptSettings(sources, options.settings ?? DEFAULT_SETTINGS)
    : (options.settings ?? DEFAULT_SETTINGS);
  const findings: Finding[] = [];
  const mode = options.fixes ?? 'eager';
  const deferred = new Map<string, DeferredRun>();
  /** Adds findings, noting how to re-run the rule for those with deferred fixes (the first wins, as in `dedupe`). */
  const add = (found: readonly Finding[], run: DeferredRun): void => {
    for (const f of found) {
      findings.push(f);
      if (!f.deferredFixes) continue;
      const key = findingKey(f);
      if (!deferred.has(key)) deferred.set(key, run);
    }
  };

  const pipelines: Pipeline[] = [];
  for (const root of options.pipelines) {
    const pipeline = guarded(findings, root, () =>
      buildPipeline(sources, root, { workspaceRoot: options.workspaceRoot, settings }),
    );
    if (pipeline) pipelines.push(pipeline);
  }
  const allPipelines = flattenPipelines(pipelines);
  for (const p of allPipelines) findings.push(...p.findings);

  const runnerConfigs: RunnerConfig[] = [];
  for (const file of options.runnerConfigs) {
    const config = guarded(findings, file, () => (shortcuts ? keptRunnerConfig : parseRunnerConfig)(sources, file));
    if (config) {
      runnerConfigs.push(config);
      findings.push(...config.findings);
    }
  }

  let candidates: Runner[] = runnerConfigs.flatMap((c) => c.runners);
  if (settings.runner !== null) candidates = candidates.filter((r) => r.name === settings.runner);
  let runnerAssumed = false;
  if (runnerConfigs.length === 0) {
    if (settings.assumeRunner === 'gitlab-saas') {
      const assumed = assumedRunnerConfig(sources);
      candidates = [...assumed.runners];
      runnerAssumed = true;
    } else if (options.pipelines.length > 0) {
      const root = options.pipelines[0] ?? '';
      const message = msg('core.no-runner-config');
      findings.push({
        ruleId: MODEL_FINDINGS.noRunnerConfig.id,
        severity: 'info',
        message: MESSAGES.render('en', message),
        l10n: message,
        file: root,
        span: { start: 0, end: 0 },
        job: null,
        runner: null,
        related: [],
        fixes: [],
      });
    }
  }

  const jobsByRunner = new Map<Runner, EffectiveJob[]>();
  const results = shortcuts ? options.cache?.results : undefined;
  const env: JobRunEnv = {
    sources,
    settings,
    runnerAssumed,
    results,
    mode,
    positions: results?.positions((path) => textOf(sources, path)),
    settingsPrint: results ? interned(sources, JSON.stringify(settings)) : '',
    checked: new Map(),
    sharedDeps: new Map(),
    buckets: new Map(),
    derivedSame: new Map(),
  };
  const configPrints = new Map<Runner, string>();
  for (const pipeline of allPipelines) {
    // The runners of each job, in the order of `pipeline.jobs`; consecutive jobs that select the same runners share
    // one list (the lists live through the analysis: one per job would outlive the young generation).
    const selected: (readonly Runner[])[] = [];
    for (const job of pipeline.jobs) {
      const runners = selectRunners(job, candidates, settings);
      const last = selected[selected.length - 1];
      selected.push(last && last.length === runners.length && runners.every((r, i) => r === last[i]) ? last : runners);
    }
    pipeline.jobs.forEach((job, j) => {
      for (const r of selected[j] ?? []) {
        let list = jobsByRunner.get(r);
        if (!list) jobsByRunner.set(r, (list = []));
        list.push(job);
      }
    });
    const classOf = shortcuts ? runnerClasses(jobsByRunner, configPrints) : null;
    const onRunner = (runner: Runner | null): readonly EffectiveJob[] =>
      runner ? (jobsByRunner.get(runner) ?? []) : [];
    for (const [j, job] of pipeline.jobs.entries()) {
      const runners = selected[j] ?? [];
      if (runners.length === 0 || !classOf) {
        for (const runner of runners.length > 0 ? runners : [null]) {
          const jobs = onRunner(runner);
          jobFindings(env, RULES, job, pipeline, runner, jobs).forEach((found, i) => {
            if (found.length > 0) add(found, { rule: RULES[i] as Rule, job, pipeline, runner, runnerAssumed, jobs });
          });
        }
        continue;
      }
      const classes = new Map<string, Runner[]>();
      if (runners.length === 1) classes.set('', [...runners]);
      else
        for (const r of runners) {
          const key = classOf.get(r) ?? '';
          const members = classes.get(key);
          if (members) members.push(r);
          else classes.set(key, [r]);
        }
      for (const [first, ...others] of classes.values()) {
        if (!first) continue;
        const firstJobs = onRunner(first);
        const all = jobFindings(env, RULES, job, pipeline, first, firstJobs);
        RULES.forEach((rule, i) => {
          const found = all[i] ?? NO_FINDINGS;
          // Nothing found for the first runner of the class: nothing for the others either.
          if (found.length === 0) return;
          add(found, { rule, job, pipeline, runner: first, runnerAssumed, jobs: firstJobs });
          if (others.length === 0) return;
          const portable = found.every((f) => isPortable(f, first));
          for (const other of others) {
            const otherJobs = onRunner(other);
            add(
              portable
                ? found.map((f) => (f.runner === first.label ? { ...f, runner: other.label } : f))
                : (jobFindings(env, [rule], job, pipeline, other, otherJobs)[0] ?? []),
              { rule, job, pipeline, runner: other, runnerAssumed, jobs: otherJobs },
            );
          }
        });
      }
    }
  }
  for (const config of runnerConfigs) {
    for (const runner of config.runners) {
      if (settings.runner !== null && runner.name !== settings.runner) continue;
      const jobs = jobsByRunner.get(runner) ?? [];
      for (const rule of RULES) {
        if (rule.checkRunner) add(runnerFindings(env, rule, runner, config, jobs), { rule, runner, config, jobs });
      }
    }
  }
  results?.commit(sources.texts());

  const visible = applySuppressions(
    applySeverity(dedupe(findings.filter((f) => f.file !== ASSUMED_RUNNER_FILE).map(dropAssumedParts)), settings),
    sources,
  );
  return { findings: sortFindings(visible), pipelines, runnerConfigs, sources, settings, deferred };
}

/**
 * The settings object of the previous analysis when these settings are equal to its: facts are memoised per
 * settings object (semantics/facts.ts), so equal settings must be the same object for them to be reused.
 */
function keptSettings(sources: SourceStore, settings: Settings): Settings {
  const kept = sources.cache.slot('settings', () => ({ print: '', settings }));
  const print = JSON.stringify(settings);
  if (kept.print !== print) {
    kept.print = print;
    kept.settings = settings;
  }
  return kept.settings;
}

/**
 * The runner config model of the previous analysis when the file's text is unchanged (the model is a function of
 * the text): its `Runner` objects stay the same, so the facts memoised on them (and on unchanged jobs) are reused.
 */
function keptRunnerConfig(sources: SourceStore, file: string): RunnerConfig | undefined {
  const text = textOf(sources, file);
  if (text === null) return parseRunnerConfig(sources, file);
  return sources.cache.byText('runner-config', file, text, () => parseRunnerConfig(sources, file));
}

/** What every rule run of one analysis shares. */
interface JobRunEnv {
  readonly sources: SourceStore;
  readonly settings: Settings;
  readonly runnerAssumed: boolean;
  /** Results kept between analyses, when shortcuts are on and a cache is given. */
  readonly results: RuleResults | undefined;
  readonly mode: FixMode;
  /** How positions of `results` move to this analysis's texts. */
  readonly positions: PositionMap | undefined;
  readonly settingsPrint: string;
  /** Per analysis: whether a file's current text equals a text a cached run saw (path → seen text → verdict). */
  readonly checked: Map<string, Map<string | null, boolean>>;
  /** Per analysis: whether a derived value still has a print a stored run saw (key → print → verdict). */
  readonly derivedSame: Map<string, Map<string, boolean>>;
  /** Per analysis: result-cache buckets by pipeline and runner. */
  readonly buckets: Map<Pipeline, Map<Runner | null, string>>;
  /** Per analysis: deps objects shared by the runs that read the same (by the paths and derived keys read). */
  readonly sharedDeps: Map<string, RuleRunDeps[]>;
}

/**
 * Runners whose configuration (all but the name) and job list are equal get the same class key: a job check gives
 * them the same findings up to the runner they name, unless a finding points into the runner's file.
 */
function runnerClasses(jobsByRunner: ReadonlyMap<Runner, readonly EffectiveJob[]>, prints: Map<Runner, string>) {
  const ids = new Map<EffectiveJob, number>();
  const classOf = new Map<Runner, string>();
  for (const [runner, jobs] of jobsByRunner) {
    let print = prints.get(runner);
    if (print === undefined) prints.set(runner, (print = runnerConfigPrint(runner)));
    const list = jobs.map((j) => {
      let id = ids.get(j);
      if (id === undefined) ids.set(j, (id = ids.size));
      return id;
    });
    classOf.set(runner, `${print}\0${list.join(',')}`);
  }
  return classOf;
}

/** A finding that holds for every runner of the class once its `runner` is renamed: no trace of `runner` in it. */
function isPortable(f: Finding, runner: Runner): boolean {
  if (f.runner !== null && f.runner !== runner.label) return false;
  if (f.file === runner.file || f.related.some((r) => r.file === runner.file)) return false;
  if (f.fixes.some((x) => x.edits.some((e) => e.file === runner.file))) return false;
  return !JSON.stringify({ ...f, runner: null }).includes(runner.label);
}

/**
 * The findings of `rules` for one job on one runner (one list per rule, in order). With a result cache, the runs
 * stored for this job name are reused when the job equals the one they were computed on (up to positions moved by
 * an edit elsewhere) and everything else they read is unchanged; their positions are moved to the current texts.
 */
function jobFindings(
  env: JobRunEnv,
  rules: readonly Rule[],
  job: EffectiveJob,
  pipeline: Pipeline,
  runner: Runner | null,
  onRunner: readonly EffectiveJob[],
): readonly (readonly Finding[])[] {
  const results = env.results;
  const positions = env.positions;
  if (!results || !positions) {
    const check: JobCheck = {
      job,
      runner,
      runnerAssumed: env.runnerAssumed,
      settings: env.settings,
      pipeline,
      jobsOnRunner: onRunner,
      sources: env.sources,
    };
    return rules.map((rule) => {
      const out: Finding[] = [];
      runRule(rule, out, job.file, (report) => rule.checkJob?.(check, report), job.name, runner, env.mode);
      return out;
    });
  }
  const key = bucketOf(env, pipeline, runner);
  const old = results.job(key, job.name);
  // The same job, or a copy of it with positions moved by an edit above it (ci/jobs.ts `movedJobOf`).
  const identical = old !== undefined && (old.job === job || movedJobOf(job)?.job === old.job);
  if (old && identical && rules === RULES && holdsWhole(env, positions, old.summary, pipeline, onRunner)) {
    const kept = keptFindings(positions, old);
    if (kept) {
      if (old.job === job) results.keepJob(key, old);
      else {
        const moved = { ...old, job };
        findingsByRule.set(moved, kept);
        results.keepJob(key, moved);
      }
      return kept;
    }
  }
  const same = old !== undefined && (identical || positions.equal(job, old.job));
  const runs: (RuleRun | undefined)[] = [];
  const out = rules.map((rule) => {
    if (!rule.checkJob) return [];
    const index = RULE_INDEX.get(rule.meta.id) ?? -1;
    const prior = same ? old.runs[index] : undefined;
    const reused = prior && reuse(env, positions, prior, pipeline, onRunner);
    const run = reused ?? trackedJobRun(env, rule, job, pipeline, runner, onRunner);
    if (run.deps && index >= 0) runs[index] = run as RuleRun;
    return run.findings;
  });
  results.addJob(key, job, runs);
  return out;
}

/** The result-cache bucket of a pipeline's jobs on a runner (computed once per analysis). */
function bucketOf(env: JobRunEnv, pipeline: Pipeline, runner: Runner | null): string {
  let byRunner = env.buckets.get(pipeline);
  if (!byRunner) env.buckets.set(pipeline, (byRunner = new Map<Runner | null, string>()));
  let key = byRunner.get(runner);
  if (key === undefined) {
    const runnerKey = runner ? `${runner.file}\0${runner.index}\0${runner.label}` : '';
    byRunner.set(runner, (key = `${env.mode}\0${env.runnerAssumed}\0${pipeline.root}\0${runnerKey}`));
  }
  return key;
}

/** Whether nothing the runs of a job read (other than the job itself) changed since they were stored. */
function holdsWhole(
  env: JobRunEnv,
  positions: PositionMap,
  summary: RunsSummary,
  pipeline: Pipeline,
  onRunner: readonly EffectiveJob[],
): boolean {
  if (summary.settings !== env.settingsPrint) return false;
  for (const files of summary.pipelineFiles) if (files !== filesPrint(pipeline, env.sources)) return false;
  for (const found of summary.pipelineFindings) if (!positions.equal(pipeline.findings, found)) return false;
  for (const jobs of summary.jobsOnRunner) if (!positions.equalEach(onRunner, jobs)) return false;
  for (const [path, seen] of summary.files) if (!sawSame(env, path, seen)) return false;
  for (const { key, print, compute } of summary.derived) if (!derivedSame(env, key, print, compute)) return false;
  return true;
}

/** The stored findings of every rule, when none of them needs moving (they hold no position in a changed file). */
function keptFindings(positions: PositionMap, runs: JobRuns): readonly (readonly Finding[])[] | undefined {
  let byRule = findingsByRule.get(runs);
  if (byRule === undefined) {
    const out: (readonly Finding[])[] = [];
    for (const [i, rule] of RULES.entries()) {
      const found = rule.checkJob ? runs.runs[i]?.findings : NO_FINDINGS;
      if (!found) break;
      out.push(found);
    }
    byRule = out.length === RULES.length ? out : null;
    findingsByRule.set(runs, byRule);
  }
  if (byRule === null) return undefined;
  if (runs.summary.findings)
    for (const found of byRule) for (const f of found) if (positions.finding(f) !== f) return undefined;
  return byRule;
}

/** The stored findings of a job, one list per rule of `RULES` (null: some rule has no stored run). */
const findingsByRule = new WeakMap<JobRuns, readonly (readonly Finding[])[] | null>();

/** Whether a derived value's print is still `print` (compared once per analysis for each stored print). */
function derivedSame(env: JobRunEnv, key: string, print: string, compute: Derivation<unknown>): boolean {
  let verdicts = env.derivedSame.get(key);
  if (!verdicts) env.derivedSame.set(key, (verdicts = new Map<string, boolean>()));
  let same = verdicts.get(print);
  if (same === undefined) verdicts.set(print, (same = env.sources.derive(key, compute).print === print));
  return same;
}

/** Whether a file's current text is `seen`, the text a stored run read (memoised per analysis). */
function sawSame(env: JobRunEnv, path: string, seen: string | null): boolean {
  let verdicts = env.checked.get(path);
  if (!verdicts) env.checked.set(path, (verdicts = new Map<string | null, boolean>()));
  let same = verdicts.get(seen);
  if (same === undefined) verdicts.set(seen, (same = textOf(env.sources, path) === seen));
  return same;
}

const NO_FINDINGS: readonly Finding[] = Object.freeze([]);
/** Where each rule's run is in `JobRuns.runs`. */
const RULE_INDEX: ReadonlyMap<string, number> = new Map(RULES.map((r, i) => [r.meta.id, i]));
const NO_DERIVED: ReadonlyMap<string, { print: string; compute: Derivation<unknown> }> = new Map();

interface Run {
  /** What the run read, or null when it read something untracked (then it is not kept). */
  readonly deps: RuleRunDeps | null;
  readonly findings: readonly Finding[];
}

/** Runs one job rule with everything it reads recorded. */
function trackedJobRun(
  env: JobRunEnv,
  rule: Rule,
  job: EffectiveJob,
  pipeline: Pipeline,
  runner: Runner | null,
  onRunner: readonly EffectiveJob[],
): Run {
  const out: Finding[] = [];
  const t = new Tracker(env, pipeline);
  if (runner) t.files.set(runner.file, textOf(env.sources, runner.file));
  const check = new TrackedJobCheck(job, runner, env, t, pipeline, onRunner);
  runRule(rule, out, job.file, (report) => rule.checkJob?.(check, report), job.name, runner, env.mode);
  check.untrack();
  const deps = t.deps(onRunner);
  if (out.length > 0 || !deps) return { deps, findings: out.length > 0 ? out : NO_FINDINGS };
  return emptyRun(deps, NO_FINDINGS);
}

/** A rule's view of one job on one runner that records what the rule reads (getters on the prototype: cheap). */
class TrackedJobCheck implements JobCheck {
  readonly runnerAssumed: boolean;
  readonly settings: Settings;

  /** Null once the run is over (see `untrack`). */
  #tracker: Tracker | null;
  readonly #pipeline: Pipeline;
  readonly #sources: SourceStore;

  constructor(
    readonly job: EffectiveJob,
    readonly runner: Runner | null,
    env: JobRunEnv,
    tracker: Tracker,
    pipeline: Pipeline,
    private readonly onRunner: readonly EffectiveJob[],
  ) {
    this.runnerAssumed = env.runnerAssumed;
    this.settings = env.settings;
    this.#tracker = tracker;
    this.#pipeline = pipeline;
    this.#sources = env.sources;
  }

  get pipeline(): Pipeline {
    return this.#tracker ? this.#tracker.pipeline() : this.#pipeline;
  }

  get jobsOnRunner(): readonly EffectiveJob[] {
    if (this.#tracker) this.#tracker.usedJobs = true;
    return this.onRunner;
  }

  get sources(): SourceStore {
    return this.#tracker ? this.#tracker.sources() : this.#sources;
  }

  /**
   * Ends the recording: what is read later (a deferred fix, built when a code action asks) is not part of the run,
   * and the deferred fixes no longer keep the tracker and its views alive.
   */
  untrack(): void {
    this.#tracker = null;
  }
}

/** One runner rule's findings on one runner, reused from the result cache when nothing it read changed. */
function runnerFindings(
  env: JobRunEnv,
  rule: Rule,
  runner: Runner,
  config: RunnerConfig,
  jobs: readonly EffectiveJob[],
): Finding[] {
  const results = env.results;
  const positions = env.positions;
  if (!results || !positions) {
    const out: Finding[] = [];
    const check = { runner, config, jobs, sources: env.sources, settings: env.settings };
    runRule(rule, out, config.file, (report) => rule.checkRunner?.(check, report), null, runner, env.mode);
    return out;
  }
  const key = `${rule.meta.id}\0${env.mode}\0${runner.file}\0${runner.index}\0${runner.label}`;
  const prior = results.runner(key);
  const reused = prior && reuse(env, positions, prior, null, jobs);
  if (reused) {
    results.setRunner(key, reused);
    return [...reused.findings];
  }
  const out: Finding[] = [];
  const t = new Tracker(env, null);
  t.files.set(runner.file, textOf(env.sources, runner.file));
  const check = {
    runner,
    config,
    get jobs() {
      t.usedJobs = true;
      return jobs;
    },
    get sources() {
      return t.sources();
    },
    settings: env.settings,
  };
  runRule(rule, out, config.file, (report) => rule.checkRunner?.(check, report), null, runner, env.mode);
  const deps = t.deps(jobs);
  if (deps) results.setRunner(key, { deps, findings: out });
  return [...out];
}

/** A stored run, moved to the current texts, when everything it read is as it was; else undefined. */
function reuse(
  env: JobRunEnv,
  positions: PositionMap,
  run: RuleRun,
  pipeline: Pipeline | null,
  jobs: readonly EffectiveJob[],
): RuleRun | undefined {
  const deps = run.deps;
  if (deps.settings !== env.settingsPrint) return undefined;
  if (deps.pipelineFiles !== null && (!pipeline || deps.pipelineFiles !== filesPrint(pipeline, env.sources)))
    return undefined;
  if (deps.pipelineFindings !== null && !positions.equal(pipeline?.findings, deps.pipelineFindings)) return undefined;
  if (deps.jobsOnRunner !== null && !positions.equalEach(jobs, deps.jobsOnRunner)) return undefined;
  for (const [path, seen] of deps.files) if (!sawSame(env, path, seen)) return undefined;
  for (const [key, { print, compute }] of deps.derived) if (!derivedSame(env, key, print, compute)) return undefined;
  let findings: readonly Finding[] = run.findings;
  for (const [i, f] of run.findings.entries()) {
    const moved = positions.finding(f);
    if (!moved) return undefined;
    if (moved !== f) (findings === run.findings ? (findings = [...run.findings]) : (findings as Finding[]))[i] = moved;
  }
  if (deps.jobsOnRunner === null && deps.pipelineFindings === null)
    return findings === run.findings ? run : { deps, findings };
  const refreshed: RuleRunDeps = {
    ...deps,
    jobsOnRunner: deps.jobsOnRunner === null ? null : jobs,
    pipelineFindings: deps.pipelineFindings === null ? null : (pipeline?.findings ?? null),
  };
  return { deps: refreshed, findings };
}

const filesPrints = new WeakMap<Pipeline, string>();

/** The pipeline's file list as one string (once per pipeline, interned across analyses). */
function filesPrint(pipeline: Pipeline, sources: SourceStore): string {
  let print = filesPrints.get(pipeline);
  if (print === undefined) filesPrints.set(pipeline, (print = interned(sources, joinedFiles(pipeline.files))));
  return print;
}

/**
 * The string of an earlier analysis equal to `text`, if there is one: prints compared for every job are then the
 * same string object, which compares in constant time.
 */
function interned(sources: SourceStore, text: string): string {
  const kept = sources.cache.slot('interned', () => new Map<string, string>());
  const hit = kept.get(text);
  if (hit !== undefined) return hit;
  if (kept.size > 64) kept.clear();
  kept.set(text, text);
  return text;
}

/** Records what one rule run reads: files, derived values, the pipeline and the runner's jobs. */
class Tracker {
  readonly files = new Map<string, string | null>();
  /** Derived values asked for (created on first use: most runs ask for none). */
  derived: Map<string, { print: string; compute: Derivation<unknown> }> | undefined;
  tracked = true;
  usedJobs = false;
  usedPipeline = false;
  usedFindings = false;
  private view: SourceStore | undefined;
  private pipelineView: Pipeline | undefined;

  constructor(
    private readonly env: JobRunEnv,
    private readonly source: Pipeline | null,
  ) {}

  sources(): SourceStore {
    return (this.view ??= trackingSources(
      this.env.sources,
      this.files,
      () => (this.derived ??= new Map<string, { print: string; compute: Derivation<unknown> }>()),
      () => (this.tracked = false),
    ));
  }

  pipeline(): Pipeline {
    return (this.pipelineView ??= new TrackedPipeline(this.source as Pipeline, this));
  }

  /** Reading the jobs or children reads every file of the pipeline (they are built from all of them). */
  readWholePipeline(p: Pipeline): void {
    this.usedPipeline = true;
    for (const f of p.files) if (!this.files.has(f)) this.files.set(f, textOf(this.env.sources, f));
  }

  /**
   * What the run read, or null when it read something untracked. Equal deps are shared within an analysis (most runs
   * read the runner's config file and nothing else; many read the same derived value): memory at scale.
   */
  deps(jobs: readonly EffectiveJob[]): RuleRunDeps | null {
    if (!this.tracked) return null;
    const deps = this.plain(jobs);
    let key = '';
    for (const path of deps.files.keys()) key += `${path}\0`;
    key += '\u0001';
    for (const k of deps.derived.keys()) key += `${k}\0`;
    key += `\u0001${deps.jobsOnRunner ? 'j' : ''}${deps.pipelineFindings ? 'f' : ''}${deps.pipelineFiles ?? ''}`;
    let candidates = this.env.sharedDeps.get(key);
    if (!candidates) this.env.sharedDeps.set(key, (candidates = []));
    const same = candidates.find((d) => sameDeps(d, deps));
    if (same) return same;
    candidates.push(deps);
    return deps;
  }

  private plain(jobs: readonly EffectiveJob[]): RuleRunDeps {
    return {
      settings: this.env.settingsPrint,
      files: this.files,
      derived: this.derived ?? NO_DERIVED,
      jobsOnRunner: this.usedJobs ? jobs : null,
      pipelineFiles: this.usedPipeline && this.source ? filesPrint(this.source, this.env.sources) : null,
      pipelineFindings: this.usedFindings && this.source ? this.source.findings : null,
    };
  }
}

/** Whether two runs of one analysis read the same (texts, derived prints, and the same pipeline and runner parts). */
function sameDeps(a: RuleRunDeps, b: RuleRunDeps): boolean {
  if (a.settings !== b.settings || a.jobsOnRunner !== b.jobsOnRunner) return false;
  if (a.pipelineFiles !== b.pipelineFiles || a.pipelineFindings !== b.pipelineFindings) return false;
  if (a.files.size !== b.files.size || a.derived.size !== b.derived.size) return false;
  for (const [path, text] of a.files) if (!b.files.has(path) || b.files.get(path) !== text) return false;
  for (const [key, d] of a.derived) if (b.derived.get(key)?.print !== d.print) return false;
  return true;
}

/** A rule's view of the pipeline that records which parts of it the rule read. */
class TrackedPipeline implements Pipeline {
  readonly root: string;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly tracker: Tracker,
  ) {
    this.root = pipeline.root;
  }

  get files(): readonly string[] {
    this.tracker.usedPipeline = true;
    return this.pipeline.files;
  }

  get findings(): readonly Finding[] {
    this.tracker.usedFindings = true;
    return this.pipeline.findings;
  }

  get jobs(): readonly EffectiveJob[] {
    this.tracker.readWholePipeline(this.pipeline);
    return this.pipeline.jobs;
  }

  get children(): readonly Pipeline[] {
    this.tracker.readWholePipeline(this.pipeline);
    return this.pipeline.children;
  }
}

function textOf(sources: SourceStore, path: string): string | null {
  const r = sources.read(path);
  return r.kind === 'ok' ? r.text : null;
}

/**
 * A view of `sources` that records every file read through it, with the text seen, and every derived value asked
 * for, with its print. `host` and `loaded()` reach files it cannot track, so using them calls `untracked`.
 */
function trackingSources(
  sources: SourceStore,
  files: Map<string, string | null>,
  derived: () => Map<string, { print: string; compute: Derivation<unknown> }>,
  untracked: () => void,
): SourceStore {
  const note = (path: string): void => {
    if (!files.has(path)) files.set(path, textOf(sources, path));
  };
  const view: PropertyDescriptorMap = {
    read: { value: (path: string) => (note(path), sources.read(path)) },
    file: { value: (path: string) => (note(path), sources.file(path)) },
    yaml: { value: (path: string) => (note(path), sources.yaml(path)) },
    toml: { value: (path: string) => (note(path), sources.toml(path)) },
    derive: {
      value: <T>(key: string, compute: Derivation<T>) => {
        const d = sources.derive(key, compute);
        derived().set(key, { print: d.print, compute });
        return d;
      },
    },
    loaded: { value: () => (untracked(), sources.loaded()) },
    host: { get: () => (untracked(), sources.host) },
  };
  return Object.create(sources, view) as SourceStore;
}

/** The pipelines and their `trigger: include:` children (five levels at most), parents first. */
export function flattenPipelines(pipelines: readonly Pipeline[]): Pipeline[] {
  const out: Pipeline[] = [];
  const walk = (p: Pipeline, depth: number): void => {
    out.push(p);
    if (depth < 5) for (const c of p.children) walk(c, depth + 1);
  };
  for (const p of pipelines) walk(p, 0);
  return out;
}

/**
 * Runs one rule; an exception becomes an internal-error finding and the other rules still report. Deferred fixes are
 * built at once in `eager` mode (inside the run, so their reads are tracked) and left out in `lazy` mode.
 */
export function runRule(
  rule: Rule,
  findings: Finding[],
  file: string,
  body: (report: Report) => void,
  job: string | null,
  runner: Runner | null,
  mode: FixMode,
): void {
  const report: Report = (f: RuleFinding) => {
    const deferred = typeof f.fixes === 'function' && mode === 'lazy';
    const fixes = typeof f.fixes === 'function' ? (deferred ? [] : f.fixes()) : (f.fixes ?? []);
    findings.push({
      ruleId: rule.meta.id,
      severity: f.severity ?? rule.meta.defaultSeverity,
      message: isMsg(f.message) ? MESSAGES.render('en', f.message) : f.message,
      ...(isMsg(f.message) ? { l10n: f.message } : {}),
      file: f.file,
      span: f.span,
      job: f.job === undefined ? job : f.job,
      runner: f.runner === undefined ? (runner?.label ?? null) : f.runner,
      related: f.related ?? [],
      fixes: fixes.map((x) => (x.l10nTitle && !x.title ? { ...x, title: MESSAGES.render('en', x.l10nTitle) } : x)),
      ...(deferred ? { deferredFixes: true as const } : {}),
    });
  };
  try {
    body(report);
  } catch (e) {
    findings.push(internalError(file, msg('core.rule-failed', { rule: rule.meta.id, detail: describe(e) })));
  }
}

function guarded<T>(findings: Finding[], file: string, body: () => T): T | undefined {
  try {
    return body();
  } catch (e) {
    findings.push(internalError(file, describe(e)));
    return undefined;
  }
}

function internalError(file: string, detail: string | Msg): Finding {
  const message = msg('core.internal-error', { detail });
  return {
    ruleId: MODEL_FINDINGS.internalError.id,
    severity: 'error',
    message: MESSAGES.render('en', message),
    l10n: message,
    file,
    span: { start: 0, end: 0 },
    job: null,
    runner: null,
    related: [],
    fixes: [],
  };
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Related locations and fix edits in the assumed (virtual) runner config are not shown. */
export function dropAssumedParts(f: Finding): Finding {
  const related = f.related.filter((r) => r.file !== ASSUMED_RUNNER_FILE);
  const fixes = f.fixes.filter((fix) => fix.edits.every((e) => e.file !== ASSUMED_RUNNER_FILE));
  return related.length === f.related.length && fixes.length === f.fixes.length ? f : { ...f, related, fixes };
}

function applySeverity(findings: Finding[], settings: Settings): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const s = settings.rules[f.ruleId];
    if (s === 'off') continue;
    out.push(s === undefined ? f : { ...f, severity: s });
  }
  return out;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = findingKey(f);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}

/** What identifies a finding among an analysis's findings: rule, file, span, job, runner and message. */
export function findingKey(f: Finding): string {
  return `${f.ruleId}\0${f.file}\0${f.span.start}\0${f.span.end}\0${f.job ?? ''}\0${f.runner ?? ''}\0${f.message}`;
}

export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.span.start - b.span.start ||
      a.span.end - b.span.end ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
      (a.job ?? '').localeCompare(b.job ?? '') ||
      (a.runner ?? '').localeCompare(b.runner ?? ''),
  );
}
