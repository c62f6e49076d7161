// A17 `dind/docker-host-unresolvable`: DOCKER_HOST names a host no dind service container answers to: an alias
// that is not set, `localhost` on a Docker executor (only Kubernetes pods share the network namespace), an alias
// written with a variable (not expanded, S8), or a Kubernetes alias that is not a valid DNS name.

import { combineEdits, type EditResult } from '../fix/common';
import { msg, type MsgParam } from '../i18n';
import { parseDockerHost } from '../semantics/client';
import { JobFacts } from '../semantics/facts';
import { entryOf, executorClass, tableOrigin, tomlOrigin } from '../semantics/runner';
import type { KnownVar } from '../semantics/variables';
import type { Fix, RelatedLocation } from '../types';
import type { JobCheck, Report, Rule } from './rule';
import {
  addTlsSan,
  editable,
  fixOf,
  knownAliases,
  literalAlias,
  pointAtDocker,
  rewriteVariable,
  setServiceKeys,
  withHost,
} from './service-alias-missing';

/** A lowercase RFC 1123 subdomain, what the Kubernetes executor accepts as a host alias (S7). */
const RFC1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function isIpAddress(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}

const FAILURE_LOOKUP = (h: string) => `\`error during connect: ... lookup ${h} on x.x.x.x:53: no such host\``;

function list(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}

/** The host names services answer to, for messages (`none` localised). */
function available(names: readonly string[]): MsgParam {
  return names.length === 0 ? msg('docker-host-unresolvable.none') : list(names);
}

/** An alias the Kubernetes executor accepts, derived from an invalid one (`alpine_edge` → `alpine-edge`). */
function sanitizeAlias(alias: string): string {
  return alias
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
}

export const dockerHostUnresolvable: Rule = {
  meta: {
    id: 'dind/docker-host-unresolvable',
    catalogue: 'A17',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'DOCKER_HOST must name a host that a dind service container answers to',
    docs: 'https://docs.gitlab.com/ci/services/#accessing-the-services',
    fixSafe: false,
  },

  messages: {
    en: {
      'docker-host-unresolvable.none': 'none',
      'docker-host-unresolvable.loopback':
        'DOCKER_HOST points to `{host}` but no service container has that hostname (available: {available}): on the ' +
        '{executor} executor of runner `{runner}` each service runs in its own container, so `{host}` is the build ' +
        'container itself (only Kubernetes pods share localhost). Job `{job}` fails with `Cannot connect to the Docker ' +
        'daemon at {value}. Is the docker daemon running?`. Use `tcp://docker:<port>`.',
      'docker-host-unresolvable.loopback-runner':
        'Runner `{runner}` runs each service in its own container, but DOCKER_HOST points to a loopback address in ' +
        'jobs {jobs}; that only works on Kubernetes, where pod containers share localhost.',
      'docker-host-unresolvable.loopback-runner-one':
        'Runner `{runner}` runs each service in its own container, but DOCKER_HOST points to a loopback address in ' +
        'job {jobs}; that only works on Kubernetes, where pod containers share localhost.',
      'docker-host-unresolvable.unresolvable':
        'DOCKER_HOST points to `{host}` but no service container has that hostname (available: {available}). Job ' +
        '`{job}` fails with {failure}. Point DOCKER_HOST at `tcp://docker:{port}` or add `alias: {host}` to the dind ' +
        'service.',
      'docker-host-unresolvable.unresolvable-variable-alias':
        'DOCKER_HOST points to `{host}` but no service container has that hostname (available: {available}). Service ' +
        '`{service}` sets `alias: {aliases}`, but variables are not expanded in `alias`. Job `{job}` fails with ' +
        '{failure}. Point DOCKER_HOST at `tcp://docker:{port}` or add `alias: {host}` to the dind service.',
      'docker-host-unresolvable.variable-host':
        'DOCKER_HOST points to `{host}`, and service `{service}` sets `alias: {host}`, but variables are not expanded ' +
        'in `alias`, so no service container has that hostname. Job `{job}` fails with {failure}. Write the alias ' +
        'literally, or point DOCKER_HOST at `tcp://docker:{port}`.',
      'docker-host-unresolvable.k8s-invalid-alias':
        'Service `{service}` has the alias {aliases}, which is not a valid DNS name (lowercase letters, digits, `-` ' +
        'and `.`): the Kubernetes executor of runner `{runner}` fails with `ERROR: Job failed (system failure): ' +
        'prepare environment: setting up build pod: provided host alias {first} for service {service} is invalid ' +
        'DNS`. Rename the alias.',
      'docker-host-unresolvable.fix-point-at-docker': 'Point DOCKER_HOST at `{target}`',
      'docker-host-unresolvable.fix-add-alias': 'Add alias `{host}` to service `{service}`',
      'docker-host-unresolvable.fix-add-alias-san':
        'Add alias `{host}` and DOCKER_TLS_SAN `DNS:{host}` to service `{service}`',
      'docker-host-unresolvable.fix-rename-alias': 'Rename the alias to {aliases}',
    },
    'zh-cn': {
      'docker-host-unresolvable.none': '无',
      'docker-host-unresolvable.loopback':
        'DOCKER_HOST 指向 `{host}`，但没有任何服务容器使用该主机名（可用：{available}）：在 Runner `{runner}` 的 ' +
        '{executor} 执行器上，每个服务都运行在各自的容器中，因此 `{host}` 就是构建容器本身（只有 Kubernetes Pod ' +
        '中的容器共享 localhost）。作业 `{job}` 会失败并报错 `Cannot connect to the Docker daemon at {value}. Is the ' +
        'docker daemon running?`。请使用 `tcp://docker:<port>`。',
      'docker-host-unresolvable.loopback-runner':
        'Runner `{runner}` 将每个服务运行在各自的容器中，但作业 {jobs} 的 DOCKER_HOST 指向回环地址；这只在 ' +
        'Kubernetes 上可行，因为 Pod 中的容器共享 localhost。',
      'docker-host-unresolvable.loopback-runner-one':
        'Runner `{runner}` 将每个服务运行在各自的容器中，但作业 {jobs} 的 DOCKER_HOST 指向回环地址；这只在 ' +
        'Kubernetes 上可行，因为 Pod 中的容器共享 localhost。',
      'docker-host-unresolvable.unresolvable':
        'DOCKER_HOST 指向 `{host}`，但没有任何服务容器使用该主机名（可用：{available}）。作业 `{job}` 会失败并报错 ' +
        '{failure}。请将 DOCKER_HOST 指向 `tcp://docker:{port}`，或为 dind 服务添加 `alias: {host}`。',
      'docker-host-unresolvable.unresolvable-variable-alias':
        'DOCKER_HOST 指向 `{host}`，但没有任何服务容器使用该主机名（可用：{available}）。服务 `{service}` 设置了 ' +
        '`alias: {aliases}`，但 `alias` 中的变量不会被展开。作业 `{job}` 会失败并报错 {failure}。请将 DOCKER_HOST ' +
        '指向 `tcp://docker:{port}`，或为 dind 服务添加 `alias: {host}`。',
      'docker-host-unresolvable.variable-host':
        'DOCKER_HOST 指向 `{host}`，服务 `{service}` 也设置了 `alias: {host}`，但 `alias` 中的变量不会被展开，因此' +
        '没有任何服务容器使用该主机名。作业 `{job}` 会失败并报错 {failure}。请直接写出别名的字面值，或将 ' +
        'DOCKER_HOST 指向 `tcp://docker:{port}`。',
      'docker-host-unresolvable.k8s-invalid-alias':
        '服务 `{service}` 的别名 {aliases} 不是有效的 DNS 名称（只能包含小写字母、数字、`-` 和 `.`）：Runner ' +
        '`{runner}` 的 Kubernetes 执行器会失败并报错 `ERROR: Job failed (system failure): prepare environment: ' +
        'setting up build pod: provided host alias {first} for service {service} is invalid DNS`。请重命名该别名。',
      'docker-host-unresolvable.fix-point-at-docker': '将 DOCKER_HOST 指向 `{target}`',
      'docker-host-unresolvable.fix-add-alias': '为服务 `{service}` 添加别名 `{host}`',
      'docker-host-unresolvable.fix-add-alias-san':
        '为服务 `{service}` 添加别名 `{host}` 和 DOCKER_TLS_SAN `DNS:{host}`',
      'docker-host-unresolvable.fix-rename-alias': '将别名重命名为 {aliases}',
    },
  },

  checkJob(check, report) {
    const runner = check.runner;
    const cls = runner ? executorClass(runner) : null;
    if (cls === 'no-containers') return;
    for (const facts of JobFacts.variants(check.job, runner, check.settings)) {
      if (cls === 'kubernetes') checkKubernetesAliases(check, facts, report);
      const v = facts.dockerHost.variable;
      if (facts.dockerHost.source !== 'variable' || v === null) continue;
      const dind = facts.dindServices;
      if (dind.length === 0 || !editable(check, v.origin.file)) continue;
      if (v.state === 'unknown') {
        checkVariableAlias(check, facts, v, report);
        continue;
      }
      const endpoint = facts.dockerHost.endpoint;
      if (endpoint?.scheme !== 'tcp') continue;
      const host = endpoint.host.toLowerCase();
      if (host === 'docker') continue;
      const target = dind[0];
      if (!target) continue;
      const names = available([...new Set(dind.flatMap((s) => knownAliases(s)?.names ?? []))]);
      const dockerFix = (preferred: boolean): Fix[] =>
        fixOf(
          msg('docker-host-unresolvable.fix-point-at-docker', { target: withHost(v.raw, 'docker') }),
          pointAtDocker(check, v, dind.find((s) => knownAliases(s)?.names.includes('docker')) ?? target),
          false,
          preferred,
        );
      if (isLoopback(host)) {
        if (cls !== 'docker-like' || runner === null) continue;
        const tomlSide = !check.runnerAssumed;
        const executor = entryOf(runner.table, 'executor');
        const tomlOriginOf = executor ? tomlOrigin(runner, executor) : tableOrigin(runner, runner.table);
        const related: RelatedLocation[] = tomlSide
          ? [
              {
                file: tomlOriginOf.file,
                span: tomlOriginOf.span,
                message: `runner \`${runner.label}\` uses the ${runner.executor ?? 'docker'} executor`,
              },
            ]
          : [];
        report({
          file: v.origin.file,
          span: v.origin.span,
          message: msg('docker-host-unresolvable.loopback', {
            host: endpoint.host,
            available: names,
            executor: runner.executor ?? 'docker',
            runner: runner.label,
            job: check.job.name,
            value: v.value,
          }),
          related,
          fixes: () => dockerFix(true),
        });
        if (tomlSide) {
          const affected = check.jobsOnRunner.filter((j) =>
            JobFacts.variants(j, runner, check.settings).some((f) => {
              const e = f.dockerHost.endpoint;
              return f.dockerHost.source === 'variable' && e?.scheme === 'tcp' && isLoopback(e.host.toLowerCase());
            }),
          );
          const names = [...new Set((affected.length > 0 ? affected : [check.job]).map((j) => `\`${j.name}\``))];
          const key =
            names.length === 1
              ? 'docker-host-unresolvable.loopback-runner-one'
              : 'docker-host-unresolvable.loopback-runner';
          report({
            file: tomlOriginOf.file,
            span: tomlOriginOf.span,
            job: null,
            message: msg(key, { runner: runner.label, jobs: names.join(', ') }),
            related: [{ file: v.origin.file, span: v.origin.span, message: 'DOCKER_HOST is set here' }],
          });
        }
        continue;
      }
      if (facts.services.some((s) => knownAliases(s)?.names.some((n) => n.toLowerCase() === host) ?? true)) continue;
      if (dind.some((s) => knownAliases(s) === null) || isIpAddress(host)) continue;
      const varAlias = dind.find((s) =>
        s.aliases.some((a) => !literalAlias(a) && facts.serviceScope(s).expand(a).value.toLowerCase() === host),
      );
      const aliasTarget = varAlias ?? target;
      const related: RelatedLocation[] = [];
      const place = aliasTarget.aliasOrigin ?? aliasTarget.name.origin;
      if (editable(check, place.file))
        related.push({ file: place.file, span: place.span, message: `dind service \`${aliasTarget.name.value}\`` });
      const validName = cls === 'kubernetes' ? RFC1123.test(host) : /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/.test(host);
      const aliasFix = (): Fix[] => {
        if (!validName) return [];
        const alias = [...aliasTarget.aliases.filter(literalAlias), host].join(' ');
        const tls = facts.daemon(aliasTarget).tls === true;
        const edits = tls
          ? addTlsSan(check, facts, aliasTarget, host, { alias })
          : setServiceKeys(check, aliasTarget, { alias });
        return fixOf(
          tls
            ? msg('docker-host-unresolvable.fix-add-alias-san', { host, service: aliasTarget.name.value })
            : msg('docker-host-unresolvable.fix-add-alias', { host, service: aliasTarget.name.value }),
          edits,
          false,
          false,
        );
      };
      const params = {
        host: endpoint.host,
        available: names,
        job: check.job.name,
        failure: FAILURE_LOOKUP(endpoint.host),
        port: endpoint.port,
      };
      report({
        file: v.origin.file,
        span: v.origin.span,
        message: varAlias
          ? msg('docker-host-unresolvable.unresolvable-variable-alias', {
              ...params,
              service: varAlias.name.value,
              aliases: varAlias.aliases.join(' '),
            })
          : msg('docker-host-unresolvable.unresolvable', params),
        related,
        fixes: () => [...dockerFix(true), ...aliasFix()],
      });
    }
  },
};

/** DOCKER_HOST depends on an unknown variable that a dind service also uses as its `alias` (never expanded). */
function checkVariableAlias(check: JobCheck, facts: JobFacts, v: KnownVar, report: Report): void {
  const raw = parseDockerHost(v.raw);
  if (raw.scheme !== 'tcp' || literalAlias(raw.host)) return;
  const s = facts.dindServices.find((d) => d.aliases.includes(raw.host));
  if (!s) return;
  const place = s.aliasOrigin ?? s.name.origin;
  report({
    file: v.origin.file,
    span: v.origin.span,
    message: msg('docker-host-unresolvable.variable-host', {
      host: raw.host,
      service: s.name.value,
      job: check.job.name,
      failure: FAILURE_LOOKUP('<host>'),
      port: raw.port,
    }),
    related: editable(check, place.file)
      ? [{ file: place.file, span: place.span, message: 'alias with a variable' }]
      : [],
    fixes: () =>
      fixOf(
        msg('docker-host-unresolvable.fix-point-at-docker', { target: withHost(v.raw, 'docker') }),
        pointAtDocker(check, v, s),
        false,
        true,
      ),
  });
}

/** On Kubernetes, every explicit alias becomes a pod host alias and must be a lowercase RFC 1123 name. */
function checkKubernetesAliases(check: JobCheck, facts: JobFacts, report: Report): void {
  for (const s of facts.services) {
    const bad = s.aliases.filter((a) => !RFC1123.test(a));
    const place = s.aliasOrigin;
    if (bad.length === 0 || place === null || !editable(check, place.file)) continue;
    const fixed = s.aliases.map((a) => (RFC1123.test(a) ? a : sanitizeAlias(a)));
    const canFix = bad.every((a) => literalAlias(a) && RFC1123.test(sanitizeAlias(a)));
    const dh = facts.dockerHost;
    const endpoint = dh.endpoint;
    const renamed = endpoint?.scheme === 'tcp' ? bad.find((a) => a === endpoint.host) : undefined;
    const variable = dh.variable;
    const edits = (): EditResult[] => [
      setServiceKeys(check, s, { alias: fixed.join(' ') }),
      ...(renamed !== undefined && variable?.state === 'set'
        ? [rewriteVariable(check, variable, withHost(variable.raw, sanitizeAlias(renamed)))]
        : []),
    ];
    report({
      file: place.file,
      span: place.span,
      message: msg('docker-host-unresolvable.k8s-invalid-alias', {
        service: s.name.value,
        aliases: list(bad),
        runner: check.runner?.label ?? '',
        first: bad[0] ?? '',
      }),
      fixes: () =>
        canFix
          ? fixOf(
              msg('docker-host-unresolvable.fix-rename-alias', { aliases: list(fixed) }),
              combineEdits(...edits()),
              false,
              true,
            )
          : [],
    });
  }
}
