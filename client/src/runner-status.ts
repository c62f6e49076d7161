// The status-bar item naming the runner config the active pipeline is checked against, and the
// "Select Runner Config for this Workspace" command that writes the workspace-folder settings.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

import { RunnerStatusRequest, type RunnerStatusResult } from './protocol';
import { SECTION } from './settings';

const ICON = '$(server-environment)';

export class RunnerStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'gitlabCiDindRunnerStatus',
    vscode.StatusBarAlignment.Right,
    100,
  );
  private generation = 0;

  constructor(
    private readonly client: () => LanguageClient | undefined,
    command: string,
  ) {
    this.item.name = vscode.l10n.t('GitLab CI DinD runner config');
    this.item.command = command;
  }

  /** Asks the server about the active editor's document; hides the item for files that are not ours. */
  async update(): Promise<void> {
    const generation = ++this.generation;
    const editor = vscode.window.activeTextEditor;
    const client = this.client();
    if (!client || !editor || !['yaml', 'toml'].includes(editor.document.languageId)) {
      this.item.hide();
      return;
    }
    let status: RunnerStatusResult | null = null;
    try {
      status = await client.sendRequest(RunnerStatusRequest, { uri: editor.document.uri.toString() });
    } catch {
      status = null;
    }
    if (generation !== this.generation) return;
    if (!status) {
      this.item.hide();
      return;
    }
    this.item.text = `${ICON} DinD: ${status.label}`;
    const configs = status.configs.map((u) => vscode.workspace.asRelativePath(vscode.Uri.parse(u))).join(', ');
    this.item.tooltip = status.assumed
      ? vscode.l10n.t('Checked against GitLab.com instance runners (assumed). Click to select a runner config.')
      : configs === ''
        ? vscode.l10n.t('No runner config.toml: runner-dependent checks are skipped. Click to select one.')
        : vscode.l10n.t('Checked against {0}. Click to select a runner config.', configs);
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

interface Choice extends vscode.QuickPickItem {
  readonly runnerConfigs: string[] | undefined;
  /** undefined = the default (discover). */
  readonly discover: false | undefined;
  readonly assumeRunner: 'gitlab-saas' | 'none' | undefined;
}

/** Quick pick of the discovered runner configs, GitLab.com instance runners, discovery, or none. */
export async function selectRunnerConfig(client: LanguageClient | undefined): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const folder = editor
    ? vscode.workspace.getWorkspaceFolder(editor.document.uri)
    : vscode.workspace.workspaceFolders?.[0];
  if (!client || !folder) {
    await vscode.window.showInformationMessage(vscode.l10n.t('Open a file of a workspace folder first.'));
    return;
  }
  const probe = editor?.document.uri.toString() ?? folder.uri.toString();
  const status = await client.sendRequest(RunnerStatusRequest, { uri: probe });
  const available = status?.available ?? [];
  const choices: Choice[] = [
    ...available.map((uri): Choice => {
      const rel = vscode.workspace.asRelativePath(vscode.Uri.parse(uri), false);
      return {
        label: `$(file) ${rel}`,
        description: status?.configs.includes(uri) ? vscode.l10n.t('current') : undefined,
        runnerConfigs: [rel],
        discover: undefined,
        assumeRunner: 'none',
      };
    }),
    {
      label: `$(cloud) ${vscode.l10n.t('Assume GitLab.com instance runners')}`,
      description: vscode.l10n.t('ignore runner configs in the workspace'),
      runnerConfigs: undefined,
      discover: false,
      assumeRunner: 'gitlab-saas',
    },
    {
      label: `$(search) ${vscode.l10n.t('Discover config.toml files automatically')}`,
      runnerConfigs: undefined,
      discover: undefined,
      assumeRunner: undefined,
    },
    {
      label: `$(circle-slash) ${vscode.l10n.t('None')}`,
      description: vscode.l10n.t('skip runner-dependent checks'),
      runnerConfigs: undefined,
      discover: false,
      assumeRunner: 'none',
    },
  ];
  const picked = await vscode.window.showQuickPick(choices, {
    placeHolder: vscode.l10n.t(
      'Runner config for {0} (now: {1})',
      folder.name,
      status?.label ?? vscode.l10n.t('unknown'),
    ),
  });
  if (!picked) return;
  const config = vscode.workspace.getConfiguration(SECTION, folder.uri);
  const target = vscode.ConfigurationTarget.WorkspaceFolder;
  await config.update('runnerConfigs', picked.runnerConfigs, target);
  await config.update('discoverRunnerConfigs', picked.discover, target);
  await config.update('assumeRunner', picked.assumeRunner, target);
}
