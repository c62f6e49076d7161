// Compiles the TypeScript tests to out/test. Each test imports the engine as `@engine`; here that import is
// rewritten to the bundled dist/engine.js, so the suite runs against the shipped bundle, not the sources.
import * as esbuild from 'esbuild';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const testDir = join(root, 'test');
// TEST_OUT and DIST_DIR let parallel work use private folders; arguments limit the build to sub-folders of test/.
const outDir = resolve(root, process.env.TEST_OUT ?? join('out', 'test'));
const only = process.argv.slice(2).map((a) => resolve(root, a));

function collect(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (name === 'fixtures' || name === 'e2e') continue;
    if (statSync(full).isDirectory()) files.push(...collect(full));
    else if (name.endsWith('.test.ts')) files.push(full);
  }
  return files;
}

const engineBundle = resolve(root, process.env.DIST_DIR ?? 'dist', 'engine.js');
/** @type {import('esbuild').Plugin} */
const useBundledEngine = {
  name: 'use-bundled-engine',
  setup(build) {
    build.onResolve({ filter: /^@engine$/ }, (args) => {
      const rel = relative(args.resolveDir.replace(testDir, outDir), engineBundle).replaceAll('\\', '/');
      return { path: rel.startsWith('.') ? rel : `./${rel}`, external: true };
    });
  },
};

rmSync(outDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: collect(testDir).filter((f) => only.length === 0 || only.some((o) => f.startsWith(o))),
  outdir: outDir,
  outbase: testDir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  plugins: [useBundledEngine],
  define: {
    GITLAB_CI_DIND_VERSION: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version),
  },
  external: ['yaml', '@iarna/toml', 'fast-check', 'vscode-languageserver-protocol', 'vscode-jsonrpc'],
});
