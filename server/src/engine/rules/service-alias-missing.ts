// A16 `dind/service-alias-missing`: the client talks to `docker` (DOCKER_HOST, or the client entrypoint's default)
// but the dind service's name has a registry or path prefix, so the runner derives no `docker` alias for it.

import { isMap } from 'yaml';

import { combineEdits, edit, edited, failed, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { tomlString } from '../fix/toml-format';
import { YamlEditor } from '../fix/yaml-edit';
import type { EditValue } from '../fix/yaml-format';
import { msg, type Msg } from '../i18n';
import { JobFacts } from '../semantics/facts';
import { executorClass } from '../semantics/runner';
import type { Svc } from '../semantics/services';
import type { KnownVar } from '../semantics/variables';
import type { Fix, Span } from '../types';
import type { JobCheck, Rule, RuleEnv } from './rule';

/** True when the alias is a usable host name (variables are not expanded in `alias`, S8). */
export function literalAlias(alias: string): boolean {
  return !alias.includes('$');
}

/**
 * The host names a service answers to, or null when they depend on variables we cannot see. A name whose path has
 * a prefix before the last segment (`$PREFIX/docker:dind`) can never derive a bare `docker`, so its aliases are
 * the explicit ones plus a derived name that is certainly not `docker` (shown as written).
 */
export function knownAliases(s: Svc): { names: string[]; derivedShown: string[] } | null {
  const explicit = s.aliases.filter(literalAlias);
  if (!s.ref.unresolved)
    return { names: [...new Set([...explicit, ...s.derivedAliases])], derivedShown: [...s.derivedAliases] };
  const prefixed = s.ref.registry !== null || s.ref.path.includes('/');
  if (!prefixed) return null;
  const base = `${s.ref.registry === null ? '' : `${s.ref.registry}/`}${s.ref.path}`;
  return { names: explicit, derivedShown: [...new Set([base.replaceAll('/', '__'), base.replaceAll('/', '-')])] };
}

/** Sets keys of a service where it is defined: the YAML sequence item, or the `[[runners.*.services]]` table. */
export function setServiceKeys(env: RuleEnv, s: Svc, values: Readonly<Record<string, string>>): EditResult {
  if (s.source === 'runner') {
    const editor = TomlEditor.fromSources(env.sources, s.origin.file);
    return editor && s.runnerService ? editor.setKeys(s.runnerService.table, values) : failed('no runner table');
  }
  const editor = YamlEditor.fromSources(env.sources, s.origin.file);
  return editor ? editor.setItemKeysAt(s.origin.span, values) : failed('file not parsed');
}

/**
 * Adds `DNS:{host}` to the service's DOCKER_TLS_SAN (A18): `variables: {DOCKER_TLS_SAN: ...}` on a job service, an
 * `environment` item on a runner service. An existing value (from any layer) is kept and extended.
 */
export function addTlsSan(
  env: RuleEnv,
  facts: JobFacts,
  s: Svc,
  host: string,
  extra: Readonly<Record<string, string>> = {},
): EditResult {
  const current = facts.serviceVar(s, 'DOCKER_TLS_SAN');
  if (current.state === 'unknown') return failed('DOCKER_TLS_SAN depends on unknown variables');
  const value = current.state === 'set' && current.value.trim() !== '' ? `${current.raw},DNS:${host}` : `DNS:${host}`;
  if (s.source === 'runner') {
    const editor = TomlEditor.fromSources(env.sources, s.origin.file);
    const rs = s.runnerService;
    if (!editor || !rs) return failed('no runner table');
    if (rs.environment.has('DOCKER_TLS_SAN')) return failed('runner service sets DOCKER_TLS_SAN');
    const item = `DOCKER_TLS_SAN=${value}`;
    if (!rs.table.entries.has('environment')) return editor.setKeys(rs.table, { ...extra, environment: [item] });
    return combineEdits(editor.setKeys(rs.table, extra), editor.appendToArray(rs.table, 'environment', item));
  }
  const editor = YamlEditor.fromSources(env.sources, s.origin.file);
  const values: Record<string, EditValue> = { ...extra, variables: { DOCKER_TLS_SAN: value } };
  return editor ? editor.setItemKeysAt(s.origin.span, values) : failed('file not parsed');
}

/** `raw` (a DOCKER_HOST value as written) with its host part replaced by `host`. */
export function withHost(raw: string, host: string): string {
  return raw.replace(/^(\s*[a-z]+:\/\/)(\[[^\]]*\]|[^:/]*)/i, `$1${host}`);
}

/** Rewrites a variable's value where it is defined: a YAML scalar (or `value:` of a described variable) or a TOML `environment` item. */
export function rewriteVariable(env: RuleEnv, v: KnownVar, value: string): EditResult {
  const file = v.origin.file;
  if (v.layer === 'runner' || v.layer === 'runner-service') {
    const text = env.sources.file(file)?.text;
    if (text === undefined) return failed('file not read');
    const style = text.startsWith("'", v.origin.span.start) ? 'literal' : 'basic';
    return edited([edit(file, v.origin.span, tomlString(`${v.name}=${value}`, style))]);
  }
  const editor = YamlEditor.fromSources(env.sources, file);
  const located = editor?.locate(v.origin.span);
  if (!editor || !located) return failed('variable not found');
  return isMap(located.node) ? editor.setKeys(located.node, { value }) : editor.replaceScalar(located.node, value);
}

/** Points DOCKER_HOST at `docker` (keeping scheme and port), adding `alias: docker` to `s` when it lacks it. */
export function pointAtDocker(env: RuleEnv, v: KnownVar, s: Svc): EditResult {
  const rewrite = rewriteVariable(env, v, withHost(v.raw, 'docker'));
  const names = knownAliases(s)?.names ?? [];
  if (names.includes('docker')) return rewrite;
  const alias = [...s.aliases.filter(literalAlias), 'docker'].join(' ');
  return combineEdits(rewrite, setServiceKeys(env, s, { alias }));
}

/** A fix from an edit result, or nothing when the edit cannot be made. The analysis renders the English title. */
export function fixOf(title: Msg, result: EditResult, safe: boolean, preferred?: boolean): Fix[] {
  if (!result.ok || result.edits.length === 0) return [];
  return [
    { title: '', l10nTitle: title, safe, ...(preferred === undefined ? {} : { preferred }), edits: result.edits },
  ];
}

/** An origin's range without trailing white space (block collections end after their last line break). */
export function tightSpan(env: RuleEnv, origin: { readonly file: string; readonly span: Span }): Span {
  const text = env.sources.file(origin.file)?.text ?? '';
  let end = Math.min(origin.span.end, text.length);
  while (end > origin.span.start && /\s/.test(text[end - 1] ?? '')) end--;
  return end > origin.span.start ? { start: origin.span.start, end } : origin.span;
}

/** True when findings and fixes may point at this file (never the assumed runner's virtual config). */
export function editable(check: Pick<JobCheck, 'runner' | 'runnerAssumed'>, file: string): boolean {
  return !(check.runnerAssumed && check.runner !== null && file === check.runner.file);
}

function quoted(list: readonly string[]): string {
  return list.map((a) => `\`${a}\``).join(', ');
}

export const serviceAliasMissing: Rule = {
  meta: {
    id: 'dind/service-alias-missing',
    catalogue: 'A16',
    defaultSeverity: 'error',
    scope: 'CI',
    title: 'A dind service with a registry or path prefix needs `alias: docker` when the client connects to `docker`',
    docs: 'https://docs.gitlab.com/ci/docker/docker_build_troubleshooting/#docker-no-such-host-error',
    fixSafe: true,
  },

  messages: {
    en: {
      'service-alias-missing.message':
        'Service `{service}` is reachable as {reachable}, not `docker`; add `alias: docker`. Job `{job}` connects to ' +
        '`docker` ({how}), so it fails with `error during connect: ... dial tcp: lookup docker on x.x.x.x:53: no such host`.',
      'service-alias-missing.how-variable': 'DOCKER_HOST is `{value}`',
      'service-alias-missing.how-entrypoint': 'the docker client entrypoint connects to `{value}` by default',
      'service-alias-missing.fix-add-alias': 'Add `alias: docker` to service `{service}`',
    },
    'zh-cn': {
      'service-alias-missing.message':
        '服务 `{service}` 只能通过 {reachable} 访问，而不是 `docker`；请添加 `alias: docker`。作业 `{job}` 连接的是 ' +
        '`docker`（{how}），因此会失败并报错 `error during connect: ... dial tcp: lookup docker on x.x.x.x:53: no such host`。',
      'service-alias-missing.how-variable': 'DOCKER_HOST 为 `{value}`',
      'service-alias-missing.how-entrypoint': 'docker 客户端入口脚本默认连接 `{value}`',
      'service-alias-missing.fix-add-alias': '为服务 `{service}` 添加 `alias: docker`',
    },
  },

  checkJob(check, report) {
    if (check.runner && executorClass(check.runner) === 'no-containers') return;
    for (const facts of JobFacts.variants(check.job, check.runner, check.settings)) {
      const endpoint = facts.dockerHost.endpoint;
      if (endpoint?.scheme !== 'tcp' || endpoint.host !== 'docker') continue;
      const dind = facts.dindServices;
      const lists = dind.map((s) => knownAliases(s));
      if (lists.some((l) => l === null || l.names.includes('docker'))) continue;
      const value = facts.dockerHost.value ?? '';
      const how =
        facts.dockerHost.source === 'variable'
          ? msg('service-alias-missing.how-variable', { value })
          : msg('service-alias-missing.how-entrypoint', { value });
      dind.forEach((s, i) => {
        if (!editable(check, s.name.origin.file)) return;
        const derived = lists[i]?.derivedShown ?? [];
        const reachable = [...s.aliases.filter(literalAlias), ...derived];
        const aliases = [...s.aliases.filter(literalAlias), 'docker'];
        report({
          file: s.name.origin.file,
          span: s.name.origin.span,
          message: msg('service-alias-missing.message', {
            service: s.name.value,
            reachable: quoted(reachable),
            job: check.job.name,
            how,
          }),
          fixes: () =>
            fixOf(
              msg('service-alias-missing.fix-add-alias', { service: s.name.value }),
              setServiceKeys(check, s, { alias: aliases.join(' ') }),
              true,
              true,
            ),
        });
      });
    }
  },
};
