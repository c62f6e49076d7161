// Runs the same extension-host suite (out/e2e/suite/index.js) in a desktop VS Code through @vscode/test-electron,
// which downloads VS Code into .vscode-test/. Only where that download is possible (a developer machine, a public
// CI); on Linux without a display, run it under `xvfb-run -a`. E2E_VSCODE_VERSION picks the build ('stable' by
// default; '1.100.0' is the lowest supported engine).
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { E2E_DIR, FIXTURES, ROOT, SUITE_INDEX } from './common.mjs';

const REPORT_ENV = 'GITLAB_CI_DIND_E2E_REPORT';
const version = process.env.E2E_VSCODE_VERSION ?? 'stable';

if (!existsSync(join(ROOT, 'dist', 'extension.js'))) {
  console.error('e2e: dist/extension.js is missing: run `npm run build`');
  process.exit(2);
}
if (!existsSync(SUITE_INDEX)) {
  console.error(`e2e: ${relative(ROOT, SUITE_INDEX)} is missing: run scripts/e2e/build-suite.mjs`);
  process.exit(2);
}

const runDir = join(E2E_DIR, 'electron');
rmSync(runDir, { recursive: true, force: true });
const workspace = join(runDir, 'workspace');
cpSync(join(FIXTURES, 'workspace'), workspace, { recursive: true });
const report = join(runDir, 'report.jsonl');

let code;
try {
  code = await runTests({
    version,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: SUITE_INDEX,
    extensionTestsEnv: { [REPORT_ENV]: report },
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir',
      join(runDir, 'user-data'),
    ],
  });
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  if (/download|fetch|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo|version/i.test(message)) {
    console.error(`e2e: could not download VS Code ${version} (${message.split('\n')[0]}).`);
    console.error('e2e: this launcher needs to download VS Code; where only the npm registry is reachable,');
    console.error('e2e: run the same suite in code-server instead: npm run test:e2e');
    process.exit(2);
  }
  code = 1;
  console.error(`e2e: the VS Code test run failed: ${message}`);
}

if (existsSync(report)) {
  const records = readFileSync(report, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  for (const r of records.filter((x) => x.name)) {
    const mark = r.status === 'passed' ? 'ok  ' : r.status === 'failed' ? 'FAIL' : 'n/a ';
    console.log(`  ${mark} ${r.name}${r.detail ? `: ${r.detail}` : ''}`);
  }
  const count = (s) => records.filter((r) => r.status === s).length;
  console.log(`${count('passed')} passed, ${count('failed')} failed, ${count('not-available')} skipped`);
}
process.exit(code === 0 ? 0 : 1);
