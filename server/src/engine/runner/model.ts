// The GitLab Runner `config.toml` model, with source ranges for every key and value so that rules can point at
// the runner key and fixes can edit it. Built by `parseRunnerConfig` (config.ts).

import type { Finding, Span } from '../types';

export type TomlScalar = string | number | boolean | Date;
export type TomlData = TomlScalar | TomlData[] | { [key: string]: TomlData };

/** One `key = value` entry of a table, with ranges. */
export interface TomlEntry {
  readonly key: string;
  readonly keySpan: Span;
  readonly value: TomlData;
  readonly valueSpan: Span;
  /** For array values: the range of each element, in order. */
  readonly itemSpans: readonly Span[];
  /** The whole `key = value` line range (from the key's start to the value's end). */
  readonly span: Span;
}

/** A TOML table (`[runners.docker]`, one `[[runners]]` element, an inline table, or an implicit parent). */
export interface TomlTable {
  /** Dotted path without array indices, e.g. `runners.docker`. */
  readonly path: string;
  /** Range of the `[header]`/`[[header]]`, or of the key for inline/dotted tables; null for implicit tables. */
  readonly headerSpan: Span | null;
  /** Offset where a new `key = value` line may be inserted at the end of this table's own entries. */
  readonly insertOffset: number;
  /** Indentation used by this table's entries (or a sensible default when it has none). */
  readonly indent: string;
  readonly entries: ReadonlyMap<string, TomlEntry>;
  /** Sub-tables by key; arrays of tables (`[[runners.docker.services]]`) by key in `tableArrays`. */
  readonly tables: ReadonlyMap<string, TomlTable>;
  readonly tableArrays: ReadonlyMap<string, readonly TomlTable[]>;
  /**
   * How the table is written: the root, a `[header]`, one `[[header]]` element, an implicit parent (named only by
   * a deeper header), a dotted-key table (`docker.privileged = true`) or an inline table (`{ ... }`).
   */
  readonly kind?: TomlTableKind;
  /** Range of this table's own (last) key part where it is first named; null for the root. */
  readonly keySpan?: Span | null;
  /**
   * Prefix a key inserted at `insertOffset` needs to land in this table: empty for header tables, the dotted path
   * from the enclosing header table for dotted and implicit tables (e.g. `docker.`). See `insertEntryEdit`.
   */
  readonly keyPrefix?: string;
  /**
   * Indentation every line of the TOML carries in its file, already included in `indent`: the block indentation of
   * a config embedded in a Helm values.yaml (`runners.config: |`); absent for a config.toml.
   */
  readonly baseIndent?: string;
}

export type TomlTableKind = 'root' | 'header' | 'array-element' | 'implicit' | 'dotted' | 'inline';

export const DOCKER_LIKE_EXECUTORS = ['docker', 'docker+machine', 'docker-autoscaler', 'docker-windows'] as const;

export interface RunnerService {
  readonly table: TomlTable;
  readonly name: string | null;
  readonly alias: string | null;
  readonly command: readonly string[] | null;
  readonly entrypoint: readonly string[] | null;
  /** `environment = ["K=V"]` of the service. */
  readonly environment: ReadonlyMap<string, string>;
  /** Range of the `"K=V"` item that defines each key of `environment`. */
  readonly environmentSpans?: ReadonlyMap<string, Span>;
}

export interface Runner {
  readonly file: string;
  /** Index among the file's `[[runners]]`. */
  readonly index: number;
  /** `name = "..."`, or null when absent. */
  readonly name: string | null;
  /** `name`, or `runners[<index>]` when unnamed: what findings call the runner. */
  readonly label: string;
  /** The `[[runners]]` table itself. */
  readonly table: TomlTable;
  /** `executor`, or null when absent. */
  readonly executor: string | null;
  /** Docker-like: docker, docker+machine, docker-autoscaler (docker-windows is reported separately). */
  readonly dockerLike: boolean;
  /** `environment = ["K=V", ...]` parsed; the entry's range is `table.entries.get('environment')`. */
  readonly environment: ReadonlyMap<string, string>;
  /** Range of the `"K=V"` item that defines each key of `environment`. */
  readonly environmentSpans?: ReadonlyMap<string, Span>;
  /** `[runners.feature_flags]`. */
  readonly featureFlags: ReadonlyMap<string, boolean>;
  /** `[runners.docker]`, or null when the section is absent. */
  readonly docker: TomlTable | null;
  /** `[runners.kubernetes]`, or null when the section is absent. */
  readonly kubernetes: TomlTable | null;
  /** `[[runners.docker.services]]` or `[[runners.kubernetes.services]]` for the runner's executor. */
  readonly services: readonly RunnerService[];
}

export interface RunnerConfig {
  readonly file: string;
  /** The top-level table (global keys: concurrent, check_interval, ...). */
  readonly root: TomlTable;
  readonly runners: readonly Runner[];
  /** `toml-syntax` errors and schema findings (unknown keys, wrong types). */
  readonly findings: readonly Finding[];
}
