// Text of new TOML values and keys for minimal edits.

/** A value a fix writes into TOML. Objects become inline tables. */
export type TomlEditValue =
  string | number | boolean | readonly TomlEditValue[] | { readonly [key: string]: TomlEditValue };

export type TomlStringStyle = 'basic' | 'literal';

const BASIC_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
};

function isControl(code: number): boolean {
  return code <= 0x1f || code === 0x7f;
}

/** A basic string (`"..."`) with every character TOML requires escaped; non-ASCII stays as is. */
export function tomlBasicString(s: string): string {
  let body = '';
  for (const c of s) {
    const code = c.charCodeAt(0);
    body += BASIC_ESCAPES[c] ?? (isControl(code) ? `\\u${code.toString(16).padStart(4, '0')}` : c);
  }
  return `"${body}"`;
}

/** A string in `style`; a literal string falls back to a basic one when the text cannot be written literally. */
export function tomlString(s: string, style: TomlStringStyle = 'basic'): string {
  const literalOk = [...s].every((c) => c !== "'" && (c === '\t' || !isControl(c.charCodeAt(0))));
  return style === 'literal' && literalOk ? `'${s}'` : tomlBasicString(s);
}

/** A key: bare when it only has `A-Za-z0-9_-`, else a basic string. */
export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlBasicString(key);
}

function tomlNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? String(n) : n.toExponential();
  return String(n);
}

/** A value's source text: strings in `stringStyle`, arrays inline (`["a", "b"]`), objects as inline tables. */
export function tomlValue(value: TomlEditValue, stringStyle: TomlStringStyle = 'basic'): string {
  if (typeof value === 'string') return tomlString(value, stringStyle);
  if (typeof value === 'number') return tomlNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map((v: TomlEditValue) => tomlValue(v, stringStyle)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, TomlEditValue>);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v, stringStyle)}`).join(', ')} }`;
}
