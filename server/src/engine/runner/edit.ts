// Minimal edits to a config.toml table, computed from the model's ranges: the rest of the file stays byte-identical.

import { detectEol } from '../text';
import type { TextEdit } from '../types';
import type { TomlTable } from './model';

/**
 * The edit that adds `key = valueText` to `table`: a new line at the table's `insertOffset` with its indentation
 * (and its dotted `keyPrefix` for dotted or implicit tables), or `, key = value` inside an inline table.
 * `valueText` is TOML source (e.g. `true`, `"/certs/client"`); `key` is quoted when it is not a bare key.
 */
export function insertEntryEdit(
  file: string,
  text: string,
  table: TomlTable,
  key: string,
  valueText: string,
): TextEdit {
  const bare = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
  const offset = table.insertOffset;
  const assignment = `${table.keyPrefix ?? ''}${bare} = ${valueText}`;
  if (text.charAt(offset) === '}') {
    const at = text.slice(0, offset).trimEnd().length;
    const empty = text.charAt(at - 1) === '{';
    const newText = empty ? ` ${assignment}${at === offset ? ' ' : ''}` : `, ${assignment}`;
    return { file, span: { start: at, end: at }, newText };
  }
  const eol = detectEol(text);
  const atLineStart = offset === 0 || text[offset - 1] === '\n' || text[offset - 1] === '\r';
  const lead = atLineStart ? '' : eol;
  return { file, span: { start: offset, end: offset }, newText: `${lead}${table.indent}${assignment}${eol}` };
}
