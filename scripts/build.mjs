// Bundles the extension client, the language server, the CLI and the engine (for tests) with esbuild.
// Type checking is separate (`npm run typecheck`).
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// DIST_DIR lets parallel work build into its own folder; the package and the tests default to dist/.
const dist = process.env.DIST_DIR ?? 'dist';

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  define: {
    GITLAB_CI_DIND_VERSION: JSON.stringify(
      JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version,
    ),
  },
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: `${dist}/extension.js`, external: ['vscode'] },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: `${dist}/server.js` },
  { entryPoints: ['server/src/cli/main.ts'], outfile: `${dist}/cli.js`, banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/engine/index.ts'], outfile: `${dist}/engine.js` },
];

if (watch) {
  for (const e of entries) {
    const ctx = await esbuild.context({ ...common, ...e });
    await ctx.watch();
  }
} else {
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
}
