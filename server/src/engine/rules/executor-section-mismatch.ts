// A4 `dind/executor-section-mismatch` — see the rule catalogue (spec section A, A4).

import { combineEdits, edit, edited, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { msg } from '../i18n';
import type { Runner, TomlData, TomlTable } from '../runner/model';
import { lookupRunnerTable } from '../runner/schema';
import { suggestKey } from '../runner/validate';
import { executorClass } from '../semantics';
import type { SourceStore } from '../sources';
import type { Fix } from '../types';
import type { Report, Rule } from './rule';

/** Keys whose misspelling silently breaks a DinD setup (the runner ignores unknown keys or rejects the file). */
const DIND_KEYS = new Set([
  'privileged',
  'services_privileged',
  'allowed_privileged_services',
  'allowed_privileged_images',
  'allowed_services',
  'allowed_images',
  'allowed_pull_policies',
  'pull_policy',
  'volumes',
  'services',
  'services_limit',
  'runtime',
  'runtime_class_name',
  'allow_privilege_escalation',
  'network_mode',
  'wait_for_services_timeout',
  'disable_entrypoint_overwrite',
]);

type Section = 'docker' | 'kubernetes';

/** Moves a scalar `key = value` from one executor section to the other (creating the target section if needed). */
function moveKeyFix(
  sources: SourceStore,
  runner: Runner,
  from: TomlTable,
  key: string,
  target: readonly string[],
  targetKey: string,
  value: TomlData,
): Fix | undefined {
  const editor = TomlEditor.fromSources(sources, runner.file);
  if (!editor || (typeof value !== 'boolean' && typeof value !== 'string' && typeof value !== 'number'))
    return undefined;
  const r = combineEdits(editor.removeKey(from, key), editor.setInTable(runner.table, target, { [targetKey]: value }));
  if (!r.ok) return undefined;
  return {
    title: '',
    l10nTitle: msg('executor-section-mismatch.fix-move-key', { key, target: target.join('.') }),
    safe: false,
    preferred: true,
    edits: r.edits,
  };
}

/** Renames `[[runners.docker.services]]` headers to `[[runners.kubernetes.services]]` (or back). */
function renameServicesFix(
  sources: SourceStore,
  runner: Runner,
  tables: readonly TomlTable[],
  from: Section,
  to: Section,
): Fix | undefined {
  const text = sources.file(runner.file)?.text;
  if (text === undefined) return undefined;
  const results: EditResult[] = [];
  for (const t of tables) {
    if (!t.headerSpan) return undefined;
    const header = text.slice(t.headerSpan.start, t.headerSpan.end);
    const m = new RegExp(`(runners\\s*\\.\\s*)${from}(\\s*\\.\\s*services)`).exec(header);
    if (!m) return undefined;
    const at = t.headerSpan.start + m.index + (m[1] ?? '').length;
    results.push(edited([edit(runner.file, { start: at, end: at + from.length }, to)]));
  }
  const r = combineEdits(...results);
  if (!r.ok) return undefined;
  return {
    title: '',
    l10nTitle: msg('executor-section-mismatch.fix-move-services', { to }),
    safe: false,
    preferred: true,
    edits: r.edits,
  };
}

function checkMisplaced(sources: SourceStore, runner: Runner, executor: string, report: Report): void {
  const cls = executorClass(runner);
  const own: Section | null =
    cls === 'kubernetes' ? 'kubernetes' : cls === 'docker-like' || cls === 'docker-windows' ? 'docker' : null;
  if (own === null) return;
  const other: Section = own === 'docker' ? 'kubernetes' : 'docker';
  const wrong = other === 'docker' ? runner.docker : runner.kubernetes;
  const right = own === 'docker' ? runner.docker : runner.kubernetes;
  if (!wrong) return;

  for (const key of ['privileged', 'services_privileged']) {
    const entry = wrong.entries.get(key);
    if (!entry) continue;
    const k8sTarget =
      key === 'services_privileged' ? ['kubernetes', 'service_container_security_context'] : ['kubernetes'];
    const target = own === 'kubernetes' ? k8sTarget : ['docker'];
    const targetKey = own === 'kubernetes' ? 'privileged' : key;
    let targetTable: TomlTable | null | undefined = runner.table;
    for (const part of target) targetTable = targetTable?.tables.get(part);
    if (targetTable?.entries.has(targetKey)) continue;
    report({
      message: msg('executor-section-mismatch.misplaced-privileged', {
        other,
        key,
        executor,
        where: `[runners.${target.join('.')}] ${targetKey}`,
        value: JSON.stringify(entry.value),
      }),
      file: runner.file,
      span: entry.span,
      fixes: () =>
        [moveKeyFix(sources, runner, wrong, key, target, targetKey, entry.value)].filter((f) => f !== undefined),
    });
  }

  const volumes = wrong.entries.get('volumes') ?? null;
  const wrongK8sVolumes = other === 'kubernetes' ? wrong.tables.get('volumes') : undefined;
  const rightHasVolumes = own === 'docker' ? right?.entries.has('volumes') : right?.tables.has('volumes');
  if (!rightHasVolumes) {
    const span = volumes?.span ?? wrongK8sVolumes?.headerSpan ?? firstHeader(wrongK8sVolumes);
    if (span && (volumes || wrongK8sVolumes)) {
      const hint =
        own === 'kubernetes'
          ? msg('executor-section-mismatch.hint-kubernetes-volumes')
          : msg('executor-section-mismatch.hint-docker-volumes');
      report({
        message: msg('executor-section-mismatch.misplaced-volumes', { other, executor, hint }),
        file: runner.file,
        span,
      });
    }
  }

  const services = wrong.tableArrays.get('services') ?? [];
  const rightServices = right?.tableArrays.get('services') ?? [];
  const first = services[0];
  if (first && rightServices.length === 0) {
    report({
      message: msg('executor-section-mismatch.misplaced-services', { other, executor, own }),
      file: runner.file,
      span: first.headerSpan ?? runner.table.headerSpan ?? { start: 0, end: 0 },
      fixes: () => {
        const fix = renameServicesFix(sources, runner, services, other, own);
        return fix ? [fix] : [];
      },
    });
  }
}

function firstHeader(table: TomlTable | undefined): { start: number; end: number } | undefined {
  if (!table) return undefined;
  for (const list of table.tableArrays.values()) for (const t of list) if (t.headerSpan) return t.headerSpan;
  return undefined;
}

/** A known key with the same words in another order (`privileged_services` → `services_privileged`). */
function reorderedKey(key: string, known: Iterable<string>): string | undefined {
  const words = key.split('_').sort().join('_');
  for (const k of known) if (k !== key && k.split('_').sort().join('_') === words) return k;
  return undefined;
}

/** Keys of the executor sections (and Kubernetes security contexts) that are not GitLab Runner keys: typos. */
function checkTypos(sources: SourceStore, runner: Runner, report: Report): void {
  const tables: TomlTable[] = [];
  if (runner.docker) tables.push(runner.docker);
  if (runner.kubernetes) {
    tables.push(runner.kubernetes);
    for (const [name, t] of runner.kubernetes.tables) if (name.endsWith('security_context')) tables.push(t);
  }
  for (const table of tables) {
    const schema = lookupRunnerTable(table.path);
    if (!schema) continue;
    for (const entry of table.entries.values()) {
      if (schema.keys.has(entry.key)) continue;
      const suggestion = suggestKey(entry.key, schema.keys.keys()) ?? reorderedKey(entry.key, schema.keys.keys());
      if (!suggestion || !DIND_KEYS.has(suggestion)) continue;
      const fixes = (): Fix[] => {
        const text = sources.file(runner.file)?.text;
        return text !== undefined && text.slice(entry.keySpan.start, entry.keySpan.end) === entry.key
          ? [
              {
                title: '',
                l10nTitle: msg('executor-section-mismatch.fix-rename', { suggestion }),
                safe: false,
                preferred: true,
                edits: [edit(runner.file, entry.keySpan, suggestion)],
              },
            ]
          : [];
      };
      report({
        message: msg('executor-section-mismatch.typo', { table: table.path, key: entry.key, suggestion }),
        file: runner.file,
        span: entry.keySpan,
        fixes,
      });
    }
  }
}

export const executorSectionMismatch: Rule = {
  meta: {
    id: 'dind/executor-section-mismatch',
    catalogue: 'A4',
    defaultSeverity: 'error',
    scope: 'TOML',
    title: "DinD settings are in the config.toml section the runner's executor ignores, or misspelt",
    docs: 'https://docs.gitlab.com/runner/configuration/advanced-configuration/#the-executors',
    fixSafe: false,
  },

  messages: {
    en: {
      'executor-section-mismatch.misplaced-privileged':
        '`[runners.{other}] {key}` has no effect for `executor = "{executor}"`; set `{where} = {value}`. ' +
        'Without it the dind service runs unprivileged and fails (`mount: permission denied (are you root?)`).',
      'executor-section-mismatch.misplaced-volumes':
        'Volumes under `[runners.{other}]` have no effect for `executor = "{executor}"`; {hint}. ' +
        'Without them the TLS certificates (`/certs/client`) or the Docker socket are not shared with the job.',
      'executor-section-mismatch.hint-kubernetes-volumes':
        'declare them as `[[runners.kubernetes.volumes.empty_dir]]` / `host_path` tables with a `mount_path`',
      'executor-section-mismatch.hint-docker-volumes': 'declare them in `[runners.docker] volumes`',
      'executor-section-mismatch.misplaced-services':
        '`[[runners.{other}.services]]` have no effect for `executor = "{executor}"`; ' +
        'declare them as `[[runners.{own}.services]]`.',
      'executor-section-mismatch.typo':
        '`[{table}] {key}` is not a GitLab Runner setting (did you mean `{suggestion}`?); ' +
        'the runner ignores it or rejects the config, so the DinD setup it was meant for does not apply.',
      'executor-section-mismatch.fix-move-key': 'Move `{key}` to `[runners.{target}]`',
      'executor-section-mismatch.fix-move-services': 'Move the services to `[[runners.{to}.services]]`',
      'executor-section-mismatch.fix-rename': 'Rename to `{suggestion}`',
    },
    'zh-cn': {
      'executor-section-mismatch.misplaced-privileged':
        '对于 `executor = "{executor}"`，`[runners.{other}] {key}` 不起作用；请设置 `{where} = {value}`。' +
        '否则 dind 服务将以非特权模式运行并失败（`mount: permission denied (are you root?)`）。',
      'executor-section-mismatch.misplaced-volumes':
        '对于 `executor = "{executor}"`，`[runners.{other}]` 下的卷不起作用；{hint}。' +
        '否则 TLS 证书（`/certs/client`）或 Docker 套接字不会与作业共享。',
      'executor-section-mismatch.hint-kubernetes-volumes':
        '请将它们声明为带有 `mount_path` 的 `[[runners.kubernetes.volumes.empty_dir]]` / `host_path` 表',
      'executor-section-mismatch.hint-docker-volumes': '请在 `[runners.docker] volumes` 中声明它们',
      'executor-section-mismatch.misplaced-services':
        '对于 `executor = "{executor}"`，`[[runners.{other}.services]]` 不起作用；' +
        '请将它们声明为 `[[runners.{own}.services]]`。',
      'executor-section-mismatch.typo':
        '`[{table}] {key}` 不是 GitLab Runner 的设置（您是否想写 `{suggestion}`？）；' +
        'Runner 会忽略它或拒绝该配置，因此它本应实现的 DinD 设置不会生效。',
      'executor-section-mismatch.fix-move-key': '将 `{key}` 移至 `[runners.{target}]`',
      'executor-section-mismatch.fix-move-services': '将服务移至 `[[runners.{to}.services]]`',
      'executor-section-mismatch.fix-rename': '重命名为 `{suggestion}`',
    },
  },

  checkRunner(check, report) {
    const runner = check.runner;
    checkMisplaced(check.sources, runner, runner.executor ?? 'kubernetes', report);
    checkTypos(check.sources, runner, report);
  },
};
