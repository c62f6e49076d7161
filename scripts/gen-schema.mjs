// Writes schemas/gitlab-runner-config.schema.json from the runner schema (server/src/engine/runner/schema.ts).
// Run after a build: `node scripts/build.mjs && node scripts/gen-schema.mjs` (DIST_DIR selects the build folder).
// A test fails when the committed file is out of sync.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const engine = require(resolve(root, process.env.DIST_DIR ?? 'dist', 'engine.js'));
const out = resolve(root, 'schemas', 'gitlab-runner-config.schema.json');
writeFileSync(out, `${JSON.stringify(engine.runnerJsonSchema(), null, 2)}\n`);
console.log(`wrote ${out}`);
