// Deterministic text fingerprints of runner configurations, for the runner equivalence classes of `analyze`: equal
// prints mean equal configurations, positions excluded.

import type { Runner, TomlData, TomlTable } from '../runner/model';

function tableData(table: TomlTable, skip: string | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, e] of table.entries) if (k !== skip) out[`=${k}`] = tomlValue(e.value);
  for (const [k, t] of table.tables) out[`.${k}`] = tableData(t, null);
  for (const [k, ts] of table.tableArrays) out[`[]${k}`] = ts.map((t) => tableData(t, null));
  return out;
}

function tomlValue(v: TomlData): unknown {
  if (v instanceof Date) return { $date: v.toISOString() };
  if (Array.isArray(v)) return v.map(tomlValue);
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = tomlValue(x);
    return out;
  }
  return v;
}

/**
 * The runner's configuration without its name and without positions: runners with equal configuration prints
 * behave alike for job checks (findings may still differ in the runner they name and in runner-file positions).
 */
export function runnerConfigPrint(runner: Runner): string {
  return JSON.stringify([runner.file, runner.name === null, tableData(runner.table, 'name')]);
}
