// A37 `dind/rootless-misconfigured` — see the rule catalogue (spec section A, A37): a `docker:*-dind-rootless` service
// still needs a privileged container, should not make the build container privileged, must be matched by the
// allow-list in both name forms, cannot write its CA to a volume, and needs AppArmor relaxed on Kubernetes.

import type { EffectiveJob } from '../ci/model';
import { combineEdits, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { msg, type Msg } from '../i18n';
import type { Runner, TomlTable } from '../runner/model';
import { JobFacts } from '../semantics/facts';
import { firstMatch } from '../semantics/match';
import {
  boolEntry,
  executorClass,
  isPathOrParent,
  normalizePath,
  runnerVolumes,
  stringEntry,
  stringItems,
} from '../semantics/runner';
import { isRootlessService, type Svc } from '../semantics/services';
import type { Fix, Severity, Span } from '../types';
import type { JobCheck, Report, Rule } from './rule';

/** The allow-list R1 gives for rootless dind, short and `docker.io/library/` forms. */
const ROOTLESS_PATTERNS = {
  long: ['docker.io/library/docker:*-dind-rootless', 'docker.io/library/docker:dind-rootless'],
  short: ['docker:*-dind-rootless', 'docker:dind-rootless'],
} as const;

const LONG_PREFIX = 'docker.io/library/';

interface Problem {
  readonly severity: Severity;
  /** What is wrong, without the runner/job prefix. */
  readonly text: Msg;
  /** Where the deciding config.toml value is. */
  readonly tomlSpan: Span;
  /** Builds the fix (on demand: fixes may be deferred). */
  readonly fix: () => Fix | null;
}

export const rootlessMisconfigured: Rule = {
  meta: {
    id: 'dind/rootless-misconfigured',
    catalogue: 'A37',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'Rootless dind service without the privileges, allow-list or volumes it needs',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#use-rootless-docker-in-docker-with-restricted-privileged-mode',
    fixSafe: false,
  },

  messages: {
    en: {
      'rootless-misconfigured.toml': 'Runner `{runner}` (jobs: {jobs}): {problem}',
      'rootless-misconfigured.toml-service': 'Runner `{runner}` (jobs: {jobs}): {problem} (service `{service}`)',
      'rootless-misconfigured.ci': 'Job `{job}` on runner `{runner}`: service `{service}`: {problem}',
      'rootless-misconfigured.not-allowed':
        'allowed_privileged_services does not match `{name}` (names are matched as written, so list both the ' +
        '`docker:` and `docker.io/library/docker:` forms), so the rootless dind service runs unprivileged. ' +
        'docker:dind-rootless must run privileged; rootlesskit fails to set up its namespaces and the job cannot ' +
        'reach the daemon.',
      'rootless-misconfigured.unprivileged':
        'docker:dind-rootless must run privileged (like the regular dind image); enable services_privileged with an ' +
        'allow-list. Unprivileged, rootlesskit fails to set up its namespaces and the job cannot reach the daemon.',
      'rootless-misconfigured.lacks-short':
        'allowed_privileged_services matches `{name}` but lacks the short `docker:` form; names are matched as ' +
        'written, so a job that writes the other form runs unprivileged and rootless dind fails. Add {add}.',
      'rootless-misconfigured.lacks-long':
        'allowed_privileged_services matches `{name}` but lacks the `docker.io/library/docker:` form; names are ' +
        'matched as written, so a job that writes the other form runs unprivileged and rootless dind fails. Add {add}.',
      'rootless-misconfigured.build-privileged':
        'privileged = true makes the build container privileged too, which defeats the purpose of rootless dind. ' +
        'Set privileged = false and services_privileged = true with an allow-list of the rootless images.',
      'rootless-misconfigured.ca-volume':
        'Rootless dind cannot write {dir}/ca on the volume `{volume}` and silently falls back to non-TLS: ' +
        '`genrsa: Can\'t open "{dir}/ca/key.pem" for writing, Permission denied`, then a client on port 2376 fails. ' +
        'Share only `{dir}/client` through an anonymous volume.',
      'rootless-misconfigured.k8s-unprivileged':
        'docker:dind-rootless must run privileged (like the regular dind image). Unprivileged, rootlesskit fails to ' +
        'set up its namespaces and the job cannot reach the daemon. Set privileged = true in ' +
        '[runners.kubernetes.service_container_security_context].',
      'rootless-misconfigured.k8s-build-privileged':
        'privileged = true makes the build container privileged too, which defeats the purpose of rootless dind. ' +
        'Set privileged = false and make only service containers privileged.',
      'rootless-misconfigured.apparmor':
        "AppArmor's default profile blocks rootlesskit on nodes that enforce it: `[rootlesskit:child ] error: " +
        'failed to share mount point: /: permission denied`. Set ' +
        '[runners.kubernetes.service_container_security_context.app_armor_profile] type = "Unconfined" (or a ' +
        'Localhost profile).',
      'rootless-misconfigured.fix-drop-privileged':
        'Make only the rootless dind service privileged (privileged = false, services_privileged = true)',
      'rootless-misconfigured.fix-services-privileged':
        'Run rootless dind privileged (services_privileged = true with an allow-list)',
      'rootless-misconfigured.fix-both-forms': 'Allow both name forms of rootless dind in allowed_privileged_services',
      'rootless-misconfigured.fix-remove-volume': 'Remove the "{volume}" volume',
      'rootless-misconfigured.fix-k8s-privileged':
        'Run service containers privileged (service_container_security_context)',
      'rootless-misconfigured.fix-k8s-only-services':
        'Make only service containers privileged (service_container_security_context)',
      'rootless-misconfigured.fix-apparmor': "Set the service containers' AppArmor profile to Unconfined",
    },
    'zh-cn': {
      'rootless-misconfigured.toml': 'Runner `{runner}`（作业：{jobs}）：{problem}',
      'rootless-misconfigured.toml-service': 'Runner `{runner}`（作业：{jobs}）：{problem}（服务 `{service}`）',
      'rootless-misconfigured.ci': 'Runner `{runner}` 上的作业 `{job}`：服务 `{service}`：{problem}',
      'rootless-misconfigured.not-allowed':
        'allowed_privileged_services 未匹配 `{name}`（名称按书写形式匹配，因此需同时列出 `docker:` 和 ' +
        '`docker.io/library/docker:` 两种形式），所以 rootless dind 服务以非特权模式运行。docker:dind-rootless ' +
        '必须以特权模式运行；否则 rootlesskit 无法设置其命名空间，作业也无法连接到守护进程。',
      'rootless-misconfigured.unprivileged':
        'docker:dind-rootless 必须以特权模式运行（与常规 dind 镜像相同）；请启用 services_privileged 并配置允许列表。' +
        '在非特权模式下，rootlesskit 无法设置其命名空间，作业也无法连接到守护进程。',
      'rootless-misconfigured.lacks-short':
        'allowed_privileged_services 匹配 `{name}`，但缺少简写的 `docker:` 形式；名称按书写形式匹配，因此使用另一种' +
        '写法的作业会以非特权模式运行，rootless dind 会失败。请添加 {add}。',
      'rootless-misconfigured.lacks-long':
        'allowed_privileged_services 匹配 `{name}`，但缺少 `docker.io/library/docker:` 形式；名称按书写形式匹配，' +
        '因此使用另一种写法的作业会以非特权模式运行，rootless dind 会失败。请添加 {add}。',
      'rootless-misconfigured.build-privileged':
        'privileged = true 也会让构建容器以特权模式运行，这违背了 rootless dind 的初衷。请设置 privileged = false ' +
        '和 services_privileged = true，并为 rootless 镜像配置允许列表。',
      'rootless-misconfigured.ca-volume':
        'Rootless dind 无法在卷 `{volume}` 上写入 {dir}/ca，会静默回退到非 TLS 模式：' +
        '`genrsa: Can\'t open "{dir}/ca/key.pem" for writing, Permission denied`，随后连接 2376 端口的客户端会失败。' +
        '请只通过匿名卷共享 `{dir}/client`。',
      'rootless-misconfigured.k8s-unprivileged':
        'docker:dind-rootless 必须以特权模式运行（与常规 dind 镜像相同）。在非特权模式下，rootlesskit 无法设置其' +
        '命名空间，作业也无法连接到守护进程。请在 [runners.kubernetes.service_container_security_context] 中设置 ' +
        'privileged = true。',
      'rootless-misconfigured.k8s-build-privileged':
        'privileged = true 也会让构建容器以特权模式运行，这违背了 rootless dind 的初衷。请设置 privileged = false，' +
        '只让服务容器以特权模式运行。',
      'rootless-misconfigured.apparmor':
        '在强制启用 AppArmor 的节点上，其默认配置文件会阻止 rootlesskit：`[rootlesskit:child ] error: failed to ' +
        'share mount point: /: permission denied`。请在 ' +
        '[runners.kubernetes.service_container_security_context.app_armor_profile] 中设置 type = "Unconfined"' +
        '（或使用 Localhost 配置文件）。',
      'rootless-misconfigured.fix-drop-privileged':
        '只让 rootless dind 服务以特权模式运行（privileged = false，services_privileged = true）',
      'rootless-misconfigured.fix-services-privileged':
        '以特权模式运行 rootless dind（services_privileged = true 并配置允许列表）',
      'rootless-misconfigured.fix-both-forms': '在 allowed_privileged_services 中允许 rootless dind 的两种名称形式',
      'rootless-misconfigured.fix-remove-volume': '删除卷 "{volume}"',
      'rootless-misconfigured.fix-k8s-privileged': '以特权模式运行服务容器（service_container_security_context）',
      'rootless-misconfigured.fix-k8s-only-services':
        '只让服务容器以特权模式运行（service_container_security_context）',
      'rootless-misconfigured.fix-apparmor': '将服务容器的 AppArmor 配置文件设为 Unconfined',
    },
  },

  checkJob(check, report) {
    const { runner } = check;
    if (!runner || check.runnerAssumed) return;
    const cls = executorClass(runner);
    if (cls !== 'docker-like' && cls !== 'kubernetes') return;
    for (const facts of JobFacts.variants(check.job, runner, check.settings)) {
      for (const s of facts.dindServices) {
        if (!isRootlessService(s) || s.ref.unresolved) continue;
        const problems =
          cls === 'kubernetes' ? kubernetesProblems(check, runner, facts, s) : dockerProblems(check, runner, facts, s);
        for (const p of problems) reportBoth(check, runner, s, p, report);
      }
    }
  },
};

function reportBoth(check: JobCheck, runner: Runner, s: Svc, p: Problem, report: Report): void {
  const ci = s.name.origin;
  const jobs = affectedJobs(check);
  const fixes = (): Fix[] => {
    const fix = p.fix();
    return fix ? [fix] : [];
  };
  const tomlMessage = msg('rootless-misconfigured.toml', { runner: runner.label, jobs, problem: p.text });
  if (ci.file === runner.file) {
    report({
      message: msg('rootless-misconfigured.toml-service', {
        runner: runner.label,
        jobs,
        problem: p.text,
        service: s.name.value,
      }),
      file: ci.file,
      span: ci.span,
      severity: p.severity,
      job: null,
      fixes,
    });
    return;
  }
  report({
    message: msg('rootless-misconfigured.ci', {
      job: check.job.name,
      runner: runner.label,
      service: s.name.value,
      problem: p.text,
    }),
    file: ci.file,
    span: ci.span,
    severity: p.severity,
    related: [{ file: runner.file, span: p.tomlSpan, message: `Runner \`${runner.label}\` setting.` }],
    fixes,
  });
  report({
    message: tomlMessage,
    file: runner.file,
    span: p.tomlSpan,
    severity: p.severity,
    job: null,
    related: [{ file: ci.file, span: ci.span, message: `Rootless dind service of job \`${check.job.name}\`.` }],
    fixes,
  });
}

/** The jobs on the runner that run a rootless dind service, for the config.toml finding. */
function affectedJobs(check: JobCheck): string {
  const names = new Set<string>();
  const all: readonly EffectiveJob[] = check.jobsOnRunner.length > 0 ? check.jobsOnRunner : [check.job];
  for (const j of all) if (j.services.some((s) => isRootlessService(s))) names.add(j.name);
  names.add(check.job.name);
  return [...names].map((n) => `\`${n}\``).join(', ');
}

/** The span of a whole `key = value` entry, else the table header, else the `[[runners]]` header. */
function tomlSpan(runner: Runner, table: TomlTable | null, key?: string): Span {
  const entry = key ? table?.entries.get(key) : undefined;
  if (entry) return entry.span;
  return table?.headerSpan ?? runner.table.headerSpan ?? { start: 0, end: 0 };
}

function editor(check: JobCheck, runner: Runner): TomlEditor | undefined {
  return TomlEditor.fromSources(check.sources, runner.file);
}

/** A fix built on demand with the runner file's editor (none when the file has no editor). */
function withEditor(check: JobCheck, runner: Runner, make: (ed: TomlEditor) => Fix | null): () => Fix | null {
  return () => {
    const ed = editor(check, runner);
    return ed ? make(ed) : null;
  };
}

function toFix(title: Msg, r: EditResult, preferred = true): Fix | null {
  return r.ok && r.edits.length > 0 ? { title: '', l10nTitle: title, safe: false, preferred, edits: r.edits } : null;
}

/** The allow-list patterns to add so that both forms of `name` (short and `docker.io/library/`) match. */
function missingPatterns(patterns: readonly string[], name: string): string[] {
  const short = name.startsWith(LONG_PREFIX) ? name.slice(LONG_PREFIX.length) : name;
  const forms: [string, readonly string[]][] = [
    [short, ROOTLESS_PATTERNS.short],
    [`${LONG_PREFIX}${short}`, ROOTLESS_PATTERNS.long],
  ];
  const out: string[] = [];
  for (const [form, add] of forms) {
    if (firstMatch(patterns, form) !== null) continue;
    const extra = firstMatch(add, form) ? add.filter((p) => !patterns.includes(p)) : [form];
    out.push(...extra.filter((p) => !out.includes(p)));
  }
  return out;
}

/** Sets `services_privileged = true` (and `privileged = false` when asked) and completes the allow-list. */
function restrictedPrivilegeFix(
  check: JobCheck,
  runner: Runner,
  docker: TomlTable | null,
  name: string,
  dropPrivileged: boolean,
): Fix | null {
  const ed = editor(check, runner);
  if (!ed) return null;
  const results: EditResult[] = [];
  const values: Record<string, boolean | string[]> = {};
  if (dropPrivileged) values['privileged'] = false;
  values['services_privileged'] = true;
  const list = stringItems(docker, 'allowed_privileged_services');
  const patterns = list?.items.map((i) => i.value) ?? [];
  if (!docker) {
    values['allowed_privileged_services'] = [...ROOTLESS_PATTERNS.long, ...ROOTLESS_PATTERNS.short];
    results.push(ed.setInTable(runner.table, ['docker'], values));
  } else {
    if (patterns.length === 0)
      values['allowed_privileged_services'] = [...ROOTLESS_PATTERNS.long, ...ROOTLESS_PATTERNS.short];
    results.push(ed.setKeys(docker, values));
    if (patterns.length > 0) results.push(appendPatterns(ed, docker, patterns, missingPatterns(patterns, name)));
  }
  const title = dropPrivileged
    ? msg('rootless-misconfigured.fix-drop-privileged')
    : msg('rootless-misconfigured.fix-services-privileged');
  return toFix(title, combineEdits(...results));
}

/** Adds patterns to `allowed_privileged_services`: one in the array's own layout, several by rewriting the list. */
function appendPatterns(
  ed: TomlEditor,
  docker: TomlTable,
  patterns: readonly string[],
  add: readonly string[],
): EditResult {
  const [first] = add;
  if (first === undefined) return combineEdits();
  if (add.length === 1) return ed.appendToArray(docker, 'allowed_privileged_services', first);
  const entry = docker.entries.get('allowed_privileged_services');
  return entry
    ? ed.replaceValue(entry, [...patterns, ...add])
    : ed.setKey(docker, 'allowed_privileged_services', [...add]);
}

function dockerProblems(check: JobCheck, runner: Runner, facts: JobFacts, s: Svc): Problem[] {
  const out: Problem[] = [];
  const docker = runner.docker;
  const name = s.ref.expanded;
  const priv = facts.privilege(s);
  const privileged = boolEntry(docker, 'privileged');
  if (priv && !priv.privileged) {
    const byList = priv.source === 'allow-list';
    out.push({
      severity: 'error',
      text: byList ? msg('rootless-misconfigured.not-allowed', { name }) : msg('rootless-misconfigured.unprivileged'),
      tomlSpan: byList
        ? tomlSpan(runner, docker, 'allowed_privileged_services')
        : tomlSpan(runner, docker, priv.entry?.key),
      fix: () => restrictedPrivilegeFix(check, runner, docker, name, false),
    });
  } else if (priv?.privileged && priv.allowList) {
    const missing = missingPatterns(priv.allowList.patterns, name);
    if (missing.length > 0) {
      const patterns = priv.allowList.patterns;
      out.push({
        severity: 'warning',
        text: name.startsWith(LONG_PREFIX)
          ? msg('rootless-misconfigured.lacks-short', { name, add: missing.map((p) => `"${p}"`).join(', ') })
          : msg('rootless-misconfigured.lacks-long', { name, add: missing.map((p) => `"${p}"`).join(', ') }),
        tomlSpan: tomlSpan(runner, docker, 'allowed_privileged_services'),
        fix: withEditor(check, runner, (ed) =>
          docker
            ? toFix(msg('rootless-misconfigured.fix-both-forms'), appendPatterns(ed, docker, patterns, missing))
            : null,
        ),
      });
    }
  }
  if (privileged?.value) {
    out.push({
      severity: 'warning',
      text: msg('rootless-misconfigured.build-privileged'),
      tomlSpan: privileged.entry.span,
      fix: () => restrictedPrivilegeFix(check, runner, docker, name, true),
    });
  }
  out.push(...certVolumeProblems(check, runner, facts, s));
  return out;
}

/** (d): a volume that holds the CA directory, or a host directory bound at the client cert directory. */
function certVolumeProblems(check: JobCheck, runner: Runner, facts: JobFacts, s: Svc): Problem[] {
  const d = facts.daemon(s);
  if (d.tls !== true || d.certDir.state !== 'set' || d.certDir.value.trim() === '') return [];
  const dir = d.certDir.value;
  const out: Problem[] = [];
  for (const v of runnerVolumes(runner)) {
    const holdsCa = isPathOrParent(v.containerPath, `${dir}/ca`);
    const hostBound = v.source !== null && isPathOrParent(`${dir}`, v.containerPath);
    if (!holdsCa && !hostBound) continue;
    const docker = runner.docker;
    const fix = withEditor(check, runner, (ed) =>
      docker && v.kind !== 'kubernetes' && v.containerPath === normalizePath(`${dir}/ca`)
        ? toFix(
            msg('rootless-misconfigured.fix-remove-volume', { volume: v.raw }),
            ed.removeArrayItem(docker, 'volumes', v.index),
          )
        : null,
    );
    out.push({
      severity: 'error',
      text: msg('rootless-misconfigured.ca-volume', { dir, volume: v.raw }),
      tomlSpan: v.origin.span,
      fix,
    });
  }
  return out;
}

/**
 * `privileged = true` in `service_container_security_context` (creating the tables as needed), with an
 * `allow_privilege_escalation = false` that would contradict it removed from that table or, when it sets none,
 * from `[runners.kubernetes]`.
 */
function privilegedServicesEdit(ed: TomlEditor, runner: Runner, ctx: TomlTable | null): EditResult {
  const k8s = runner.kubernetes;
  const escalationOff = (table: TomlTable | null | undefined): table is TomlTable =>
    table?.entries.get('allow_privilege_escalation')?.value === false;
  const owner = ctx?.entries.has('allow_privilege_escalation') ? ctx : k8s;
  return combineEdits(
    k8s
      ? ed.setInTable(k8s, ['service_container_security_context'], { privileged: true })
      : ed.setInTable(runner.table, ['kubernetes', 'service_container_security_context'], { privileged: true }),
    ...(escalationOff(owner) ? [ed.removeKey(owner, 'allow_privilege_escalation')] : []),
  );
}

function kubernetesProblems(check: JobCheck, runner: Runner, facts: JobFacts, s: Svc): Problem[] {
  const out: Problem[] = [];
  const k8s = runner.kubernetes;
  const priv = facts.privilege(s);
  const ctx = k8s?.tables.get('service_container_security_context') ?? null;
  if (priv && !priv.privileged) {
    out.push({
      severity: 'error',
      text: msg('rootless-misconfigured.k8s-unprivileged'),
      tomlSpan: priv.entry ? priv.entry.span : tomlSpan(runner, k8s),
      fix: withEditor(check, runner, (ed) =>
        toFix(msg('rootless-misconfigured.fix-k8s-privileged'), privilegedServicesEdit(ed, runner, ctx)),
      ),
    });
  } else if (priv?.privileged) {
    const global = boolEntry(k8s, 'privileged');
    if (global?.value && boolEntry(ctx, 'privileged') === null) {
      out.push({
        severity: 'warning',
        text: msg('rootless-misconfigured.k8s-build-privileged'),
        tomlSpan: global.entry.span,
        fix: withEditor(check, runner, (ed) =>
          k8s
            ? toFix(
                msg('rootless-misconfigured.fix-k8s-only-services'),
                combineEdits(
                  ed.replaceValue(global.entry, false),
                  ed.setInTable(k8s, ['service_container_security_context'], { privileged: true }),
                ),
              )
            : null,
        ),
      });
    }
    const profile = ctx?.tables.get('app_armor_profile') ?? null;
    const type = stringEntry(profile, 'type')?.value.toLowerCase();
    if (type !== 'unconfined' && type !== 'localhost') {
      out.push({
        severity: 'warning',
        text: msg('rootless-misconfigured.apparmor'),
        tomlSpan: profile?.entries.has('type')
          ? tomlSpan(runner, profile, 'type')
          : (priv.entry?.span ?? tomlSpan(runner, k8s)),
        fix: withEditor(check, runner, (ed) =>
          k8s
            ? toFix(
                msg('rootless-misconfigured.fix-apparmor'),
                profile
                  ? ed.setKeys(profile, { type: 'Unconfined' })
                  : ed.setInTable(k8s, ['service_container_security_context', 'app_armor_profile'], {
                      type: 'Unconfined',
                    }),
              )
            : null,
        ),
      });
    }
  }
  out.push(...certVolumeProblems(check, runner, facts, s));
  return out;
}
