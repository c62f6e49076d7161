// Shared checks for the fix toolkit tests: apply an edit result, re-parse, compare values and untouched lines.
import assert from 'node:assert/strict';

import { parseTOML, getStaticTOMLValue } from 'toml-eslint-parser';
import { parseAllDocuments } from 'yaml';

import { applyEdits, parseRunnerConfig, SourceStore, type EditResult, type Span, type TomlTable } from '@engine';

import { MemoryHost } from '../helpers/memory-host';

/** Applies a successful result's edits (through the engine's `applyEdits`); fails the test when it failed. */
export function apply(text: string, result: EditResult, file = FILE): string {
  assert.ok(result.ok, `edit failed: ${result.ok ? '' : result.reason}`);
  for (const e of result.edits) assert.equal(e.file, file);
  return applyEdits(text, result.edits);
}

export const FILE = '/ws/.gitlab-ci.yml';
export const TOML_FILE = '/ws/config.toml';

/** Lines with their line breaks. */
export function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/**
 * Every line of `before` that no edit touches appears, byte for byte and in order, in `after`; and `after` has no
 * line break style other than the file's.
 */
export function assertUntouchedLines(before: string, after: string, result: EditResult): void {
  assert.ok(result.ok);
  const lines = splitLines(before);
  const kept: string[] = [];
  let offset = 0;
  for (const line of lines) {
    const start = offset;
    const end = offset + line.length;
    offset = end;
    // An insertion at the end of a last line without a line break gives that line its break.
    const open = !/[\r\n]$/.test(line);
    const touched = result.edits.some((e) => touches(e.span, start, end) || (open && e.span.start === end));
    if (!touched) kept.push(line);
  }
  const afterLines = splitLines(after);
  let j = 0;
  for (const line of afterLines) if (j < kept.length && line === kept[j]) j++;
  assert.equal(j, kept.length, `untouched line changed or lost: ${JSON.stringify(kept[j])}`);
  if (before.includes('\r\n')) assert.doesNotMatch(after.replace(/\r\n/g, ''), /\n/, 'LF line break in a CRLF file');
  else if (before.includes('\n')) assert.doesNotMatch(after, /\r/, 'CR in an LF file');
}

function touches(span: Span, start: number, end: number): boolean {
  if (span.start === span.end) return span.start > start && span.start < end;
  return span.start < end && span.end > start;
}

/** The plain data of every document; fails the test on any parse error or warning. */
export function yamlData(text: string): unknown[] {
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  assert.ok(Array.isArray(docs));
  for (const d of docs) {
    assert.deepEqual(
      d.errors.map((e) => e.message),
      [],
      `YAML errors in:\n${text}`,
    );
  }
  return docs.map((d) => d.toJS() as unknown);
}

export function tomlData(text: string): unknown {
  return getStaticTOMLValue(parseTOML(text));
}

export function clone<T>(v: T): T {
  return structuredClone<T>(v);
}

/** The runner model's root table of a TOML text (the engine's `parseRunnerConfig`). */
export function tomlModel(text: string): TomlTable {
  const sources = new SourceStore(new MemoryHost({ [TOML_FILE]: text }));
  const config = parseRunnerConfig(sources, TOML_FILE);
  assert.ok(config, 'config.toml not parsed');
  return config.root;
}

/** The i-th `[[runners]]` element of a model. */
export function runnerTable(root: TomlTable, i = 0): TomlTable {
  const t = root.tableArrays.get('runners')?.[i];
  assert.ok(t, `no runners[${i}]`);
  return t;
}

export function sub(table: TomlTable, ...path: string[]): TomlTable {
  let t: TomlTable | undefined = table;
  for (const p of path) t = t?.tables.get(p);
  assert.ok(t, `no table ${path.join('.')}`);
  return t;
}
