// Builds the effective-configuration model of one pipeline (see model.ts), in GitLab's order (D1): YAML load with
// anchors per file → include → extends → !reference → default:/globals/inherit → variables → images and services.

import { msg } from '../i18n';
import { MODEL_FINDINGS } from '../ids';
import type { Settings } from '../settings';
import type { SourceStore } from '../sources';
import { loadFile, normalize, type IncludeContext } from './include';
import { buildJobs, jobData, JobMemo, jobHasKey, jobProvenance } from './jobs';
import type { EffectiveJob, Pipeline, Replacement } from './model';
import { FindingSink } from './report';
import { replacementOf, Resolver } from './resolve';
import { makeMap } from './tree';

export interface PipelineOptions {
  /** Absolute workspace (repository) root: `include: local:` paths resolve against it and may not leave it. */
  readonly workspaceRoot: string;
  readonly settings: Settings;
}

/** Child pipelines nest at most this deep (`trigger: include:` inside a child). */
const MAX_CHILD_DEPTH = 5;

export function buildPipeline(sources: SourceStore, root: string, options: PipelineOptions): Pipeline {
  return build(sources, root, options, []);
}

function build(sources: SourceStore, root: string, options: PipelineOptions, ancestors: readonly string[]): Pipeline {
  const sink = new FindingSink();
  const includeReplaced = new Map<string, Replacement[]>();
  const ctx: IncludeContext = {
    sources,
    workspaceRoot: normalize(options.workspaceRoot) ?? options.workspaceRoot,
    settings: options.settings,
    sink,
    files: [],
    includes: 0,
    onReplace: (path, lost, by) => {
      const [job, ...rest] = path;
      const r = job !== undefined ? replacementOf(rest, lost, by) : null;
      if (job === undefined || !r) return;
      let list = includeReplaced.get(job);
      if (!list) includeReplaced.set(job, (list = []));
      list.push(r);
    },
  };
  const read = sources.read(root);
  if (read.kind !== 'ok') {
    const why =
      read.kind === 'missing' ? msg('ci.pipeline-missing') : msg('ci.pipeline-unreadable', { detail: read.message });
    sink.add(MODEL_FINDINGS.pipelineStructure, root, { start: 0, end: 0 }, why);
    return { root, files: [root], jobs: [], children: [], findings: sink.findings };
  }
  const top = loadFile(ctx, root, ctx.workspaceRoot, null, []) ?? makeMap(root, { start: 0, end: 0 }, new Map());
  const resolver = new Resolver(top, sink);
  const memo = sources.cache.slot(`jobs\0${root}`, () => new JobMemo());
  memo.begin(JSON.stringify(options.settings));
  const jobs = buildJobs({ top, resolver, sink, settings: options.settings, includeReplaced, memo });
  const children = childPipelines(sources, options, [...ancestors, root], jobs, ctx.workspaceRoot, sink);
  return { root, files: ctx.files, jobs, children, findings: sink.findings };
}

/** `trigger: include:` local files, each built as its own root (no inherited defaults). */
function childPipelines(
  sources: SourceStore,
  options: PipelineOptions,
  ancestors: readonly string[],
  jobs: readonly EffectiveJob[],
  workspaceRoot: string,
  sink: FindingSink,
): Pipeline[] {
  const children: Pipeline[] = [];
  const seen = new Set<string>();
  for (const job of jobs) {
    if (!jobHasKey(job, 'trigger')) continue;
    const trigger = jobData(job)['trigger'];
    if (trigger === null || typeof trigger !== 'object' || Array.isArray(trigger)) continue;
    const include = (trigger as Record<string, unknown>)['include'];
    const items = Array.isArray(include) ? include : include === undefined ? [] : [include];
    items.forEach((item, i) => {
      const local =
        typeof item === 'string'
          ? item
          : item !== null && typeof item === 'object' && typeof (item as Record<string, unknown>)['local'] === 'string'
            ? ((item as Record<string, unknown>)['local'] as string)
            : undefined;
      if (local === undefined || /^https?:\/\//i.test(local) || local.includes('$')) return;
      const path = normalize(`${workspaceRoot}/${local.replace(/^\/+/, '')}`);
      const origin = jobProvenance(job).get(Array.isArray(include) ? `trigger.include[${i}]` : 'trigger.include');
      if (path === null || !path.startsWith(`${workspaceRoot}/`)) {
        if (origin)
          sink.add(MODEL_FINDINGS.includeError, origin.file, origin.span, msg('ci.child-outside', { path: local }));
        return;
      }
      if (seen.has(path) || ancestors.includes(path) || ancestors.length > MAX_CHILD_DEPTH) return;
      seen.add(path);
      if (sources.read(path).kind !== 'ok') {
        if (origin)
          sink.add(MODEL_FINDINGS.includeError, origin.file, origin.span, msg('ci.child-missing', { path: local }));
        return;
      }
      children.push(build(sources, path, options, ancestors));
    });
  }
  return children;
}
