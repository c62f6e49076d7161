// The engine's entry point: text → parse → model → rules → findings. Pure: all input comes through `Host`.

import type { EffectiveJob, Pipeline } from './ci/model';
import { buildPipeline } from './ci/pipeline';
import { isMsg, msg, type Msg } from './i18n';
import { MODEL_FINDINGS } from './ids';
import { MESSAGES } from './messages';
import { RULES } from './rules/index';
import type { Report, Rule, RuleFinding } from './rules/rule';
import { parseRunnerConfig } from './runner/config';
import type { Runner, RunnerConfig } from './runner/model';
import { selectRunners, assumedRunnerConfig, ASSUMED_RUNNER_FILE } from './runner/select';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { type ParseCache, SourceStore } from './sources';
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
}

export interface Analysis {
  readonly findings: readonly Finding[];
  readonly pipelines: readonly Pipeline[];
  readonly runnerConfigs: readonly RunnerConfig[];
  /** Every file the analysis read, with its text and line index. */
  readonly sources: SourceStore;
}

export function analyze(host: Host, options: AnalysisOptions): Analysis {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const sources = new SourceStore(host, options.cache);
  const findings: Finding[] = [];

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
  for (const pipeline of allPipelines) {
    const assignments = pipeline.jobs.map((job) => ({ job, runners: selectRunners(job, candidates, settings) }));
    for (const { job, runners } of assignments) {
      for (const r of runners) {
        let list = jobsByRunner.get(r);
        if (!list) jobsByRunner.set(r, (list = []));
        list.push(job);
      }
    }
    for (const { job, runners } of assignments) {
      const targets: (Runner | null)[] = runners.length > 0 ? runners : [null];
      for (const runner of targets) {
        for (const rule of RULES) {
          if (!rule.checkJob) continue;
          const check = {
            job,
            pipeline,
            runner,
            runnerAssumed,
            jobsOnRunner: runner ? (jobsByRunner.get(runner) ?? []) : [],
            sources,
            settings,
          };
          runRule(rule, findings, job.file, (report) => rule.checkJob?.(check, report), job.name, runner);
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
        runRule(rule, findings, config.file, (report) => rule.checkRunner?.(check, report), null, runner);
      }
    }
  }

  const visible = applySuppressions(
    applySeverity(dedupe(findings.filter((f) => f.file !== ASSUMED_RUNNER_FILE).map(dropAssumedParts)), settings),
    sources,
  );
  return { findings: sortFindings(visible), pipelines, runnerConfigs, sources };
}

function flattenPipelines(pipelines: readonly Pipeline[]): Pipeline[] {
  const out: Pipeline[] = [];
  const walk = (p: Pipeline, depth: number): void => {
    out.push(p);
    if (depth < 5) for (const c of p.children) walk(c, depth + 1);
  };
  for (const p of pipelines) walk(p, 0);
  return out;
}

/** Runs one rule; an exception becomes an internal-error finding and the other rules still report. */
function runRule(
  rule: Rule,
  findings: Finding[],
  file: string,
  body: (report: Report) => void,
  job: string | null,
  runner: Runner | null,
): void {
  const report: Report = (f: RuleFinding) => {
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
      fixes: (f.fixes ?? []).map((x) =>
        x.l10nTitle && !x.title ? { ...x, title: MESSAGES.render('en', x.l10nTitle) } : x,
      ),
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
function dropAssumedParts(f: Finding): Finding {
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
    const key = `${f.ruleId}\0${f.file}\0${f.span.start}\0${f.span.end}\0${f.job ?? ''}\0${f.runner ?? ''}\0${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
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
