// A22 `dind/legacy-link-variables`: the client relies on Docker `--link` environment variables
// (`DOCKER_PORT_2375_TCP`), which per-build networks and Runner ≥ 18.7 (links emulated through `extra_hosts`) no
// longer set; without an explicit DOCKER_HOST the client falls back to the local socket.

import type { EffectiveJob } from '../ci/model';
import { failed, type EditResult } from '../fix/common';
import { YamlEditor } from '../fix/yaml-edit';
import { msg, type Msg } from '../i18n';
import type { Runner } from '../runner/model';
import {
  compareVersions,
  dockerTag,
  executorClass,
  JobFacts,
  type DockerVersion,
  type FeatureFlag,
} from '../semantics';
import type { Settings } from '../settings';
import { FindingSet, type Place } from './no-daemon-for-docker-commands';
import { fixFromResult, reportForRunner } from './mtu-mismatch';
import type { JobCheck, Rule } from './rule';

const LINK_VAR = /\$\{?(DOCKER_PORT_237[56]_TCP\w*)/;

interface LinkProblem {
  readonly facts: JobFacts;
  /** `image`: a client older than 19.03; `script`: a script line reads a link variable; `variable`: DOCKER_HOST does. */
  readonly kind: 'image' | 'script' | 'variable';
  readonly what: Msg;
  readonly place: Place;
  readonly flag: FeatureFlag;
}

/** Runners where Docker links could exist at all: DockerLike ones (or none known: GitLab.com-like). */
function linkCapable(runner: Runner | null): boolean {
  if (!runner) return true;
  const cls = executorClass(runner);
  return cls === 'docker-like' || cls === 'unknown';
}

function linkProblems(job: EffectiveJob, runner: Runner | null, settings: Settings): LinkProblem[] {
  if (!linkCapable(runner)) return [];
  const out: LinkProblem[] = [];
  for (const facts of JobFacts.variants(job, runner, settings)) {
    if (facts.dindServices.length === 0) continue;
    const flag = facts.featureFlag('FF_NETWORK_PER_BUILD');
    const host = facts.buildVar('DOCKER_HOST');
    if (host.state === 'unknown') {
      const ref = host.unresolved.find((u) => /^DOCKER_PORT_237[56]_TCP/.test(u));
      if (ref) {
        const o = host.origin;
        out.push({
          facts,
          kind: 'variable',
          what: msg('legacy-link-variables.what-variable', { value: host.raw }),
          place: o,
          flag,
        });
      }
      continue;
    }
    if (host.state !== 'unset') continue;
    const image = facts.image;
    const tag = image ? dockerTag(image.ref) : null;
    if (
      image &&
      tag &&
      image.entrypoint === null &&
      tag.variant !== 'dind' &&
      tag.variant !== 'dind-rootless' &&
      tag.version.kind === 'pinned' &&
      olderThan1903(tag.version)
    ) {
      out.push({
        facts,
        kind: 'image',
        what: msg('legacy-link-variables.what-image', { image: image.name.value }),
        place: { file: image.origin.file, span: image.origin.span },
        flag,
      });
    }
    for (const line of job.script) {
      const m = LINK_VAR.exec(line.text);
      if (!m) continue;
      out.push({
        facts,
        kind: 'script',
        what: msg('legacy-link-variables.what-script', { variable: `$${m[1] ?? ''}` }),
        place: { file: line.origin.file, span: line.origin.span },
        flag,
      });
    }
  }
  return out;
}

/** True for a pinned release before 19.03; a major-only tag (`docker:19`) stands for that major's newest release. */
function olderThan1903(version: DockerVersion & { kind: 'pinned' }): boolean {
  if (version.minor === null) return version.major < 19;
  return compareVersions(version, { major: 19, minor: 3 }) < 0;
}

/** The DOCKER_HOST (and TLS client variables) that reach the job's dind without links, or null when unknown. */
function hostVariables(facts: JobFacts): Record<string, string> | null {
  const tls = facts.dindServices.map((s) => facts.daemon(s).tls);
  if (tls.every((t) => t === false)) return { DOCKER_HOST: 'tcp://docker:2375' };
  if (tls.every((t) => t === true)) {
    return { DOCKER_HOST: 'tcp://docker:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '$DOCKER_TLS_CERTDIR/client' };
  }
  return null;
}

function hostFix(check: JobCheck, p: LinkProblem): EditResult {
  const vars = hostVariables(p.facts);
  if (!vars) return failed('daemon TLS unknown');
  if (p.kind === 'variable') {
    const editor = YamlEditor.fromSources(check.sources, p.place.file);
    const node = editor?.locate(p.place.span)?.node;
    return editor && node ? editor.replaceScalar(node, vars.DOCKER_HOST ?? '') : failed('variable not found');
  }
  const editor = YamlEditor.fromSources(check.sources, check.job.file);
  const map = editor?.valueOfKeyAt(check.job.nameSpan);
  if (!editor || !map) return failed('job not found');
  const own = editor.get(['variables'], map);
  return own ? editor.setKeys(own, vars) : editor.setKeys(map, { variables: vars });
}

function reason(flag: FeatureFlag): Msg {
  return flag.value ? msg('legacy-link-variables.reason-flag') : msg('legacy-link-variables.reason-runner');
}

export const legacyLinkVariables: Rule = {
  meta: {
    id: 'dind/legacy-link-variables',
    catalogue: 'A22',
    defaultSeverity: 'warning',
    scope: 'BOTH',
    title: 'A client relying on Docker link variables (DOCKER_PORT_2375_TCP) needs an explicit DOCKER_HOST',
    docs: 'https://docs.gitlab.com/runner/executors/docker/#configure-a-network-with-container-links',
    fixSafe: false,
  },

  messages: {
    en: {
      'legacy-link-variables.what-variable': 'DOCKER_HOST is `{value}`',
      'legacy-link-variables.what-image':
        'client image `{image}` (< 19.03) only sets DOCKER_HOST from DOCKER_PORT_2375_TCP',
      'legacy-link-variables.what-script': 'the script reads `{variable}`',
      'legacy-link-variables.reason-flag': 'FF_NETWORK_PER_BUILD is on',
      'legacy-link-variables.reason-runner': 'Runner ≥ 18.7 emulates links through `extra_hosts`',
      'legacy-link-variables.message':
        'Docker link environment variables (DOCKER_PORT_2375_TCP...) are not set with per-build networks or on ' +
        'Runner ≥ 18.7 ({reason}), but in job `{job}` {what}. DOCKER_HOST is not set (unless set in the ' +
        "project's CI/CD settings), so the client fails with `Cannot connect to the Docker daemon at " +
        'unix:///var/run/docker.sock. Is the docker daemon running?`. Set `DOCKER_HOST: {host}`.',
      'legacy-link-variables.message-image':
        'Docker link environment variables (DOCKER_PORT_2375_TCP...) are not set with per-build networks or on ' +
        'Runner ≥ 18.7 ({reason}), but in job `{job}` {what}. DOCKER_HOST is not set (unless set in the ' +
        "project's CI/CD settings), so the client fails with `Cannot connect to the Docker daemon at " +
        'unix:///var/run/docker.sock. Is the docker daemon running?`. Set `DOCKER_HOST: {host}` and upgrade the ' +
        'client image.',
      'legacy-link-variables.fix': 'Set `DOCKER_HOST: {host}` in job `{job}`',
      'legacy-link-variables.runner':
        'With FF_NETWORK_PER_BUILD, Docker link environment variables (DOCKER_PORT_2375_TCP...) are not set, but ' +
        '{jobs} rely on them without an explicit DOCKER_HOST: set DOCKER_HOST in those jobs.',
    },
    'zh-cn': {
      'legacy-link-variables.what-variable': 'DOCKER_HOST 为 `{value}`',
      'legacy-link-variables.what-image':
        '客户端镜像 `{image}`（< 19.03）只会根据 DOCKER_PORT_2375_TCP 设置 DOCKER_HOST',
      'legacy-link-variables.what-script': '脚本读取了 `{variable}`',
      'legacy-link-variables.reason-flag': 'FF_NETWORK_PER_BUILD 已开启',
      'legacy-link-variables.reason-runner': 'Runner ≥ 18.7 通过 `extra_hosts` 模拟 link',
      'legacy-link-variables.message':
        '使用按作业创建的网络时，或在 Runner ≥ 18.7 上（{reason}），不会再设置 Docker link 环境变量' +
        '（DOCKER_PORT_2375_TCP...），但在作业 `{job}` 中，{what}。DOCKER_HOST 未设置（除非在项目的 CI/CD 设置中' +
        '设置了它），因此客户端会失败并报错 `Cannot connect to the Docker daemon at unix:///var/run/docker.sock. ' +
        'Is the docker daemon running?`。请设置 `DOCKER_HOST: {host}`。',
      'legacy-link-variables.message-image':
        '使用按作业创建的网络时，或在 Runner ≥ 18.7 上（{reason}），不会再设置 Docker link 环境变量' +
        '（DOCKER_PORT_2375_TCP...），但在作业 `{job}` 中，{what}。DOCKER_HOST 未设置（除非在项目的 CI/CD 设置中' +
        '设置了它），因此客户端会失败并报错 `Cannot connect to the Docker daemon at unix:///var/run/docker.sock. ' +
        'Is the docker daemon running?`。请设置 `DOCKER_HOST: {host}`，并升级客户端镜像。',
      'legacy-link-variables.fix': '在作业 `{job}` 中设置 `DOCKER_HOST: {host}`',
      'legacy-link-variables.runner':
        '启用 FF_NETWORK_PER_BUILD 后，不会再设置 Docker link 环境变量（DOCKER_PORT_2375_TCP...），但 {jobs} 依赖' +
        '这些变量且未显式设置 DOCKER_HOST：请在这些作业中设置 DOCKER_HOST。',
    },
  },

  checkJob(check, report) {
    const set = new FindingSet();
    for (const p of linkProblems(check.job, check.runner, check.settings)) {
      const vars = hostVariables(p.facts);
      const host = vars?.DOCKER_HOST ?? 'tcp://docker:2376';
      const params = { reason: reason(p.flag), job: check.job.name, what: p.what, host };
      const runnerFlag =
        p.flag.value &&
        p.flag.origin &&
        check.runner &&
        !check.runnerAssumed &&
        p.flag.origin.file === check.runner.file
          ? [{ file: p.flag.origin.file, span: p.flag.origin.span, message: 'FF_NETWORK_PER_BUILD' }]
          : [];
      set.add({
        file: p.place.file,
        span: p.place.span,
        message:
          p.kind === 'image'
            ? msg('legacy-link-variables.message-image', params)
            : msg('legacy-link-variables.message', params),
        related: runnerFlag,
        fixes: () =>
          fixFromResult(
            msg('legacy-link-variables.fix', { host, job: check.job.name }),
            hostFix(check, p),
            false,
            true,
          ),
      });
    }
    set.flush(report);
  },

  checkRunner(check, report) {
    const runner = check.runner;
    const table = runner.table.tables.get('feature_flags');
    const entry = table?.entries.get('FF_NETWORK_PER_BUILD');
    if (!entry || entry.value !== true) return;
    const hits = check.jobs.flatMap((job) =>
      linkProblems(job, runner, check.settings)
        .filter((p) => p.flag.source === 'runner-feature-flags' && p.place.file !== runner.file)
        .map((p) => ({ job, place: p.place })),
    );
    reportForRunner(report, { file: runner.file, span: entry.span }, hits, (jobs) =>
      msg('legacy-link-variables.runner', { jobs }),
    );
  },
};
