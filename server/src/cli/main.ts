// CLI entry point, bundled to dist/cli.js (package.json `bin`: gitlab-ci-dind). See run.ts.

import { run } from './run';

// A closed pipe (`gitlab-ci-dind check | head`) is not an error worth a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

process.exitCode = run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTty: process.stdout.isTTY === true,
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
});
