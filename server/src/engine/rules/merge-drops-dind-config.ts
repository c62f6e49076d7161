// A39 `dind/merge-drops-dind-config` — see the rule catalogue (spec section A, A39): a job that runs Docker lost its
// dind service, Docker image or Docker variables through GitLab's merge rules (D2–D6): lists are replaced, not
// merged; `inherit:` filters `default:` and global variables; `null` removes inherited keys; hidden templates only
// count when extended; deprecated top-level keywords next to `default:`.
// Dropped Docker variables (c, d) are reported as the catalogue's condition says, whether or not the job still works:
// dropping both DOCKER_HOST and DOCKER_TLS_CERTDIR can leave a consistent image-default setup (TLS on 2376), so the
// message says what the job now runs with and that the two sides *may* disagree, rather than promising a failure.

import { isMap, isScalar, isSeq, type Node } from 'yaml';

import type { EffectiveJob, Origin, Replacement } from '../ci/model';
import type { EditResult } from '../fix/common';
import { YamlEditor } from '../fix/yaml-edit';
import type { EditValue } from '../fix/yaml-format';
import { msg, type Msg, type MsgParam } from '../i18n';
import { isDindImage, isDockerImage, parseImageRef } from '../semantics/images';
import { faithfulTopLevel, hiddenServiceLists, JobFacts, joinedFiles, topLevel } from '../semantics/facts';
import { executorClass } from '../semantics/runner';
import type { Settings } from '../settings';
import type { SourceStore } from '../sources';
import type { Fix, Span } from '../types';
import { andList } from './lists';
import type { JobCheck, Report, Rule, RuleFinding } from './rule';

/** Variables whose loss changes how the client reaches dind. */
const DOCKER_VARIABLES = ['DOCKER_HOST', 'DOCKER_TLS_CERTDIR', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH'];

/** What happens without a daemon (a sentence of several messages). */
const NO_DAEMON = msg('merge-drops-dind-config.no-daemon');

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

  messages: {
    en: {
      'merge-drops-dind-config.no-daemon':
        'Docker commands then fail with `error during connect: ... lookup docker ... no such host` or ' +
        '`Cannot connect to the Docker daemon at unix:///var/run/docker.sock`.',
      'merge-drops-dind-config.services-inherit':
        '`{job}` does not inherit `services` from {from} (`inherit: default`); `{name}` is not part of its effective ' +
        "services (lists are replaced, not merged). {noDaemon} Repeat the dind service in the job's list.",
      'merge-drops-dind-config.services-null':
        '`{job}` removes `services` from {from} with `null`; `{name}` is not part of its effective services (lists ' +
        "are replaced, not merged). {noDaemon} Repeat the dind service in the job's list.",
      'merge-drops-dind-config.services-replaced':
        '`{job}` replaces `services` from {from}; `{name}` is not part of its effective services (lists are ' +
        "replaced, not merged). {noDaemon} Repeat the dind service in the job's list.",
      'merge-drops-dind-config.image-null':
        '`{job}` removes `image` with `null` from {from}, so it runs `docker` in {now} instead of `{lost}`; the ' +
        'Docker CLI may be missing (`docker: command not found`). Set the Docker image on the job or inherit it.',
      'merge-drops-dind-config.image-inherit':
        '`{job}` does not inherit `image` (`inherit: default`) from {from}, so it runs `docker` in {now} instead of ' +
        '`{lost}`; the Docker CLI may be missing (`docker: command not found`). Set the Docker image on the job or ' +
        'inherit it.',
      'merge-drops-dind-config.runner-default-image': 'the runner default image',
      'merge-drops-dind-config.variables-null':
        '`{job}` removes the variables of {from} with `variables: null`, which drops {names}: the job now runs ' +
        'with {now}. Unless the client and the dind service agree on these defaults, they may disagree on the ' +
        'daemon address or TLS (`Cannot connect to the Docker daemon`, `connection refused` or ' +
        '`server gave HTTP response to HTTPS client`). Inherit or repeat {names} in the job.',
      'merge-drops-dind-config.variables-inherit':
        '`{job}` does not inherit the global {names} (`inherit: variables`): the job now runs with {now}. Unless ' +
        'the client and the dind service agree on these defaults, they may disagree on the daemon address or TLS ' +
        '(`Cannot connect to the Docker daemon`, `connection refused` or `server gave HTTP response to HTTPS ' +
        'client`). Inherit or repeat {names} in the job.',
      'merge-drops-dind-config.now-unset': '`{name}` unset',
      'merge-drops-dind-config.now-value': '`{name}={value}`',
      'merge-drops-dind-config.now-image-default': '`{name}={value}` (image default)',
      'merge-drops-dind-config.hidden-only':
        '`{job}` runs `docker`, but `{service}` is only defined in the hidden job `{key}`, which `{job}` does not ' +
        'extend. {noDaemon} Add `extends: {key}` or repeat the service.',
      'merge-drops-dind-config.deprecated-services':
        'Top-level `{key}:` is deprecated and coexists with `default:`; jobs that override or filter `default:` ' +
        '(`inherit: default`) can lose the Docker dind service unexpectedly. Move it into `default:`.',
      'merge-drops-dind-config.deprecated-image':
        'Top-level `{key}:` is deprecated and coexists with `default:`; jobs that override or filter `default:` ' +
        '(`inherit: default`) can lose the Docker image unexpectedly. Move it into `default:`.',
      'merge-drops-dind-config.from-template': 'its template',
      'merge-drops-dind-config.from-global': 'the top-level (deprecated) keyword',
      'merge-drops-dind-config.from-include': 'an included file',
      'merge-drops-dind-config.from-in-file': '{what} in {file}',
      'merge-drops-dind-config.fix-add-service': 'Add {name} to the services of {job}',
      'merge-drops-dind-config.fix-remove-services-null': 'Remove `services: null` (inherit {name} again)',
      'merge-drops-dind-config.fix-inherit-default': 'Inherit `{key}` from default: (inherit: default: [..., {key}])',
      'merge-drops-dind-config.fix-set-key': 'Set `{key}` in {job}',
      'merge-drops-dind-config.fix-remove-image-null': 'Remove `image: null`',
      'merge-drops-dind-config.fix-remove-variables-null': 'Remove `variables: null`',
      'merge-drops-dind-config.fix-inherit-variable': 'Inherit {name} (inherit: variables: [..., {name}])',
      'merge-drops-dind-config.fix-inherit-variables': 'Inherit {names} (inherit: variables: [...])',
      'merge-drops-dind-config.fix-set-variables': 'Set {names} in {job}',
      'merge-drops-dind-config.fix-extend': 'Extend {key} in {job}',
      'merge-drops-dind-config.fix-move-to-default': 'Move top-level {key} into default:',
    },
    'zh-cn': {
      'merge-drops-dind-config.no-daemon':
        '随后 Docker 命令会失败并报错 `error during connect: ... lookup docker ... no such host` 或 ' +
        '`Cannot connect to the Docker daemon at unix:///var/run/docker.sock`。',
      'merge-drops-dind-config.services-inherit':
        '`{job}` 没有从 {from} 继承 `services`（`inherit: default`）；`{name}` 不在其生效的服务列表中（列表会被替换，' +
        '而不是合并）。{noDaemon}请在该作业的列表中重复声明 dind 服务。',
      'merge-drops-dind-config.services-null':
        '`{job}` 用 `null` 移除了来自 {from} 的 `services`；`{name}` 不在其生效的服务列表中（列表会被替换，而不是' +
        '合并）。{noDaemon}请在该作业的列表中重复声明 dind 服务。',
      'merge-drops-dind-config.services-replaced':
        '`{job}` 替换了来自 {from} 的 `services`；`{name}` 不在其生效的服务列表中（列表会被替换，而不是合并）。' +
        '{noDaemon}请在该作业的列表中重复声明 dind 服务。',
      'merge-drops-dind-config.image-null':
        '`{job}` 用 `null` 移除了来自 {from} 的 `image`，因此它在 {now} 而不是 `{lost}` 中运行 `docker`；其中可能' +
        '没有 Docker CLI（`docker: command not found`）。请在作业上设置 Docker 镜像，或继承该镜像。',
      'merge-drops-dind-config.image-inherit':
        '`{job}` 没有从 {from} 继承 `image`（`inherit: default`），因此它在 {now} 而不是 `{lost}` 中运行 `docker`；' +
        '其中可能没有 Docker CLI（`docker: command not found`）。请在作业上设置 Docker 镜像，或继承该镜像。',
      'merge-drops-dind-config.runner-default-image': 'Runner 的默认镜像',
      'merge-drops-dind-config.variables-null':
        '`{job}` 用 `variables: null` 移除了 {from} 的变量，从而丢失了 {names}：作业现在使用 {now} 运行。' +
        '除非客户端与 dind 服务在这些默认值上一致，否则它们对守护进程的地址或 TLS 设置可能不一致' +
        '（`Cannot connect to the Docker daemon`、`connection refused` 或 ' +
        '`server gave HTTP response to HTTPS client`）。请在作业中继承或重复设置 {names}。',
      'merge-drops-dind-config.variables-inherit':
        '`{job}` 没有继承全局变量 {names}（`inherit: variables`）：作业现在使用 {now} 运行。' +
        '除非客户端与 dind 服务在这些默认值上一致，否则它们对守护进程的地址或 TLS 设置可能不一致' +
        '（`Cannot connect to the Docker daemon`、`connection refused` 或 ' +
        '`server gave HTTP response to HTTPS client`）。请在作业中继承或重复设置 {names}。',
      'merge-drops-dind-config.now-unset': '未设置的 `{name}`',
      'merge-drops-dind-config.now-value': '`{name}={value}`',
      'merge-drops-dind-config.now-image-default': '`{name}={value}`（镜像默认值）',
      'merge-drops-dind-config.hidden-only':
        '`{job}` 运行了 `docker`，但 `{service}` 只定义在隐藏作业 `{key}` 中，而 `{job}` 没有扩展该作业。' +
        '{noDaemon}请添加 `extends: {key}`，或重复声明该服务。',
      'merge-drops-dind-config.deprecated-services':
        '顶层 `{key}:` 已弃用，且与 `default:` 同时存在；覆盖或过滤 `default:`（`inherit: default`）的作业可能会' +
        '意外丢失 Docker dind 服务。请将其移到 `default:` 中。',
      'merge-drops-dind-config.deprecated-image':
        '顶层 `{key}:` 已弃用，且与 `default:` 同时存在；覆盖或过滤 `default:`（`inherit: default`）的作业可能会' +
        '意外丢失 Docker 镜像。请将其移到 `default:` 中。',
      'merge-drops-dind-config.from-template': '其模板',
      'merge-drops-dind-config.from-global': '（已弃用的）顶层关键字',
      'merge-drops-dind-config.from-include': '一个被包含的文件',
      'merge-drops-dind-config.from-in-file': '{file} 中的 {what}',
      'merge-drops-dind-config.fix-add-service': '将 {name} 添加到 {job} 的 services 中',
      'merge-drops-dind-config.fix-remove-services-null': '删除 `services: null`（重新继承 {name}）',
      'merge-drops-dind-config.fix-inherit-default': '从 default: 继承 `{key}`（inherit: default: [..., {key}]）',
      'merge-drops-dind-config.fix-set-key': '在 {job} 中设置 `{key}`',
      'merge-drops-dind-config.fix-remove-image-null': '删除 `image: null`',
      'merge-drops-dind-config.fix-remove-variables-null': '删除 `variables: null`',
      'merge-drops-dind-config.fix-inherit-variable': '继承 {name}（inherit: variables: [..., {name}]）',
      'merge-drops-dind-config.fix-inherit-variables': '继承 {names}（inherit: variables: [...]）',
      'merge-drops-dind-config.fix-set-variables': '在 {job} 中设置 {names}',
      'merge-drops-dind-config.fix-extend': '在 {job} 中扩展 {key}',
      'merge-drops-dind-config.fix-move-to-default': '将顶层 {key} 移到 default: 中',
    },
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
  const params = { job: job.name, from: describe(r.lost, check), name, noDaemon: NO_DAEMON };
  const message =
    r.reason === 'inherit-default'
      ? msg('merge-drops-dind-config.services-inherit', params)
      : r.reason === 'null'
        ? msg('merge-drops-dind-config.services-null', params)
        : msg('merge-drops-dind-config.services-replaced', params);
  const fixes = (): Fix[] => {
    const list: Fix[] = [];
    const editor = YamlEditor.fromSources(check.sources, r.by.file);
    if (!editor) return list;
    if (r.reason === 'replaced') {
      const seq = editor.locate(r.by.span)?.node;
      if (isSeq(seq))
        push(
          list,
          msg('merge-drops-dind-config.fix-add-service', { name, job: job.name }),
          editor.insertItem(seq, 0, item, 'before'),
          true,
        );
    } else if (r.reason === 'null') {
      push(list, msg('merge-drops-dind-config.fix-remove-services-null', { name }), editor.removeAt(r.by.span), true);
    } else {
      inheritDefaultFixes(check, editor, r, 'services', [item], list);
    }
    return list;
  };
  report({
    message,
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
    push(fixes, msg('merge-drops-dind-config.fix-inherit-default', { key }), editor.appendItem(node, key), true);
    return;
  }
  const jobEditor = YamlEditor.fromSources(check.sources, check.job.file);
  const jobMap = jobEditor?.valueOfKeyAt(check.job.nameSpan);
  if (jobEditor && isMap(jobMap) && !jobMap.has(key)) {
    push(
      fixes,
      msg('merge-drops-dind-config.fix-set-key', { key, job: check.job.name }),
      jobEditor.setKey(jobMap, key, value),
      true,
    );
  }
}

// ---- (b) for image ----------------------------------------------------------------------------------------------

function reportImage(check: JobCheck, facts: JobFacts, r: Replacement, report: Report): void {
  const lost = isRecord(r.lostValue) ? r.lostValue['name'] : r.lostValue;
  if (typeof lost !== 'string' || !isDockerImage(parseImageRef(lost, lost))) return;
  if (facts.image && isDockerImage(facts.image.ref)) return;
  const { job } = check;
  const params = {
    job: job.name,
    from: describe(r.lost, check),
    now: facts.image ? `\`${facts.image.name.value}\`` : msg('merge-drops-dind-config.runner-default-image'),
    lost,
  };
  const fixes = (): Fix[] => {
    const list: Fix[] = [];
    const editor = YamlEditor.fromSources(check.sources, r.by.file);
    if (!editor) return list;
    if (r.reason === 'null') {
      push(list, msg('merge-drops-dind-config.fix-remove-image-null'), editor.removeAt(r.by.span), true);
    } else inheritDefaultFixes(check, editor, r, 'image', r.lostValue as EditValue, list);
    return list;
  };
  report({
    message:
      r.reason === 'null'
        ? msg('merge-drops-dind-config.image-null', params)
        : msg('merge-drops-dind-config.image-inherit', params),
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
  const params = { job: job.name, from: describe(r.lost, check), names, now: nowList(facts, lost) };
  const message: Msg =
    r.reason === 'null'
      ? msg('merge-drops-dind-config.variables-null', params)
      : msg('merge-drops-dind-config.variables-inherit', params);
  const fixes = (): Fix[] => {
    const list: Fix[] = [];
    const editor = YamlEditor.fromSources(check.sources, r.by.file);
    if (r.reason === 'null') {
      if (editor)
        push(list, msg('merge-drops-dind-config.fix-remove-variables-null'), editor.removeAt(r.by.span), false);
    } else {
      if (editor) {
        const node = editor.locate(r.by.span)?.node;
        const parent = editor.locate(r.by.span)?.parent;
        if (isSeq(node)) {
          for (const [n] of lost)
            push(
              list,
              msg('merge-drops-dind-config.fix-inherit-variable', { name: n }),
              editor.appendItem(node, n),
              true,
            );
        } else if (isScalar(node) && isMap(parent)) {
          push(
            list,
            msg('merge-drops-dind-config.fix-inherit-variables', { names: andList(lost.map(([n]) => n)) }),
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
      push(
        list,
        msg('merge-drops-dind-config.fix-set-variables', { names: andList(lost.map(([n]) => n)), job: job.name }),
        jobEditor.setKey(jobMap, 'variables', Object.fromEntries(lost)),
        false,
      );
    }
    return list;
  };
  report({
    message,
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
  for (const hidden of hiddenServiceLists(check.sources, pipeline.files)) {
    const { key, file, span } = hidden;
    if (job.extendsChain.includes(key)) continue;
    const item = dindItem(hidden.value, check.settings);
    if (item === undefined) continue;
    const fixes = (): Fix[] => {
      const list: Fix[] = [];
      const jobEditor = YamlEditor.fromSources(check.sources, job.file);
      const jobMap = jobEditor?.valueOfKeyAt(job.nameSpan);
      if (jobEditor && isMap(jobMap) && !jobMap.has('extends') && !jobMap.has('services')) {
        push(
          list,
          msg('merge-drops-dind-config.fix-extend', { key, job: job.name }),
          jobEditor.setKey(jobMap, 'extends', key),
          true,
        );
      }
      return list;
    };
    report({
      message: msg('merge-drops-dind-config.hidden-only', {
        job: job.name,
        service: itemName(item),
        key,
        noDaemon: NO_DAEMON,
      }),
      file: job.file,
      span: job.nameSpan,
      related: span ? [{ file, span, message: `dind defined in \`${key}\`.` }] : [],
      fixes,
    });
    return;
  }
}

// ---- (f) deprecated top-level image/services next to default: -----------------------------------------------------

/**
 * Reports the deprecated top-level keys of the pipeline. They do not depend on the job: they are computed once per
 * analysis and pipeline, and a cached run depends on them rather than on the text of every pipeline file.
 */
function reportDeprecatedGlobals(check: JobCheck, report: Report): void {
  const files = check.pipeline.files;
  const key = joinedFiles(files);
  const found = check.sources.derive(`merge-drops-dind-config/globals\0${key}`, (sources) => {
    const value = deprecatedGlobals(sources, files, false);
    return { value, print: JSON.stringify(value) };
  });
  // The fixes are a derived value of their own, asked for only when the fixes are built.
  const fixesOf = (i: number) => (): readonly Fix[] =>
    check.sources.derive(`merge-drops-dind-config/globals-fixes\0${key}`, (sources) => {
      const value = deprecatedGlobals(sources, files, true).map((f) => f.fixes);
      return { value, print: JSON.stringify(value) };
    }).value[i] ?? [];
  found.value.forEach((f, i) => report({ ...f, fixes: fixesOf(i) }));
}

/**
 * False when the converted trees (updated without a full parse after an edit) show that no file has a top-level
 * `image:`/`services:` that a mapping `default:` lacks; true when they do or when a tree may differ from its document.
 */
function deprecatedGlobalsPossible(sources: SourceStore, files: readonly string[]): boolean {
  const tops = files.map((f) => faithfulTopLevel(sources, f));
  if (tops.some((t) => t === undefined)) return true;
  const withDefault = tops.find((t) => t?.tree.entries.get('default')?.node.kind === 'map');
  if (withDefault && !withDefault.plainKeys.has('default')) return true;
  const defaults = withDefault?.tree.entries.get('default')?.node;
  if (defaults?.kind !== 'map') return false;
  return tops.some((t) => ['image', 'services'].some((k) => t?.tree.entries.has(k) && !defaults.entries.has(k)));
}

/** The deprecated-globals findings of the pipeline, with their fixes when `withFixes` (else with none). */
function deprecatedGlobals(
  sources: SourceStore,
  files: readonly string[],
  withFixes: boolean,
): (RuleFinding & { readonly fixes: readonly Fix[] })[] {
  const out: (RuleFinding & { readonly fixes: readonly Fix[] })[] = [];
  if (!deprecatedGlobalsPossible(sources, files)) return out;
  const tops = files.map((f) => topLevel(sources, f));
  const withDefault = tops.findIndex((t) => isMap(t?.get('default', true)));
  if (withDefault < 0) return out;
  const defaultMap = tops[withDefault]?.get('default', true);
  tops.forEach((root, i) => {
    const file = files[i];
    if (!root || file === undefined) return;
    for (const key of ['image', 'services'] as const) {
      const pair = root.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (!pair || !isScalar(pair.key) || !pair.key.range) continue;
      if (isMap(defaultMap) && defaultMap.has(key)) continue;
      const fixes: Fix[] = [];
      const editor = withFixes && i === withDefault ? YamlEditor.fromSources(sources, file) : undefined;
      if (editor && isMap(defaultMap) && pair.value !== null) {
        const value = (pair.value as Node).toJSON() as EditValue;
        const moved = editor.setKey(defaultMap, key, value);
        const removed = editor.removeKey(root, key);
        if (moved.ok && removed.ok) {
          fixes.push({
            title: '',
            l10nTitle: msg('merge-drops-dind-config.fix-move-to-default', { key }),
            safe: false,
            preferred: true,
            edits: [...removed.edits, ...moved.edits],
          });
        }
      }
      out.push({
        message:
          key === 'services'
            ? msg('merge-drops-dind-config.deprecated-services', { key })
            : msg('merge-drops-dind-config.deprecated-image', { key }),
        file,
        span: { start: pair.key.range[0], end: pair.key.range[1] },
        job: null,
        runner: null,
        fixes,
      });
    }
  });
  return out;
}

// ---- helpers -----------------------------------------------------------------------------------------------------

function push(fixes: Fix[], title: Msg, r: EditResult, preferred: boolean): void {
  const key = JSON.stringify(title);
  if (r.ok && r.edits.length > 0 && !fixes.some((f) => JSON.stringify(f.l10nTitle) === key)) {
    fixes.push({
      title: '',
      l10nTitle: title,
      safe: false,
      preferred: preferred && !fixes.some((f) => f.preferred),
      edits: r.edits,
    });
  }
}

/** `A`, `A and B`, `A and B and C` (localised). */
/**
 * What the job's build container sees now for each dropped variable: unset, a value from another layer, or the
 * image's default (e.g. `DOCKER_TLS_CERTDIR=/certs`, which turns a TLS-off setup into a TLS one).
 */
function nowList(facts: JobFacts, lost: readonly (readonly [string, string])[]): MsgParam {
  return andList(
    lost.map(([name]) => {
      const now = facts.buildVar(name);
      if (now.state === 'unset') return msg('merge-drops-dind-config.now-unset', { name });
      const params = { name, value: now.value };
      return now.layer === 'image-default'
        ? msg('merge-drops-dind-config.now-image-default', params)
        : msg('merge-drops-dind-config.now-value', params);
    }),
  );
}

function spanOf(o: Origin): Span {
  return o.keySpan ?? o.span;
}

/** `default:`, `.template` (extends), or the top-level keyword, and the file when it is not the job's. */
function describe(o: Origin, check: JobCheck): MsgParam {
  const job: EffectiveJob = check.job;
  let what: MsgParam = msg('merge-drops-dind-config.from-template');
  const ext = [...o.via].reverse().find((v) => v.kind === 'extends');
  if (ext?.kind === 'extends') what = `\`${ext.name}\``;
  else if (o.via.some((v) => v.kind === 'default')) what = '`default:`';
  else if (o.via.some((v) => v.kind === 'global')) what = msg('merge-drops-dind-config.from-global');
  else if (o.file !== job.file) what = msg('merge-drops-dind-config.from-include');
  return o.file === job.file
    ? what
    : msg('merge-drops-dind-config.from-in-file', { what, file: relative(o.file, check.pipeline.root) });
}

function relative(file: string, root: string): string {
  const dir = root.slice(0, root.lastIndexOf('/') + 1);
  return file.startsWith(dir) ? file.slice(dir.length) : file;
}
