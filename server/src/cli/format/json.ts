// `--format json`: the public contract (docs: cli.md), `{ "version": 1, "findings": [...] }`.

import type { ReportFinding } from '../report';

export function formatJson(findings: readonly ReportFinding[]): string {
  return `${JSON.stringify({ version: 1, findings }, null, 2)}\n`;
}
