// Renders a job's effective configuration as YAML annotated with the origin of each value (the
// "Show Effective Job Configuration" view).

import { Document, isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';

import type { SourceStore } from '../sources';
import type { EffectiveJob, Origin, Pipeline, Variable, ViaStep } from './model';

/** The effective configuration of `jobName` in `pipeline`, or undefined when there is no such job. */
export function renderEffectiveJob(
  pipeline: Pipeline,
  jobName: string,
  sources: SourceStore,
  workspaceRoot: string,
): string | undefined {
  const job = pipeline.jobs.find((j) => j.name === jobName);
  if (!job) return undefined;
  const where = (o: Origin): string => describeOrigin(o, sources, workspaceRoot);

  const data: Record<string, unknown> = { ...job.data };
  const effectiveVariables: Record<string, string> = {};
  for (const [name, v] of job.variables) effectiveVariables[name] = v.value;
  if (job.variables.size > 0) data['variables'] = effectiveVariables;
  else delete data['variables'];

  const doc = new Document({ [job.name]: data });
  const header = [
    ` Effective configuration of ${job.name}, defined in ${relative(job.file, workspaceRoot)}:${lineOf(sources, job.file, job.nameSpan.start)}`,
  ];
  if (job.extendsChain.length > 0) header.push(` extends: ${job.extendsChain.join(', ')}`);
  if (job.matrix) header.push(` parallel:matrix instance: ${JSON.stringify(job.matrix)}`);
  for (const r of job.replaced) {
    header.push(` lost ${r.key} (${r.reason}): ${where(r.lost)}; by the value ${where(r.by)}`);
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
        annotateVariables(value, job, where);
        continue;
      }
      annotateTree(pair.key, value, key, job, where, undefined);
    }
  }
  return doc.toString({ lineWidth: 0 });
}

/** Each effective variable gets its layer and origin; the map itself has no single origin. */
function annotateVariables(node: YamlNode, job: EffectiveJob, where: (o: Origin) => string): void {
  if (!isMap(node)) return;
  for (const item of node.items) {
    const v = isScalar(item.key) ? job.variables.get(String(item.key.value)) : undefined;
    if (v && isScalar(item.value)) item.value.comment = ` ${describeVariable(v, where)}`;
  }
}

function annotateTree(
  key: YamlNode | null,
  node: YamlNode,
  path: string,
  job: EffectiveJob,
  where: (o: Origin) => string,
  parent: Origin | undefined,
): void {
  const origin = job.provenance.get(path);
  const depth = path.split(/[.[]/).length;
  if (origin && (depth <= 2 || !parent || !sameSource(origin, parent))) {
    let text = where(origin);
    const service = /^services\[(\d+)\]$/.exec(path);
    if (service) text += serviceNote(job, Number(service[1]));
    annotate(key, node, text);
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key) || !pair.value) continue;
      annotateTree(pair.key, pair.value as YamlNode, `${path}.${String(pair.key.value)}`, job, where, origin ?? parent);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) =>
      annotateTree(null, item as YamlNode, `${path}[${i}]`, job, where, origin ?? parent),
    );
  }
}

function serviceNote(job: EffectiveJob, index: number): string {
  const s = job.services.find((x) => x.index === index);
  if (!s) return '';
  const parts: string[] = [];
  if (s.aliases.length > 0) parts.push(`aliases: ${s.aliases.join(', ')}`);
  if (s.derivedAliases.length > 0) parts.push(`derived aliases: ${s.derivedAliases.join(', ')}`);
  if (s.ref.expanded !== s.ref.raw) parts.push(`expands to ${s.ref.expanded}`);
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
    a.via.every((s, i) => viaText(s, '') === viaText(b.via[i] as ViaStep, ''))
  );
}

function describeVariable(v: Variable, where: (o: Origin) => string): string {
  let text = `${v.layer}${v.conditional ? ' (when its rule matches)' : ''}, ${where(v.origin)}`;
  if (v.alternatives && v.alternatives.length > 0) {
    text += `; otherwise ${v.alternatives.map((a) => `${JSON.stringify(a.value)} (${a.layer})`).join(' or ')}`;
  } else if (v.conditional) text += '; otherwise unset';
  if (!v.expand) text += '; expand: false';
  return text;
}

function describeOrigin(o: Origin, sources: SourceStore, workspaceRoot: string): string {
  const base = `from ${relative(o.file, workspaceRoot)}:${lineOf(sources, o.file, o.span.start)}`;
  if (o.via.length === 0) return base;
  return `${base} via ${o.via.map((s) => viaText(s, workspaceRoot)).join(' → ')}`;
}

function viaText(step: ViaStep, workspaceRoot: string): string {
  switch (step.kind) {
    case 'default':
      return 'default';
    case 'global':
      return 'top-level (deprecated global)';
    case 'extends':
      return `extends ${step.name}`;
    case 'include':
      return `include ${relative(step.file, workspaceRoot)}`;
    case 'reference':
      return `!reference [${step.target.join(', ')}]`;
    case 'workflow-rules':
      return 'workflow:rules';
    case 'job-rules':
      return 'rules';
    case 'matrix':
      return 'parallel:matrix';
    case 'runner':
      return `runner ${step.runner}`;
    case 'image-default':
      return `image default of ${step.image}`;
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
