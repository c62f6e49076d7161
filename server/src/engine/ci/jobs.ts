// Effective jobs (D6–D9): `default:` and deprecated globals, `inherit:`, variables by layer, images, services,
// scripts, `parallel: matrix` instances, the merged data with provenance, and the merge traps (A39).

import picomatch from 'picomatch';

import { msg } from '../i18n';
import { MODEL_FINDINGS } from '../ids';
import type { Settings } from '../settings';
import type { Span } from '../types';
import { deriveAliases, expandVariables, parseImageRef, splitAliases, type VariableLookup } from './image';
import type {
  EffectiveJob,
  JobImage,
  JobService,
  Origin,
  Replacement,
  ScriptLine,
  Valued,
  Variable,
  VariableLayer,
  ViaStep,
} from './model';
import { composeSteps, MATERIALISE, moveSpans, spanMovedBy, type MoveStep } from '../shift';
import type { FindingSink } from './report';
import { entryAt, readsHold, type Reads, type Resolver } from './resolve';
import {
  get,
  isNull,
  makeMap,
  movedFrom,
  originOf,
  scalarText,
  toPlain,
  viaWith,
  withVia,
  type MovedEntry,
  type TEntry,
  type TMap,
  type TNode,
} from './tree';

const MATRIX_STEP: ViaStep = { kind: 'matrix' };

/** Top-level keys that are not jobs (D8), with `types`, the deprecated name of `stages`. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'spec',
  'image',
  'services',
  'cache',
  'before_script',
  'after_script',
  'types',
]);

/** Keys `default:` may set (D6). */
export const DEFAULT_KEYS: readonly string[] = [
  'after_script',
  'artifacts',
  'before_script',
  'cache',
  'hooks',
  'id_tokens',
  'image',
  'interruptible',
  'retry',
  'services',
  'tags',
  'timeout',
];

/** Deprecated top-level keys with the effect of `default:`. */
export const DEPRECATED_GLOBALS: readonly string[] = ['image', 'services', 'cache', 'before_script', 'after_script'];

const SCRIPT_SECTIONS = ['before_script', 'script', 'after_script'] as const;

/** Pipeline-wide inputs every job is built from. */
export interface JobContext {
  readonly top: TMap;
  readonly resolver: Resolver;
  readonly sink: FindingSink;
  readonly settings: Settings;
  /** `services` lists that a later included file replaced, by job name. */
  readonly includeReplaced: ReadonlyMap<string, readonly Replacement[]>;
  /** Jobs of the previous analysis of this pipeline, reused when what they were built from is unchanged. */
  readonly memo?: JobMemo;
}

interface MemoEntry {
  readonly entry: TEntry;
  readonly defaults: Defaults;
  /** `includeReplaced` of the job, serialised. */
  readonly replaced: string;
  readonly reads: Reads;
  readonly jobs: readonly EffectiveJob[];
}

/**
 * The effective jobs of one pipeline kept between analyses (the language server keeps one per pipeline root in its
 * ParseCache). A job is reused when its own entry, the defaults and every top-level entry its build looked up
 * (`extends` parents, `!reference` targets) are the same objects as then: unchanged files keep their entries, so
 * an edit rebuilds only the jobs that read something from the edited part. Builds that raised model findings are
 * not kept (their findings depend on the order jobs are built in).
 */
export class JobMemo {
  private settings = '';
  jobs = new Map<string, MemoEntry>();
  defaults: { readonly reads: Reads; readonly value: Defaults } | undefined;

  /** Starts an analysis with `settings` (serialised): a different value forgets everything. */
  begin(settings: string): void {
    if (settings === this.settings) return;
    this.settings = settings;
    this.jobs = new Map();
    this.defaults = undefined;
  }
}

/**
 * The memoised jobs with positions moved, when everything they were built from is unchanged except for entries the
 * incremental parse moved (blocks after an edit in the same file): building them again would give exactly that.
 */
function movedJobs(hit: MemoEntry, entry: TEntry, top: TMap): MemoEntry | undefined {
  const byFile = new Map<string, MovedEntry>();
  const entries = new Map<string, TEntry | undefined>();
  const same = (now: TEntry | undefined, before: TEntry | undefined): boolean => {
    if (now === before) return true;
    const move = now && movedFrom(now);
    if (!move || move.from !== before) return false;
    const other = byFile.get(move.file);
    if (other && (other.at !== move.at || other.delta !== move.delta)) return false;
    byFile.set(move.file, move);
    return true;
  };
  if (!same(entry, hit.entry)) return undefined;
  for (const [name, before] of hit.reads.entries) {
    const now = top.entries.get(name);
    if (!same(now, before)) return undefined;
    entries.set(name, now);
  }
  if (byFile.size === 0) return undefined;
  // One step per file: positions at or after `at` move by `delta` (shared by every job the edit moved alike).
  const move = sharedTable(NO_MOVES, byFile).move;
  const jobs = hit.jobs.map((job) => {
    const copy = movedView(job, byFile);
    movedJobsFrom.set(copy, { job, move });
    return copy;
  });
  return { ...hit, entry, reads: { entries, findings: hit.reads.findings }, jobs };
}

/** A job of an earlier analysis and how positions moved since (see `movedJobs`). */
export interface MovedJob {
  readonly job: EffectiveJob;
  readonly move: (file: string, span: Span) => Span;
}

const movedJobsFrom = new WeakMap<EffectiveJob, MovedJob>();

/** Positions moved by successive edits, per file (see `MoveStep`): a view keeps one table however many edits. */
type MoveTable = ReadonlyMap<string, readonly MoveStep[]>;

/** Steps a table may hold per file before the view is made a plain copy. */
const MAX_STEPS = 32;

function applyTable(table: MoveTable, file: string, span: Span): Span {
  const steps = table.get(file);
  return steps ? spanMovedBy(steps, span) : span;
}

/** `table` followed by moving, in each file of `moves`, the positions from `at` on by `delta`. */
function compose(table: MoveTable, moves: ReadonlyMap<string, MovedEntry>): Map<string, readonly MoveStep[]> {
  const out = new Map<string, readonly MoveStep[]>(table);
  for (const [file, { at, delta }] of moves) out.set(file, composeSteps(out.get(file) ?? [], at, delta));
  return out;
}

/** A composed table with the function that applies it, shared by every view made from the same table and moves. */
interface SharedTable {
  readonly table: MoveTable;
  readonly move: (file: string, span: Span) => Span;
  /** The table holds more than `MAX_STEPS` steps for a file: views of it are made plain copies. */
  readonly tooMany: boolean;
}

const NO_MOVES: MoveTable = new Map();
/** Earlier table → moves (printed) → the composed table. An edit moves all the jobs below it alike. */
const sharedTables = new WeakMap<MoveTable, Map<string, SharedTable>>();
/** Moves kept per earlier table: one analysis applies one set of moves; older ones are not asked for again. */
const MAX_SHARED_MOVES = 4;

/** `compose(table, moves)`, made once for all the views of `table` an edit moves the same way. */
function sharedTable(table: MoveTable, moves: ReadonlyMap<string, MovedEntry>): SharedTable {
  let key = '';
  for (const [file, { at, delta }] of moves) key += `${at}:${delta}:${file}\n`;
  let byMoves = sharedTables.get(table);
  if (!byMoves) sharedTables.set(table, (byMoves = new Map<string, SharedTable>()));
  let shared = byMoves.get(key);
  if (!shared) {
    const composed = compose(table, moves);
    let tooMany = false;
    for (const steps of composed.values()) if (steps.length > MAX_STEPS) tooMany = true;
    shared = { table: composed, move: (f, s) => applyTable(composed, f, s), tooMany };
    if (byMoves.size >= MAX_SHARED_MOVES) byMoves.clear();
    byMoves.set(key, shared);
  }
  return shared;
}

/** `job` with its positions moved: a view whose fields are moved when first read (most never are). */
function movedView(job: EffectiveJob, moves: ReadonlyMap<string, MovedEntry>): EffectiveJob {
  const base = job instanceof MovedJobView ? job.base : job;
  const { table, move, tooMany } = sharedTable(job instanceof MovedJobView ? job.table : NO_MOVES, moves);
  // `base` is never a view: a view's base is the plain job it moves.
  const copy = tooMany ? moveSpans(base, move) : new MovedJobView(base, table, move);
  mergedOf.set(copy, new MovedMerged(base, move));
  return copy;
}

/** The merged data of a job with moved positions: the data is the same; its provenance is moved when first read. */
class MovedMerged implements Merged {
  readonly tree: TMap | null;
  #provenance: ReadonlyMap<string, Origin> | undefined;

  constructor(
    private readonly base: EffectiveJob,
    private readonly move: (file: string, span: Span) => Span,
  ) {
    this.tree = mergedOf.get(base)?.tree ?? null;
  }

  get data(): Readonly<Record<string, unknown>> {
    return jobData(this.base);
  }

  get provenance(): ReadonlyMap<string, Origin> {
    return (this.#provenance ??= moveSpans(jobProvenance(this.base), this.move));
  }
}

class MovedJobView implements EffectiveJob {
  readonly name: string;
  readonly file: string;
  readonly matrix: EffectiveJob['matrix'];
  readonly tags: EffectiveJob['tags'];
  readonly inherit: EffectiveJob['inherit'];
  readonly extendsChain: EffectiveJob['extendsChain'];
  /** Fields moved so far (made on first read: most views are never read). */
  #moved: Map<string, unknown> | undefined;
  readonly #move: (file: string, span: Span) => Span;

  constructor(
    /** The plain job of an earlier analysis. */
    readonly base: EffectiveJob,
    /** How its positions moved since. */
    readonly table: MoveTable,
    /** `table` applied to one span. */
    move: (file: string, span: Span) => Span,
  ) {
    this.#move = move;
    this.name = base.name;
    this.file = base.file;
    this.matrix = base.matrix;
    this.tags = base.tags;
    this.inherit = base.inherit;
    this.extendsChain = base.extendsChain;
  }

  #get<K extends keyof EffectiveJob>(key: K): EffectiveJob[K] {
    const moved = (this.#moved ??= new Map());
    if (!moved.has(key)) moved.set(key, moveSpans(this.base[key], this.#move));
    return moved.get(key) as EffectiveJob[K];
  }

  get nameSpan(): Span {
    return this.#move(this.file, this.base.nameSpan);
  }
  get image(): EffectiveJob['image'] {
    return this.#get('image');
  }
  get services(): EffectiveJob['services'] {
    return this.#get('services');
  }
  get servicesOrigin(): EffectiveJob['servicesOrigin'] {
    return this.#get('servicesOrigin');
  }
  get variables(): EffectiveJob['variables'] {
    return this.#get('variables');
  }
  get script(): EffectiveJob['script'] {
    return this.#get('script');
  }
  get replaced(): EffectiveJob['replaced'] {
    return this.#get('replaced');
  }

  /** The plain job, with the keys in the order `buildJob` writes them. */
  [MATERIALISE](): EffectiveJob {
    const plain: EffectiveJob = {
      name: this.name,
      file: this.file,
      nameSpan: this.nameSpan,
      script: this.script,
      tags: this.tags,
      inherit: this.inherit,
      extendsChain: this.extendsChain,
      replaced: this.replaced,
      matrix: this.matrix,
      image: this.image,
      services: this.services,
      servicesOrigin: this.servicesOrigin,
      variables: this.variables,
    };
    const merged = mergedOf.get(this);
    if (merged) mergedOf.set(plain, merged);
    return plain;
  }

  toJSON(): EffectiveJob {
    return this[MATERIALISE]();
  }
}

/** The job of an earlier analysis that `job` is a moved copy of (equal to it up to positions moved by an edit). */
export function movedJobOf(job: EffectiveJob): MovedJob | undefined {
  return movedJobsFrom.get(job);
}

interface Defaults {
  readonly entries: ReadonlyMap<string, TEntry>;
  readonly globalVariables: readonly Variable[];
  readonly workflowVariables: readonly Variable[];
}

/** Every non-hidden job of the merged configuration, in definition order, matrix instances expanded. */
export function buildJobs(ctx: JobContext): EffectiveJob[] {
  const memo = ctx.memo;
  const next = new Map<string, MemoEntry>();
  let defaults: Defaults;
  let defaultsMemo = memo?.defaults;
  if (defaultsMemo && readsHold(defaultsMemo.reads, ctx.top)) {
    defaults = defaultsMemo.value;
  } else {
    const { value, reads } = ctx.resolver.recording(() => collectDefaults(ctx));
    defaults = value;
    defaultsMemo = reads.findings.length === 0 ? { reads, value } : undefined;
  }
  const isDind = dindMatcher(ctx.settings);
  const jobs: EffectiveJob[] = [];
  for (const [name, entry] of ctx.top.entries) {
    if (name.startsWith('.') || RESERVED_KEYS.has(name)) continue;
    // Memoised jobs first: a job's entry is not read when the job is reused (moved entries stay unmoved then).
    const replacedHere = ctx.includeReplaced.get(name);
    const replaced = replacedHere ? JSON.stringify(replacedHere) : '';
    const hit = memo?.jobs.get(name);
    if (hit && hit.defaults === defaults && hit.replaced === replaced) {
      if (hit.entry === entry && readsHold(hit.reads, ctx.top)) {
        jobs.push(...hit.jobs);
        next.set(name, hit);
        continue;
      }
      const moved = movedJobs(hit, entry, ctx.top);
      if (moved) {
        jobs.push(...moved.jobs);
        next.set(name, moved);
        continue;
      }
    }
    if (entry.node.kind !== 'map') {
      ctx.sink.add(
        MODEL_FINDINGS.pipelineStructure,
        entry.node.file,
        entry.keySpan,
        msg('ci.job-not-mapping', { name }),
      );
      continue;
    }
    const { value, reads } = ctx.resolver.recording(() => buildJob(ctx, defaults, isDind, name, entry));
    jobs.push(...value);
    if (reads.findings.length === 0) next.set(name, { entry, defaults, replaced, reads, jobs: value });
  }
  if (memo) {
    memo.jobs = next;
    memo.defaults = defaultsMemo;
  }
  return jobs;
}

function collectDefaults(ctx: JobContext): Defaults {
  const { resolver } = ctx;
  const entries = new Map<string, TEntry>();
  const defaultEntry = resolver.entry('default');
  const defaultNode = defaultEntry ? resolver.references(defaultEntry.node, null) : undefined;
  for (const key of DEPRECATED_GLOBALS) {
    const g = resolver.entry(key);
    if (!g || isNull(g.node)) continue;
    if (defaultNode?.kind === 'map' && defaultNode.entries.has(key)) {
      ctx.sink.add(
        MODEL_FINDINGS.pipelineStructure,
        g.node.file,
        g.keySpan,
        msg('ci.deprecated-global-conflict', { key }),
      );
      continue;
    }
    entries.set(key, entryAt(g, withVia(resolver.references(g.node, key), { kind: 'global' })));
  }
  if (defaultNode?.kind === 'map') {
    for (const key of DEFAULT_KEYS) {
      const e = defaultNode.entries.get(key);
      if (e && !isNull(e.node)) entries.set(key, { keySpan: e.keySpan, node: withVia(e.node, { kind: 'default' }) });
    }
  }
  const globalNode = resolver.entry('variables')?.node;
  const globalVariables = globalNode
    ? variablesOf(resolver.references(globalNode, 'variables'), 'global', false, [])
    : [];
  const workflowVariables: Variable[] = [];
  const workflowRules = get(resolver.entry('workflow')?.node, 'rules');
  if (workflowRules) {
    const rules = resolver.references(workflowRules, 'rules');
    if (rules.kind === 'seq') {
      for (const rule of rules.items) {
        const vars = get(rule, 'variables');
        if (vars) workflowVariables.push(...variablesOf(vars, 'workflow-rules', true, [{ kind: 'workflow-rules' }]));
      }
    }
  }
  return { entries, globalVariables, workflowVariables };
}

function buildJob(
  ctx: JobContext,
  defaults: Defaults,
  isDind: (name: string) => boolean,
  name: string,
  entry: TEntry,
): EffectiveJob[] {
  const resolved = ctx.resolver.extended(name);
  const base = resolved?.tree ?? (entry.node as TMap);
  const referenced = ctx.resolver.references(base, null);
  const own = new Map<string, TEntry>();
  if (referenced.kind === 'map') for (const [k, e] of referenced.entries) if (!isNull(e.node)) own.set(k, e);

  const replaced: Replacement[] = [...(ctx.includeReplaced.get(name) ?? []), ...(resolved?.replaced ?? [])].filter(
    (r) => r.key !== 'services' || r.reason !== 'replaced' || holdsDind(r.lostValue, isDind),
  );
  const inheritNode = own.get('inherit')?.node;
  const inheritDefaultEntry = inheritNode?.kind === 'map' ? inheritNode.entries.get('default') : undefined;
  const inheritVariablesEntry = inheritNode?.kind === 'map' ? inheritNode.entries.get('variables') : undefined;
  const inheritDefault = inheritValue(inheritDefaultEntry?.node);
  const inheritVariables = inheritValue(inheritVariablesEntry?.node);

  for (const [key, d] of defaults.entries) {
    const inherited = inheritDefault === true || (Array.isArray(inheritDefault) && inheritDefault.includes(key));
    const mine = own.get(key);
    if (mine) {
      if (key === 'services' && inherited && holdsDind(toPlain(d.node), isDind)) {
        replaced.push(replacement('services', d, mine, 'replaced'));
      }
    } else if (inherited) {
      own.set(key, d);
    } else if ((key === 'services' || key === 'image') && inheritDefaultEntry) {
      replaced.push(replacement(key, d, inheritDefaultEntry, 'inherit-default'));
    }
  }
  const tree = makeMap(base.file, base.span, own, base.via);

  const allows = (v: Variable): boolean =>
    inheritVariables === true || (Array.isArray(inheritVariables) && inheritVariables.includes(v.name));
  const inheritedGlobals: Variable[] = [];
  // Workflow-rule variables override globals when their rule matches (the first rule setting a name wins).
  for (const v of [...defaults.globalVariables, ...[...defaults.workflowVariables].reverse()]) {
    if (allows(v)) inheritedGlobals.push(v);
    else if (v.name.startsWith('DOCKER_') && inheritVariablesEntry) {
      replaced.push({
        key: 'variables',
        lost: v.origin,
        lostValue: { [v.name]: v.value },
        by: originOf(inheritVariablesEntry.node, inheritVariablesEntry.keySpan),
        reason: 'inherit-variables',
      });
    }
  }
  const jobVariables = own.get('variables') ? variablesOf(tree.entries.get('variables')?.node, 'job', false, []) : [];
  const ruleVariables: Variable[] = [];
  const rules = own.get('rules')?.node;
  if (rules?.kind === 'seq') {
    for (const rule of rules.items) {
      const vars = get(rule, 'variables');
      if (vars) ruleVariables.push(...variablesOf(vars, 'job-rules', true, [{ kind: 'job-rules' }]));
    }
  }

  const merged = new MergedData(tree);
  const common = {
    name,
    file: entry.node.file,
    nameSpan: entry.keySpan,
    script: scriptOf(tree),
    tags: stringList(own.get('tags'))?.value ?? [],
    inherit: { default: inheritDefault, variables: inheritVariables },
    extendsChain: resolved?.chain ?? [],
    replaced,
  };

  const instances = matrixOf(own.get('parallel')?.node);
  const make = (matrix: Record<string, string> | null, matrixVars: readonly Variable[]): EffectiveJob => {
    const variables = layerVariables([inheritedGlobals, jobVariables, matrixVars, [...ruleVariables].reverse()]);
    const lookup: VariableLookup = { get: (n) => variables.get(n) };
    const servicesEntry = own.get('services');
    const job: EffectiveJob = {
      ...common,
      name: matrix ? `${name}: [${Object.values(matrix).join(', ')}]` : name,
      matrix,
      image: imageOf(own.get('image'), lookup),
      services: servicesOf(servicesEntry?.node, lookup),
      servicesOrigin: servicesEntry ? originOf(servicesEntry.node, servicesEntry.keySpan) : null,
      variables,
    };
    mergedOf.set(job, merged);
    return job;
  };
  if (instances.length === 0) return [make(null, [])];
  return instances.map((inst) => make(inst.values, inst.variables));
}

function replacement(key: Replacement['key'], lost: TEntry, by: TEntry, reason: Replacement['reason']): Replacement {
  return {
    key,
    lost: originOf(lost.node, lost.keySpan),
    lostValue: toPlain(lost.node),
    by: originOf(by.node, by.keySpan),
    reason,
  };
}

function inheritValue(node: TNode | undefined): boolean | readonly string[] {
  if (!node || node.kind === 'ref') return true;
  if (node.kind === 'scalar') return node.value !== false && node.text !== 'false';
  if (node.kind === 'seq') return node.items.map(scalarText).filter((s): s is string => s !== undefined);
  return true;
}

/** A matcher for dind-looking service names: `dind` in the name, or a configured in-house pattern. */
function dindMatcher(settings: Settings): (name: string) => boolean {
  const extra = settings.dindImages.length > 0 ? picomatch([...settings.dindImages]) : null;
  return (name) => /dind/i.test(name) || (extra !== null && extra(name));
}

function holdsDind(value: unknown, isDind: (name: string) => boolean): boolean {
  const items = Array.isArray(value) ? value : [value];
  return items.some((s) => {
    if (typeof s === 'string') return isDind(s);
    if (Array.isArray(s)) return holdsDind(s, isDind);
    if (s !== null && typeof s === 'object') {
      const n = (s as Record<string, unknown>)['name'];
      return typeof n === 'string' && isDind(n);
    }
    return false;
  });
}

/** Variables of one `variables:` mapping (scalar or `{value, description, expand, options}` forms). */
function variablesOf(
  node: TNode | undefined,
  layer: VariableLayer,
  conditional: boolean,
  via: readonly ViaStep[],
): Variable[] {
  if (node?.kind !== 'map') return [];
  const out: Variable[] = [];
  for (const [name, e] of node.entries) {
    let valueNode: TNode | undefined = e.node;
    let expand = true;
    if (e.node.kind === 'map') {
      valueNode = e.node.entries.get('value')?.node;
      const ex = e.node.entries.get('expand')?.node;
      if (ex?.kind === 'scalar' && (ex.value === false || ex.text === 'false')) expand = false;
    }
    const value = valueNode?.kind === 'scalar' ? valueNode.text : '';
    const at = valueNode ?? e.node;
    const origin = originOf(at, e.keySpan);
    const chain = via.length === 0 ? origin.via : via.reduce((c, step) => viaWith(c, step), origin.via);
    out.push({
      name,
      value,
      expand,
      layer,
      conditional,
      origin: chain === origin.via ? origin : { ...origin, via: chain },
    });
  }
  return out;
}

/**
 * The effective variables from layers in increasing precedence: a later value overrides an earlier one. A value
 * set under `rules:` wins when its rule matches and keeps the values it may otherwise have as `alternatives`
 * (other rules' values, down to the first unconditional one).
 */
function layerVariables(layers: readonly (readonly Variable[])[]): Map<string, Variable> {
  const candidates = new Map<string, Variable[]>();
  for (const layer of layers) {
    for (const v of layer) {
      const list = candidates.get(v.name);
      if (list) list.push(v);
      else candidates.set(v.name, [v]);
    }
  }
  const out = new Map<string, Variable>();
  for (const [name, list] of candidates) {
    const winner = list[list.length - 1] as Variable;
    if (!winner.conditional) {
      out.set(name, winner);
      continue;
    }
    const alternatives: Variable[] = [];
    for (let i = list.length - 2; i >= 0; i--) {
      const v = list[i] as Variable;
      alternatives.push(v);
      if (!v.conditional) break;
    }
    out.set(name, { ...winner, alternatives });
  }
  return out;
}

function valued(e: TEntry | undefined): Valued<string> | null {
  const text = scalarText(e?.node);
  if (!e || text === undefined) return null;
  return { value: text, origin: originOf(e.node, e.keySpan) };
}

function stringList(e: TEntry | undefined): Valued<readonly string[]> | null {
  if (!e) return null;
  const node = e.node;
  const value =
    node.kind === 'seq'
      ? node.items.map(scalarText).filter((s): s is string => s !== undefined)
      : node.kind === 'scalar' && node.value !== null
        ? [node.text]
        : [];
  return { value, origin: originOf(node, e.keySpan) };
}

function imageOf(e: TEntry | undefined, lookup: VariableLookup): JobImage | null {
  if (!e) return null;
  const node = e.node;
  const nameEntry: TEntry | undefined = node.kind === 'map' ? node.entries.get('name') : e;
  const name = valued(nameEntry);
  if (!name) return null;
  return {
    name,
    ref: parseImageRef(name.value, expandVariables(name.value, lookup)),
    entrypoint: node.kind === 'map' ? stringList(node.entries.get('entrypoint')) : null,
    pullPolicy: node.kind === 'map' ? (stringList(node.entries.get('pull_policy'))?.value ?? null) : null,
    origin: originOf(node, e.keySpan),
  };
}

function servicesOf(node: TNode | undefined, lookup: VariableLookup): JobService[] {
  if (node?.kind !== 'seq') return [];
  // An anchor spliced into the list (`- *dind`) nests a list; GitLab's services entry takes its items, one level.
  const items = node.items.flatMap((i) => (i.kind === 'seq' ? i.items : [i]));
  const out: JobService[] = [];
  for (const item of items) {
    const name = item.kind === 'map' ? valued(item.entries.get('name')) : valued({ keySpan: item.span, node: item });
    if (!name) continue;
    const aliasEntry = item.kind === 'map' ? item.entries.get('alias') : undefined;
    const expanded = expandVariables(name.value, lookup);
    const serviceVars = new Map<string, Variable>();
    if (item.kind === 'map')
      for (const v of variablesOf(get(item, 'variables'), 'service', false, [])) serviceVars.set(v.name, v);
    out.push({
      index: out.length,
      name: item.kind === 'map' ? name : { value: name.value, origin: originOf(item) },
      ref: parseImageRef(name.value, expanded),
      aliases: splitAliases(scalarText(aliasEntry?.node) ?? ''),
      aliasOrigin: aliasEntry ? originOf(aliasEntry.node, aliasEntry.keySpan) : null,
      derivedAliases: deriveAliases(expanded),
      command: item.kind === 'map' ? stringList(item.entries.get('command')) : null,
      entrypoint: item.kind === 'map' ? stringList(item.entries.get('entrypoint')) : null,
      variables: serviceVars,
      pullPolicy: item.kind === 'map' ? (stringList(item.entries.get('pull_policy'))?.value ?? null) : null,
      origin: originOf(item),
    });
  }
  return out;
}

function scriptOf(tree: TMap): ScriptLine[] {
  const out: ScriptLine[] = [];
  for (const section of SCRIPT_SECTIONS) {
    const node = tree.entries.get(section)?.node;
    if (!node) continue;
    const walk = (n: TNode): void => {
      if (n.kind === 'seq') n.items.forEach(walk);
      else if (n.kind === 'scalar' && n.value !== null) out.push({ section, text: n.text, origin: originOf(n) });
    };
    walk(node);
  }
  return out;
}

interface MatrixInstance {
  readonly values: Record<string, string>;
  readonly variables: readonly Variable[];
}

/** `parallel: matrix:` combinations, each entry's product in order. */
function matrixOf(parallel: TNode | undefined): MatrixInstance[] {
  const matrix = get(parallel, 'matrix');
  if (matrix?.kind !== 'seq') return [];
  const out: MatrixInstance[] = [];
  for (const entry of matrix.items) {
    if (entry.kind !== 'map') continue;
    let combos: { values: Record<string, string>; variables: Variable[] }[] = [{ values: {}, variables: [] }];
    for (const [key, e] of entry.entries) {
      const options = e.node.kind === 'seq' ? e.node.items : [e.node];
      const next: typeof combos = [];
      for (const c of combos) {
        for (const o of options) {
          const text = scalarText(o);
          if (text === undefined) continue;
          const origin = originOf(o, e.keySpan);
          const variable: Variable = {
            name: key,
            value: text,
            expand: true,
            layer: 'job',
            conditional: false,
            origin: { ...origin, via: viaWith(origin.via, MATRIX_STEP) },
          };
          next.push({ values: { ...c.values, [key]: text }, variables: [...c.variables, variable] });
        }
      }
      combos = next;
    }
    out.push(...combos);
  }
  return out;
}

/** A job's merged tree (null for a copy without one), with its plain data and provenance. */
interface Merged {
  readonly tree: TMap | null;
  readonly data: Readonly<Record<string, unknown>>;
  readonly provenance: ReadonlyMap<string, Origin>;
}

/** The merged tree of a job built here, with the plain data and provenance made from it on first use. */
class MergedData implements Merged {
  #data: Record<string, unknown> | undefined;
  #provenance: Map<string, Origin> | undefined;

  constructor(readonly tree: TMap) {}

  get data(): Record<string, unknown> {
    if (!this.#data) this.#make();
    return this.#data as Record<string, unknown>;
  }

  get provenance(): ReadonlyMap<string, Origin> {
    if (!this.#provenance) this.#make();
    return this.#provenance as Map<string, Origin>;
  }

  #make(): void {
    const provenance = new Map<string, Origin>();
    this.#data = toData(this.tree, '', provenance) as Record<string, unknown>;
    this.#provenance = provenance;
  }
}

/** Every job built here (and every moved copy), with its merged data. */
const mergedOf = new WeakMap<EffectiveJob, Merged>();

const NO_DATA: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_PROVENANCE: ReadonlyMap<string, Origin> = new Map();

/** The merged job as plain data (after extends, !reference, default:), for the effective-job view. */
export function jobData(job: EffectiveJob): Readonly<Record<string, unknown>> {
  return mergedOf.get(job)?.data ?? NO_DATA;
}

/** Origins of the merged data by path: `image`, `services`, `services[0]`, `variables.DOCKER_HOST`, `script[2]`. */
export function jobProvenance(job: EffectiveJob): ReadonlyMap<string, Origin> {
  return mergedOf.get(job)?.provenance ?? NO_PROVENANCE;
}

/** Whether the merged job has `key` at its top level, without making its data. */
export function jobHasKey(job: EffectiveJob, key: string): boolean {
  const merged = mergedOf.get(job);
  return merged?.tree ? merged.tree.entries.has(key) : Object.prototype.hasOwnProperty.call(jobData(job), key);
}

/** The tree as plain data, recording each node's origin under its path (`services[0]`, `variables.X`). */
export function toData(node: TNode, path: string, provenance: Map<string, Origin>, keySpan?: Span): unknown {
  if (path !== '') provenance.set(path, originOf(node, keySpan));
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'ref':
      return null;
    case 'seq':
      return node.items.map((item, i) => toData(item, `${path}[${i}]`, provenance));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, e] of node.entries)
        out[k] = toData(e.node, path === '' ? k : `${path}.${k}`, provenance, e.keySpan);
      return out;
    }
  }
}
