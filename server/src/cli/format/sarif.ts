// `--format sarif`: SARIF 2.1.0 with one run. Regions are 1-based, columns in UTF-16 code units
// (`columnKind: utf16CodeUnits`); artifact URIs are relative to `%SRCROOT%`, the cwd.

import { pathToFileURL } from 'node:url';

import type { Range, Severity } from '../../engine/index';
import { ruleInfo, TOOL_NAME, TOOL_URI, toolVersion } from '../meta';
import type { ReportFinding, ReportLocation } from '../report';
import { fingerprint } from './codequality';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL: Readonly<Record<Severity, SarifLevel>> = { error: 'error', warning: 'warning', info: 'note' };

function region(range: Range): Record<string, number> {
  return {
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

function artifactLocation(file: string): { uri: string; uriBaseId: string } {
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function physicalLocation(loc: ReportLocation): Record<string, unknown> {
  return { artifactLocation: artifactLocation(loc.file), region: region(loc.range) };
}

function sarifRule(id: string): Record<string, unknown> {
  const info = ruleInfo(id);
  if (!info) return { id, shortDescription: { text: id } };
  return {
    id,
    shortDescription: { text: info.description },
    helpUri: info.docs,
    defaultConfiguration: { level: LEVEL[info.defaultSeverity] },
  };
}

export function formatSarif(findings: readonly ReportFinding[], cwd: string): string {
  const ruleIds = [...new Set(findings.map((f) => f.ruleId))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const srcroot = pathToFileURL(cwd).href;
  const results = findings.map((f) => {
    const result: Record<string, unknown> = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [{ physicalLocation: physicalLocation(f) }],
      partialFingerprints: { [`${TOOL_NAME}/v1`]: fingerprint(f, 0) },
      properties: { job: f.job, runner: f.runner },
    };
    if (f.related.length > 0) {
      result['relatedLocations'] = f.related.map((r, id) => ({
        id,
        physicalLocation: physicalLocation(r),
        message: { text: r.message },
      }));
    }
    if (f.fixes.length > 0) {
      result['fixes'] = f.fixes.map((x) => ({
        description: { text: x.title },
        properties: { safe: x.safe },
        artifactChanges: [...new Set(x.edits.map((e) => e.file))].map((file) => ({
          artifactLocation: artifactLocation(file),
          replacements: x.edits
            .filter((e) => e.file === file)
            .map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
        })),
      }));
    }
    return result;
  });
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: toolVersion(),
            informationUri: TOOL_URI,
            rules: ruleIds.map(sarifRule),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: srcroot.endsWith('/') ? srcroot : `${srcroot}/` } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
