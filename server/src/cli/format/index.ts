// Picks the formatter for `--format`.

import type { Format } from '../args';
import type { ReportFinding } from '../report';
import { formatCodeQuality } from './codequality';
import { formatJson } from './json';
import { formatSarif } from './sarif';
import { formatText } from './text';

export interface FormatContext {
  /** Absolute cwd (the SARIF `%SRCROOT%`). */
  readonly cwd: string;
  /** Whether text output may use ANSI colours. */
  readonly color: boolean;
}

export function formatReport(format: Format, findings: readonly ReportFinding[], ctx: FormatContext): string {
  switch (format) {
    case 'text':
      return formatText(findings, ctx.color);
    case 'json':
      return formatJson(findings);
    case 'sarif':
      return formatSarif(findings, ctx.cwd);
    case 'codequality':
      return formatCodeQuality(findings);
  }
}
