import { isSeq, parseAllDocuments, type CollectionTag, type Document, type YAMLSeq } from 'yaml';

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

export function parseYaml(text: string): ParsedYaml {
  const documents = parseAllDocuments(text, {
    customTags: [referenceTag],
    prettyErrors: false,
    uniqueKeys: true,
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
        message: e.message,
        span: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) },
        severity: 'error',
      });
    }
  }
  return { documents: docs, body: docs[docs.length - 1] ?? null, problems };
}
