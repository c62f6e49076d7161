// The last line of defence for quick-fixes: a fix whose result no longer parses is never offered. Rules compute
// minimal edits from node ranges and are tested for this, but odd layouts (mutated files, unusual indentation) can
// still defeat an edit helper; the adapters check each fix before offering or applying it. This re-parses the edited
// files, so it runs when a fix is requested (a code action, the CLI's output or --fix), not on every analysis.

import { applyEdits } from '../edits';
import { embeddedRunnerConfig, mayEmbedRunnerConfig } from '../runner/helm';
import { parseToml } from '../toml/parse';
import type { Fix, TextEdit } from '../types';
import { parseYaml } from '../yaml/parse';

/**
 * Syntax errors of a file's text: TOML for `*.toml`; YAML otherwise, plus the errors of a runner config embedded in a
 * Helm values file (`runners.config: |`).
 */
export function syntaxErrorCount(path: string, text: string): number {
  if (/\.toml$/i.test(path)) return parseToml(text).problems.length;
  const yaml = parseYaml(text);
  const embedded = mayEmbedRunnerConfig(text) ? embeddedRunnerConfig(yaml, text) : undefined;
  return yaml.problems.filter((p) => p.severity === 'error').length + (embedded?.parsed.problems.length ?? 0);
}

/**
 * True when applying the edits leaves every edited file with no more syntax errors than before. Files whose text is
 * unknown fail the check.
 */
export function editsPreserveSyntax(edits: readonly TextEdit[], textOf: (file: string) => string | undefined): boolean {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) {
    let list = byFile.get(e.file);
    if (!list) byFile.set(e.file, (list = []));
    list.push(e);
  }
  for (const [file, list] of byFile) {
    const before = textOf(file);
    if (before === undefined) return false;
    let after: string;
    try {
      after = applyEdits(before, list);
    } catch {
      return false;
    }
    if (syntaxErrorCount(file, after) > syntaxErrorCount(file, before)) return false;
  }
  return true;
}

export function fixPreservesSyntax(fix: Fix, textOf: (file: string) => string | undefined): boolean {
  return editsPreserveSyntax(fix.edits, textOf);
}
