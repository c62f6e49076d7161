// Shared helpers of the runner tests: parse a TOML text into the runner model, walk its tables, apply edits.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import {
  SourceStore,
  parseRunnerConfig,
  type RunnerConfig,
  type TextEdit,
  type TomlData,
  type TomlTable,
} from '@engine';

import { MemoryHost } from '../helpers/memory-host';
import { CORPUS, CORPUS_PRESENT, REPO_ROOT } from '../helpers/paths';

export const FILE = '/ws/config.toml';

export function parse(text: string): RunnerConfig {
  const config = parseRunnerConfig(new SourceStore(new MemoryHost({ [FILE]: text })), FILE);
  if (!config) throw new Error('parseRunnerConfig returned undefined for a readable file');
  return config;
}

/** One step from a table to a sub-table: `tables` by key, or `tableArrays` by key and index. */
export type Step = readonly [key: string, index: number | null];

export interface Located {
  readonly steps: readonly Step[];
  readonly table: TomlTable;
}

/** Every table of the model, with how to reach it from the root. */
export function walkTables(root: TomlTable): Located[] {
  const out: Located[] = [];
  const visit = (table: TomlTable, steps: readonly Step[]): void => {
    out.push({ steps, table });
    for (const [k, t] of table.tables) visit(t, [...steps, [k, null]]);
    for (const [k, list] of table.tableArrays) list.forEach((t, i) => visit(t, [...steps, [k, i]]));
  };
  visit(root, []);
  return out;
}

export function follow(root: TomlTable, steps: readonly Step[]): TomlTable | undefined {
  let t: TomlTable | undefined = root;
  for (const [k, i] of steps) t = i === null ? t?.tables.get(k) : t?.tableArrays.get(k)?.[i];
  return t;
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** The plain data the model holds: entries, then header/dotted/implicit sub-tables and arrays of tables. */
export function modelData(table: TomlTable): { [key: string]: TomlData } {
  const out: { [key: string]: TomlData } = {};
  for (const [k, e] of table.entries) out[k] = e.value;
  for (const [k, t] of table.tables) if (t.kind !== 'inline') out[k] = modelData(t);
  for (const [k, list] of table.tableArrays) if (list[0]?.kind !== 'inline') out[k] = list.map(modelData);
  return out;
}

export const FIXTURES = resolve(REPO_ROOT, 'test', 'runner', 'fixtures');

/** Every `.toml` fixture: [relative name, text]. */
export function tomlFixtures(): [string, string][] {
  const out: [string, string][] = [];
  for (const dir of readdirSync(FIXTURES)) {
    for (const f of readdirSync(join(FIXTURES, dir))) {
      if (f.endsWith('.toml')) out.push([`${dir}/${f}`, readFileSync(join(FIXTURES, dir, f), 'utf8')]);
    }
  }
  return out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

export const RUNNER_CORPUS = join(CORPUS, 'runner-configs');

/** Every corpus runner config: [file name, text]; empty when the corpus is absent. */
export function corpusConfigs(): [string, string][] {
  if (!CORPUS_PRESENT) return [];
  return readdirSync(RUNNER_CORPUS)
    .sort()
    .map((f): [string, string] => [f, readFileSync(join(RUNNER_CORPUS, f), 'utf8')]);
}
