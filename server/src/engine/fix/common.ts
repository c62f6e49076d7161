// Shared pieces of the minimal-edit toolkit: the result type every edit helper returns, combining results without
// overlaps, and line arithmetic on raw text. Line breaks are `\n` and `\r\n` only, as the YAML and TOML parsers read
// them: a lone `\r` is part of its line's content.

import { editsConflict } from '../edits';
import type { Msg } from '../i18n';
import type { Fix, Span, TextEdit } from '../types';

/**
 * What an edit helper returns: the edits of one file, or why it cannot offer them (the rule then skips the fix).
 * Helpers never throw on odd input.
 */
export type EditResult =
  { readonly ok: true; readonly edits: readonly TextEdit[] } | { readonly ok: false; readonly reason: string };

export function edited(edits: readonly TextEdit[]): EditResult {
  return { ok: true, edits };
}

export function failed(reason: string): EditResult {
  return { ok: false, reason };
}

/**
 * Joins several results into one: fails when any fails, or when two edits would conflict (overlap, or insert at
 * the same offset), since their order would then be undefined. Identical edits are kept once.
 */
export function combineEdits(...results: readonly EditResult[]): EditResult {
  const all: TextEdit[] = [];
  for (const r of results) {
    if (!r.ok) return r;
    for (const e of r.edits) {
      const same = all.find(
        (x) =>
          x.file === e.file && x.span.start === e.span.start && x.span.end === e.span.end && x.newText === e.newText,
      );
      if (same) continue;
      if (all.some((x) => x.file === e.file && editsConflict(x.span, e.span))) {
        return failed(`conflicting edits at offset ${e.span.start}`);
      }
      all.push(e);
    }
  }
  all.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return edited(all);
}

/**
 * A `Fix` made of one or more results, or undefined when any of them failed, they conflict, or nothing would change:
 * the rule then offers no fix.
 */
/** A fix from edit results. A `Msg` title is rendered to English by the analysis (and localised by adapters). */
export function fixFrom(title: string | Msg, safe: boolean, ...results: readonly EditResult[]): Fix | undefined {
  const r = combineEdits(...results);
  if (!r.ok || r.edits.length === 0) return undefined;
  return typeof title === 'string'
    ? { title, safe, edits: r.edits }
    : { title: '', l10nTitle: title, safe, edits: r.edits };
}

/** The edits of a result, or an empty list when it failed (for callers that just skip). */
export function editsOrEmpty(result: EditResult): readonly TextEdit[] {
  return result.ok ? result.edits : [];
}

export function edit(file: string, span: Span, newText: string): TextEdit {
  return { file, span, newText };
}

/** True when a line break starts at `offset` (`\n`, or `\r` followed by `\n`). */
export function isLineBreakAt(text: string, offset: number): boolean {
  const c = text[offset];
  return c === '\n' || (c === '\r' && text[offset + 1] === '\n');
}

/** True when `offset` is the start of a line: the start of the text or just after a `\n`. */
export function isLineStart(text: string, offset: number): boolean {
  return offset === 0 || text[offset - 1] === '\n';
}

/** Start offset of the line containing `offset`. */
export function lineStartAt(text: string, offset: number): number {
  let i = Math.max(0, Math.min(offset, text.length));
  while (i > 0 && text[i - 1] !== '\n') i--;
  return i;
}

/** Offset of the line break (or end of text) that ends the line containing `offset`. */
export function lineContentEndAt(text: string, offset: number): number {
  let i = Math.max(0, Math.min(offset, text.length));
  while (i < text.length && !isLineBreakAt(text, i)) i++;
  return i;
}

/** Offset just after the line break ending the line containing `offset` (the end of text on the last line). */
export function nextLineStartAt(text: string, offset: number): number {
  const end = lineContentEndAt(text, offset);
  if (text[end] === '\r') return end + 2;
  return end < text.length ? end + 1 : end;
}

/** True when only spaces and tabs stand between the start of its line and `offset`. */
export function isFirstOnLine(text: string, offset: number): boolean {
  return /^[ \t]*$/.test(text.slice(lineStartAt(text, offset), offset));
}

/** The leading spaces and tabs of the line containing `offset`. */
export function lineIndentAt(text: string, offset: number): string {
  const start = lineStartAt(text, offset);
  return /^[ \t]*/.exec(text.slice(start, lineContentEndAt(text, offset)))?.[0] ?? '';
}

/**
 * An insertion of whole lines after the line containing `offset`: `body` is the new lines' content without their
 * final line break. On the last line of a file without a final line break, the break goes in front instead.
 */
export function insertLinesAfter(file: string, text: string, offset: number, body: string, eol: string): TextEdit {
  const at = nextLineStartAt(text, offset);
  return insertLinesAt(file, text, at, body, eol);
}

/**
 * An insertion of whole lines at `at`, a line start or the end of the text. At the end of a text without a final
 * line break, the break goes in front; after a final lone `\r` that break is `\n`, which completes it to `\r\n`.
 */
export function insertLinesAt(file: string, text: string, at: number, body: string, eol: string): TextEdit {
  if (isLineStart(text, at)) return edit(file, { start: at, end: at }, body + eol);
  return edit(file, { start: at, end: at }, (text[at - 1] === '\r' ? '\n' : eol) + body);
}

/** The span of whole lines from the line of `start` through the line of `end - 1`, line break included. */
export function wholeLines(text: string, start: number, end: number): Span {
  return { start: lineStartAt(text, start), end: nextLineStartAt(text, Math.max(start, end - 1)) };
}
