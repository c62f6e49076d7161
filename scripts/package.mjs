// Builds the .vsix from bundled output only: a production build into a staging folder, `@vscode/vsce` without
// dependencies (everything the extension runs is in dist/extension.js and dist/server.js), then checks on the
// archive itself (size, required files). Exits non-zero with a clear message when a check fails.
//
//   node scripts/package.mjs [--out FILE] [--stage DIR]
//
// The staging folder (default out/package) keeps the shared dist/ untouched while others build and test.
import { createVSIX } from '@vscode/vsce';
import { readZip } from '@vscode/vsce/out/zip.js';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const MAX_BYTES = 1024 * 1024;
/** Copied into the staging folder when present (the .vscodeignore allowlist decides what ships). */
const STAGED = [
  'package.json',
  'package.nls.json',
  'package.nls.zh-cn.json',
  'l10n',
  'README.md',
  'LICENSE',
  'LICENSE.txt',
  'LICENSE.md',
  'CHANGELOG.md',
  '.vscodeignore',
  'language-configuration',
  'snippets',
  'schemas',
  'images',
];
/** Files the archive must hold, lower-case as `readZip` reports them; alternatives separated by `|`. */
const REQUIRED = [
  'extension/readme.md',
  'extension/license|extension/license.txt|extension/license.md',
  'extension/changelog.md',
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/server.js',
];

const root = resolve(import.meta.dirname, '..');

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

function option(name) {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const value = process.argv[i + 1];
  if (value === undefined || value.startsWith('--')) fail(`${name} needs a value`);
  return resolve(value);
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const stage = option('--stage') ?? join(root, 'out', 'package');
const vsix = option('--out') ?? join(root, `${manifest.name}-${manifest.version}.vsix`);

for (const required of ['README.md', 'CHANGELOG.md']) {
  if (!existsSync(join(root, required))) fail(`${required} is missing at the repository root`);
}
if (!['LICENSE', 'LICENSE.txt', 'LICENSE.md'].some((f) => existsSync(join(root, f)))) {
  fail('LICENSE (or LICENSE.txt) is missing at the repository root');
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
for (const entry of STAGED) {
  const from = join(root, entry);
  if (existsSync(from)) cpSync(from, join(stage, entry), { recursive: true });
}

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], {
  cwd: root,
  env: { ...process.env, DIST_DIR: join(stage, 'dist') },
  stdio: 'inherit',
});
if (build.status !== 0) fail(`the production build failed (exit ${build.status ?? build.signal})`);

mkdirSync(dirname(vsix), { recursive: true });
rmSync(vsix, { force: true });
try {
  await createVSIX({ cwd: stage, packagePath: vsix, dependencies: false });
} catch (e) {
  fail(`vsce failed: ${e instanceof Error ? e.message : String(e)}`);
}

const size = statSync(vsix).size;
if (size > MAX_BYTES) fail(`${vsix} is ${size} bytes, over the ${MAX_BYTES}-byte limit`);
const entries = await readZip(vsix, () => true);
const missing = REQUIRED.filter((alternatives) => !alternatives.split('|').some((name) => entries.has(name)));
if (missing.length > 0) fail(`${vsix} lacks ${missing.join(', ')}`);
const maps = [...entries.keys()].filter((name) => name.endsWith('.map'));
if (maps.length > 0) fail(`${vsix} ships source maps: ${maps.join(', ')}`);

console.log(`package: ${vsix} (${size} bytes, ${entries.size} entries)`);
