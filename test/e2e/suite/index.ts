// Entry point loaded by the extension host (`extensionTestsPath`): code-server's `payload` URL parameter or
// @vscode/test-electron. VS Code calls `run()` and exits with 0 when it resolves.
import { checks } from './checks';
import { runChecks } from './framework';

export function run(): Promise<void> {
  return runChecks(checks);
}
