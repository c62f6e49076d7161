// Image references split the way Docker and the runner split them, runner-derived service aliases, and `$VAR`
// expansion of image and service names.

import type { ImageRef } from './model';

const VAR_RE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;
/** A variable reference or the `$$` escape (a literal `$`), scanned left to right so `$$VAR` is never a reference. */
const EXPAND_RE = /\$\$|\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/**
 * Docker's reference grammar (distribution `reference.ReferenceRegexp`): optional domain (with port), lowercase
 * path components, optional tag, optional digest. The runner derives no alias from a name it does not match.
 * Written without ambiguous repetitions (Docker's `[-]*` separator and `x|x[x-]*x` domain component become `-+` and
 * `x+(-+x+)*`, the same languages), because JavaScript regexes backtrack: the literal grammar takes exponential time
 * on a long name that almost matches.
 */
const DOMAIN_COMPONENT = '[a-zA-Z0-9]+(?:-+[a-zA-Z0-9]+)*';
const NAME_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REFERENCE_RE = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?/)?${NAME_COMPONENT}(?:/${NAME_COMPONENT})*` +
    '(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$',
);

/** Known variable values for expansion; `expand: false` values are used as written. */
export interface VariableLookup {
  get(name: string): { readonly value: string; readonly expand: boolean } | undefined;
}

/**
 * Expands `$VAR` and `${VAR}` with the known variables (recursively, as GitLab does); unknown names stay as written
 * and `$$` becomes a literal `$` (the runner's `case "$": return key`).
 */
export function expandVariables(
  text: string,
  vars: VariableLookup,
  depth = 0,
  seen: ReadonlySet<string> = new Set(),
): string {
  if (!text.includes('$')) return text;
  return text.replace(EXPAND_RE, (m, braced: string | undefined, plain: string | undefined) => {
    if (m === '$$') return '$';
    const name = braced ?? plain ?? '';
    const v = vars.get(name);
    if (!v || seen.has(name)) return m;
    if (!v.expand || depth >= 10) return v.value;
    return expandVariables(v.value, vars, depth + 1, new Set([...seen, name]));
  });
}

export function hasVariableReference(text: string): boolean {
  VAR_RE.lastIndex = 0;
  return VAR_RE.test(text);
}

/**
 * Parses an image reference like Docker's reference grammar: the registry is the first `/` segment when it contains
 * `.` or `:` or is `localhost`; the tag follows the last `:` of the last segment; the digest follows `@`.
 */
export function parseImageRef(raw: string, expanded: string = raw): ImageRef {
  let rest = expanded.trim();
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1) || null;
    rest = rest.slice(0, at);
  }
  let registry: string | null = null;
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | null = null;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1) || null;
    rest = rest.slice(0, colon);
  }
  const repository = rest.slice(rest.lastIndexOf('/') + 1);
  return { raw, expanded, unresolved: hasVariableReference(expanded), registry, path: rest, repository, tag, digest };
}

/**
 * The aliases the runner derives from a service name (R14): strip the tag and digest, strip the registry port,
 * replace `/` with `__` (first alias) and with `-` (second alias, when different). Empty for a name that still holds
 * a variable reference (its real value is unknown offline) or is not a valid image reference.
 */
export function deriveAliases(name: string): string[] {
  const ref = parseImageRef(name);
  if (ref.unresolved || ref.path === '' || !REFERENCE_RE.test(name.trim())) return [];
  const host = ref.registry === null ? '' : `${ref.registry.replace(/:[0-9]+$/, '')}/`;
  const base = `${host}${ref.path}`;
  const first = base.replaceAll('/', '__');
  const second = base.replaceAll('/', '-');
  return first === second ? [first] : [first, second];
}

/** Explicit service aliases: `alias:` split on spaces and commas. */
export function splitAliases(alias: string): string[] {
  return alias.split(/[\s,]+/).filter((a) => a.length > 0);
}
