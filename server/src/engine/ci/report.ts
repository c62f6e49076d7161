// Model findings of the CI half (include, extends, !reference, structure, syntax).

import { coreText } from '../core-messages';
import { msg, type Msg } from '../i18n';
import type { ModelFindingMeta } from '../ids';
import type { Finding, Severity, Span } from '../types';

export class FindingSink {
  readonly findings: Finding[] = [];
  /** Set once an include could not be followed or resolved: the model may then lack jobs defined there. */
  incomplete = false;

  /** A name that is missing from the model: an error, unless an unfollowed include may define it (then info). */
  addMissing(meta: ModelFindingMeta, file: string, span: Span, message: Msg): void {
    if (this.incomplete) {
      this.add(meta, file, span, msg('ci.maybe-in-include', { message }), 'info');
    } else {
      this.add(meta, file, span, message);
    }
  }

  add(
    meta: ModelFindingMeta,
    file: string,
    span: Span,
    message: string | Msg,
    severity: Severity = meta.defaultSeverity,
  ): void {
    const { text, l10n } = coreText(message);
    if (meta.id === 'dind/include-not-followed' || meta.id === 'dind/include-error') this.incomplete = true;
    this.findings.push({
      ruleId: meta.id,
      severity,
      message: text,
      ...(l10n ? { l10n } : {}),
      file,
      span,
      job: null,
      runner: null,
      related: [],
      fixes: [],
    });
  }
}
