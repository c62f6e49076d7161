// `--format codequality`: GitLab's Code Quality report, a JSON array of Code Climate issues. Severities map
// error → major, warning → minor, info → info. The fingerprint hashes rule id, file, job, runner and message
// (not the line), so an issue keeps its identity across unrelated edits; repeats of the same issue in one file
// are told apart by their order.

import { createHash } from 'node:crypto';

import type { Severity } from '../../engine/index';
import type { ReportFinding } from '../report';
import { TOOL_NAME } from '../meta';

type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export const CODE_QUALITY_SEVERITY: Readonly<Record<Severity, CodeQualitySeverity>> = {
  error: 'major',
  warning: 'minor',
  info: 'info',
};

export function fingerprint(f: ReportFinding, occurrence: number): string {
  const parts = [f.ruleId, f.file, f.job ?? '', f.runner ?? '', f.message];
  if (occurrence > 0) parts.push(String(occurrence));
  return createHash('sha256').update(parts.join('\0')).digest('hex');
}

export function formatCodeQuality(findings: readonly ReportFinding[]): string {
  const occurrences = new Map<string, number>();
  const issues = findings.map((f) => {
    const base = fingerprint(f, 0);
    const n = occurrences.get(base) ?? 0;
    occurrences.set(base, n + 1);
    return {
      type: 'issue',
      engine_name: TOOL_NAME,
      check_name: f.ruleId,
      description: f.message,
      categories: [f.ruleId.startsWith('dind/security-') ? 'Security' : 'Bug Risk'],
      fingerprint: n === 0 ? base : fingerprint(f, n),
      severity: CODE_QUALITY_SEVERITY[f.severity],
      location: { path: f.file, lines: { begin: f.range.start.line + 1, end: f.range.end.line + 1 } },
    };
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}
