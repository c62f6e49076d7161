// A YAML file as an immutable value tree that remembers where every node is written. Anchors, aliases and `<<`
// merge keys are resolved here (per file); `!reference` tags stay as `ref` nodes until pipeline.ts resolves them.

import { isAlias, isMap, isScalar, isSeq, visit, type Alias, type Document, type Node as YamlNode } from 'yaml';

import { msg, type Msg } from '../i18n';
import { composeSteps, spanMovedBy, type MoveStep } from '../shift';
import type { Span } from '../types';
import { isReference } from '../yaml/parse';
import type { Origin, ViaStep } from './model';

interface Base {
  readonly file: string;
  readonly span: Span;
  readonly via: readonly ViaStep[];
  /** Node count with aliases expanded (may be huge for an alias bomb; the tree itself shares anchored nodes). */
  readonly size: number;
}

export interface TEntry {
  readonly keySpan: Span;
  readonly node: TNode;
}

export interface TMap extends Base {
  readonly kind: 'map';
  readonly entries: ReadonlyMap<string, TEntry>;
}

export interface TSeq extends Base {
  readonly kind: 'seq';
  readonly items: readonly TNode[];
}

export interface TScalar extends Base {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  /** The value as GitLab stringifies it (numbers as written, `true`, empty for null). */
  readonly text: string;
}

/** An unresolved `!reference [job, key, ...]`. `target` is null when the tag's items are not all scalars. */
export interface TRef extends Base {
  readonly kind: 'ref';
  readonly target: readonly string[] | null;
}

export type TNode = TMap | TSeq | TScalar | TRef;

/** Expanded nodes a single file may hold; beyond this it is treated as an alias bomb. */
export const MAX_EXPANDED_NODES = 1_000_000;

export interface ConvertProblem {
  readonly message: Msg;
  readonly span: Span;
}

export type Inputs = ReadonlyMap<string, unknown>;

const INPUT_RE = /\$\[\[\s*inputs\.([A-Za-z0-9_-]+)\s*(\|[^\]]*)?\]\]/g;
/** `truncate(offset, length)`, the one input function whose effect is known offline. */
const TRUNCATE_RE = /^truncate\(\s*(\d+)\s*,\s*(\d+)\s*\)$/;

/** The chain of a value written where it is used; shared, like every chain (see `viaWith`). */
export const NO_VIA: readonly ViaStep[] = Object.freeze([]);

const chains = new WeakMap<readonly ViaStep[], Map<string, readonly ViaStep[]>>();

/**
 * `via` with `step` appended, shared: every node of a tagged tree gets the same chain object instead of its own copy
 * (a 5,000-job workspace over included files held ~44,000 equal arrays). Chains are never mutated.
 */
export function viaWith(via: readonly ViaStep[], step: ViaStep, key = JSON.stringify(step)): readonly ViaStep[] {
  let byStep = chains.get(via);
  if (!byStep) chains.set(via, (byStep = new Map<string, readonly ViaStep[]>()));
  let chain = byStep.get(key);
  if (!chain) byStep.set(key, (chain = Object.freeze([...via, step])));
  return chain;
}

export function originOf(node: TNode, keySpan?: Span): Origin {
  return keySpan
    ? { file: node.file, span: node.span, keySpan, via: node.via }
    : { file: node.file, span: node.span, via: node.via };
}

export function makeMap(
  file: string,
  span: Span,
  entries: ReadonlyMap<string, TEntry>,
  via: readonly ViaStep[] = NO_VIA,
): TMap {
  let size = 1;
  for (const e of entries.values()) size += entrySize(e);
  return { kind: 'map', file, span, via, size, entries };
}

export function makeSeq(file: string, span: Span, items: readonly TNode[], via: readonly ViaStep[] = NO_VIA): TSeq {
  let size = 1;
  for (const i of items) size += i.size;
  return { kind: 'seq', file, span, via, size, items };
}

export function makeScalar(
  file: string,
  span: Span,
  value: string | number | boolean | null,
  text?: string,
  via: readonly ViaStep[] = NO_VIA,
): TScalar {
  return { kind: 'scalar', file, span, via, size: 1, value, text: text ?? (value === null ? '' : String(value)) };
}

/** Converts plain data (include inputs, matrix values) to a tree placed at `at`. */
export function fromData(value: unknown, at: Base): TNode {
  if (Array.isArray(value))
    return makeSeq(
      at.file,
      at.span,
      value.map((v) => fromData(v, at)),
      at.via,
    );
  if (value !== null && typeof value === 'object') {
    const entries = new Map<string, TEntry>();
    for (const [k, v] of Object.entries(value)) entries.set(k, { keySpan: at.span, node: fromData(v, at) });
    return makeMap(at.file, at.span, entries, at.via);
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return makeScalar(at.file, at.span, value, undefined, at.via);
  }
  return makeScalar(at.file, at.span, null, undefined, at.via);
}

/** The tree as plain data (references that were never resolved become null). */
export function toPlain(node: TNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'ref':
      return null;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, e] of node.entries) out[k] = toPlain(e.node);
      return out;
    }
  }
}

const viaCache = new WeakMap<TNode, Map<string, TNode>>();

/**
 * A copy of the tree with `step` appended to every node's `via` chain (outermost last). Trees are immutable, so the
 * copy is cached per tree and step: a template extended by many jobs, or an unchanged included file, is tagged once.
 */
export function withVia(node: TNode, step: ViaStep): TNode {
  const key = JSON.stringify(step);
  let byStep = viaCache.get(node);
  if (!byStep) viaCache.set(node, (byStep = new Map<string, TNode>()));
  let tagged = byStep.get(key);
  if (!tagged) byStep.set(key, (tagged = node.kind === 'map' ? tagEntries(node, step, key) : tagVia(node, step, key)));
  return tagged;
}

const entryViaCache = new WeakMap<TEntry, Map<string, TEntry>>();

/** A copy of an entry with every position at or after `at` in `file` moved by `delta` (see `lazyShiftEntry`). */
export interface MovedEntry {
  readonly from: TEntry;
  readonly file: string;
  readonly at: number;
  readonly delta: number;
}

const moves = new WeakMap<TEntry, MovedEntry>();

/** Records that `copy` is `from` with positions moved (the incremental parse moves the blocks after an edit). */
export function noteMoved(copy: TEntry, move: MovedEntry): void {
  if (copy !== move.from) moves.set(copy, move);
}

/** What `entry` is a moved copy of, if it is one. */
export function movedFrom(entry: TEntry): MovedEntry | undefined {
  return moves.get(entry);
}

/**
 * `tagVia` of a mapping whose tagged entries are cached per entry: after an edit in one top-level block of an
 * included file, only that block's entry is tagged again.
 */
function tagEntries(node: TMap, step: ViaStep, key: string): TMap {
  const entries = new Map<string, TEntry>();
  for (const [k, e] of node.entries) {
    let byStep = entryViaCache.get(e);
    if (!byStep) entryViaCache.set(e, (byStep = new Map<string, TEntry>()));
    let tagged = byStep.get(key);
    if (!tagged) {
      // A moved copy of an entry tagged before is the tagged entry moved (lazily: most are never read).
      const move = moves.get(e);
      const before = move && entryViaCache.get(move.from)?.get(key);
      tagged =
        move && before
          ? lazyShiftEntry(before, move.at, move.delta)
          : { keySpan: e.keySpan, node: tagVia(e.node, step, key) };
      byStep.set(key, tagged);
      if (move && before) noteMoved(tagged, { ...move, from: before });
    }
    entries.set(k, tagged);
  }
  return { ...node, via: viaWith(node.via, step, key), entries };
}

function tagVia(node: TNode, step: ViaStep, key = JSON.stringify(step)): TNode {
  const via = viaWith(node.via, step, key);
  switch (node.kind) {
    case 'scalar':
      return { ...node, via };
    case 'ref':
      return { ...node, via };
    case 'seq':
      return { ...node, via, items: node.items.map((i) => tagVia(i, step, key)) };
    case 'map': {
      const entries = new Map<string, TEntry>();
      for (const [k, e] of node.entries) entries.set(k, { keySpan: e.keySpan, node: tagVia(e.node, step, key) });
      return { ...node, via, entries };
    }
  }
}

/** Called when a merge replaces (rather than merges) an existing value; `path` is the key path from the merge root. */
export type OnReplace = (path: readonly string[], lost: TEntry, by: TEntry) => void;

/**
 * GitLab's deep merge: hash + hash merge recursively by key; anything else is replaced by the later value. Arrays
 * are never concatenated.
 */
export function deepMerge(a: TNode | undefined, b: TNode, onReplace?: OnReplace, path: readonly string[] = []): TNode {
  if (!a || a.kind !== 'map' || b.kind !== 'map') return b;
  const entries = new Map(a.entries);
  for (const [k, e] of b.entries) {
    const prev = entries.get(k);
    if (!prev) {
      entries.set(k, e);
      continue;
    }
    if (prev.node.kind === 'map' && e.node.kind === 'map') {
      entries.set(k, { keySpan: e.keySpan, node: deepMerge(prev.node, e.node, onReplace, [...path, k]) });
    } else {
      onReplace?.([...path, k], prev, e);
      entries.set(k, e);
    }
  }
  return makeMap(b.file, b.span, entries, b.via);
}

export function get(node: TNode | undefined, key: string): TNode | undefined {
  return node?.kind === 'map' ? node.entries.get(key)?.node : undefined;
}

export function isNull(node: TNode | undefined): boolean {
  return node === undefined || (node.kind === 'scalar' && node.value === null);
}

export function scalarText(node: TNode | undefined): string | undefined {
  return node?.kind === 'scalar' && node.value !== null ? node.text : undefined;
}

/** An anchored node as converted: its name, where it starts in the file, and its tree. */
export interface AnchorRecord {
  readonly name: string;
  readonly start: number;
  readonly tree: TNode;
}

/**
 * Converts one parsed YAML document to a tree. Problems: alias cycles, alias bombs, unknown inputs. `base` is where
 * the document's text starts in `text` (a top-level block re-parsed on its own); node ranges are shifted by it.
 */
export class Converter {
  private readonly anchored = new Map<YamlNode, TNode>();
  private readonly inProgress = new Set<YamlNode>();
  readonly problems: ConvertProblem[] = [];

  /** Every anchored node converted, in document order (an incremental update resolves aliases with it). */
  readonly anchors: AnchorRecord[] = [];

  constructor(
    private readonly doc: Document.Parsed,
    private readonly file: string,
    private readonly text: string,
    private readonly inputs: Inputs | null,
    private readonly base = 0,
    /** Anchors defined before this document's text in its file (for a block converted on its own), by name. */
    private readonly external: ReadonlyMap<string, TNode> = new Map(),
  ) {}

  private spanOf(node: YamlNode): Span {
    const s = spanOf(node);
    return this.base === 0 ? s : { start: s.start + this.base, end: s.end + this.base };
  }

  convertRoot(): TNode | null {
    const root = this.doc.contents;
    if (!root) return null;
    const tree = this.convert(root);
    if (tree.size > MAX_EXPANDED_NODES) {
      this.problems.push({
        message: msg('ci.alias-bomb', { max: MAX_EXPANDED_NODES }),
        span: this.spanOf(root),
      });
      return null;
    }
    return tree;
  }

  /** Each alias's anchored node, found in one walk of the document (yaml's `Alias.resolve` walks it per alias). */
  private targets: Map<Alias, YamlNode> | undefined;

  /** The node an alias refers to: the last node before it with that anchor, as `Alias.resolve` defines it. */
  private aliasTarget(alias: Alias): YamlNode | undefined {
    if (!this.targets) {
      const targets = new Map<Alias, YamlNode>();
      const latest = new Map<string, YamlNode>();
      visit(this.doc, {
        Node: (_key, n) => {
          if (isAlias(n)) {
            const target = latest.get(n.source);
            if (target) targets.set(n, target);
            return;
          }
          const anchor = (n as { anchor?: string }).anchor;
          if (anchor) latest.set(anchor, n);
        },
      });
      this.targets = targets;
    }
    return this.targets.get(alias);
  }

  private convert(node: YamlNode): TNode {
    if (isAlias(node)) {
      const target = this.aliasTarget(node);
      const outside = target ? undefined : this.external.get(node.source);
      if (outside) return outside;
      if (!target || this.inProgress.has(target)) {
        this.problems.push({ message: msg('ci.alias-unresolved', { alias: node.source }), span: this.spanOf(node) });
        return makeScalar(this.file, this.spanOf(node), null);
      }
      return this.convert(target);
    }
    const memo = this.anchored.get(node);
    if (memo) return memo;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) this.inProgress.add(node);
    const tree = this.convertNode(node);
    if (anchor) {
      this.inProgress.delete(node);
      this.anchored.set(node, tree);
      this.anchors.push({ name: anchor, start: tree.span.start, tree });
    }
    return tree;
  }

  private convertNode(node: YamlNode): TNode {
    const span = this.spanOf(node);
    if (isReference(node)) {
      const target: string[] = [];
      let ok = true;
      for (const item of node.items) {
        const v: unknown = isScalar(item) ? item.value : null;
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') target.push(String(v));
        else ok = false;
      }
      return {
        kind: 'ref',
        file: this.file,
        span,
        via: NO_VIA,
        size: 1,
        target: ok && target.length > 0 ? target : null,
      };
    }
    if (isSeq(node))
      return makeSeq(
        this.file,
        span,
        node.items.map((i) => this.convertItem(i, span)),
      );
    if (isMap(node)) return this.convertMap(node.items, span);
    if (isScalar(node)) return this.convertScalar(node, span);
    return makeScalar(this.file, span, null);
  }

  private convertItem(item: unknown, parent: Span): TNode {
    if (item === null || item === undefined) return makeScalar(this.file, { start: parent.end, end: parent.end }, null);
    return this.convert(item as YamlNode);
  }

  private convertMap(items: readonly { key: unknown; value: unknown }[], span: Span): TMap {
    const keys = items.map((p) => this.key(p.key, span));
    const explicit = new Set(keys.filter((k) => k !== '<<'));
    const entries = new Map<string, TEntry>();
    for (const [i, p] of items.entries()) {
      const k = keys[i] ?? '';
      const keySpan = p.key && typeof p.key === 'object' ? this.spanOf(p.key as YamlNode) : span;
      if (k === '<<' && p.value) {
        const value = p.value as YamlNode;
        const sources = isSeq(value) ? value.items : [value];
        for (const s of sources) {
          const merged = this.convertItem(s, keySpan);
          if (merged.kind !== 'map') {
            this.problems.push({
              message: msg('ci.merge-key'),
              span: this.spanOf(value),
            });
            continue;
          }
          for (const [mk, me] of merged.entries) if (!explicit.has(mk) && !entries.has(mk)) entries.set(mk, me);
        }
        continue;
      }
      const value = this.convertItem(p.value, keySpan);
      entries.delete(k);
      entries.set(k, { keySpan, node: value });
    }
    return makeMap(this.file, span, entries);
  }

  private convertScalar(node: YamlNode & { value: unknown }, span: Span): TNode {
    const v = node.value;
    if (typeof v === 'string') {
      if (this.inputs && v.includes('$[[')) return this.interpolate(v, span);
      return makeScalar(this.file, span, v);
    }
    if (typeof v === 'number' || typeof v === 'bigint') {
      return makeScalar(this.file, span, Number(v), this.text.slice(span.start, span.end).trim() || String(v));
    }
    if (typeof v === 'boolean') return makeScalar(this.file, span, v);
    if (v === null || v === undefined) return makeScalar(this.file, span, null);
    return makeScalar(this.file, span, this.text.slice(span.start, span.end));
  }

  /** A mapping key as text, with inputs interpolated. */
  private key(key: unknown, span: Span): string {
    const k = keyText(key);
    if (!this.inputs || !k.includes('$[[')) return k;
    const node = this.interpolate(k, isScalar(key) ? this.spanOf(key) : span);
    return node.kind === 'scalar' ? node.text : k;
  }

  /**
   * `$[[ inputs.x ]]`: a whole-value interpolation keeps the input's type; inside text, or with functions
   * (`| truncate(0, 8)`), it is stringified.
   */
  private interpolate(v: string, span: Span): TNode {
    const inputs = this.inputs as Inputs;
    const whole = /^\$\[\[\s*inputs\.([A-Za-z0-9_-]+)\s*\]\]$/.exec(v);
    const here = { file: this.file, span, via: NO_VIA, size: 1 };
    if (whole?.[1] !== undefined) {
      if (inputs.has(whole[1])) return fromData(inputs.get(whole[1]), here);
      this.problems.push({ message: msg('ci.unknown-input', { name: whole[1], text: v }), span });
      return makeScalar(this.file, span, v);
    }
    const out = v.replace(INPUT_RE, (m, name: string, functions: string | undefined) => {
      if (inputs.has(name)) return applyFunctions(plainString(inputs.get(name)), functions);
      this.problems.push({ message: msg('ci.unknown-input', { name, text: m }), span });
      return m;
    });
    return makeScalar(this.file, span, out);
  }
}

/** Applies `| truncate(o, n)` steps; other functions (`expand_vars`, `posix_escape`) leave the text as it is. */
function applyFunctions(text: string, functions: string | undefined): string {
  let out = text;
  for (const fn of (functions ?? '').split('|').map((f) => f.trim())) {
    const t = TRUNCATE_RE.exec(fn);
    if (t?.[1] !== undefined && t[2] !== undefined) out = out.slice(Number(t[1]), Number(t[1]) + Number(t[2]));
  }
  return out;
}

function plainString(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint')
    return String(v);
  return v === null || v === undefined ? '' : JSON.stringify(v);
}

function keyText(key: unknown): string {
  return plainString(isScalar(key) ? key.value : key);
}

/** A lazily moved entry: the entry it moves, and how (steps in the positions of `base`). */
interface LazyMove {
  readonly base: TEntry;
  readonly steps: readonly MoveStep[];
  readonly size: number;
}

const lazyMoves = new WeakMap<TEntry, LazyMove>();

/** An entry's node count, without moving a lazily moved entry's node. */
export function entrySize(e: TEntry): number {
  return lazyMoves.get(e)?.size ?? e.node.size;
}

/**
 * The entry with every position at or after `from` moved by `delta` (text inserted or deleted before it), its node
 * moved when first read: the blocks below an edit are moved copies, and most are never read again (their jobs are
 * reused). Subtrees before `from` (anchored nodes an alias shares) stay as they are. Moving a lazily moved entry
 * again composes the steps.
 */
export function lazyShiftEntry(e: TEntry, from: number, delta: number): TEntry {
  if (delta === 0) return e;
  const lazy = lazyMoves.get(e);
  const base = lazy?.base ?? e;
  const steps = composedSteps(lazy?.steps ?? NO_STEPS, from, delta);
  const keySpan = spanMovedBy(steps, base.keySpan);
  let node: TNode | undefined;
  let source: TEntry | undefined = base;
  const size = lazy?.size ?? base.node.size;
  const moved = { keySpan } as TEntry;
  Object.defineProperty(moved, 'node', {
    enumerable: true,
    get: () => {
      if (node === undefined) {
        node = stepTree((source as TEntry).node, steps);
        source = undefined;
        // Moved now: later moves start from this node, and the original can go.
        lazyMoves.set(moved, { base: { keySpan, node }, steps: [], size });
      }
      return node;
    },
  });
  lazyMoves.set(moved, { base, steps, size });
  return moved;
}

const NO_STEPS: readonly MoveStep[] = [];
/** The last composition made: an edit moves all the blocks below it alike, so they share one list of steps. */
let lastSteps: { prev: readonly MoveStep[]; from: number; delta: number; steps: readonly MoveStep[] } | undefined;

/** `composeSteps(prev, from, delta)`, the same array as the last call's when asked the same. */
function composedSteps(prev: readonly MoveStep[], from: number, delta: number): readonly MoveStep[] {
  const last = lastSteps;
  if (last && last.prev === prev && last.from === from && last.delta === delta) return last.steps;
  const steps = composeSteps(prev, from, delta);
  lastSteps = { prev, from, delta, steps };
  return steps;
}

/** The tree with every span moved by the steps (`spanMovedBy`); subtrees before the first step are shared. */
function stepTree(node: TNode, steps: readonly MoveStep[]): TNode {
  const first = steps[0];
  if (!first || node.span.start < first.at) return node;
  const span = spanMovedBy(steps, node.span);
  switch (node.kind) {
    case 'scalar':
    case 'ref':
      return { ...node, span };
    case 'seq':
      return { ...node, span, items: node.items.map((i) => stepTree(i, steps)) };
    case 'map': {
      const entries = new Map<string, TEntry>();
      for (const [k, e] of node.entries)
        entries.set(k, { keySpan: spanMovedBy(steps, e.keySpan), node: stepTree(e.node, steps) });
      return { ...node, span, entries };
    }
  }
}

export function spanOf(node: YamlNode): Span {
  const r = node.range;
  return r ? { start: r[0], end: Math.max(r[0], r[1]) } : { start: 0, end: 0 };
}
