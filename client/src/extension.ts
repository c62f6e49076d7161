// VS Code client entry point (bundled to dist/extension.js): starts the language server, forwards settings,
// registers the commands. Everything that decides lives in the server.

import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

import { EFFECTIVE_SCHEME, EffectiveJobProvider, showEffectiveJob } from './effective-job';
import { RestartPolicy } from './restart-policy';
import { RunnerStatusItem, selectRunnerConfig } from './runner-status';
import { sanitize, SECTION } from './settings';

const NAME = 'GitLab CI DinD';
/** Read or write errors on the connection tolerated in a row before the client shuts the connection down. */
const MAX_CONNECTION_ERRORS = 3;

export const COMMANDS = {
  restartServer: 'gitlabCiDind.restartServer',
  showOutput: 'gitlabCiDind.showOutput',
  showEffectiveJob: 'gitlabCiDind.showEffectiveJob',
  selectRunnerConfig: 'gitlabCiDind.selectRunnerConfig',
} as const;

let client: LanguageClient | undefined;

/** What `activate` returns to other extensions and the end-to-end suite. */
export interface ExtensionApi {
  /** Milliseconds `activate` took, the language server started and initialised included. */
  readonly activationMs: number;
}

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> {
  const started = performance.now();
  const output = vscode.window.createOutputChannel(NAME, { log: true });
  context.subscriptions.push(output);
  const policy = new RestartPolicy();
  const errorHandler = crashHandler(policy, output);

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
      errorHandler,
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
    policy.reset();
    if (client?.isRunning()) {
      await client.restart();
    } else if (client) {
      await client.start();
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
  const activationMs = performance.now() - started;
  output.info(`activated in ${activationMs.toFixed(0)} ms (language server started and initialised)`);
  return { activationMs };
}

/**
 * Restarts a crashed server under `policy`: one warning per streak of crashes (every crash is logged), and after
 * too many an error saying how to start it again.
 */
function crashHandler(policy: RestartPolicy, output: vscode.LogOutputChannel): ErrorHandler {
  return {
    error: (error, _message, count): ErrorHandlerResult => {
      output.error(`Connection to the server failed: ${error.message}`);
      return {
        action: count !== undefined && count <= MAX_CONNECTION_ERRORS ? ErrorAction.Continue : ErrorAction.Shutdown,
        handled: true,
      };
    },
    closed: (): CloseHandlerResult => {
      const decision = policy.crashed();
      if (decision.action === 'stop') {
        const text = vscode.l10n.t(
          'The GitLab CI DinD server crashed {0} times in a few minutes and was stopped. Run "GitLab CI DinD: Restart Server" to start it again.',
          decision.crashes,
        );
        output.error(text);
        const restartLabel = vscode.l10n.t('Restart Server');
        void vscode.window.showErrorMessage(text, restartLabel).then((choice) => {
          if (choice === restartLabel) void vscode.commands.executeCommand(COMMANDS.restartServer);
        });
        return { action: CloseAction.DoNotRestart, handled: true };
      }
      const text = vscode.l10n.t('The GitLab CI DinD server stopped unexpectedly and was restarted.');
      output.warn(`${text} (${decision.crashes})`);
      if (decision.notify) {
        const showLabel = vscode.l10n.t('Show Output');
        void vscode.window.showWarningMessage(text, showLabel).then((choice) => {
          if (choice === showLabel) output.show(true);
        });
      }
      return { action: CloseAction.Restart, handled: true };
    },
  };
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}

export function deactivate(): Promise<void> {
  return stopClient();
}
