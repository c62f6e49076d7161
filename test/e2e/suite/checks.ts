// The checks run inside a real VS Code against the fixture workspace (test/e2e/fixtures/workspace, copied fresh).
// Order matters: the syntax checks run on the broken files, the edit checks repair them, and the rule, quick-fix,
// fix-all, hover, completion and effective-job checks run on the repaired DinD setup.
import { join } from 'node:path';
import { createRequire } from 'node:module';
import * as vscode from 'vscode';
import { assert, NotYetAvailable, waitFor, type Check } from './framework';

export const EXTENSION_ID = 'gitlab-ci-dind.gitlab-ci-dind';
const PIPELINE = '.gitlab-ci.yml';
const RUNNER_CONFIG = 'runner/config.toml';
const PLAIN_YAML = 'docs/notes.yml';
/** Zero-based lines of the fixture's deliberate errors (see fixtures/README.md). */
const YAML_ERROR_LINE = 7;
const TOML_ERROR_LINE = 9;
const CERTS_RULE = 'dind/tls-certs-volume-missing';

interface EngineRule {
  readonly meta: { readonly id: string; readonly fixSafe?: boolean };
  readonly checkJob?: unknown;
  readonly checkRunner?: unknown;
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert(ext, `extension ${EXTENSION_ID} is not installed in the extension host`);
  return ext;
}

function fileUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, relative);
}

/**
 * Opens a file in its own editor tab, as a user does. The server may use pull diagnostics, which VS Code requests for
 * documents shown in tabs; a preview tab would be replaced (and its diagnostics dropped) by the next file opened.
 */
async function show(uri: vscode.Uri): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code ?? '');
}

/** This extension's diagnostics (rule ids all start with `dind/`). */
function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d).startsWith('dind/'));
}

function withCode(uri: vscode.Uri, code: string): vscode.Diagnostic | undefined {
  return ours(uri).find((d) => codeOf(d) === code);
}

function describe(uri: vscode.Uri): string {
  const ds = ours(uri).map((d) => `${codeOf(d)}@${d.range.start.line + 1}:${d.range.start.character + 1}`);
  return ds.length > 0 ? ds.join(', ') : 'none';
}

/** The rules whose checks exist in the bundled engine; undefined when the bundle cannot be loaded. */
function implementedRules(): EngineRule[] | undefined {
  try {
    const load = createRequire(__filename);
    const engine = load(join(extension().extensionPath, 'dist', 'engine.js')) as { RULES?: readonly EngineRule[] };
    return (engine.RULES ?? []).filter((r) => r.checkJob || r.checkRunner);
  } catch {
    return undefined;
  }
}

function requireRule(id: string): void {
  const rules = implementedRules();
  if (rules && !rules.some((r) => r.meta.id === id))
    throw new NotYetAvailable(`rule ${id} has no check in the engine yet`);
}

async function replaceLine(uri: vscode.Uri, line: number, text: string, save: boolean): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, doc.lineAt(line).range, text);
  assert(await vscode.workspace.applyEdit(edit), `the edit of ${uri.fsPath} was not applied`);
  if (save) assert(await doc.save(), `${uri.fsPath} was not saved`);
  return doc;
}

/** Applies a code action the way the editor does: its edit, then its command. */
async function applyAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert(await vscode.workspace.applyEdit(action.edit), `the edit of "${action.title}" failed`);
  if (action.command)
    await vscode.commands.executeCommand(action.command.command, ...((action.command.arguments ?? []) as unknown[]));
  assert(await vscode.workspace.saveAll(false), 'saving the edited files failed');
}

async function codeActions(uri: vscode.Uri, range: vscode.Range, kind: string): Promise<vscode.CodeAction[]> {
  const all = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    range,
    kind,
  );
  // A bare Command has a string `command`; a CodeAction has none or a Command object.
  return (all ?? []).filter((a): a is vscode.CodeAction => typeof a.command !== 'string');
}

function touches(action: vscode.CodeAction, uri: vscode.Uri): boolean {
  return action.edit?.entries().some(([u]) => u.toString() === uri.toString()) ?? false;
}

function contributedCommands(): string[] {
  const pkg = extension().packageJSON as { contributes?: { commands?: { command: string }[] } };
  return (pkg.contributes?.commands ?? []).map((c) => c.command);
}

function assertSyntaxDiagnostic(d: vscode.Diagnostic, line: number, doc: vscode.TextDocument): void {
  assert(
    d.severity === vscode.DiagnosticSeverity.Error,
    `${codeOf(d)} has severity ${d.severity}, expected Error (${vscode.DiagnosticSeverity.Error})`,
  );
  assert(d.range.start.line === line, `${codeOf(d)} starts on line ${d.range.start.line + 1}, expected ${line + 1}`);
  assert(doc.validateRange(d.range).isEqual(d.range), `${codeOf(d)} range lies outside the document`);
  assert(d.message.trim().length > 0, `${codeOf(d)} has an empty message`);
  const target = typeof d.code === 'object' ? d.code.target : undefined;
  assert(target?.scheme === 'https', `${codeOf(d)} has no documentation link (codeDescription.href)`);
}

export const checks: readonly Check[] = [
  {
    name: 'the extension activates from its activation events',
    async run() {
      const ext = extension();
      await waitFor('the extension to activate', () => (ext.isActive ? true : undefined), 30_000);
      const ms = (ext.exports as { activationMs?: unknown } | undefined)?.activationMs;
      assert(typeof ms === 'number' && ms > 0, `activate() reported no activation time (${String(ms)})`);
      return `activation took ${ms.toFixed(0)} ms (language server started and initialised)`;
    },
  },
  {
    name: 'every contributed command is registered',
    async run() {
      const contributed = contributedCommands();
      if (contributed.length === 0) throw new NotYetAvailable('package.json contributes no commands');
      const registered = new Set(await vscode.commands.getCommands(true));
      const missing = contributed.filter((c) => !registered.has(c));
      assert(missing.length === 0, `contributed but not registered: ${missing.join(', ')}`);
    },
  },
  {
    name: `${PIPELINE} with broken YAML gets dind/yaml-syntax`,
    async run() {
      const uri = fileUri(PIPELINE);
      const doc = (await show(uri)).document;
      const d = await waitFor(`dind/yaml-syntax in ${PIPELINE} (has: ${describe(uri)})`, () =>
        withCode(uri, 'dind/yaml-syntax'),
      );
      assertSyntaxDiagnostic(d, YAML_ERROR_LINE, doc);
    },
  },
  {
    name: `${RUNNER_CONFIG} with broken TOML gets dind/toml-syntax`,
    async run() {
      const uri = fileUri(RUNNER_CONFIG);
      const doc = (await show(uri)).document;
      const d = await waitFor(`dind/toml-syntax in ${RUNNER_CONFIG} (has: ${describe(uri)})`, () =>
        withCode(uri, 'dind/toml-syntax'),
      );
      assertSyntaxDiagnostic(d, TOML_ERROR_LINE, doc);
    },
  },
  {
    name: `${PLAIN_YAML} (broken YAML, not a pipeline) gets no diagnostics`,
    async run() {
      const plain = fileUri(PLAIN_YAML);
      await show(plain);
      // Barrier: an unsaved edit of the pipeline made after opening the plain file must be re-checked first, so the
      // server has seen the plain file by the time the pipeline's shifted diagnostic arrives.
      const pipeline = fileUri(PIPELINE);
      const doc = await vscode.workspace.openTextDocument(pipeline);
      const insert = new vscode.WorkspaceEdit();
      insert.insert(pipeline, new vscode.Position(0, 0), '# barrier\n');
      assert(await vscode.workspace.applyEdit(insert), 'the barrier edit was not applied');
      await waitFor('the pipeline to be re-checked after an unsaved edit', () => {
        const d = withCode(pipeline, 'dind/yaml-syntax');
        return d?.range.start.line === YAML_ERROR_LINE + 1 ? d : undefined;
      });
      assert(ours(plain).length === 0, `${PLAIN_YAML} got diagnostics: ${describe(plain)}`);
      const remove = new vscode.WorkspaceEdit();
      remove.delete(pipeline, new vscode.Range(0, 0, 1, 0));
      assert(await vscode.workspace.applyEdit(remove), 'undoing the barrier edit failed');
      assert(await doc.save(), `${PIPELINE} was not saved`);
      await waitFor('the pipeline diagnostic to move back', () => {
        const d = withCode(pipeline, 'dind/yaml-syntax');
        return d?.range.start.line === YAML_ERROR_LINE ? d : undefined;
      });
      assert(ours(plain).length === 0, `${PLAIN_YAML} got diagnostics: ${describe(plain)}`);
    },
  },
  {
    name: `repairing ${RUNNER_CONFIG} (WorkspaceEdit + save) clears dind/toml-syntax`,
    async run() {
      const uri = fileUri(RUNNER_CONFIG);
      await waitFor(`dind/toml-syntax in ${RUNNER_CONFIG} before the repair`, () => withCode(uri, 'dind/toml-syntax'));
      const doc = await replaceLine(uri, TOML_ERROR_LINE, '    privileged = true', true);
      assert(!doc.isDirty, `${RUNNER_CONFIG} is still dirty after save`);
      await waitFor(`dind/toml-syntax to clear (has: ${describe(uri)})`, () =>
        withCode(uri, 'dind/toml-syntax') ? undefined : true,
      );
    },
  },
  {
    name: `repairing ${PIPELINE} (WorkspaceEdit + save) clears dind/yaml-syntax`,
    async run() {
      const uri = fileUri(PIPELINE);
      await waitFor(`dind/yaml-syntax in ${PIPELINE} before the repair`, () => withCode(uri, 'dind/yaml-syntax'));
      await replaceLine(uri, YAML_ERROR_LINE, '  script:', true);
      await waitFor(`dind/yaml-syntax to clear (has: ${describe(uri)})`, () =>
        withCode(uri, 'dind/yaml-syntax') ? undefined : true,
      );
    },
  },
  {
    name: `the repaired pipeline gets ${CERTS_RULE} (runner config does not share /certs/client)`,
    async run() {
      requireRule(CERTS_RULE);
      const uri = fileUri(PIPELINE);
      const d = await waitFor(`${CERTS_RULE} in ${PIPELINE} (has: ${describe(uri)})`, () => withCode(uri, CERTS_RULE));
      assert(d.severity === vscode.DiagnosticSeverity.Error, `${CERTS_RULE} is not an error`);
    },
  },
  {
    name: `quick-fix across files: ${CERTS_RULE} in ${PIPELINE} edits ${RUNNER_CONFIG}`,
    async run() {
      requireRule(CERTS_RULE);
      const pipeline = fileUri(PIPELINE);
      const runner = fileUri(RUNNER_CONFIG);
      const d = await waitFor(`${CERTS_RULE} in ${PIPELINE}`, () => withCode(pipeline, CERTS_RULE));
      // vscode.executeCodeActionProvider drops CodeAction.diagnostics, so every action offered at the range counts.
      const offered = await codeActions(pipeline, d.range, vscode.CodeActionKind.QuickFix.value);
      const fix = offered.find((a) => touches(a, runner));
      if (!fix) {
        const titles = offered.map((a) => a.title).join(' | ');
        throw new NotYetAvailable(
          `no quick-fix for ${CERTS_RULE} edits ${RUNNER_CONFIG} (offered: ${titles || 'none'})`,
        );
      }
      await applyAction(fix);
      const text = (await vscode.workspace.openTextDocument(runner)).getText();
      assert(text.includes('"/certs/client"'), `${RUNNER_CONFIG} does not share /certs/client after the fix:\n${text}`);
      await waitFor(`${CERTS_RULE} to clear (has: ${describe(pipeline)})`, () =>
        withCode(pipeline, CERTS_RULE) ? undefined : true,
      );
      assert(!withCode(runner, 'dind/toml-syntax'), `the fix broke ${RUNNER_CONFIG}: ${describe(runner)}`);
    },
  },
  {
    name: `fix-all (source.fixAll) on ${PIPELINE}`,
    async run() {
      const uri = fileUri(PIPELINE);
      const doc = await vscode.workspace.openTextDocument(uri);
      const full = new vscode.Range(0, 0, doc.lineCount, 0);
      const actions = (await codeActions(uri, full, vscode.CodeActionKind.SourceFixAll.value)).filter(
        (a) => a.kind?.value.startsWith(`${vscode.CodeActionKind.SourceFixAll.value}.`) ?? false,
      );
      if (actions.length === 0) throw new NotYetAvailable('no source.fixAll action is offered');
      const safe = new Set((implementedRules() ?? []).filter((r) => r.meta.fixSafe).map((r) => r.meta.id));
      const fixable = ours(uri).filter((d) => safe.has(codeOf(d)));
      if (fixable.length === 0) {
        throw new NotYetAvailable(
          `no finding in ${PIPELINE} comes from a rule with safe fixes yet (has: ${describe(uri)})`,
        );
      }
      const before = doc.getText();
      const countBefore = ours(uri).length;
      for (const a of actions) await applyAction(a);
      assert(doc.getText() !== before, 'fix-all did not change the pipeline');
      await waitFor(`fewer than ${countBefore} diagnostics after fix-all (has: ${describe(uri)})`, () =>
        ours(uri).length < countBefore ? true : undefined,
      );
      assert(!withCode(uri, 'dind/yaml-syntax'), `fix-all broke ${PIPELINE}`);
    },
  },
  {
    name: `hover on the dind service in ${PIPELINE}`,
    async run() {
      const uri = fileUri(PIPELINE);
      const doc = await vscode.workspace.openTextDocument(uri);
      const line = findLine(doc, '- docker:24.0.5-dind');
      const position = new vscode.Position(line, doc.lineAt(line).text.indexOf('docker') + 2);
      const hovers =
        (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
      if (hovers.length === 0) throw new NotYetAvailable('no hover is offered on a dind service');
      const text = hovers
        .flatMap((h) => h.contents)
        .map((c) => (typeof c === 'string' ? c : c.value))
        .join('\n');
      assert(text.trim().length > 0, 'the hover is empty');
    },
  },
  {
    name: `completion in the services list of ${PIPELINE}`,
    async run() {
      const uri = fileUri(PIPELINE);
      const doc = await vscode.workspace.openTextDocument(uri);
      const line = findLine(doc, '- docker:24.0.5-dind');
      const position = new vscode.Position(line, doc.lineAt(line).text.indexOf('docker'));
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        uri,
        position,
      );
      // Word-based suggestions (kind Text) come from the editor itself, not from this extension.
      const items = (list?.items ?? []).filter((i) => i.kind !== vscode.CompletionItemKind.Text);
      if (items.length === 0) throw new NotYetAvailable('no completion is offered in a services list');
      const labels = items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      assert(
        labels.some((l) => l.includes('docker')),
        `no docker image is offered in a services list: ${labels.join(', ')}`,
      );
    },
  },
  {
    name: 'the effective-job command shows the resolved job',
    async run() {
      const command = contributedCommands().find((c) => /effective/i.test(c));
      if (!command) throw new NotYetAvailable('no effective-job command is contributed');
      const uri = fileUri(PIPELINE);
      const editor = await show(uri);
      const line = findLine(editor.document, 'build:');
      editor.selection = new vscode.Selection(line, 1, line, 1);
      // The command may ask for the job with a quick pick; the fixture has one job, so accepting the selection picks it.
      const running = Promise.resolve(vscode.commands.executeCommand(command));
      let failure: unknown;
      running.catch((e: unknown) => (failure = e));
      const shown = await waitFor('a document showing the effective job', () => {
        if (failure instanceof Error) throw failure;
        if (failure !== undefined) throw new Error('the effective-job command failed');
        const doc = vscode.workspace.textDocuments.find(
          (d) => d.uri.toString() !== uri.toString() && d.getText().includes('docker:24.0.5-dind'),
        );
        if (!doc) void vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return doc;
      });
      assert(shown.getText().includes('build'), `the effective-job view does not name the job:\n${shown.getText()}`);
    },
  },
];

function findLine(doc: vscode.TextDocument, needle: string): number {
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(needle)) return i;
  throw new Error(`"${needle}" not found in ${doc.uri.fsPath}`);
}
