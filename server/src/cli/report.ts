// Findings as every output format sees them: paths relative to the cwd, zero-based UTF-16 line/character ranges
// (the `--format json` contract), merged over several analyses and sorted by file, position and rule id.

import { LineIndex, type Analysis, type Position, type Range, type Severity, type Span } from '../engine/index';
import { displayPath } from './disk-host';

export interface ReportLocation {
  readonly file: string;
  readonly range: Range;
}

export interface ReportRelated extends ReportLocation {
  readonly message: string;
}

export interface ReportEdit extends ReportLocation {
  readonly newText: string;
}

export interface ReportFix {
  readonly title: string;
  readonly safe: boolean;
  readonly edits: readonly ReportEdit[];
}

/** One finding exactly as `--format json` prints it (key order included). */
export interface ReportFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly range: Range;
  readonly job: string | null;
  readonly runner: string | null;
  readonly related: readonly ReportRelated[];
  readonly fixes: readonly ReportFix[];
}

const EMPTY = new LineIndex('');

/** The findings of one analysis, located with the texts the analysis read. */
export function reportFindings(analysis: Analysis, cwd: string): ReportFinding[] {
  const locate = (file: string, span: Span): ReportLocation => ({
    file: displayPath(file, cwd),
    range: (analysis.sources.file(file)?.lines ?? EMPTY).rangeOf(span),
  });
  return analysis.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    ...locate(f.file, f.span),
    job: f.job,
    runner: f.runner,
    related: f.related.map((r) => ({ ...locate(r.file, r.span), message: r.message })),
    fixes: f.fixes.map((x) => ({
      title: x.title,
      safe: x.safe,
      edits: x.edits.map((e) => ({ ...locate(e.file, e.span), newText: e.newText })),
    })),
  }));
}

/** Merges findings of several analyses: drops exact duplicates and sorts by file, position, then rule id. */
export function mergeFindings(lists: readonly (readonly ReportFinding[])[]): ReportFinding[] {
  const seen = new Set<string>();
  const out: ReportFinding[] = [];
  for (const f of lists.flat()) {
    const key = JSON.stringify(f);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out.sort(compareFindings);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePosition(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** File, start position, rule id (the contract's order), then the rest only to make the order total. */
function compareFindings(a: ReportFinding, b: ReportFinding): number {
  return (
    compareText(a.file, b.file) ||
    comparePosition(a.range.start, b.range.start) ||
    compareText(a.ruleId, b.ruleId) ||
    comparePosition(a.range.end, b.range.end) ||
    compareText(a.job ?? '', b.job ?? '') ||
    compareText(a.runner ?? '', b.runner ?? '') ||
    compareText(a.message, b.message)
  );
}

export interface Counts {
  readonly error: number;
  readonly warning: number;
  readonly info: number;
  /** Findings that offer a safe fix. */
  readonly fixable: number;
}

export function countFindings(findings: readonly ReportFinding[]): Counts {
  const counts = { error: 0, warning: 0, info: 0, fixable: 0 };
  for (const f of findings) {
    counts[f.severity]++;
    if (f.fixes.some((x) => x.safe)) counts.fixable++;
  }
  return counts;
}
