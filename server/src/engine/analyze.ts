// The engine's entry point: text → parse → model → rules → findings. Pure: all input comes through `Host`.

import type { EffectiveJob, Pipeline } from './ci/model';
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
import { jobFingerprint, runnerConfigPrint } from './semantics/fingerprint';
import { withSharedFacts } from './semantics/facts';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { type Derivation, type ParseCache, type RuleResults, type RuleRunDeps, SourceStore } from './sources';
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
    const analysis = analyzeAll(host, options, shortcuts);
    if (shortcuts) options.cache?.results.commit();
    return analysis;
  });
}

function analyzeAll(host: Host, options: AnalysisOptions, shortcuts: boolean): Analysis {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const sources = new SourceStore(host, options.cache);
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
    const config = guarded(findings, file, () => parseRunnerConfig(sources, file));
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
    settingsPrint: results ? JSON.stringify(settings) : '',
    checked: new Map(),
  };
  const configPrints = new Map<Runner, string>();
  for (const pipeline of allPipelines) {
    const assignments = pipeline.jobs.map((job) => ({ job, runners: selectRunners(job, candidates, settings) }));
    for (const { job, runners } of assignments) {
      for (const r of runners) {
        let list = jobsByRunner.get(r);
        if (!list) jobsByRunner.set(r, (list = []));
        list.push(job);
      }
    }
    const classOf = shortcuts ? runnerClasses(jobsByRunner, configPrints) : null;
    const jobsPrints = new Map<Runner, string>();
    const onRunner = (runner: Runner | null): RunnerJobs => {
      const jobs = runner ? (jobsByRunner.get(runner) ?? []) : [];
      const print = (): string => {
        if (!runner) return '';
        let p = jobsPrints.get(runner);
        if (p === undefined) jobsPrints.set(runner, (p = jobs.map(jobFingerprint).join('\0')));
        return p;
      };
      return { jobs, print };
    };
    for (const { job, runners } of assignments) {
      if (runners.length === 0 || !classOf) {
        for (const runner of runners.length > 0 ? runners : [null]) {
          for (const rule of RULES) {
            const jobs = onRunner(runner);
            add(jobRuleFindings(env, rule, job, pipeline, runner, jobs), {
              rule,
              job,
              pipeline,
              runner,
              runnerAssumed,
              jobs: jobs.jobs,
            });
          }
        }
        continue;
      }
      const classes = new Map<string, Runner[]>();
      for (const r of runners) {
        const key = classOf.get(r) ?? '';
        const members = classes.get(key);
        if (members) members.push(r);
        else classes.set(key, [r]);
      }
      for (const [first, ...others] of classes.values()) {
        if (!first) continue;
        for (const rule of RULES) {
          const firstJobs = onRunner(first);
          const found = jobRuleFindings(env, rule, job, pipeline, first, firstJobs);
          add(found, { rule, job, pipeline, runner: first, runnerAssumed, jobs: firstJobs.jobs });
          const portable = found.every((f) => isPortable(f, first));
          for (const other of others) {
            const otherJobs = onRunner(other);
            add(
              portable
                ? found.map((f) => (f.runner === first.label ? { ...f, runner: other.label } : f))
                : jobRuleFindings(env, rule, job, pipeline, other, otherJobs),
              { rule, job, pipeline, runner: other, runnerAssumed, jobs: otherJobs.jobs },
            );
          }
        }
      }
    }
  }
  for (const config of runnerConfigs) {
    for (const runner of config.runners) {
      if (settings.runner !== null && runner.name !== settings.runner) continue;
      for (const rule of RULES) {
        if (!rule.checkRunner) continue;
        const check = { runner, config, jobs: jobsByRunner.get(runner) ?? [], sources, settings };
        const found: Finding[] = [];
        runRule(rule, found, config.file, (report) => rule.checkRunner?.(check, report), null, runner, mode);
        add(found, { rule, runner, config, jobs: check.jobs });
      }
    }
  }

  const visible = applySuppressions(
    applySeverity(dedupe(findings.filter((f) => f.file !== ASSUMED_RUNNER_FILE).map(dropAssumedParts)), settings),
    sources,
  );
  return { findings: sortFindings(visible), pipelines, runnerConfigs, sources, settings, deferred };
}

/** What every job-rule run of one analysis shares. */
interface JobRunEnv {
  readonly sources: SourceStore;
  readonly settings: Settings;
  readonly runnerAssumed: boolean;
  /** Results kept between analyses, when shortcuts are on and a cache is given. */
  readonly results: RuleResults | undefined;
  readonly mode: FixMode;
  readonly settingsPrint: string;
  /** Per analysis: whether a file's current text equals a text a cached run saw (path → seen text → verdict). */
  readonly checked: Map<string, Map<string | null, boolean>>;
}

interface RunnerJobs {
  readonly jobs: readonly EffectiveJob[];
  /** Fingerprint of `jobs` (computed on first use). */
  readonly print: () => string;
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

/** One rule's findings for one job on one runner, reused from the result cache when its inputs are unchanged. */
function jobRuleFindings(
  env: JobRunEnv,
  rule: Rule,
  job: EffectiveJob,
  pipeline: Pipeline,
  runner: Runner | null,
  onRunner: RunnerJobs,
): Finding[] {
  const out: Finding[] = [];
  if (!rule.checkJob) return out;
  const base = {
    job,
    runner,
    runnerAssumed: env.runnerAssumed,
    settings: env.settings,
  };
  const results = env.results;
  if (!results) {
    const check: JobCheck = { ...base, pipeline, jobsOnRunner: onRunner.jobs, sources: env.sources };
    runRule(rule, out, job.file, (report) => rule.checkJob?.(check, report), job.name, runner, env.mode);
    return out;
  }
  const runnerKey = runner ? `${runner.file}\0${runner.index}\0${runner.label}` : '';
  const jobPrint = jobFingerprint(job);
  const key = `${rule.meta.id}\0${env.mode}\0${env.runnerAssumed}\0${pipeline.root}\0${runnerKey}`;
  const hit = results.get(jobPrint, key);
  if (hit && hit.deps.settings === env.settingsPrint && depsHold(env, hit.deps, pipeline, onRunner)) {
    results.set(jobPrint, key, hit);
    return [...hit.findings];
  }
  const files = new Map<string, string | null>();
  const derived = new Map<string, { print: string; compute: Derivation<unknown> }>();
  let tracked = true;
  let usedJobs = false;
  let usedPipeline = false;
  let usedFindings = false;
  let pipelineView: Pipeline | undefined;
  const wholePipeline = (): void => {
    usedPipeline = true;
    for (const f of pipeline.files) if (!files.has(f)) files.set(f, textOf(env.sources, f));
  };
  let view: SourceStore | undefined;
  const sources = (): SourceStore => (view ??= trackingSources(env.sources, files, derived, () => (tracked = false)));
  if (runner) files.set(runner.file, textOf(env.sources, runner.file));
  const check: JobCheck = {
    ...base,
    get pipeline() {
      return (pipelineView ??= {
        root: pipeline.root,
        get files() {
          usedPipeline = true;
          return pipeline.files;
        },
        get findings() {
          usedFindings = true;
          return pipeline.findings;
        },
        // Jobs and children are built from every file of the pipeline.
        get jobs() {
          wholePipeline();
          return pipeline.jobs;
        },
        get children() {
          wholePipeline();
          return pipeline.children;
        },
      });
    },
    get jobsOnRunner() {
      usedJobs = true;
      return onRunner.jobs;
    },
    get sources() {
      return sources();
    },
  };
  runRule(rule, out, job.file, (report) => rule.checkJob?.(check, report), job.name, runner, env.mode);
  if (tracked) {
    const deps: RuleRunDeps = {
      settings: env.settingsPrint,
      files,
      derived,
      jobsOnRunner: usedJobs ? onRunner.print() : null,
      pipelineFiles: usedPipeline ? pipeline.files.join('\0') : null,
      pipelineFindings: usedFindings ? findingsPrint(pipeline) : null,
    };
    results.set(jobPrint, key, { deps, findings: out });
  }
  return [...out];
}

const findingsPrints = new WeakMap<Pipeline, string>();

/** The pipeline's model findings, serialised (once per pipeline). */
function findingsPrint(pipeline: Pipeline): string {
  let print = findingsPrints.get(pipeline);
  if (print === undefined) findingsPrints.set(pipeline, (print = JSON.stringify(pipeline.findings)));
  return print;
}

function textOf(sources: SourceStore, path: string): string | null {
  const r = sources.read(path);
  return r.kind === 'ok' ? r.text : null;
}

/** Whether everything a cached run read is as it was. */
function depsHold(env: JobRunEnv, deps: RuleRunDeps, pipeline: Pipeline, onRunner: RunnerJobs): boolean {
  if (deps.pipelineFiles !== null && deps.pipelineFiles !== pipeline.files.join('\0')) return false;
  if (deps.pipelineFindings !== null && deps.pipelineFindings !== findingsPrint(pipeline)) return false;
  if (deps.jobsOnRunner !== null && deps.jobsOnRunner !== onRunner.print()) return false;
  for (const [path, seen] of deps.files) {
    let verdicts = env.checked.get(path);
    if (!verdicts) env.checked.set(path, (verdicts = new Map<string | null, boolean>()));
    let same = verdicts.get(seen);
    if (same === undefined) {
      verdicts.set(seen, (same = textOf(env.sources, path) === seen));
    }
    if (!same) return false;
  }
  for (const [key, { print, compute }] of deps.derived)
    if (env.sources.derive(key, compute).print !== print) return false;
  return true;
}

/**
 * A view of `sources` that records every file read through it, with the text seen, and every derived value asked
 * for, with its print. `host` and `loaded()` reach files it cannot track, so using them calls `untracked`.
 */
function trackingSources(
  sources: SourceStore,
  files: Map<string, string | null>,
  derived: Map<string, { print: string; compute: Derivation<unknown> }>,
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
        derived.set(key, { print: d.print, compute });
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
