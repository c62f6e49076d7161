// Positions across an edit. After an editor changes one region of a file, every offset before the region is
// unchanged and every offset after it moved by the same amount; a result computed on the old text can be reused on
// the new one by moving its positions, as long as nothing it depends on lies inside the changed region.

import type { Finding, RelatedLocation, Span, TextEdit } from './types';

/** One file's change between two texts: old `[start, oldEnd)` became new `[start, oldEnd + delta)`. */
interface Region {
  readonly start: number;
  readonly oldEnd: number;
  readonly delta: number;
}

/** The single differing region of two texts (common prefix and suffix), or null when they are equal. */
export function changedRegion(before: string, after: string): Region | null {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  const start = commonPrefix(before, after, max);
  const suffix = commonSuffix(before, after, max - start);
  return { start, oldEnd: before.length - suffix, delta: after.length - before.length };
}

/**
 * Characters compared at once: equal substrings are compared by the engine's string equality (a memory compare of
 * the two ranges), many times faster than a loop over characters in a 35,000-line file the editor changes per
 * keystroke.
 */
const CHUNK = 1024;

/** The length of the common prefix of `a` and `b`, at most `max`. */
function commonPrefix(a: string, b: string, max: number): number {
  let n = 0;
  while (n + CHUNK <= max && a.substring(n, n + CHUNK) === b.substring(n, n + CHUNK)) n += CHUNK;
  while (n < max && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  return n;
}

/** The length of the common suffix of `a` and `b`, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  let n = 0;
  while (
    n + CHUNK <= max &&
    a.substring(a.length - n - CHUNK, a.length - n) === b.substring(b.length - n - CHUNK, b.length - n)
  )
    n += CHUNK;
  while (n < max && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

/**
 * Maps positions of the texts an earlier analysis read to the texts of the current one. A position strictly before
 * a file's changed region stays; one at or after its end moves by the length difference; one inside it (or in a file
 * that is gone) has no image, and whatever holds it must be recomputed.
 */
export class PositionMap {
  private readonly regions = new Map<string, Region | null | undefined>();
  /** Verdicts of `equal` on objects (a job is compared once per analysis, however many runs ask). */
  private readonly verdicts = new Map<object, Map<object, boolean>>();

  constructor(
    private readonly before: ReadonlyMap<string, string | null>,
    private readonly now: (path: string) => string | null,
  ) {}

  /** The image of `span` in `file`, or undefined when it has none. */
  span(file: string, span: Span): Span | undefined {
    const r = this.region(file);
    if (r === null) return span;
    if (r === undefined) return undefined;
    const start = this.offset(r, span.start);
    const end = this.offset(r, span.end);
    if (start === undefined || end === undefined) return undefined;
    return start === span.start && end === span.end ? span : { start, end };
  }

  /** The finding with every position moved, or undefined when one of them has no image. */
  finding(f: Finding): Finding | undefined {
    const span = this.span(f.file, f.span);
    if (!span) return undefined;
    let related: RelatedLocation[] | undefined;
    for (const [i, r] of f.related.entries()) {
      const s = this.span(r.file, r.span);
      if (!s) return undefined;
      if (s !== r.span) (related ??= [...f.related])[i] = { ...r, span: s };
    }
    let fixes: Finding['fixes'] | undefined;
    for (const [i, fix] of f.fixes.entries()) {
      let edits: TextEdit[] | undefined;
      for (const [j, e] of fix.edits.entries()) {
        const s = this.span(e.file, e.span);
        if (!s) return undefined;
        if (s !== e.span) (edits ??= [...fix.edits])[j] = { ...e, span: s };
      }
      if (edits) ((fixes ??= [...f.fixes]) as Finding['fixes'][number][])[i] = { ...fix, edits };
    }
    if (span === f.span && !related && !fixes) return f;
    return { ...f, span, related: related ?? f.related, fixes: fixes ?? f.fixes };
  }

  /** Whether `now` equals `before` once the positions of `before` are moved (see `equalMoved`). */
  equal(now: unknown, before: unknown): boolean {
    if (now === before || typeof now !== 'object' || typeof before !== 'object' || now === null || before === null)
      return equalMoved(now, before, this, null);
    let seen = this.verdicts.get(now);
    if (!seen) this.verdicts.set(now, (seen = new Map<object, boolean>()));
    let verdict = seen.get(before);
    if (verdict === undefined) seen.set(before, (verdict = equalMoved(now, before, this, null)));
    return verdict;
  }

  /** `equal` on every item of two lists (the verdict is memoised per pair of lists, each item per pair of items). */
  equalEach(now: readonly object[], before: readonly object[]): boolean {
    if (now === before) return true;
    let seen = this.verdicts.get(now);
    if (!seen) this.verdicts.set(now, (seen = new Map<object, boolean>()));
    let verdict = seen.get(before);
    if (verdict === undefined) {
      verdict = now.length === before.length && now.every((x, i) => this.equal(x, before[i]));
      seen.set(before, verdict);
    }
    return verdict;
  }

  private offset(r: Region, x: number): number | undefined {
    if (x < r.start) return x;
    if (x >= r.oldEnd && !(x === r.start && r.oldEnd === r.start)) return x + r.delta;
    return undefined;
  }

  /** null: unchanged; undefined: not comparable (unknown before, or unreadable now). */
  private region(file: string): Region | null | undefined {
    if (this.regions.has(file)) return this.regions.get(file);
    const before = this.before.get(file);
    const now = this.now(file);
    const r = before === undefined || before === null || now === null ? undefined : changedRegion(before, now);
    const out = before === null && now === null ? null : r;
    this.regions.set(file, out);
    return out;
  }
}

function isSpan(v: unknown): v is Span {
  return typeof v === 'object' && v !== null && typeof (v as Span).start === 'number' && Object.keys(v).length === 2;
}

/**
 * Structural equality of model values (plain objects, arrays, Maps, primitives) where every `Span` held by an object
 * with a `file` property is compared after moving the earlier one through `map`. Model values keep their spans next
 * to their file (origins, tree nodes, jobs), so this covers every position in them.
 */
function equalMoved(nowGiven: unknown, beforeGiven: unknown, map: PositionMap, file: string | null): boolean {
  if (nowGiven === beforeGiven) return true;
  const now = plain(nowGiven);
  const before = plain(beforeGiven);
  if (typeof now !== 'object' || typeof before !== 'object' || now === null || before === null) return false;
  if (Array.isArray(now)) {
    if (!Array.isArray(before) || now.length !== before.length) return false;
    for (let i = 0; i < now.length; i++) if (!equalMoved(now[i], before[i], map, file)) return false;
    return true;
  }
  if (now instanceof Map) {
    if (!(before instanceof Map) || now.size !== before.size) return false;
    const a = now.entries();
    const b = before.entries();
    for (let x = a.next(), y = b.next(); !x.done && !y.done; x = a.next(), y = b.next()) {
      if (x.value[0] !== y.value[0] || !equalMoved(x.value[1], y.value[1], map, file)) return false;
    }
    return true;
  }
  if (Array.isArray(before) || before instanceof Map) return false;
  const o = now as Record<string, unknown>;
  const p = before as Record<string, unknown>;
  const here = typeof o['file'] === 'string' ? o['file'] : file;
  const keys = Object.keys(o);
  if (keys.length !== Object.keys(p).length) return false;
  for (const k of keys) {
    if (!(k in p)) return false;
    const x = o[k];
    const y = p[k];
    if (here !== null && isSpan(x) && isSpan(y) && typeof o['file'] === 'string') {
      const moved = map.span(here, y);
      if (!moved || moved.start !== x.start || moved.end !== x.end) return false;
      continue;
    }
    if (!equalMoved(x, y, map, here)) return false;
  }
  return true;
}

/**
 * Objects that stand for a plain model value (a lazily moved job) implement this; `equal` and `moveSpans` use the
 * plain value.
 */
export const MATERIALISE: unique symbol = Symbol('materialise');

interface Materialisable {
  [MATERIALISE](): object;
}

function plain(value: unknown): unknown {
  return typeof value === 'object' && value !== null && MATERIALISE in value
    ? (value as Materialisable)[MATERIALISE]()
    : value;
}

/** The properties that hold spans in model values (always next to the `file` they are in). */
const SPAN_KEYS: ReadonlySet<string> = new Set(['span', 'keySpan', 'nameSpan']);

/**
 * A copy of a model value (plain objects, arrays, Maps) with every span of an object with a `file` property
 * (`span`, `keySpan`, `nameSpan`) replaced by `move(file, span)`; parts without a moved span are shared, not copied,
 * and properties named in `skip` (plain data without positions) are not walked.
 */
export function moveSpans<T>(
  value: T,
  move: (file: string, span: Span) => Span,
  skip: ReadonlySet<string> = new Set(),
): T {
  return moved(value, move, skip) as T;
}

function moved(given: unknown, move: (file: string, span: Span) => Span, skip: ReadonlySet<string>): unknown {
  if (typeof given !== 'object' || given === null) return given;
  const value = plain(given);
  if (Array.isArray(value)) {
    const items = value as readonly unknown[];
    let out: unknown[] | undefined;
    for (let i = 0; i < items.length; i++) {
      const x = items[i];
      const y = moved(x, move, skip);
      if (y !== x) (out ??= [...items])[i] = y;
    }
    return out ?? value;
  }
  if (value instanceof Map) {
    let out: Map<unknown, unknown> | undefined;
    for (const [k, x] of value as Map<unknown, unknown>) {
      const y = moved(x, move, skip);
      if (y !== x) (out ??= new Map(value as Map<unknown, unknown>)).set(k, y);
    }
    return out ?? value;
  }
  const o = value as Record<string, unknown>;
  const file = typeof o['file'] === 'string' ? o['file'] : null;
  let out: Record<string, unknown> | undefined;
  for (const k in o) {
    if (skip.has(k)) continue;
    const x = o[k];
    const y = file !== null && SPAN_KEYS.has(k) && isSpan(x) ? move(file, x) : moved(x, move, skip);
    if (y !== x) (out ??= { ...o })[k] = y;
  }
  return out ?? value;
}

/**
 * One step of positions moved by successive edits in one file, in the positions of the original text: positions from
 * `at` on (up to the next step) move by `delta`. Steps are sorted by `at`.
 */
export interface MoveStep {
  readonly at: number;
  readonly delta: number;
}

/** How far a position of the original text has moved. */
export function deltaAt(steps: readonly MoveStep[], x: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((steps[mid] as MoveStep).at <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : (steps[lo - 1] as MoveStep).delta;
}

/** `span` moved by the steps (by how far its start moved; its end moves the same). */
export function spanMovedBy(steps: readonly MoveStep[], span: Span): Span {
  const d = deltaAt(steps, span.start);
  return d === 0 ? span : { start: span.start + d, end: span.end + d };
}

/** `steps` followed by moving the (already moved) positions from `at` on by `delta`. */
export function composeSteps(steps: readonly MoveStep[], at: number, delta: number): MoveStep[] {
  // The first original position whose moved position is at or after `at` (moved positions grow with originals).
  let first = Infinity;
  for (let i = -1; i < steps.length; i++) {
    const start = i < 0 ? -Infinity : (steps[i] as MoveStep).at;
    const end = i + 1 < steps.length ? (steps[i + 1] as MoveStep).at : Infinity;
    const candidate = Math.max(start, at - (i < 0 ? 0 : (steps[i] as MoveStep).delta));
    if (candidate < end) {
      first = candidate;
      break;
    }
  }
  if (first === Infinity) return [...steps];
  const next: MoveStep[] = steps.filter((st) => st.at < first);
  next.push({ at: first, delta: deltaAt(steps, first) + delta });
  for (const st of steps) if (st.at > first) next.push({ at: st.at, delta: st.delta + delta });
  return next;
}
