// Navigation in pipeline files: document links for `include:` paths, and go to definition for `extends` parents
// and `!reference [job, key, ...]` targets across the pipeline's files.

import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';

import type { Analysis } from '../analyze';
import { wildcardMatcher } from '../ci/include';
import type { Span } from '../types';
import { locateYaml, mapKey, mapValue, nodeSpan, pipelineOf, relativePath, type FeatureOptions } from './common';

export interface DocumentLinkEntry {
  /** The path as written (without quotes). */
  readonly span: Span;
  /** Absolute file path, or null for a remote URL. */
  readonly file: string | null;
  /** The remote URL of `include: remote:` / an `https://` string. */
  readonly url: string | null;
}

export interface DefinitionTarget {
  readonly file: string;
  /** The key that defines the target (job name, or the key inside it). */
  readonly span: Span;
}

/** Links for the file's top-level `include:` entries that resolve to a file (wildcards: the first match). */
export function documentLinks(analysis: Analysis, file: string, options: FeatureOptions): DocumentLinkEntry[] {
  const body = analysis.sources.yaml(file)?.body?.contents;
  const include = mapValue(body, 'include');
  if (!include) return [];
  const items = isSeq(include) ? include.items : [include];
  const files = pipelineOf(analysis, file)?.files ?? [];
  const out: DocumentLinkEntry[] = [];
  for (const item of items) {
    let node: unknown = item;
    let kind: 'local' | 'remote' | 'auto' = 'auto';
    if (isMap(item)) {
      node = mapValue(item, 'local') ?? mapValue(item, 'remote');
      kind = mapValue(item, 'local') ? 'local' : 'remote';
    }
    if (!isScalar(node) || typeof node.value !== 'string') continue;
    const span = innerSpan(analysis, file, node as YamlNode);
    if (!span) continue;
    const value = node.value.trim();
    if (kind === 'remote' || (kind === 'auto' && /^https?:\/\//.test(value))) {
      if (/^https?:\/\//.test(value)) out.push({ span, file: null, url: value });
      continue;
    }
    const target = resolveLocal(analysis, options.root, value, files);
    if (target) out.push({ span, file: target, url: null });
  }
  return out;
}

/** The scalar's range without its quotes. */
function innerSpan(analysis: Analysis, file: string, node: YamlNode): Span | null {
  const span = nodeSpan(node);
  if (!span) return null;
  const text = analysis.sources.file(file)?.text ?? '';
  const first = text.charAt(span.start);
  return first === '"' || first === "'" ? { start: span.start + 1, end: Math.max(span.start + 1, span.end - 1) } : span;
}

/** A local include path → the file it names (wildcards: the first loaded or existing match), or null. */
function resolveLocal(analysis: Analysis, root: string, value: string, loaded: readonly string[]): string | null {
  const rel = value.replace(/^\/+/, '');
  if (rel === '' || /\$/.test(rel)) return null;
  if (!rel.includes('*')) {
    const path = `${root}/${rel}`;
    return analysis.sources.read(path).kind === 'ok' ? path : null;
  }
  const matches = wildcardMatcher(rel);
  const hit = loaded.find((f) => f.startsWith(`${root}/`) && matches(relativePath(f, root)));
  return hit ?? null;
}

/** Definitions of the `extends` parent or `!reference` target under the cursor, in every file of the pipeline. */
export function definitionsAt(analysis: Analysis, file: string, offset: number): DefinitionTarget[] {
  const loc = locateYaml(analysis.sources.yaml(file)?.body ?? null, offset);
  if (!loc || loc.onKey || !isScalar(loc.node)) return [];
  const files = pipelineOf(analysis, file)?.files ?? [file];
  if (loc.reference) {
    const { items, index } = loc.reference;
    const [job, ...keys] = items;
    if (job === undefined) return [];
    return findDefinitions(analysis, files, job, keys.slice(0, index));
  }
  const path = loc.path;
  const extendsAt = path.length >= 2 && path[1] === 'extends' && (path.length === 2 || typeof path[2] === 'number');
  if (!extendsAt || path.length > 3) return [];
  return findDefinitions(analysis, files, String(loc.node.value), []);
}

function findDefinitions(
  analysis: Analysis,
  files: readonly string[],
  job: string,
  keys: readonly string[],
): DefinitionTarget[] {
  const out: DefinitionTarget[] = [];
  for (const f of files) {
    let node: unknown = analysis.sources.yaml(f)?.body?.contents;
    let key = mapKey(node, job);
    node = mapValue(node, job);
    for (const k of keys) {
      if (!key) break;
      key = mapKey(node, k);
      node = mapValue(node, k);
    }
    const span = key ? nodeSpan(key) : null;
    if (span) out.push({ file: f, span });
  }
  return out;
}
