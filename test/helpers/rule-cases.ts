// Table-driven rule tests. Each case is a small workspace (file name → text); the harness analyzes it with the real
// engine (the bundled dist/engine.js), checks the findings of one rule against expectations written as "the text the
// range covers", and checks the fix properties for every fix the rule offers:
//   - the edited files still parse (no new dind/yaml-syntax or dind/toml-syntax),
//   - the targeted finding is gone,
//   - no new error finding appears,
//   - a second analysis offers no fix for the same finding,
//   - the edits are minimal: lines the edit did not need to touch are byte-identical, line endings are kept.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  analyze,
  type Analysis,
  type AnalysisOptions,
  type Finding,
  type Settings,
  type TextEdit,
  DEFAULT_SETTINGS,
} from '@engine';

import { assertLazyEquivalent } from './lazy';
import { MemoryHost } from './memory-host';

export const WS = '/ws';

export interface ExpectedFinding {
  /** Workspace-relative file; default `.gitlab-ci.yml`. */
  readonly file?: string;
  /** The exact text the finding's range covers. */
  readonly at: string;
  /** Which occurrence of `at` in the file (0-based) when it appears several times. */
  readonly occurrence?: number;
  readonly job?: string | null;
  readonly runner?: string | null;
  readonly severity?: 'error' | 'warning' | 'info';
  /** A substring the message must contain. */
  readonly message?: string;
}

export interface RuleCase {
  readonly name: string;
  /** Workspace-relative path → text. `.gitlab-ci.yml` is the pipeline root; `config.toml` files are runner configs. */
  readonly files: Readonly<Record<string, string>>;
  readonly expect: readonly ExpectedFinding[];
  /** Settings overrides (e.g. `{ assumeRunner: 'gitlab-saas' }`). */
  readonly settings?: Partial<Settings>;
  /** Runner configs to use; default: every `*.toml` file of the case. */
  readonly runnerConfigs?: readonly string[];
  /** Titles of fixes that must be offered (on some finding of the rule). */
  readonly fixes?: readonly string[];
}

export function analyzeCase(c: Pick<RuleCase, 'files' | 'settings' | 'runnerConfigs'>): {
  analysis: Analysis;
  host: MemoryHost;
  options: AnalysisOptions;
} {
  const host = new MemoryHost({}, WS);
  for (const [p, t] of Object.entries(c.files)) host.set(p, t);
  const runnerConfigs = (c.runnerConfigs ?? Object.keys(c.files).filter((p) => p.endsWith('.toml'))).map((p) =>
    host.abs(p),
  );
  const settings: Settings = { ...DEFAULT_SETTINGS, ...c.settings };
  const options: AnalysisOptions = {
    workspaceRoot: WS,
    pipelines: c.files['.gitlab-ci.yml'] !== undefined ? [host.abs('.gitlab-ci.yml')] : [],
    runnerConfigs,
    settings,
  };
  const analysis = analyze(host, options);
  return { analysis, host, options };
}

function rel(path: string): string {
  return path.startsWith(`${WS}/`) ? path.slice(WS.length + 1) : path;
}

function describeFinding(f: Finding, host: MemoryHost): string {
  const text = host.files.get(f.file) ?? '';
  return `${rel(f.file)} [${f.span.start},${f.span.end}) ${JSON.stringify(text.slice(f.span.start, f.span.end))} job=${f.job} runner=${f.runner} ${f.severity}: ${f.message}`;
}

/** Applies edits to the host's files (an oracle independent of the engine's own edit code). */
export function applyEditsToHost(host: MemoryHost, edits: readonly TextEdit[]): MemoryHost {
  const out = new MemoryHost({}, host.root);
  for (const [p, t] of host.files) out.files.set(p, t);
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) {
    let list = byFile.get(e.file);
    if (!list) byFile.set(e.file, (list = []));
    list.push(e);
  }
  for (const [file, list] of byFile) {
    const text = host.files.get(file);
    assert.ok(text !== undefined, `fix edits a file that is not in the workspace: ${file}`);
    const sorted = [...list].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
    let result = text;
    let lastStart = Infinity;
    for (const e of sorted) {
      assert.ok(e.span.end <= lastStart, `overlapping edits in ${file}`);
      assert.ok(e.span.start >= 0 && e.span.end <= text.length && e.span.start <= e.span.end, 'edit span in bounds');
      result = result.slice(0, e.span.start) + e.newText + result.slice(e.span.end);
      lastStart = e.span.start;
    }
    out.files.set(file, result);
  }
  return out;
}

/** Checks that an edit replaces no more than it must: after trimming the common prefix and suffix, no non-trivial
 * line survives unchanged inside the replaced region, and inserted text uses the file's line endings. */
export function assertMinimalEdit(original: string, edit: TextEdit): void {
  const removed = original.slice(edit.span.start, edit.span.end);
  const inserted = edit.newText;
  let p = 0;
  while (p < removed.length && p < inserted.length && removed[p] === inserted[p]) p++;
  let s = 0;
  while (
    s < removed.length - p &&
    s < inserted.length - p &&
    removed[removed.length - 1 - s] === inserted[inserted.length - 1 - s]
  )
    s++;
  const oldCore = removed.slice(p, removed.length - s);
  const newCore = inserted.slice(p, inserted.length - s);
  const oldLines = new Set(oldCore.split(/\r?\n/).filter((l) => l.trim().length > 3));
  const kept = newCore.split(/\r?\n/).filter((l) => l.trim().length > 3 && oldLines.has(l));
  assert.deepEqual(kept, [], `edit rewrites lines it keeps unchanged: ${JSON.stringify(kept)}`);
  const crlf = original.includes('\r\n');
  if (crlf) assert.ok(!/(^|[^\r])\n/.test(inserted), 'inserted text keeps CRLF line endings');
  else assert.ok(!inserted.includes('\r'), 'inserted text keeps LF line endings');
}

function findingKey(f: Finding): string {
  return `${f.ruleId}|${f.file}|${f.job ?? ''}|${f.runner ?? ''}`;
}

/** Registers one `describe` block with a test per case and a fix-property test per offered fix. */
export function ruleCases(ruleId: string, cases: readonly RuleCase[]): void {
  describe(ruleId, () => {
    for (const c of cases) {
      test(c.name, () => {
        const { analysis, host, options } = analyzeCase(c);
        assertLazyEquivalent(host, options, c.name);
        const internal = analysis.findings.filter((f) => f.ruleId === 'dind/internal-error');
        assert.deepEqual(
          internal.map((f) => f.message),
          [],
          'no internal error',
        );
        const got = analysis.findings.filter((f) => f.ruleId === ruleId);
        const unmatched = [...got];
        for (const e of c.expect) {
          const file = host.abs(e.file ?? '.gitlab-ci.yml');
          const text = host.files.get(file);
          assert.ok(text !== undefined, `expected file ${e.file ?? '.gitlab-ci.yml'} exists in the case`);
          let start = -1;
          for (let i = 0; i <= (e.occurrence ?? 0); i++) start = text.indexOf(e.at, start + 1);
          assert.ok(start >= 0, `expectation text ${JSON.stringify(e.at)} occurs in ${e.file ?? '.gitlab-ci.yml'}`);
          const idx = unmatched.findIndex(
            (f) =>
              f.file === file &&
              f.span.start === start &&
              f.span.end === start + e.at.length &&
              (e.job === undefined || f.job === e.job) &&
              (e.runner === undefined || f.runner === e.runner) &&
              (e.severity === undefined || f.severity === e.severity) &&
              (e.message === undefined || f.message.includes(e.message)),
          );
          assert.ok(
            idx >= 0,
            `expected ${ruleId} at ${JSON.stringify(e.at)} in ${e.file ?? '.gitlab-ci.yml'}` +
              `${e.job !== undefined ? ` job=${e.job}` : ''}${e.runner !== undefined ? ` runner=${e.runner}` : ''}; got:\n` +
              got.map((f) => describeFinding(f, host)).join('\n'),
          );
          unmatched.splice(idx, 1);
        }
        assert.deepEqual(
          unmatched.map((f) => describeFinding(f, host)),
          [],
          'no unexpected findings of this rule',
        );
        const titles = got.flatMap((f) => f.fixes.map((x) => x.title));
        for (const t of c.fixes ?? [])
          assert.ok(titles.includes(t), `fix "${t}" offered; offered: ${JSON.stringify(titles)}`);

        // Fix properties, for every fix of every finding of this rule.
        for (const f of got) {
          for (const fix of f.fixes) {
            const label = `fix "${fix.title}" for ${describeFinding(f, host)}`;
            assert.ok(fix.edits.length > 0, `${label}: has edits`);
            for (const e of fix.edits) assertMinimalEdit(host.files.get(e.file) ?? '', e);
            const fixedHost = applyEditsToHost(host, fix.edits);
            const after = analyzeCase({
              ...c,
              files: Object.fromEntries([...fixedHost.files].map(([p, t]) => [rel(p), t])),
            });
            const syntax = after.analysis.findings.filter(
              (x) => x.ruleId === 'dind/yaml-syntax' || x.ruleId === 'dind/toml-syntax',
            );
            const syntaxBefore = analysis.findings.filter(
              (x) => x.ruleId === 'dind/yaml-syntax' || x.ruleId === 'dind/toml-syntax',
            );
            assert.equal(
              syntax.length,
              syntaxBefore.length,
              `${label}: the result parses (${syntax.map((x) => x.message).join('; ')})`,
            );
            const sameAfter = after.analysis.findings.filter(
              (x) => findingKey(x) === findingKey(f) && x.message === f.message,
            );
            assert.equal(sameAfter.length, 0, `${label}: the targeted finding is gone`);
            const errorsBefore = new Set(analysis.findings.filter((x) => x.severity === 'error').map(findingKey));
            const newErrors = after.analysis.findings.filter(
              (x) => x.severity === 'error' && !errorsBefore.has(findingKey(x)),
            );
            assert.deepEqual(
              newErrors.map((x) => describeFinding(x, after.host)),
              [],
              `${label}: no new error finding`,
            );
          }
        }
      });
    }
  });
}
