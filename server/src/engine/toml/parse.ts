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

/** Parses TOML 1.0 with source ranges (toml-eslint-parser). A syntax error yields no AST and one problem. */
export function parseToml(text: string): ParsedToml {
  try {
    return { ast: parseTOML(text, { tomlVersion: '1.0.0' }), problems: [] };
  } catch (e) {
    const err = e as TomlParseError;
    const index = typeof err.index === 'number' ? Math.min(Math.max(0, err.index), text.length) : 0;
    return {
      ast: null,
      problems: [
        {
          message: cleanMessage(String(err.message ?? e)),
          span: { start: index, end: Math.min(index + 1, text.length) },
        },
      ],
    };
  }
}

function cleanMessage(message: string): string {
  return message.replace(/\s*\(\d+:\d+\)$/, '');
}
