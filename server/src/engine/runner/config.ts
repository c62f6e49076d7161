// Builds the runner model of one config.toml (see model.ts) from toml-eslint-parser's AST: every table with its
// ranges, insertion point and indentation, every entry with its plain value, and the `[[runners]]` view. A Helm
// `values.yaml` embedding the config.toml in `runners.config: |` is modelled too, with ranges in the YAML (helm.ts).

import { getStaticTOMLValue, type AST } from 'toml-eslint-parser';

import { coreText } from '../core-messages';
import { msg, type Msg } from '../i18n';
import { MODEL_FINDINGS } from '../ids';
import type { SourceStore } from '../sources';
import type { ParsedToml } from '../toml/parse';
import type { Finding, Severity, Span } from '../types';
import { embeddedRunnerConfig, embedsRunnerConfig, isYamlPath, tableInFile, type EmbeddedToml } from './helm';
import type { Runner, RunnerConfig, RunnerService, TomlEntry, TomlTable, TomlTableKind } from './model';
import { parseEnvironmentItem, validateRunnerConfig } from './validate';

/** Executors that run jobs in Docker containers with `[runners.docker]` and can host a dind service. */
const DIND_DOCKER_EXECUTORS: ReadonlySet<string> = new Set(['docker', 'docker+machine', 'docker-autoscaler']);

export function parseRunnerConfig(sources: SourceStore, file: string): RunnerConfig | undefined {
  const source = sources.file(file);
  if (!source) return undefined;
  if (isYamlPath(file)) return parseHelmValues(sources, file, source.text);
  const parsed = sources.toml(file);
  return parsed && configOf(file, source.text, parsed, null);
}

/**
 * A Helm chart `values.yaml` whose `runners.config` block scalar holds the config.toml: the runner model of the
 * embedded TOML with every range in the YAML file, after the YAML's own syntax findings. Without such a block the
 * config has no runners.
 */
function parseHelmValues(sources: SourceStore, file: string, text: string): RunnerConfig | undefined {
  const yaml = sources.yaml(file);
  if (!yaml) return undefined;
  const findings = yaml.problems.map((p) => {
    const l10n = msg('ci.yaml-syntax', { detail: p.message });
    return modelFinding(MODEL_FINDINGS.yamlSyntax.id, p.severity, l10n, file, p.span);
  });
  const embedded = embeddedRunnerConfig(yaml, text);
  if (!embedded) return { file, root: buildTables('', null), runners: [], findings };
  const config = configOf(file, text, embedded.parsed, embedded);
  return { ...config, findings: [...findings, ...config.findings] };
}

/** The model of parsed TOML; `embedded` maps its offsets into the YAML file that holds it. */
function configOf(file: string, text: string, parsed: ParsedToml, embedded: EmbeddedToml | null): RunnerConfig {
  const toFile = (s: Span): Span => (embedded ? { start: embedded.toFile(s.start), end: embedded.toFile(s.end) } : s);
  const findings: Finding[] = parsed.problems.map((p) =>
    modelFinding(
      MODEL_FINDINGS.tomlSyntax.id,
      'error',
      msg('runner.toml-syntax', { detail: p.message }),
      file,
      toFile(p.span),
    ),
  );
  const tables = buildTables(embedded ? embedded.toml : text, parsed.ast);
  const root = embedded ? tableInFile(tables, embedded) : tables;
  if (!parsed.ast) return { file, root, runners: [], findings };
  findings.push(...validateRunnerConfig(root, text, file));
  return { file, root, runners: runnersOf(root, file), findings };
}

function modelFinding(ruleId: string, severity: Severity, l10n: Msg, file: string, span: Span): Finding {
  return {
    ruleId,
    severity,
    message: coreText(l10n).text,
    l10n,
    file,
    span,
    job: null,
    runner: null,
    related: [],
    fixes: [],
  };
}

/** True when the text holds a `[[runners]]` table: what makes a TOML file a runner config. */
export function looksLikeRunnerConfig(text: string): boolean {
  return /^\s*\[\[\s*runners\s*\]\]/m.test(text);
}

/** True when `path` with `text` is a runner config: a TOML `[[runners]]` table, or one embedded in Helm values. */
export function isRunnerConfigFile(path: string, text: string): boolean {
  return isYamlPath(path) ? embedsRunnerConfig(text) : looksLikeRunnerConfig(text);
}

function runnersOf(root: TomlTable, file: string): Runner[] {
  return (root.tableArrays.get('runners') ?? []).map((table, index) => {
    const name = stringValue(table.entries.get('name'));
    const executor = stringValue(table.entries.get('executor'));
    const docker = table.tables.get('docker') ?? null;
    const kubernetes = table.tables.get('kubernetes') ?? null;
    const env = environmentOf(table.entries.get('environment'));
    const featureFlags = new Map<string, boolean>();
    for (const entry of table.tables.get('feature_flags')?.entries.values() ?? []) {
      if (typeof entry.value === 'boolean') featureFlags.set(entry.key, entry.value);
    }
    const section = executor === 'kubernetes' || (executor === null && !docker) ? kubernetes : docker;
    const services = (section?.tableArrays.get('services') ?? []).map(serviceOf);
    return {
      file,
      index,
      name,
      label: name ?? `runners[${index}]`,
      table,
      executor,
      dockerLike: executor !== null && DIND_DOCKER_EXECUTORS.has(executor),
      environment: env.values,
      environmentSpans: env.spans,
      featureFlags,
      docker,
      kubernetes,
      services,
    };
  });
}

function serviceOf(table: TomlTable): RunnerService {
  const env = environmentOf(table.entries.get('environment'));
  return {
    table,
    name: stringValue(table.entries.get('name')),
    alias: stringValue(table.entries.get('alias')),
    command: stringList(table.entries.get('command')),
    entrypoint: stringList(table.entries.get('entrypoint')),
    environment: env.values,
    environmentSpans: env.spans,
  };
}

function stringValue(entry: TomlEntry | undefined): string | null {
  return entry && typeof entry.value === 'string' ? entry.value : null;
}

function stringList(entry: TomlEntry | undefined): string[] | null {
  if (!entry || !Array.isArray(entry.value)) return null;
  return entry.value.every((v) => typeof v === 'string') ? entry.value : null;
}

/** `["K=V", ...]` → K → V (the last definition wins, as in Runner); malformed items are schema findings. */
function environmentOf(entry: TomlEntry | undefined): { values: Map<string, string>; spans: Map<string, Span> } {
  const values = new Map<string, string>();
  const spans = new Map<string, Span>();
  if (!entry || !Array.isArray(entry.value)) return { values, spans };
  entry.value.forEach((item, i) => {
    const kv = typeof item === 'string' ? parseEnvironmentItem(item) : null;
    const span = entry.itemSpans[i];
    if (!kv || !span) return;
    values.set(kv.key, kv.value);
    spans.set(kv.key, span);
  });
  return { values, spans };
}

// ---- building tables -------------------------------------------------------------------------------------------

interface Builder {
  path: string;
  kind: TomlTableKind;
  headerSpan: Span | null;
  keySpan: Span | null;
  entries: Map<string, TomlEntry>;
  tables: Map<string, Builder>;
  tableArrays: Map<string, Builder[]>;
  /** For header tables and the root: end of the header and of the last own entry, start of that entry. */
  headerEnd: number;
  headerIndent: string;
  lastEntryStart: number;
  lastEntryEnd: number;
  /** Dotted tables: the header table whose body holds their entries, and their key prefix there. */
  owner: Builder | null;
  prefix: string;
  /** Inline tables: offset of the closing brace. */
  closeBrace: number;
}

function builder(path: string, kind: TomlTableKind, keySpan: Span | null): Builder {
  return {
    path,
    kind,
    headerSpan: null,
    keySpan,
    entries: new Map(),
    tables: new Map(),
    tableArrays: new Map(),
    headerEnd: 0,
    headerIndent: '',
    lastEntryStart: -1,
    lastEntryEnd: -1,
    owner: null,
    prefix: '',
    closeBrace: -1,
  };
}

function span(node: { range: [number, number] }): Span {
  return { start: node.range[0], end: node.range[1] };
}

function keyName(k: AST.TOMLBare | AST.TOMLQuoted): string {
  return k.type === 'TOMLBare' ? k.name : k.value;
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** A key as it must be written in a dotted key: bare when possible, else quoted. */
function keyText(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function buildTables(text: string, ast: AST.TOMLProgram | null): TomlTable {
  const root = builder('', 'root', null);
  const top = ast?.body[0];
  if (top) {
    for (const node of top.body) {
      if (node.type === 'TOMLKeyValue') addKeyValue(text, root, root, node);
      else addHeaderTable(text, root, node);
    }
  }
  return freeze(text, root, null);
}

function addHeaderTable(text: string, root: Builder, node: AST.TOMLTable): void {
  const parts = node.key.keys;
  const resolved = node.resolvedKey;
  let current = root;
  let part = 0;
  for (let i = 0; i < resolved.length; i++) {
    const name = resolved[i];
    if (typeof name !== 'string') continue;
    const keyNode = parts[part++];
    const keySpan = keyNode ? span(keyNode) : null;
    const next = resolved[i + 1];
    const isLast = i === resolved.length - 1 || (typeof next === 'number' && i === resolved.length - 2);
    if (typeof next === 'number') {
      let list = current.tableArrays.get(name);
      if (!list) current.tableArrays.set(name, (list = []));
      let element = list[next];
      if (!element) {
        element = builder(join(current.path, name), 'array-element', keySpan);
        list[next] = element;
      }
      current = element;
      i++;
    } else {
      let child = current.tables.get(name);
      if (!child) {
        child = builder(join(current.path, name), 'implicit', keySpan);
        current.tables.set(name, child);
      }
      if (isLast) {
        child.kind = 'header';
        child.keySpan = keySpan;
      }
      current = child;
    }
  }
  const close = text.indexOf(']', node.key.range[1]);
  const headerEnd = close < 0 ? node.key.range[1] : close + (node.kind === 'array' ? 2 : 1);
  current.headerSpan = { start: node.range[0], end: headerEnd };
  current.headerEnd = headerEnd;
  current.headerIndent = indentBefore(text, node.range[0]);
  for (const kv of node.body) addKeyValue(text, current, current, kv);
}

/** Adds `a.b.c = value` to `table` (creating dotted tables `a`, `a.b`); `owner` is the header table of the line. */
function addKeyValue(text: string, table: Builder, owner: Builder, kv: AST.TOMLKeyValue): void {
  const keys = kv.key.keys;
  let current = table;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i];
    if (!k) continue;
    const name = keyName(k);
    let child = current.tables.get(name);
    if (!child) {
      child = builder(join(current.path, name), 'dotted', span(k));
      child.headerSpan = { start: kv.key.range[0], end: k.range[1] };
      child.owner = owner;
      child.prefix = `${current === owner ? '' : current.prefix}${keyText(name)}.`;
      current.tables.set(name, child);
    }
    current = child;
  }
  const last = keys[keys.length - 1];
  if (!last) return;
  const name = keyName(last);
  const value = kv.value;
  current.entries.set(name, {
    key: name,
    keySpan: span(last),
    value: getStaticTOMLValue(value),
    valueSpan: span(value),
    itemSpans: value.type === 'TOMLArray' ? value.elements.map(span) : [],
    span: span(kv),
  });
  if (kv.range[1] > owner.lastEntryEnd) {
    owner.lastEntryEnd = kv.range[1];
    owner.lastEntryStart = kv.range[0];
  }
  const path = join(current.path, name);
  if (value.type === 'TOMLInlineTable') {
    current.tables.set(name, inlineTable(text, path, span(last), kv.key.range, value));
  } else if (value.type === 'TOMLArray' && value.elements.length > 0) {
    const elements = value.elements;
    if (elements.every((e) => e.type === 'TOMLInlineTable')) {
      current.tableArrays.set(
        name,
        elements.map((e) => inlineTable(text, path, span(last), kv.key.range, e)),
      );
    }
  }
}

function inlineTable(
  text: string,
  path: string,
  keySpan: Span,
  keyRange: [number, number],
  node: AST.TOMLInlineTable,
): Builder {
  const t = builder(path, 'inline', keySpan);
  t.headerSpan = { start: keyRange[0], end: keyRange[1] };
  t.closeBrace = node.range[1] - 1;
  for (const kv of node.body) addKeyValue(text, t, t, kv);
  return t;
}

/** Start of the line after `offset`'s line (or the end of the text). */
function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl >= 0) return nl + 1;
  const cr = text.indexOf('\r', offset);
  return cr >= 0 ? cr + 1 : text.length;
}

/** The whitespace between the start of `offset`'s line and `offset` (empty when other text precedes it). */
function indentBefore(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  const before = text.slice(start, offset);
  return /^[ \t]*$/.test(before) ? before : '';
}

interface Placement {
  insertOffset: number;
  indent: string;
  keyPrefix: string;
}

/** Where keys of a header table, an array element or the root are inserted. */
function ownPlacement(text: string, t: Builder): Placement {
  if (t.lastEntryEnd >= 0) {
    return {
      insertOffset: nextLineStart(text, t.lastEntryEnd),
      indent: indentBefore(text, t.lastEntryStart),
      keyPrefix: '',
    };
  }
  if (t.kind === 'root') return { insertOffset: 0, indent: '', keyPrefix: '' };
  return { insertOffset: nextLineStart(text, t.headerEnd), indent: `${t.headerIndent}  `, keyPrefix: '' };
}

function freeze(text: string, t: Builder, anchor: { placement: Placement; relative: string } | null): TomlTable {
  let placement: Placement;
  let childAnchor: { placement: Placement; relative: string } | null;
  switch (t.kind) {
    case 'root':
    case 'header':
    case 'array-element':
      placement = ownPlacement(text, t);
      childAnchor = { placement, relative: '' };
      break;
    case 'dotted': {
      const owner =
        t.owner?.kind === 'inline'
          ? { insertOffset: t.owner.closeBrace, indent: '', keyPrefix: '' }
          : t.owner
            ? ownPlacement(text, t.owner)
            : { insertOffset: 0, indent: '', keyPrefix: '' };
      placement = { ...owner, keyPrefix: t.prefix };
      childAnchor = { placement, relative: '' };
      break;
    }
    case 'inline':
      placement = { insertOffset: t.closeBrace, indent: '', keyPrefix: '' };
      childAnchor = null;
      break;
    case 'implicit': {
      const base = anchor ?? { placement: { insertOffset: 0, indent: '', keyPrefix: '' }, relative: '' };
      const name = t.path.slice(t.path.lastIndexOf('.') + 1);
      const relative = `${base.relative}${keyText(name)}.`;
      placement = { ...base.placement, keyPrefix: `${base.placement.keyPrefix}${relative}` };
      childAnchor = { placement: base.placement, relative };
      break;
    }
  }
  const tables = new Map<string, TomlTable>();
  for (const [k, v] of t.tables) tables.set(k, freeze(text, v, childAnchor));
  const tableArrays = new Map<string, TomlTable[]>();
  for (const [k, list] of t.tableArrays)
    tableArrays.set(
      k,
      list.filter(Boolean).map((v) => freeze(text, v, null)),
    );
  return {
    path: t.path,
    headerSpan: t.headerSpan,
    insertOffset: placement.insertOffset,
    indent: placement.indent,
    entries: t.entries,
    tables,
    tableArrays,
    kind: t.kind,
    keySpan: t.keySpan,
    keyPrefix: placement.keyPrefix,
  };
}
