// config.toml documentation from the runner schema: hover on keys and table headers.

import type { Analysis } from '../analyze';
import type { Locale } from '../i18n';
import { parseRunnerConfig } from '../runner/config';
import type { RunnerConfig, TomlTable } from '../runner/model';
import { lookupRunnerKey, lookupRunnerTable, type RunnerKey, type RunnerTableSchema } from '../runner/schema';
import { RUNNER_KEY_DOCS_ZH_CN, RUNNER_TABLE_DOCS_ZH_CN } from '../runner/schema-docs.zh-cn';
import type { Span } from '../types';
import { code, contains, t } from './common';
import type { HoverResult } from './hover';

/** The runner config model of `file`: from the analysis, else parsed now (a config.toml not checked yet). */
export function runnerConfigOf(analysis: Analysis, file: string): RunnerConfig | undefined {
  const known = analysis.runnerConfigs.find((c) => c.file === file);
  if (known) return known;
  try {
    return parseRunnerConfig(analysis.sources, file);
  } catch {
    return undefined;
  }
}

/** `[runners.docker]` for a table path (`` for the global section). */
export function tableLabel(path: string, locale: Locale = 'en'): string {
  return path === '' ? t(locale, 'features.toml.global-section') : `[${path}]`;
}

/** The one-line doc of the key `name` of the table at `tablePath`, in `locale` (English when not translated). */
export function runnerKeyDoc(key: RunnerKey, tablePath: string, locale: Locale = 'en'): string {
  const path = tablePath === '' ? key.name : `${tablePath}.${key.name}`;
  return (locale === 'zh-cn' ? RUNNER_KEY_DOCS_ZH_CN[path] : undefined) ?? key.doc;
}

function runnerTableDoc(schema: RunnerTableSchema, locale: Locale): string {
  return (locale === 'zh-cn' ? RUNNER_TABLE_DOCS_ZH_CN[schema.path] : undefined) ?? schema.doc;
}

function defaultText(key: RunnerKey, locale: Locale): string {
  if (key.default === undefined) return '';
  const d = key.default;
  const value = code(typeof d === 'string' ? JSON.stringify(d) : Array.isArray(d) ? JSON.stringify(d) : String(d));
  return t(locale, 'features.toml.default', { value });
}

/** Markdown documentation of a runner key. */
export function keyDoc(key: RunnerKey, tablePath: string, locale: Locale = 'en'): string {
  const title = t(locale, 'features.toml.key-title', {
    name: code(key.name),
    type: code(key.type),
    default: defaultText(key, locale),
    table: code(tableLabel(tablePath, locale)),
  });
  const lines = [title, '', runnerKeyDoc(key, tablePath, locale)];
  if (key.values)
    lines.push('', t(locale, 'features.toml.values', { values: key.values.map((v) => code(v)).join(', ') }));
  if (key.minimum !== undefined) lines.push('', t(locale, 'features.toml.minimum', { minimum: key.minimum }));
  if (key.deprecated) lines.push('', t(locale, 'features.toml.deprecated', { replacement: key.deprecated }));
  lines.push('', t(locale, 'features.toml.docs-link', { url: key.docs }));
  return lines.join('\n');
}

function tableDoc(schema: RunnerTableSchema, locale: Locale): string {
  return [
    `**${code(tableLabel(schema.path, locale))}**`,
    '',
    runnerTableDoc(schema, locale),
    '',
    t(locale, 'features.toml.docs-link', { url: schema.docs }),
  ].join('\n');
}

export function runnerHover(
  analysis: Analysis,
  file: string,
  offset: number,
  locale: Locale = 'en',
): HoverResult | null {
  const config = runnerConfigOf(analysis, file);
  if (!config) return null;
  return tableHover(config.root, offset, locale);
}

function tableHover(table: TomlTable, offset: number, locale: Locale): HoverResult | null {
  const header = table.headerSpan ?? table.keySpan ?? null;
  if (header && contains(header, offset)) {
    const schema = lookupRunnerTable(table.path);
    if (schema) return { markdown: tableDoc(schema, locale), span: header };
  }
  for (const entry of table.entries.values()) {
    const inKey = contains(entry.keySpan, offset);
    if (!inKey && !contains(entry.valueSpan, offset)) continue;
    const key = lookupRunnerKey(table.path, entry.key);
    const span: Span = inKey ? entry.keySpan : entry.valueSpan;
    if (key) return { markdown: keyDoc(key, table.path, locale), span };
    const parent = lookupRunnerTable(table.path);
    if (parent && parent.strictness !== 'open') {
      const markdown = t(locale, 'features.toml.unknown-key', {
        key: code(entry.key),
        table: code(tableLabel(table.path, locale)),
      });
      return { markdown, span };
    }
    return null;
  }
  for (const sub of table.tables.values()) {
    const found = tableHover(sub, offset, locale);
    if (found) return found;
  }
  for (const list of table.tableArrays.values()) {
    for (const sub of list) {
      const found = tableHover(sub, offset, locale);
      if (found) return found;
    }
  }
  return null;
}
