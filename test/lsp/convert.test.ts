// Findings → diagnostics and fixes → code actions, on synthetic findings (so that fixes exist whatever rules ship).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { editsPreserveSyntax, MODEL_FINDINGS, SourceStore, syntaxErrorCount, type Finding } from '@engine';

import {
  diagnosticData,
  fixAll,
  fixDataKeepsSyntax,
  quickFixes,
  toDiagnostic,
  type ConvertContext,
} from '../../server/src/lsp/convert';
import { MemoryHost } from '../helpers/memory-host';

const CI = '/ws/.gitlab-ci.yml';
const TOML = '/ws/config.toml';
const ciText = '# 🐳\nbuild:\n  services: [docker:dind]\n';
const tomlText = '[[runners]]\n  [runners.docker]\n    privileged = false\n';

function context(versions: Record<string, number> = {}): ConvertContext {
  const host = new MemoryHost({ [CI]: ciText, [TOML]: tomlText });
  const sources = new SourceStore({
    readFile: (p) => {
      const r = host.readFile(p);
      const version = versions[p];
      return r.kind === 'ok' && version !== undefined ? { ...r, version } : r;
    },
    readDirectory: (p) => host.readDirectory(p),
  });
  return { sources, uriOf: (p) => `file://${p}` };
}

const at = (text: string, needle: string): { start: number; end: number } => {
  const start = text.indexOf(needle);
  assert.ok(start >= 0, needle);
  return { start, end: start + needle.length };
};

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: MODEL_FINDINGS.pipelineStructure.id,
    severity: 'warning',
    message: 'privileged is off',
    file: CI,
    span: at(ciText, 'docker:dind'),
    job: 'build',
    runner: null,
    related: [{ file: TOML, span: at(tomlText, 'privileged = false'), message: 'runner setting' }],
    fixes: [
      {
        title: 'Set privileged = true',
        safe: true,
        preferred: true,
        edits: [{ file: TOML, span: at(tomlText, 'false'), newText: 'true' }],
      },
      { title: 'Remove the service', safe: false, edits: [{ file: CI, span: at(ciText, 'docker:dind'), newText: '' }] },
    ],
    ...overrides,
  };
}

test('a finding becomes a diagnostic with UTF-16 ranges, code, docs link and related information', () => {
  const ctx = context();
  const d = toDiagnostic(ctx, finding());
  assert.deepEqual(d.range, { start: { line: 2, character: 13 }, end: { line: 2, character: 24 } });
  assert.equal(d.severity, 2);
  assert.equal(d.code, MODEL_FINDINGS.pipelineStructure.id);
  assert.equal(d.codeDescription?.href, MODEL_FINDINGS.pipelineStructure.docs);
  assert.equal(d.source, 'gitlab-ci-dind');
  assert.deepEqual(d.relatedInformation, [
    {
      location: { uri: `file://${TOML}`, range: { start: { line: 2, character: 4 }, end: { line: 2, character: 22 } } },
      message: 'runner setting',
    },
  ]);
  assert.equal(diagnosticData(d.data)?.fixes.length, 2);
  assert.equal(diagnosticData({ fixes: [{ title: 'x', edits: [{ uri: 1 }] }] }), undefined);
});

test('quick fixes: one action per fix, versioned document changes across files, stale versions refused', () => {
  const ctx = context({ [TOML]: 4 });
  const d = toDiagnostic(ctx, finding());
  const actions = quickFixes([d], true, () => true);
  assert.deepEqual(
    actions.map((a) => [a.title, a.kind, a.isPreferred === true]),
    [
      ['Set privileged = true', 'quickfix', true],
      ['Remove the service', 'quickfix', false],
    ],
  );
  assert.deepEqual(actions[0]?.edit?.documentChanges, [
    {
      textDocument: { uri: `file://${TOML}`, version: 4 },
      edits: [{ range: { start: { line: 2, character: 17 }, end: { line: 2, character: 22 } }, newText: 'true' }],
    },
  ]);
  assert.deepEqual(actions[1]?.diagnostics, [d]);
  const plain = quickFixes([d], false, () => true);
  assert.deepEqual(Object.keys(plain[0]?.edit?.changes ?? {}), [`file://${TOML}`]);
  const stale = quickFixes([d], true, (uri, version) => !(uri.endsWith('config.toml') && version === 4));
  assert.deepEqual(
    stale.map((a) => a.title),
    ['Remove the service'],
  );
  assert.deepEqual(
    quickFixes([{ ...d, source: 'other' }], true, () => true),
    [],
  );
});

test('fix-all applies the first safe fix of each finding, skipping overlaps', () => {
  const ctx = context();
  const same = finding({ message: 'again' });
  const action = fixAll(ctx, [finding(), same], false);
  assert.equal(action?.kind, 'source.fixAll.gitlabCiDind');
  assert.deepEqual(action?.edit?.changes, {
    [`file://${TOML}`]: [
      { range: { start: { line: 2, character: 17 }, end: { line: 2, character: 22 } }, newText: 'true' },
    ],
  });
  assert.equal(fixAll(ctx, [finding({ fixes: [] })], false), undefined);
});

test('a fix whose result would not parse is offered neither as a quick fix nor in fix-all', () => {
  const ctx = context();
  const breaking = {
    title: 'Break the runner config',
    safe: true,
    edits: [{ file: TOML, span: at(tomlText, 'false'), newText: '"unterminated' }],
  };
  const f = finding({ fixes: [breaking, ...finding().fixes] });
  const d = toDiagnostic(ctx, f);
  const pathOf = (uri: string): string => uri.replace('file://', '');
  const titles = quickFixes(
    [d],
    true,
    () => true,
    (fix) => fixDataKeepsSyntax(ctx, fix, pathOf),
  ).map((a) => a.title);
  assert.deepEqual(titles, ['Set privileged = true', 'Remove the service']);
  const all = fixAll(ctx, [f], false);
  assert.deepEqual(
    all?.edit?.changes?.[`file://${TOML}`]?.map((e) => e.newText),
    ['true'],
  );
});

test('the syntax check of a fix also covers a runner config embedded in a Helm values file', () => {
  const values = 'runners:\n  config: |\n    [[runners]]\n      name = "r"\n';
  assert.equal(syntaxErrorCount('/ws/values.yaml', values), 0);
  const broken = values.replace('name = "r"', 'name = "r');
  assert.equal(syntaxErrorCount('/ws/values.yaml', broken), 1);
  assert.ok(
    !editsPreserveSyntax(
      [
        {
          file: '/ws/values.yaml',
          span: { start: values.indexOf('"r"'), end: values.indexOf('"r"') + 3 },
          newText: '"r',
        },
      ],
      () => values,
    ),
  );
});
