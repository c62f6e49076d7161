// Helpers shared by the benchmark, the soak and the fuzz scripts: bundling a test-side module against the built
// engine, and replacing a marked section of BENCHMARKS.md.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const DIST = resolve(ROOT, process.env.DIST_DIR ?? 'dist');
export const CORPUS = resolve(ROOT, '..', 'shared', 'corpus');
export const BENCHMARKS_MD = resolve(ROOT, 'BENCHMARKS.md');

/** Bundles `entry` (TypeScript, importing `@engine`) to `outfile`, with `@engine` bound to the built engine. */
export async function bundle(entry, outfile) {
  const engine = resolve(DIST, 'engine.js');
  if (!existsSync(engine)) throw new Error(`${engine} is missing: run the build first`);
  await esbuild.build({
    entryPoints: [resolve(ROOT, entry)],
    outfile: resolve(ROOT, outfile),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    plugins: [
      {
        name: 'built-engine',
        setup(build) {
          build.onResolve({ filter: /^@engine$/ }, () => ({ path: engine, external: true }));
        },
      },
    ],
  });
  return resolve(ROOT, outfile);
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->` in BENCHMARKS.md (appends when absent). */
/** Replaces the marked section of BENCHMARKS.md and formats the file as the repository's Prettier check wants it. */
export async function writeSection(name, body) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const text = existsSync(BENCHMARKS_MD) ? readFileSync(BENCHMARKS_MD, 'utf8') : '# Benchmarks\n';
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  const next =
    i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(BENCHMARKS_MD)) ?? {};
  writeFileSync(BENCHMARKS_MD, await prettier.format(next, { ...options, filepath: BENCHMARKS_MD }));
}

/** Machine facts printed with every figure. */
export async function machine() {
  const os = await import('node:os');
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}`;
}
