import { RuleResults } from './results';
import { LineIndex } from './text';
import { parseToml, type ParsedToml } from './toml/parse';
import type { Host, ReadResult } from './types';
import {
  blockTree,
  fullTree,
  updateTree,
  type ConvertedYaml,
  type TreeState,
  type TreeStats,
} from './yaml/incremental';
import { parseYaml, type ParsedYaml } from './yaml/parse';

/** Files larger than this are not parsed (a finding says so). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** A value computed from files, with a print that identifies it (equal prints: equal values). */
export interface Derived<T> {
  readonly value: T;
  readonly print: string;
}

/** Computes a derived value, reading files through `sources` only. */
export type Derivation<T> = (sources: SourceStore) => Derived<T>;

export interface SourceFile {
  readonly path: string;
  readonly text: string;
  readonly lines: LineIndex;
}

/**
 * Reads every file at most once per analysis and parses it at most once per text. Parse results are cached across
 * analyses by path and exact text, so an edit in one file re-parses only that file.
 */
export class SourceStore {
  private readonly reads = new Map<string, ReadResult>();
  private readonly files = new Map<string, SourceFile>();
  private readonly derived = new Map<string, Derived<unknown>>();

  constructor(
    readonly host: Host,
    private readonly parseCache: ParseCache = new ParseCache(),
  ) {}

  /** The cache kept between analyses (a fresh one when none was given). */
  get cache(): ParseCache {
    return this.parseCache;
  }

  read(path: string): ReadResult {
    let r = this.reads.get(path);
    if (r === undefined) {
      try {
        r = this.host.readFile(path);
        if (r.kind === 'ok' && r.text.length > MAX_FILE_BYTES) {
          r = { kind: 'error', message: `too large (${r.text.length} characters; the limit is ${MAX_FILE_BYTES})` };
        }
      } catch (e) {
        r = { kind: 'error', message: e instanceof Error ? e.message : String(e) };
      }
      this.reads.set(path, r);
    }
    return r;
  }

  /** The file's text with its line index, or undefined when it cannot be read. */
  file(path: string): SourceFile | undefined {
    const cached = this.files.get(path);
    if (cached) return cached;
    const r = this.read(path);
    if (r.kind !== 'ok') return undefined;
    const f: SourceFile = { path, text: r.text, lines: this.parseCache.lines(path, r.text) };
    this.files.set(path, f);
    return f;
  }

  yaml(path: string): ParsedYaml | undefined {
    const f = this.file(path);
    return f && this.parseCache.yaml(path, f.text);
  }

  /**
   * A pipeline file converted to a tree (updated incrementally after an edit; see `ParseCache.ciTree`): undefined
   * when it cannot be read, null when it has several documents (a `spec:` header; use `yaml` and convert that).
   */
  ciTree(path: string): ConvertedYaml | null | undefined {
    const f = this.file(path);
    return f && this.parseCache.ciTree(path, f.text);
  }

  toml(path: string): ParsedToml | undefined {
    const f = this.file(path);
    return f && this.parseCache.toml(path, f.text);
  }

  /**
   * A value computed from files (e.g. facts of every file of a pipeline), once per analysis for each `key`; the key
   * must name everything `compute` depends on besides file texts. A cached rule run that asks for it depends on its
   * print instead of on the texts of the files `compute` read, so an edit that leaves the value equal keeps the run.
   */
  derive<T>(key: string, compute: Derivation<T>): Derived<T> {
    let d = this.derived.get(key) as Derived<T> | undefined;
    if (d === undefined) this.derived.set(key, (d = compute(this)));
    return d;
  }

  /** The text of every file read so far (null: missing or unreadable). */
  texts(): Map<string, string | null> {
    const out = new Map<string, string | null>();
    for (const [path, r] of this.reads) out.set(path, r.kind === 'ok' ? r.text : null);
    return out;
  }

  /** Every file read so far. */
  loaded(): IterableIterator<SourceFile> {
    return this.files.values();
  }
}

interface CacheEntry<T> {
  text: string;
  value: T;
}

export interface ParseCacheOptions {
  /**
   * Whether a pipeline file is first built block by block (`blockTree`; default true). False gives the reference: a
   * full parse and conversion of every version.
   */
  readonly blockwise?: boolean;
}

/** Parse results keyed by path and exact text; kept by the LSP server between analyses. */
export class ParseCache {
  /** Job-rule results (used by `analyze` when a cache is passed in). */
  readonly results = new RuleResults();
  private readonly yamlCache = new Map<string, CacheEntry<ParsedYaml>>();
  private readonly tomlCache = new Map<string, CacheEntry<ParsedToml>>();
  private readonly lineCache = new Map<string, CacheEntry<LineIndex>>();
  private readonly slots = new Map<string, unknown>();
  private readonly treeCache = new Map<string, TreeState>();
  /** How the converted trees were built (tests check that an edit inside a block re-parses only that block). */
  readonly treeStats: TreeStats = { full: 0, blockwise: 0, blocks: 0 };
  private readonly blockwise: boolean;

  constructor(options: ParseCacheOptions = {}) {
    this.blockwise = options.blockwise ?? true;
  }

  lines(path: string, text: string): LineIndex {
    return this.get(this.lineCache, path, text, () => new LineIndex(text));
  }

  yaml(path: string, text: string): ParsedYaml {
    return this.get(this.yamlCache, path, text, () => parseYaml(text));
  }

  /**
   * The file converted to a tree without include inputs, or null when it has several documents. After an edit
   * inside one top-level block only that block is re-parsed; otherwise the file is parsed block by block when it
   * allows (`blockTree`: the parser's structures for one block are garbage before the next is parsed), else whole. The
   * result always equals a full parse and conversion. A full parse made here is not kept (the tree is what is kept;
   * `yaml` parses again when a fix editor or hover asks), and a parse of an older text is dropped.
   */
  ciTree(path: string, text: string): ConvertedYaml | null {
    const prev = this.treeCache.get(path);
    if (prev?.text === text) return prev.value;
    const kept = this.yamlCache.get(path);
    if (kept && kept.text !== text) this.yamlCache.delete(path);
    const parsed = kept?.text === text ? kept.value : undefined;
    // Not block by block when a parse of this text is at hand, or when the last version did not split into clean
    // blocks: a file with a syntax error mostly still has it after the next keystroke, and would be parsed twice.
    const blockwise = this.blockwise && !parsed && (!prev || prev.blocks !== null);
    const next =
      (prev && updateTree(prev, path, text, this.treeStats)) ??
      (blockwise ? blockTree(path, text, this.treeStats) : undefined) ??
      fullTree(path, text, parsed ?? parseYaml(text), this.treeStats);
    this.treeCache.set(path, next);
    return next.value;
  }

  toml(path: string, text: string): ParsedToml {
    return this.get(this.tomlCache, path, text, () => parseToml(text));
  }

  /**
   * A value another layer computes from one file's text (`kind` names the computation), kept while the file's text
   * is the same, as this cache keeps its own parses.
   */
  byText<T>(kind: string, path: string, text: string, make: () => T): T {
    return this.get(
      this.slot(`by-text\0${kind}`, () => new Map<string, CacheEntry<T>>()),
      path,
      text,
      make,
    );
  }

  /** A value another layer keeps between analyses under `key`, made on first use. */
  slot<T>(key: string, make: () => T): T {
    let value = this.slots.get(key) as T | undefined;
    if (value === undefined) this.slots.set(key, (value = make()));
    return value;
  }

  forget(path: string): void {
    this.yamlCache.delete(path);
    this.tomlCache.delete(path);
    this.lineCache.delete(path);
    this.treeCache.delete(path);
  }

  private get<T>(cache: Map<string, CacheEntry<T>>, path: string, text: string, make: () => T): T {
    const hit = cache.get(path);
    if (hit && hit.text === text) return hit.value;
    const value = make();
    cache.set(path, { text, value });
    return value;
  }
}
