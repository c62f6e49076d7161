// A13 `dind/client-env-not-autoconfigured`: a job has a dind service but its Docker client is not configured by the
// `docker` image entrypoint (Kubernetes without FF_KUBERNETES_HONOR_ENTRYPOINT, a non-`docker` image, or an
// overridden entrypoint), and the job does not set DOCKER_HOST itself (or, with TLS, the TLS client variables).

import type { Origin } from '../ci/model';
import { msg } from '../i18n';
import { DIND_TLS_PORT } from '../semantics/daemon';
import { JobFacts } from '../semantics/facts';
import { dockerInvocations } from '../semantics/usage';
import { executorClass } from '../semantics/runner';
import type { Fix } from '../types';
import type { Rule } from './rule';
import {
  disableTlsEdit,
  fixes,
  hostAlias,
  makeFix,
  related,
  runnerPlace,
  setVariablesEdit,
  targetDind,
  type Place,
} from './tls-certs-volume-missing';

function isSetNonEmpty(facts: JobFacts, name: string): boolean {
  const v = facts.buildVar(name);
  return v.state !== 'unset' && (v.state === 'unknown' || v.value !== '');
}

export const clientEnvNotAutoconfigured: Rule = {
  meta: {
    id: 'dind/client-env-not-autoconfigured',
    catalogue: 'A13',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'Without the docker image entrypoint, a dind job must set DOCKER_HOST (and the TLS client variables)',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#docker-in-docker-with-tls-enabled-in-kubernetes',
    fixSafe: false,
  },

  messages: {
    en: {
      'client-env-not-autoconfigured.message':
        'The Docker client in `{image}` is not auto-configured (entrypoint not run: {why}); {need} in job `{job}` ' +
        '(unless set in the project\'s CI/CD settings). Otherwise it fails with "{failure}".',
      'client-env-not-autoconfigured.runner':
        'Runner `{runner}` (Kubernetes) does not run image entrypoints, so the Docker client of job `{job}` is not ' +
        'auto-configured for its dind service; {need} in the job, or enable FF_KUBERNETES_HONOR_ENTRYPOINT.',
      'client-env-not-autoconfigured.why-kubernetes-flag-on':
        'the Kubernetes executor does not run image entrypoints (FF_KUBERNETES_HONOR_ENTRYPOINT is on)',
      'client-env-not-autoconfigured.why-kubernetes-flag-off':
        'the Kubernetes executor does not run image entrypoints (FF_KUBERNETES_HONOR_ENTRYPOINT is off)',
      'client-env-not-autoconfigured.why-entrypoint-overridden': 'its entrypoint is overridden',
      'client-env-not-autoconfigured.why-not-docker-image':
        'it is not a `docker` image, so docker-entrypoint.sh does not run',
      'client-env-not-autoconfigured.need-host': 'set DOCKER_HOST',
      'client-env-not-autoconfigured.need-host-and-tls':
        'set DOCKER_HOST (and DOCKER_TLS_VERIFY/DOCKER_CERT_PATH for TLS)',
      'client-env-not-autoconfigured.need-tls-variables': 'set DOCKER_TLS_VERIFY: 1 and DOCKER_CERT_PATH for TLS',
      'client-env-not-autoconfigured.fix-tls-client':
        'Configure the client for TLS: DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH',
      'client-env-not-autoconfigured.fix-plain-client':
        'Configure the client without TLS: DOCKER_HOST: tcp://docker:2375, DOCKER_TLS_CERTDIR: ""',
    },
    'zh-cn': {
      'client-env-not-autoconfigured.message':
        '镜像 `{image}` 中的 Docker 客户端未被自动配置（入口点未运行：{why}）；请在作业 `{job}` 中{need}（除非已在' +
        '项目的 CI/CD 设置中设置）。否则会失败并报错 "{failure}"。',
      'client-env-not-autoconfigured.runner':
        'Runner `{runner}`（Kubernetes）不运行镜像入口点，因此作业 `{job}` 的 Docker 客户端不会针对其 dind 服务' +
        '自动配置；请在作业中{need}，或启用 FF_KUBERNETES_HONOR_ENTRYPOINT。',
      'client-env-not-autoconfigured.why-kubernetes-flag-on':
        'Kubernetes 执行器不运行镜像入口点（FF_KUBERNETES_HONOR_ENTRYPOINT 已开启）',
      'client-env-not-autoconfigured.why-kubernetes-flag-off':
        'Kubernetes 执行器不运行镜像入口点（FF_KUBERNETES_HONOR_ENTRYPOINT 未开启）',
      'client-env-not-autoconfigured.why-entrypoint-overridden': '它的入口点被覆盖了',
      'client-env-not-autoconfigured.why-not-docker-image': '它不是 `docker` 镜像，因此 docker-entrypoint.sh 不会运行',
      'client-env-not-autoconfigured.need-host': '设置 DOCKER_HOST',
      'client-env-not-autoconfigured.need-host-and-tls':
        '设置 DOCKER_HOST（使用 TLS 时还需设置 DOCKER_TLS_VERIFY/DOCKER_CERT_PATH）',
      'client-env-not-autoconfigured.need-tls-variables': '设置 DOCKER_TLS_VERIFY: 1 和 DOCKER_CERT_PATH 以使用 TLS',
      'client-env-not-autoconfigured.fix-tls-client':
        '为客户端配置 TLS：DOCKER_HOST、DOCKER_TLS_VERIFY 和 DOCKER_CERT_PATH',
      'client-env-not-autoconfigured.fix-plain-client':
        '为客户端配置不使用 TLS：DOCKER_HOST: tcp://docker:2375、DOCKER_TLS_CERTDIR: ""',
    },
  },

  checkJob(check, report) {
    const runner = check.runner;
    for (const facts of JobFacts.variants(check.job, runner, check.settings)) {
      if (facts.dindServices.length === 0) continue;
      const auto = facts.clientAuto;
      if (auto.value || auto.reason === 'executor-without-containers' || auto.reason === 'no-image') continue;
      if (facts.socketMount) continue;
      const image = facts.image;
      if (!image || image.ref.unresolved) continue;
      // A non-docker image that runs no docker command itself (a build tool image such as auto-build-image) may
      // configure its own client: no verdict.
      if (auto.reason === 'not-docker-image' && dockerInvocations(check.job).length === 0) continue;
      const s = targetDind(facts) ?? facts.dindServices[0];
      if (!s) continue;
      const d = facts.daemon(s);
      const host = facts.buildVar('DOCKER_HOST');
      const tlsVarsMissing = !isSetNonEmpty(facts, 'DOCKER_TLS_VERIFY') && !isSetNonEmpty(facts, 'DOCKER_CERT_PATH');
      const endpoint = facts.dockerHost.endpoint;
      const hostUnset = host.state === 'unset';
      const plainToTls =
        !hostUnset &&
        d.tls === true &&
        tlsVarsMissing &&
        endpoint?.scheme === 'tcp' &&
        endpoint.port === DIND_TLS_PORT &&
        facts.aliases(s).some((a) => a.toLowerCase() === endpoint.host.toLowerCase());
      if (!hostUnset && !plainToTls) continue;

      const why =
        auto.reason === 'kubernetes-entrypoint-not-honored'
          ? auto.flag?.value
            ? msg('client-env-not-autoconfigured.why-kubernetes-flag-on')
            : msg('client-env-not-autoconfigured.why-kubernetes-flag-off')
          : auto.reason === 'entrypoint-overridden'
            ? msg('client-env-not-autoconfigured.why-entrypoint-overridden')
            : msg('client-env-not-autoconfigured.why-not-docker-image');
      const origin: Origin = auto.entrypointOrigin ?? image.name.origin;
      const failure = hostUnset
        ? 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?'
        : 'Client sent an HTTP request to an HTTPS server.';
      const need = !hostUnset
        ? msg('client-env-not-autoconfigured.need-tls-variables')
        : d.tls === true
          ? msg('client-env-not-autoconfigured.need-host-and-tls')
          : msg('client-env-not-autoconfigured.need-host');

      const alias = hostAlias(facts, s);
      const dir = d.certDir.state === 'set' ? d.certDir.value : '';
      const certsReachClient = d.tls === true && (runner === null || facts.certsShared(dir) !== null);
      const tlsFix = (): Fix | undefined =>
        certsReachClient
          ? makeFix(
              msg('client-env-not-autoconfigured.fix-tls-client'),
              false,
              true,
              setVariablesEdit(check, facts, s, {
                ...(hostUnset ? { DOCKER_HOST: `tcp://${alias}:2376` } : {}),
                ...(facts.variables.has('DOCKER_TLS_CERTDIR') ? {} : { DOCKER_TLS_CERTDIR: dir }),
                DOCKER_TLS_VERIFY: '1',
                DOCKER_CERT_PATH: '$DOCKER_TLS_CERTDIR/client',
              }),
            )
          : undefined;
      const plainFix = (): Fix | undefined =>
        makeFix(
          msg('client-env-not-autoconfigured.fix-plain-client'),
          false,
          !certsReachClient,
          disableTlsEdit(check, facts, s),
        );
      const k8s = runner !== null && !check.runnerAssumed && executorClass(runner) === 'kubernetes';
      const tomlPlace: Place | null = k8s
        ? auto.flag?.origin && auto.flag.origin.file === runner.file
          ? { file: auto.flag.origin.file, span: auto.flag.origin.span }
          : { file: runner.file, span: runner.kubernetes?.headerSpan ?? runnerPlace(runner, null, '').span }
        : null;
      report({
        message: msg('client-env-not-autoconfigured.message', {
          image: image.ref.raw,
          why,
          need,
          job: check.job.name,
          failure,
        }),
        file: origin.file,
        span: origin.span,
        ...(tomlPlace ? { related: [related(tomlPlace, `runner \`${runner?.label ?? ''}\``)] } : {}),
        fixes: () => fixes(tlsFix(), plainFix()),
      });
      if (tomlPlace && runner) {
        report({
          message: msg('client-env-not-autoconfigured.runner', { runner: runner.label, job: check.job.name, need }),
          file: tomlPlace.file,
          span: tomlPlace.span,
          related: [related({ file: origin.file, span: origin.span }, `job \`${check.job.name}\` image`)],
          fixes: () => fixes(tlsFix(), plainFix()),
        });
      }
    }
  },
};
