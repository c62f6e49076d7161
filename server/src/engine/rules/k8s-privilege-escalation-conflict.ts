// A8 `dind/k8s-privilege-escalation-conflict` — see the rule catalogue (spec section A, A8).

import { TomlEditor } from '../fix/toml-edit';
import { msg } from '../i18n';
import type { TomlEntry, TomlTable } from '../runner/model';
import { boolEntry, executorClass } from '../semantics';
import type { Fix } from '../types';
import type { Rule } from './rule';

/** The container security contexts of the Kubernetes executor, by the container they apply to. */
const CONTEXTS = [
  ['build', 'build_container_security_context'],
  ['service', 'service_container_security_context'],
  ['helper', 'helper_container_security_context'],
] as const;

interface Decided {
  readonly table: TomlTable;
  readonly entry: TomlEntry;
}

/** A boolean key of the container's context, else of `[runners.kubernetes]` (R9: the container value wins). */
function effective(k8s: TomlTable, ctx: TomlTable | undefined, key: string): (Decided & { value: boolean }) | null {
  const own = boolEntry(ctx, key);
  if (own && ctx) return { table: ctx, entry: own.entry, value: own.value };
  const global = boolEntry(k8s, key);
  return global ? { table: k8s, entry: global.entry, value: global.value } : null;
}

export const k8sPrivilegeEscalationConflict: Rule = {
  meta: {
    id: 'dind/k8s-privilege-escalation-conflict',
    catalogue: 'A8',
    defaultSeverity: 'error',
    scope: 'TOML',
    title: 'Kubernetes containers are set privileged with allow_privilege_escalation = false',
    docs: 'https://docs.gitlab.com/runner/executors/kubernetes/#set-a-security-policy-for-the-pod',
    fixSafe: false,
  },

  messages: {
    en: {
      'k8s-privilege-escalation-conflict.message-one':
        'Kubernetes rejects containers with privileged=true and allowPrivilegeEscalation=false: the {containers} ' +
        'container of runner `{runner}` get both, so the pod is refused ' +
        '(`cannot set allowPrivilegeEscalation to false and privileged to true`). ' +
        'Remove `allow_privilege_escalation = false` from the scope that runs dind, ' +
        'or scope `privileged` to the service container only.',
      'k8s-privilege-escalation-conflict.message-many':
        'Kubernetes rejects containers with privileged=true and allowPrivilegeEscalation=false: the {containers} ' +
        'containers of runner `{runner}` get both, so the pod is refused ' +
        '(`cannot set allowPrivilegeEscalation to false and privileged to true`). ' +
        'Remove `allow_privilege_escalation = false` from the scope that runs dind, ' +
        'or scope `privileged` to the service container only.',
      'k8s-privilege-escalation-conflict.fix-remove': 'Remove `allow_privilege_escalation = false` from [{table}]',
    },
    'zh-cn': {
      'k8s-privilege-escalation-conflict.message-one':
        'Kubernetes 会拒绝同时设置 privileged=true 和 allowPrivilegeEscalation=false 的容器：' +
        'Runner `{runner}` 的 {containers} 容器同时具有这两项设置，因此 Pod 被拒绝' +
        '（`cannot set allowPrivilegeEscalation to false and privileged to true`）。' +
        '请从运行 dind 的作用域中删除 `allow_privilege_escalation = false`，或仅对服务容器设置 `privileged`。',
      'k8s-privilege-escalation-conflict.message-many':
        'Kubernetes 会拒绝同时设置 privileged=true 和 allowPrivilegeEscalation=false 的容器：' +
        'Runner `{runner}` 的 {containers} 这些容器同时具有这两项设置，因此 Pod 被拒绝' +
        '（`cannot set allowPrivilegeEscalation to false and privileged to true`）。' +
        '请从运行 dind 的作用域中删除 `allow_privilege_escalation = false`，或仅对服务容器设置 `privileged`。',
      'k8s-privilege-escalation-conflict.fix-remove': '从 [{table}] 中删除 `allow_privilege_escalation = false`',
    },
  },

  checkRunner(check, report) {
    const runner = check.runner;
    const k8s = runner.kubernetes;
    if (!k8s || executorClass(runner) !== 'kubernetes') return;
    const conflicts = new Map<TomlEntry, { table: TomlTable; privileged: TomlEntry; containers: string[] }>();
    for (const [container, key] of CONTEXTS) {
      const ctx = k8s.tables.get(key);
      const privileged = effective(k8s, ctx, 'privileged');
      const escalation = effective(k8s, ctx, 'allow_privilege_escalation');
      if (!privileged?.value || !escalation || escalation.value) continue;
      const c = conflicts.get(escalation.entry);
      if (c) c.containers.push(container);
      else
        conflicts.set(escalation.entry, {
          table: escalation.table,
          privileged: privileged.entry,
          containers: [container],
        });
    }
    for (const [entry, c] of conflicts) {
      const fixes = (): Fix[] => {
        const editor = TomlEditor.fromSources(check.sources, runner.file);
        const r = editor?.removeKey(c.table, 'allow_privilege_escalation');
        return r?.ok
          ? [
              {
                title: '',
                l10nTitle: msg('k8s-privilege-escalation-conflict.fix-remove', { table: c.table.path }),
                safe: false,
                preferred: true,
                edits: r.edits,
              },
            ]
          : [];
      };
      const params = { containers: c.containers.join(', '), runner: runner.label };
      report({
        message:
          c.containers.length > 1
            ? msg('k8s-privilege-escalation-conflict.message-many', params)
            : msg('k8s-privilege-escalation-conflict.message-one', params),
        file: runner.file,
        span: entry.span,
        job: null,
        related: [{ file: runner.file, span: c.privileged.span, message: '`privileged = true`' }],
        fixes,
      });
    }
  },
};
