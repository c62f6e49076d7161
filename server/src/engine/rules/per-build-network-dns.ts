// A23 `dind/per-build-network-dns`: with FF_NETWORK_PER_BUILD, containers started inside dind don't inherit the
// runner's custom `dns`/`dns_search` (I5); the dind command must pass them on with `--dns`.

import type { EffectiveJob } from '../ci/model';
import { msg } from '../i18n';
import type { Runner } from '../runner/model';
import { executorClass, JobFacts, stringEntry, stringItems, type Svc } from '../semantics';
import type { Settings } from '../settings';
import { FindingSet, realRunner, type Place } from './no-daemon-for-docker-commands';
import { addServiceFlags, fixFromResult, reportForRunner } from './mtu-mismatch';
import type { Rule } from './rule';

interface RunnerDns {
  readonly dns: string[];
  readonly search: string[];
  /** The `dns` entry (or `dns_search` when only that is set). */
  readonly place: Place;
}

/** The runner's custom DNS when per-build networks can apply (DockerLike, no `network_mode`), else null. */
function runnerDns(runner: Runner): RunnerDns | null {
  if (executorClass(runner) !== 'docker-like' || !runner.docker) return null;
  if ((stringEntry(runner.docker, 'network_mode')?.value.trim() ?? '') !== '') return null;
  const dns = stringItems(runner.docker, 'dns');
  const search = stringItems(runner.docker, 'dns_search');
  const dnsValues = dns?.items.map((i) => i.value.trim()).filter((v) => v !== '') ?? [];
  const searchValues = search?.items.map((i) => i.value.trim()).filter((v) => v !== '') ?? [];
  const entry = dnsValues.length > 0 ? dns?.entry : searchValues.length > 0 ? search?.entry : undefined;
  if (!entry) return null;
  return { dns: dnsValues, search: searchValues, place: { file: runner.file, span: entry.span } };
}

interface DnsProblem {
  readonly facts: JobFacts;
  readonly svc: Svc;
  readonly place: Place;
  readonly flagPlace: Place | null;
}

function dnsProblems(
  job: EffectiveJob,
  runner: Runner,
  settings: Settings,
): { dns: RunnerDns; list: DnsProblem[] } | null {
  const dns = runnerDns(runner);
  if (!dns) return null;
  const list: DnsProblem[] = [];
  for (const facts of JobFacts.variants(job, runner, settings)) {
    const ff = facts.featureFlag('FF_NETWORK_PER_BUILD');
    if (!ff.value) continue;
    for (const s of facts.dindServices) {
      if (/(^|\s)--dns(=|\s|$)/.test((s.command?.value ?? []).join(' '))) continue;
      list.push({
        facts,
        svc: s,
        place: { file: s.name.origin.file, span: s.name.origin.span },
        flagPlace: ff.origin ? { file: ff.origin.file, span: ff.origin.span } : null,
      });
    }
  }
  return { dns, list };
}

export const perBuildNetworkDns: Rule = {
  meta: {
    id: 'dind/per-build-network-dns',
    catalogue: 'A23',
    defaultSeverity: 'info',
    scope: 'BOTH',
    title: 'With FF_NETWORK_PER_BUILD and a custom runner DNS, pass the DNS to dind with `--dns`',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#create-a-network-for-each-job',
    fixSafe: true,
  },

  messages: {
    en: {
      'per-build-network-dns.message':
        "With a per-build network, containers started inside dind `{service}` (job `{job}`) don't inherit runner " +
        "`{runner}`'s custom DNS ({dns}); they fall back to 8.8.8.8/8.8.4.4, so `RUN` steps of `docker build` can " +
        'fail name resolution. Pass it with `command: [{flags}]`.',
      'per-build-network-dns.fix': 'Pass the runner DNS to `{service}` (`--dns`)',
      'per-build-network-dns.runner':
        "With FF_NETWORK_PER_BUILD, containers inside dind ({jobs}) don't inherit this custom DNS: they fall back to " +
        '8.8.8.8/8.8.4.4. Add `--dns=127.0.0.11` and `--dns=<your-dns>` to the dind service command.',
    },
    'zh-cn': {
      'per-build-network-dns.message':
        '使用按作业创建的网络时，在 dind `{service}`（作业 `{job}`）内启动的容器不会继承 Runner `{runner}` 的自定义 ' +
        'DNS（{dns}），而是回退到 8.8.8.8/8.8.4.4，因此 `docker build` 的 `RUN` 步骤可能无法解析域名。请通过 ' +
        '`command: [{flags}]` 传入 DNS。',
      'per-build-network-dns.fix': '将 Runner 的 DNS 传给 `{service}`（`--dns`）',
      'per-build-network-dns.runner':
        '启用 FF_NETWORK_PER_BUILD 后，dind 内的容器（{jobs}）不会继承此自定义 DNS，而是回退到 8.8.8.8/8.8.4.4。' +
        '请在 dind 服务的 command 中添加 `--dns=127.0.0.11` 和 `--dns=<your-dns>`。',
    },
  },

  checkJob(check, report) {
    const runner = realRunner(check);
    if (!runner) return;
    const found = dnsProblems(check.job, runner, check.settings);
    if (!found) return;
    const set = new FindingSet();
    const flags = [
      '--dns=127.0.0.11',
      ...found.dns.dns.map((d) => `--dns=${d}`),
      ...found.dns.search.map((d) => `--dns-search=${d}`),
    ];
    for (const p of found.list) {
      const custom = [...found.dns.dns, ...found.dns.search].join(', ');
      set.add({
        file: p.place.file,
        span: p.place.span,
        message: msg('per-build-network-dns.message', {
          service: p.svc.name.value,
          job: check.job.name,
          runner: runner.label,
          dns: custom,
          flags: flags.map((f) => `"${f}"`).join(', '),
        }),
        related: [
          { ...found.dns.place, message: 'The runner DNS' },
          ...(p.flagPlace && p.flagPlace.file !== p.place.file
            ? [{ ...p.flagPlace, message: 'FF_NETWORK_PER_BUILD' }]
            : []),
        ],
        fixes: () =>
          fixFromResult(
            msg('per-build-network-dns.fix', { service: p.svc.name.value }),
            addServiceFlags(check, p.facts, p.svc, flags),
            true,
            true,
          ),
      });
    }
    set.flush(report);
  },

  checkRunner(check, report) {
    const runner = check.runner;
    const hits = check.jobs.flatMap((job) => {
      const found = dnsProblems(job, runner, check.settings);
      return (found?.list ?? []).filter((p) => p.place.file !== runner.file).map((p) => ({ job, place: p.place }));
    });
    const dns = runnerDns(runner);
    if (!dns) return;
    reportForRunner(report, dns.place, hits, (jobs) => msg('per-build-network-dns.runner', { jobs }));
  },
};
