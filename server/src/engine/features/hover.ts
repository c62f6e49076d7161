// Hover: in a pipeline file, the effective value of the job key under the cursor for each job that uses it, where
// it comes from and what the runner it is checked against provides; in config.toml, the schema's documentation.

import type { Analysis } from '../analyze';
import { jobProvenance } from '../ci/jobs';
import type { EffectiveJob, JobService, Origin, Pipeline } from '../ci/model';
import type { Locale } from '../i18n';
import type { Runner } from '../runner/model';
import { JobFacts } from '../semantics/facts';
import type { Svc } from '../semantics/services';
import { DEFAULT_SETTINGS } from '../settings';
import type { Span } from '../types';
import {
  code,
  contains,
  describeOrigin,
  describeRunner,
  locateYaml,
  pipelineOf,
  runnerContext,
  t,
  where,
  type FeatureOptions,
  type RunnerContext,
  type YamlLocation,
} from './common';
import { runnerHover } from './toml-docs';

export interface HoverResult {
  /** Markdown. */
  readonly markdown: string;
  /** The range the hover is about. */
  readonly span: Span;
}

/** Jobs shown per hover; the others are counted. */
export const MAX_HOVER_JOBS = 3;
/** Runners shown per job. */
const MAX_HOVER_RUNNERS = 2;

/** Variables whose hover shows the effective value: the ones that decide how the client reaches dind. */
export function isDindVariable(name: string): boolean {
  return name.startsWith('DOCKER_') || name === 'HEALTHCHECK_TCP_PORT' || name.startsWith('FF_');
}

export function hoverAt(analysis: Analysis, file: string, offset: number, options: FeatureOptions): HoverResult | null {
  if (file.endsWith('.toml') || analysis.runnerConfigs.some((c) => c.file === file)) {
    return runnerHover(analysis, file, offset, options.locale ?? 'en');
  }
  const loc = locateYaml(analysis.sources.yaml(file)?.body ?? null, offset);
  const pipeline = pipelineOf(analysis, file);
  if (!loc || !pipeline) return null;
  const ctx: Ctx = {
    analysis,
    pipeline,
    file,
    offset,
    loc,
    root: options.root,
    settings: options.settings ?? DEFAULT_SETTINGS,
    runners: runnerContext(analysis, options.settings),
    locale: options.locale ?? 'en',
  };
  const markdown = pipelineHover(ctx);
  return markdown === null ? null : { markdown, span: loc.span };
}

interface Ctx {
  readonly analysis: Analysis;
  readonly pipeline: Pipeline;
  readonly file: string;
  readonly offset: number;
  readonly loc: YamlLocation;
  readonly root: string;
  readonly settings: NonNullable<FeatureOptions['settings']>;
  readonly runners: RunnerContext;
  readonly locale: Locale;
}

function pipelineHover(ctx: Ctx): string | null {
  const path = ctx.loc.path;
  const top = path[0];
  if (typeof top !== 'string') return null;
  // `image`/`services`/`variables` are top-level keys (global) or keys of a job, template or `default:`.
  const at = (key: string): number => (path[0] === key ? 0 : path[1] === key ? 1 : -1);

  if (path.length === 1 && ctx.loc.onKey && at('image') < 0 && at('services') < 0 && at('variables') < 0) {
    return jobNameHover(ctx, top);
  }
  const services = at('services');
  if (services >= 0) {
    const index = path[services + 1];
    const varName = path[services + 2] === 'variables' ? path[services + 3] : undefined;
    if (typeof varName === 'string' && isDindVariable(varName)) return serviceVariableHover(ctx, top, varName);
    return serviceHover(ctx, top, typeof index === 'number' ? index : null);
  }
  if (at('image') >= 0) return imageHover(ctx, top);
  const variables = at('variables');
  const name = variables >= 0 ? path[variables + 1] : undefined;
  if (typeof name === 'string' && isDindVariable(name)) return variableHover(ctx, top, name);
  return null;
}

/** Jobs defined by the top-level key `top` of this file (a job's own definition). */
function ownJobs(ctx: Ctx, top: string): EffectiveJob[] {
  return ctx.pipeline.jobs.filter((j) => j.name === top);
}

function at(o: Origin | null | undefined, ctx: Ctx): boolean {
  if (!o || o.file !== ctx.file) return false;
  return contains(o.span, ctx.offset) || (o.keySpan !== undefined && contains(o.keySpan, ctx.offset));
}

/** Up to MAX_HOVER_JOBS sections, and a line counting the rest. */
function sections(ctx: Ctx, jobs: readonly EffectiveJob[], render: (j: EffectiveJob) => string): string {
  const shown = jobs.slice(0, MAX_HOVER_JOBS).map(render);
  if (jobs.length > MAX_HOVER_JOBS)
    shown.push(t(ctx.locale, 'features.hover.more-jobs', { count: jobs.length - MAX_HOVER_JOBS }));
  return shown.join('\n\n---\n\n');
}

function jobTitle(ctx: Ctx, job: EffectiveJob): string {
  const matrix = job.matrix ? ` ${code(JSON.stringify(job.matrix))}` : '';
  const at = where(ctx.analysis.sources, ctx.root, job.file, job.nameSpan.start);
  return t(ctx.locale, 'features.hover.job-title', { name: code(job.name), matrix, where: code(at) });
}

function origin(ctx: Ctx, o: Origin): string {
  return describeOrigin(o, ctx.analysis.sources, ctx.root, ctx.locale);
}

function jobNameHover(ctx: Ctx, top: string): string | null {
  const own = ownJobs(ctx, top);
  if (own.length > 0) return sections(ctx, own, (j) => jobSummary(ctx, j));
  // A template, `default:` or a hidden job: the jobs that take something from it.
  const users = ctx.pipeline.jobs.filter(
    (j) => j.extendsChain.includes(top) || [...jobProvenance(j).values()].some((o) => isInside(ctx, o, top)),
  );
  if (users.length === 0) return t(ctx.locale, 'features.hover.unused', { name: code(top) });
  const title =
    users.length === 1
      ? t(ctx.locale, 'features.hover.used-by-one', { name: code(top) })
      : t(ctx.locale, 'features.hover.used-by-many', { name: code(top), count: users.length });
  return `${title}\n\n${sections(ctx, users, (j) => jobSummary(ctx, j))}`;
}

/** Whether `o` lies inside the value of the top-level key `top` of the hovered file. */
function isInside(ctx: Ctx, o: Origin, top: string): boolean {
  if (o.file !== ctx.file) return false;
  const body = ctx.analysis.sources.yaml(ctx.file)?.body?.contents;
  const pair = body && 'items' in body ? (body.items as { key: unknown; value: unknown }[]) : [];
  for (const p of pair) {
    const key = p.key as { value?: unknown } | null;
    const value = p.value as { range?: [number, number, number] } | null;
    if (key && String(key.value) === top && value?.range)
      return o.span.start >= value.range[0] && o.span.end <= value.range[1];
  }
  return false;
}

function jobSummary(ctx: Ctx, job: EffectiveJob): string {
  const lines = [jobTitle(ctx, job)];
  if (job.extendsChain.length > 0)
    lines.push(t(ctx.locale, 'features.hover.extends', { chain: job.extendsChain.map(code).join(' → ') }));
  if (job.image) lines.push(imageLine(ctx, code(job.image.name.value), job.image.name.origin));
  for (const s of job.services) lines.push(serviceLine(ctx, s));
  for (const [name, v] of job.variables) {
    if (isDindVariable(name)) lines.push(variableLine(ctx, name, v.value, v.origin));
  }
  lines.push(...runnerLines(ctx, job, 'all'));
  return lines.join('\n');
}

function imageLine(ctx: Ctx, image: string, o: Origin): string {
  return t(ctx.locale, 'features.hover.image', { image, origin: origin(ctx, o) });
}

function serviceLine(ctx: Ctx, s: JobService): string {
  return t(ctx.locale, 'features.hover.service', { service: serviceText(ctx, s), origin: origin(ctx, s.origin) });
}

function variableLine(ctx: Ctx, name: string, value: string, o: Origin): string {
  return t(ctx.locale, 'features.hover.variable', { name: code(name), value: code(value), origin: origin(ctx, o) });
}

function serviceText(ctx: Ctx, s: JobService): string {
  const aliases = s.aliases.length > 0 ? s.aliases : s.derivedAliases;
  if (aliases.length === 0) return code(s.name.value);
  return t(ctx.locale, 'features.hover.service-alias', {
    name: code(s.name.value),
    aliases: aliases.map(code).join(', '),
  });
}

function imageHover(ctx: Ctx, top: string): string | null {
  let jobs = ctx.pipeline.jobs.filter((j) => at(j.image?.origin, ctx));
  if (jobs.length === 0) jobs = ownJobs(ctx, top);
  if (jobs.length === 0) return null;
  return sections(ctx, jobs, (job) => {
    const lines = [jobTitle(ctx, job)];
    if (job.image) {
      const image = code(job.image.name.value);
      lines.push(
        job.image.ref.expanded !== job.image.name.value
          ? t(ctx.locale, 'features.hover.image-expanded', {
              image,
              expanded: code(job.image.ref.expanded),
              origin: origin(ctx, job.image.name.origin),
            })
          : imageLine(ctx, image, job.image.name.origin),
      );
    } else {
      lines.push(t(ctx.locale, 'features.hover.no-image'));
    }
    lines.push(...runnerLines(ctx, job, 'client'));
    return lines.join('\n');
  });
}

function serviceHover(ctx: Ctx, top: string, index: number | null): string | null {
  let pairs: { job: EffectiveJob; service: JobService | null }[] = ctx.pipeline.jobs.flatMap((job) =>
    job.services.filter((s) => at(s.origin, ctx)).map((s) => ({ job, service: s })),
  );
  if (pairs.length === 0) {
    pairs = ownJobs(ctx, top).map((job) => ({ job, service: index === null ? null : (job.services[index] ?? null) }));
  }
  if (pairs.length === 0) return null;
  const jobs = pairs.map((p) => p.job);
  return sections(ctx, jobs, (job) => {
    const service = pairs.find((p) => p.job === job)?.service ?? null;
    const lines = [jobTitle(ctx, job)];
    const listed = service ? [service] : job.services;
    if (listed.length === 0) lines.push(t(ctx.locale, 'features.hover.no-services'));
    for (const s of listed) lines.push(serviceLine(ctx, s));
    if (!service && job.servicesOrigin)
      lines.push(t(ctx.locale, 'features.hover.services-from', { origin: origin(ctx, job.servicesOrigin) }));
    lines.push(...runnerLines(ctx, job, 'services', service));
    return lines.join('\n');
  });
}

function variableHover(ctx: Ctx, top: string, name: string): string | null {
  let jobs = ctx.pipeline.jobs.filter((j) => at(j.variables.get(name)?.origin, ctx));
  if (jobs.length === 0) jobs = ownJobs(ctx, top);
  if (jobs.length === 0) return t(ctx.locale, 'features.hover.unused', { name: code(name) });
  return sections(ctx, jobs, (job) => {
    const lines = [jobTitle(ctx, job)];
    const v = job.variables.get(name);
    if (v) {
      lines.push(variableLine(ctx, name, v.value, v.origin));
      for (const alt of v.alternatives ?? [])
        lines.push(
          t(ctx.locale, 'features.hover.otherwise', { value: code(alt.value), origin: origin(ctx, alt.origin) }),
        );
    } else {
      lines.push(t(ctx.locale, 'features.hover.not-a-variable', { name: code(name) }));
    }
    for (const runner of shownRunners(ctx, job)) {
      const facts = new JobFacts(job, runner, ctx.settings);
      const build = facts.buildVar(name);
      const title = runner ? runnerTitle(ctx, runner) : t(ctx.locale, 'features.hover.no-runner-config');
      if (build.state === 'unset') {
        lines.push(t(ctx.locale, 'features.hover.build-unset', { runner: title }));
      } else if (!v || build.layer !== v.layer || build.value !== v.value) {
        lines.push(
          t(ctx.locale, 'features.hover.build-value', {
            runner: title,
            value: code(build.value),
            layer: build.layer,
            origin: origin(ctx, build.origin),
          }),
        );
      }
      if (name === 'DOCKER_HOST' || name === 'DOCKER_TLS_CERTDIR') lines.push(...clientLines(ctx, facts));
    }
    return lines.join('\n');
  });
}

function serviceVariableHover(ctx: Ctx, top: string, name: string): string | null {
  const pairs = ctx.pipeline.jobs.flatMap((job) =>
    job.services.filter((s) => at(s.variables.get(name)?.origin, ctx)).map((service) => ({ job, service })),
  );
  const list =
    pairs.length > 0 ? pairs : ownJobs(ctx, top).flatMap((job) => job.services.map((service) => ({ job, service })));
  if (list.length === 0) return null;
  return sections(
    ctx,
    list.map((p) => p.job),
    (job) => {
      const service = list.find((p) => p.job === job)?.service;
      const lines = [jobTitle(ctx, job)];
      if (!service) return lines.join('\n');
      const v = service.variables.get(name);
      const params = { service: serviceText(ctx, service), name: code(name) };
      lines.push(
        v
          ? t(ctx.locale, 'features.hover.service-variable', {
              ...params,
              value: code(v.value),
              origin: origin(ctx, v.origin),
            })
          : t(ctx.locale, 'features.hover.service-variable-unset', params),
      );
      lines.push(...runnerLines(ctx, job, 'services', service));
      return lines.join('\n');
    },
  );
}

function runnerTitle(ctx: Ctx, runner: Runner): string {
  return describeRunner(runner, ctx.analysis.sources, ctx.root, ctx.locale);
}

/** The runners a job is checked against, capped; `[null]` when none is known. */
function shownRunners(ctx: Ctx, job: EffectiveJob): (Runner | null)[] {
  const runners = ctx.runners.runnersFor(job);
  return runners.length > 0 ? runners.slice(0, MAX_HOVER_RUNNERS) : [null];
}

/** What the runner(s) give the job: executor, privileged dind services, shared certs, socket mount, DOCKER_HOST. */
function runnerLines(
  ctx: Ctx,
  job: EffectiveJob,
  focus: 'all' | 'client' | 'services',
  only?: JobService | null,
): string[] {
  const lines: string[] = [];
  const runners = ctx.runners.runnersFor(job);
  if (runners.length === 0) {
    lines.push(t(ctx.locale, 'features.hover.no-runner'));
  }
  for (const runner of shownRunners(ctx, job)) {
    const facts = new JobFacts(job, runner, ctx.settings);
    if (runner) {
      const executor =
        runner.executor === null
          ? t(ctx.locale, 'features.hover.no-executor')
          : t(ctx.locale, 'features.hover.executor', { executor: code(runner.executor) });
      lines.push(t(ctx.locale, 'features.hover.checked-against', { runner: runnerTitle(ctx, runner), executor }));
    }
    if (focus !== 'client') {
      const services = facts.dindServices.filter((s) => !only || s.jobService === only);
      for (const s of services) lines.push(...dindLines(ctx, facts, s, runner));
    }
    if (focus !== 'services') lines.push(...clientLines(ctx, facts));
    if (runner && focus !== 'services') {
      const socket = facts.socketMount;
      if (socket)
        lines.push(
          t(ctx.locale, 'features.hover.socket-mount', { mount: code(socket.raw), origin: origin(ctx, socket.origin) }),
        );
    }
  }
  const more = runners.length - MAX_HOVER_RUNNERS;
  if (more > 0) lines.push(t(ctx.locale, 'features.hover.more-runners', { count: more }));
  return lines;
}

function dindLines(ctx: Ctx, facts: JobFacts, s: Svc, runner: Runner | null): string[] {
  const lines: string[] = [];
  const d = facts.daemon(s);
  const tls = t(
    ctx.locale,
    d.tls === null ? 'features.hover.tls-unknown' : d.tls ? 'features.hover.tls-on' : 'features.hover.tls-off',
  );
  const port = d.entrypointPort === null ? '' : t(ctx.locale, 'features.hover.port', { port: d.entrypointPort });
  const from = s.source === 'runner' ? t(ctx.locale, 'features.hover.runner-service') : '';
  lines.push(t(ctx.locale, 'features.hover.dind', { name: code(s.name.value), from, tls, port }));
  const priv = facts.privilege(s);
  if (priv && runner) {
    const decided = priv.origin ? ` — ${origin(ctx, priv.origin)}` : '';
    const reason =
      priv.source === 'allow-list'
        ? t(ctx.locale, 'features.hover.priv-allow-list')
        : priv.privileged
          ? t(ctx.locale, 'features.hover.priv-on', { source: code(priv.source) })
          : priv.source === 'default'
            ? t(ctx.locale, 'features.hover.priv-default')
            : t(ctx.locale, 'features.hover.priv-off', { source: code(priv.source) });
    lines.push(`    - ${reason}${decided}`);
  }
  if (d.tls && d.certDir.state === 'set') {
    const shared = facts.certsShared(d.certDir.value);
    const path = code(`${d.certDir.value}/client`);
    if (shared)
      lines.push(
        t(ctx.locale, 'features.hover.certs-shared', {
          path,
          volume: code(shared.raw),
          origin: origin(ctx, shared.origin),
        }),
      );
    else if (shared === null) lines.push(t(ctx.locale, 'features.hover.certs-not-shared', { path }));
  }
  return lines;
}

function clientLines(ctx: Ctx, facts: JobFacts): string[] {
  const host = facts.dockerHost;
  const value = host.value === null ? t(ctx.locale, 'features.hover.host-unknown') : code(host.value);
  const how =
    host.source === 'variable' && host.variable
      ? origin(ctx, host.variable.origin)
      : host.source === 'entrypoint'
        ? t(ctx.locale, 'features.hover.host-entrypoint', {
            branch: host.branch ? ` (${host.branch})` : '',
            assumed: host.assumed ? t(ctx.locale, 'features.hover.host-assumed') : '',
          })
        : t(ctx.locale, 'features.hover.host-default');
  return [t(ctx.locale, 'features.hover.client-host', { value, how })];
}
