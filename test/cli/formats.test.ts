import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { SourceStore, type Analysis, type Finding } from '@engine';

import { formatCodeQuality } from '../../server/src/cli/format/codequality';
import { formatSarif } from '../../server/src/cli/format/sarif';
import { formatText } from '../../server/src/cli/format/text';
import { mergeFindings, reportFindings, type ReportFinding } from '../../server/src/cli/report';
import { MemoryHost } from '../helpers/memory-host';

// A finding in the runner config with a related location in the pipeline and a two-file fix, as rules will report.
const YAML = 'build:\r\n  services:\r\n    - name: "dockér:24-dind"\r\n';
const TOML = '[[runners]]\n  name = "r1"\n  [runners.docker]\n    volumes = ["/cache"]\n';
const YAML_FILE = '/ws/.gitlab-ci.yml';
const TOML_FILE = '/ws/runner/config.toml';

function span(text: string, needle: string): { start: number; end: number } {
  const start = text.indexOf(needle);
  assert.ok(start >= 0, needle);
  return { start, end: start + needle.length };
}

const cacheValue = span(TOML, '["/cache"]');
const FINDING: Finding = {
  ruleId: 'dind/tls-certs-volume-missing',
  severity: 'error',
  message: 'certs are not shared',
  file: TOML_FILE,
  span: cacheValue,
  job: 'build',
  runner: 'r1',
  related: [{ file: YAML_FILE, span: span(YAML, 'dockér:24-dind'), message: 'dind service of job build' }],
  fixes: [
    {
      title: 'Add "/certs/client" to volumes',
      safe: true,
      edits: [
        {
          file: TOML_FILE,
          span: { start: cacheValue.start + 1, end: cacheValue.start + 1 },
          newText: '"/certs/client", ',
        },
        { file: YAML_FILE, span: span(YAML, '24'), newText: '27' },
      ],
    },
  ],
};

function analysis(findings: Finding[]): Analysis {
  const host = new MemoryHost({ [YAML_FILE]: YAML, [TOML_FILE]: TOML });
  return { findings, pipelines: [], runnerConfigs: [], sources: new SourceStore(host) };
}

describe('report findings', () => {
  test('related locations and fix edits get cwd-relative paths and zero-based UTF-16 ranges', () => {
    const [f] = reportFindings(analysis([FINDING]), '/ws/runner');
    assert.ok(f);
    assert.equal(f.file, 'config.toml');
    assert.deepEqual(f.range, { start: { line: 3, character: 14 }, end: { line: 3, character: 24 } });
    assert.deepEqual(f.related, [
      {
        file: '../.gitlab-ci.yml',
        range: { start: { line: 2, character: 13 }, end: { line: 2, character: 27 } },
        message: 'dind service of job build',
      },
    ]);
    assert.deepEqual(f.fixes[0]?.edits, [
      {
        file: 'config.toml',
        range: { start: { line: 3, character: 15 }, end: { line: 3, character: 15 } },
        newText: '"/certs/client", ',
      },
      {
        file: '../.gitlab-ci.yml',
        range: { start: { line: 2, character: 20 }, end: { line: 2, character: 22 } },
        newText: '27',
      },
    ]);
    assert.equal(f.job, 'build');
    assert.equal(f.runner, 'r1');
  });

  test('merging drops exact duplicates and sorts by file, position and rule id', () => {
    const a = analysis([
      FINDING,
      { ...FINDING, ruleId: 'dind/a-rule' },
      { ...FINDING, file: YAML_FILE, span: { start: 0, end: 5 } },
    ]);
    const merged = mergeFindings([reportFindings(a, '/ws'), reportFindings(a, '/ws')]);
    assert.deepEqual(
      merged.map((f) => [f.file, f.ruleId]),
      [
        ['.gitlab-ci.yml', 'dind/tls-certs-volume-missing'],
        ['runner/config.toml', 'dind/a-rule'],
        ['runner/config.toml', 'dind/tls-certs-volume-missing'],
      ],
    );
  });
});

describe('formatters with related locations and fixes', () => {
  const findings: ReportFinding[] = reportFindings(analysis([FINDING]), '/ws');

  test('text indents related locations beneath the finding and counts fixable findings', () => {
    const lines = formatText(findings, false).trimEnd().split('\n');
    assert.deepEqual(lines, [
      'runner/config.toml:4:15: error certs are not shared [dind/tls-certs-volume-missing]',
      '    .gitlab-ci.yml:3:14: dind service of job build',
      '',
      '1 error, 0 warnings, 0 infos (1 fixable with --fix)',
    ]);
  });

  test('sarif carries related locations and fixes as artifact changes with 1-based regions', () => {
    const log = JSON.parse(formatSarif(findings, '/ws')) as {
      runs: { results: Record<string, unknown>[]; tool: { driver: { rules: { id: string }[] } } }[];
    };
    const result = log.runs[0]?.results[0];
    assert.ok(result);
    assert.deepEqual(result['relatedLocations'], [
      {
        id: 0,
        physicalLocation: {
          artifactLocation: { uri: '.gitlab-ci.yml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 3, startColumn: 14, endLine: 3, endColumn: 28 },
        },
        message: { text: 'dind service of job build' },
      },
    ]);
    assert.deepEqual(result['fixes'], [
      {
        description: { text: 'Add "/certs/client" to volumes' },
        properties: { safe: true },
        artifactChanges: [
          {
            artifactLocation: { uri: 'runner/config.toml', uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { startLine: 4, startColumn: 16, endLine: 4, endColumn: 16 },
                insertedContent: { text: '"/certs/client", ' },
              },
            ],
          },
          {
            artifactLocation: { uri: '.gitlab-ci.yml', uriBaseId: '%SRCROOT%' },
            replacements: [
              {
                deletedRegion: { startLine: 3, startColumn: 21, endLine: 3, endColumn: 23 },
                insertedContent: { text: '27' },
              },
            ],
          },
        ],
      },
    ]);
    assert.deepEqual(result['properties'], { job: 'build', runner: 'r1' });
    // A rule the engine does not know still gets a rules[] entry, so ruleIndex stays valid.
    assert.deepEqual(
      log.runs[0]?.tool.driver.rules.map((r) => r.id),
      ['dind/tls-certs-volume-missing'],
    );
  });

  test('codequality fingerprints ignore the line but tell repeats in one file apart', () => {
    const moved: ReportFinding = {
      ...(findings[0] as ReportFinding),
      range: { start: { line: 9, character: 0 }, end: { line: 9, character: 1 } },
    };
    type Issue = { fingerprint: string; location: { lines: { begin: number } } };
    const [original] = JSON.parse(formatCodeQuality(findings)) as Issue[];
    const [shifted] = JSON.parse(formatCodeQuality([moved])) as Issue[];
    assert.equal(shifted?.fingerprint, original?.fingerprint);
    assert.equal(shifted?.location.lines.begin, 10);
    const twice = JSON.parse(formatCodeQuality([...findings, moved])) as Issue[];
    assert.equal(twice.length, 2);
    assert.notEqual(twice[0]?.fingerprint, twice[1]?.fingerprint);
    const other = JSON.parse(formatCodeQuality([{ ...moved, job: 'deploy' }])) as Issue[];
    assert.notEqual(other[0]?.fingerprint, original?.fingerprint);
  });
});
