// Applying fixes: text edits grouped by file, checked for overlaps, applied by offset so that every byte outside
// an edit (line breaks included) stays as it was. Used by `--fix`, the fix-all action and the tests.

import type { LineIndex } from './text';
import type { Finding, Fix, Position, Span, TextEdit } from './types';

/** A zero-based, end-exclusive line/character range (UTF-16), as LSP uses. */
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type SkipReason = 'overlap' | 'invalid-range' | 'unknown-file';

export interface SkippedFix {
  readonly fix: Fix;
  readonly reason: SkipReason;
}

export interface FixPlan {
  /** Fixes accepted, in the order given. */
  readonly applied: readonly Fix[];
  /** Fixes left out, with why: they overlap an accepted one, an edit falls outside its file, or the file is unknown. */
  readonly skipped: readonly SkippedFix[];
  /** Accepted edits by file, sorted by position, without duplicates. */
  readonly edits: ReadonlyMap<string, readonly TextEdit[]>;
}

export interface FixResult extends FixPlan {
  /** New text of every file some accepted edit changes (files left unchanged are absent). */
  readonly texts: ReadonlyMap<string, string>;
}

/**
 * Whether two edits of one file conflict: their ranges share text, or both insert at the same offset (the result
 * would depend on their order). An insertion at the boundary of a replacement does not conflict.
 */
export function editsConflict(a: Span, b: Span): boolean {
  if (a.start < b.end && b.start < a.end) return true;
  return a.start === a.end && b.start === b.end && a.start === b.start;
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.file === b.file && a.span.start === b.span.start && a.span.end === b.span.end && a.newText === b.newText;
}

function validSpan(span: Span, length: number): boolean {
  return (
    Number.isInteger(span.start) &&
    Number.isInteger(span.end) &&
    span.start >= 0 &&
    span.start <= span.end &&
    span.end <= length
  );
}

/**
 * Chooses which fixes to apply together. A fix is all or nothing: it is skipped when one of its edits overlaps an
 * edit of a fix accepted before it (or another of its own edits), falls outside its file, or names a file whose
 * text `textOf` does not know. An edit identical to an accepted one is not a conflict (two findings may offer the
 * same repair); it is applied once.
 */
export function planFixes(fixes: readonly Fix[], textOf: (file: string) => string | undefined): FixPlan {
  const accepted = new Map<string, TextEdit[]>();
  const applied: Fix[] = [];
  const skipped: SkippedFix[] = [];
  for (const fix of fixes) {
    const reason = checkFix(fix, accepted, textOf);
    if (reason) {
      skipped.push({ fix, reason });
      continue;
    }
    applied.push(fix);
    for (const edit of fix.edits) {
      let list = accepted.get(edit.file);
      if (!list) accepted.set(edit.file, (list = []));
      if (!list.some((e) => sameEdit(e, edit))) list.push(edit);
    }
  }
  const edits = new Map<string, readonly TextEdit[]>();
  for (const [file, list] of accepted) edits.set(file, [...list].sort(byPosition));
  return { applied, skipped, edits };
}

function checkFix(
  fix: Fix,
  accepted: ReadonlyMap<string, readonly TextEdit[]>,
  textOf: (file: string) => string | undefined,
): SkipReason | undefined {
  const own: TextEdit[] = [];
  for (const edit of fix.edits) {
    const text = textOf(edit.file);
    if (text === undefined) return 'unknown-file';
    if (!validSpan(edit.span, text.length)) return 'invalid-range';
    const earlier = [...(accepted.get(edit.file) ?? []), ...own.filter((e) => e.file === edit.file)];
    if (earlier.some((e) => !sameEdit(e, edit) && editsConflict(e.span, edit.span))) return 'overlap';
    own.push(edit);
  }
  return undefined;
}

function byPosition(a: TextEdit, b: TextEdit): number {
  return a.span.start - b.span.start || a.span.end - b.span.end;
}

/**
 * Applies non-conflicting edits of one file to its text by offset. Edits are sorted here; the caller guarantees
 * they do not conflict (use `planFixes`). Returns the text unchanged when an edit's range is invalid.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort(byPosition);
  if (!sorted.every((e) => validSpan(e.span, text.length))) return text;
  let out = '';
  let cursor = 0;
  for (const e of sorted) {
    if (e.span.start < cursor) return text;
    out += text.slice(cursor, e.span.start) + e.newText;
    cursor = e.span.end;
  }
  return out + text.slice(cursor);
}

/** Plans `fixes` against `texts` (file → text) and applies the accepted ones. */
export function applyFixes(texts: ReadonlyMap<string, string>, fixes: readonly Fix[]): FixResult {
  const plan = planFixes(fixes, (file) => texts.get(file));
  const changed = new Map<string, string>();
  for (const [file, edits] of plan.edits) {
    const before = texts.get(file) ?? '';
    const after = applyEdits(before, edits);
    if (after !== before) changed.set(file, after);
  }
  return { ...plan, texts: changed };
}

/** The first fix marked safe of each finding, in finding order: what `--fix` and fix-all apply. */
export function safeFixes(findings: readonly Finding[]): Fix[] {
  const out: Fix[] = [];
  for (const f of findings) {
    const fix = f.fixes.find((x) => x.safe);
    if (fix) out.push(fix);
  }
  return out;
}

/** An edit with its line/character range, given the line index of its file (as the engine read it). */
export function rangedEdit(lines: LineIndex, edit: TextEdit): { readonly range: Range; readonly newText: string } {
  return { range: lines.rangeOf(edit.span), newText: edit.newText };
}
