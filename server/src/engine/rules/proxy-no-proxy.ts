// A25 `dind/proxy-no-proxy`: with HTTP(S)_PROXY set, the Docker client sends daemon API calls to the proxy unless
// NO_PROXY lists the daemon with its port (`docker:2375,docker:2376`, or the DOCKER_HOST host:port) (R6).

import type { EffectiveJob } from '../ci/model';
import { edit, edited, failed, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { tomlString } from '../fix/toml-format';
import { YamlEditor } from '../fix/yaml-edit';
import { msg, type Msg } from '../i18n';
import type { Runner } from '../runner/model';
import { JobFacts, type KnownVar } from '../semantics';
import type { Settings } from '../settings';
import { FindingSet, type Place } from './no-daemon-for-docker-commands';
import { fixFromResult, reportForRunner } from './mtu-mismatch';
import type { Rule, RuleEnv } from './rule';

const PROXIES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];
const DAEMON = ['docker:2375', 'docker:2376'];

interface ProxyProblem {
  readonly proxy: KnownVar;
  /** NO_PROXY / no_proxy when some file sets it. */
  readonly noProxy: KnownVar | null;
  /** Entries the fix adds. */
  readonly missing: string[];
  /** NO_PROXY when set, else the proxy variable. */
  readonly place: Place;
}

function proxyProblems(job: EffectiveJob, runner: Runner | null, settings: Settings): ProxyProblem[] {
  return JobFacts.memo('proxy-no-proxy', job, runner, settings, () => problemsOf(job, runner, settings), 'moved');
}

function problemsOf(job: EffectiveJob, runner: Runner | null, settings: Settings): ProxyProblem[] {
  const out: ProxyProblem[] = [];
  for (const facts of JobFacts.variants(job, runner, settings)) {
    if (facts.dindServices.length === 0) continue;
    const proxy = PROXIES.map((n) => facts.buildVar(n)).find(
      (v): v is KnownVar => v.state === 'unknown' || (v.state === 'set' && v.value.trim() !== ''),
    );
    if (!proxy) continue;
    const endpoint = facts.dockerHost.endpoint;
    if (endpoint && endpoint.scheme !== 'tcp') continue;
    const hostPort = endpoint?.scheme === 'tcp' ? `${endpoint.host}:${endpoint.port}` : null;
    const upper = facts.buildVar('NO_PROXY');
    const lookup = upper.state !== 'unset' ? upper : facts.buildVar('no_proxy');
    const noProxy = lookup.state === 'unset' ? null : lookup;
    const entries = (noProxy?.value ?? '').split(',').map((e) => e.trim().toLowerCase());
    if (entries.includes('*')) continue;
    if (DAEMON.every((d) => entries.includes(d)) || (hostPort !== null && entries.includes(hostPort))) continue;
    if (noProxy?.state === 'unknown') continue;
    const wanted = [...DAEMON, ...(hostPort && !DAEMON.includes(hostPort) ? [hostPort] : [])];
    const missing = wanted.filter((w) => !entries.includes(w));
    const origin = (noProxy ?? proxy).origin;
    out.push({ proxy, noProxy, missing, place: { file: origin.file, span: origin.span } });
  }
  return out;
}

/** Prepends the missing entries to NO_PROXY where it is defined, or adds NO_PROXY next to the proxy variable. */
function noProxyFix(env: RuleEnv, runner: Runner | null, p: ProxyProblem): EditResult {
  const add = p.missing.join(',');
  const target = p.noProxy ?? p.proxy;
  const file = target.origin.file;
  const inRunner = runner !== null && file === runner.file;
  if (p.noProxy) {
    const value = p.noProxy.raw.trim() === '' ? add : `${add},${p.noProxy.raw}`;
    if (inRunner) {
      const f = env.sources.file(file);
      if (!f) return failed('file not read');
      const literal = f.text.startsWith("'", target.origin.span.start);
      return edited([
        edit(file, target.origin.span, tomlString(`${p.noProxy.name}=${value}`, literal ? 'literal' : 'basic')),
      ]);
    }
    const editor = YamlEditor.fromSources(env.sources, file);
    const node = editor?.locate(target.origin.span)?.node;
    return editor && node ? editor.replaceScalar(node, value) : failed('variable not found');
  }
  if (inRunner && runner) {
    const editor = TomlEditor.fromSources(env.sources, file);
    return editor ? editor.appendToArray(runner.table, 'environment', `NO_PROXY=${add}`) : failed('file not read');
  }
  const editor = YamlEditor.fromSources(env.sources, file);
  const located = editor?.locate(target.origin.span);
  if (!editor || !located?.parent) return failed('variable not found');
  return editor.setKeys(located.parent, { NO_PROXY: add });
}

/** The finding's message; `where` says where the proxy variable is set (a job, or a runner's environment). */
function message(p: ProxyProblem, where: Msg): Msg {
  const params = { proxy: p.proxy.name, where, add: p.missing.join(',') };
  return p.noProxy
    ? msg('proxy-no-proxy.lacks', {
        ...params,
        name: p.noProxy.name,
        value: p.noProxy.raw,
        missing: p.missing.join(', '),
      })
    : msg('proxy-no-proxy.unset', params);
}

function fixTitle(p: ProxyProblem): Msg {
  return msg('proxy-no-proxy.fix', { add: p.missing.join(',') });
}

export const proxyNoProxy: Rule = {
  meta: {
    id: 'dind/proxy-no-proxy',
    catalogue: 'A25',
    defaultSeverity: 'warning',
    scope: 'BOTH',
    title: 'With HTTP(S)_PROXY set, NO_PROXY must list the dind daemon (`docker:2375,docker:2376`)',
    docs: 'https://docs.gitlab.com/runner/configuration/proxy/#proxy-settings-when-using-dind-service',
    fixSafe: true,
  },

  messages: {
    en: {
      'proxy-no-proxy.where-job': 'for job `{job}`',
      'proxy-no-proxy.where-runner': "in runner `{runner}`'s environment",
      'proxy-no-proxy.where-runner-jobs': "in runner `{runner}`'s environment (dind jobs {jobs})",
      'proxy-no-proxy.unset':
        '{proxy} is set {where} and NO_PROXY is not set: the Docker client will send daemon API calls to the proxy, ' +
        'so `docker` commands and `docker push` fail. Add `{add}` to NO_PROXY (ports are required), unless it is ' +
        "set in the project's CI/CD settings.",
      'proxy-no-proxy.lacks':
        '{proxy} is set {where} and {name} (`{value}`) lacks {missing}: the Docker client will send daemon API ' +
        'calls to the proxy, so `docker` commands and `docker push` fail. Add `{add}` to NO_PROXY (ports are ' +
        "required), unless it is set in the project's CI/CD settings.",
      'proxy-no-proxy.fix': 'Add `{add}` to NO_PROXY',
    },
    'zh-cn': {
      'proxy-no-proxy.where-job': '为作业 `{job}`',
      'proxy-no-proxy.where-runner': '在 Runner `{runner}` 的 environment 中',
      'proxy-no-proxy.where-runner-jobs': '在 Runner `{runner}` 的 environment 中（dind 作业 {jobs}）',
      'proxy-no-proxy.unset':
        '{where}设置了 {proxy}，但未设置 NO_PROXY：Docker 客户端会把守护进程 API 请求发往代理，导致 `docker` 命令' +
        '和 `docker push` 失败。请将 `{add}` 添加到 NO_PROXY（必须带端口），除非已在项目的 CI/CD 设置中设置。',
      'proxy-no-proxy.lacks':
        '{where}设置了 {proxy}，但 {name}（`{value}`）缺少 {missing}：Docker 客户端会把守护进程 API 请求发往代理，' +
        '导致 `docker` 命令和 `docker push` 失败。请将 `{add}` 添加到 NO_PROXY（必须带端口），除非已在项目的 CI/CD ' +
        '设置中设置。',
      'proxy-no-proxy.fix': '将 `{add}` 添加到 NO_PROXY',
    },
  },

  checkJob(check, report) {
    const runner = check.runnerAssumed ? null : check.runner;
    const set = new FindingSet();
    for (const p of proxyProblems(check.job, runner, check.settings)) {
      if (runner && p.place.file === runner.file) continue;
      const proxyInRunner = runner !== null && p.proxy.origin.file === runner.file;
      set.add({
        file: p.place.file,
        span: p.place.span,
        message: message(
          p,
          proxyInRunner
            ? msg('proxy-no-proxy.where-runner', { runner: runner.label })
            : msg('proxy-no-proxy.where-job', { job: check.job.name }),
        ),
        related: proxyInRunner ? [{ file: p.proxy.origin.file, span: p.proxy.origin.span, message: p.proxy.name }] : [],
        fixes: () => fixFromResult(fixTitle(p), noProxyFix(check, runner, p), true, true),
      });
    }
    set.flush(report);
  },

  checkRunner(check, report) {
    const runner = check.runner;
    const byPlace = new Map<string, { p: ProxyProblem; hits: { job: EffectiveJob; place: Place }[] }>();
    for (const job of check.jobs) {
      for (const p of proxyProblems(job, runner, check.settings)) {
        if (p.place.file !== runner.file) continue;
        const key = `${p.place.span.start}\0${p.missing.join(',')}`;
        let group = byPlace.get(key);
        if (!group) byPlace.set(key, (group = { p, hits: [] }));
        const ci = job.services[0]?.origin;
        group.hits.push({ job, place: ci ? { file: ci.file, span: ci.span } : { file: job.file, span: job.nameSpan } });
      }
    }
    for (const { p, hits } of byPlace.values()) {
      const sink: Parameters<typeof reportForRunner>[0] = (f) =>
        report({
          ...f,
          fixes: () => fixFromResult(fixTitle(p), noProxyFix(check, runner, p), true, true),
        });
      reportForRunner(sink, p.place, hits, (jobs) =>
        message(p, msg('proxy-no-proxy.where-runner-jobs', { runner: runner.label, jobs })),
      );
    }
  },
};
