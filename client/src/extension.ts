// VS Code client entry point (bundled to dist/extension.js): starts the language server, forwards settings,
// registers the commands. Everything that decides lives in the server.

import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

import { EFFECTIVE_SCHEME, EffectiveJobProvider, showEffectiveJob } from './effective-job';
import { RunnerStatusItem, selectRunnerConfig } from './runner-status';
import { sanitize, SECTION } from './settings';

const NAME = 'GitLab CI DinD';

export const COMMANDS = {
  restartServer: 'gitlabCiDind.restartServer',
  showOutput: 'gitlabCiDind.showOutput',
  showEffectiveJob: 'gitlabCiDind.showEffectiveJob',
  selectRunnerConfig: 'gitlabCiDind.selectRunnerConfig',
} as const;

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(NAME, { log: true });
  context.subscriptions.push(output);

  const createClient = (): LanguageClient => {
    const module = context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: ['file', 'untitled'].flatMap((scheme) => [
        { scheme, language: 'yaml' },
        { scheme, language: 'toml' },
      ]),
      outputChannel: output,
      initializationOptions: { trusted: vscode.workspace.isTrusted },
      synchronize: { configurationSection: SECTION },
      middleware: {
        workspace: {
          // The server asks for `gitlabCiDind` per folder; answer with sanitized values.
          configuration: (params, token, next) =>
            params.items.every((item) => item.section === SECTION)
              ? params.items.map((item) =>
                  sanitize(
                    vscode.workspace.getConfiguration(SECTION, item.scopeUri ? vscode.Uri.parse(item.scopeUri) : null),
                  ),
                )
              : next(params, token),
        },
      },
    };
    return new LanguageClient('gitlabCiDind', NAME, serverOptions, clientOptions);
  };

  const restart = async (): Promise<void> => {
    if (client) {
      await client.restart();
    } else {
      client = createClient();
      await client.start();
    }
  };

  const status = new RunnerStatusItem(() => client, COMMANDS.selectRunnerConfig);
  const refreshStatus = (): void => {
    void status.update();
  };

  context.subscriptions.push(
    status,
    vscode.window.onDidChangeActiveTextEditor(refreshStatus),
    vscode.workspace.onDidSaveTextDocument(refreshStatus),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SECTION)) refreshStatus();
    }),
    vscode.commands.registerCommand(COMMANDS.selectRunnerConfig, async () => {
      await selectRunnerConfig(client);
      refreshStatus();
    }),
    vscode.workspace.registerTextDocumentContentProvider(EFFECTIVE_SCHEME, new EffectiveJobProvider(() => client)),
    vscode.commands.registerCommand(COMMANDS.restartServer, restart),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => output.show(true)),
    vscode.commands.registerCommand(COMMANDS.showEffectiveJob, () => showEffectiveJob(client)),
    // Runner-config paths outside the workspace are honoured only once the workspace is trusted.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void stopClient().then(restart);
    }),
  );

  client = createClient();
  await client.start();
  refreshStatus();
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}

export function deactivate(): Promise<void> {
  return stopClient();
}
