import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The repository root (tests are compiled to out/test/..., so walk up to package.json). */
export const REPO_ROOT = findRepoRoot(__dirname);
/** The bundled output under test (DIST_DIR lets parallel work use its own folder). */
export const DIST = resolve(REPO_ROOT, process.env['DIST_DIR'] ?? 'dist');
export const SERVER_JS = resolve(DIST, 'server.js');
export const CLI_JS = resolve(DIST, 'cli.js');
/** The shared test corpus, beside the repository. Tests that need it skip with a clear reason when it is absent. */
export const CORPUS = resolve(REPO_ROOT, '..', 'shared', 'corpus');
export const CORPUS_PRESENT = existsSync(CORPUS);
export const CORPUS_ABSENT_REASON = `the shared corpus is absent (expected at ../shared/corpus beside the repository)`;

function findRepoRoot(start: string): string {
  let dir = start;
  for (let i = 0; i < 10; i++) {
    if (existsSync(resolve(dir, 'package.json')) && existsSync(resolve(dir, 'server'))) return dir;
    dir = resolve(dir, '..');
  }
  throw new Error(`cannot find the repository root above ${start}`);
}
