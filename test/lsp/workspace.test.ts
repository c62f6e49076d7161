// Which files are ours, and which runner configs a folder uses, over an in-memory workspace.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DEFAULT_SETTINGS, MODEL_FINDINGS, type Settings } from '@engine';

import { Workspace } from '../../server/src/lsp/workspace';
import { MemoryHost } from '../helpers/memory-host';

const RUNNER = '[[runners]]\n  name = "r"\n  executor = "docker"\n';

function workspace(
  files: Record<string, string>,
  settings: Partial<Settings> = {},
  open: string[] = [],
  trusted = true,
) {
  const host = new MemoryHost(files);
  const ws = new Workspace(
    {
      host,
      openPaths: () => open,
      settings: () => Promise.resolve({ ...DEFAULT_SETTINGS, ...settings }),
      trusted,
    },
    (p) => `file://${p}`,
  );
  ws.setFolders([{ path: '/ws', uri: 'file:///ws' }]);
  return ws;
}

test('pipeline roots, included files and discovered runner configs are ours; other YAML/TOML is not', async () => {
  const ws = workspace({
    '.gitlab-ci.yml': 'include:\n  - local: ci/build.yml\n',
    'ci/build.yml': 'build:\n  script: [x]\n',
    'ci/unused.yml': 'a: 1\n',
    'runner/config.toml': RUNNER,
    'other/config.toml': '[server]\nport = 1\n',
  });
  const result = await ws.analysisFor('/ws/.gitlab-ci.yml');
  assert.deepEqual([...result.owned].sort(), ['/ws/.gitlab-ci.yml', '/ws/ci/build.yml', '/ws/runner/config.toml']);
});

test('open *.gitlab-ci.yml files and open TOML files with [[runners]] join the analysis', async () => {
  const ws = workspace({ 'deploy.gitlab-ci.yml': 'x: [\n', 'gitlab-runner.toml': RUNNER }, {}, [
    '/ws/deploy.gitlab-ci.yml',
    '/ws/gitlab-runner.toml',
  ]);
  const result = await ws.analysisFor('/ws/deploy.gitlab-ci.yml');
  assert.ok(result.owned.has('/ws/deploy.gitlab-ci.yml'));
  assert.ok(result.owned.has('/ws/gitlab-runner.toml'));
  const ids = (result.findingsByFile.get('/ws/deploy.gitlab-ci.yml') ?? []).map((f) => f.ruleId);
  assert.ok(ids.includes(MODEL_FINDINGS.yamlSyntax.id), ids.join());
});

test('an open YAML file embedding a runner config joins the analysis under any name; other open YAML does not', async () => {
  const helm = `runners:\n  config: |\n    ${RUNNER.trimEnd().split('\n').join('\n    ')}\n`;
  const files = {
    '.gitlab-ci.yml': 'build:\n  script: [x]\n',
    'deploy/gitlab-runner.yaml': helm,
    'deploy/other.yaml': 'runners:\n  config: "[[runners]]"\n',
  };
  const closed = await workspace(files).analysisFor('/ws/.gitlab-ci.yml');
  assert.ok(!closed.owned.has('/ws/deploy/gitlab-runner.yaml'), 'not discovered by name');
  const open = ['/ws/deploy/gitlab-runner.yaml', '/ws/deploy/other.yaml'];
  const result = await workspace(files, {}, open).analysisFor('/ws/.gitlab-ci.yml');
  assert.ok(result.owned.has('/ws/deploy/gitlab-runner.yaml'));
  assert.ok(!result.owned.has('/ws/deploy/other.yaml'), 'a flow scalar is not an embedded runner config');
  assert.deepEqual(
    result.analysis.runnerConfigs.map((c) => [c.file, c.runners.map((r) => r.label)]),
    [['/ws/deploy/gitlab-runner.yaml', ['r']]],
  );
});

test('the runnerConfigs setting (paths and globs) overrides discovery', async () => {
  const files = {
    '.gitlab-ci.yml': 'build:\n  script: [x]\n',
    'config.toml': RUNNER,
    'runners/a/config.toml': RUNNER,
    'runners/b/config.toml': RUNNER,
    'runners/b/notes.txt': 'x',
  };
  const globbed = await workspace(files, { runnerConfigs: ['runners/**/*.toml'] }).analysisFor('/ws/.gitlab-ci.yml');
  assert.deepEqual(
    globbed.analysis.runnerConfigs.map((c) => c.file),
    ['/ws/runners/a/config.toml', '/ws/runners/b/config.toml'],
  );
  const direct = await workspace(files, { runnerConfigs: ['./config.toml'] }).analysisFor('/ws/.gitlab-ci.yml');
  assert.deepEqual(
    direct.analysis.runnerConfigs.map((c) => c.file),
    ['/ws/config.toml'],
  );
});

test('an untrusted workspace ignores runner configs outside the folder', async () => {
  const files = { '.gitlab-ci.yml': 'build:\n  script: [x]\n', '/etc/runner/config.toml': RUNNER };
  const settings = { runnerConfigs: ['/etc/runner/config.toml'] };
  const trusted = await workspace(files, settings).analysisFor('/ws/.gitlab-ci.yml');
  assert.deepEqual(
    trusted.analysis.runnerConfigs.map((c) => c.file),
    ['/etc/runner/config.toml'],
  );
  const untrusted = await workspace(files, settings, [], false).analysisFor('/ws/.gitlab-ci.yml');
  assert.deepEqual(untrusted.analysis.runnerConfigs, []);
});

test('an analysis is reused until a change, then recomputed', async () => {
  const ws = workspace({ '.gitlab-ci.yml': 'build:\n  script: [x]\n' });
  const first = await ws.analysisFor('/ws/.gitlab-ci.yml');
  assert.equal(await ws.analysisFor('/ws/.gitlab-ci.yml'), first);
  ws.changed('/ws/.gitlab-ci.yml');
  assert.notEqual(await ws.analysisFor('/ws/.gitlab-ci.yml'), first);
});

test('with discovery off, a workspace runner config is ignored and assumeRunner applies', async () => {
  const files = {
    '.gitlab-ci.yml': 'build:\n  image: docker:27.5.1-cli\n  services: [docker:27.5.1-dind]\n  script: [docker info]\n',
    'runner/config.toml': RUNNER,
  };
  const discovered = await workspace(files).analysisFor('/ws/.gitlab-ci.yml');
  assert.deepEqual(
    discovered.analysis.runnerConfigs.map((c) => c.file),
    ['/ws/runner/config.toml'],
  );
  const assumed = await workspace(files, { discoverRunnerConfigs: false, assumeRunner: 'gitlab-saas' }).analysisFor(
    '/ws/.gitlab-ci.yml',
  );
  assert.deepEqual(assumed.analysis.runnerConfigs, []);
  assert.ok(!assumed.analysis.findings.some((f) => f.ruleId === MODEL_FINDINGS.noRunnerConfig.id));
  const none = await workspace(files, { discoverRunnerConfigs: false }).analysisFor('/ws/.gitlab-ci.yml');
  assert.ok(none.analysis.findings.some((f) => f.ruleId === MODEL_FINDINGS.noRunnerConfig.id));
});
