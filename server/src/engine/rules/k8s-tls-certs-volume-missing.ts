// A10 `dind/k8s-tls-certs-volume-missing`: on the Kubernetes executor a TLS dind service needs a volume (usually an
// `empty_dir`) mounted at `$DOCKER_TLS_CERTDIR/client` (or a parent), shared by the build and service containers.

import type { EffectiveJob, Origin } from '../ci/model';
import { msg } from '../i18n';
import type { Runner } from '../runner/model';
import { JobFacts } from '../semantics/facts';
import { executorClass } from '../semantics/runner';
import type { Svc } from '../semantics/services';
import type { Settings } from '../settings';
import { jobNames } from './lists';
import type { Fix } from '../types';
import type { Rule } from './rule';
import {
  affectedJobs,
  clientDir,
  DISABLE_TLS_TITLE,
  disableTlsEdit,
  fixes,
  k8sCertsVolumeEdit,
  makeFix,
  related,
  type Place,
} from './tls-certs-volume-missing';

interface Problem {
  readonly facts: JobFacts;
  readonly s: Svc;
  readonly dir: string;
  readonly place: Origin;
}

function problems(job: EffectiveJob, runner: Runner, settings: Settings): Problem[] {
  if (executorClass(runner) !== 'kubernetes') return [];
  const out: Problem[] = [];
  for (const facts of JobFacts.variants(job, runner, settings)) {
    for (const s of facts.dindServices) {
      const d = facts.daemon(s);
      if (d.tls !== true || !d.entrypointRuns || d.certDir.state !== 'set') continue;
      if (facts.certsShared(d.certDir.value) !== null) continue;
      const place = d.certDir.layer === 'image-default' ? s.name.origin : d.certDir.origin;
      out.push({ facts, s, dir: d.certDir.value, place });
    }
  }
  return out;
}

const seen = new WeakMap<Runner, WeakMap<EffectiveJob, boolean>>();

export const k8sTlsCertsVolumeMissing: Rule = {
  meta: {
    id: 'dind/k8s-tls-certs-volume-missing',
    catalogue: 'A10',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'Kubernetes dind with TLS needs an empty_dir volume at `$DOCKER_TLS_CERTDIR/client` for build and service',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#docker-in-docker-with-tls-enabled-in-kubernetes',
    fixSafe: true,
  },

  messages: {
    en: {
      'k8s-tls-certs-volume-missing.message':
        'Kubernetes dind with TLS (DOCKER_TLS_CERTDIR={dir}) needs an `empty_dir` volume at `{client}` ' +
        'shared by the build and service containers; runner `{runner}` has none, so job `{job}` fails with ' +
        '"unable to resolve docker endpoint: open {client}/ca.pem: no such file or directory" ' +
        '(with DOCKER_TLS_VERIFY/DOCKER_CERT_PATH) or "Cannot connect to the Docker daemon at tcp://docker:2376". ' +
        'Add [[runners.kubernetes.volumes.empty_dir]] with mount_path = "{client}", or turn TLS off.',
      'k8s-tls-certs-volume-missing.runner-message-one':
        'Kubernetes dind with TLS needs an `empty_dir` volume at `{client}` shared by the build and service ' +
        'containers: runner `{runner}` has none, but {jobs} runs dind with TLS (DOCKER_TLS_CERTDIR={dir}).',
      'k8s-tls-certs-volume-missing.runner-message':
        'Kubernetes dind with TLS needs an `empty_dir` volume at `{client}` shared by the build and service ' +
        'containers: runner `{runner}` has none, but {jobs} run dind with TLS (DOCKER_TLS_CERTDIR={dir}).',
      'k8s-tls-certs-volume-missing.fix-add-volume': 'Add an empty_dir volume at "{client}" to runner `{runner}`',
    },
    'zh-cn': {
      'k8s-tls-certs-volume-missing.message':
        '启用 TLS 的 Kubernetes dind（DOCKER_TLS_CERTDIR={dir}）需要在 `{client}` 挂载一个由构建容器和服务容器共享的 ' +
        '`empty_dir` 卷；Runner `{runner}` 没有这样的卷，因此作业 `{job}` 会以 ' +
        '"unable to resolve docker endpoint: open {client}/ca.pem: no such file or directory"' +
        '（设置了 DOCKER_TLS_VERIFY/DOCKER_CERT_PATH 时）或 "Cannot connect to the Docker daemon at tcp://docker:2376" 失败。' +
        '请添加 mount_path = "{client}" 的 [[runners.kubernetes.volumes.empty_dir]]，或关闭 TLS。',
      'k8s-tls-certs-volume-missing.runner-message-one':
        '启用 TLS 的 Kubernetes dind 需要在 `{client}` 挂载一个由构建容器和服务容器共享的 `empty_dir` 卷：' +
        'Runner `{runner}` 没有这样的卷，但作业 {jobs} 运行启用了 TLS 的 dind（DOCKER_TLS_CERTDIR={dir}）。',
      'k8s-tls-certs-volume-missing.runner-message':
        '启用 TLS 的 Kubernetes dind 需要在 `{client}` 挂载一个由构建容器和服务容器共享的 `empty_dir` 卷：' +
        'Runner `{runner}` 没有这样的卷，但作业 {jobs} 运行启用了 TLS 的 dind（DOCKER_TLS_CERTDIR={dir}）。',
      'k8s-tls-certs-volume-missing.fix-add-volume': '为 Runner `{runner}` 添加挂载在 "{client}" 的 empty_dir 卷',
    },
  },

  checkJob(check, report) {
    const runner = check.runner;
    if (!runner || check.runnerAssumed) return;
    for (const p of problems(check.job, runner, check.settings)) {
      const client = clientDir(p.dir);
      const ciPlace: Place = { file: p.place.file, span: p.place.span };
      const tomlPlace: Place = {
        file: runner.file,
        span: runner.kubernetes?.headerSpan ?? runner.table.headerSpan ?? { start: 0, end: 0 },
      };
      const volumeFix = (): Fix | undefined =>
        makeFix(
          msg('k8s-tls-certs-volume-missing.fix-add-volume', { client, runner: runner.label }),
          true,
          true,
          k8sCertsVolumeEdit(check, runner, p.dir),
        );
      const tlsOff = (): Fix | undefined =>
        makeFix(DISABLE_TLS_TITLE, false, false, disableTlsEdit(check, p.facts, p.s));
      report({
        message: msg('k8s-tls-certs-volume-missing.message', {
          dir: p.dir,
          client,
          runner: runner.label,
          job: check.job.name,
        }),
        file: ciPlace.file,
        span: ciPlace.span,
        related: [related(tomlPlace, `runner \`${runner.label}\``)],
        fixes: () => fixes(volumeFix(), tlsOff()),
      });
      const jobs = affectedJobs(seen, check, (j, r, settings) => problems(j, r, settings).length > 0);
      report({
        message: msg(
          jobs.length === 1
            ? 'k8s-tls-certs-volume-missing.runner-message-one'
            : 'k8s-tls-certs-volume-missing.runner-message',
          { client, runner: runner.label, jobs: jobNames(jobs, Infinity), dir: p.dir },
        ),
        file: tomlPlace.file,
        span: tomlPlace.span,
        job: null,
        related: [related(ciPlace, `DOCKER_TLS_CERTDIR=${p.dir} for job \`${check.job.name}\``)],
        fixes: () => fixes(volumeFix()),
      });
    }
  },
};
