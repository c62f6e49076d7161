// Model findings of the CI half (include, extends, !reference, structure, syntax).

import type { ModelFindingMeta } from '../ids';
import type { Finding, Severity, Span } from '../types';

export class FindingSink {
  readonly findings: Finding[] = [];

  add(
    meta: ModelFindingMeta,
    file: string,
    span: Span,
    message: string,
    severity: Severity = meta.defaultSeverity,
  ): void {
    this.findings.push({
      ruleId: meta.id,
      severity,
      message,
      file,
      span,
      job: null,
      runner: null,
      related: [],
      fixes: [],
    });
  }
}
