// Text of new YAML values for minimal edits: scalars quoted only when needed (checked by parsing them back under the
// YAML 1.2 core and the YAML 1.1 schema, since GitLab reads YAML 1.1: `on`, `yes`, `0o17`), keys, flow and block
// collections.

import { parseDocument } from 'yaml';

/** A value a fix writes: JSON-like data. Arrays are written as flow sequences, objects as block mappings. */
export type EditValue = string | number | boolean | null | readonly EditValue[] | { readonly [key: string]: EditValue };

export type EditScalar = string | number | boolean | null;

export type QuoteStyle = 'plain' | 'single' | 'double';

export function isEditScalar(value: EditValue): value is EditScalar {
  return value === null || typeof value !== 'object';
}

export function isEditObject(value: EditValue): value is { readonly [key: string]: EditValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const DOUBLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
  '\0': '\\0',
};

/** C0 and C1 control characters, line and paragraph separators and the BOM: written escaped. */
function needsEscape(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || code === 0xfeff;
}

function hasEscapable(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (needsEscape(s.charCodeAt(i))) return true;
  return false;
}

/** A YAML double-quoted scalar: every character that needs it escaped, everything else (non-ASCII too) as is. */
export function doubleQuoted(s: string): string {
  let body = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    body += DOUBLE_ESCAPES[c] ?? (needsEscape(code) ? `\\u${code.toString(16).padStart(4, '0')}` : c);
  }
  return `"${body}"`;
}

function singleQuoted(s: string): string | undefined {
  return hasEscapable(s) ? undefined : `'${s.replace(/'/g, "''")}'`;
}

/** True when `source`, placed by `wrap`, parses back to exactly `expected` under YAML 1.2 and YAML 1.1. */
function roundTrips(
  wrap: (s: string) => string,
  pick: (js: unknown) => unknown,
  source: string,
  expected: unknown,
): boolean {
  for (const version of ['1.2', '1.1'] as const) {
    try {
      const doc = parseDocument(wrap(source), { version, uniqueKeys: false });
      if (doc.errors.length > 0 || doc.warnings.length > 0) return false;
      if (pick(doc.toJS()) !== expected) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function plainCandidate(s: string, flow: boolean): boolean {
  if (s === '' || s !== s.trim() || hasEscapable(s) || /\s/.test(s.replace(/ /g, ''))) return false;
  if (s.includes(': ') || s.includes(' #') || s.endsWith(':') || s.startsWith('#')) return false;
  return !(flow && /[,[\]{}]/.test(s));
}

function pickValue(js: unknown): unknown {
  return Array.isArray(js) ? (js.length === 1 ? js[0] : undefined) : (js as Record<string, unknown> | null)?.['k'];
}

/** Round-trip verdicts by context and text: fixes for many jobs × runners re-ask the same few strings. */
const plainSafeMemo = new Map<string, boolean>();
const MAX_MEMO = 10_000;

/** True when the string may be written as a plain scalar in a block (or, with `flow`, flow) context. */
export function isPlainSafe(s: string, flow = false): boolean {
  if (!plainCandidate(s, flow)) return false;
  const key = `${flow ? 'f' : 'b'}${s}`;
  let safe = plainSafeMemo.get(key);
  if (safe === undefined) {
    safe = roundTrips((x) => (flow ? `[${x}]` : `k: ${x}`), pickValue, s, s);
    if (plainSafeMemo.size >= MAX_MEMO) plainSafeMemo.clear();
    plainSafeMemo.set(key, safe);
  }
  return safe;
}

/**
 * A scalar's source text. Strings use `style` when it is valid for them (plain only when the text reads back as
 * the same string; single quotes only without control characters) and double quotes otherwise. Numbers, booleans
 * and null are written plain so that they keep their type.
 */
export function yamlScalar(value: EditScalar, style: QuoteStyle = 'plain', flow = false): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return String(value);
  }
  if (style === 'plain' && isPlainSafe(value, flow)) return value;
  if (style === 'single') return singleQuoted(value) ?? doubleQuoted(value);
  return doubleQuoted(value);
}

/** A mapping key: plain when it reads back as the same string key, double-quoted otherwise. */
export function yamlKey(key: string): string {
  const memo = plainSafeMemo.get(`k${key}`);
  if (memo !== undefined) return memo ? key : doubleQuoted(key);
  const ok =
    plainCandidate(key, true) &&
    !key.startsWith('?') &&
    roundTrips(
      (x) => `${x}: 1`,
      (js) => {
        const keys = js !== null && typeof js === 'object' ? Object.keys(js) : [];
        return keys.length === 1 ? keys[0] : undefined;
      },
      key,
      key,
    );
  if (plainSafeMemo.size >= MAX_MEMO) plainSafeMemo.clear();
  plainSafeMemo.set(`k${key}`, ok);
  return ok ? key : doubleQuoted(key);
}

/**
 * A value in flow context: scalars, `[a, b]`, `{k: v}`. Scalars and mapping values are written in `scalarStyle`
 * (plain when safe by default); strings inside sequences in `itemStyle`, double quotes by default, as GitLab's docs
 * write `command: ["--tls=false"]`.
 */
export function flowValue(
  value: EditValue,
  itemStyle: QuoteStyle = 'double',
  scalarStyle: QuoteStyle = 'plain',
): string {
  if (isEditScalar(value)) return yamlScalar(value, scalarStyle, true);
  if (Array.isArray(value)) return `[${value.map((v: EditValue) => flowValue(v, itemStyle, itemStyle)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, EditValue>);
  return `{${entries.map(([k, v]) => `${yamlKey(k)}: ${flowValue(v, itemStyle)}`).join(', ')}}`;
}

/** Layout of block text being generated: the current key column, the indentation unit and the line break. */
export interface BlockLayout {
  readonly indent: string;
  readonly unit: string;
  readonly eol: string;
}

/**
 * The text that follows `key:` in block context: ` scalar`, ` [flow, seq]`, ` {}`, or the lines of a nested
 * block mapping (each starting with the line break), indented one unit deeper than `layout.indent`.
 */
export function blockValueText(value: EditValue, layout: BlockLayout): string {
  if (!isEditObject(value)) return ` ${isEditScalar(value) ? yamlScalar(value) : flowValue(value)}`;
  const entries = Object.entries(value);
  if (entries.length === 0) return ' {}';
  const inner: BlockLayout = { ...layout, indent: layout.indent + layout.unit };
  return entries.map(([k, v]) => `${layout.eol}${inner.indent}${yamlKey(k)}:${blockValueText(v, inner)}`).join('');
}

/** Block mapping entries, the first without indentation (it follows `- ` or sits where the caller puts it). */
export function blockEntriesText(entries: readonly (readonly [string, EditValue])[], layout: BlockLayout): string {
  return entries
    .map(([k, v], i) => `${i === 0 ? '' : layout.eol + layout.indent}${yamlKey(k)}:${blockValueText(v, layout)}`)
    .join('');
}
