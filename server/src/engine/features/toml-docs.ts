// config.toml documentation from the runner schema: hover on keys and table headers.

import type { Analysis } from '../analyze';
import { parseRunnerConfig } from '../runner/config';
import type { RunnerConfig, TomlTable } from '../runner/model';
import { lookupRunnerKey, lookupRunnerTable, type RunnerKey, type RunnerTableSchema } from '../runner/schema';
import type { Span } from '../types';
import { code, contains } from './common';
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
export function tableLabel(path: string): string {
  return path === '' ? 'the global section' : `[${path}]`;
}

function defaultText(key: RunnerKey): string {
  if (key.default === undefined) return '';
  const d = key.default;
  return ` · default ${code(typeof d === 'string' ? JSON.stringify(d) : Array.isArray(d) ? JSON.stringify(d) : String(d))}`;
}

/** Markdown documentation of a runner key. */
export function keyDoc(key: RunnerKey, tablePath: string): string {
  const lines = [
    `**${code(key.name)}** · ${code(key.type)}${defaultText(key)} · in ${code(tableLabel(tablePath))}`,
    '',
    key.doc,
  ];
  if (key.values) lines.push('', `Values: ${key.values.map((v) => code(v)).join(', ')}`);
  if (key.minimum !== undefined) lines.push('', `Minimum: ${key.minimum}`);
  if (key.deprecated) lines.push('', `Deprecated: ${key.deprecated}`);
  lines.push('', `[GitLab Runner documentation](${key.docs})`);
  return lines.join('\n');
}

function tableDoc(schema: RunnerTableSchema): string {
  return [
    `**${code(tableLabel(schema.path))}**`,
    '',
    schema.doc,
    '',
    `[GitLab Runner documentation](${schema.docs})`,
  ].join('\n');
}

export function runnerHover(analysis: Analysis, file: string, offset: number): HoverResult | null {
  const config = runnerConfigOf(analysis, file);
  if (!config) return null;
  return tableHover(config.root, offset);
}

function tableHover(table: TomlTable, offset: number): HoverResult | null {
  const header = table.headerSpan ?? table.keySpan ?? null;
  if (header && contains(header, offset)) {
    const schema = lookupRunnerTable(table.path);
    if (schema) return { markdown: tableDoc(schema), span: header };
  }
  for (const entry of table.entries.values()) {
    const inKey = contains(entry.keySpan, offset);
    if (!inKey && !contains(entry.valueSpan, offset)) continue;
    const key = lookupRunnerKey(table.path, entry.key);
    const span: Span = inKey ? entry.keySpan : entry.valueSpan;
    if (key) return { markdown: keyDoc(key, table.path), span };
    const parent = lookupRunnerTable(table.path);
    if (parent && parent.strictness !== 'open') {
      return { markdown: `${code(entry.key)} is not a known key of ${code(tableLabel(table.path))}.`, span };
    }
    return null;
  }
  for (const sub of table.tables.values()) {
    const found = tableHover(sub, offset);
    if (found) return found;
  }
  for (const list of table.tableArrays.values()) {
    for (const sub of list) {
      const found = tableHover(sub, offset);
      if (found) return found;
    }
  }
  return null;
}
