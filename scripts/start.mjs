// `npm start`: runs the bundled CLI on the example workspace. Findings are the point of the demo, so exit status 1
// ("error findings present") counts as success here; 2 (bad usage or unreadable input) and crashes do not.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const result = spawnSync(process.execPath, [resolve(root, 'dist/cli.js'), 'check', 'examples'], {
  cwd: root,
  stdio: 'inherit',
});
if (result.error) throw result.error;
if (result.status !== 0 && result.status !== 1) {
  console.error(`gitlab-ci-dind check failed with exit status ${result.status ?? result.signal}`);
  process.exit(1);
}
console.log(
  `\nExample workspace checked (exit status ${result.status}: ${result.status === 1 ? 'error findings present, as intended' : 'no error findings'}).`,
);
