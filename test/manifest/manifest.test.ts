// package.json against the code: activation events, settings (engine definition ↔ contributes.configuration),
// commands (contributes.commands ↔ client registrations), engines, entry point, packaging allowlist.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { SETTING_DEFINITIONS, SETTINGS_SECTION, sanitizeSettings, DEFAULT_SETTINGS } from '@engine';

import { REPO_ROOT } from '../helpers/paths';

interface Manifest {
  main: string;
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, Record<string, unknown>> };
    languages: { id: string; extensions?: string[]; configuration?: string }[];
  };
  capabilities: { untrustedWorkspaces: { supported: unknown }; virtualWorkspaces: unknown };
}

const read = (rel: string): string => readFileSync(join(REPO_ROOT, rel), 'utf8');
const manifest = JSON.parse(read('package.json')) as Manifest;
const nls = JSON.parse(read('package.nls.json')) as Record<string, string>;

/** `%key%` → the package.nls.json text. */
function localized(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const m = /^%(.+)%$/.exec(value);
  if (!m?.[1]) return value;
  const text = nls[m[1]];
  assert.ok(text !== undefined, `package.nls.json has no entry ${m[1]}`);
  return text;
}

function clientSources(dir = join(REPO_ROOT, 'client', 'src')): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((e) =>
      e.isDirectory()
        ? clientSources(join(dir, e.name))
        : e.name.endsWith('.ts')
          ? read(join('client', 'src', e.name))
          : '',
    )
    .join('\n');
}

test('activation events are exactly the documented ones', () => {
  assert.deepEqual(manifest.activationEvents, [
    'workspaceContains:**/.gitlab-ci.yml',
    'workspaceContains:**/config.toml',
    'onLanguage:yaml',
    'onLanguage:toml',
  ]);
});

test('every engine setting is contributed with the same schema, default, scope and description, and vice versa', () => {
  const properties = manifest.contributes.configuration.properties;
  const expectedKeys = SETTING_DEFINITIONS.map((d) => `${SETTINGS_SECTION}.${d.key}`).sort();
  assert.deepEqual(Object.keys(properties).sort(), expectedKeys);
  for (const d of SETTING_DEFINITIONS) {
    const p = properties[`${SETTINGS_SECTION}.${d.key}`];
    assert.ok(p, d.key);
    const { key: _key, description, engine: _engine, ...schema } = d;
    const { description: contributed, ...rest } = p;
    assert.deepEqual(rest, JSON.parse(JSON.stringify(schema)), `schema of ${d.key}`);
    assert.equal(localized(contributed), description, `description of ${d.key}`);
  }
});

test('engine settings defaults are the engine defaults and survive sanitizing', () => {
  const fromManifest: Record<string, unknown> = {};
  for (const d of SETTING_DEFINITIONS) if (d.engine) fromManifest[d.key] = d.default;
  assert.deepEqual(sanitizeSettings(fromManifest), DEFAULT_SETTINGS);
  assert.deepEqual(
    Object.keys(fromManifest).sort(),
    Object.keys(DEFAULT_SETTINGS).sort(),
    'every Settings key has a definition',
  );
});

test('sanitizing drops values of the wrong type entry by entry', () => {
  const s = sanitizeSettings({
    runnerConfigs: ['a.toml', 3, ''],
    discoverRunnerConfigs: 'no',
    runner: 7,
    runnerTags: { r1: ['docker', 1], r2: 'x' },
    assumeRunner: 'gitlab-saas',
    projects: { 'g/p': '../p', bad: {} },
    rules: { 'dind/tls-disabled': 'off', 'dind/x': 'loud' },
    dindImages: 'nope',
    unknown: true,
  });
  assert.deepEqual(s, {
    runnerConfigs: ['a.toml'],
    discoverRunnerConfigs: true,
    runner: null,
    runnerTags: { r1: ['docker'] },
    assumeRunner: 'gitlab-saas',
    projects: { 'g/p': '../p' },
    rules: { 'dind/tls-disabled': 'off' },
    dindImages: [],
  });
  assert.deepEqual(sanitizeSettings('garbage'), DEFAULT_SETTINGS);
  assert.equal(sanitizeSettings({ discoverRunnerConfigs: false }).discoverRunnerConfigs, false);
});

test('every contributed command is registered by the client, and vice versa', () => {
  const sources = clientSources();
  const registered = new Set<string>();
  for (const m of sources.matchAll(/'(gitlabCiDind\.[A-Za-z]+)'/g)) if (m[1]) registered.add(m[1]);
  const contributed = manifest.contributes.commands.map((c) => c.command);
  assert.deepEqual([...registered].sort(), [...contributed].sort());
  assert.match(sources, /registerCommand\(COMMANDS\.restartServer/);
  assert.ok(contributed.includes('gitlabCiDind.selectRunnerConfig'), 'the runner selection command is contributed');
  for (const c of manifest.contributes.commands) {
    const key = Object.entries({ restartServer: 1, showOutput: 1, showEffectiveJob: 1, selectRunnerConfig: 1 }).find(
      ([k]) => c.command.endsWith(k),
    );
    assert.ok(key, `unexpected command ${c.command}`);
    assert.match(sources, new RegExp(`registerCommand\\(COMMANDS\\.${key[0]}\\b`), `${c.command} is registered`);
    assert.equal(
      `${String(localized(c.category))}: ${String(localized(c.title))}`.startsWith('GitLab CI DinD: '),
      true,
    );
  }
});

test('engines.vscode is at most ^1.100.0 and @types/vscode is not newer', () => {
  const version = (range: string): number[] => (/(\d+)\.(\d+)\.(\d+)/.exec(range) ?? []).slice(1).map(Number);
  const cmp = (a: number[], b: number[]): number => a.reduce((acc, x, i) => acc || x - (b[i] ?? 0), 0);
  const engine = version(manifest.engines.vscode);
  assert.equal(engine.length, 3, manifest.engines.vscode);
  assert.ok(cmp(engine, [1, 100, 0]) <= 0, `engines.vscode ${manifest.engines.vscode} is newer than ^1.100.0`);
  const types = manifest.devDependencies['@types/vscode'];
  assert.ok(types, '@types/vscode is a dev dependency');
  assert.ok(cmp(version(types), engine) <= 0, `@types/vscode ${types} is newer than engines.vscode`);
});

test('main is the bundled client and the TOML language has its configuration file', () => {
  assert.equal(manifest.main.replace(/^\.\//, ''), 'dist/extension.js');
  const toml = manifest.contributes.languages.find((l) => l.id === 'toml');
  assert.deepEqual(toml?.extensions, ['.toml']);
  const config = JSON.parse(read(toml?.configuration ?? '')) as { comments: { lineComment: string } };
  assert.equal(config.comments.lineComment, '#');
});

test('workspace trust and virtual workspace support are declared', () => {
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.deepEqual(manifest.capabilities.virtualWorkspaces, {
    supported: false,
    description: '%capabilities.virtualWorkspaces.description%',
  });
});

test('.vscodeignore is an allowlist that ships both bundles', () => {
  const lines = read('.vscodeignore')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  assert.equal(lines[0], '**');
  for (const f of ['!dist/extension.js', '!dist/server.js', '!package.json', '!README.md', '!CHANGELOG.md']) {
    assert.ok(lines.includes(f), `.vscodeignore keeps ${f}`);
  }
  assert.ok(!lines.some((l) => l.includes('.map')), 'source maps are not shipped');
});

test('the client and the server agree on the custom request names', () => {
  const client = read('client/src/protocol.ts');
  const server = read('server/src/lsp/protocol.ts');
  const names = (text: string): string[] =>
    [...text.matchAll(/'(gitlabCiDind\/[A-Za-z]+)'/g)].map((m) => m[1] ?? '').sort();
  assert.deepEqual(names(client), ['gitlabCiDind/effectiveJob', 'gitlabCiDind/listJobs', 'gitlabCiDind/runnerStatus']);
  assert.deepEqual(names(client), names(server));
});
