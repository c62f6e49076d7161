// A31 `dind/docker-driver` — see the rule catalogue (spec section A, A31): `DOCKER_DRIVER` reaches the dind service
// (CI variables, service variables or `[[runners]] environment`) and dockerd reads it as its storage driver. Removed
// drivers stop the daemon from starting (error), `vfs` is very slow and `overlay2` is already the default (info).

import type { Origin } from '../ci/model';
import { combineEdits, edit, edited, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { tomlString } from '../fix/toml-format';
import { YamlEditor } from '../fix/yaml-edit';
import { msg, type Msg } from '../i18n';
import type { Runner } from '../runner/model';
import { JobFacts } from '../semantics/facts';
import { compareVersions, comparableVersion, dockerTag } from '../semantics/images';
import type { Svc } from '../semantics/services';
import type { KnownVar } from '../semantics/variables';
import type { Fix, RelatedLocation, Severity } from '../types';
import type { JobCheck, Rule } from './rule';

const REMOVED = new Set(['overlay', 'aufs', 'devicemapper']);

interface Verdict {
  readonly severity: Severity;
  /** What is wrong with the driver (a key of the rule's catalogue, also used to report each problem once). */
  readonly what: string;
  readonly consequence: Msg;
  /** Whether `overlay2` is a better value (else only removing the variable is offered). */
  readonly setOverlay2: boolean;
}

export const dockerDriver: Rule = {
  meta: {
    id: 'dind/docker-driver',
    catalogue: 'A31',
    defaultSeverity: 'info',
    scope: 'BOTH',
    title: 'DOCKER_DRIVER selects a removed, slow or redundant storage driver for the dind daemon',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#use-the-overlayfs-driver',
    fixSafe: false,
  },

  messages: {
    en: {
      'docker-driver.message':
        'DOCKER_DRIVER={value} {what}: it is set in {where} and reaches the dind service `{service}` of job `{job}`, ' +
        'whose dockerd reads it as its storage driver. {consequence}',
      'docker-driver.where-runner': 'the environment of runner `{runner}`',
      'docker-driver.where-ci': 'the CI variables',
      'docker-driver.removed': 'is removed in Docker 24',
      'docker-driver.removed-consequence':
        'The daemon fails to start (graphdriver initialisation error), and the job then fails with ' +
        '`Cannot connect to the Docker daemon` or `no such host`. Use overlay2, or remove the variable.',
      'docker-driver.slow': 'is very slow',
      'docker-driver.slow-consequence':
        'vfs copies every image layer in full. Use overlay2 unless the host file system cannot.',
      'docker-driver.default': 'is already the default',
      'docker-driver.default-consequence': 'dind 17.09 and newer use overlay2 by default; the variable can go.',
      'docker-driver.fix-set': 'Set DOCKER_DRIVER to overlay2',
      'docker-driver.fix-remove': 'Remove DOCKER_DRIVER',
    },
    'zh-cn': {
      'docker-driver.message':
        'DOCKER_DRIVER={value} {what}：它设置于{where}，并传递到作业 `{job}` 的 dind 服务 `{service}`，' +
        '该服务的 dockerd 会将其用作存储驱动。{consequence}',
      'docker-driver.where-runner': ' Runner `{runner}` 的 environment',
      'docker-driver.where-ci': ' CI 变量',
      'docker-driver.removed': '已在 Docker 24 中移除',
      'docker-driver.removed-consequence':
        '守护进程无法启动（graphdriver 初始化错误），随后作业失败，报错 `Cannot connect to the Docker daemon` 或 ' +
        '`no such host`。请使用 overlay2，或删除该变量。',
      'docker-driver.slow': '非常慢',
      'docker-driver.slow-consequence': 'vfs 会完整复制每个镜像层。除非主机文件系统不支持，否则请使用 overlay2。',
      'docker-driver.default': '已经是默认值',
      'docker-driver.default-consequence': 'dind 17.09 及更新版本默认使用 overlay2；可以删除该变量。',
      'docker-driver.fix-set': '将 DOCKER_DRIVER 设置为 overlay2',
      'docker-driver.fix-remove': '删除 DOCKER_DRIVER',
    },
  },

  checkJob(check, report) {
    const seen = new Set<string>();
    for (const facts of JobFacts.variants(check.job, check.runner, check.settings)) {
      for (const s of facts.dindServices) {
        const v = facts.serviceVar(s, 'DOCKER_DRIVER');
        if (v.state !== 'set') continue;
        const verdict = judge(v.value.trim().toLowerCase(), s);
        if (!verdict) continue;
        const fromRunner = v.layer === 'runner' || v.layer === 'runner-service';
        if (fromRunner && (check.runnerAssumed || !check.runner)) continue;
        const key = `${v.origin.file}:${v.origin.span.start}:${verdict.what}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const where = fromRunner
          ? msg('docker-driver.where-runner', { runner: check.runner?.label ?? '' })
          : msg('docker-driver.where-ci');
        const service: RelatedLocation = {
          file: s.name.origin.file,
          span: s.name.origin.span,
          message: `dind service of job ${check.job.name}`,
        };
        report({
          message: msg('docker-driver.message', {
            value: v.value,
            what: msg(verdict.what),
            where,
            service: s.name.value,
            job: check.job.name,
            consequence: verdict.consequence,
          }),
          file: v.origin.file,
          span: v.origin.span,
          severity: verdict.severity,
          related: [service],
          fixes: () => fixes(check, v, verdict, fromRunner ? check.runner : null),
        });
      }
    }
  },
};

/** The dind release of a service as a comparable version; in-house images (no `docker` tag) count as the newest. */
function dindRelease(s: Svc): ReturnType<typeof comparableVersion> | null {
  if ((s.ref.tag ?? '').includes('$')) return null;
  const tag = dockerTag(s.ref);
  return tag ? comparableVersion(tag.version) : null;
}

function judge(driver: string, s: Svc): Verdict | null {
  const release = dindRelease(s);
  const atLeast = (major: number, minor: number) =>
    release === null ? !(s.ref.tag ?? '').includes('$') : compareVersions(release, { major, minor }) >= 0;
  if (REMOVED.has(driver)) {
    if (!atLeast(24, 0)) return null;
    return {
      severity: 'error',
      what: 'docker-driver.removed',
      consequence: msg('docker-driver.removed-consequence'),
      setOverlay2: true,
    };
  }
  if (driver === 'vfs') {
    return {
      severity: 'info',
      what: 'docker-driver.slow',
      consequence: msg('docker-driver.slow-consequence'),
      setOverlay2: true,
    };
  }
  if (driver === 'overlay2' && atLeast(17, 9)) {
    return {
      severity: 'info',
      what: 'docker-driver.default',
      consequence: msg('docker-driver.default-consequence'),
      setOverlay2: false,
    };
  }
  return null;
}

function fixes(check: JobCheck, v: KnownVar, verdict: Verdict, runner: Runner | null): Fix[] {
  const out: Fix[] = [];
  const set = verdict.setOverlay2 ? setOverlay2(check, v.origin, runner) : null;
  const remove = removeVariable(check, v.origin, runner);
  if (set && set.ok) {
    const r = combineEdits(set);
    if (r.ok && r.edits.length > 0)
      out.push({ title: '', l10nTitle: msg('docker-driver.fix-set'), safe: false, preferred: true, edits: r.edits });
  }
  if (remove && remove.ok && remove.edits.length > 0) {
    out.push({
      title: '',
      l10nTitle: msg('docker-driver.fix-remove'),
      safe: false,
      preferred: out.length === 0,
      edits: remove.edits,
    });
  }
  return out;
}

/** The `environment` entry and item index a runner-environment origin designates. */
function environmentItem(runner: Runner, origin: Origin) {
  const tables = [runner.table, ...runner.services.map((s) => s.table)];
  for (const table of tables) {
    const entry = table.entries.get('environment');
    const index = entry?.itemSpans.findIndex((sp) => sp.start === origin.span.start && sp.end === origin.span.end);
    if (entry && index !== undefined && index >= 0) return { table, entry, index };
  }
  return null;
}

function setOverlay2(check: JobCheck, origin: Origin, runner: Runner | null): EditResult | null {
  if (runner) {
    const item = environmentItem(runner, origin);
    const editor = TomlEditor.fromSources(check.sources, origin.file);
    if (!item || !editor) return null;
    const span = item.entry.itemSpans[item.index] ?? origin.span;
    const style = editor.text[span.start] === "'" ? 'literal' : 'basic';
    return edited([edit(origin.file, span, tomlString('DOCKER_DRIVER=overlay2', style))]);
  }
  const editor = YamlEditor.fromSources(check.sources, origin.file);
  const node = editor?.locate(origin.span);
  return editor && node ? editor.replaceScalar(node.node, 'overlay2') : null;
}

function removeVariable(check: JobCheck, origin: Origin, runner: Runner | null): EditResult | null {
  if (runner) {
    const item = environmentItem(runner, origin);
    const editor = TomlEditor.fromSources(check.sources, origin.file);
    return item && editor ? editor.removeArrayItem(item.table, 'environment', item.index) : null;
  }
  const editor = YamlEditor.fromSources(check.sources, origin.file);
  return editor ? editor.removeAt(origin.keySpan ?? origin.span) : null;
}
