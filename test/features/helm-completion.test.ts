// Completion in a Helm values.yaml that embeds the runner config.toml as `runners.config: |`: TOML completions
// inside the block scalar, mapped through the block indentation; nothing elsewhere in the file.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { analyze, completionsAt, DEFAULT_SETTINGS, type CompletionEntry } from '@engine';

import { MemoryHost } from '../helpers/memory-host';

const ROOT = '/ws';
const VALUES = `${ROOT}/deploy/values.yaml`;
const CARET = '‸';

const TOML = ['[[runners]]', '  executor = "docker"', '  [runners.docker]', '    privileged = true'];

/** A values.yaml with the runner config at block indentation 4 and `extra` lines appended to it. */
function values(extra: readonly string[] = [], after: readonly string[] = ['  tags: "dind"']): string {
  return [
    'gitlabUrl: https://gitlab.example.com/',
    'runners:',
    '  config: |',
    ...[...TOML, ...extra].map((l) => (l === '' ? '' : `    ${l}`)),
    ...after,
    'concurrent: 10',
    '',
  ].join('\n');
}

/** Completions at the caret of `withCaret`, and the text each one replaces. */
function complete(withCaret: string): { items: CompletionEntry[]; typed: (e: CompletionEntry) => string } {
  const offset = withCaret.indexOf(CARET);
  assert.ok(offset >= 0, 'a caret');
  const text = withCaret.slice(0, offset) + withCaret.slice(offset + CARET.length);
  const host = new MemoryHost({ [VALUES]: text, '.gitlab-ci.yml': 'build:\n  script: x\n' }, ROOT);
  const analysis = analyze(host, {
    workspaceRoot: ROOT,
    pipelines: [`${ROOT}/.gitlab-ci.yml`],
    runnerConfigs: [VALUES],
    settings: DEFAULT_SETTINGS,
  });
  assert.equal(analysis.runnerConfigs[0]?.file, VALUES, 'values.yaml is a runner config');
  const items = completionsAt(analysis, VALUES, offset, { root: ROOT, settings: DEFAULT_SETTINGS });
  return { items, typed: (e) => text.slice(e.span.start, e.span.end) };
}

const labels = (items: readonly CompletionEntry[]): string[] => items.map((i) => i.label);

describe('completion in a Helm values.yaml runner config', () => {
  test('keys of the table at the cursor inside runners.config, replacing the typed word', () => {
    const { items, typed } = complete(values([`    tl${CARET}`]));
    const names = labels(items);
    assert.ok(names.includes('tls_verify'), names.join());
    assert.ok(!names.includes('privileged'), 'a key already written is not offered');
    assert.ok(!names.includes('executor'), 'keys of [[runners]] are not offered in [runners.docker]');
    const tls = items.find((i) => i.label === 'tls_verify');
    assert.ok(tls);
    assert.equal(typed(tls), 'tl');
    assert.equal(tls.insertText, 'tls_verify = ');
  });

  test('values of a key inside the block', () => {
    const text = values().replace('privileged = true', `privileged = ${CARET}`);
    const { items, typed } = complete(text);
    assert.deepEqual(labels(items), ['true', 'false']);
    assert.equal(typed(items[0] as CompletionEntry), '');
    const exec = complete(values().replace('executor = "docker"', `executor = "do${CARET}`));
    assert.ok(labels(exec.items).includes('kubernetes'));
    assert.equal(exec.typed(exec.items[0] as CompletionEntry), '"do');
  });

  test('a blank line at the end of the block (the user just pressed Enter) gets the keys of the last table', () => {
    const { items, typed } = complete(values(['', `    ${CARET}`]));
    assert.ok(labels(items).includes('tls_verify'), labels(items).join());
    assert.ok(items.every((i) => typed(i) === ''));
  });

  test('nothing outside the block: other keys, the block indentation, the line after the block', () => {
    const outside = [
      values().replace('gitlabUrl:', `gitlab${CARET}Url:`),
      values().replace('concurrent: 10', `concurrent: 10\nconc${CARET}`),
      values().replace('  tags: "dind"', `  tags: "dind"\n  ${CARET}`),
      values().replace('        privileged = true', `  ${CARET}      privileged = true`),
      values([], ['  tags: "dind"', `    ${CARET}`]),
    ];
    for (const text of outside) assert.deepEqual(labels(complete(text).items), [], text);
  });
});
