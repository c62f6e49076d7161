// Minimal text edits on config.toml, computed from the runner model's ranges (`TomlTable`, `TomlEntry`) so that
// everything outside the edited lines stays byte-identical. New lines follow the file's indentation and line ending.

import { insertEntryEdit } from '../runner/edit';
import type { TomlEntry, TomlTable } from '../runner/model';
import type { SourceStore } from '../sources';
import { detectEol } from '../text';
import type { TextEdit } from '../types';
import {
  combineEdits,
  edit,
  edited,
  failed,
  insertLinesAfter,
  insertLinesAt,
  isFirstOnLine,
  isLineStart,
  lineContentEndAt,
  lineIndentAt,
  lineStartAt,
  wholeLines,
  type EditResult,
} from './common';
import { tomlKey, tomlValue, type TomlEditValue, type TomlStringStyle } from './toml-format';

export interface AddTableOptions {
  /** Write an array-of-tables element (`[[...]]`) instead of a table (`[...]`). */
  readonly array?: boolean;
}

/** Edits one config.toml. Every operation returns an `EditResult`; none throws. */
export class TomlEditor {
  /** The file's line ending, used for every inserted line. */
  readonly eol: '\n' | '\r\n';

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.eol = detectEol(text);
  }

  static fromSources(sources: SourceStore, file: string): TomlEditor | undefined {
    const f = sources.file(file);
    return f ? new TomlEditor(file, f.text) : undefined;
  }

  /**
   * Sets keys of a table: a present key gets its value replaced, absent keys are inserted as
   * `indent + keyPrefix + key = value` lines at the table's `insertOffset`, in the order given (in an inline table:
   * `, key = value`, one key per call).
   */
  setKeys(table: TomlTable, values: Readonly<Record<string, TomlEditValue>>): EditResult {
    const results: EditResult[] = [];
    const added: [string, TomlEditValue][] = [];
    for (const [key, value] of Object.entries(values)) {
      const entry = table.entries.get(key);
      if (entry) results.push(this.replaceValue(entry, value));
      else added.push([key, value]);
    }
    const first = added[0];
    if (table.kind === 'inline' && first) {
      if (added.length > 1) return failed('one key at a time in an inline table');
      results.push(edited([insertEntryEdit(this.file, this.text, table, first[0], tomlValue(first[1]))]));
    } else if (first) {
      const prefix = `${table.indent}${table.keyPrefix ?? ''}`;
      const lines = added.map(([k, v]) => `${prefix}${tomlKey(k)} = ${tomlValue(v)}`);
      results.push(edited([this.insertLines(table.insertOffset, lines.join(this.eol))]));
    }
    return combineEdits(...results);
  }

  setKey(table: TomlTable, key: string, value: TomlEditValue): EditResult {
    return this.setKeys(table, { [key]: value });
  }

  /** Replaces an entry's value (strings keep the entry's basic or literal quoting when possible). */
  replaceValue(entry: TomlEntry, value: TomlEditValue): EditResult {
    const current = this.text.slice(entry.valueSpan.start, entry.valueSpan.end);
    const newText = tomlValue(value, this.stringStyleAt(entry.valueSpan.start));
    return current === newText ? edited([]) : edited([edit(this.file, entry.valueSpan, newText)]);
  }

  /** Removes a `key = value` line, with a comment on that line. */
  removeKey(table: TomlTable, key: string): EditResult {
    const entry = table.entries.get(key);
    if (!entry) return failed(`no key ${key}`);
    if (table.kind === 'inline' || !isFirstOnLine(this.text, entry.span.start)) return failed('entry shares its line');
    if (!/^\s*(#.*)?$/.test(this.text.slice(entry.span.end, lineContentEndAt(this.text, entry.span.end)))) {
      return failed('entry shares its line');
    }
    return edited([edit(this.file, wholeLines(this.text, entry.span.start, entry.span.end), '')]);
  }

  /**
   * Appends a value to an array entry, in its layout: `["/cache"]` → `["/cache", "/certs/client"]`; a multi-line
   * array gets a new line with the same indentation and trailing-comma style; `[]` → `["/certs/client"]`. Strings
   * follow the quoting of the existing items. A missing key is created as a one-item array.
   */
  appendToArray(table: TomlTable, key: string, value: TomlEditValue): EditResult {
    const entry = table.entries.get(key);
    if (!entry) return this.setKeys(table, { [key]: [value] });
    if (!Array.isArray(entry.value)) return failed(`${key} is not an array`);
    const items = entry.itemSpans;
    const last = items[items.length - 1];
    if (!last) return edited([edit(this.file, entry.valueSpan, `[${tomlValue(value)}]`)]);
    const text = tomlValue(value, this.stringStyleAt(last.start));
    const after = this.skipBlank(last.end);
    const trailingComma = this.text[after] === ',';
    const multiLine = items.every((s) => isFirstOnLine(this.text, s.start));
    const openLine = lineStartAt(this.text, entry.valueSpan.start);
    if (!multiLine || lineStartAt(this.text, last.start) === openLine) {
      if (trailingComma) return edited([edit(this.file, { start: after + 1, end: after + 1 }, ` ${text},`)]);
      return edited([edit(this.file, { start: last.end, end: last.end }, `, ${text}`)]);
    }
    const indent = lineIndentAt(this.text, last.start);
    if (trailingComma) return edited([insertLinesAfter(this.file, this.text, after, `${indent}${text},`, this.eol)]);
    const lineEnd = lineContentEndAt(this.text, last.end);
    const rest = this.text.slice(last.end, lineEnd);
    if (/^\s*$/.test(rest))
      return edited([edit(this.file, { start: last.end, end: last.end }, `,${this.eol}${indent}${text}`)]);
    return combineEdits(
      edited([edit(this.file, { start: last.end, end: last.end }, ',')]),
      edited([insertLinesAfter(this.file, this.text, lineEnd, `${indent}${text}`, this.eol)]),
    );
  }

  /** Removes item `index` of an array entry with its comma (its whole line in a multi-line array). */
  removeArrayItem(table: TomlTable, key: string, index: number): EditResult {
    const entry = table.entries.get(key);
    if (!entry || !Array.isArray(entry.value)) return failed(`${key} is not an array`);
    const items = entry.itemSpans;
    const item = items[index];
    if (!item) return failed(`no item ${index}`);
    if (items.length === 1) {
      return edited([edit(this.file, entry.valueSpan, '[]')]);
    }
    const next = items[index + 1];
    const prev = items[index - 1];
    const ownLine =
      isFirstOnLine(this.text, item.start) &&
      lineStartAt(this.text, item.start) !== lineStartAt(this.text, entry.valueSpan.start);
    if (ownLine) {
      const afterComma = this.skipBlank(item.end);
      const end = this.text[afterComma] === ',' ? afterComma + 1 : item.end;
      const restOfLine = this.text.slice(end, lineContentEndAt(this.text, end));
      if (/^\s*(#.*)?$/.test(restOfLine) && (next !== undefined || this.text[afterComma] === ',')) {
        return edited([edit(this.file, wholeLines(this.text, item.start, end), '')]);
      }
    }
    if (next) return edited([edit(this.file, { start: item.start, end: next.start }, '')]);
    if (prev) return edited([edit(this.file, { start: prev.end, end: item.end }, '')]);
    return failed('unusual array layout');
  }

  /** Removes the first array item equal to `value` (for string arrays such as `volumes`). */
  removeArrayValue(table: TomlTable, key: string, value: TomlEditValue): EditResult {
    const entry = table.entries.get(key);
    if (!entry || !Array.isArray(entry.value)) return failed(`${key} is not an array`);
    const index = entry.value.findIndex((v) => v === value);
    return index < 0 ? failed(`${key} has no such item`) : this.removeArrayItem(table, key, index);
  }

  /**
   * Adds a table (or, with `array`, an array-of-tables element) `[container.path.relPath]` holding `values`, after
   * the last table that belongs to `container` (e.g. one `[[runners]]` element, so before the next `[[runners]]`).
   * Header and key indentation follow the container's existing sub-tables.
   */
  addTable(
    container: TomlTable,
    relPath: readonly string[],
    values: Readonly<Record<string, TomlEditValue>>,
    options: AddTableOptions = {},
  ): EditResult {
    if (relPath.length === 0) return failed('empty table path');
    if (container.kind === 'inline' || container.kind === 'dotted') return failed('container is not a header table');
    const conflict = pathConflict(container, relPath, options.array ?? false);
    if (conflict) return failed(conflict);
    const path = [...(container.path === '' ? [] : [container.path]), ...relPath.map(tomlKey)].join('.');
    const header = options.array ? `[[${path}]]` : `[${path}]`;
    const sibling = firstHeaderDescendant(container);
    const headerIndent = sibling?.headerSpan ? lineIndentAt(this.text, sibling.headerSpan.start) : container.indent;
    // `indent` includes the block indentation of a config embedded in values.yaml: count it once, and never go
    // below it (a line at column 0 would end the block scalar).
    const base = container.baseIndent ?? '';
    const ownIndent = container.indent.slice(base.length);
    const entryIndent = sibling ? sibling.indent : container.path === '' ? base : headerIndent + ownIndent;
    const blankBefore = sibling?.headerSpan ? this.blankLineBefore(sibling.headerSpan.start) : false;
    const lines = [`${headerIndent}${header}`];
    for (const [k, v] of Object.entries(values)) lines.push(`${entryIndent}${tomlKey(k)} = ${tomlValue(v)}`);
    const end = regionEnd(container);
    const body = (blankBefore ? this.eol : '') + lines.join(this.eol);
    return edited([this.insertLines(end, body)]);
  }

  /**
   * Sets keys in the sub-table `relPath` of `container` (e.g. `['docker']` of a `[[runners]]` element), creating
   * `[runners.docker]` at the end of the container when it does not exist.
   */
  setInTable(
    container: TomlTable,
    relPath: readonly string[],
    values: Readonly<Record<string, TomlEditValue>>,
  ): EditResult {
    let table: TomlTable | undefined = container;
    for (const key of relPath) table = table?.tables.get(key);
    return table ? this.setKeys(table, values) : this.addTable(container, relPath, values);
  }

  // ---- internals ------------------------------------------------------------------------------------------------

  /** Inserts whole lines at `offset`: at a line start they go there, elsewhere after that offset's line. */
  private insertLines(offset: number, body: string): TextEdit {
    const at = Math.max(0, Math.min(offset, this.text.length));
    if (isLineStart(this.text, at) || at === this.text.length) {
      return insertLinesAt(this.file, this.text, at, body, this.eol);
    }
    return insertLinesAfter(this.file, this.text, at, body, this.eol);
  }

  private stringStyleAt(offset: number): TomlStringStyle {
    return this.text.startsWith("'", offset) && !this.text.startsWith("'''", offset) ? 'literal' : 'basic';
  }

  /** The first offset at or after `offset` that is not a space, tab, line break or comment. */
  private skipBlank(offset: number): number {
    let i = offset;
    while (i < this.text.length) {
      const c = this.text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else if (c === '#') i = lineContentEndAt(this.text, i);
      else break;
    }
    return i;
  }

  private blankLineBefore(offset: number): boolean {
    const start = lineStartAt(this.text, offset);
    if (start === 0) return false;
    const prev = lineStartAt(this.text, start - 1);
    return this.text.slice(prev, lineContentEndAt(this.text, prev)).trim() === '';
  }
}

/**
 * Why `[container.relPath]` (or `[[...]]`) cannot be written as a new header, or undefined when it can: a key on the
 * way already holds a value (`volumes = ["/cache"]` blocks `[runners.kubernetes.volumes.empty_dir]`), passes through
 * an inline table, or the table itself is already defined (TOML forbids defining a table twice).
 */
function pathConflict(container: TomlTable, relPath: readonly string[], array: boolean): string | undefined {
  let table: TomlTable | undefined = container;
  for (const [i, key] of relPath.entries()) {
    if (!table) return undefined;
    if (table.entries.has(key)) return `${key} already holds a value`;
    const sub = table.tables.get(key);
    const list = table.tableArrays.get(key);
    if (i === relPath.length - 1) {
      if (array ? sub : list || (sub && sub.kind !== 'implicit')) return `${key} is already defined`;
      return undefined;
    }
    if (sub?.kind === 'inline') return `${key} is an inline table`;
    table = sub ?? list?.[list.length - 1];
  }
  return undefined;
}

/** The first table below `table` that is written with its own header, in source order. */
function firstHeaderDescendant(table: TomlTable): TomlTable | undefined {
  let best: TomlTable | undefined;
  const visit = (t: TomlTable): void => {
    for (const child of children(t)) {
      if (child.headerSpan && (child.kind === undefined || child.kind === 'header' || child.kind === 'array-element')) {
        if (!best?.headerSpan || child.headerSpan.start < best.headerSpan.start) best = child;
      }
      visit(child);
    }
  };
  visit(table);
  return best;
}

function children(t: TomlTable): TomlTable[] {
  return [...t.tables.values(), ...[...t.tableArrays.values()].flat()];
}

/** Offset after the last thing written in `table` or any table below it. */
function regionEnd(table: TomlTable): number {
  let end = Math.max(table.insertOffset, table.headerSpan?.end ?? 0);
  for (const e of table.entries.values()) end = Math.max(end, e.span.end);
  for (const child of children(table)) end = Math.max(end, regionEnd(child));
  return end;
}
