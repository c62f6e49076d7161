// Schema findings (`dind/runner-config-schema`) for a parsed config.toml: unknown keys (with a "did you mean"),
// values of the wrong TOML type, enum values Runner rejects, `concurrent = 0`, malformed `environment` items.
// Conservative: tables whose key set changes between releases only report near misses (see schema.ts).

import { MODEL_FINDINGS } from '../ids';
import type { Finding, Fix, Span } from '../types';
import type { TomlData, TomlEntry, TomlTable } from './model';
import {
  KNOWN_FEATURE_FLAGS,
  RUNNER_SCHEMA,
  allRunnerTables,
  type RunnerKey,
  type RunnerTableSchema,
  type RunnerValueType,
} from './schema';

interface Context {
  readonly text: string;
  readonly file: string;
  readonly findings: Finding[];
}

export function validateRunnerConfig(root: TomlTable, text: string, file: string): Finding[] {
  const ctx: Context = { text, file, findings: [] };
  checkTable(ctx, root, RUNNER_SCHEMA, false);
  return ctx.findings;
}

/** Splits `"K=V"` as Runner does (at the first `=`); null when there is no `=` or the name is empty. */
export function parseEnvironmentItem(item: string): { key: string; value: string } | null {
  const eq = item.indexOf('=');
  if (eq <= 0) return null;
  return { key: item.slice(0, eq), value: item.slice(eq + 1) };
}

/** Edit distance with adjacent transpositions (optimal string alignment); small strings only: config keys. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    const prev = rows[i - 1] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row[j] = d;
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

/** The closest candidate to `name`, when it is close enough to be a typo. */
export function suggestKey(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    const score = c.toLowerCase() === lower ? 0.5 : editDistance(lower, c.toLowerCase());
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  const limit = name.length >= 8 ? 2 : name.length >= 4 ? 1 : 0.5;
  return bestScore <= limit ? best : undefined;
}

let tablesCache: readonly RunnerTableSchema[] | undefined;

function modelledTables(): readonly RunnerTableSchema[] {
  return (tablesCache ??= allRunnerTables());
}

function report(ctx: Context, span: Span, message: string, fixes: Fix[] = []): void {
  ctx.findings.push({
    ruleId: MODEL_FINDINGS.runnerConfigSchema.id,
    severity: MODEL_FINDINGS.runnerConfigSchema.defaultSeverity,
    message,
    file: ctx.file,
    span,
    job: null,
    runner: null,
    related: [],
    fixes,
  });
}

function replaceFix(ctx: Context, title: string, span: Span, newText: string, safe: boolean): Fix {
  return { title, safe, preferred: true, edits: [{ file: ctx.file, span, newText }] };
}

/** How a table is written in messages: `[runners.docker]`, `[[runners]]`, or the global section. */
function tableLabel(schema: RunnerTableSchema, isArray: boolean): string {
  if (schema.path === '') return 'the global section';
  return isArray ? `[[${schema.path}]]` : `[${schema.path}]`;
}

function isPlainTable(v: TomlData): v is { [key: string]: TomlData } {
  return typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

function checkTable(ctx: Context, table: TomlTable, schema: RunnerTableSchema, isArray: boolean): void {
  const label = tableLabel(schema, isArray);
  for (const entry of table.entries.values()) {
    const key = schema.keys.get(entry.key);
    if (!key) {
      unknownKey(ctx, schema, label, entry.key, entry.keySpan);
      continue;
    }
    checkEntry(ctx, table, entry, key);
  }
  for (const [name, sub] of table.tables) {
    if (sub.kind === 'inline') continue;
    const key = schema.keys.get(name);
    if (!key) {
      unknownKey(ctx, schema, label, name, sub.keySpan ?? sub.headerSpan ?? { start: 0, end: 0 });
      continue;
    }
    checkSubTable(ctx, sub, key);
  }
  for (const [name, list] of table.tableArrays) {
    const first = list[0];
    if (!first || first.kind === 'inline') continue;
    const key = schema.keys.get(name);
    if (!key) {
      unknownKey(ctx, schema, label, name, first.keySpan ?? first.headerSpan ?? { start: 0, end: 0 });
      continue;
    }
    if (key.type !== 'table[]' || !key.table) {
      const at = first.keySpan ?? first.headerSpan ?? { start: 0, end: 0 };
      report(ctx, at, `\`${name}\` is written as an array of tables, but GitLab Runner expects ${typeName(key.type)}.`);
      continue;
    }
    for (const element of list) checkTable(ctx, element, key.table, true);
  }
}

function unknownKey(ctx: Context, schema: RunnerTableSchema, label: string, name: string, span: Span): void {
  if (schema.strictness === 'open') return;
  const suggestion = suggestKey(name, schema.keys.keys());
  if (schema.strictness === 'typo' && !suggestion) return;
  if (suggestion) {
    report(ctx, span, `Unknown key \`${name}\` in ${label}; did you mean \`${suggestion}\`?`, [
      replaceFix(ctx, `Rename to \`${suggestion}\``, span, suggestion, false),
    ]);
    return;
  }
  const elsewhere = modelledTables()
    .filter((t) => t !== schema && t.keys.has(name) && t.path !== '')
    .map((t) => (t.keys.get(name)?.type === 'table[]' ? `[[${t.path}]]` : `[${t.path}]`));
  const hint = elsewhere.length > 0 ? ` It belongs in ${elsewhere.slice(0, 3).join(' or ')}.` : '';
  report(ctx, span, `Unknown key \`${name}\` in ${label}: GitLab Runner ignores it.${hint}`);
}

function checkSubTable(ctx: Context, sub: TomlTable, key: RunnerKey): void {
  if (key.type === 'map') {
    checkMap(ctx, sub, key);
    return;
  }
  if (key.type !== 'table' || !key.table) {
    const at = sub.keySpan ?? sub.headerSpan ?? { start: 0, end: 0 };
    report(ctx, at, `\`${key.name}\` is written as a table, but GitLab Runner expects ${typeName(key.type)}.`);
    return;
  }
  checkTable(ctx, sub, key.table, false);
}

function checkMap(ctx: Context, table: TomlTable, key: RunnerKey): void {
  const want = key.mapValues ?? 'string';
  for (const entry of table.entries.values()) {
    if (!matchesType(ctx, entry, entry.value, want)) {
      report(
        ctx,
        entry.valueSpan,
        `\`${entry.key}\` in [${table.path}] must be ${typeName(want)}, not ${describeValue(ctx, entry.value, entry.valueSpan)}.`,
        conversionFixes(ctx, entry, want),
      );
    }
  }
  for (const [name, sub] of table.tables) {
    if (sub.kind === 'inline') continue;
    report(
      ctx,
      sub.keySpan ?? { start: 0, end: 0 },
      `\`${name}\` in [${table.path}] must be ${typeName(want)}, not a table.`,
    );
  }
  if (key.name === 'feature_flags') {
    for (const entry of table.entries.values()) {
      if (KNOWN_FEATURE_FLAGS.includes(entry.key)) continue;
      const suggestion = suggestKey(entry.key, KNOWN_FEATURE_FLAGS);
      if (suggestion) {
        report(ctx, entry.keySpan, `Unknown feature flag \`${entry.key}\`; did you mean \`${suggestion}\`?`, [
          replaceFix(ctx, `Rename to \`${suggestion}\``, entry.keySpan, suggestion, false),
        ]);
      }
    }
  }
}

function checkEntry(ctx: Context, table: TomlTable, entry: TomlEntry, key: RunnerKey): void {
  const value = entry.value;
  if (key.type === 'table' || key.type === 'map') {
    if (!isPlainTable(value)) {
      report(
        ctx,
        entry.valueSpan,
        `\`${key.name}\` must be a table, not ${describeValue(ctx, value, entry.valueSpan)}.`,
      );
      return;
    }
    const sub = table.tables.get(entry.key);
    if (sub && key.type === 'map') checkMap(ctx, sub, key);
    else if (sub && key.table) checkTable(ctx, sub, key.table, false);
    return;
  }
  if (key.type === 'table[]') {
    if (!Array.isArray(value) || !value.every(isPlainTable)) {
      report(
        ctx,
        entry.valueSpan,
        `\`${key.name}\` must be an array of tables, not ${describeValue(ctx, value, entry.valueSpan)}.`,
      );
      return;
    }
    if (key.table)
      for (const element of table.tableArrays.get(entry.key) ?? []) checkTable(ctx, element, key.table, true);
    return;
  }
  if (!matchesType(ctx, entry, value, key.type)) {
    report(
      ctx,
      entry.valueSpan,
      `\`${key.name}\` must be ${typeName(key.type)}, not ${describeValue(ctx, value, entry.valueSpan)}.`,
      conversionFixes(ctx, entry, key.type),
    );
    return;
  }
  if (key.minimum !== undefined && typeof value === 'number' && value < key.minimum) {
    const why = key.name === 'concurrent' ? ': with 0, GitLab Runner refuses to start' : '';
    report(ctx, entry.valueSpan, `\`${key.name} = ${value}\` is below the minimum ${key.minimum}${why}.`, [
      replaceFix(ctx, `Set \`${key.name} = ${key.minimum}\``, entry.valueSpan, String(key.minimum), false),
    ]);
  }
  if (key.values) checkValues(ctx, entry, key);
  if (key.name === 'environment' && Array.isArray(value)) checkEnvironment(ctx, entry);
}

function checkValues(ctx: Context, entry: TomlEntry, key: RunnerKey): void {
  const allowed = key.values ?? [];
  const check = (v: TomlData, span: Span): void => {
    if (typeof v !== 'string' || allowed.includes(v)) return;
    const suggestion = suggestKey(v, allowed);
    const fixes = suggestion ? [replaceFix(ctx, `Use "${suggestion}"`, span, JSON.stringify(suggestion), false)] : [];
    const list = allowed
      .filter((a) => a !== '')
      .map((a) => `\`${a}\``)
      .join(', ');
    const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : ` Expected one of ${list}.`;
    report(ctx, span, `\`${key.name}\` does not accept "${v}".${hint}`, fixes);
  };
  if (Array.isArray(entry.value)) entry.value.forEach((v, i) => check(v, entry.itemSpans[i] ?? entry.valueSpan));
  else check(entry.value, entry.valueSpan);
}

function checkEnvironment(ctx: Context, entry: TomlEntry): void {
  if (!Array.isArray(entry.value)) return;
  entry.value.forEach((item, i) => {
    if (typeof item !== 'string' || parseEnvironmentItem(item) !== null) return;
    report(
      ctx,
      entry.itemSpans[i] ?? entry.valueSpan,
      `Malformed \`environment\` item "${item}": GitLab Runner expects "NAME=value".`,
    );
  });
}

/** True when the value's source text is a TOML float (`1.0`, `1e3`, `inf`, `nan`), not an integer. */
function isFloatText(ctx: Context, span: Span): boolean {
  const t = ctx.text.slice(span.start, span.end);
  return !/^[+-]?0[xob]/i.test(t) && /[.eE]|inf|nan/.test(t);
}

function matchesType(ctx: Context, entry: TomlEntry, value: TomlData, type: RunnerValueType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && !isFloatText(ctx, entry.valueSpan);
    case 'float':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'datetime':
      return value instanceof Date;
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'integer[]':
      return (
        Array.isArray(value) &&
        value.every((v, i) => typeof v === 'number' && !isFloatText(ctx, entry.itemSpans[i] ?? entry.valueSpan))
      );
    case 'float[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'number');
    case 'string-or-string[]':
      return typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    case 'table':
    case 'map':
      return isPlainTable(value);
    case 'table[]':
      return Array.isArray(value) && value.every(isPlainTable);
  }
}

function typeName(type: RunnerValueType | 'string' | 'boolean' | 'string[]'): string {
  switch (type) {
    case 'string':
      return 'a string';
    case 'integer':
      return 'an integer';
    case 'float':
      return 'a number';
    case 'boolean':
      return 'a boolean (true or false, unquoted)';
    case 'datetime':
      return 'a date-time';
    case 'string[]':
      return 'an array of strings';
    case 'integer[]':
      return 'an array of integers';
    case 'float[]':
      return 'an array of numbers';
    case 'string-or-string[]':
      return 'a string or an array of strings';
    case 'table':
    case 'map':
      return 'a table';
    case 'table[]':
      return 'an array of tables';
  }
}

function describeValue(ctx: Context, value: TomlData, span: Span): string {
  if (typeof value === 'string') return `a string (${JSON.stringify(value)})`;
  if (typeof value === 'number') return isFloatText(ctx, span) ? 'a float' : 'an integer';
  if (typeof value === 'boolean') return 'a boolean';
  if (value instanceof Date) return 'a date-time';
  if (Array.isArray(value)) return 'an array';
  return 'a table';
}

/** Unambiguous repairs: `"true"` → `true`, `"30"` → `30`, `"x"` → `["x"]`. */
function conversionFixes(
  ctx: Context,
  entry: TomlEntry,
  want: RunnerValueType | 'string' | 'boolean' | 'string[]',
): Fix[] {
  const v = entry.value;
  if (want === 'boolean' && (v === 'true' || v === 'false')) {
    return [replaceFix(ctx, `Write \`${entry.key} = ${v}\` (a TOML boolean)`, entry.valueSpan, v, true)];
  }
  if (want === 'integer' && typeof v === 'string' && /^-?\d+$/.test(v.trim())) {
    const n = String(Number.parseInt(v.trim(), 10));
    return [replaceFix(ctx, `Write \`${entry.key} = ${n}\` (a TOML integer)`, entry.valueSpan, n, true)];
  }
  if (want === 'string[]' && typeof v === 'string') {
    const original = ctx.text.slice(entry.valueSpan.start, entry.valueSpan.end);
    return [replaceFix(ctx, `Wrap the value in an array`, entry.valueSpan, `[${original}]`, true)];
  }
  return [];
}
