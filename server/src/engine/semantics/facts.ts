// One place that evaluates the spec's terms for a job on a runner, lazily and once: rules ask `JobFacts` instead
// of recomputing. A job with conditional variables has several variants (`JobFacts.variants`); check each.
// Facts are pure functions of (job, runner, settings, variant), so every `JobFacts` over the same four shares one
// memo: the rules of one analysis evaluate each term once per job and runner, not once per rule.

import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';

import { movedJobOf } from '../ci/jobs';
import type { EffectiveJob, Variable } from '../ci/model';
import { toPlain, type TMap, type TNode } from '../ci/tree';
import type { Runner } from '../runner/model';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import { moveSpans } from '../shift';
import type { SourceStore } from '../sources';
import type { Span } from '../types';
import { clientAuto, effectiveDockerHost, type ClientAuto, type EffectiveDockerHost } from './client';
import { daemonFacts, type DaemonFacts } from './daemon';
import {
  certsSharedVolume,
  executorClass,
  featureFlag,
  servicePrivilege,
  socketMount,
  type ExecutorClass,
  type FeatureFlag,
  type RunnerVolume,
  type ServicePrivilege,
} from './runner';
import {
  effectiveImage,
  isDindService,
  isRootlessService,
  serviceAliases,
  serviceList,
  type EffectiveImage,
  type Svc,
} from './services';
import { usesDocker, type DockerUsage } from './usage';
import {
  imageDefaultLayer,
  runnerEnvironmentLayer,
  runnerServiceEnvironmentLayer,
  variableLayer,
  variableVariants,
  VariableScope,
  type VarLookup,
  type VariableVariant,
} from './variables';

type Memo = Map<string, unknown>;
/** Memo key of the variants' `JobFacts` (no fact getter uses it). */
const VARIANTS = 'variants';

/** job → runner (or the job itself when there is none) → settings → variant variables → memo. */
type MemoTree = WeakMap<object, WeakMap<object, WeakMap<Settings, WeakMap<ReadonlyMap<string, Variable>, Memo>>>>;

/** Memo keys of one fact of a service, `prefix:source:index`, by source and index. */
interface ServiceKeys {
  readonly prefix: string;
  readonly job: string[];
  readonly runner: string[];
}
const SCOPE_KEYS: ServiceKeys = { prefix: 'svc', job: [], runner: [] };
const DAEMON_KEYS: ServiceKeys = { prefix: 'daemon', job: [], runner: [] };

/** The memo key of a service's fact, made once per source and index: a hit then builds no string. */
function serviceKey(keys: ServiceKeys, s: Svc): string {
  return (keys[s.source][s.index] ??= `${keys.prefix}:${s.source}:${s.index}`);
}

/**
 * (job, runner) pairs whose facts are shared at a time. Older pairs are dropped from the tree (their `JobFacts` keep
 * their memo; new instances compute again). The rules of one job on one runner run one after another, so a few pairs
 * are enough; facts take ~10 KB per pair, and facts kept for many pairs outlive the young generation and become
 * old-space garbage when dropped (at 1,024 pairs a cold 5,000-job analysis peaked ~25 MB higher). Sharing is an
 * optimisation only (see `withSharedFacts(false)`), so dropping is always safe.
 */
export const MAX_SHARED_FACT_PAIRS = 32;

/** The memo tree of an analysis, with its pairs in the order they were made (oldest first, from `head`). */
class SharedMemos {
  readonly tree: MemoTree = new WeakMap();
  private order: [WeakMap<object, unknown>, object][] = [];
  private head = 0;

  /** Records a new pair; drops the oldest beyond the limit. */
  added(byRunner: WeakMap<object, unknown>, owner: object): void {
    this.order.push([byRunner, owner]);
    if (this.order.length - this.head <= MAX_SHARED_FACT_PAIRS) return;
    const [map, key] = this.order[this.head] as [WeakMap<object, unknown>, object];
    map.delete(key);
    this.order[this.head++] = undefined as never;
    if (this.head > MAX_SHARED_FACT_PAIRS) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
}

let sharedMemos: SharedMemos | null = new SharedMemos();
/** `JobFacts.memo` values: runner (or the settings, without a runner) → settings → key → job → value. */
const jobMemos = new WeakMap<
  object,
  WeakMap<Settings, Map<string, WeakMap<EffectiveJob, { readonly value: unknown }>>>
>();

/**
 * How a copy of a job with moved positions (`movedJobOf`) may reuse the original's value: `as-is` when the value
 * holds no position, `moved` when its positions are spans next to their file (moved with `moveSpans`).
 */
export type MemoReuse = 'as-is' | 'moved' | 'never';

export interface JobMemoTable<T> {
  get(job: EffectiveJob, compute: () => T, reuse?: MemoReuse): T;
}
const variantsByJob = new WeakMap<EffectiveJob, VariableVariant[]>();

/**
 * Runs `body` (one analysis) with memo sharing between `JobFacts` instances on or off (off: each instance computes its
 * own facts, as a reference for equivalence tests). The shared facts live for the analysis only: the next one reuses
 * the rule results of unchanged jobs and the per-job values of `memo`/`memoTable`, not the facts behind them.
 */
export function withSharedFacts<T>(enabled: boolean, body: () => T): T {
  const before = sharedMemos;
  sharedMemos = enabled ? new SharedMemos() : null;
  try {
    return body();
  } finally {
    sharedMemos = before;
  }
}

/** The variable variants of a job, computed once per job (their maps are the memo keys of the variant's facts). */
function jobVariants(job: EffectiveJob): VariableVariant[] {
  let v = variantsByJob.get(job);
  if (!v) variantsByJob.set(job, (v = variableVariants(job)));
  return v;
}

/**
 * The shared memo of (job, runner, settings, variant). Plain lookups rather than a get-or-make helper with closures:
 * every `JobFacts` and every `JobFacts.variants` call looks its memo up, and a hit should allocate nothing.
 */
function memoFor(
  shared: SharedMemos | null,
  job: EffectiveJob,
  runner: Runner | null,
  settings: Settings,
  variant: VariableVariant,
): Memo {
  if (!shared) return new Map();
  let byRunner = shared.tree.get(job);
  if (!byRunner) shared.tree.set(job, (byRunner = new WeakMap()));
  const owner = runner ?? job;
  let bySettings = byRunner.get(owner);
  if (!bySettings) {
    shared.added(byRunner, owner);
    byRunner.set(owner, (bySettings = new WeakMap()));
  }
  let byVariant = bySettings.get(settings);
  if (!byVariant) bySettings.set(settings, (byVariant = new WeakMap()));
  let memo = byVariant.get(variant.variables);
  if (!memo) byVariant.set(variant.variables, (memo = new Map<string, unknown>()));
  return memo;
}

export class JobFacts {
  private readonly memo: Memo;

  constructor(
    readonly job: EffectiveJob,
    /** The runner that runs the job, or null when no runner config is known (runner facts are then null). */
    readonly runner: Runner | null,
    readonly settings: Settings = DEFAULT_SETTINGS,
    /** The variable map of this variant (defaults to all of the job's variables). */
    readonly variant: VariableVariant = { label: 'all', variables: job.variables },
  ) {
    this.memo = memoFor(sharedMemos, job, runner, settings, variant);
  }

  /**
   * One JobFacts per variable variant of the job (see `variableVariants`). With shared memos the instances (and the
   * returned array) are made once per (job, runner, settings) and kept in the memo of the `all` variant (the first one).
   */
  static variants(
    job: EffectiveJob,
    runner: Runner | null,
    settings: Settings = DEFAULT_SETTINGS,
  ): readonly JobFacts[] {
    const variants = jobVariants(job);
    const first = variants[0];
    if (!sharedMemos || !first) return variants.map((v) => new JobFacts(job, runner, settings, v));
    const memo = memoFor(sharedMemos, job, runner, settings, first);
    let facts = memo.get(VARIANTS) as JobFacts[] | undefined;
    if (!facts) memo.set(VARIANTS, (facts = variants.map((v) => new JobFacts(job, runner, settings, v))));
    return facts;
  }

  /**
   * A value computed from the job on the runner (all variants), once per (job, runner, settings) like the facts
   * themselves: rules that walk every job of a runner recompute only the jobs that changed since the last analysis.
   * `key` names the computation; `compute` must depend on nothing else.
   */
  static memo<T>(
    key: string,
    job: EffectiveJob,
    runner: Runner | null,
    settings: Settings,
    compute: () => T,
    reuse: MemoReuse = 'never',
  ): T {
    return JobFacts.memoTable<T>(key, runner, settings).get(job, compute, reuse);
  }

  /**
   * The `memo` values of one computation on one runner, to look up job after job (a rule walking every job of a
   * runner asks for the table once). Tables for the jobs' own values (no runner) are kept per job instead.
   */
  static memoTable<T>(key: string, runner: Runner | null, settings: Settings): JobMemoTable<T> {
    if (!sharedMemos) return { get: (_job, compute) => compute() };
    const owner: object = runner ?? settings;
    let bySettings = jobMemos.get(owner);
    if (!bySettings) jobMemos.set(owner, (bySettings = new WeakMap()));
    let byKey = bySettings.get(settings);
    if (!byKey)
      bySettings.set(settings, (byKey = new Map<string, WeakMap<EffectiveJob, { readonly value: unknown }>>()));
    let table = byKey.get(key) as WeakMap<EffectiveJob, { readonly value: T }> | undefined;
    if (!table) byKey.set(key, (table = new WeakMap()));
    const values = table;
    return {
      get(job, compute, reuse = 'never') {
        const hit = values.get(job);
        if (hit) return hit.value;
        const before = reuse === 'never' ? undefined : movedJobOf(job);
        const earlier = before && values.get(before.job);
        const value = earlier ? (reuse === 'moved' ? moveSpans(earlier.value, before.move) : earlier.value) : compute();
        values.set(job, { value });
        return value;
      },
    };
  }

  /**
   * `make(this)`, or `make(this, s)` for a fact of service `s`, once per memo key. `make` is one of the static arrow
   * functions below (made once with the class, callable without a `this`), not a closure made at the call: rules ask
   * for the same facts thousands of times per analysis, and a hit (most asks) then allocates nothing.
   */
  private once<T>(key: string, make: (f: JobFacts) => T): T;
  private once<T>(key: string, make: (f: JobFacts, s: Svc) => T, s: Svc): T;
  private once<T>(key: string, make: (f: JobFacts, s: Svc) => T, s?: Svc): T {
    const hit = this.memo.get(key);
    if (hit !== undefined || this.memo.has(key)) return hit as T;
    const value = make(this, s as Svc);
    this.memo.set(key, value);
    return value;
  }

  /** The CI variables of this variant (job > job-rules > workflow-rules > global). */
  get variables(): ReadonlyMap<string, Variable> {
    return this.variant.variables;
  }

  get executor(): ExecutorClass | null {
    return this.runner ? executorClass(this.runner) : null;
  }

  /** CI variables and the runner environment (what image names expand with). */
  private get ciScope(): VariableScope {
    return this.once('ciScope', JobFacts.ciScopeOf);
  }

  private static readonly ciScopeOf = (f: JobFacts): VariableScope =>
    new VariableScope([variableLayer(f.variables), runnerEnvironmentLayer(f.runner)]);

  /** The build container's image: the job's, or the runner's default. */
  get image(): EffectiveImage | null {
    return this.once('image', JobFacts.imageOf);
  }

  private static readonly imageOf = (f: JobFacts): EffectiveImage | null => effectiveImage(f.job, f.runner, f.ciScope);

  /** Var_build scope: CI variables > `[[runners]] environment` > the image's ENV. */
  get build(): VariableScope {
    return this.once('build', JobFacts.buildOf);
  }

  private static readonly buildOf = (f: JobFacts): VariableScope =>
    new VariableScope([
      variableLayer(f.variables),
      runnerEnvironmentLayer(f.runner),
      imageDefaultLayer(f.image, f.settings),
    ]);

  /** Var_build(name). */
  buildVar(name: string): VarLookup {
    return this.build.get(name);
  }

  /** SVC(J): runner services first, then the job's. */
  get services(): readonly Svc[] {
    return this.once('services', JobFacts.servicesOf);
  }

  private static readonly servicesOf = (f: JobFacts): readonly Svc[] => serviceList(f.job, f.runner, f.ciScope);

  /** The DIND services of SVC(J). */
  get dindServices(): readonly Svc[] {
    return this.once('dindServices', JobFacts.dindServicesOf);
  }

  private static readonly dindServicesOf = (f: JobFacts): readonly Svc[] =>
    f.services.filter((s) => isDindService(s, f.settings));

  isDind(s: Svc): boolean {
    return isDindService(s, this.settings);
  }

  isRootless(s: Svc): boolean {
    return isRootlessService(s);
  }

  /** Aliases(s): explicit ∪ derived. */
  aliases(s: Svc): string[] {
    return serviceAliases(s);
  }

  /**
   * Var_svc scope of service `s`: its own `variables` > CI variables > `[[runners]] environment` >
   * `[[runners.*.services]] environment` (runner services) > the service image's ENV.
   */
  serviceScope(s: Svc): VariableScope {
    return this.once(serviceKey(SCOPE_KEYS, s), JobFacts.serviceScopeOf, s);
  }

  private static readonly serviceScopeOf = (f: JobFacts, s: Svc): VariableScope => {
    const own = s.source === 'job' ? variableLayer(s.variables) : new Map();
    const runnerSvc =
      s.source === 'runner' && f.runner && s.runnerService
        ? runnerServiceEnvironmentLayer(f.runner, s.runnerService.table)
        : new Map();
    return new VariableScope([
      own,
      variableLayer(f.variables),
      runnerEnvironmentLayer(f.runner),
      runnerSvc,
      imageDefaultLayer(s, f.settings),
    ]);
  };

  /** Var_svc(s, name). */
  serviceVar(s: Svc, name: string): VarLookup {
    return this.serviceScope(s).get(name);
  }

  /** TLS_ON(s), listeners and entrypoint behaviour of service `s`'s daemon. */
  daemon(s: Svc): DaemonFacts {
    return this.once(serviceKey(DAEMON_KEYS, s), JobFacts.daemonOf, s);
  }

  private static readonly daemonOf = (f: JobFacts, s: Svc): DaemonFacts => daemonFacts(s, f.serviceScope(s));

  /** CLIENT_AUTO(J). */
  get clientAuto(): ClientAuto {
    return this.once('clientAuto', JobFacts.clientAutoOf);
  }

  private static readonly clientAutoOf = (f: JobFacts): ClientAuto => clientAuto(f.image, f.runner, f.variables);

  /** DOCKER_HOST_eff(J) with its source. */
  get dockerHost(): EffectiveDockerHost {
    return this.once('dockerHost', JobFacts.dockerHostOf);
  }

  private static readonly dockerHostOf = (f: JobFacts): EffectiveDockerHost =>
    effectiveDockerHost({
      dockerHost: f.buildVar('DOCKER_HOST'),
      clientCertDir: f.buildVar('DOCKER_TLS_CERTDIR'),
      clientAuto: f.clientAuto,
      runner: f.runner,
      dind: f.dindServices.map((s) => {
        const d = f.daemon(s);
        return { certDir: d.certDir.state === 'set' ? d.certDir.value : null, tls: d.tls };
      }),
    });

  /** USES_DOCKER(J). */
  get usesDocker(): DockerUsage {
    return this.once('usesDocker', JobFacts.usesDockerOf);
  }

  private static readonly usesDockerOf = (f: JobFacts): DockerUsage => usesDocker(f.job, f.image);

  /** PRIV_SVC(R, s), or null when no runner is known. */
  privilege(s: Svc): ServicePrivilege | null {
    return this.runner ? servicePrivilege(this.runner, s.ref.expanded) : null;
  }

  /** SOCKET_MOUNT(R), or null (also when no runner is known). */
  get socketMount(): RunnerVolume | null {
    return this.runner ? socketMount(this.runner) : null;
  }

  /**
   * CERTS_SHARED(R, dir): the volume that shares `dir/client`, null when none does, undefined when no runner is
   * known (the caller decides what to assume).
   */
  certsShared(dir: string): RunnerVolume | null | undefined {
    return this.runner ? certsSharedVolume(this.runner, dir) : undefined;
  }

  /** A feature flag with R12 precedence, using this variant's variables. */
  featureFlag(name: string): FeatureFlag {
    return featureFlag(this.runner, this.variables, name);
  }
}

// ---- pipeline-wide facts ---------------------------------------------------------------------------------------

/** The `services:` sequence of a hidden job (`.name:`) at the top level of a pipeline file. */
export interface HiddenServices {
  /** The hidden job's key, e.g. `.dind`. */
  readonly key: string;
  readonly file: string;
  /** Range of the sequence, or null when the parser gave none. */
  readonly span: Span | null;
  /** The sequence as plain data. */
  readonly value: unknown;
}

/**
 * Every hidden job's `services:` sequence in the pipeline's files, in file and key order. Computed once per analysis
 * and pipeline file list; rule results that use it depend on this list, not on the whole text of every file.
 */
export function hiddenServiceLists(sources: SourceStore, files: readonly string[]): readonly HiddenServices[] {
  return sources.derive(`facts/hidden-services\0${joinedFiles(files)}`, (store) => {
    const value: HiddenServices[] = [];
    for (const file of files)
      value.push(...(hiddenServicesOfTree(store, file) ?? hiddenServicesOfDocument(store, file)));
    return { value, print: JSON.stringify(value) };
  }).value;
}

const joinedLists = new WeakMap<readonly string[], string>();

/** The file list as one string, once per list (every job of a pipeline asks with the same list). */
export function joinedFiles(files: readonly string[]): string {
  let key = joinedLists.get(files);
  if (key === undefined) joinedLists.set(files, (key = files.join('\0')));
  return key;
}

/**
 * The hidden jobs' `services:` lists of one file from its converted tree (which an edit updates without a full
 * parse), or undefined when the tree may not hold exactly the document's data (see `ConvertedYaml.plain`; a
 * `!reference` in a list is a sequence in the document).
 */
function hiddenServicesOfTree(sources: SourceStore, file: string): HiddenServices[] | undefined {
  const top = faithfulTopLevel(sources, file);
  if (!top) return undefined;
  const out: HiddenServices[] = [];
  for (const [key, entry] of top.tree.entries) {
    if (!key.startsWith('.') || entry.node.kind !== 'map') continue;
    const services = entry.node.entries.get('services')?.node;
    if (services === undefined) continue;
    if (!top.plainKeys.has(key)) return undefined;
    if (services.kind === 'ref' || (services.kind === 'seq' && hasReference(services))) return undefined;
    if (services.kind !== 'seq') continue;
    out.push({ key, file, span: services.span, value: toPlain(services) });
  }
  return out;
}

function hasReference(node: TNode): boolean {
  switch (node.kind) {
    case 'ref':
      return true;
    case 'scalar':
      return false;
    case 'seq':
      return node.items.some(hasReference);
    case 'map':
      for (const e of node.entries.values()) if (hasReference(e.node)) return true;
      return false;
  }
}

/** The hidden jobs' `services:` lists of one file from its parsed document. */
function hiddenServicesOfDocument(sources: SourceStore, file: string): HiddenServices[] {
  const out: HiddenServices[] = [];
  for (const pair of topLevel(sources, file)?.items ?? []) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (typeof key !== 'string' || !key.startsWith('.')) continue;
    const services = isMap(pair.value) ? pair.value.get('services', true) : undefined;
    if (!isSeq(services)) continue;
    const r = services.range;
    out.push({ key, file, span: r ? { start: r[0], end: r[1] } : null, value: services.toJSON() });
  }
  return out;
}

/**
 * The top-level mapping of a pipeline file as its converted tree, when its top-level keys are the document's, with
 * the keys whose values hold exactly the document's data (`ConvertedYaml.plainKeys`); undefined otherwise.
 */
export function faithfulTopLevel(
  sources: SourceStore,
  file: string,
): { readonly tree: TMap; readonly plainKeys: ReadonlySet<string> } | undefined {
  const converted = sources.file(file) ? sources.ciTree(file) : undefined;
  const tree = converted?.tree;
  const plainKeys = converted?.plainKeys;
  return plainKeys && tree?.kind === 'map' ? { tree, plainKeys } : undefined;
}

/** The top-level mapping of a pipeline file (the last document's contents), as `YamlEditor.root` finds it. */
export function topLevel(sources: SourceStore, file: string): YAMLMap<unknown, unknown> | undefined {
  const parsed = sources.file(file) ? sources.yaml(file) : undefined;
  const contents = parsed?.documents[parsed.documents.length - 1]?.contents;
  return isMap(contents) ? contents : undefined;
}
