// Model findings of the CI half (include, extends, !reference, structure, syntax).

import type { ModelFindingMeta } from '../ids';
import type { Finding, Severity, Span } from '../types';

export class FindingSink {
  readonly findings: Finding[] = [];
  /** Set once an include could not be followed or resolved: the model may then lack jobs defined there. */
  incomplete = false;

  /** A name that is missing from the model: an error, unless an unfollowed include may define it (then info). */
  addMissing(meta: ModelFindingMeta, file: string, span: Span, message: string): void {
    if (this.incomplete) {
      this.add(meta, file, span, `${message} It may be defined in an include that is not followed offline.`, 'info');
    } else {
      this.add(meta, file, span, message);
    }
  }

  add(
    meta: ModelFindingMeta,
    file: string,
    span: Span,
    message: string,
    severity: Severity = meta.defaultSeverity,
  ): void {
    if (meta.id === 'dind/include-not-followed' || meta.id === 'dind/include-error') this.incomplete = true;
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
