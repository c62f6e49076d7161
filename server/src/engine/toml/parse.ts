import { parseTOML } from 'toml-eslint-parser';
import type { AST } from 'toml-eslint-parser';

import type { Span } from '../types';

export interface TomlSyntaxProblem {
  readonly message: string;
  readonly span: Span;
}

export interface ParsedToml {
  readonly ast: AST.TOMLProgram | null;
  readonly problems: readonly TomlSyntaxProblem[];
}

interface TomlParseError {
  message: string;
  index?: number;
}

/**
 * Parses TOML 1.0 with source ranges (toml-eslint-parser). A syntax error (including a duplicate key or table)
 * yields no AST and one problem that starts at the parser's error offset.
 */
export function parseToml(text: string): ParsedToml {
  try {
    // toml-eslint-parser gives an empty range to a `0` that ends the file; a final line break (which changes
    // neither the data nor any offset) avoids it.
    const source = text.endsWith('\n') ? text : `${text}\n`;
    return { ast: parseTOML(source, { tomlVersion: '1.0.0' }), problems: [] };
  } catch (e) {
    const err = e as TomlParseError;
    const index = typeof err.index === 'number' ? Math.min(Math.max(0, err.index), text.length) : 0;
    const message = cleanMessage(String(err.message ?? e));
    return { ast: null, problems: [{ message, span: errorSpan(text, index) }] };
  }
}

/** The word at the error offset (a key, a bare value), or one character, or nothing at a line break or the end. */
function errorSpan(text: string, index: number): Span {
  const word = /[\w.+-]+/y;
  word.lastIndex = index;
  if (word.test(text)) return { start: index, end: word.lastIndex };
  const c = text.charAt(index);
  return { start: index, end: c === '' || c === '\n' || c === '\r' ? index : index + 1 };
}

function cleanMessage(message: string): string {
  return message.replace(/\s*\(\d+:\d+\)$/, '');
}
