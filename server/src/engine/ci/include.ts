// `include:` resolution (D2): local files (with wildcards), mapped projects, nested includes, inputs, limits. Each
// file is converted to a tree once (per input set), and files merge exactly as GitLab merges them: nested includes
// first, then the listed files in order, then the including file, each later one winning.

import type { Document } from 'yaml';

import { msg, type Msg } from '../i18n';
import { MODEL_FINDINGS } from '../ids';
import type { Settings } from '../settings';
import type { SourceStore } from '../sources';
import type { Span } from '../types';
import type { ParsedYaml, YamlSyntaxProblem } from '../yaml/parse';
import type { FindingSink } from './report';
import {
  Converter,
  deepMerge,
  get,
  makeMap,
  scalarText,
  toPlain,
  withVia,
  type ConvertProblem,
  type Inputs,
  type OnReplace,
  type TEntry,
  type TMap,
  type TNode,
} from './tree';

/** GitLab's default limit of included files per pipeline (duplicates count). */
export const MAX_INCLUDES = 150;
/** Directory entries listed at most to expand one wildcard include. */
const MAX_GLOB_ENTRIES = 20_000;
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);
/** The message of each include type that is not followed offline. */
const NOT_FOLLOWED_KEYS = {
  remote: 'ci.include-remote',
  template: 'ci.include-template',
  component: 'ci.include-component',
} as const;

export interface IncludeContext {
  readonly sources: SourceStore;
  readonly workspaceRoot: string;
  readonly settings: Settings;
  readonly sink: FindingSink;
  /** Every file loaded, in load order (root first). */
  readonly files: string[];
  /** Called for every value a later file replaces (not merges) in an earlier one, with the top-level key path. */
  readonly onReplace: OnReplace;
  includes: number;
}

interface Converted {
  readonly tree: TNode | null;
  readonly problems: readonly ConvertProblem[];
}

const reportedSyntax = new WeakMap<IncludeContext, Set<string>>();

/**
 * Loads `file` and everything it includes, merged. `projectRoot` is the repository folder its local includes resolve
 * in; `stack` holds the files being loaded (for cycles).
 */
export function loadFile(
  ctx: IncludeContext,
  file: string,
  projectRoot: string,
  inputs: ReadonlyMap<string, unknown> | null,
  stack: readonly string[],
): TMap | null {
  if (!ctx.files.includes(file)) ctx.files.push(file);
  const converted = load(ctx, file, inputs);
  if (!converted) return null;
  const tree = converted.tree;
  if (!tree) return null;
  if (tree.kind !== 'map') {
    if (!(tree.kind === 'scalar' && tree.value === null)) {
      ctx.sink.add(MODEL_FINDINGS.pipelineStructure, file, tree.span, msg('ci.not-a-mapping'));
    }
    return null;
  }
  const includeEntry = tree.entries.get('include');
  if (!includeEntry) return tree;
  const own = new Map(tree.entries);
  own.delete('include');
  const body = makeMap(tree.file, tree.span, own, tree.via);

  // Top-level keys accumulate in one map (linear in the number of jobs); values below them deep-merge.
  const merged = new Map<string, TEntry>();
  for (const item of includeItems(includeEntry.node)) {
    for (const loaded of resolveInclude(ctx, file, projectRoot, item, [...stack, file])) {
      mergeInto(merged, loaded, ctx.onReplace);
    }
  }
  mergeInto(merged, body, ctx.onReplace);
  return makeMap(body.file, body.span, merged, body.via);
}

function mergeInto(target: Map<string, TEntry>, next: TMap, onReplace: OnReplace): void {
  for (const [k, e] of next.entries) {
    const prev = target.get(k);
    if (prev && prev.node.kind === 'map' && e.node.kind === 'map') {
      target.set(k, { keySpan: e.keySpan, node: deepMerge(prev.node, e.node, onReplace, [k]) });
    } else {
      if (prev) onReplace([k], prev, e);
      target.set(k, e);
    }
  }
}

/**
 * The file converted to a tree, its problems reported. A file without a `spec:` header, included without inputs, comes
 * from the parse cache's incrementally updated tree; the others are converted from the parsed document each time.
 */
function load(ctx: IncludeContext, file: string, given: Inputs | null): Converted | undefined {
  const cached = given ? null : ctx.sources.ciTree(file);
  if (cached === undefined) return undefined;
  let result: Converted;
  if (cached) {
    reportSyntax(ctx, file, cached.syntax);
    result = cached;
  } else {
    const parsed = ctx.sources.yaml(file);
    if (!parsed) return undefined;
    reportSyntax(ctx, file, parsed.problems);
    result = convert(ctx, file, parsed, given);
  }
  for (const p of result.problems) ctx.sink.add(MODEL_FINDINGS.pipelineStructure, file, p.span, p.message);
  return result;
}

/** Converts the body of a parsed file with its `spec:` inputs and the include's `inputs`. */
function convert(ctx: IncludeContext, file: string, parsed: ParsedYaml, given: Inputs | null): Converted {
  const body = parsed.body;
  if (!body) return { tree: null, problems: [] };
  const header = parsed.documents.length > 1 ? parsed.documents[0] : undefined;
  const text = ctx.sources.file(file)?.text ?? '';
  const inputs = header ? specInputs(header, file, text, given, ctx) : given;
  const converter = new Converter(body, file, text, inputs);
  return { tree: converter.convertRoot(), problems: converter.problems };
}

/** `spec: inputs:` defaults overridden by `include: inputs:`. */
function specInputs(
  header: Document.Parsed,
  file: string,
  text: string,
  given: Inputs | null,
  ctx: IncludeContext,
): Map<string, unknown> {
  const inputs = new Map<string, unknown>();
  const spec = new Converter(header, file, text, null).convertRoot();
  const declared = get(get(spec ?? undefined, 'spec'), 'inputs');
  if (declared?.kind === 'map') {
    for (const [name, e] of declared.entries) {
      const def = get(e.node, 'default');
      if (def) inputs.set(name, toPlain(def));
      else if (!given?.has(name)) {
        ctx.sink.add(MODEL_FINDINGS.pipelineStructure, file, e.keySpan, msg('ci.input-no-default', { name }));
      }
    }
  }
  if (given) for (const [k, v] of given) inputs.set(k, v);
  return inputs;
}

function reportSyntax(ctx: IncludeContext, file: string, problems: readonly YamlSyntaxProblem[]): void {
  let seen = reportedSyntax.get(ctx);
  if (!seen) reportedSyntax.set(ctx, (seen = new Set()));
  if (seen.has(file)) return;
  seen.add(file);
  for (const p of problems) ctx.sink.add(MODEL_FINDINGS.yamlSyntax, file, p.span, yamlProblem(p.message), p.severity);
}

/** A YAML parser problem as a localisable sentence; the parser's own text stays English inside it. */
function yamlProblem(message: string): Msg {
  const duplicate = /^Duplicate key "(.*)": only the last definition is used\.$/s.exec(message);
  if (duplicate?.[1] !== undefined) return msg('ci.yaml-duplicate-key', { name: duplicate[1] });
  if (message.startsWith('Collections are nested too deeply')) return msg('ci.yaml-too-deep');
  return msg('ci.yaml-syntax', { detail: message });
}

function includeItems(node: TNode): TNode[] {
  if (node.kind === 'seq') return [...node.items];
  if (node.kind === 'scalar' && node.value === null) return [];
  return [node];
}

/** The trees one `include:` item brings in, each tagged with `via: include`. */
function resolveInclude(ctx: IncludeContext, from: string, projectRoot: string, item: TNode, stack: string[]): TMap[] {
  const fail = (message: Msg): TMap[] => {
    ctx.sink.add(MODEL_FINDINGS.includeError, from, item.span, message);
    return [];
  };
  const notFollowed = (message: Msg): TMap[] => {
    // GitLab counts every include towards the limit, followed or not.
    ctx.includes++;
    ctx.sink.add(MODEL_FINDINGS.includeNotFollowed, from, item.span, message);
    return [];
  };
  const str = scalarText(item);
  if (str !== undefined) {
    if (/^https?:\/\//i.test(str)) return notFollowed(msg('ci.include-remote', { target: str }));
    return includeLocal(ctx, from, projectRoot, str, null, item.span, stack);
  }
  if (item.kind !== 'map') return fail(msg('ci.include-bad-entry'));
  const inputs = inputsOf(item);
  const local = scalarText(get(item, 'local'));
  if (local !== undefined) return includeLocal(ctx, from, projectRoot, local, inputs, item.span, stack);
  const project = scalarText(get(item, 'project'));
  if (project !== undefined) {
    const folder = ctx.settings.projects[project];
    if (folder === undefined) {
      return notFollowed(msg('ci.include-project-unmapped', { project }));
    }
    const root = normalize(folder.startsWith('/') ? folder : `${ctx.workspaceRoot}/${folder}`) ?? folder;
    const fileNode = get(item, 'file');
    const files = fileNode?.kind === 'seq' ? fileNode.items.map(scalarText) : [scalarText(fileNode)];
    const out: TMap[] = [];
    for (const f of files) {
      if (f === undefined) {
        fail(msg('ci.include-project-no-file', { project }));
        continue;
      }
      out.push(...includeLocal(ctx, from, root, f, inputs, item.span, stack));
    }
    return out;
  }
  for (const kind of ['remote', 'template', 'component'] as const) {
    const v = scalarText(get(item, kind));
    if (v !== undefined) return notFollowed(msg(NOT_FOLLOWED_KEYS[kind], { target: v }));
  }
  return fail(msg('ci.include-unknown-type'));
}

function includeLocal(
  ctx: IncludeContext,
  from: string,
  projectRoot: string,
  path: string,
  inputs: Inputs | null,
  span: Span,
  stack: string[],
): TMap[] {
  const fail = (message: Msg): TMap[] => {
    ctx.sink.add(MODEL_FINDINGS.includeError, from, span, message);
    return [];
  };
  if (path.includes('$')) {
    ctx.sink.add(MODEL_FINDINGS.includeNotFollowed, from, span, msg('ci.include-variables', { path }));
    return [];
  }
  const relative = path.replace(/^\/+/, '');
  const targets: string[] = [];
  if (relative.includes('*')) {
    // GitLab skips the including file itself when its own wildcard matches it (no self-inclusion).
    targets.push(...globFiles(ctx, projectRoot, relative).filter((t) => t !== from));
    if (targets.length === 0) return fail(msg('ci.include-no-match', { path }));
  } else {
    const abs = normalize(`${projectRoot}/${relative}`);
    if (abs === null || !within(abs, projectRoot)) return fail(msg('ci.include-outside', { path }));
    targets.push(abs);
  }
  const out: TMap[] = [];
  for (const target of targets) {
    if (!/\.ya?ml$/i.test(target)) {
      fail(msg('ci.include-extension', { path }));
      continue;
    }
    ctx.includes++;
    if (ctx.includes > MAX_INCLUDES) return [...out, ...fail(msg('ci.include-limit', { max: MAX_INCLUDES, path }))];
    if (stack.includes(target)) {
      const chain = [...stack, target].map((s) => display(ctx, s)).join(' → ');
      fail(msg('ci.include-cycle', { path, chain }));
      continue;
    }
    const r = ctx.sources.read(target);
    if (r.kind !== 'ok') {
      fail(
        r.kind === 'missing'
          ? msg('ci.include-missing', { path })
          : msg('ci.include-unreadable', { path, detail: r.message }),
      );
      continue;
    }
    const tree = loadFile(ctx, target, projectRoot, inputs, stack);
    if (!tree) continue;
    const tagged = withVia(tree, { kind: 'include', file: target });
    if (tagged.kind === 'map') out.push(tagged);
  }
  return out;
}

function inputsOf(item: TNode): Inputs | null {
  const node = get(item, 'inputs');
  if (node?.kind !== 'map') return null;
  const inputs = new Map<string, unknown>();
  for (const [k, e] of node.entries) inputs.set(k, toPlain(e.node));
  return inputs;
}

/** Files under `root` matching a wildcard pattern (`*` within a folder, `**` across folders), sorted. */
function globFiles(ctx: IncludeContext, root: string, pattern: string): string[] {
  const segments = pattern.split('/');
  const firstGlob = segments.findIndex((s) => s.includes('*'));
  const prefix = segments.slice(0, firstGlob).join('/');
  const start = normalize(prefix ? `${root}/${prefix}` : root);
  if (start === null || !within(start, root)) return [];
  const isMatch = wildcardMatcher(pattern);
  const found: string[] = [];
  const queue = [start];
  let listed = 0;
  while (queue.length > 0 && listed < MAX_GLOB_ENTRIES) {
    const dir = queue.shift() as string;
    const entries = ctx.sources.host.readDirectory(dir) ?? [];
    for (const e of entries) {
      listed++;
      const full = `${dir}/${e.name}`;
      if (e.isDirectory) {
        if (!SKIPPED_DIRS.has(e.name)) queue.push(full);
      } else if (isMatch(full.slice(root.length + 1))) {
        found.push(full);
      }
    }
  }
  return found.sort();
}

/**
 * GitLab's own wildcard test (`Repository#search_files_by_wildcard_path`): `**` matches any characters, `/` included
 * (so `ci/job**.yml` reaches `ci/jobs/x.yml`), `*` any characters but `/`, everything else itself, over the whole path.
 * GitLab builds a regex (`**` → `.*?`, `*` → `[^/]*?`); a backtracking regex over a user's pattern such as
 * `**a**a**a…` takes exponential time, so this evaluates the same language in O(pattern × path) steps instead.
 */
export function wildcardMatcher(pattern: string): (path: string) => boolean {
  type Token = { readonly kind: 'any' | 'segment' } | { readonly kind: 'char'; readonly char: string };
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (pattern.startsWith('**', i)) {
      if (tokens[tokens.length - 1]?.kind !== 'any') tokens.push({ kind: 'any' });
      i++;
    } else if (pattern[i] === '*') {
      const last = tokens[tokens.length - 1]?.kind;
      if (last !== 'any' && last !== 'segment') tokens.push({ kind: 'segment' });
    } else {
      tokens.push({ kind: 'char', char: pattern[i] ?? '' });
    }
  }
  return (path) => {
    const n = path.length;
    // reach[j]: the tokens so far can match exactly path[0, j).
    let reach = new Array<boolean>(n + 1).fill(false);
    reach[0] = true;
    for (const t of tokens) {
      const next = new Array<boolean>(n + 1).fill(false);
      if (t.kind === 'char') {
        for (let j = 0; j < n; j++) if (reach[j] && path[j] === t.char) next[j + 1] = true;
      } else if (t.kind === 'any') {
        const first = reach.indexOf(true);
        if (first >= 0) next.fill(true, first);
      } else {
        for (let j = 0; j <= n; j++) {
          if (reach[j] || (j > 0 && next[j - 1] === true && path[j - 1] !== '/')) next[j] = true;
        }
      }
      reach = next;
    }
    return reach[n] === true;
  };
}

/** Resolves `.` and `..` segments; null when the path climbs above `/`. */
export function normalize(path: string): string | null {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(seg);
  }
  return `/${out.join('/')}`;
}

function within(path: string, root: string): boolean {
  const r = normalize(root) ?? root;
  return path === r || path.startsWith(r.endsWith('/') ? r : `${r}/`);
}

function display(ctx: IncludeContext, path: string): string {
  const root = ctx.workspaceRoot.endsWith('/') ? ctx.workspaceRoot : `${ctx.workspaceRoot}/`;
  return path.startsWith(root) ? path.slice(root.length) : path;
}
