// Shared helpers of the editor features: which pipeline a file belongs to, which runners check a job, where a
// value comes from (as short text), and where the cursor is in a YAML document.

import { isMap, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';

import type { Analysis } from '../analyze';
import type { EffectiveJob, Origin, Pipeline, ViaStep } from '../ci/model';
import { msg, type Locale, type MsgParam } from '../i18n';
import { MESSAGES } from '../messages';
import type { Runner } from '../runner/model';
import { assumedRunnerConfig, ASSUMED_RUNNER_FILE, selectRunners } from '../runner/select';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import type { SourceStore } from '../sources';
import type { Span } from '../types';
import { isReference } from '../yaml/parse';

/** What every editor feature needs besides the analysis. */
export interface FeatureOptions {
  /** The workspace folder: paths are shown relative to it and local includes resolve against it. */
  readonly root: string;
  readonly settings?: Settings;
  /** The language of the texts (default `en`). */
  readonly locale?: Locale;
}

/** Renders a `features.` message of the catalogue in `locale`. */
export function t(locale: Locale, key: string, params?: Readonly<Record<string, MsgParam>>): string {
  return MESSAGES.render(locale, msg(key, params));
}

/** Every pipeline of the analysis, child pipelines included. */
export function allPipelines(analysis: Analysis): Pipeline[] {
  const out: Pipeline[] = [];
  const walk = (p: Pipeline, depth: number): void => {
    out.push(p);
    if (depth < 5) for (const c of p.children) walk(c, depth + 1);
  };
  for (const p of analysis.pipelines) walk(p, 0);
  return out;
}

/** The pipeline rooted at `file`, else the first one that loads it. */
export function pipelineOf(analysis: Analysis, file: string): Pipeline | undefined {
  const all = allPipelines(analysis);
  return all.find((p) => p.root === file) ?? all.find((p) => p.files.includes(file));
}

/** The runners jobs are checked against, chosen as `analyze` chooses them. */
export interface RunnerContext {
  /** True when no config is known and GitLab.com instance runners are assumed. */
  readonly assumed: boolean;
  readonly candidates: readonly Runner[];
  runnersFor(job: EffectiveJob): Runner[];
}

export function runnerContext(analysis: Analysis, settings: Settings = DEFAULT_SETTINGS): RunnerContext {
  let candidates: Runner[] = analysis.runnerConfigs.flatMap((c) => c.runners);
  if (settings.runner !== null) candidates = candidates.filter((r) => r.name === settings.runner);
  let assumed = false;
  if (analysis.runnerConfigs.length === 0 && settings.assumeRunner === 'gitlab-saas') {
    candidates = [...assumedRunnerConfig(analysis.sources).runners];
    assumed = true;
  }
  return { assumed, candidates, runnersFor: (job) => selectRunners(job, candidates, settings) };
}

export function relativePath(file: string, root: string): string {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}

/** One-based line of `offset` in `file`. */
export function lineOf(sources: SourceStore, file: string, offset: number): number {
  const f = sources.file(file);
  return f ? f.lines.positionAt(offset).line + 1 : 1;
}

/** `path:line` of a position, relative to the root. */
export function where(sources: SourceStore, root: string, file: string, offset: number): string {
  return `${relativePath(file, root)}:${lineOf(sources, file, offset)}`;
}

function viaText(step: ViaStep, root: string, locale: Locale): string {
  switch (step.kind) {
    case 'default':
      return '`default:`';
    case 'global':
      return t(locale, 'features.via.global');
    case 'extends':
      return `\`extends: ${step.name}\``;
    case 'include':
      return `\`include: ${relativePath(step.file, root)}\``;
    case 'reference':
      return `\`!reference [${step.target.join(', ')}]\``;
    case 'workflow-rules':
      return '`workflow:rules`';
    case 'job-rules':
      return '`rules:`';
    case 'matrix':
      return '`parallel:matrix`';
    case 'runner':
      return t(locale, 'features.via.runner', { runner: code(step.runner) });
    case 'image-default':
      return t(locale, 'features.via.image-default', { image: code(step.image) });
  }
}

/** Markdown: `` `file:line` `` and, when the value was brought in, ` via a → b`. */
export function describeOrigin(o: Origin, sources: SourceStore, root: string, locale: Locale = 'en'): string {
  const at =
    o.file === ASSUMED_RUNNER_FILE
      ? t(locale, 'features.origin.assumed-runner')
      : where(sources, root, o.file, o.span.start);
  const base = `\`${at}\``;
  // A runner value's step names the runner, which the text around it already does.
  const via = o.via.filter((s) => s.kind !== 'runner');
  if (via.length === 0) return base;
  return t(locale, 'features.origin.via', { at: base, steps: via.map((s) => viaText(s, root, locale)).join(' → ') });
}

/** How a runner is named in messages: `` `name` (`config.toml:3`) ``. */
export function describeRunner(runner: Runner, sources: SourceStore, root: string, locale: Locale = 'en'): string {
  if (runner.file === ASSUMED_RUNNER_FILE) return t(locale, 'features.origin.assumed-runner');
  const at = runner.table.headerSpan
    ? where(sources, root, runner.file, runner.table.headerSpan.start)
    : relativePath(runner.file, root);
  return `\`${runner.label}\` (\`${at}\`)`;
}

export function contains(span: Span, offset: number): boolean {
  return span.start <= offset && offset <= span.end;
}

/** A step of the path from the document root to the cursor: a mapping key or a sequence index. */
export type PathPart = string | number;

/** Where the cursor is in a YAML document. */
export interface YamlLocation {
  /** Keys and indices from the root to the innermost node holding the cursor. */
  readonly path: readonly PathPart[];
  /** The innermost node (a key scalar when `onKey`). */
  readonly node: YamlNode;
  readonly span: Span;
  /** True when the cursor is on a mapping key (the last path part). */
  readonly onKey: boolean;
  /** The enclosing `!reference` sequence and the cursor's index in it, if any. */
  readonly reference: { readonly items: readonly string[]; readonly index: number } | null;
}

export function nodeSpan(node: YamlNode): Span | null {
  return node.range ? { start: node.range[0], end: node.range[1] } : null;
}

/** The innermost node of `doc` at `offset`, with its path. */
export function locateYaml(doc: Document.Parsed | null, offset: number): YamlLocation | null {
  const root = doc?.contents;
  if (!root) return null;
  let result: YamlLocation | null = null;
  let reference: YamlLocation['reference'] = null;
  const visit = (node: YamlNode, path: PathPart[]): void => {
    const span = nodeSpan(node);
    if (!span || !contains(span, offset)) return;
    result = { path, node, span, onKey: false, reference };
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = pair.key as YamlNode | null;
        if (!isScalar(key)) continue;
        const name = String(key.value);
        const keySpan = nodeSpan(key);
        if (keySpan && contains(keySpan, offset)) {
          result = { path: [...path, name], node: key, span: keySpan, onKey: true, reference };
          return;
        }
        const value = pair.value as YamlNode | null;
        if (isScalar(value) || isMap(value) || isSeq(value)) {
          const before: YamlLocation | null = result;
          visit(value, [...path, name]);
          if (result !== before) return;
        }
      }
    } else if (isSeq(node)) {
      const outer = reference;
      if (isReference(node)) {
        const items = node.items.map((i) => (isScalar(i) ? String(i.value) : ''));
        const index = node.items.findIndex((i) => {
          const s = isScalar(i) ? nodeSpan(i) : null;
          return s !== null && contains(s, offset);
        });
        reference = index < 0 ? null : { items, index };
      }
      node.items.forEach((item, i) => {
        if (isScalar(item) || isMap(item) || isSeq(item)) visit(item, [...path, i]);
      });
      reference = outer;
    }
  };
  visit(root, []);
  return result;
}

/** The value of `key` in a mapping node, when the mapping has it. */
export function mapValue(node: unknown, key: string): YamlNode | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return (pair.value ?? undefined) as YamlNode | undefined;
  }
  return undefined;
}

/** The key node of `key` in a mapping node. */
export function mapKey(node: unknown, key: string): YamlNode | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return pair.key;
  }
  return undefined;
}

/** Markdown inline code that survives backticks in the value. */
export function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text === '' ? ' ' : text}${pad}${fence}`;
}
