// A39 `dind/merge-drops-dind-config` — see the rule catalogue (spec section A, A39): a job that runs Docker lost its
// dind service, Docker image or Docker variables through GitLab's merge rules (D2–D6): lists are replaced, not
// merged; `inherit:` filters `default:` and global variables; `null` removes inherited keys; hidden templates only
// count when extended; deprecated top-level keywords next to `default:`.

import { isMap, isScalar, isSeq, type Node } from 'yaml';

import type { EffectiveJob, Origin, Replacement } from '../ci/model';
import type { EditResult } from '../fix/common';
import { YamlEditor } from '../fix/yaml-edit';
import type { EditValue } from '../fix/yaml-format';
import { isDindImage, isDockerImage, parseImageRef } from '../semantics/images';
import { JobFacts } from '../semantics/facts';
import { executorClass } from '../semantics/runner';
import type { Settings } from '../settings';
import type { Fix, Span } from '../types';
import type { JobCheck, Report, Rule } from './rule';

/** Variables whose loss changes how the client reaches dind. */
const DOCKER_VARIABLES = ['DOCKER_HOST', 'DOCKER_TLS_CERTDIR', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH'];

const NO_DAEMON =
  'Docker commands then fail with `error during connect: ... lookup docker ... no such host` or `Cannot connect to the Docker daemon at unix:///var/run/docker.sock`.';

export const mergeDropsDindConfig: Rule = {
  meta: {
    id: 'dind/merge-drops-dind-config',
    catalogue: 'A39',
    defaultSeverity: 'warning',
    scope: 'CI',
    title: 'Merge rules drop the dind service, Docker image or Docker variables from a job',
    docs: 'https://docs.gitlab.com/ci/yaml/yaml_optimization/#merge-details',
    fixSafe: false,
  },

  checkJob(check, report) {
    const { job, runner } = check;
    if (runner && executorClass(runner) === 'no-containers') return;
    for (const facts of JobFacts.variants(job, runner, check.settings)) {
      // "Runs docker commands": a script line does (a Docker image from the runner's default alone does not count).
      if (!facts.usesDocker.line) continue;
      const hasDind = facts.dindServices.length > 0;
      const socket = facts.socketMount !== null;
      let servicesLost = false;
      for (const r of groupInheritVariables(job.replaced)) {
        if (r.key === 'services' && !hasDind && !socket) {
          const item = dindItem(r.lostValue, check.settings);
          if (item === undefined) continue;
          servicesLost = true;
          reportServices(check, r, item, report);
        } else if (r.key === 'image') {
          reportImage(check, facts, r, report);
        } else if (r.key === 'variables') {
          reportVariables(check, facts, r, report);
        }
      }
      if (!hasDind && !socket && !servicesLost && facts.buildVar('DOCKER_HOST').state !== 'set') {
        reportHiddenOnly(check, report);
      }
      reportDeprecatedGlobals(check, report);
    }
  },
};

/** One replacement for all global variables one `inherit: variables` drops (the model records one per variable). */
function groupInheritVariables(replaced: readonly Replacement[]): Replacement[] {
  const out: Replacement[] = [];
  for (const r of replaced) {
    const prev = out.find(
      (x) =>
        x.reason === 'inherit-variables' && r.reason === 'inherit-variables' && x.by.span.start === r.by.span.start,
    );
    if (prev && isRecord(prev.lostValue) && isRecord(r.lostValue)) {
      out[out.indexOf(prev)] = { ...prev, lostValue: { ...prev.lostValue, ...r.lostValue } };
    } else {
      out.push(r);
    }
  }
  return out;
}

// ---- (a), (b), (d) for services ---------------------------------------------------------------------------------

/** The first dind item (string or `{name: ...}`) of a lost `services` value, or undefined. */
function dindItem(value: unknown, settings: Settings): EditValue | undefined {
  const items = Array.isArray(value) ? value.flat() : [value];
  for (const s of items) {
    const name = typeof s === 'string' ? s : isRecord(s) && typeof s['name'] === 'string' ? s['name'] : undefined;
    if (name !== undefined && isDindImage(parseImageRef(name, name), settings)) return s as EditValue;
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function itemName(item: EditValue): string {
  return typeof item === 'string' ? item : (scalarText(isRecord(item) ? item['name'] : item) ?? 'docker:dind');
}

/** A plain scalar as GitLab stringifies it, or undefined for collections. */
function scalarText(v: unknown): string | undefined {
  if (v === null) return '';
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

function reportServices(check: JobCheck, r: Replacement, item: EditValue, report: Report): void {
  const { job } = check;
  const name = itemName(item);
  const from = describe(r.lost, check);
  const head =
    r.reason === 'inherit-default'
      ? `\`${job.name}\` does not inherit \`services\` from ${from} (\`inherit: default\`)`
      : r.reason === 'null'
        ? `\`${job.name}\` removes \`services\` from ${from} with \`null\``
        : `\`${job.name}\` replaces \`services\` from ${from}`;
  const fixes: Fix[] = [];
  const editor = YamlEditor.fromSources(check.sources, r.by.file);
  if (editor) {
    if (r.reason === 'replaced') {
      const seq = editor.locate(r.by.span)?.node;
      if (isSeq(seq))
        push(fixes, `Add ${name} to the services of ${job.name}`, editor.insertItem(seq, 0, item, 'before'), true);
    } else if (r.reason === 'null') {
      push(fixes, `Remove \`services: null\` (inherit ${name} again)`, editor.removeAt(r.by.span), true);
    } else {
      inheritDefaultFixes(check, editor, r, 'services', [item], fixes);
    }
  }
  report({
    message: `${head}; \`${name}\` is not part of its effective services (lists are replaced, not merged). ${NO_DAEMON} Repeat the dind service in the job's list.`,
    file: r.by.file,
    span: spanOf(r.by),
    related: [{ file: r.lost.file, span: r.lost.span, message: `The lost \`${name}\` service.` }],
    fixes,
  });
}

/** Fixes for `inherit: default:` that drops `key`: add it to the `inherit` list, or set it on the job. */
function inheritDefaultFixes(
  check: JobCheck,
  editor: YamlEditor,
  r: Replacement,
  key: 'services' | 'image',
  value: EditValue,
  fixes: Fix[],
): void {
  const node = editor.locate(r.by.span)?.node;
  if (isSeq(node)) {
    push(
      fixes,
      `Inherit \`${key}\` from default: (inherit: default: [..., ${key}])`,
      editor.appendItem(node, key),
      true,
    );
    return;
  }
  const jobEditor = YamlEditor.fromSources(check.sources, check.job.file);
  const jobMap = jobEditor?.valueOfKeyAt(check.job.nameSpan);
  if (jobEditor && isMap(jobMap) && !jobMap.has(key)) {
    push(fixes, `Set \`${key}\` in ${check.job.name}`, jobEditor.setKey(jobMap, key, value), true);
  }
}

// ---- (b) for image ----------------------------------------------------------------------------------------------

function reportImage(check: JobCheck, facts: JobFacts, r: Replacement, report: Report): void {
  const lost = isRecord(r.lostValue) ? r.lostValue['name'] : r.lostValue;
  if (typeof lost !== 'string' || !isDockerImage(parseImageRef(lost, lost))) return;
  if (facts.image && isDockerImage(facts.image.ref)) return;
  const { job } = check;
  const from = describe(r.lost, check);
  const now = facts.image ? `\`${facts.image.name.value}\`` : 'the runner default image';
  const how = r.reason === 'null' ? 'removes `image` with `null`' : 'does not inherit `image` (`inherit: default`)';
  const fixes: Fix[] = [];
  const editor = YamlEditor.fromSources(check.sources, r.by.file);
  if (editor) {
    if (r.reason === 'null') push(fixes, 'Remove `image: null`', editor.removeAt(r.by.span), true);
    else inheritDefaultFixes(check, editor, r, 'image', r.lostValue as EditValue, fixes);
  }
  report({
    message: `\`${job.name}\` ${how} from ${from}, so it runs \`docker\` in ${now} instead of \`${lost}\`; the Docker CLI may be missing (\`docker: command not found\`). Set the Docker image on the job or inherit it.`,
    file: r.by.file,
    span: spanOf(r.by),
    related: [{ file: r.lost.file, span: r.lost.span, message: `The lost image \`${lost}\`.` }],
    fixes,
  });
}

// ---- (c), (d) for variables -------------------------------------------------------------------------------------

function reportVariables(check: JobCheck, facts: JobFacts, r: Replacement, report: Report): void {
  if (!isRecord(r.lostValue)) return;
  const lost: [string, string][] = [];
  for (const name of DOCKER_VARIABLES) {
    const v = r.lostValue[name];
    const value = scalarText(isRecord(v) ? (v['value'] ?? '') : v);
    if (value === undefined) continue;
    const now = facts.buildVar(name);
    if (now.state === 'set' && now.value === value) continue;
    if (now.state === 'unknown') continue;
    lost.push([name, value]);
  }
  if (lost.length === 0) return;
  const { job } = check;
  const names = lost.map(([n]) => `\`${n}\``).join(', ');
  const from = describe(r.lost, check);
  const fixes: Fix[] = [];
  const editor = YamlEditor.fromSources(check.sources, r.by.file);
  let head: string;
  if (r.reason === 'null') {
    head = `\`${job.name}\` removes the variables of ${from} with \`variables: null\`, which drops ${names}`;
    if (editor) push(fixes, 'Remove `variables: null`', editor.removeAt(r.by.span), false);
  } else {
    head = `\`${job.name}\` does not inherit the global ${names} (\`inherit: variables\`)`;
    if (editor) {
      const node = editor.locate(r.by.span)?.node;
      const parent = editor.locate(r.by.span)?.parent;
      if (isSeq(node)) {
        for (const [n] of lost)
          push(fixes, `Inherit ${n} (inherit: variables: [..., ${n}])`, editor.appendItem(node, n), true);
      } else if (isScalar(node) && isMap(parent)) {
        push(
          fixes,
          `Inherit ${lost.map(([n]) => n).join(' and ')} (inherit: variables: [...])`,
          editor.setKey(
            parent,
            'variables',
            lost.map(([n]) => n),
          ),
          true,
        );
      }
    }
  }
  const jobEditor = YamlEditor.fromSources(check.sources, job.file);
  const jobMap = jobEditor?.valueOfKeyAt(job.nameSpan);
  if (jobEditor && isMap(jobMap) && !isNullVariables(jobMap.get('variables', true))) {
    const listed = lost.map(([n]) => n).join(' and ');
    push(fixes, `Set ${listed} in ${job.name}`, jobEditor.setKey(jobMap, 'variables', Object.fromEntries(lost)), false);
  }
  report({
    message: `${head}; the client and the dind service then disagree on the daemon address or TLS (\`Cannot connect to the Docker daemon\`, \`connection refused\` or \`server gave HTTP response to HTTPS client\`). Inherit or repeat ${names} in the job.`,
    file: r.by.file,
    span: spanOf(r.by),
    related: [{ file: r.lost.file, span: r.lost.span, message: `The lost ${names}.` }],
    fixes,
  });
}

function isNullVariables(node: unknown): boolean {
  return isScalar(node) && node.value === null;
}

// ---- (e) dind only in a hidden job the job does not extend --------------------------------------------------------

function reportHiddenOnly(check: JobCheck, report: Report): void {
  const { job, pipeline } = check;
  for (const file of pipeline.files) {
    const editor = YamlEditor.fromSources(check.sources, file);
    const root = editor?.root;
    if (!editor || !root) continue;
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? pair.key.value : undefined;
      if (typeof key !== 'string' || !key.startsWith('.') || job.extendsChain.includes(key)) continue;
      const services = isMap(pair.value) ? pair.value.get('services', true) : undefined;
      if (!isSeq(services)) continue;
      const item = dindItem(services.toJSON(), check.settings);
      if (item === undefined) continue;
      const range = (services as Node).range;
      const fixes: Fix[] = [];
      const jobEditor = YamlEditor.fromSources(check.sources, job.file);
      const jobMap = jobEditor?.valueOfKeyAt(job.nameSpan);
      if (jobEditor && isMap(jobMap) && !jobMap.has('extends') && !jobMap.has('services')) {
        push(fixes, `Extend ${key} in ${job.name}`, jobEditor.setKey(jobMap, 'extends', key), true);
      }
      report({
        message: `\`${job.name}\` runs \`docker\`, but \`${itemName(item)}\` is only defined in the hidden job \`${key}\`, which \`${job.name}\` does not extend. ${NO_DAEMON} Add \`extends: ${key}\` or repeat the service.`,
        file: job.file,
        span: job.nameSpan,
        related: range
          ? [{ file, span: { start: range[0], end: range[1] }, message: `dind defined in \`${key}\`.` }]
          : [],
        fixes,
      });
      return;
    }
  }
}

// ---- (f) deprecated top-level image/services next to default: -----------------------------------------------------

function reportDeprecatedGlobals(check: JobCheck, report: Report): void {
  const files = check.pipeline.files;
  const editors = files.map((f) => YamlEditor.fromSources(check.sources, f));
  const withDefault = editors.find((e) => isMap(e?.root?.get('default', true)));
  if (!withDefault) return;
  const defaultMap = withDefault.root?.get('default', true);
  for (const editor of editors) {
    const root = editor?.root;
    if (!editor || !root) continue;
    for (const key of ['image', 'services'] as const) {
      const pair = root.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (!pair || !isScalar(pair.key) || !pair.key.range) continue;
      if (isMap(defaultMap) && defaultMap.has(key)) continue;
      const fixes: Fix[] = [];
      if (editor === withDefault && isMap(defaultMap) && pair.value !== null) {
        const value = (pair.value as Node).toJSON() as EditValue;
        const moved = editor.setKey(defaultMap, key, value);
        const removed = editor.removeKey(root, key);
        if (moved.ok && removed.ok) {
          fixes.push({
            title: `Move top-level ${key} into default:`,
            safe: false,
            preferred: true,
            edits: [...removed.edits, ...moved.edits],
          });
        }
      }
      report({
        message: `Top-level \`${key}:\` is deprecated and coexists with \`default:\`; jobs that override or filter \`default:\` (\`inherit: default\`) can lose the Docker ${key === 'services' ? 'dind service' : 'image'} unexpectedly. Move it into \`default:\`.`,
        file: editor.file,
        span: { start: pair.key.range[0], end: pair.key.range[1] },
        job: null,
        runner: null,
        fixes,
      });
    }
  }
}

// ---- helpers -----------------------------------------------------------------------------------------------------

function push(fixes: Fix[], title: string, r: EditResult, preferred: boolean): void {
  if (r.ok && r.edits.length > 0 && !fixes.some((f) => f.title === title)) {
    fixes.push({ title, safe: false, preferred: preferred && !fixes.some((f) => f.preferred), edits: r.edits });
  }
}

function spanOf(o: Origin): Span {
  return o.keySpan ?? o.span;
}

/** `default:`, `.template` (extends), or the top-level keyword, and the file when it is not the job's. */
function describe(o: Origin, check: JobCheck): string {
  const job: EffectiveJob = check.job;
  let what = 'its template';
  const ext = [...o.via].reverse().find((v) => v.kind === 'extends');
  if (ext?.kind === 'extends') what = `\`${ext.name}\``;
  else if (o.via.some((v) => v.kind === 'default')) what = '`default:`';
  else if (o.via.some((v) => v.kind === 'global')) what = 'the top-level (deprecated) keyword';
  else if (o.file !== job.file) what = 'an included file';
  return o.file === job.file ? what : `${what} in ${relative(o.file, check.pipeline.root)}`;
}

function relative(file: string, root: string): string {
  const dir = root.slice(0, root.lastIndexOf('/') + 1);
  return file.startsWith(dir) ? file.slice(dir.length) : file;
}
