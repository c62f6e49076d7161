// Editor features (engine data) → LSP objects: hover, completion items, document links, locations. No connection.

import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type DocumentLink,
  type Hover,
  type Location,
} from 'vscode-languageserver';

import type { CompletionEntry, DefinitionTarget, DocumentLinkEntry, HoverResult } from '../engine/index';
import { rangeOf, type ConvertContext } from './convert';

export function toHover(ctx: ConvertContext, file: string, hover: HoverResult): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: hover.markdown }, range: rangeOf(ctx, file, hover.span) };
}

const KIND: Record<CompletionEntry['kind'], CompletionItemKind> = {
  variable: CompletionItemKind.Variable,
  value: CompletionItemKind.Value,
  image: CompletionItemKind.Module,
  property: CompletionItemKind.Property,
  enum: CompletionItemKind.EnumMember,
};

export function toCompletionItems(
  ctx: ConvertContext,
  file: string,
  entries: readonly CompletionEntry[],
): CompletionItem[] {
  return entries.map((e, i) => {
    const item: CompletionItem = {
      label: e.label,
      kind: KIND[e.kind],
      textEdit: { range: rangeOf(ctx, file, e.span), newText: e.insertText },
      insertTextFormat: InsertTextFormat.PlainText,
      // Preferred entries first, then the engine's order.
      sortText: `${e.preferred ? '0' : '1'}${String(i).padStart(3, '0')}`,
    };
    if (e.detail !== undefined) item.detail = e.detail;
    if (e.documentation !== undefined) item.documentation = { kind: MarkupKind.Markdown, value: e.documentation };
    if (e.preferred) item.preselect = true;
    return item;
  });
}

export function toDocumentLinks(
  ctx: ConvertContext,
  file: string,
  links: readonly DocumentLinkEntry[],
): DocumentLink[] {
  return links.flatMap((l) => {
    const target = l.file !== null ? ctx.uriOf(l.file) : l.url;
    return target === null ? [] : [{ range: rangeOf(ctx, file, l.span), target }];
  });
}

export function toLocations(ctx: ConvertContext, targets: readonly DefinitionTarget[]): Location[] {
  return targets.map((t) => ({ uri: ctx.uriOf(t.file), range: rangeOf(ctx, t.file, t.span) }));
}
