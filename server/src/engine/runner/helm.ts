// Runner configs embedded in a GitLab Runner Helm chart `values.yaml`: `runners.config: |` holds the config.toml
// text as a literal block scalar. The TOML is parsed on its own, and every offset is mapped back into the YAML file
// (a block scalar strips the block's indentation from each line), so findings, hover and fixes land in values.yaml.

import { isMap, isScalar, Scalar } from 'yaml';

import { parseToml, type ParsedToml } from '../toml/parse';
import type { Span } from '../types';
import { parseYaml, type ParsedYaml } from '../yaml/parse';
import type { TomlEntry, TomlTable } from './model';

/** The TOML text of `runners.config`, its parse, and the map from its offsets to offsets of the YAML file. */
export interface EmbeddedToml {
  /** The block scalar's value: the config.toml text. */
  readonly toml: string;
  readonly parsed: ParsedToml;
  /** The indentation the block scalar strips from each line (what inserted lines need in front). */
  readonly blockIndent: string;
  /** A position inside the TOML text → the same character in the YAML file. */
  readonly toFile: (offset: number) => number;
  /** An insertion point: a TOML line start maps to the file's line start (before the block indentation). */
  readonly insertAt: (offset: number) => number;
}

/** File names that may be Helm values files holding a runner config: `values*.yaml`, `*.values.yaml` (or `.yml`). */
export function isHelmValuesName(name: string): boolean {
  return /^values[^/]*\.ya?ml$/i.test(name) || /\.values\.ya?ml$/i.test(name);
}

/** True for the paths the engine reads as YAML (a runner config with such a path is a Helm values file). */
export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/** A cheap test before parsing: the text names `runners:` and a `[[runners]]` table. */
export function mayEmbedRunnerConfig(text: string): boolean {
  return text.includes('runners:') && text.includes('[[runners]]');
}

/** True when the YAML text's `runners.config` is a literal block scalar holding a `[[runners]]` table. */
export function embedsRunnerConfig(text: string): boolean {
  return mayEmbedRunnerConfig(text) && embeddedRunnerConfig(parseYaml(text), text) !== undefined;
}

const cache = new WeakMap<ParsedYaml, EmbeddedToml | null>();

/**
 * The runner config in `runners.config` of the first document that has one, when it is a literal block scalar
 * (`|`, `|-`, `|+`); other scalar styles are not runner configs. Cached per parse of the YAML text.
 */
export function embeddedRunnerConfig(yaml: ParsedYaml, text: string): EmbeddedToml | undefined {
  const hit = cache.get(yaml);
  if (hit !== undefined) return hit ?? undefined;
  let found: EmbeddedToml | null = null;
  for (const doc of yaml.documents) {
    if (!isMap(doc.contents)) continue;
    const node = doc.getIn(['runners', 'config'], true);
    if (!isScalar(node)) continue;
    found = fromBlockScalar(node, text);
    break;
  }
  cache.set(yaml, found);
  return found ?? undefined;
}

function fromBlockScalar(node: Scalar, text: string): EmbeddedToml | null {
  if (node.type !== Scalar.BLOCK_LITERAL || typeof node.value !== 'string' || !node.range) return null;
  const toml = node.value;
  if (!/^\s*\[\[\s*runners\s*\]\]/m.test(toml)) return null;
  const lines = fileLinesAfter(text, node.range[0]);
  const tomlLines = toml.split('\n');
  let indent = -1;
  for (let i = 0; i < tomlLines.length; i++) {
    const own = tomlLines[i] ?? '';
    if (own === '') continue;
    const line = lines[i];
    if (!line) return null;
    const content = text.slice(line.start, line.end);
    if (indent < 0) indent = content.length - own.length;
    // Every content line is the block indentation (spaces) followed by the scalar's own line.
    if (indent < 0 || content.slice(indent) !== own || !/^ *$/.test(content.slice(0, indent))) return null;
  }
  if (indent < 0) return null;
  const n = indent;
  const starts: number[] = [];
  let offset = 0;
  for (const own of tomlLines) {
    starts.push(offset);
    offset += own.length + 1;
  }
  const lineOf = (o: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const toFile = (o: number): number => {
    const i = lineOf(o);
    const line = lines[i];
    if (!line) return text.length;
    return Math.min(line.start + Math.min(n, line.end - line.start) + (o - (starts[i] ?? 0)), line.end);
  };
  const insertAt = (o: number): number => {
    const i = lineOf(o);
    if (o !== starts[i]) return toFile(o);
    return lines[i]?.start ?? text.length;
  };
  return { toml, parsed: parseToml(toml), blockIndent: ' '.repeat(n), toFile, insertAt };
}

interface FileLine {
  readonly start: number;
  /** End of the line's content (before its line break). */
  readonly end: number;
}

/** The lines of `text` after the line holding `offset` (the block scalar's header line). */
function fileLinesAfter(text: string, offset: number): FileLine[] {
  const lines: FileLine[] = [];
  const first = text.indexOf('\n', offset);
  if (first < 0) return lines;
  let start = first + 1;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const next = nl < 0 ? text.length : nl;
    const end = next > start && text[next - 1] === '\r' ? next - 1 : next;
    lines.push({ start, end });
    if (nl < 0) break;
    start = nl + 1;
  }
  return lines;
}

/** The table (from the embedded TOML) with every span, insertion point and indentation moved into the YAML file. */
export function tableInFile(table: TomlTable, embedded: EmbeddedToml): TomlTable {
  const span = (s: Span): Span => ({ start: embedded.toFile(s.start), end: embedded.toFile(s.end) });
  const move = (t: TomlTable): TomlTable => {
    const entries = new Map<string, TomlEntry>();
    for (const [k, e] of t.entries) {
      entries.set(k, {
        ...e,
        keySpan: span(e.keySpan),
        valueSpan: span(e.valueSpan),
        itemSpans: e.itemSpans.map(span),
        span: span(e.span),
      });
    }
    const tables = new Map<string, TomlTable>();
    for (const [k, v] of t.tables) tables.set(k, move(v));
    const tableArrays = new Map<string, TomlTable[]>();
    for (const [k, list] of t.tableArrays) tableArrays.set(k, list.map(move));
    return {
      ...t,
      headerSpan: t.headerSpan && span(t.headerSpan),
      insertOffset: embedded.insertAt(t.insertOffset),
      indent: `${embedded.blockIndent}${t.indent}`,
      baseIndent: embedded.blockIndent,
      entries,
      tables,
      tableArrays,
      ...(t.keySpan ? { keySpan: span(t.keySpan) } : {}),
    };
  };
  return move(table);
}
