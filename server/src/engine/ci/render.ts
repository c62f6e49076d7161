// Renders a job's effective configuration as YAML annotated with the origin of each value (the
// "Show Effective Job Configuration" view).

import { Document, isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';

import { msg, type Locale, type MsgParam } from '../i18n';
import { MESSAGES } from '../messages';
import type { SourceStore } from '../sources';
import { jobData, jobProvenance } from './jobs';
import type { EffectiveJob, Origin, Pipeline, Variable, ViaStep } from './model';

/** The effective configuration of `jobName` in `pipeline`, or undefined when there is no such job. */
export function renderEffectiveJob(
  pipeline: Pipeline,
  jobName: string,
  sources: SourceStore,
  workspaceRoot: string,
  locale: Locale = 'en',
): string | undefined {
  const job = pipeline.jobs.find((j) => j.name === jobName);
  if (!job) return undefined;
  const tr = renderer(locale);
  const where = (o: Origin): string => describeOrigin(o, sources, workspaceRoot, tr);

  const data: Record<string, unknown> = { ...jobData(job) };
  const effectiveVariables: Record<string, string> = {};
  for (const [name, v] of job.variables) effectiveVariables[name] = v.value;
  if (job.variables.size > 0) data['variables'] = effectiveVariables;
  else delete data['variables'];

  const doc = new Document({ [job.name]: data });
  const defined = `${relative(job.file, workspaceRoot)}:${lineOf(sources, job.file, job.nameSpan.start)}`;
  const header = [` ${tr('header', { job: job.name, where: defined })}`];
  if (job.extendsChain.length > 0) header.push(` extends: ${job.extendsChain.join(', ')}`);
  if (job.matrix) header.push(` parallel:matrix instance: ${JSON.stringify(job.matrix)}`);
  for (const r of job.replaced) {
    header.push(` ${tr('lost', { key: r.key, reason: r.reason, lost: where(r.lost), by: where(r.by) })}`);
  }
  doc.commentBefore = header.join('\n');

  const root = doc.contents;
  const jobMap = isMap(root) ? root.items[0]?.value : undefined;
  if (isMap(jobMap)) {
    for (const pair of jobMap.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const value = pair.value as YamlNode | null;
      if (!value) continue;
      if (key === 'variables') {
        annotateVariables(value, job, where, tr);
        continue;
      }
      annotateTree(pair.key, value, key, job, where, tr, undefined);
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** Renders a `features.render.` message in the view's language. */
type Tr = (key: string, params?: Readonly<Record<string, MsgParam>>) => string;

function renderer(locale: Locale): Tr {
  return (key, params) => MESSAGES.render(locale, msg(`features.render.${key}`, params));
}

/** Each effective variable gets its layer and origin; the map itself has no single origin. */
function annotateVariables(node: YamlNode, job: EffectiveJob, where: (o: Origin) => string, tr: Tr): void {
  if (!isMap(node)) return;
  for (const item of node.items) {
    const v = isScalar(item.key) ? job.variables.get(String(item.key.value)) : undefined;
    if (v && isScalar(item.value)) item.value.comment = ` ${describeVariable(v, where, tr)}`;
  }
}

function annotateTree(
  key: YamlNode | null,
  node: YamlNode,
  path: string,
  job: EffectiveJob,
  where: (o: Origin) => string,
  tr: Tr,
  parent: Origin | undefined,
): void {
  const origin = jobProvenance(job).get(path);
  const depth = path.split(/[.[]/).length;
  if (origin && (depth <= 2 || !parent || !sameSource(origin, parent))) {
    let text = where(origin);
    const service = /^services\[(\d+)\]$/.exec(path);
    if (service) text += serviceNote(job, Number(service[1]), tr);
    annotate(key, node, text);
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key) || !pair.value) continue;
      annotateTree(
        pair.key,
        pair.value as YamlNode,
        `${path}.${String(pair.key.value)}`,
        job,
        where,
        tr,
        origin ?? parent,
      );
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) =>
      annotateTree(null, item as YamlNode, `${path}[${i}]`, job, where, tr, origin ?? parent),
    );
  }
}

function serviceNote(job: EffectiveJob, index: number, tr: Tr): string {
  const s = job.services.find((x) => x.index === index);
  if (!s) return '';
  const parts: string[] = [];
  if (s.aliases.length > 0) parts.push(tr('aliases', { aliases: s.aliases.join(', ') }));
  if (s.derivedAliases.length > 0) parts.push(tr('derived-aliases', { aliases: s.derivedAliases.join(', ') }));
  if (s.ref.expanded !== s.ref.raw) parts.push(tr('expands', { image: s.ref.expanded }));
  return parts.length > 0 ? `; ${parts.join('; ')}` : '';
}

/** Scalars get a trailing comment; collections a comment line before their key (or before the item). */
function annotate(key: YamlNode | null, node: YamlNode, text: string): void {
  if (isScalar(node)) node.comment = ` ${text}`;
  else if (key) key.commentBefore = ` ${text}`;
  else node.commentBefore = ` ${text}`;
}

function sameSource(a: Origin, b: Origin): boolean {
  return (
    a.file === b.file &&
    a.via.length === b.via.length &&
    a.via.every((s, i) => viaKey(s) === viaKey(b.via[i] as ViaStep))
  );
}

/** A via step's English text, to compare two origins' paths regardless of the view's language. */
function viaKey(step: ViaStep): string {
  return viaText(step, '', renderer('en'));
}

function describeVariable(v: Variable, where: (o: Origin) => string, tr: Tr): string {
  let text = `${v.layer}${v.conditional ? tr('when-rule') : ''}, ${where(v.origin)}`;
  if (v.alternatives && v.alternatives.length > 0) {
    const values = v.alternatives.map((a) => `${JSON.stringify(a.value)} (${a.layer})`).join(tr('or'));
    text += `; ${tr('otherwise', { values })}`;
  } else if (v.conditional) text += `; ${tr('otherwise-unset')}`;
  if (!v.expand) text += '; expand: false';
  return text;
}

function describeOrigin(o: Origin, sources: SourceStore, workspaceRoot: string, tr: Tr): string {
  const base = tr('from', { where: `${relative(o.file, workspaceRoot)}:${lineOf(sources, o.file, o.span.start)}` });
  if (o.via.length === 0) return base;
  const steps = o.via.map((s) => viaText(s, workspaceRoot, tr)).join(' → ');
  return tr('via', { base, steps });
}

function viaText(step: ViaStep, workspaceRoot: string, tr: Tr): string {
  switch (step.kind) {
    case 'default':
      return tr('via.default');
    case 'global':
      return tr('via.global');
    case 'extends':
      return tr('via.extends', { name: step.name });
    case 'include':
      return tr('via.include', { file: relative(step.file, workspaceRoot) });
    case 'reference':
      return `!reference [${step.target.join(', ')}]`;
    case 'workflow-rules':
      return 'workflow:rules';
    case 'job-rules':
      return 'rules';
    case 'matrix':
      return 'parallel:matrix';
    case 'runner':
      return tr('via.runner', { runner: step.runner });
    case 'image-default':
      return tr('via.image-default', { image: step.image });
  }
}

function lineOf(sources: SourceStore, file: string, offset: number): number {
  const f = sources.file(file);
  return f ? f.lines.positionAt(offset).line + 1 : 1;
}

function relative(file: string, root: string): string {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}
