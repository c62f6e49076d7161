// `--format text`: one compiler-style line per finding (`path:line:col: severity message [ruleId]`, 1-based),
// related locations indented beneath, then a summary line.

import type { Severity } from '../../engine/index';
import { countFindings, type ReportFinding, type ReportLocation } from '../report';

const RESET = '\u001b[0m';
const STYLE: Readonly<Record<Severity | 'dim' | 'bold', string>> = {
  error: '\u001b[31m',
  warning: '\u001b[33m',
  info: '\u001b[36m',
  dim: '\u001b[2m',
  bold: '\u001b[1m',
};

function where(loc: ReportLocation): string {
  return `${loc.file}:${loc.range.start.line + 1}:${loc.range.start.character + 1}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatText(findings: readonly ReportFinding[], color: boolean): string {
  const paint = (style: keyof typeof STYLE, text: string): string => (color ? `${STYLE[style]}${text}${RESET}` : text);
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(
      `${paint('bold', where(f))}: ${paint(f.severity, f.severity)} ${f.message} ${paint('dim', `[${f.ruleId}]`)}`,
    );
    for (const r of f.related) lines.push(`    ${where(r)}: ${r.message}`);
  }
  const c = countFindings(findings);
  let summary = `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.info, 'info')}`;
  if (c.fixable > 0) summary += ` (${c.fixable} fixable with --fix)`;
  if (lines.length > 0) lines.push('');
  lines.push(summary);
  return `${lines.join('\n')}\n`;
}
