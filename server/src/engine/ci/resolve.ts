// `extends` (D3) and `!reference` (D5) resolution over the merged top-level configuration.

import { msg, type Msg } from '../i18n';
import { MODEL_FINDINGS } from '../ids';
import type { Finding } from '../types';
import type { Replacement } from './model';
import type { FindingSink } from './report';
import {
  deepMerge,
  makeMap,
  makeScalar,
  makeSeq,
  originOf,
  scalarText,
  toPlain,
  withVia,
  type TEntry,
  type TMap,
  type TNode,
} from './tree';

/** GitLab resolves up to 11 levels of `extends`. */
export const MAX_EXTENDS_DEPTH = 11;
/** GitLab resolves `!reference` tags nested up to 10 levels. */
export const MAX_REFERENCE_DEPTH = 10;

const SCRIPT_KEYS = new Set(['script', 'before_script', 'after_script']);
/** Sequence keys whose `!reference` items are spliced in (one level) rather than nested. */
const SPLICED_KEYS = new Set(['services', 'rules']);

export interface Resolved {
  readonly tree: TMap;
  /** Values parents or the job itself replaced or removed during `extends` (merge traps). */
  readonly replaced: readonly Replacement[];
  /** Parents in resolution order, nearest first, transitively. */
  readonly chain: readonly string[];
}

/** Records, for the A39 merge traps, a `services`/`image` list that was replaced or a key removed with `null`. */
export function replacementOf(path: readonly string[], lost: TEntry, by: TEntry): Replacement | null {
  const key = path[path.length - 1];
  if (path.length !== 1 || (key !== 'services' && key !== 'image' && key !== 'variables')) return null;
  const removed = by.node.kind === 'scalar' && by.node.value === null;
  if (!removed && key !== 'services') return null;
  return {
    key,
    lost: originOf(lost.node, lost.keySpan),
    lostValue: toPlain(lost.node),
    by: originOf(by.node, by.keySpan),
    reason: removed ? 'null' : 'replaced',
  };
}

/**
 * What a computation over the merged configuration read: the top-level entries it looked up (identity matters:
 * unchanged files keep their entries between analyses) and the model findings it raised or relied on.
 */
export interface Reads {
  readonly entries: Map<string, TEntry | undefined>;
  readonly findings: Finding[];
}

export function newReads(): Reads {
  return { entries: new Map(), findings: [] };
}

/** Whether every entry `reads` looked up is still the same object in `top`. */
export function readsHold(reads: Reads, top: TMap): boolean {
  for (const [name, entry] of reads.entries) if (top.entries.get(name) !== entry) return false;
  return true;
}

export class Resolver {
  private readonly memo = new Map<string, Resolved | null>();
  private readonly depths = new Map<string, number>();
  private readonly active = new Set<string>();
  /** What each memoised `extended`/`depthOf` result read, to charge it to every caller (see `recording`). */
  private readonly memoReads = new Map<string, Reads>();
  private readonly depthReads = new Map<string, Reads>();
  private readonly recorders: Reads[] = [];

  constructor(
    private readonly top: TMap,
    private readonly sink: FindingSink,
  ) {}

  /** Runs `body` and returns what it read, including what memoised results it used had read. */
  recording<T>(body: () => T): { value: T; reads: Reads } {
    const reads = newReads();
    const before = this.sink.findings.length;
    this.recorders.push(reads);
    try {
      const value = body();
      reads.findings.push(...this.sink.findings.slice(before));
      return { value, reads };
    } finally {
      this.recorders.pop();
    }
  }

  /** A top-level entry, recorded as read by every computation in progress. */
  entry(name: string): TEntry | undefined {
    const e = this.top.entries.get(name);
    for (const r of this.recorders) r.entries.set(name, e);
    return e;
  }

  private charge(reads: Reads | undefined): void {
    if (!reads) return;
    for (const r of this.recorders) {
      for (const [name, e] of reads.entries) r.entries.set(name, e);
      r.findings.push(...reads.findings);
    }
  }

  /** The job (or hidden job, or any top-level mapping) with its `extends` parents merged in. */
  extended(name: string): Resolved | null {
    if (this.memo.has(name)) {
      this.charge(this.memoReads.get(name));
      return this.memo.get(name) ?? null;
    }
    const { value, reads } = this.recording(() => this.extend(name));
    this.memoReads.set(name, reads);
    return value;
  }

  private extend(name: string): Resolved | null {
    const entry = this.entry(name);
    if (!entry || entry.node.kind !== 'map') {
      this.memo.set(name, null);
      return null;
    }
    const own = entry.node;
    const ext = own.entries.get('extends');
    let result: Resolved = { tree: own, replaced: [], chain: [] };
    if (ext && this.depthOf(name, new Set()) > MAX_EXTENDS_DEPTH) {
      this.sink.add(
        MODEL_FINDINGS.extendsError,
        ext.node.file,
        ext.node.span,
        msg('ci.extends-too-deep', { job: name, max: MAX_EXTENDS_DEPTH }),
      );
    } else if (ext) {
      this.active.add(name);
      result = this.mergeParents(name, own, ext);
      this.active.delete(name);
    }
    this.memo.set(name, result);
    return result;
  }

  private mergeParents(name: string, own: TMap, ext: TEntry): Resolved {
    const parents = ext.node.kind === 'seq' ? ext.node.items.map(scalarText) : [scalarText(ext.node)];
    const replaced: Replacement[] = [];
    const chain: string[] = [];
    const record = (path: readonly string[], lost: TEntry, by: TEntry): void => {
      const r = replacementOf(path, lost, by);
      if (r) replaced.push(r);
    };
    let base: TNode | undefined;
    for (const parent of parents) {
      if (parent === undefined) {
        this.sink.add(
          MODEL_FINDINGS.extendsError,
          ext.node.file,
          ext.node.span,
          msg('ci.extends-not-names', { job: name }),
        );
        continue;
      }
      if (this.active.has(parent)) {
        this.sink.add(
          MODEL_FINDINGS.extendsError,
          ext.node.file,
          ext.node.span,
          msg('ci.extends-cycle', { job: name, parent }),
        );
        continue;
      }
      const entry = this.entry(parent);
      if (!entry || entry.node.kind !== 'map') {
        this.sink.addMissing(
          MODEL_FINDINGS.extendsError,
          ext.node.file,
          ext.node.span,
          msg('ci.extends-unknown', { job: name, parent }),
        );
        continue;
      }
      const p = this.extended(parent);
      if (!p) continue;
      replaced.push(...p.replaced);
      chain.push(parent, ...p.chain.filter((c) => !chain.includes(c)));
      base = deepMerge(base, withVia(p.tree, { kind: 'extends', name: parent }), record);
    }
    const merged = deepMerge(base, own, record);
    return { tree: merged.kind === 'map' ? merged : own, replaced, chain: [...new Set(chain)] };
  }

  /** Levels of `extends` above `name` (0 without `extends`; cycles count as ending). */
  private depthOf(name: string, seen: Set<string>): number {
    const cached = this.depths.get(name);
    if (cached !== undefined) {
      this.charge(this.depthReads.get(name));
      return cached;
    }
    const { value, reads } = this.recording(() => this.depth(name, seen));
    if (this.depths.has(name)) this.depthReads.set(name, reads);
    return value;
  }

  private depth(name: string, seen: Set<string>): number {
    const ext = this.entry(name)?.node;
    const node = ext?.kind === 'map' ? ext.entries.get('extends')?.node : undefined;
    if (!node || seen.has(name)) return 0;
    seen.add(name);
    const parents = node.kind === 'seq' ? node.items.map(scalarText) : [scalarText(node)];
    let d = 0;
    for (const p of parents) if (p !== undefined && this.entry(p)) d = Math.max(d, 1 + this.depthOf(p, seen));
    seen.delete(name);
    this.depths.set(name, d);
    return d;
  }

  /** Resolves every `!reference` inside `node`; `section` is the job key the node sits under. */
  references(node: TNode, section: string | null, depth = 0): TNode {
    switch (node.kind) {
      case 'scalar':
        return node;
      case 'ref':
        return this.lookup(node, depth);
      case 'map': {
        let changed = false;
        const entries = new Map<string, TEntry>();
        for (const [k, e] of node.entries) {
          const v = this.references(e.node, section ?? k, depth);
          if (v !== e.node) changed = true;
          entries.set(k, v === e.node ? e : entryAt(e, v));
        }
        return changed ? makeMap(node.file, node.span, entries, node.via) : node;
      }
      case 'seq': {
        let changed = false;
        const items: TNode[] = [];
        for (const item of node.items) {
          const v = this.references(item, section, depth);
          if (v !== item) changed = true;
          // Script sections flatten nested arrays; services and rules splice a referenced list in one level.
          if (v.kind === 'seq' && section !== null && SCRIPT_KEYS.has(section)) {
            changed = true;
            items.push(...flatten(v));
          } else if (v.kind === 'seq' && item.kind === 'ref' && section !== null && SPLICED_KEYS.has(section)) {
            items.push(...v.items);
          } else {
            items.push(v);
          }
        }
        return changed ? makeSeq(node.file, node.span, items, node.via) : node;
      }
    }
  }

  private lookup(ref: TNode & { kind: 'ref' }, depth: number): TNode {
    const fail = (message: Msg): TNode => {
      this.sink.add(MODEL_FINDINGS.referenceError, ref.file, ref.span, message);
      return makeScalar(ref.file, ref.span, null, undefined, ref.via);
    };
    const target = ref.target;
    if (!target) return fail(msg('ci.reference-no-target'));
    const reference = `!reference [${target.join(', ')}]`;
    if (depth >= MAX_REFERENCE_DEPTH)
      return fail(msg('ci.reference-too-deep', { reference, max: MAX_REFERENCE_DEPTH }));
    const [first, ...keys] = target;
    let node: TNode | undefined =
      first === undefined ? undefined : (this.extended(first)?.tree ?? this.entry(first)?.node);
    if (!node) {
      this.sink.addMissing(
        MODEL_FINDINGS.referenceError,
        ref.file,
        ref.span,
        msg('ci.reference-unknown', { reference, name: first ?? '' }),
      );
      return makeScalar(ref.file, ref.span, null, undefined, ref.via);
    }
    for (const key of keys) {
      if (node?.kind === 'ref') node = this.lookup(node, depth + 1);
      const next: TNode | undefined = node?.kind === 'map' ? node.entries.get(key)?.node : undefined;
      if (!next) return fail(msg('ci.reference-undefined-key', { reference, key }));
      node = next;
    }
    const resolved = this.references(node, keys[0] ?? null, depth + 1);
    return withVia(resolved, { kind: 'reference', target });
  }
}

/**
 * The entry `e` with its value replaced by `v`. A value brought from another file (by `!reference`) takes its own
 * span as key span: an origin's spans are always in its `file`.
 */
export function entryAt(e: TEntry, v: TNode): TEntry {
  return { keySpan: v.file === e.node.file ? e.keySpan : v.span, node: v };
}

/** All scalar and mapping items of nested sequences, in order. */
function flatten(seq: TNode & { kind: 'seq' }): TNode[] {
  const out: TNode[] = [];
  for (const i of seq.items) {
    if (i.kind === 'seq') out.push(...flatten(i));
    else out.push(i);
  }
  return out;
}
