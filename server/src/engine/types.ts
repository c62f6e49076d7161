import type { Msg } from './i18n';

// Core types shared by every layer of the engine. The engine is pure: it never touches the disk, the network or
// an editor API. Everything it reads comes through `Host`; everything it decides is a `Finding`.

/** A half-open range of UTF-16 code unit offsets into one file's text (JavaScript string indices). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** A text replacement in one file. `span` is in offsets of the file's text as the engine read it. */
export interface TextEdit {
  readonly file: string;
  readonly span: Span;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  /** The title as a localisable message (adapters render it in the client's locale; `title` is its English text). */
  readonly l10nTitle?: Msg;
  /** Safe fixes are applied by `--fix` and by the fix-all action. */
  readonly safe: boolean;
  /** The recommended repair when several are offered. */
  readonly preferred?: boolean;
  readonly edits: readonly TextEdit[];
}

export interface RelatedLocation {
  readonly file: string;
  readonly span: Span;
  readonly message: string;
}

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  /** English text. */
  readonly message: string;
  /** The message as a localisable message, when its producer wrote one (adapters render it in the client's locale). */
  readonly l10n?: Msg;
  readonly file: string;
  readonly span: Span;
  /** Non-hidden job the finding is about, or null for file-level findings. */
  readonly job: string | null;
  /** `name` of the `[[runners]]` entry, or null. */
  readonly runner: string | null;
  readonly related: readonly RelatedLocation[];
  readonly fixes: readonly Fix[];
  /** Set by a lazy analysis when the rule deferred its fixes: `fixes` is empty and `fixesFor` computes them. */
  readonly deferredFixes?: true;
}

/** Result of reading one file through the host. */
export type ReadResult =
  | { readonly kind: 'ok'; readonly text: string; readonly version?: number }
  | { readonly kind: 'missing' }
  | { readonly kind: 'error'; readonly message: string };

export interface DirEntry {
  readonly name: string;
  readonly isDirectory: boolean;
}

/**
 * How the engine sees files. Paths are absolute, with `/` separators (adapters translate URIs and Windows paths).
 * The LSP adapter serves open documents first and the disk second; the CLI serves the disk; tests serve memory.
 */
export interface Host {
  readFile(path: string): ReadResult;
  /** Entries of a directory, or undefined when it does not exist or cannot be read. */
  readDirectory(path: string): readonly DirEntry[] | undefined;
}

/** Text of a file with a cached line index, to convert offsets to zero-based line/character positions. */
export interface Position {
  readonly line: number;
  readonly character: number;
}
