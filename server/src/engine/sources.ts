import { LineIndex } from './text';
import { parseToml, type ParsedToml } from './toml/parse';
import type { Finding, Host, ReadResult } from './types';
import { parseYaml, type ParsedYaml } from './yaml/parse';

/** Files larger than this are not parsed (a finding says so). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

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

  constructor(
    readonly host: Host,
    private readonly parseCache: ParseCache = new ParseCache(),
  ) {}

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

  toml(path: string): ParsedToml | undefined {
    const f = this.file(path);
    return f && this.parseCache.toml(path, f.text);
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

/** What one cached rule run read, so a later analysis can tell whether the run would give the same findings. */
export interface RuleRunDeps {
  /** The analysis settings, serialised. */
  readonly settings: string;
  /** Files the run read (through the source store), with the text it saw (null: not readable). */
  readonly files: ReadonlyMap<string, string | null>;
  /** Fingerprint of `jobsOnRunner`, when the run looked at it. */
  readonly jobsOnRunner: string | null;
  /** The pipeline's file list, when the run looked at the pipeline (its texts are in `files`). */
  readonly pipelineFiles: string | null;
  /** The pipeline's model findings, serialised, when the run looked at them. */
  readonly pipelineFindings: string | null;
}

export interface RuleRun {
  readonly deps: RuleRunDeps;
  readonly findings: readonly Finding[];
}

/**
 * Job-rule results kept between analyses, keyed by rule, job content and runner. Entries not used by the latest
 * analysis are dropped when it ends, so the store holds at most one workspace's results.
 */
export class RuleResults {
  private current = new Map<string, Map<string, RuleRun>>();
  private next = new Map<string, Map<string, RuleRun>>();

  /** The run stored for `key` (rule, runner, settings) on a job with fingerprint `job`. */
  get(job: string, key: string): RuleRun | undefined {
    return this.next.get(job)?.get(key) ?? this.current.get(job)?.get(key);
  }

  set(job: string, key: string, run: RuleRun): void {
    let runs = this.next.get(job);
    if (!runs) this.next.set(job, (runs = new Map<string, RuleRun>()));
    runs.set(key, run);
  }

  /** Ends an analysis: keeps only the entries it used or stored. */
  commit(): void {
    this.current = this.next;
    this.next = new Map();
  }

  /** Jobs with stored runs. */
  get size(): number {
    return this.current.size;
  }
}

/** Parse results keyed by path and exact text; kept by the LSP server between analyses. */
export class ParseCache {
  /** Job-rule results (used by `analyze` when a cache is passed in). */
  readonly results = new RuleResults();
  private readonly yamlCache = new Map<string, CacheEntry<ParsedYaml>>();
  private readonly tomlCache = new Map<string, CacheEntry<ParsedToml>>();
  private readonly lineCache = new Map<string, CacheEntry<LineIndex>>();

  lines(path: string, text: string): LineIndex {
    return this.get(this.lineCache, path, text, () => new LineIndex(text));
  }

  yaml(path: string, text: string): ParsedYaml {
    return this.get(this.yamlCache, path, text, () => parseYaml(text));
  }

  toml(path: string, text: string): ParsedToml {
    return this.get(this.tomlCache, path, text, () => parseToml(text));
  }

  forget(path: string): void {
    this.yamlCache.delete(path);
    this.tomlCache.delete(path);
    this.lineCache.delete(path);
  }

  private get<T>(cache: Map<string, CacheEntry<T>>, path: string, text: string, make: () => T): T {
    const hit = cache.get(path);
    if (hit && hit.text === text) return hit.value;
    const value = make();
    cache.set(path, { text, value });
    return value;
  }
}
