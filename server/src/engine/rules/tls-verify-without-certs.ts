// A12 `dind/tls-verify-without-certs`: the client is told to use TLS (DOCKER_TLS_VERIFY set to anything, even "0",
// or DOCKER_CERT_PATH set) while the dind daemon serves no TLS or the runner does not share its certificates.
// DOCKER_TLS_VERIFY: "0"/"false" on its own is reported as misleading.

import { JobFacts } from '../semantics/facts';
import type { KnownVar } from '../semantics/variables';
import type { Rule } from './rule';
import { certsVolumeEdit, clientDir, fixes, makeFix, setVariablesEdit, targetDind } from './tls-certs-volume-missing';

const REMOVE_TITLE = 'Remove DOCKER_TLS_VERIFY and DOCKER_CERT_PATH';

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
      const vars = [verify && `DOCKER_TLS_VERIFY=${verify.value}`, certPath && `DOCKER_CERT_PATH=${certPath.value}`]
        .filter(Boolean)
        .join(' and ');
      const runner = check.runner;
      let reason: string | undefined;
      if (!d.tls) {
        reason =
          `the dind service \`${s.name.value}\` does not serve TLS (DOCKER_TLS_CERTDIR is empty): the client fails ` +
          `with "server gave HTTP response to HTTPS client" or "unable to resolve docker endpoint: open ` +
          `${certPath ? certPath.value : '/certs/client'}/ca.pem: no such file or directory"`;
      } else if (shared === null && runner) {
        reason =
          `runner \`${runner.label}\` does not share \`${clientDir(dir)}\`, so the certificates are missing: the ` +
          `client fails with "unable to resolve docker endpoint: open ${certPath ? certPath.value : clientDir(dir)}/ca.pem: ` +
          'no such file or directory"';
      }
      const note = 'DOCKER_TLS_VERIFY enables TLS whenever it is set, even to "0"';
      if (reason) {
        const remove = d.tls
          ? undefined
          : makeFix(
              REMOVE_TITLE,
              false,
              true,
              setVariablesEdit(check, facts, null, { DOCKER_TLS_VERIFY: null, DOCKER_CERT_PATH: null }),
            );
        const share =
          d.tls && runner && !check.runnerAssumed
            ? makeFix(
                `Share "${clientDir(dir)}" with the job in runner \`${runner.label}\``,
                true,
                true,
                certsVolumeEdit(check, runner, dir),
              )
            : undefined;
        report({
          message:
            `${note}; job \`${check.job.name}\` sets ${vars} but ${reason}. Remove the TLS variables, or enable TLS ` +
            "and share the certificates (unless these are set in the project's CI/CD settings differently).",
          file: at.origin.file,
          span: at.origin.span,
          fixes: fixes(remove, share),
        });
      } else if (misleading && verify) {
        report({
          severity: 'warning',
          message:
            `${note}: DOCKER_TLS_VERIFY=${verify.value} in job \`${check.job.name}\` does not turn verification off. ` +
            'Use DOCKER_TLS_VERIFY: "1" to say what happens, or remove it and DOCKER_CERT_PATH to use plain TCP.',
          file: verify.origin.file,
          span: verify.origin.span,
          fixes: fixes(
            makeFix(
              'Set DOCKER_TLS_VERIFY to "1"',
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
