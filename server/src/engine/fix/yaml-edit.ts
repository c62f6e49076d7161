// Minimal text edits on YAML files, computed from the `yaml` library's node ranges so that everything outside the
// edited entries stays byte-identical. Both block and flow styles are handled; new lines follow the indentation of
// their neighbours and the file's line ending.

import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Scalar,
  type Document,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';

import type { SourceStore } from '../sources';
import { detectEol } from '../text';
import type { Span, TextEdit } from '../types';
import { parseYaml } from '../yaml/parse';
import {
  combineEdits,
  edit,
  edited,
  failed,
  insertLinesAfter,
  isFirstOnLine,
  lineContentEndAt,
  lineStartAt,
  nextLineStartAt,
  wholeLines,
  type EditResult,
} from './common';
import {
  blockEntriesText,
  blockValueText,
  flowValue,
  isEditObject,
  isEditScalar,
  yamlKey,
  yamlScalar,
  type BlockLayout,
  type EditScalar,
  type EditValue,
  type QuoteStyle,
} from './yaml-format';

type Collection = YAMLMap<unknown, unknown> | YAMLSeq<unknown>;

/** Where a node sits: its parent collection (null for a document's root) and its key or index there. */
export interface LocatedNode {
  readonly node: Node;
  readonly parent: Collection | null;
  /** The entry's key (for a mapping value or key) or the item's index (for a sequence item). */
  readonly key: string | number | null;
  /** True when `node` is the key of its entry rather than the value. */
  readonly isKey: boolean;
}

interface NodeInfo {
  readonly parent: Collection | null;
  readonly key: string | number | null;
  readonly isKey: boolean;
  readonly inFlow: boolean;
}

function rangeOf(node: Node): [number, number, number] | undefined {
  const r = node.range;
  return r ? [r[0], r[1], r[2]] : undefined;
}

function keyName(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : undefined;
}

function isBlockScalar(node: Node): boolean {
  return isScalar(node) && (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED);
}

function quoteStyleOf(node: unknown): QuoteStyle {
  if (!isScalar(node)) return 'plain';
  if (node.type === Scalar.QUOTE_SINGLE) return 'single';
  if (node.type === Scalar.QUOTE_DOUBLE) return 'double';
  return 'plain';
}

/**
 * Edits one YAML file. Build it with `YamlEditor.fromSources` (the parse the rules saw) or `YamlEditor.fromText`.
 * Every operation returns an `EditResult`; none throws.
 */
export class YamlEditor {
  /** The file's line ending, used for every inserted line. */
  readonly eol: '\n' | '\r\n';
  private info: WeakMap<Node, NodeInfo> | undefined;
  private unitCache: string | undefined;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly documents: readonly Document.Parsed[],
  ) {
    this.eol = detectEol(text);
  }

  static fromSources(sources: SourceStore, file: string): YamlEditor | undefined {
    const f = sources.file(file);
    const parsed = sources.yaml(file);
    return f && parsed ? new YamlEditor(file, f.text, parsed.documents) : undefined;
  }

  static fromText(file: string, text: string): YamlEditor {
    return new YamlEditor(file, text, parseYaml(text).documents);
  }

  /** The root mapping of the last document (the pipeline body), or undefined. */
  get root(): YAMLMap<unknown, unknown> | undefined {
    const contents = this.documents[this.documents.length - 1]?.contents;
    return isMap(contents) ? contents : undefined;
  }

  /**
   * The node a span designates (an `Origin.span` or `Origin.keySpan`): the node starting at `span.start` whose end
   * is nearest `span.end`; among equals, the outermost (a block mapping starts where its first key does).
   */
  locate(span: Span): LocatedNode | undefined {
    const info = this.nodeInfo();
    let best: { node: Node; score: number } | undefined;
    const consider = (node: Node): void => {
      const r = rangeOf(node);
      if (!r || r[0] !== span.start) return;
      const score = Math.min(Math.abs(r[1] - span.end), Math.abs(r[2] - span.end));
      if (!best || score < best.score) best = { node, score };
    };
    for (const doc of this.documents) this.walk(doc.contents, consider);
    if (!best) return undefined;
    const i = info.get(best.node);
    return { node: best.node, parent: i?.parent ?? null, key: i?.key ?? null, isKey: i?.isKey ?? false };
  }

  /** The node at `path` (keys and indices) below `from` (default: the root mapping). */
  get(path: readonly (string | number)[], from: Node | undefined = this.root): Node | undefined {
    let node: unknown = from;
    for (const step of path) {
      if (typeof step === 'number') node = isSeq(node) ? node.items[step] : undefined;
      else node = isMap(node) ? this.pairOf(node, step)?.value : undefined;
      if (node === undefined || node === null) return undefined;
    }
    return node as Node;
  }

  /** The value of the mapping entry whose key is at `keySpan` (e.g. a job's mapping from `EffectiveJob.nameSpan`). */
  valueOfKeyAt(keySpan: Span): Node | undefined {
    const located = this.locate(keySpan);
    if (!located?.isKey || !isMap(located.parent)) return undefined;
    const pair = located.parent.items.find((p) => p.key === located.node);
    return isPair(pair) && pair.value !== null ? (pair.value as Node) : undefined;
  }

  /**
   * Sets entries of a mapping. Present keys get their value replaced (a scalar keeps its quote style; an object value
   * merges into an existing mapping key by key); absent keys are appended after the mapping's last entry with its
   * indentation (block) or as `, key: value` (flow), in the order given.
   */
  setKeys(map: unknown, values: Readonly<Record<string, EditValue>>): EditResult {
    if (!isMap(map)) return failed('not a mapping');
    const results: EditResult[] = [];
    const added: [string, EditValue][] = [];
    for (const [key, value] of Object.entries(values)) {
      const pair = this.pairOf(map, key);
      if (pair) results.push(this.replaceValue(pair, value));
      else added.push([key, value]);
    }
    if (added.length > 0) results.push(this.addEntries(map, added));
    return combineEdits(...results);
  }

  setKey(map: unknown, key: string, value: EditValue): EditResult {
    return this.setKeys(map, { [key]: value });
  }

  /**
   * Sets a CI variable in the `variables:` of `container` (a job's mapping or the root), creating `variables:` after
   * the container's last key when absent. A variable written as `{value: ..., description: ...}` gets its `value`
   * replaced.
   */
  setVariable(container: unknown, name: string, value: EditScalar): EditResult {
    if (!isMap(container)) return failed('not a mapping');
    const varsPair = this.pairOf(container, 'variables');
    const vars = varsPair?.value;
    if (!varsPair || vars === null || (isScalar(vars) && vars.value === null)) {
      return this.setKeys(container, { variables: { [name]: value } });
    }
    if (!isMap(vars)) return failed('variables is not a mapping');
    const existing = this.pairOf(vars, name)?.value;
    if (isMap(existing)) return this.setKeys(existing, { value });
    return this.setKeys(vars, { [name]: value });
  }

  /** Removes a mapping entry: its whole line(s) with a trailing comment in block style, or `key: value` and a comma in flow style. */
  removeKey(map: unknown, key: string): EditResult {
    if (!isMap(map)) return failed('not a mapping');
    const index = this.pairIndex(map, key);
    if (index < 0) return failed(`no key ${key}`);
    return this.removeEntry(map, index);
  }

  /** Removes a sequence item: its `- ` line(s) in block style, or the item and a comma in flow style. */
  removeItem(seq: unknown, index: number): EditResult {
    if (!isSeq(seq)) return failed('not a sequence');
    const item = seq.items[index];
    if (!isNodeLike(item)) return failed(`no item ${index}`);
    return this.removeEntry(seq, index);
  }

  /** Removes whatever entry `span` designates: a mapping entry (by its key or value) or a sequence item. */
  removeAt(span: Span): EditResult {
    const located = this.locate(span);
    if (!located?.parent || located.key === null) return failed('nothing to remove at this range');
    if (isMap(located.parent) && typeof located.key === 'string') return this.removeKey(located.parent, located.key);
    if (isSeq(located.parent) && typeof located.key === 'number') return this.removeItem(located.parent, located.key);
    return failed('nothing to remove at this range');
  }

  appendItem(seq: unknown, value: EditValue): EditResult {
    if (!isSeq(seq)) return failed('not a sequence');
    if (seq.items.length === 0) {
      const r = rangeOf(seq);
      if (!seq.flow || !r) return failed('empty block sequence');
      return edited([edit(this.file, { start: r[0] + 1, end: r[0] + 1 }, flowValue(value, 'double', 'double'))]);
    }
    return this.insertItem(seq, seq.items.length - 1, value, 'after');
  }

  /** Inserts an item before or after item `index`, in the style of that item (block `- ` line or flow `, `). */
  insertItem(seq: unknown, index: number, value: EditValue, where: 'before' | 'after'): EditResult {
    if (!isSeq(seq)) return failed('not a sequence');
    const item = seq.items[index];
    if (!isNodeLike(item)) return failed(`no item ${index}`);
    const r = rangeOf(item);
    if (!r) return failed('item without a range');
    const style = quoteStyleOf(item);
    if (seq.flow) {
      const itemStyle = isScalar(item) ? style : 'double';
      const text = flowValue(value, itemStyle, itemStyle);
      if (where === 'before') return edited([edit(this.file, { start: r[0], end: r[0] }, `${text}, `)]);
      const end = this.contentEnd(item);
      return edited([edit(this.file, { start: end, end }, `, ${text}`)]);
    }
    const dash = this.dashBefore(item);
    if (dash === undefined || !isFirstOnLine(this.text, dash)) return failed('unusual sequence layout');
    const indent = this.text.slice(lineStartAt(this.text, dash), dash);
    const gap = this.text.slice(dash + 1, r[0]);
    const spacing = /^ +$/.test(gap) ? gap : ' ';
    const body = `${indent}-${spacing}${this.itemText(value, indent + ' '.repeat(1 + spacing.length), style)}`;
    if (where === 'before') {
      const at = lineStartAt(this.text, dash);
      if (this.hasErrorBetween(at, nextLineStartAt(this.text, dash))) return failed('syntax error near the insertion');
      return edited([edit(this.file, { start: at, end: at }, body + this.eol)]);
    }
    return this.insertBlockLines(seq, this.contentEnd(item), indent.length, body);
  }

  /**
   * Replaces a scalar's value, keeping its quote style: plain stays plain while the new text reads back as the same
   * value, single and double quotes stay. A block scalar (`|`, `>`) becomes a double-quoted one.
   */
  replaceScalar(node: unknown, value: EditScalar): EditResult {
    if (!isScalar(node)) return failed('not a scalar');
    const r = rangeOf(node);
    if (!r) return failed('scalar without a range');
    const flow = this.nodeInfo().get(node)?.inFlow ?? false;
    const style = isBlockScalar(node) ? 'double' : quoteStyleOf(node);
    const end = this.contentEnd(node);
    const newText = yamlScalar(value, style, flow);
    if (this.text.slice(r[0], end) === newText) return edited([]);
    // An empty value (`key:` at the end of the text) or one the parser separated from its `:` by a character that
    // is not a space (a lone `\r`) gets the space that block context requires after the indicator.
    const before = this.text[r[0] - 1];
    const separate = !flow && (before === ':' || before === '-');
    return edited([edit(this.file, { start: r[0], end }, separate ? ` ${newText}` : newText)]);
  }

  /**
   * Turns a scalar sequence item into a mapping item: `- docker:24-dind` → `- name: docker:24-dind` plus `extra`
   * entries on the following lines at the same column (block), or `{name: docker:24-dind, alias: docker}` (flow).
   * The scalar's text is kept as written; a comment after it stays on its line.
   */
  scalarItemToMapping(
    seq: unknown,
    index: number,
    extra: Readonly<Record<string, EditValue>>,
    key = 'name',
  ): EditResult {
    if (!isSeq(seq)) return failed('not a sequence');
    const item = seq.items[index];
    if (!isScalar(item) || item.value === null) return failed('item is not a scalar');
    const r = rangeOf(item);
    if (!r || isBlockScalar(item)) return failed('unsupported scalar');
    const end = this.contentEnd(item);
    const source = this.text.slice(r[0], end);
    const entries = Object.entries(extra).filter(([k]) => k !== key);
    if (seq.flow) {
      const rest = entries.map(([k, v]) => `, ${yamlKey(k)}: ${flowValue(v)}`).join('');
      return edited([edit(this.file, { start: r[0], end }, `{${yamlKey(key)}: ${source}${rest}}`)]);
    }
    if (this.text.slice(r[0], end).includes('\n') || this.text.slice(r[0], end).includes('\r')) {
      return failed('multi-line scalar');
    }
    const column = ' '.repeat(r[0] - lineStartAt(this.text, r[0]));
    const edits: TextEdit[] = [edit(this.file, { start: r[0], end: r[0] }, `${yamlKey(key)}: `)];
    if (entries.length > 0) {
      const layout = this.layout(column);
      const added = this.insertBlockLines(item, end, column.length, column + blockEntriesText(entries, layout));
      if (!added.ok) return added;
      edits.push(...added.edits);
    }
    return edited(edits);
  }

  /**
   * Sets keys of a sequence item (a service): a mapping item gets `setKeys`, a scalar item is first turned into
   * `name: <scalar>` (`scalarItemToMapping`).
   */
  setItemKeys(seq: unknown, index: number, values: Readonly<Record<string, EditValue>>): EditResult {
    if (!isSeq(seq)) return failed('not a sequence');
    const item = seq.items[index];
    if (isMap(item)) return this.setKeys(item, values);
    return this.scalarItemToMapping(seq, index, values);
  }

  /** `setItemKeys` for the sequence item at `span` (e.g. `JobService.origin.span`). */
  setItemKeysAt(span: Span, values: Readonly<Record<string, EditValue>>): EditResult {
    const located = this.locate(span);
    if (!located || !isSeq(located.parent) || typeof located.key !== 'number') return failed('not a sequence item');
    return this.setItemKeys(located.parent, located.key, values);
  }

  // ---- internals ------------------------------------------------------------------------------------------------

  /** The entry with this key; with duplicate keys the last one, which is the one GitLab uses. */
  private pairOf(map: YAMLMap<unknown, unknown>, key: string): Pair<unknown, unknown> | undefined {
    const i = this.pairIndex(map, key);
    return i < 0 ? undefined : map.items[i];
  }

  private pairIndex(map: YAMLMap<unknown, unknown>, key: string): number {
    for (let i = map.items.length - 1; i >= 0; i--) if (keyName(map.items[i]?.key) === key) return i;
    return -1;
  }

  private walk(node: unknown, visit: (node: Node) => void): void {
    if (!isNodeLike(node)) return;
    visit(node);
    if (isMap(node)) {
      for (const p of node.items) {
        this.walk(p.key, visit);
        this.walk(p.value, visit);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) this.walk(item, visit);
    }
  }

  private nodeInfo(): WeakMap<Node, NodeInfo> {
    if (this.info) return this.info;
    const info = new WeakMap<Node, NodeInfo>();
    const record = (
      node: unknown,
      parent: Collection | null,
      key: string | number | null,
      isKey: boolean,
      inFlow: boolean,
    ): void => {
      if (!isNodeLike(node) || info.has(node)) return;
      info.set(node, { parent, key, isKey, inFlow });
      const flow = inFlow || ((isMap(node) || isSeq(node)) && node.flow === true);
      if (isMap(node)) {
        for (const p of node.items) {
          const k = keyName(p.key) ?? null;
          record(p.key, node, k, true, flow);
          record(p.value, node, k, false, flow);
        }
      } else if (isSeq(node)) {
        node.items.forEach((item, i) => record(item, node, i, false, flow));
      }
    };
    for (const doc of this.documents) record(doc.contents, null, null, false, false);
    this.info = info;
    return info;
  }

  /** Offset just after the last character of a node's own content (no trailing comments or blank lines). */
  private contentEnd(node: Node): number {
    const r = rangeOf(node);
    if (!r) return 0;
    if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
      const last = node.items[node.items.length - 1];
      if (isPair(last)) return this.pairEnd(last);
      if (isNodeLike(last)) return this.contentEnd(last);
    }
    if (isBlockScalar(node)) {
      let end = r[1];
      while (end > r[0] && /\s/.test(this.text[end - 1] ?? '')) end--;
      return end;
    }
    return r[1];
  }

  private pairEnd(pair: Pair<unknown, unknown>): number {
    const keyEnd = isNodeLike(pair.key) ? this.contentEnd(pair.key) : 0;
    const value = pair.value;
    if (
      !isNodeLike(value) ||
      (isScalar(value) && value.value === null && rangeOf(value)?.[0] === rangeOf(value)?.[1])
    ) {
      return this.colonAfter(keyEnd) ?? keyEnd;
    }
    return Math.max(keyEnd, this.contentEnd(value));
  }

  /** Offset just after the `:` that follows a key ending at `keyEnd`. */
  private colonAfter(keyEnd: number): number | undefined {
    let i = keyEnd;
    while (this.text[i] === ' ' || this.text[i] === '\t') i++;
    return this.text[i] === ':' ? i + 1 : undefined;
  }

  /** Offset of the `-` indicator of a block sequence item. */
  private dashBefore(item: Node): number | undefined {
    const r = rangeOf(item);
    if (!r) return undefined;
    let i = r[0] - 1;
    while (i >= 0 && (this.text[i] === ' ' || this.text[i] === '\t')) i--;
    return this.text[i] === '-' ? i : undefined;
  }

  /** Indentation unit of the file: the first positive step between a block key and its nested block collection. */
  private unit(): string {
    if (this.unitCache !== undefined) return this.unitCache;
    let found = 0;
    const visit = (node: unknown): void => {
      if (found > 0 || !isMap(node) || node.flow) {
        if (isSeq(node)) node.items.forEach(visit);
        return;
      }
      for (const p of node.items) {
        const v = p.value;
        if ((isMap(v) || isSeq(v)) && !v.flow && isNodeLike(p.key)) {
          const kr = rangeOf(p.key);
          const vr = rangeOf(v);
          if (kr && vr) {
            const step = this.column(vr[0]) - this.column(kr[0]);
            if (step > 0 && isMap(v)) found = step;
          }
        }
        visit(v);
        if (found > 0) return;
      }
    };
    for (const doc of this.documents) visit(doc.contents);
    this.unitCache = ' '.repeat(found > 0 ? found : 2);
    return this.unitCache;
  }

  private column(offset: number): number {
    return offset - lineStartAt(this.text, offset);
  }

  private layout(indent: string): BlockLayout {
    return { indent, unit: this.unit(), eol: this.eol };
  }

  /** Text of a new block sequence item after its `- `; `indent` is the column of the item's content. */
  private itemText(value: EditValue, indent: string, style: QuoteStyle): string {
    if (isEditObject(value)) {
      const entries = Object.entries(value);
      return entries.length === 0 ? '{}' : blockEntriesText(entries, this.layout(indent));
    }
    if (isEditScalar(value)) return yamlScalar(value, style);
    return flowValue(value);
  }

  /** Column of a block mapping's entries: of its first key, or of the `?` indicator of an explicit key. */
  private mapIndent(map: YAMLMap<unknown, unknown>): string | undefined {
    const first = map.items[0]?.key;
    const r = isNodeLike(first) ? rangeOf(first) : undefined;
    if (!r) return undefined;
    let i = r[0] - 1;
    while (i >= 0 && (this.text[i] === ' ' || this.text[i] === '\t')) i--;
    return ' '.repeat(this.column(this.text[i] === '?' ? i : r[0]));
  }

  private addEntries(map: YAMLMap<unknown, unknown>, entries: readonly (readonly [string, EditValue])[]): EditResult {
    const r = rangeOf(map);
    if (!r) return failed('mapping without a range');
    const inFlow = map.flow === true || (this.nodeInfo().get(map)?.inFlow ?? false);
    if (inFlow) {
      const text = entries.map(([k, v]) => `${yamlKey(k)}: ${flowValue(v)}`).join(', ');
      const last = map.items[map.items.length - 1];
      if (!last) return edited([edit(this.file, { start: r[0] + 1, end: r[0] + 1 }, text)]);
      const end = this.pairEnd(last);
      return edited([edit(this.file, { start: end, end }, `, ${text}`)]);
    }
    const last = map.items[map.items.length - 1];
    const indent = this.mapIndent(map);
    if (!last || indent === undefined) return failed('empty block mapping');
    const layout = this.layout(indent);
    return this.insertBlockLines(map, this.pairEnd(last), indent.length, indent + blockEntriesText(entries, layout));
  }

  /**
   * Inserts the lines `body` after the block entry of `owner` that ends at `end`, whose indicator (key or `-`) sits
   * at `column`: after the entry's line and any following lines indented deeper (its trailing comments, or lines a
   * broken entry left behind), so that the new lines close the entry. Refused when a syntax error lies in `owner`
   * or in those lines: the parse does not say where its entries end, so no insertion point is safe.
   */
  private insertBlockLines(owner: Node, end: number, column: number, body: string): EditResult {
    const after = this.blockEnd(end, column);
    const start = rangeOf(owner)?.[0] ?? end;
    if (this.hasErrorBetween(Math.min(start, end), nextLineStartAt(this.text, after))) {
      return failed('syntax error near the insertion');
    }
    return edited([insertLinesAfter(this.file, this.text, after, body, this.eol)]);
  }

  /**
   * The end of the block entry whose content ends at `end` and whose indicator sits at `column`: the end of the last
   * following non-blank line indented deeper than `column`, or `end` when there is none.
   */
  private blockEnd(end: number, column: number): number {
    let after = end;
    for (let at = nextLineStartAt(this.text, end); at < this.text.length; at = nextLineStartAt(this.text, at)) {
      const line = this.text.slice(at, lineContentEndAt(this.text, at));
      const content = line.trimStart();
      if (content === '') continue;
      if (line.length - content.length <= column) break;
      after = at + line.length;
    }
    return after;
  }

  /** True when a syntax error of the file starts or ends in `[start, end]`, or covers that range. */
  private hasErrorBetween(start: number, end: number): boolean {
    return this.documents.some((doc) => doc.errors.some((e) => e.pos[0] <= end && e.pos[1] >= start));
  }

  private replaceValue(pair: Pair<unknown, unknown>, value: EditValue): EditResult {
    const current = pair.value;
    const keyNode = pair.key;
    if (!isNodeLike(keyNode)) return failed('entry without a key');
    const keyRange = rangeOf(keyNode);
    if (!keyRange) return failed('key without a range');
    if (isEditObject(value) && isMap(current)) return this.setKeys(current, value);
    const absent =
      !isNodeLike(current) ||
      (isScalar(current) && current.value === null && rangeOf(current)?.[0] === rangeOf(current)?.[1]);
    if (!absent && isScalar(current) && isEditScalar(value)) return this.replaceScalar(current, value);
    if (isAlias(current)) return failed('value is an alias');
    const inFlow = this.nodeInfo().get(keyNode)?.inFlow ?? false;
    const colon = this.colonAfter(this.contentEnd(keyNode));
    if (colon === undefined) return failed('cannot find the entry separator');
    const indent = ' '.repeat(this.column(keyRange[0]));
    const text = inFlow ? ` ${flowValue(value)}` : blockValueText(value, this.layout(indent));
    const end = absent ? colon : this.contentEnd(current);
    // A broken value does not say where it ends: replacing what the parser made of it could leave a fragment.
    if (!absent && this.hasErrorBetween(colon, end)) return failed('syntax error in the value');
    return edited([edit(this.file, { start: colon, end }, text)]);
  }

  /** Replaces a whole block collection that loses its last entry by an empty flow one (`key: {}`, `- []`). */
  private emptyCollection(node: Collection, empty: '{}' | '[]'): EditResult {
    const r = rangeOf(node);
    if (!r) return failed('collection without a range');
    const end = this.contentEnd(node);
    let i = r[0] - 1;
    while (i >= 0 && /\s/.test(this.text[i] ?? '')) i--;
    const c = this.text[i];
    if (c === ':' || c === '-') return edited([edit(this.file, { start: i + 1, end }, ` ${empty}`)]);
    return edited([edit(this.file, { start: r[0], end }, empty)]);
  }

  private removeEntry(parent: Collection, index: number): EditResult {
    const count = parent.items.length;
    const entryStart = (i: number): number | undefined => {
      const it = parent.items[i];
      const node = isPair(it) ? it.key : it;
      const r = isNodeLike(node) ? rangeOf(node) : undefined;
      if (!r) return undefined;
      return isSeq(parent) && !parent.flow ? this.dashBefore(node as Node) : r[0];
    };
    const entryEnd = (i: number): number | undefined => {
      const it = parent.items[i];
      if (isPair(it)) return this.pairEnd(it);
      return isNodeLike(it) ? this.contentEnd(it) : undefined;
    };
    const start = entryStart(index);
    const end = entryEnd(index);
    if (start === undefined || end === undefined) return failed('entry without a range');
    if (parent.flow) {
      if (count === 1) return edited([edit(this.file, { start, end }, '')]);
      if (index < count - 1) {
        const next = entryStart(index + 1);
        return next === undefined
          ? failed('entry without a range')
          : edited([edit(this.file, { start, end: next }, '')]);
      }
      const prevEnd = entryEnd(index - 1);
      return prevEnd === undefined
        ? failed('entry without a range')
        : edited([edit(this.file, { start: prevEnd, end }, '')]);
    }
    if (count === 1) return this.emptyCollection(parent, isMap(parent) ? '{}' : '[]');
    if (this.hasErrorBetween(start, nextLineStartAt(this.text, this.blockEnd(end, this.column(start))))) {
      return failed('syntax error near the entry');
    }
    if (isFirstOnLine(this.text, start)) return edited([edit(this.file, wholeLines(this.text, start, end), '')]);
    const next = index < count - 1 ? entryStart(index + 1) : undefined;
    if (next === undefined) return failed('unusual layout');
    return edited([edit(this.file, { start, end: next }, '')]);
  }
}

function isNodeLike(value: unknown): value is Node {
  return isScalar(value) || isMap(value) || isSeq(value) || isAlias(value);
}
