import {
  CST,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  parseAllDocuments,
  visit,
  type CollectionTag,
  type Document,
  type YAMLSeq,
} from 'yaml';

import type { Span } from '../types';

/** GitLab's `!reference [job, key, ...]` tag: kept as a sequence node whose `tag` is `!reference`. */
export const referenceTag: CollectionTag = {
  tag: '!reference',
  collection: 'seq',
  default: false,
  resolve(value) {
    return value;
  },
};

/** Aliases a single file may expand before we call it an alias bomb (pass to `toJS({ maxAliasCount })`). */
export const MAX_ALIAS_COUNT = 1000;

export interface YamlSyntaxProblem {
  readonly message: string;
  readonly span: Span;
  readonly severity: 'error' | 'warning';
}

export interface ParsedYaml {
  /** All documents in the file. A pipeline with a `spec:` header has two: the header and the body. */
  readonly documents: readonly Document.Parsed[];
  /** The pipeline body: the last document (the first one is the `spec:` header when there are two). */
  readonly body: Document.Parsed | null;
  readonly problems: readonly YamlSyntaxProblem[];
}

export function isReference(node: unknown): node is YAMLSeq {
  return isSeq(node) && node.tag === '!reference';
}

/** What the parser's stack overflow on pathological nesting is reported as. */
const TOO_DEEP = 'Collections are nested too deeply to parse (the parser ran out of stack).';

/**
 * Flow collections (`[`, `{`) nested deeper than this are refused before parsing. The parser recurses once per level
 * and runs out of stack near 800 levels; after that V8 can abort the whole process (a fatal "RegExpCompiler
 * Allocation failed") when the same text is parsed again, which the server does. Real pipelines nest a few levels.
 */
export const MAX_FLOW_DEPTH = 256;

/** The offset of the first flow collection nested deeper than `MAX_FLOW_DEPTH`, found with yaml's (iterative) lexer. */
function tooDeepAt(text: string): number | undefined {
  let openers = 0;
  for (let at = 0; at < text.length; at++) {
    const c = text.charCodeAt(at);
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) openers++;
  }
  if (openers <= MAX_FLOW_DEPTH) return undefined;
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === 'flow-seq-start' || type === 'flow-map-start') {
      if (++depth > MAX_FLOW_DEPTH) return offset;
    } else if (type === 'flow-seq-end' || type === 'flow-map-end') depth = Math.max(0, depth - 1);
    if (token !== CST.DOCUMENT && token !== CST.FLOW_END && token !== CST.SCALAR) offset += token.length;
  }
  return undefined;
}

export function parseYaml(text: string): ParsedYaml {
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    const span = { start: deep, end: deep + 1 };
    const message = `Flow collections are nested more than ${MAX_FLOW_DEPTH} levels deep: the file is not parsed.`;
    return { documents: [], body: null, problems: [{ message, span, severity: 'error' }] };
  }
  const documents = parseAllDocuments(text, {
    customTags: [referenceTag],
    prettyErrors: false,
    // Ruby's YAML keeps the last of duplicate keys; we do the same and report a warning (see duplicateKeys).
    uniqueKeys: false,
    strict: false,
  });
  const docs: Document.Parsed[] = Array.isArray(documents) ? documents : [];
  const problems: YamlSyntaxProblem[] = [];
  if (!Array.isArray(documents)) {
    // An empty stream parses to an EmptyStream; it has no errors.
    return { documents: [], body: null, problems };
  }
  for (const doc of docs) {
    for (const e of doc.errors) {
      problems.push({
        message: e.message.startsWith('Maximum call stack') ? TOO_DEEP : e.message,
        // The parser may place an error one past the end of the text (e.g. after a lone CR): clamp it.
        span: { start: Math.min(e.pos[0], text.length), end: Math.min(Math.max(e.pos[1], e.pos[0]), text.length) },
        severity: 'error',
      });
    }
    problems.push(...duplicateKeys(doc));
  }
  return { documents: docs, body: docs[docs.length - 1] ?? null, problems };
}

/** Duplicate keys in any mapping of the document: a warning at each earlier occurrence (the last one wins). */
function duplicateKeys(doc: Document.Parsed): YamlSyntaxProblem[] {
  const problems: YamlSyntaxProblem[] = [];
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map) || map.items.length < 2) return;
      const last = new Map<string, number>();
      map.items.forEach((pair, i) => {
        if (isScalar(pair.key)) last.set(String(pair.key.value), i);
      });
      map.items.forEach((pair, i) => {
        if (!isScalar(pair.key)) return;
        const name = String(pair.key.value);
        if (name === '<<' || last.get(name) === i) return;
        const r = pair.key.range;
        problems.push({
          message: `Duplicate key "${name}": only the last definition is used.`,
          span: r ? { start: r[0], end: r[1] } : { start: 0, end: 0 },
          severity: 'warning',
        });
      });
    },
  });
  return problems.sort((a, b) => a.span.start - b.span.start);
}
