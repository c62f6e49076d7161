// Completion. Pipelines: DinD variable names and values inside `variables:` (job, global, service-level), dind and
// client images whose versions match inside `services:` and `image:`. config.toml: the keys of the table at the
// cursor that are not written yet, and boolean/enum values. The context comes from the text around the cursor
// (indentation), since the document is usually incomplete while the user types.

import type { Analysis } from '../analyze';
import type { EffectiveJob, ImageRef } from '../ci/model';
import type { Locale } from '../i18n';
import { embeddedRunnerConfig, isYamlPath, type EmbeddedToml } from '../runner/helm';
import { lookupRunnerKey, lookupRunnerTable, type RunnerKey } from '../runner/schema';
import { DIND_PLAIN_PORT, DIND_TLS_PORT } from '../semantics/daemon';
import { JobFacts } from '../semantics/facts';
import { dockerTag, RECOMMENDED_DOCKER_VERSION } from '../semantics/images';
import { DEFAULT_SETTINGS, type Settings } from '../settings';
import type { Span } from '../types';
import { code, pipelineOf, runnerContext, t, type FeatureOptions } from './common';
import { FEATURE_MESSAGES } from './messages';
import { keyDoc, runnerKeyDoc } from './toml-docs';

export type CompletionKind = 'variable' | 'value' | 'image' | 'property' | 'enum';

export interface CompletionEntry {
  readonly label: string;
  /** Text that replaces `span`. */
  readonly insertText: string;
  readonly span: Span;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** The best choice for this job (listed first). */
  readonly preferred?: boolean;
}

interface VariableDoc {
  readonly name: string;
  readonly doc: string;
}

const DOCS = 'https://docs.gitlab.com/ci/docker/using_docker_build/';

const DIND_VARIABLE_NAMES = [
  'DOCKER_HOST',
  'DOCKER_TLS_CERTDIR',
  'DOCKER_TLS_VERIFY',
  'DOCKER_CERT_PATH',
  'DOCKER_DRIVER',
  'DOCKER_TLS_SAN',
  'DOCKER_BUILDKIT',
  'HEALTHCHECK_TCP_PORT',
  'FF_NETWORK_PER_BUILD',
  'FF_KUBERNETES_HONOR_ENTRYPOINT',
  'FF_USE_INIT_WITH_DOCKER_EXECUTOR',
] as const;

/** The variables that decide how the client reaches dind, with what they do (English; see `features.variable.*`). */
export const DIND_VARIABLES: readonly VariableDoc[] = DIND_VARIABLE_NAMES.map((name) => ({
  name,
  doc: FEATURE_MESSAGES.en[`features.variable.${name}`] ?? '',
}));

export function completionsAt(
  analysis: Analysis,
  file: string,
  offset: number,
  options: FeatureOptions,
): CompletionEntry[] {
  const text = analysis.sources.file(file)?.text;
  if (text === undefined) return [];
  const locale = options.locale ?? 'en';
  const isRunnerConfig = analysis.runnerConfigs.some((c) => c.file === file);
  if (isRunnerConfig && isYamlPath(file)) return embeddedTomlCompletions(analysis, file, text, offset, locale);
  if (file.endsWith('.toml') || isRunnerConfig) return tomlCompletions(text, offset, locale);
  return yamlCompletions(analysis, file, text, offset, options);
}

/**
 * Completion in a Helm values.yaml runner config: TOML completions inside the `runners.config` block scalar (the
 * cursor mapped into the embedded config.toml and the results mapped back), nothing elsewhere in the file.
 */
function embeddedTomlCompletions(
  analysis: Analysis,
  file: string,
  text: string,
  offset: number,
  locale: Locale,
): CompletionEntry[] {
  const yaml = analysis.sources.yaml(file);
  const embedded = yaml && embeddedRunnerConfig(yaml, text);
  if (!embedded) return [];
  const at = tomlCursor(embedded, text, offset);
  if (!at) return [];
  // Every completion span lies on the cursor's line and ends at the cursor: shift it back by the same distance.
  const shift = offset - at.offset;
  return tomlCompletions(at.toml, at.offset, locale).map((c) => ({
    ...c,
    span: { start: c.span.start + shift, end: c.span.end + shift },
  }));
}

/**
 * The embedded TOML text and the cursor's offset in it, when the cursor is inside the block scalar: on one of its
 * lines, past the block indentation, or on a blank line after its last line (still inside the block while the user
 * types a new key). Undefined elsewhere in the file.
 */
function tomlCursor(
  embedded: EmbeddedToml,
  text: string,
  offset: number,
): { toml: string; offset: number } | undefined {
  const { toml, blockIndent, toFile } = embedded;
  const prefix = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
  if (!prefix.startsWith(blockIndent)) return undefined;
  let lo = 0;
  let hi = toml.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (toFile(mid) < offset) lo = mid + 1;
    else hi = mid;
  }
  const tomlPrefix = toml.slice(toml.lastIndexOf('\n', lo - 1) + 1, lo);
  if (toFile(lo) === offset && prefix === blockIndent + tomlPrefix) return { toml, offset: lo };
  // A later blank line of the block: only blank lines between the embedded text's end and the cursor.
  const typed = prefix.slice(blockIndent.length);
  const contentEnd = toFile(toml.trimEnd().length);
  if (!/^[\w.\t -]*$/.test(typed) || contentEnd > offset || text.slice(contentEnd, offset - prefix.length).trim()) {
    return undefined;
  }
  const extended = `${toml.trimEnd()}\n${typed}`;
  return { toml: extended, offset: extended.length };
}

// ---- YAML -------------------------------------------------------------------------------------------------------

/** The cursor's line read as YAML: the parents from indentation, and what is being typed. */
export interface YamlLineContext {
  /** Keys from the document root; `-` for a sequence item. */
  readonly parents: readonly string[];
  /** `key`: typing a mapping key; `value`: typing the value of `key`; `item`: a plain sequence item. */
  readonly mode: 'key' | 'value' | 'item';
  readonly key: string | null;
  /** The range being typed (the word, or the value written so far). */
  readonly span: Span;
}

const LINE = /^(\s*)((?:-\s+)*)(.*)$/;

/** Reads the structure above `offset` from indentation; robust to a document that does not parse yet. */
export function yamlLineContext(text: string, offset: number): YamlLineContext | null {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const prefix = text.slice(lineStart, offset);
  const m = LINE.exec(prefix);
  if (!m) return null;
  const [, spaces = '', dashes = '', rest = ''] = m;
  const column = spaces.length + dashes.length;
  const parents: string[] = [];
  let limit = column;
  if (dashes !== '') {
    parents.push('-');
    limit = spaces.length;
  }
  let mode: YamlLineContext['mode'];
  let key: string | null = null;
  let spanStart: number;
  const kv = /^([^\s:#'"][^:#]*?|"[^"]*"|'[^']*'):(\s+|$)(.*)$/.exec(rest);
  if (kv) {
    mode = 'value';
    key = (kv[1] ?? '').replace(/^["']|["']$/g, '');
    spanStart = offset - (kv[3] ?? '').length;
    // The line's key is inside the item (or mapping) that the dashes open.
    if (dashes === '') limit = column;
  } else if (dashes !== '') {
    mode = 'item';
    spanStart = offset - rest.length;
  } else if (/^[\w.-]*$/.test(rest)) {
    mode = 'key';
    spanStart = offset - rest.length;
  } else {
    return null;
  }

  // Walk up: each earlier line less indented than the current limit is a parent.
  let end = lineStart - 1;
  while (end > 0 && limit > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end).replace(/\r$/, '');
    end = start - 1;
    const lm = LINE.exec(line);
    if (!lm || lm[3] === undefined || lm[3].trim() === '' || lm[3].startsWith('#')) continue;
    const lineSpaces = (lm[1] ?? '').length;
    const lineDashes = lm[2] ?? '';
    const keyColumn = lineSpaces + lineDashes.length;
    const lineKey = /^([^\s:#'"][^:#]*?|"[^"]*"|'[^']*'):(\s|$)/.exec(lm[3]);
    if (lineKey && keyColumn < limit) {
      parents.push((lineKey[1] ?? '').replace(/^["']|["']$/g, ''));
      limit = keyColumn;
    }
    if (lineDashes !== '' && lineSpaces < limit) {
      parents.push('-');
      limit = lineSpaces;
    }
  }
  return { parents: parents.reverse(), mode, key, span: { start: spanStart, end: offset } };
}

function yamlCompletions(
  analysis: Analysis,
  file: string,
  text: string,
  offset: number,
  options: FeatureOptions,
): CompletionEntry[] {
  const ctx = yamlLineContext(text, offset);
  if (!ctx) return [];
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const locale = options.locale ?? 'en';
  const p = ctx.parents;
  const last = p[p.length - 1];
  const job = (): EffectiveJob | undefined => jobFor(analysis, file, p[0] ?? '');

  const inVariables = last === 'variables' && (p.length <= 2 || (p.length === 4 && p[1] === 'services'));
  if (inVariables && ctx.mode === 'key') return variableNames(ctx.span, existingKeys(text, offset), locale);
  if (inVariables && ctx.mode === 'value' && ctx.key)
    return variableValues(ctx.key, ctx.span, job(), analysis, settings, locale);

  const inServiceItem = last === '-' && p[p.length - 2] === 'services' && p.length <= 3;
  if (inServiceItem && (ctx.mode === 'item' || (ctx.mode === 'value' && ctx.key === 'name'))) {
    return serviceImages(ctx.span, job(), locale);
  }
  const image =
    (ctx.mode === 'value' && ctx.key === 'image' && p.length <= 1) ||
    (ctx.mode === 'value' && ctx.key === 'name' && last === 'image' && p.length <= 2);
  if (image) return clientImages(ctx.span, job(), locale);
  return [];
}

/** The job the cursor's top-level key defines, or a job that uses that template, or the first job. */
function jobFor(analysis: Analysis, file: string, top: string): EffectiveJob | undefined {
  const jobs = pipelineOf(analysis, file)?.jobs ?? [];
  return (
    jobs.find((j) => j.name === top) ??
    jobs.find((j) => j.extendsChain.includes(top)) ??
    jobs.find((j) => j.services.length > 0) ??
    jobs[0]
  );
}

/** Keys already written in the mapping block around the cursor (same indentation). */
function existingKeys(text: string, offset: number): Set<string> {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const indent = /^\s*/.exec(text.slice(lineStart, offset))?.[0].length ?? 0;
  const out = new Set<string>();
  const lines = text.split(/\r?\n/);
  const current = text.slice(0, lineStart).split(/\r?\n/).length - 1;
  const scan = (from: number, step: number): void => {
    for (let i = from; i >= 0 && i < lines.length; i += step) {
      const line = lines[i] ?? '';
      if (line.trim() === '' || line.trim().startsWith('#')) continue;
      const ind = /^\s*/.exec(line)?.[0].length ?? 0;
      if (ind < indent) return;
      const m = /^\s*([\w.-]+)\s*:/.exec(line);
      if (ind === indent && m?.[1]) out.add(m[1]);
    }
  };
  scan(current - 1, -1);
  scan(current + 1, 1);
  return out;
}

function variableNames(span: Span, existing: ReadonlySet<string>, locale: Locale): CompletionEntry[] {
  return DIND_VARIABLES.filter((v) => !existing.has(v.name)).map((v) => ({
    label: v.name,
    insertText: `${v.name}: `,
    span,
    kind: 'variable',
    detail: t(locale, 'features.completion.dind-variable'),
    documentation: `${t(locale, `features.variable.${v.name}`)}\n\n${t(locale, 'features.completion.docs-link', { url: DOCS })}`,
  }));
}

/** What the job's dind services serve: true (TLS), false (plain), or null when unknown or no dind. */
function dindTls(job: EffectiveJob | undefined, analysis: Analysis, settings: Settings): boolean | null {
  if (!job) return null;
  const runner = runnerContext(analysis, settings).runnersFor(job)[0] ?? null;
  const facts = new JobFacts(job, runner, settings);
  const states = facts.dindServices.map((s) => facts.daemon(s).tls);
  if (states.includes(true)) return true;
  if (states.length > 0 && states.every((s) => s === false)) return false;
  return null;
}

function valueEntry(value: string, span: Span, doc: string, preferred: boolean): CompletionEntry {
  return { label: value, insertText: value, span, kind: 'value', documentation: doc, preferred };
}

function variableValues(
  name: string,
  span: Span,
  job: EffectiveJob | undefined,
  analysis: Analysis,
  settings: Settings,
  locale: Locale,
): CompletionEntry[] {
  const tls = dindTls(job, analysis, settings);
  const jobName = job ? t(locale, 'features.completion.of-job', { job: code(job.name) }) : '';
  const m = (key: string, params?: Readonly<Record<string, string>>): string =>
    t(locale, `features.completion.${key}`, params);
  switch (name) {
    case 'DOCKER_HOST':
      return [
        valueEntry(
          `tcp://docker:${DIND_TLS_PORT}`,
          span,
          m('host-tls', { why: tls === true ? m('host-tls-why', { job: jobName }) : '' }),
          tls !== false,
        ),
        valueEntry(
          `tcp://docker:${DIND_PLAIN_PORT}`,
          span,
          m('host-plain', { why: tls === false ? m('host-plain-why', { job: jobName }) : '' }),
          tls === false,
        ),
      ];
    case 'DOCKER_TLS_CERTDIR':
      return [
        valueEntry('"/certs"', span, m('certdir-certs'), tls !== false),
        valueEntry('""', span, m('certdir-off'), tls === false),
      ];
    case 'DOCKER_TLS_VERIFY':
      return [valueEntry('"1"', span, m('tls-verify'), true)];
    case 'DOCKER_CERT_PATH':
      return [valueEntry('"$DOCKER_TLS_CERTDIR/client"', span, m('cert-path'), true)];
    case 'DOCKER_DRIVER':
      return [valueEntry('overlay2', span, m('driver'), true)];
    case 'HEALTHCHECK_TCP_PORT':
      return [
        valueEntry(`"${DIND_TLS_PORT}"`, span, m('healthcheck-tls'), tls !== false),
        valueEntry(`"${DIND_PLAIN_PORT}"`, span, m('healthcheck-plain'), tls === false),
      ];
    default:
      if (name.startsWith('FF_')) {
        return [valueEntry('"true"', span, m('flag-on'), true), valueEntry('"false"', span, m('flag-off'), false)];
      }
      return [];
  }
}

/** The pinned version of a docker image of the job, e.g. `27.5.1` for `docker:27.5.1-cli`. */
function pinnedVersion(refs: readonly { readonly ref: ImageRef }[]): string | null {
  for (const { ref } of refs) {
    const tag = dockerTag(ref);
    if (tag?.version.kind === 'pinned') return tag.version.text;
  }
  return null;
}

function serviceImages(span: Span, job: EffectiveJob | undefined, locale: Locale): CompletionEntry[] {
  const matched = job?.image ? pinnedVersion([job.image]) : null;
  const version = matched ?? RECOMMENDED_DOCKER_VERSION;
  const why = matched
    ? t(locale, 'features.completion.matches-client', { image: code(job?.image?.name.value ?? '') })
    : t(locale, 'features.completion.recommended');
  return [
    {
      label: `docker:${version}-dind`,
      insertText: `docker:${version}-dind`,
      span,
      kind: 'image',
      detail: t(locale, 'features.completion.dind-detail'),
      documentation: t(locale, 'features.completion.dind-doc', { why }),
      preferred: true,
    },
    {
      label: `docker:${version}-dind-rootless`,
      insertText: `docker:${version}-dind-rootless`,
      span,
      kind: 'image',
      detail: t(locale, 'features.completion.rootless-detail'),
      documentation: t(locale, 'features.completion.rootless-doc', { why }),
    },
  ];
}

function clientImages(span: Span, job: EffectiveJob | undefined, locale: Locale): CompletionEntry[] {
  const matched = job ? pinnedVersion(job.services) : null;
  const version = matched ?? RECOMMENDED_DOCKER_VERSION;
  const dind = job?.services.find((s) => dockerTag(s.ref)?.version.kind === 'pinned');
  const why =
    matched && dind
      ? t(locale, 'features.completion.matches-dind', { image: code(dind.name.value) })
      : t(locale, 'features.completion.recommended');
  return [
    {
      label: `docker:${version}-cli`,
      insertText: `docker:${version}-cli`,
      span,
      kind: 'image',
      detail: t(locale, 'features.completion.client-detail'),
      documentation: t(locale, 'features.completion.cli-doc', { why }),
      preferred: true,
    },
    {
      label: `docker:${version}`,
      insertText: `docker:${version}`,
      span,
      kind: 'image',
      detail: t(locale, 'features.completion.client-detail'),
      documentation: t(locale, 'features.completion.full-doc', { why }),
    },
  ];
}

// ---- TOML -------------------------------------------------------------------------------------------------------

const HEADER = /^\s*\[\[?\s*([^\]]*?)\s*\]\]?\s*(#.*)?$/;

/** The table path of the header above `offset` (`runners.docker`), and the range of the table's lines. */
function tomlTableAt(lines: readonly string[], line: number): { path: string; from: number; to: number } {
  let from = 0;
  let path = '';
  for (let i = line; i >= 0; i--) {
    const m = HEADER.exec(lines[i] ?? '');
    if (m && i !== line) {
      path = (m[1] ?? '')
        .split('.')
        .map((s) => s.trim().replace(/^["']|["']$/g, ''))
        .join('.');
      from = i + 1;
      break;
    }
  }
  let to = lines.length;
  for (let i = line + 1; i < lines.length; i++) {
    if (HEADER.test(lines[i] ?? '')) {
      to = i;
      break;
    }
  }
  return { path, from, to };
}

function tomlCompletions(text: string, offset: number, locale: Locale): CompletionEntry[] {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const prefix = text.slice(lineStart, offset);
  const lines = text.split('\n');
  const lineNo = text.slice(0, lineStart).split('\n').length - 1;
  const table = tomlTableAt(lines, lineNo);

  const keyMatch = /^\s*([A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*)*)$/.exec(prefix);
  if (keyMatch) {
    const typed = keyMatch[1] ?? '';
    const dot = typed.lastIndexOf('.');
    const dotted = dot < 0 ? '' : typed.slice(0, dot);
    const path = [table.path, dotted].filter((s) => s !== '').join('.');
    const schema = lookupRunnerTable(path);
    if (!schema) return [];
    const existing = new Set<string>();
    for (let i = table.from; i < table.to; i++) {
      if (i === lineNo) continue;
      const m = /^\s*([A-Za-z0-9_.-]+)\s*=/.exec(lines[i] ?? '');
      if (m?.[1])
        existing.add(dotted === '' ? m[1] : m[1].startsWith(`${dotted}.`) ? m[1].slice(dotted.length + 1) : '');
    }
    const span = { start: offset - (typed.length - dot - 1), end: offset };
    return [...schema.keys.values()]
      .filter((k) => k.type !== 'table' && k.type !== 'table[]' && !existing.has(k.name))
      .map((k) => ({
        label: k.name,
        insertText: `${k.name} = `,
        span,
        kind: 'property' as const,
        detail: `${k.type}${k.default === undefined ? '' : ` = ${JSON.stringify(k.default)}`}`,
        documentation: keyDoc(k, path, locale),
      }));
  }

  const valueMatch = /^\s*([A-Za-z0-9_.-]+)\s*=\s*("?[^"]*)$/.exec(prefix);
  if (!valueMatch) return [];
  const parts = (valueMatch[1] ?? '').split('.');
  const name = parts.pop() ?? '';
  const path = [table.path, ...parts].filter((s) => s !== '').join('.');
  const key = lookupRunnerKey(path, name);
  if (!key) return [];
  const span = { start: offset - (valueMatch[2] ?? '').length, end: offset };
  return tomlValues(key, runnerKeyDoc(key, path, locale), span);
}

function tomlValues(key: RunnerKey, doc: string, span: Span): CompletionEntry[] {
  if (key.type === 'boolean') {
    return ['true', 'false'].map((v) => ({
      label: v,
      insertText: v,
      span,
      kind: 'enum' as const,
      preferred: key.default === (v === 'true'),
      documentation: doc,
    }));
  }
  if (key.values && key.type === 'string') {
    return key.values.map((v) => ({
      label: v,
      insertText: JSON.stringify(v),
      span,
      kind: 'enum' as const,
      preferred: key.default === v,
      documentation: doc,
    }));
  }
  return [];
}
