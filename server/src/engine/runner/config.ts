// Builds the runner model of one config.toml (see model.ts).

import { MODEL_FINDINGS } from '../ids';
import type { SourceStore } from '../sources';
import type { Finding } from '../types';
import type { RunnerConfig } from './model';

export function parseRunnerConfig(sources: SourceStore, file: string): RunnerConfig | undefined {
  const parsed = sources.toml(file);
  if (!parsed) return undefined;
  const findings: Finding[] = parsed.problems.map((p) => ({
    ruleId: MODEL_FINDINGS.tomlSyntax.id,
    severity: 'error',
    message: p.message,
    file,
    span: p.span,
    job: null,
    runner: null,
    related: [],
    fixes: [],
  }));
  const root = {
    path: '',
    headerSpan: null,
    insertOffset: 0,
    indent: '',
    entries: new Map(),
    tables: new Map(),
    tableArrays: new Map(),
  };
  return { file, root, runners: [], findings };
}

/** True when the text holds a `[[runners]]` table: what makes a TOML file a runner config. */
export function looksLikeRunnerConfig(text: string): boolean {
  return /^\s*\[\[\s*runners\s*\]\]/m.test(text);
}
