// Compiles the extension-host suite (test/e2e/suite) to out/e2e/.
// `vscode` is provided by the extension host; playwright-core stays a runtime dependency of the harness.
import * as esbuild from 'esbuild';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, SUITE_OUT } from './common.mjs';

rmSync(SUITE_OUT, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [join(ROOT, 'test/e2e/suite/index.ts')],
  outdir: SUITE_OUT,
  outbase: join(ROOT, 'test/e2e'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  external: ['vscode', 'playwright-core'],
});
