// Engine results → LSP objects: findings → diagnostics, fixes → workspace edits. No connection here.

import {
  CodeAction,
  CodeActionKind,
  DiagnosticSeverity,
  OptionalVersionedTextDocumentIdentifier,
  TextDocumentEdit,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Range,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';

import {
  editsPreserveSyntax,
  findingKey,
  fixPreservesSyntax,
  MESSAGES,
  MODEL_FINDING_LIST,
  RULES,
  planFixes,
  safeFixes,
  type Finding,
  type Fix,
  type Locale,
  type Severity,
  type SourceStore,
  type Span,
  type TextEdit,
} from '../engine/index';

export const DIAGNOSTIC_SOURCE = 'gitlab-ci-dind';
/** The fix-all code action kind (`editor.codeActionsOnSave`: `"source.fixAll.gitlabCiDind": "explicit"`). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.gitlabCiDind`;

/** One edit of a fix, ready for a `WorkspaceEdit`; `version` is the document version the range belongs to. */
export interface EditData {
  readonly uri: string;
  readonly version: number | null;
  readonly range: Range;
  readonly newText: string;
}

export interface FixData {
  readonly title: string;
  readonly safe: boolean;
  readonly preferred: boolean;
  readonly edits: readonly EditData[];
}

/** What a diagnostic carries for its code actions (`Diagnostic.data`). */
export interface DiagnosticData {
  readonly fixes: readonly FixData[];
  /**
   * For a finding whose fixes were deferred (`fixes` is then empty): its `findingKey`, by which a code action request
   * finds it in the analysis and computes its fixes.
   */
  readonly deferred?: string;
}

/** How the converters find a file's text, version and URI. */
export interface ConvertContext {
  readonly sources: SourceStore;
  /** Language of messages and fix titles (default English). */
  readonly locale?: Locale;
  uriOf(path: string): string;
}

const DOCS = new Map<string, string>([
  ...MODEL_FINDING_LIST.map((m): [string, string] => [m.id, m.docs]),
  ...RULES.map((r): [string, string] => [r.meta.id, r.meta.docs]),
]);

/** The documentation page of a rule or model finding id. */
export function docsOf(ruleId: string): string | undefined {
  return DOCS.get(ruleId);
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function rangeOf(ctx: ConvertContext, file: string, span: Span): Range {
  const source = ctx.sources.file(file);
  if (!source) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return source.lines.rangeOf(span);
}

function versionOf(ctx: ConvertContext, file: string): number | null {
  const r = ctx.sources.read(file);
  return r.kind === 'ok' && r.version !== undefined ? r.version : null;
}

export function toDiagnostic(ctx: ConvertContext, f: Finding): Diagnostic {
  const href = docsOf(f.ruleId);
  const related: DiagnosticRelatedInformation[] = f.related.map((r) => ({
    location: { uri: ctx.uriOf(r.file), range: rangeOf(ctx, r.file, r.span) },
    message: r.message,
  }));
  const data: DiagnosticData = {
    fixes: f.fixes.map((fix) => toFixData(ctx, fix)),
    ...(f.deferredFixes ? { deferred: findingKey(f) } : {}),
  };
  return {
    range: rangeOf(ctx, f.file, f.span),
    severity: SEVERITY[f.severity],
    source: DIAGNOSTIC_SOURCE,
    code: f.ruleId,
    ...(href ? { codeDescription: { href } } : {}),
    message: f.l10n && ctx.locale && ctx.locale !== 'en' ? MESSAGES.render(ctx.locale, f.l10n) : f.message,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
    data,
  };
}

export function toEditData(ctx: ConvertContext, edit: TextEdit): EditData {
  return {
    uri: ctx.uriOf(edit.file),
    version: versionOf(ctx, edit.file),
    range: rangeOf(ctx, edit.file, edit.span),
    newText: edit.newText,
  };
}

export function toFixData(ctx: ConvertContext, fix: Fix): FixData {
  return {
    title: fix.l10nTitle && ctx.locale && ctx.locale !== 'en' ? MESSAGES.render(ctx.locale, fix.l10nTitle) : fix.title,
    safe: fix.safe,
    preferred: fix.preferred === true,
    edits: fix.edits.map((e) => toEditData(ctx, e)),
  };
}

/** A `WorkspaceEdit`: versioned `documentChanges` when the client supports them (stale edits are then refused). */
export function toWorkspaceEdit(edits: readonly EditData[], documentChanges: boolean): WorkspaceEdit {
  const byUri = new Map<string, { version: number | null; edits: LspTextEdit[] }>();
  for (const e of edits) {
    let entry = byUri.get(e.uri);
    if (!entry) byUri.set(e.uri, (entry = { version: e.version, edits: [] }));
    entry.edits.push({ range: e.range, newText: e.newText });
  }
  if (documentChanges) {
    return {
      documentChanges: [...byUri].map(([uri, { version, edits: list }]) =>
        TextDocumentEdit.create(OptionalVersionedTextDocumentIdentifier.create(uri, version), list),
      ),
    };
  }
  const changes: Record<string, LspTextEdit[]> = {};
  for (const [uri, { edits: list }] of byUri) changes[uri] = list;
  return { changes };
}

/** Reads `Diagnostic.data` back; anything malformed (another server's data, an old client) yields no fixes. */
export function diagnosticData(value: unknown): DiagnosticData | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { fixes, deferred } = value as { fixes?: unknown; deferred?: unknown };
  if (!Array.isArray(fixes) || !fixes.every(isFixData)) return undefined;
  return typeof deferred === 'string' ? { fixes, deferred } : { fixes };
}

function isFixData(v: unknown): v is FixData {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Partial<FixData>;
  return typeof f.title === 'string' && Array.isArray(f.edits) && f.edits.every(isEditData);
}

function isEditData(v: unknown): v is EditData {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Partial<EditData>;
  const version = e.version === null || Number.isInteger(e.version);
  return typeof e.uri === 'string' && typeof e.newText === 'string' && version && isRange(e.range);
}

function isRange(v: unknown): v is Range {
  const r = v as Partial<Range> | undefined;
  const isPos = (p: unknown): boolean =>
    typeof p === 'object' &&
    p !== null &&
    Number.isInteger((p as { line?: unknown }).line) &&
    Number.isInteger((p as { character?: unknown }).character);
  return typeof r === 'object' && r !== null && isPos(r.start) && isPos(r.end);
}

/** Whether a fix (as carried by a diagnostic) leaves the files it edits parseable, checked against the analysed texts. */
export function fixDataKeepsSyntax(
  ctx: ConvertContext,
  fix: FixData,
  pathOf: (uri: string) => string | undefined,
): boolean {
  const edits: TextEdit[] = [];
  for (const e of fix.edits) {
    const file = pathOf(e.uri);
    const source = file === undefined ? undefined : ctx.sources.file(file);
    if (!file || !source) return false;
    edits.push({
      file,
      span: { start: source.lines.offsetAt(e.range.start), end: source.lines.offsetAt(e.range.end) },
      newText: e.newText,
    });
  }
  return editsPreserveSyntax(edits, (file) => ctx.sources.file(file)?.text);
}

/**
 * One quick fix per fix of each of our diagnostics. `isCurrent` tells whether an edit made for a document version
 * still fits the document; fixes with stale edits are not offered. `resolve` computes the fixes of a diagnostic
 * whose fixes were deferred (`DiagnosticData.deferred`); without it such a diagnostic offers none.
 */
export function quickFixes(
  diagnostics: readonly Diagnostic[],
  documentChanges: boolean,
  isCurrent: (uri: string, version: number | null) => boolean,
  keepsSyntax: (fix: FixData) => boolean = () => true,
  resolve: (key: string) => readonly FixData[] = () => [],
): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== DIAGNOSTIC_SOURCE) continue;
    const data = diagnosticData(d.data);
    if (!data) continue;
    for (const fix of data.deferred === undefined ? data.fixes : resolve(data.deferred)) {
      if (!fix.edits.every((e) => isCurrent(e.uri, e.version)) || !keepsSyntax(fix)) continue;
      const action = CodeAction.create(fix.title, toWorkspaceEdit(fix.edits, documentChanges), CodeActionKind.QuickFix);
      action.diagnostics = [d];
      if (fix.preferred) action.isPreferred = true;
      actions.push(action);
    }
  }
  return actions;
}

/**
 * The fix-all action for the findings of one file: the first safe fix of each, without overlapping edits, as one
 * edit. Undefined when there is nothing to fix. `fixesOf` gives a finding's fixes (deferred ones computed).
 */
export function fixAll(
  ctx: ConvertContext,
  findings: readonly Finding[],
  documentChanges: boolean,
  fixesOf: (f: Finding) => readonly Fix[] = (f) => f.fixes,
): CodeAction | undefined {
  const textOf = (file: string): string | undefined => ctx.sources.file(file)?.text;
  const valid = findings.map((f) => ({ ...f, fixes: fixesOf(f).filter((fix) => fixPreservesSyntax(fix, textOf)) }));
  const plan = planFixes(safeFixes(valid), textOf);
  const edits = [...plan.edits.values()].flat().map((e) => toEditData(ctx, e));
  if (edits.length === 0) return undefined;
  const count = plan.applied.length;
  return CodeAction.create(
    `Fix all auto-fixable GitLab CI DinD problems (${count})`,
    toWorkspaceEdit(edits, documentChanges),
    FIX_ALL_KIND,
  );
}
