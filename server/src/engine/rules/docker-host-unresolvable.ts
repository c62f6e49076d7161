// A17 `dind/docker-host-unresolvable`: DOCKER_HOST names a host no dind service container answers to: an alias
// that is not set, `localhost` on a Docker executor (only Kubernetes pods share the network namespace), an alias
// written with a variable (not expanded, S8), or a Kubernetes alias that is not a valid DNS name.

import { combineEdits } from '../fix/common';
import { parseDockerHost } from '../semantics/client';
import { JobFacts } from '../semantics/facts';
import { entryOf, executorClass, tableOrigin, tomlOrigin } from '../semantics/runner';
import type { KnownVar } from '../semantics/variables';
import type { Fix, RelatedLocation } from '../types';
import type { JobCheck, Report, Rule } from './rule';
import {
  addTlsSan,
  editable,
  fixOf,
  knownAliases,
  literalAlias,
  pointAtDocker,
  rewriteVariable,
  setServiceKeys,
  withHost,
} from './service-alias-missing';

/** A lowercase RFC 1123 subdomain, what the Kubernetes executor accepts as a host alias (S7). */
const RFC1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function isIpAddress(host: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(host) || host.includes(':');
}

const FAILURE_LOOKUP = (h: string) => `\`error during connect: ... lookup ${h} on x.x.x.x:53: no such host\``;

function list(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.map((n) => `\`${n}\``).join(', ');
}

/** An alias the Kubernetes executor accepts, derived from an invalid one (`alpine_edge` → `alpine-edge`). */
function sanitizeAlias(alias: string): string {
  return alias
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
}

export const dockerHostUnresolvable: Rule = {
  meta: {
    id: 'dind/docker-host-unresolvable',
    catalogue: 'A17',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'DOCKER_HOST must name a host that a dind service container answers to',
    docs: 'https://docs.gitlab.com/ci/services/#accessing-the-services',
    fixSafe: false,
  },

  checkJob(check, report) {
    const runner = check.runner;
    const cls = runner ? executorClass(runner) : null;
    if (cls === 'no-containers') return;
    for (const facts of JobFacts.variants(check.job, runner, check.settings)) {
      if (cls === 'kubernetes') checkKubernetesAliases(check, facts, report);
      const v = facts.dockerHost.variable;
      if (facts.dockerHost.source !== 'variable' || v === null) continue;
      const dind = facts.dindServices;
      if (dind.length === 0 || !editable(check, v.origin.file)) continue;
      if (v.state === 'unknown') {
        checkVariableAlias(check, facts, v, report);
        continue;
      }
      const endpoint = facts.dockerHost.endpoint;
      if (endpoint?.scheme !== 'tcp') continue;
      const host = endpoint.host.toLowerCase();
      if (host === 'docker') continue;
      const target = dind[0];
      if (!target) continue;
      const available = [...new Set(dind.flatMap((s) => knownAliases(s)?.names ?? []))];
      const dockerFix = (preferred: boolean): Fix[] =>
        fixOf(
          `Point DOCKER_HOST at \`${withHost(v.raw, 'docker')}\``,
          pointAtDocker(check, v, dind.find((s) => knownAliases(s)?.names.includes('docker')) ?? target),
          false,
          preferred,
        );
      if (isLoopback(host)) {
        if (cls !== 'docker-like' || runner === null) continue;
        const tomlSide = !check.runnerAssumed;
        const executor = entryOf(runner.table, 'executor');
        const tomlOriginOf = executor ? tomlOrigin(runner, executor) : tableOrigin(runner, runner.table);
        const related: RelatedLocation[] = tomlSide
          ? [
              {
                file: tomlOriginOf.file,
                span: tomlOriginOf.span,
                message: `runner \`${runner.label}\` uses the ${runner.executor ?? 'docker'} executor`,
              },
            ]
          : [];
        report({
          file: v.origin.file,
          span: v.origin.span,
          message:
            `DOCKER_HOST points to \`${endpoint.host}\` but no service container has that hostname (available: ${list(available)}): ` +
            `on the ${runner.executor ?? 'docker'} executor of runner \`${runner.label}\` each service runs in its own container, so \`${endpoint.host}\` is the build container itself ` +
            `(only Kubernetes pods share localhost). Job \`${check.job.name}\` fails with \`Cannot connect to the Docker daemon at ${v.value}. Is the docker daemon running?\`. ` +
            'Use `tcp://docker:<port>`.',
          related,
          fixes: dockerFix(true),
        });
        if (tomlSide) {
          const affected = check.jobsOnRunner.filter((j) =>
            JobFacts.variants(j, runner, check.settings).some((f) => {
              const e = f.dockerHost.endpoint;
              return f.dockerHost.source === 'variable' && e?.scheme === 'tcp' && isLoopback(e.host.toLowerCase());
            }),
          );
          const jobs = (affected.length > 0 ? affected : [check.job]).map((j) => `\`${j.name}\``).join(', ');
          report({
            file: tomlOriginOf.file,
            span: tomlOriginOf.span,
            job: null,
            message:
              `Runner \`${runner.label}\` runs each service in its own container, but DOCKER_HOST points to a loopback address ` +
              `in jobs ${jobs}; that only works on Kubernetes, where pod containers share localhost.`,
            related: [{ file: v.origin.file, span: v.origin.span, message: 'DOCKER_HOST is set here' }],
          });
        }
        continue;
      }
      if (facts.services.some((s) => knownAliases(s)?.names.some((n) => n.toLowerCase() === host) ?? true)) continue;
      if (dind.some((s) => knownAliases(s) === null) || isIpAddress(host)) continue;
      const varAlias = dind.find((s) =>
        s.aliases.some((a) => !literalAlias(a) && facts.serviceScope(s).expand(a).value.toLowerCase() === host),
      );
      const note = varAlias
        ? ` Service \`${varAlias.name.value}\` sets \`alias: ${varAlias.aliases.join(' ')}\`, but variables are not expanded in \`alias\`.`
        : '';
      const aliasTarget = varAlias ?? target;
      const related: RelatedLocation[] = [];
      const place = aliasTarget.aliasOrigin ?? aliasTarget.name.origin;
      if (editable(check, place.file))
        related.push({ file: place.file, span: place.span, message: `dind service \`${aliasTarget.name.value}\`` });
      const validName = cls === 'kubernetes' ? RFC1123.test(host) : /^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/.test(host);
      const aliasFix: Fix[] = [];
      if (validName) {
        const alias = [...aliasTarget.aliases.filter(literalAlias), host].join(' ');
        const tls = facts.daemon(aliasTarget).tls === true;
        const edits = tls
          ? addTlsSan(check, facts, aliasTarget, host, { alias })
          : setServiceKeys(check, aliasTarget, { alias });
        aliasFix.push(
          ...fixOf(
            `Add alias \`${host}\`${tls ? ` and DOCKER_TLS_SAN \`DNS:${host}\`` : ''} to service \`${aliasTarget.name.value}\``,
            edits,
            false,
            false,
          ),
        );
      }
      report({
        file: v.origin.file,
        span: v.origin.span,
        message:
          `DOCKER_HOST points to \`${endpoint.host}\` but no service container has that hostname (available: ${list(available)}).${note} ` +
          `Job \`${check.job.name}\` fails with ${FAILURE_LOOKUP(endpoint.host)}. Point DOCKER_HOST at \`tcp://docker:${endpoint.port}\` or add \`alias: ${endpoint.host}\` to the dind service.`,
        related,
        fixes: [...dockerFix(true), ...aliasFix],
      });
    }
  },
};

/** DOCKER_HOST depends on an unknown variable that a dind service also uses as its `alias` (never expanded). */
function checkVariableAlias(check: JobCheck, facts: JobFacts, v: KnownVar, report: Report): void {
  const raw = parseDockerHost(v.raw);
  if (raw.scheme !== 'tcp' || literalAlias(raw.host)) return;
  const s = facts.dindServices.find((d) => d.aliases.includes(raw.host));
  if (!s) return;
  const place = s.aliasOrigin ?? s.name.origin;
  report({
    file: v.origin.file,
    span: v.origin.span,
    message:
      `DOCKER_HOST points to \`${raw.host}\`, and service \`${s.name.value}\` sets \`alias: ${raw.host}\`, but variables are not expanded in \`alias\`, ` +
      `so no service container has that hostname. Job \`${check.job.name}\` fails with ${FAILURE_LOOKUP('<host>')}. Write the alias literally, or point DOCKER_HOST at \`tcp://docker:${raw.port}\`.`,
    related: editable(check, place.file)
      ? [{ file: place.file, span: place.span, message: 'alias with a variable' }]
      : [],
    fixes: fixOf(`Point DOCKER_HOST at \`${withHost(v.raw, 'docker')}\``, pointAtDocker(check, v, s), false, true),
  });
}

/** On Kubernetes, every explicit alias becomes a pod host alias and must be a lowercase RFC 1123 name. */
function checkKubernetesAliases(check: JobCheck, facts: JobFacts, report: Report): void {
  for (const s of facts.services) {
    const bad = s.aliases.filter((a) => !RFC1123.test(a));
    const place = s.aliasOrigin;
    if (bad.length === 0 || place === null || !editable(check, place.file)) continue;
    const fixed = s.aliases.map((a) => (RFC1123.test(a) ? a : sanitizeAlias(a)));
    const canFix = bad.every((a) => literalAlias(a) && RFC1123.test(sanitizeAlias(a)));
    const dh = facts.dockerHost;
    const endpoint = dh.endpoint;
    const renamed = endpoint?.scheme === 'tcp' ? bad.find((a) => a === endpoint.host) : undefined;
    const edits = [setServiceKeys(check, s, { alias: fixed.join(' ') })];
    if (renamed !== undefined && dh.variable?.state === 'set') {
      edits.push(rewriteVariable(check, dh.variable, withHost(dh.variable.raw, sanitizeAlias(renamed))));
    }
    report({
      file: place.file,
      span: place.span,
      message:
        `Service \`${s.name.value}\` has the alias ${list(bad)}, which is not a valid DNS name (lowercase letters, digits, \`-\` and \`.\`): ` +
        `the Kubernetes executor of runner \`${check.runner?.label ?? ''}\` fails with \`ERROR: Job failed (system failure): prepare environment: setting up build pod: ` +
        `provided host alias ${bad[0] ?? ''} for service ${s.name.value} is invalid DNS\`. Rename the alias.`,
      fixes: canFix ? fixOf(`Rename the alias to ${list(fixed)}`, combineEdits(...edits), false, true) : [],
    });
  }
}
