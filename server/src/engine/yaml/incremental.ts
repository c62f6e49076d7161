// The converted tree of a pipeline file, updated incrementally. A pipeline file is a mapping of top-level blocks
// (jobs, templates, `default:`, ...); after an edit inside one block (below its key line) only that block is
// re-parsed and converted on its own, and the root is rebuilt from the previous entries. Whenever the result could
// differ from a full parse and conversion, the whole file is parsed again.

import { isAlias, isMap, isScalar, isSeq, type Document } from 'yaml';

import {
  Converter,
  makeMap,
  MAX_EXPANDED_NODES,
  type AnchorRecord,
  lazyShiftEntry,
  noteMoved,
  type ConvertProblem,
  type TEntry,
  type TMap,
  type TNode,
} from '../ci/tree';
import { changedRegion } from '../shift';
import type { Span } from '../types';
import { parseYaml, type ParsedYaml, type YamlSyntaxProblem } from './parse';

/** A pipeline file (one document, no `spec:` header) converted to a tree, with its problems. */
export interface ConvertedYaml {
  /** The converted body; null for an empty document or an alias bomb. */
  readonly tree: TNode | null;
  /** Problems of the conversion (alias cycles, alias bombs, merge keys of non-mappings). */
  readonly problems: readonly ConvertProblem[];
  /** The parser's problems (syntax errors, duplicate keys), as `ParsedYaml.problems`. */
  readonly syntax: readonly YamlSyntaxProblem[];
  /**
   * The tree's entries hold exactly the document's data (`toJSON()` of each top-level value equals `toPlain` of its
   * node, and each mapping's first pair for a key is its only one): no syntax problem or warning, no alias, no merge
   * key, no collection or `__proto__` key. `!reference` nodes are `ref` nodes in the tree and sequences in the document.
   * Anchors alone do not change the data.
   */
  readonly plain: boolean;
  /**
   * When the tree's top-level keys are the document's (one clean block mapping), the keys whose values are plain in
   * the sense of `plain`; null otherwise.
   */
  readonly plainKeys: ReadonlySet<string> | null;
}

/** Counters for tests and measurements: how the trees were (re)built. */
export interface TreeStats {
  /** Files parsed and converted as a whole. */
  full: number;
  /** Files parsed and converted block by block (`blockTree`). */
  blockwise: number;
  /** Edits served by re-parsing one top-level block. */
  blocks: number;
}

/** What an incremental update needs to know of the previous version of a file. */
export interface TreeState {
  readonly text: string;
  /** Null when the file has several documents (a `spec:` header): the caller uses the parsed document instead. */
  readonly value: ConvertedYaml | null;
  /** The top-level blocks in order, or null when the file does not qualify for incremental updates. */
  readonly blocks: readonly Block[] | null;
  /**
   * The anchors of the file in order, with their converted trees; `tree` is undefined for anchors in blocks an
   * update moved (their trees are copies this state does not track): an alias to one makes the next update full.
   */
  readonly anchors: readonly { readonly name: string; readonly start: number; readonly tree?: TNode }[];
}

interface Block extends Flags {
  /** Offset of the block's key (column 0). The block runs to the next block's start, or the end of the text. */
  readonly start: number;
  /** Offset of the block's second line: edits from here on keep the key. */
  readonly body: number;
}

interface Flags {
  /** The block defines anchors (aliases elsewhere may depend on it), or holds something never updated alone. */
  linked: boolean;
  /** Names the block's aliases refer to (it depends on anchors before it); `<<` merge keys go with them. */
  aliases: Set<string>;
  /** See `ConvertedYaml.plain`. */
  plain: boolean;
}

/** Characters after which a block's text is not trusted to parse alone as it does in the file. */
const UNSAFE_TEXT = /[\t\uFEFF\x85\u2028\u2029]|\r(?!\n)/;

/** Parses and converts `text` as a whole. `parsed` is its parse (shared with the parse cache). */
export function fullTree(file: string, text: string, parsed: ParsedYaml, stats: TreeStats): TreeState {
  stats.full++;
  if (parsed.documents.length > 1) return { text, value: null, blocks: null, anchors: [] };
  const body = parsed.body;
  if (!body) {
    return {
      text,
      value: { tree: null, problems: [], syntax: parsed.problems, plain: false, plainKeys: null },
      blocks: null,
      anchors: [],
    };
  }
  const converter = new Converter(body, file, text, null);
  const tree = converter.convertRoot();
  const blocks = blocksOf(body, text, parsed.problems.length === 0 && converter.problems.length === 0, tree);
  const plain = blocks !== null && blocks.every((b) => b.plain);
  const anchors = [...converter.anchors].sort((a, b) => a.start - b.start);
  const value = {
    tree,
    problems: converter.problems,
    syntax: parsed.problems,
    plain,
    plainKeys: plainKeysOf(tree, blocks),
  };
  return { text, value, blocks, anchors };
}

/**
 * The tree of `text` built from the previous version's, when the edit lies inside one top-level block below its key
 * line and re-parsing that block alone is sure to give what a full parse would; undefined otherwise.
 */
export function updateTree(prev: TreeState, file: string, text: string, stats: TreeStats): TreeState | undefined {
  const blocks = prev.blocks;
  const root = prev.value?.tree;
  if (!blocks || root?.kind !== 'map') return undefined;
  const old = prev.text;
  const change = changedRegion(old, text);
  if (!change) return undefined;
  const { start: from, oldEnd: to, delta } = change;

  const i = blockAt(blocks, from);
  const block = blocks[i];
  if (!block || block.linked || from < block.body) return undefined;
  const next = blocks[i + 1];
  const end = next ? next.start : old.length;
  if (to > end) return undefined;
  // An edit touching a CR may change a line ending (CRLF ↔ LF, or a lone CR): always parsed as a whole.
  if (
    old.slice(Math.max(0, from - 1), to + 1).includes('\r') ||
    text.slice(Math.max(0, from - 1), to + delta + 1).includes('\r')
  ) {
    return undefined;
  }
  const source = text.slice(block.start, end + delta);
  if (!safeBlockText(source, next !== undefined)) return undefined;

  const alone = parseBlock(source);
  if (!alone || alone.flags.linked) return undefined;
  const flags = alone.flags;
  // Aliases resolve to the last anchor of their name before the block, as they did in the previous version.
  const external = new Map<string, TNode>();
  for (const a of prev.anchors) {
    if (a.start >= block.start) break;
    if (a.tree) external.set(a.name, a.tree);
    else external.delete(a.name);
  }
  for (const name of flags.aliases) if (!external.has(name)) return undefined;

  const converted = convertBlock(alone.doc, file, text, block.start, external);
  if (!converted) return undefined;
  const { key, entry } = converted;
  const oldKeys = [...root.entries.keys()];
  if (oldKeys[i] !== key || oldKeys.length !== blocks.length) return undefined;

  const entries = new Map<string, TEntry>();
  let index = 0;
  for (const [k, e] of root.entries) {
    if (index < i || index === i) entries.set(k, index < i ? e : entry);
    else {
      const moved = lazyShiftEntry(e, end, delta);
      noteMoved(moved, { from: e, file, at: end, delta });
      entries.set(k, moved);
    }
    index++;
  }
  const span = { start: root.span.start, end: next ? root.span.end + delta : converted.span.end };
  const tree: TMap = makeMap(file, span, entries);
  if (tree.size > MAX_EXPANDED_NODES) return undefined;

  stats.blocks++;
  const newBlocks = blocks.map((b, j): Block => {
    if (j < i) return b;
    if (j === i) return { start: b.start, body: b.body, ...flags };
    return { ...b, start: b.start + delta, body: b.body + delta };
  });
  const plain = newBlocks.every((b) => b.plain);
  // The edited block defines no anchor; anchors below it moved with their blocks.
  const anchors = prev.anchors.map((a) => (a.start < block.start ? a : { name: a.name, start: a.start + delta }));
  // The keys are the same; the set changes only when the edited block's plainness did.
  const kept = block.plain === flags.plain ? prev.value?.plainKeys : undefined;
  const value = { tree, problems: [], syntax: [], plain, plainKeys: kept ?? plainKeysOf(tree, newBlocks) };
  return { text, value, blocks: newBlocks, anchors };
}

/**
 * The tree of `text` built block by block, as `updateTree` re-parses one block: each top-level block is parsed and
 * converted on its own (aliases resolve to the anchors of the blocks before it), so the parser's intermediate
 * structures of one block are garbage before the next is parsed, instead of the whole file's living through the
 * parse and the conversion. Undefined whenever the result could differ from `fullTree` (the caller then parses the
 * whole file): anything before the first key but comments and blank lines, a block that does not parse alone to one
 * clean pair, a duplicate top-level key, a top-level merge key, an alias bomb.
 */
export function blockTree(file: string, text: string, stats: TreeStats): TreeState | undefined {
  try {
    return blocksToTree(file, text, stats);
  } catch {
    // Nesting too deep for the walks of one block: the full parse reports it.
    return undefined;
  }
}

function blocksToTree(file: string, text: string, stats: TreeStats): TreeState | undefined {
  if (UNSAFE_TEXT.test(text)) return undefined;
  const starts = blockStarts(text);
  if (!starts) return undefined;
  const entries = new Map<string, TEntry>();
  const blocks: Block[] = [];
  const anchors: AnchorRecord[] = [];
  /** The last anchor of each name so far (what an alias in the next block refers to). */
  const external = new Map<string, TNode>();
  let end = 0;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] as number;
    const next = starts[i + 1];
    const alone = parseBlock(text.slice(start, next ?? text.length));
    if (!alone) return undefined;
    const converted = convertBlock(alone.doc, file, text, start, external);
    if (!converted || entries.has(converted.key)) return undefined;
    entries.set(converted.key, converted.entry);
    blocks.push({ start, body: lineEnd(text, start) + 1, ...alone.flags });
    const own = [...converted.anchors].sort((a, b) => a.start - b.start);
    for (const a of own) external.set(a.name, a.tree);
    anchors.push(...own);
    end = converted.span.end;
  }
  const tree: TMap = makeMap(file, { start: starts[0] as number, end }, entries);
  if (tree.size > MAX_EXPANDED_NODES) return undefined;
  stats.blockwise++;
  const plain = blocks.every((b) => b.plain);
  const value = { tree, problems: [], syntax: [], plain, plainKeys: plainKeysOf(tree, blocks) };
  return { text, value, blocks, anchors };
}

/**
 * A top-level block's text parsed alone: one clean document holding one pair, whose key is a non-empty plain key at
 * the block's start and not a merge key (which merges into the root mapping). Undefined otherwise.
 */
function parseBlock(source: string): { readonly doc: Document.Parsed; readonly flags: Flags } | undefined {
  const parsed = parseYaml(source);
  const doc = parsed.documents[0];
  if (parsed.documents.length !== 1 || !doc || parsed.problems.length > 0 || doc.warnings.length > 0) return undefined;
  const map = doc.contents;
  if (!isMap(map) || map.flow || map.items.length !== 1) return undefined;
  const key = map.items[0]?.key;
  // An empty key (a line starting with `:`) is placed at the end of the line before it by a full parse.
  if (!isScalar(key) || key.range?.[0] !== 0 || key.range[1] === 0) return undefined;
  if (key.value === '<<' || key.value === '__proto__') return undefined;
  return { doc, flags: scanPair(key, map.items[0]?.value) };
}

/**
 * A block parsed alone (`parseBlock`) converted at its offset `start` in `text`, its aliases resolved inside it or to
 * `external` (the anchors before it): its one entry, its span and the anchors it defines. Undefined when the
 * conversion has problems.
 */
function convertBlock(
  doc: Document.Parsed,
  file: string,
  text: string,
  start: number,
  external: ReadonlyMap<string, TNode>,
): { key: string; entry: TEntry; span: Span; anchors: readonly AnchorRecord[] } | undefined {
  const converter = new Converter(doc, file, text, null, start, external);
  const converted = converter.convertRoot();
  if (converted?.kind !== 'map' || converter.problems.length > 0 || converted.entries.size !== 1) return undefined;
  const [key, entry] = [...converted.entries][0] ?? [];
  if (key === undefined || entry === undefined) return undefined;
  return { key, entry, span: converted.span, anchors: converter.anchors };
}

/**
 * Offsets of the lines that start a top-level block (a character other than a space, `#` or a line break at column
 * 0), or null when a line before the first one is neither blank nor a comment, or there is no block.
 */
function blockStarts(text: string): number[] | null {
  const starts: number[] = [];
  for (let at = 0; at < text.length;) {
    const c = text[at];
    if (c === '#' || c === '\n' || c === '\r') {
      // A comment or blank line: skip it.
    } else if (c === ' ') {
      if (starts.length === 0 && !/^ *(#.*)?\r?$/.test(text.slice(at, lineEnd(text, at)))) return null;
    } else starts.push(at);
    at = lineEnd(text, at) + 1;
  }
  return starts.length > 0 ? starts : null;
}

/** The offset of the line break ending the line at `at` (the text's length on the last line). */
function lineEnd(text: string, at: number): number {
  const n = text.indexOf('\n', at);
  return n < 0 ? text.length : n;
}

/** The top-level keys of plain blocks (blocks and the tree's entries are in the same order, one per key). */
function plainKeysOf(tree: TNode | null, blocks: readonly Block[] | null): ReadonlySet<string> | null {
  if (!blocks || tree?.kind !== 'map' || tree.entries.size !== blocks.length) return null;
  const keys = new Set<string>();
  let j = 0;
  for (const key of tree.entries.keys()) if ((blocks[j++] as Block).plain) keys.add(key);
  return keys;
}

/** The last block whose body starts at or before `offset` (0 when none does). */
function blockAt(blocks: readonly Block[], offset: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((blocks[mid] as Block).body <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Whether a block's text parses alone as it does inside the file: it ends with a line break (unless it is the last
 * block), every later line at column 0 is blank or a comment (no new key, document marker, directive or flow
 * continuation), and it holds no tab, byte-order mark, lone CR or Unicode line separator.
 */
function safeBlockText(source: string, followed: boolean): boolean {
  if (followed && !source.endsWith('\n')) return false;
  if (UNSAFE_TEXT.test(source)) return false;
  for (let at = source.indexOf('\n'); at >= 0 && at + 1 < source.length; at = source.indexOf('\n', at + 1)) {
    const c = source[at + 1];
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '#') return false;
  }
  return true;
}

/** The top-level blocks of a document that qualifies for incremental updates, or null. */
function blocksOf(doc: Document.Parsed, text: string, clean: boolean, tree: TNode | null): Block[] | null {
  const root = doc.contents;
  if (!clean || doc.warnings.length > 0 || !isMap(root) || root.flow || tree?.kind !== 'map') return null;
  if (tree.entries.size !== root.items.length) return null;
  const blocks: Block[] = [];
  for (const pair of root.items) {
    const start = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
    if (start === undefined || (start > 0 && text[start - 1] !== '\n')) return null;
    blocks.push({ start, body: lineEnd(text, start) + 1, ...scanPair(pair.key, pair.value) });
  }
  for (let j = 1; j < blocks.length; j++) if ((blocks[j] as Block).start <= (blocks[j - 1] as Block).start) return null;
  return blocks;
}

/**
 * What a block holds that ties it to other blocks: anchors it defines (`linked`, with anything else that keeps it from
 * being updated alone) and the names its aliases use; and whether its tree is its document data (`plain`).
 */
function scanPair(key: unknown, value: unknown): Flags {
  const flags: Flags = { linked: false, aliases: new Set(), plain: true };
  try {
    // A top-level merge key merges into the root mapping: never updated alone.
    if (isScalar(key) && (key.value === '<<' || key.value === '__proto__')) {
      flags.linked = true;
      flags.plain = false;
    }
    scan(key, flags);
    scan(value, flags);
  } catch {
    // Nesting too deep for the walk: treat the block as linked (never updated on its own).
    flags.linked = true;
    flags.plain = false;
  }
  if (flags.aliases.size > 0) flags.plain = false;
  return flags;
}

function scan(node: unknown, flags: Flags): void {
  if (isAlias(node)) {
    flags.aliases.add(node.source);
    return;
  }
  if (node && typeof node === 'object' && (node as { anchor?: string }).anchor) flags.linked = true;
  if (isMap(node)) {
    for (const p of node.items) {
      if (isScalar(p.key)) {
        // A merge key without an alias merges a literal mapping: parsed alone just the same, but not plain data.
        if (p.key.value === '<<') flags.plain = false;
        if (p.key.value === '__proto__') flags.plain = false;
        if (p.key.anchor) flags.linked = true;
      } else if (p.key !== null && p.key !== undefined) {
        flags.plain = false;
        scan(p.key, flags);
      }
      scan(p.value, flags);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) scan(item, flags);
  }
}
