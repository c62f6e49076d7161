// "Show Effective Job Configuration": pick a job of the active pipeline, then show its merged configuration in a
// read-only virtual YAML document served by the language server.

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

import { EffectiveJobRequest, ListJobsRequest } from './protocol';

export const EFFECTIVE_SCHEME = 'gitlab-ci-dind-effective';

/** Virtual documents: `gitlab-ci-dind-effective:/<job>.yml?<JSON { uri, job }>`. */
export class EffectiveJobProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly client: () => LanguageClient | undefined) {}

  static uriFor(documentUri: string, job: string): vscode.Uri {
    const name = job.replace(/[/\\]/g, '_');
    return vscode.Uri.from({
      scheme: EFFECTIVE_SCHEME,
      path: `/${name}.yml`,
      query: JSON.stringify({ uri: documentUri, job }),
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const client = this.client();
    if (!client) return '# The GitLab CI DinD language server is not running.\n';
    const params = JSON.parse(uri.query) as { uri: string; job: string };
    const result = await client.sendRequest(EffectiveJobRequest, params, token);
    return result.content;
  }
}

export async function showEffectiveJob(client: LanguageClient | undefined): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor || editor.document.languageId !== 'yaml') {
    await vscode.window.showInformationMessage(vscode.l10n.t('Open a GitLab CI pipeline file (.gitlab-ci.yml) first.'));
    return;
  }
  const documentUri = editor.document.uri.toString();
  const jobs = await client.sendRequest(ListJobsRequest, { uri: documentUri });
  if (jobs.length === 0) {
    await vscode.window.showInformationMessage(vscode.l10n.t('This file belongs to no GitLab CI pipeline with jobs.'));
    return;
  }
  const job = await vscode.window.showQuickPick(jobs, {
    placeHolder: vscode.l10n.t('Job whose effective configuration to show'),
  });
  if (job === undefined) return;
  const doc = await vscode.workspace.openTextDocument(EffectiveJobProvider.uriFor(documentUri, job));
  await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
  await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
}
