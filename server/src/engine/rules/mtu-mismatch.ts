// A24 `dind/mtu-mismatch`: the inner dockerd of a dind service defaults to MTU 1500 and does not inherit the
// runner's `network_mtu` or the Kubernetes overlay MTU; without `--mtu=N` large packets from builds are dropped.
//
// Also home of two helpers the networking rules (A22–A25) share: adding flags to a dind service's command where the
// service is defined, and the runner-side finding that names every affected job once.

import type { EffectiveJob } from '../ci/model';
import { failed, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { YamlEditor } from '../fix/yaml-edit';
import { msg, type Msg, type MsgParam } from '../i18n';
import type { Runner } from '../runner/model';
import { entryOf, executorClass, JobFacts, type Svc } from '../semantics';
import type { Settings } from '../settings';
import type { Fix } from '../types';
import { FindingSet, realRunner, runnerPlace, type Place } from './no-daemon-for-docker-commands';
import { jobNames } from './lists';
import type { Report, Rule, RuleEnv } from './rule';

/**
 * Appends flags to a dind service's command where the service is defined: a new `command:` (YAML) / `command = [...]`
 * (TOML) when it has none; one flag appended to an existing flags-only or `dockerd ...` command. Fails otherwise
 * (a shell command, or several flags for an existing list).
 */
export function addServiceFlags(env: RuleEnv, facts: JobFacts, s: Svc, flags: readonly string[]): EditResult {
  const d = facts.daemon(s);
  const command = s.command?.value ?? null;
  const appendable = command !== null && flags.length === 1 && (d.entrypointRuns || d.commandIsDockerd);
  if (command !== null && !appendable) return failed('command cannot take the flags');
  const flag = flags[0] ?? '';
  if (s.source === 'runner') {
    const editor = TomlEditor.fromSources(env.sources, s.origin.file);
    if (!editor || !s.runnerService) return failed('no runner table');
    const table = s.runnerService.table;
    return command === null
      ? editor.setKeys(table, { command: [...flags] })
      : editor.appendToArray(table, 'command', flag);
  }
  const editor = YamlEditor.fromSources(env.sources, s.origin.file);
  if (!editor) return failed('file not parsed');
  if (command === null) return editor.setItemKeysAt(s.origin.span, { command: [...flags] });
  const seq = s.command ? editor.locate(s.command.origin.span)?.node : undefined;
  return seq ? editor.appendItem(seq, flag) : failed('command not found');
}

/** A fix with a localised title from an edit result, or nothing when the edit cannot be made. */
export function fixFromResult(title: Msg, result: EditResult, safe: boolean, preferred: boolean): Fix[] {
  return result.ok && result.edits.length > 0
    ? [{ title: '', l10nTitle: title, safe, preferred, edits: result.edits }]
    : [];
}

/** A job's problem as the runner side sees it: the job and where its CI-side finding lands. */
export interface JobHit {
  readonly job: EffectiveJob;
  readonly place: Place;
}

/**
 * Reports one runner-side finding at `place` naming every affected job (`job` set when there is exactly one),
 * linked to the CI-side places. Nothing when no job is affected.
 */
export function reportForRunner(
  report: Report,
  place: Place,
  hits: readonly JobHit[],
  message: (jobs: MsgParam) => Msg,
): void {
  if (hits.length === 0) return;
  const jobs: EffectiveJob[] = [];
  const related: Place[] = [];
  for (const h of hits) {
    if (!jobs.includes(h.job)) jobs.push(h.job);
    if (!related.some((r) => r.file === h.place.file && r.span.start === h.place.span.start)) related.push(h.place);
  }
  report({
    file: place.file,
    span: place.span,
    job: jobs.length === 1 ? (jobs[0]?.name ?? null) : null,
    message: message(jobNames(jobs)),
    related: related.slice(0, 5).map((r) => ({ ...r, message: 'Affected job configuration' })),
  });
}

const SAFE_MTU = 1360;
/** The smallest MTU an IPv4 link may have; lower `network_mtu` values are not a network MTU at all. */
const MIN_MTU = 68;

interface OuterMtu {
  /** `network_mtu` (DockerLike), or null for the Kubernetes overlay (unknown, below 1500). */
  readonly mtu: number | null;
  readonly place: Place;
}

/** The outer network MTU dind must respect, or null when the runner gives no reason to lower it. */
function outerMtu(runner: Runner): OuterMtu | null {
  const cls = executorClass(runner);
  if (cls === 'kubernetes') return { mtu: null, place: runnerPlace(runner, runner.kubernetes, null) };
  if (cls !== 'docker-like') return null;
  const entry = entryOf(runner.docker, 'network_mtu');
  if (!entry || typeof entry.value !== 'number' || entry.value < MIN_MTU || entry.value >= 1500) return null;
  return { mtu: entry.value, place: { file: runner.file, span: entry.span } };
}

/** The `--mtu` value in a command, or null. */
function mtuFlag(command: readonly string[]): number | null {
  const m = /(?:^|\s)--mtu(?:=|\s+)["']?(\d+)/.exec(command.join(' '));
  return m?.[1] === undefined ? null : Number(m[1]);
}

interface MtuProblem {
  readonly facts: JobFacts;
  readonly svc: Svc;
  readonly outer: OuterMtu;
  /** The `--mtu` the command sets (too high), or null when it sets none. */
  readonly current: number | null;
  readonly place: Place;
}

function mtuProblems(job: EffectiveJob, runner: Runner, settings: Settings): MtuProblem[] {
  const outer = outerMtu(runner);
  if (!outer) return [];
  const out: MtuProblem[] = [];
  for (const facts of JobFacts.variants(job, runner, settings)) {
    for (const s of facts.dindServices) {
      const current = mtuFlag(s.command?.value ?? []);
      if (current !== null && (outer.mtu === null ? current < 1500 : current <= outer.mtu)) continue;
      out.push({ facts, svc: s, outer, current, place: { file: s.name.origin.file, span: s.name.origin.span } });
    }
  }
  return out;
}

export const mtuMismatch: Rule = {
  meta: {
    id: 'dind/mtu-mismatch',
    catalogue: 'A24',
    defaultSeverity: 'warning',
    scope: 'BOTH',
    title: 'A dind service needs `--mtu` at or below the runner network MTU (network_mtu, Kubernetes overlay)',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#docker-in-docker-mtu-does-not-inherit-from-the-runner',
    fixSafe: true,
  },

  messages: {
    en: {
      'mtu-mismatch.outer-kubernetes': 'the Kubernetes pod network (runner `{runner}`) usually has a lower overlay MTU',
      'mtu-mismatch.outer-mtu': 'the outer network MTU is {mtu} (runner `{runner}` network_mtu)',
      'mtu-mismatch.symptom-https': 'hangs and timeouts on HTTPS (`dotnet restore`, `curl https://api.nuget.org/...`)',
      'mtu-mismatch.default-mtu':
        'Inner dockerd of `{service}` defaults to MTU 1500, but {outer}. Large packets from builds in job `{job}` are ' +
        'dropped silently: {symptom}. Add `--mtu={target}` to the dind service command.',
      'mtu-mismatch.mtu-too-high':
        '`--mtu={current}` on `{service}` is above the outer MTU: {outer}. Large packets from builds in job `{job}` ' +
        'are dropped silently: {symptom}. Add `--mtu={target}` to the dind service command.',
      'mtu-mismatch.fix-add-flag': 'Add `{flag}` to the command of `{service}`',
      'mtu-mismatch.runner-kubernetes':
        'Runner `{runner}` runs dind on Kubernetes for {jobs} without `--mtu`: the inner dockerd uses MTU 1500 over a ' +
        'lower overlay MTU, so large packets are dropped silently (HTTPS hangs). Add `--mtu={mtu}` to the dind ' +
        'service command.',
      'mtu-mismatch.runner-network-mtu':
        'network_mtu = {mtu} does not reach dind ({jobs}): the inner dockerd defaults to MTU 1500, so large packets ' +
        'from builds are dropped silently. Add `--mtu={mtu}` to the dind service command.',
    },
    'zh-cn': {
      'mtu-mismatch.outer-kubernetes': 'Kubernetes Pod 网络（Runner `{runner}`）的 overlay MTU 通常更低',
      'mtu-mismatch.outer-mtu': '外层网络的 MTU 为 {mtu}（Runner `{runner}` 的 network_mtu）',
      'mtu-mismatch.symptom-https': 'HTTPS 请求挂起或超时（`dotnet restore`、`curl https://api.nuget.org/...`）',
      'mtu-mismatch.default-mtu':
        '`{service}` 内部的 dockerd 默认使用 MTU 1500，但{outer}。作业 `{job}` 中构建产生的大数据包会被静默丢弃：' +
        '{symptom}。请在 dind 服务的 command 中添加 `--mtu={target}`。',
      'mtu-mismatch.mtu-too-high':
        '`{service}` 上的 `--mtu={current}` 高于外层 MTU：{outer}。作业 `{job}` 中构建产生的大数据包会被静默丢弃：' +
        '{symptom}。请在 dind 服务的 command 中添加 `--mtu={target}`。',
      'mtu-mismatch.fix-add-flag': '将 `{flag}` 添加到 `{service}` 的 command',
      'mtu-mismatch.runner-kubernetes':
        'Runner `{runner}` 在 Kubernetes 上为 {jobs} 运行 dind，但未设置 `--mtu`：内部 dockerd 在 MTU 更低的 overlay ' +
        '网络上使用 MTU 1500，大数据包会被静默丢弃（HTTPS 请求挂起）。请在 dind 服务的 command 中添加 `--mtu={mtu}`。',
      'mtu-mismatch.runner-network-mtu':
        'network_mtu = {mtu} 不会传递给 dind（{jobs}）：内部 dockerd 默认使用 MTU 1500，构建产生的大数据包会被静默' +
        '丢弃。请在 dind 服务的 command 中添加 `--mtu={mtu}`。',
    },
  },

  checkJob(check, report) {
    const runner = realRunner(check);
    if (!runner) return;
    const found = new FindingSet();
    for (const p of mtuProblems(check.job, runner, check.settings)) {
      const outer =
        p.outer.mtu === null
          ? msg('mtu-mismatch.outer-kubernetes', { runner: runner.label })
          : msg('mtu-mismatch.outer-mtu', { mtu: p.outer.mtu, runner: runner.label });
      const symptom =
        p.outer.mtu === null
          ? '`curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to github.com:443`'
          : msg('mtu-mismatch.symptom-https');
      const params = {
        service: p.svc.name.value,
        outer,
        job: check.job.name,
        symptom,
        target: p.outer.mtu ?? SAFE_MTU,
      };
      const message =
        p.current === null
          ? msg('mtu-mismatch.default-mtu', params)
          : msg('mtu-mismatch.mtu-too-high', { ...params, current: p.current });
      const fixes = (): Fix[] => {
        if (p.current !== null) return [];
        const list: Fix[] = [];
        const values = p.outer.mtu === null ? [SAFE_MTU] : [p.outer.mtu, ...(SAFE_MTU < p.outer.mtu ? [SAFE_MTU] : [])];
        values.forEach((v, i) => {
          const flag = `--mtu=${v}`;
          list.push(
            ...fixFromResult(
              msg('mtu-mismatch.fix-add-flag', { flag, service: p.svc.name.value }),
              addServiceFlags(check, p.facts, p.svc, [flag]),
              true,
              i === 0,
            ),
          );
        });
        return list;
      };
      const related = p.place.file === p.outer.place.file ? [] : [{ ...p.outer.place, message: 'The runner network' }];
      found.add({ file: p.place.file, span: p.place.span, message, related, fixes });
    }
    found.flush(report);
  },

  checkRunner(check, report) {
    const runner = check.runner;
    const outer = outerMtu(runner);
    if (!outer) return;
    const hits = check.jobs.flatMap((job) =>
      mtuProblems(job, runner, check.settings)
        .filter((p) => p.place.file !== runner.file)
        .map((p) => ({ job, place: p.place })),
    );
    reportForRunner(report, outer.place, hits, (jobs) =>
      outer.mtu === null
        ? msg('mtu-mismatch.runner-kubernetes', { runner: runner.label, jobs, mtu: SAFE_MTU })
        : msg('mtu-mismatch.runner-network-mtu', { jobs, mtu: outer.mtu }),
    );
  },
};
