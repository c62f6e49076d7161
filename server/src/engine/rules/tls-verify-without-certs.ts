// A12 `dind/tls-verify-without-certs`: the client is told to use TLS (DOCKER_TLS_VERIFY set to anything, even "0",
// or DOCKER_CERT_PATH set) while the dind daemon serves no TLS or the runner does not share its certificates.
// DOCKER_TLS_VERIFY: "0"/"false" on its own is reported as misleading.

import { msg, type Msg } from '../i18n';
import { JobFacts } from '../semantics/facts';
import type { KnownVar } from '../semantics/variables';
import type { Fix } from '../types';
import type { Rule } from './rule';
import { certsVolumeEdit, clientDir, fixes, makeFix, setVariablesEdit, targetDind } from './tls-certs-volume-missing';

/** A client TLS variable with a known, non-empty value. */
function nonEmpty(facts: JobFacts, name: string): KnownVar | undefined {
  const v = facts.buildVar(name);
  return v.state === 'set' && v.value !== '' ? v : undefined;
}

export const tlsVerifyWithoutCerts: Rule = {
  meta: {
    id: 'dind/tls-verify-without-certs',
    catalogue: 'A12',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'DOCKER_TLS_VERIFY/DOCKER_CERT_PATH need a dind daemon that serves TLS and shared certificates',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#docker-in-docker-with-tls-enabled-in-the-docker-executor',
    fixSafe: false,
  },

  messages: {
    en: {
      'tls-verify-without-certs.message':
        'DOCKER_TLS_VERIFY enables TLS whenever it is set, even to "0"; job `{job}` sets {vars} but {reason}. Remove ' +
        "the TLS variables, or enable TLS and share the certificates (unless these are set in the project's CI/CD " +
        'settings differently).',
      'tls-verify-without-certs.vars-both': 'DOCKER_TLS_VERIFY={verify} and DOCKER_CERT_PATH={certPath}',
      'tls-verify-without-certs.reason-no-tls':
        'the dind service `{service}` does not serve TLS (DOCKER_TLS_CERTDIR is empty): the client fails with "server ' +
        'gave HTTP response to HTTPS client" or "unable to resolve docker endpoint: open {certPath}/ca.pem: no such ' +
        'file or directory"',
      'tls-verify-without-certs.reason-not-shared':
        'runner `{runner}` does not share `{dir}`, so the certificates are missing: the client fails with "unable to ' +
        'resolve docker endpoint: open {certPath}/ca.pem: no such file or directory"',
      'tls-verify-without-certs.misleading':
        'DOCKER_TLS_VERIFY enables TLS whenever it is set, even to "0": DOCKER_TLS_VERIFY={value} in job `{job}` does ' +
        'not turn verification off. Use DOCKER_TLS_VERIFY: "1" to say what happens, or remove it and DOCKER_CERT_PATH ' +
        'to use plain TCP.',
      'tls-verify-without-certs.fix-remove': 'Remove DOCKER_TLS_VERIFY and DOCKER_CERT_PATH',
      'tls-verify-without-certs.fix-share': 'Share "{dir}" with the job in runner `{runner}`',
      'tls-verify-without-certs.fix-verify-1': 'Set DOCKER_TLS_VERIFY to "1"',
    },
    'zh-cn': {
      'tls-verify-without-certs.message':
        '只要设置了 DOCKER_TLS_VERIFY（即使设为 "0"），就会启用 TLS；作业 `{job}` 设置了 {vars}，但 {reason}。请删除' +
        '这些 TLS 变量，或者启用 TLS 并共享证书（除非项目的 CI/CD 设置中对这些变量另有设置）。',
      'tls-verify-without-certs.vars-both': 'DOCKER_TLS_VERIFY={verify} 和 DOCKER_CERT_PATH={certPath}',
      'tls-verify-without-certs.reason-no-tls':
        'dind 服务 `{service}` 不提供 TLS（DOCKER_TLS_CERTDIR 为空）：客户端会失败并报错 "server gave HTTP response ' +
        'to HTTPS client" 或 "unable to resolve docker endpoint: open {certPath}/ca.pem: no such file or directory"',
      'tls-verify-without-certs.reason-not-shared':
        'Runner `{runner}` 没有共享 `{dir}`，因此缺少证书：客户端会失败并报错 "unable to resolve docker endpoint: ' +
        'open {certPath}/ca.pem: no such file or directory"',
      'tls-verify-without-certs.misleading':
        '只要设置了 DOCKER_TLS_VERIFY（即使设为 "0"），就会启用 TLS：作业 `{job}` 中的 DOCKER_TLS_VERIFY={value} ' +
        '并不会关闭校验。请使用 DOCKER_TLS_VERIFY: "1" 明确表达实际行为，或者删除它和 DOCKER_CERT_PATH 以使用普通 TCP。',
      'tls-verify-without-certs.fix-remove': '删除 DOCKER_TLS_VERIFY 和 DOCKER_CERT_PATH',
      'tls-verify-without-certs.fix-share': '在 Runner `{runner}` 中与作业共享 "{dir}"',
      'tls-verify-without-certs.fix-verify-1': '将 DOCKER_TLS_VERIFY 设为 "1"',
    },
  },

  checkJob(check, report) {
    for (const facts of JobFacts.variants(check.job, check.runner, check.settings)) {
      const verify = nonEmpty(facts, 'DOCKER_TLS_VERIFY');
      const certPath = nonEmpty(facts, 'DOCKER_CERT_PATH');
      const at = verify ?? certPath;
      if (!at) continue;
      const s = targetDind(facts);
      if (!s) continue;
      const d = facts.daemon(s);
      if (d.tls === null) continue;
      const dir = d.certDir.state === 'set' ? d.certDir.value : '';
      const shared = d.tls ? facts.certsShared(dir) : undefined;
      const misleading = verify !== undefined && /^(0|false)$/i.test(verify.value.trim());
      const vars =
        verify && certPath
          ? msg('tls-verify-without-certs.vars-both', { verify: verify.value, certPath: certPath.value })
          : verify
            ? `DOCKER_TLS_VERIFY=${verify.value}`
            : `DOCKER_CERT_PATH=${certPath?.value ?? ''}`;
      const runner = check.runner;
      let reason: Msg | undefined;
      if (!d.tls) {
        reason = msg('tls-verify-without-certs.reason-no-tls', {
          service: s.name.value,
          certPath: certPath ? certPath.value : '/certs/client',
        });
      } else if (shared === null && runner) {
        reason = msg('tls-verify-without-certs.reason-not-shared', {
          runner: runner.label,
          dir: clientDir(dir),
          certPath: certPath ? certPath.value : clientDir(dir),
        });
      }
      if (reason) {
        const tls = d.tls;
        const remove = (): Fix | undefined =>
          tls
            ? undefined
            : makeFix(
                msg('tls-verify-without-certs.fix-remove'),
                false,
                true,
                setVariablesEdit(check, facts, null, { DOCKER_TLS_VERIFY: null, DOCKER_CERT_PATH: null }),
              );
        const share = (): Fix | undefined =>
          tls && runner && !check.runnerAssumed
            ? makeFix(
                msg('tls-verify-without-certs.fix-share', { dir: clientDir(dir), runner: runner.label }),
                true,
                true,
                certsVolumeEdit(check, runner, dir),
              )
            : undefined;
        report({
          message: msg('tls-verify-without-certs.message', { job: check.job.name, vars, reason }),
          file: at.origin.file,
          span: at.origin.span,
          fixes: () => fixes(remove(), share()),
        });
      } else if (misleading && verify) {
        report({
          severity: 'warning',
          message: msg('tls-verify-without-certs.misleading', { value: verify.value, job: check.job.name }),
          file: verify.origin.file,
          span: verify.origin.span,
          fixes: () =>
            fixes(
              makeFix(
                msg('tls-verify-without-certs.fix-verify-1'),
                false,
                true,
                setVariablesEdit(check, facts, null, { DOCKER_TLS_VERIFY: '1' }),
              ),
            ),
        });
      }
    }
  },
};
