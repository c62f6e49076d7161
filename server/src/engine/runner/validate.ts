// Schema findings (`dind/runner-config-schema`) for a parsed config.toml: unknown keys (with a "did you mean"),
// values of the wrong TOML type, enum values Runner rejects, `concurrent = 0`, malformed `environment` items.
// Conservative: tables whose key set changes between releases only report near misses (see schema.ts).

import { coreText } from '../core-messages';
import { msg, type Msg } from '../i18n';
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

function report(ctx: Context, span: Span, message: Msg, fixes: Fix[] = []): void {
  ctx.findings.push({
    ruleId: MODEL_FINDINGS.runnerConfigSchema.id,
    severity: MODEL_FINDINGS.runnerConfigSchema.defaultSeverity,
    message: coreText(message).text,
    l10n: message,
    file: ctx.file,
    span,
    job: null,
    runner: null,
    related: [],
    fixes,
  });
}

function replaceFix(ctx: Context, title: Msg, span: Span, newText: string, safe: boolean): Fix {
  return {
    title: coreText(title).text,
    l10nTitle: title,
    safe,
    preferred: true,
    edits: [{ file: ctx.file, span, newText }],
  };
}

/** How a table is written in messages: `[runners.docker]`, `[[runners]]`, or the global section. */
function tableLabel(schema: RunnerTableSchema, isArray: boolean): string | Msg {
  if (schema.path === '') return msg('runner.global-section');
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
      unknownKey(ctx, table, schema, label, entry.key, entry.keySpan);
      continue;
    }
    checkEntry(ctx, table, entry, key);
  }
  for (const [name, sub] of table.tables) {
    if (sub.kind === 'inline') continue;
    const key = schema.keys.get(name);
    if (!key) {
      unknownKey(ctx, table, schema, label, name, sub.keySpan ?? sub.headerSpan ?? { start: 0, end: 0 });
      continue;
    }
    checkSubTable(ctx, sub, key);
  }
  for (const [name, list] of table.tableArrays) {
    const first = list[0];
    if (!first || first.kind === 'inline') continue;
    const key = schema.keys.get(name);
    if (!key) {
      unknownKey(ctx, table, schema, label, name, first.keySpan ?? first.headerSpan ?? { start: 0, end: 0 });
      continue;
    }
    if (key.type !== 'table[]' || !key.table) {
      const at = first.keySpan ?? first.headerSpan ?? { start: 0, end: 0 };
      report(ctx, at, msg('runner.array-of-tables-unexpected', { name, type: typeName(key.type) }));
      continue;
    }
    for (const element of list) checkTable(ctx, element, key.table, true);
  }
}

function unknownKey(
  ctx: Context,
  table: TomlTable,
  schema: RunnerTableSchema,
  label: string | Msg,
  name: string,
  span: Span,
): void {
  if (schema.strictness === 'open') return;
  const suggestion = suggestKey(name, schema.keys.keys());
  if (schema.strictness === 'typo' && !suggestion) return;
  if (suggestion) {
    // Renaming onto a key the table already has would define it twice: no fix then.
    const taken = table.entries.has(suggestion) || table.tables.has(suggestion) || table.tableArrays.has(suggestion);
    report(
      ctx,
      span,
      msg('runner.unknown-key-suggest', { name, table: label, suggestion }),
      taken ? [] : [replaceFix(ctx, msg('runner.fix-rename', { name: suggestion }), span, suggestion, false)],
    );
    return;
  }
  const elsewhere = modelledTables()
    .filter((t) => t !== schema && t.keys.has(name) && t.path !== '')
    .map((t) => (t.keys.get(name)?.type === 'table[]' ? `[[${t.path}]]` : `[${t.path}]`));
  const places = eitherOf(elsewhere.slice(0, 3));
  report(
    ctx,
    span,
    places === undefined
      ? msg('runner.unknown-key', { name, table: label })
      : msg('runner.unknown-key-elsewhere', { name, table: label, places }),
  );
}

/** `a`, `a or b`, `a or b or c`, as a localisable phrase (undefined for none). */
function eitherOf(items: readonly string[]): string | Msg | undefined {
  const [first, ...rest] = items;
  if (first === undefined) return undefined;
  const tail = eitherOf(rest);
  return tail === undefined ? first : msg('runner.either', { first, rest: tail });
}

function checkSubTable(ctx: Context, sub: TomlTable, key: RunnerKey): void {
  if (key.type === 'map') {
    checkMap(ctx, sub, key);
    return;
  }
  if (key.type !== 'table' || !key.table) {
    const at = sub.keySpan ?? sub.headerSpan ?? { start: 0, end: 0 };
    report(ctx, at, msg('runner.table-unexpected', { name: key.name, type: typeName(key.type) }));
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
        msg('runner.map-value-type', {
          key: entry.key,
          table: table.path,
          type: typeName(want),
          actual: describeValue(ctx, entry.value, entry.valueSpan),
        }),
        conversionFixes(ctx, entry, want),
      );
    }
  }
  for (const [name, sub] of table.tables) {
    if (sub.kind === 'inline') continue;
    report(
      ctx,
      sub.keySpan ?? { start: 0, end: 0 },
      msg('runner.map-value-table', { key: name, table: table.path, type: typeName(want) }),
    );
  }
  if (key.name === 'feature_flags') {
    for (const entry of table.entries.values()) {
      if (KNOWN_FEATURE_FLAGS.includes(entry.key)) continue;
      const suggestion = suggestKey(entry.key, KNOWN_FEATURE_FLAGS);
      if (suggestion) {
        report(ctx, entry.keySpan, msg('runner.unknown-flag-suggest', { name: entry.key, suggestion }), [
          replaceFix(ctx, msg('runner.fix-rename', { name: suggestion }), entry.keySpan, suggestion, false),
        ]);
      }
    }
  }
}

function checkEntry(ctx: Context, table: TomlTable, entry: TomlEntry, key: RunnerKey): void {
  const value = entry.value;
  if (key.type === 'table' || key.type === 'map') {
    if (!isPlainTable(value)) {
      report(ctx, entry.valueSpan, wrongType(ctx, key.name, 'table', value, entry.valueSpan));
      return;
    }
    const sub = table.tables.get(entry.key);
    if (sub && key.type === 'map') checkMap(ctx, sub, key);
    else if (sub && key.table) checkTable(ctx, sub, key.table, false);
    return;
  }
  if (key.type === 'table[]') {
    if (!Array.isArray(value) || !value.every(isPlainTable)) {
      report(ctx, entry.valueSpan, wrongType(ctx, key.name, 'table[]', value, entry.valueSpan));
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
      wrongType(ctx, key.name, key.type, value, entry.valueSpan),
      conversionFixes(ctx, entry, key.type),
    );
    return;
  }
  if (key.minimum !== undefined && typeof value === 'number' && value < key.minimum) {
    const params = { name: key.name, value, minimum: key.minimum };
    const message =
      key.name === 'concurrent' ? msg('runner.concurrent-zero', params) : msg('runner.below-minimum', params);
    report(ctx, entry.valueSpan, message, [
      replaceFix(
        ctx,
        msg('runner.fix-set', { name: key.name, value: key.minimum }),
        entry.valueSpan,
        String(key.minimum),
        false,
      ),
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
    const fixes = suggestion
      ? [replaceFix(ctx, msg('runner.fix-use', { value: suggestion }), span, JSON.stringify(suggestion), false)]
      : [];
    const list = allowed
      .filter((a) => a !== '')
      .map((a) => `\`${a}\``)
      .join(', ');
    const message = suggestion
      ? msg('runner.value-suggest', { name: key.name, value: v, suggestion })
      : msg('runner.value-expected', { name: key.name, value: v, list });
    report(ctx, span, message, fixes);
  };
  if (Array.isArray(entry.value)) entry.value.forEach((v, i) => check(v, entry.itemSpans[i] ?? entry.valueSpan));
  else check(entry.value, entry.valueSpan);
}

function checkEnvironment(ctx: Context, entry: TomlEntry): void {
  if (!Array.isArray(entry.value)) return;
  entry.value.forEach((item, i) => {
    if (typeof item !== 'string' || parseEnvironmentItem(item) !== null) return;
    report(ctx, entry.itemSpans[i] ?? entry.valueSpan, msg('runner.environment-malformed', { item }));
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

/** "`name` must be <type>, not <what the value is>." */
function wrongType(ctx: Context, name: string, type: RunnerValueType, value: TomlData, span: Span): Msg {
  return msg('runner.wrong-type', { name, type: typeName(type), actual: describeValue(ctx, value, span) });
}

function typeName(type: RunnerValueType | 'string' | 'boolean' | 'string[]'): Msg {
  switch (type) {
    case 'string':
      return msg('runner.type-string');
    case 'integer':
      return msg('runner.type-integer');
    case 'float':
      return msg('runner.type-number');
    case 'boolean':
      return msg('runner.type-boolean');
    case 'datetime':
      return msg('runner.type-datetime');
    case 'string[]':
      return msg('runner.type-string-array');
    case 'integer[]':
      return msg('runner.type-integer-array');
    case 'float[]':
      return msg('runner.type-number-array');
    case 'string-or-string[]':
      return msg('runner.type-string-or-array');
    case 'table':
    case 'map':
      return msg('runner.type-table');
    case 'table[]':
      return msg('runner.type-table-array');
  }
}

function describeValue(ctx: Context, value: TomlData, span: Span): Msg {
  if (typeof value === 'string') return msg('runner.value-string', { value: JSON.stringify(value) });
  if (typeof value === 'number') return msg(isFloatText(ctx, span) ? 'runner.value-float' : 'runner.type-integer');
  if (typeof value === 'boolean') return msg('runner.value-boolean');
  if (value instanceof Date) return msg('runner.type-datetime');
  if (Array.isArray(value)) return msg('runner.value-array');
  return msg('runner.type-table');
}

/** Unambiguous repairs: `"true"` → `true`, `"30"` → `30`, `"x"` → `["x"]`. */
function conversionFixes(
  ctx: Context,
  entry: TomlEntry,
  want: RunnerValueType | 'string' | 'boolean' | 'string[]',
): Fix[] {
  const v = entry.value;
  if (want === 'boolean' && (v === 'true' || v === 'false')) {
    return [replaceFix(ctx, msg('runner.fix-boolean', { name: entry.key, value: v }), entry.valueSpan, v, true)];
  }
  if (want === 'integer' && typeof v === 'string' && /^-?\d+$/.test(v.trim())) {
    const n = String(Number.parseInt(v.trim(), 10));
    return [replaceFix(ctx, msg('runner.fix-integer', { name: entry.key, value: n }), entry.valueSpan, n, true)];
  }
  if (want === 'string[]' && typeof v === 'string') {
    const original = ctx.text.slice(entry.valueSpan.start, entry.valueSpan.end);
    return [replaceFix(ctx, msg('runner.fix-wrap-array'), entry.valueSpan, `[${original}]`, true)];
  }
  return [];
}
