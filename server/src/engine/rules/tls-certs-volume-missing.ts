// A9 `dind/tls-certs-volume-missing`: a dind service serves TLS, the client talks TCP, and the runner does not share
// `$DOCKER_TLS_CERTDIR/client` between the service and the build container, so the client never sees the
// certificates. Also home of the edit helpers the TLS rules (A9–A15) share: CI variable edits at their origin,
// the runner volume fixes, and where a runner-side finding lands.

import type { Node } from 'yaml';

import type { EffectiveJob, Origin } from '../ci/model';
import { combineEdits, edit, type EditResult } from '../fix/common';
import { TomlEditor } from '../fix/toml-edit';
import { tomlString } from '../fix/toml-format';
import { YamlEditor } from '../fix/yaml-edit';
import { msg, type Msg } from '../i18n';
import type { Runner, TomlTable } from '../runner/model';
import { parseDockerHost } from '../semantics/client';
import { DIND_PLAIN_PORT, DIND_TLS_PORT, hostFlags } from '../semantics/daemon';
import { executorClass, normalizePath, stringItems } from '../semantics/runner';
import type { Svc } from '../semantics/services';
import { JobFacts } from '../semantics/facts';
import type { Settings } from '../settings';
import type { Fix, RelatedLocation, Span, TextEdit } from '../types';
import { jobNames } from './lists';
import type { JobCheck, Rule, RuleEnv } from './rule';

// ---- shared helpers of the TLS rules ----------------------------------------------------------------------------

const HEALTHCHECK = 'HEALTHCHECK_TCP_PORT';

/** A place in a file (a finding's location). */
export interface Place {
  readonly file: string;
  readonly span: Span;
}

/** `$DOCKER_TLS_CERTDIR/client` for a cert dir. */
export function clientDir(dir: string): string {
  return normalizePath(`${dir}/client`);
}

/** The first alias of a service that a client would use in DOCKER_HOST (`docker` for `docker:24-dind`). */
export function hostAlias(facts: JobFacts, s: Svc): string {
  return facts.aliases(s)[0] ?? 'docker';
}

/** The dind service a job's client talks to: the one whose alias is DOCKER_HOST's host, else the only one. */
export function targetDind(facts: JobFacts): Svc | undefined {
  const dind = facts.dindServices;
  const endpoint = facts.dockerHost.endpoint;
  if (endpoint?.scheme === 'tcp') {
    const host = endpoint.host.toLowerCase();
    const hit = dind.find((s) => facts.aliases(s).some((a) => a.toLowerCase() === host));
    if (hit) return hit;
  }
  return dind.length === 1 ? dind[0] : undefined;
}

/** Where a runner-side finding lands: the key's entry in `table`, else that table's header, else the runner's. */
export function runnerPlace(runner: Runner, table: TomlTable | null, key: string): Place {
  const entry = table?.entries.get(key);
  const span = entry?.keySpan ?? table?.headerSpan ?? runner.table.headerSpan ?? { start: 0, end: 0 };
  return { file: runner.file, span };
}

export function related(place: Place, message: string): RelatedLocation {
  return { file: place.file, span: place.span, message };
}

/**
 * Jobs on `runner` (besides `job`) for which `test` holds, cached per (rule, runner) so a runner-side message can
 * name every affected job without re-evaluating each pair for every job.
 */
export function affectedJobs(
  cache: WeakMap<Runner, WeakMap<EffectiveJob, boolean>>,
  check: JobCheck,
  test: (job: EffectiveJob, runner: Runner, settings: Settings) => boolean,
): EffectiveJob[] {
  const runner = check.runner;
  if (!runner) return [check.job];
  let byJob = cache.get(runner);
  if (!byJob) cache.set(runner, (byJob = new WeakMap()));
  const out: EffectiveJob[] = [];
  for (const j of check.jobsOnRunner.includes(check.job) ? check.jobsOnRunner : [check.job, ...check.jobsOnRunner]) {
    let hit = byJob.get(j);
    if (hit === undefined) {
      hit = j === check.job || test(j, runner, check.settings);
      byJob.set(j, hit);
    }
    if (hit) out.push(j);
  }
  return out;
}

/**
 * Groups edit results into one fix, or undefined when any edit cannot be made. A `Msg` title is rendered by the
 * analysis (English) and localised by the adapters.
 */
export function makeFix(
  title: string | Msg,
  safe: boolean,
  preferred: boolean,
  ...results: EditResult[]
): Fix | undefined {
  const combined = combineEdits(...results);
  if (!combined.ok || combined.edits.length === 0) return undefined;
  const named = typeof title === 'string' ? { title } : { title: '', l10nTitle: title };
  return { ...named, safe, ...(preferred ? { preferred: true } : {}), edits: combined.edits };
}

export function fixes(...list: (Fix | undefined)[]): Fix[] {
  return list.filter((f): f is Fix => f !== undefined);
}

/** Appends `"{dir}/client"` to `[runners.docker] volumes` (creating the key or the section when absent). */
export function shareCertsVolumeEdit(env: RuleEnv, runner: Runner, dir: string): EditResult {
  const editor = TomlEditor.fromSources(env.sources, runner.file);
  if (!editor) return { ok: false, reason: 'runner config not loaded' };
  const path = clientDir(dir);
  return runner.docker
    ? editor.appendToArray(runner.docker, 'volumes', path)
    : editor.setInTable(runner.table, ['docker'], { volumes: [path] });
}

/** Adds a `[[runners.kubernetes.volumes.empty_dir]]` mounted at `{dir}/client` (the S1/S2 Kubernetes TLS setup). */
export function k8sCertsVolumeEdit(env: RuleEnv, runner: Runner, dir: string): EditResult {
  const editor = TomlEditor.fromSources(env.sources, runner.file);
  if (!editor) return { ok: false, reason: 'runner config not loaded' };
  const taken = new Set(
    [...(runner.kubernetes?.tables.get('volumes')?.tableArrays.values() ?? [])]
      .flat()
      .map((t) => t.entries.get('name')?.value)
      .filter((n): n is string => typeof n === 'string'),
  );
  let name = 'docker-certs';
  for (let i = 2; taken.has(name); i++) name = `docker-certs-${i}`;
  const values = { name, mount_path: clientDir(dir), medium: 'Memory' };
  return runner.kubernetes
    ? editor.addTable(runner.kubernetes, ['volumes', 'empty_dir'], values, { array: true })
    : editor.addTable(runner.table, ['kubernetes', 'volumes', 'empty_dir'], values, { array: true });
}

/** The runner fix that shares the client cert directory, for the runner's executor. */
export function certsVolumeEdit(env: RuleEnv, runner: Runner, dir: string): EditResult {
  return executorClass(runner) === 'kubernetes'
    ? k8sCertsVolumeEdit(env, runner, dir)
    : shareCertsVolumeEdit(env, runner, dir);
}

/** The YAML mapping that should receive new variables for a job's dind setup. */
interface VariablesHome {
  readonly editor: YamlEditor;
  readonly map: Node;
}

/**
 * Where new CI variables go: the mapping that defines the dind service (the job, or the `extends` template that
 * brings it), the file's top-level `variables:` when the service comes from `default:` or the deprecated global
 * `services:`, else the job's own mapping (services from `!reference`, the runner, or none).
 */
function variablesHome(env: RuleEnv, job: EffectiveJob, s: Svc | null): VariablesHome | undefined {
  if (s && s.source === 'job' && !s.origin.via.some((v) => v.kind === 'reference')) {
    const editor = YamlEditor.fromSources(env.sources, s.origin.file);
    const item = editor?.locate(s.origin.span);
    const seq = item?.parent;
    const range = seq?.range;
    if (editor && seq && range) {
      const list = editor.locate({ start: range[0], end: range[1] });
      const owner = list?.parent;
      if (list?.key === 'services' && owner) {
        if (owner === editor.root) return { editor, map: editor.root };
        const ownerRange = owner.range;
        const ownerAt = ownerRange ? editor.locate({ start: ownerRange[0], end: ownerRange[1] }) : undefined;
        if (ownerAt?.key === 'default' && ownerAt.parent === editor.root) return { editor, map: editor.root };
        if (ownerAt?.parent === editor.root) return { editor, map: owner };
      }
    }
  }
  const editor = YamlEditor.fromSources(env.sources, job.file);
  const map = editor?.valueOfKeyAt(job.nameSpan);
  return editor && map ? { editor, map } : undefined;
}

function yamlAt(env: RuleEnv, origin: Origin, value: string | null): EditResult {
  const editor = YamlEditor.fromSources(env.sources, origin.file);
  if (!editor) return { ok: false, reason: 'file not loaded' };
  if (value === null) return editor.removeAt(origin.keySpan ?? origin.span);
  const node = editor.locate(origin.span)?.node;
  if (node && 'items' in node) return editor.setKeys(node, { value });
  return editor.replaceScalar(node, value);
}

/**
 * Replaces or removes one `"K=V"` item of an `environment` array (of `[[runners]]` or of a runner-defined service)
 * in `file`; a literal string stays literal.
 */
function tomlEnvAt(
  env: RuleEnv,
  file: string,
  table: TomlTable,
  origin: Origin,
  name: string,
  value: string | null,
): EditResult {
  const editor = TomlEditor.fromSources(env.sources, file);
  const text = env.sources.file(file)?.text;
  if (!editor || text === undefined) return { ok: false, reason: 'runner config not loaded' };
  if (value !== null) {
    const style = text.startsWith("'", origin.span.start) ? 'literal' : 'basic';
    return { ok: true, edits: [edit(file, origin.span, tomlString(`${name}=${value}`, style))] };
  }
  const list = stringItems(table, 'environment');
  const index = list?.entry.itemSpans.findIndex((sp) => sp.start === origin.span.start) ?? -1;
  return index < 0 ? { ok: false, reason: 'no such item' } : editor.removeArrayItem(table, 'environment', index);
}

/**
 * Edits that make Var_build (and, for service `s`, Var_svc) of each name equal `value` (null: remove it), each at
 * the origin that defines it: the CI variable, the service's own variable, or the `[[runners]] environment` item.
 * Names set nowhere are added next to the dind service's definition (see `variablesHome`).
 */
export function setVariablesEdit(
  env: RuleEnv,
  facts: JobFacts,
  s: Svc | null,
  values: Readonly<Record<string, string | null>>,
): EditResult {
  const results: EditResult[] = [];
  const added: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    let handled = false;
    const own = s?.source === 'job' ? s.variables.get(name) : undefined;
    if (own) {
      if (own.value !== value) results.push(yamlAt(env, own.origin, value));
      handled = true;
    }
    const ci = facts.variables.get(name);
    if (ci) {
      if (ci.value !== value) results.push(yamlAt(env, ci.origin, value));
      continue;
    }
    const build = facts.buildVar(name);
    if (build.state !== 'unset' && build.layer === 'runner' && facts.runner) {
      if (build.raw !== value) {
        results.push(tomlEnvAt(env, facts.runner.file, facts.runner.table, build.origin, name, value));
      }
      continue;
    }
    if (value !== null && !handled) added[name] = value;
  }
  if (Object.keys(added).length > 0) {
    const home = variablesHome(env, facts.job, s);
    if (!home) return { ok: false, reason: 'no place for variables' };
    const vars = home.editor.get(['variables'], home.map);
    results.push(
      vars && 'items' in vars ? home.editor.setKeys(vars, added) : home.editor.setKeys(home.map, { variables: added }),
    );
  }
  return combineEdits(...results);
}

/** Whether another job on the runner still reaches runner-defined service `s` on port `port`. */
function runnerServiceUsedOn(check: JobCheck, s: Svc, port: number): boolean {
  const runner = check.runner;
  if (!runner || !s.runnerService) return false;
  return check.jobsOnRunner.some(
    (job) =>
      job !== check.job &&
      JobFacts.variants(job, runner, check.settings).some((f) => {
        const same = f.dindServices.find((t) => t.runnerService === s.runnerService);
        return same !== undefined && f.daemon(same).entrypointPort === port;
      }),
  );
}

/**
 * Keeps the Kubernetes health check of dind service `s` on the port its daemon listens on once a fix turns TLS on
 * (`tls`) or off: a service-level `HEALTHCHECK_TCP_PORT` (YAML `variables:` or TOML `environment`) naming the
 * entrypoint port of the other mode moves to the new one (2376 with TLS, 2375 without), unless a `--host` flag in
 * the service command keeps the daemon on that port. No edit when there is nothing to move. Fails (so the fix is
 * not offered) when the variable belongs to a runner-defined service that other jobs still reach on the old port.
 */
export function healthcheckPortEdit(check: JobCheck, s: Svc, tls: boolean): EditResult {
  const [from, to] = tls ? [DIND_PLAIN_PORT, DIND_TLS_PORT] : [DIND_TLS_PORT, DIND_PLAIN_PORT];
  const health = s.variables.get(HEALTHCHECK);
  if (!health || health.value.trim() !== String(from)) return { ok: true, edits: [] };
  const hosts = hostFlags(s.command?.value ?? []).map((h) => parseDockerHost(h));
  if (hosts.some((h) => h.scheme === 'tcp' && h.explicitPort && h.port === from)) return { ok: true, edits: [] };
  if (s.source === 'job') return yamlAt(check, health.origin, String(to));
  if (!s.runnerService) return { ok: false, reason: 'runner service without a table' };
  if (runnerServiceUsedOn(check, s, from)) return { ok: false, reason: 'the runner health check is shared' };
  return tomlEnvAt(check, health.origin.file, s.runnerService.table, health.origin, HEALTHCHECK, String(to));
}

/**
 * The CI repair that turns TLS off (A9/A10 alternative, A11 no-TLS branch, A13 plain client): `DOCKER_TLS_CERTDIR: ""`,
 * `DOCKER_HOST: tcp://<alias>:2375`, the TLS client variables removed, a 2376 health-check port moved to 2375.
 */
export function disableTlsEdit(check: JobCheck, facts: JobFacts, s: Svc): EditResult {
  const values: Record<string, string | null> = {
    DOCKER_TLS_CERTDIR: '',
    DOCKER_HOST: `tcp://${hostAlias(facts, s)}:${DIND_PLAIN_PORT}`,
    DOCKER_TLS_VERIFY: null,
    DOCKER_CERT_PATH: null,
  };
  return combineEdits(setVariablesEdit(check, facts, s, values), healthcheckPortEdit(check, s, false));
}

export function editsOf(result: EditResult): readonly TextEdit[] {
  return result.ok ? result.edits : [];
}

// ---- the rule ---------------------------------------------------------------------------------------------------

interface Problem {
  readonly facts: JobFacts;
  readonly s: Svc;
  readonly dir: string;
  readonly certDir: Origin;
}

/** A9's condition for one job on one DockerLike runner, per variant and dind service. */
function problems(job: EffectiveJob, runner: Runner, settings: Settings): Problem[] {
  if (executorClass(runner) !== 'docker-like') return [];
  const out: Problem[] = [];
  for (const facts of JobFacts.variants(job, runner, settings)) {
    for (const s of facts.dindServices) {
      const d = facts.daemon(s);
      if (d.tls !== true || !d.entrypointRuns || d.certDir.state !== 'set') continue;
      const host = facts.dockerHost;
      if (host.value === null || host.endpoint?.scheme === 'unix') continue;
      if (facts.certsShared(d.certDir.value) !== null) continue;
      const certDir = d.certDir.layer === 'image-default' ? s.name.origin : d.certDir.origin;
      out.push({ facts, s, dir: d.certDir.value, certDir });
    }
  }
  return out;
}

/** What the client will print, from how it is configured (catalogue A9 "Runtime failure"). */
function runtimeFailure(facts: JobFacts, dir: string): string {
  const verify = facts.buildVar('DOCKER_TLS_VERIFY');
  const certPath = facts.buildVar('DOCKER_CERT_PATH');
  if ((verify.state === 'set' && verify.value !== '') || (certPath.state === 'set' && certPath.value !== '')) {
    const path = certPath.state === 'set' && certPath.value !== '' ? certPath.value : clientDir(dir);
    return `unable to resolve docker endpoint: open ${normalizePath(path)}/ca.pem: no such file or directory`;
  }
  const host = facts.dockerHost;
  if (host.source === 'variable' && host.endpoint?.scheme === 'tcp' && host.endpoint.port === 2376) {
    return 'Client sent an HTTP request to an HTTPS server.';
  }
  const endpoint = host.endpoint?.scheme === 'tcp' ? host.endpoint : null;
  const where = endpoint ? `tcp://${endpoint.host}:${endpoint.port}` : 'tcp://docker:2375';
  return `Cannot connect to the Docker daemon at ${where}. Is the docker daemon running?`;
}

/** Title of the CI alternative that turns TLS off (A9, A10). */
export const DISABLE_TLS_TITLE: Msg = msg('tls-certs-volume-missing.fix-disable-tls');

const seen = new WeakMap<Runner, WeakMap<EffectiveJob, boolean>>();

export const tlsCertsVolumeMissing: Rule = {
  meta: {
    id: 'dind/tls-certs-volume-missing',
    catalogue: 'A9',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'A TLS dind service needs `$DOCKER_TLS_CERTDIR/client` shared with the job through the runner volumes',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#docker-in-docker-with-tls-enabled-in-the-docker-executor',
    fixSafe: true,
  },

  messages: {
    en: {
      'tls-certs-volume-missing.message':
        'dind runs with TLS (DOCKER_TLS_CERTDIR={dir}) but `{client}` is not a shared volume in runner `{runner}`; ' +
        'the client cannot get the certificates. Job `{job}` will fail with "{failure}". ' +
        'Add "{client}" to [runners.docker] volumes in config.toml, ' +
        'or turn TLS off (DOCKER_TLS_CERTDIR: "" with DOCKER_HOST: tcp://docker:2375).',
      'tls-certs-volume-missing.message-assumed':
        'dind runs with TLS (DOCKER_TLS_CERTDIR={dir}) but `{client}` is not a shared volume in runner `{runner}`; ' +
        'the client cannot get the certificates. Job `{job}` will fail with "{failure}". ' +
        'Add "{client}" to [runners.docker] volumes, ' +
        'or turn TLS off (DOCKER_TLS_CERTDIR: "" with DOCKER_HOST: tcp://docker:2375).',
      'tls-certs-volume-missing.runner-message-one':
        'Runner `{runner}` does not share "{client}" (volumes), but {jobs} runs dind with TLS ' +
        '(DOCKER_TLS_CERTDIR={dir}): the Docker client cannot get the certificates, so docker commands fail ' +
        '(for example with "Cannot connect to the Docker daemon at tcp://docker:2375" when the client falls back to ' +
        'plain TCP). Add "{client}" to volumes.',
      'tls-certs-volume-missing.runner-message':
        'Runner `{runner}` does not share "{client}" (volumes), but {jobs} run dind with TLS ' +
        '(DOCKER_TLS_CERTDIR={dir}): the Docker client cannot get the certificates, so docker commands fail ' +
        '(for example with "Cannot connect to the Docker daemon at tcp://docker:2375" when the client falls back to ' +
        'plain TCP). Add "{client}" to volumes.',
      'tls-certs-volume-missing.fix-share': 'Share "{client}" in the volumes of runner `{runner}`',
      'tls-certs-volume-missing.fix-disable-tls':
        'Disable TLS for dind: DOCKER_TLS_CERTDIR: "" and DOCKER_HOST: tcp://docker:2375',
    },
    'zh-cn': {
      'tls-certs-volume-missing.message':
        'dind 启用了 TLS（DOCKER_TLS_CERTDIR={dir}），但 `{client}` 不是 Runner `{runner}` 中的共享卷，' +
        '客户端无法获取证书。作业 `{job}` 将以 "{failure}" 失败。' +
        '请在 config.toml 中将 "{client}" 添加到 [runners.docker] volumes，' +
        '或关闭 TLS（DOCKER_TLS_CERTDIR: "" 并设置 DOCKER_HOST: tcp://docker:2375）。',
      'tls-certs-volume-missing.message-assumed':
        'dind 启用了 TLS（DOCKER_TLS_CERTDIR={dir}），但 `{client}` 不是 Runner `{runner}` 中的共享卷，' +
        '客户端无法获取证书。作业 `{job}` 将以 "{failure}" 失败。' +
        '请将 "{client}" 添加到 [runners.docker] volumes，' +
        '或关闭 TLS（DOCKER_TLS_CERTDIR: "" 并设置 DOCKER_HOST: tcp://docker:2375）。',
      'tls-certs-volume-missing.runner-message-one':
        'Runner `{runner}` 没有共享 "{client}"（volumes），但作业 {jobs} 运行启用了 TLS 的 dind' +
        '（DOCKER_TLS_CERTDIR={dir}）：Docker 客户端无法获取证书，docker 命令会失败' +
        '（例如客户端回退到明文 TCP 时报 "Cannot connect to the Docker daemon at tcp://docker:2375"）。' +
        '请将 "{client}" 添加到 volumes。',
      'tls-certs-volume-missing.runner-message':
        'Runner `{runner}` 没有共享 "{client}"（volumes），但作业 {jobs} 运行启用了 TLS 的 dind' +
        '（DOCKER_TLS_CERTDIR={dir}）：Docker 客户端无法获取证书，docker 命令会失败' +
        '（例如客户端回退到明文 TCP 时报 "Cannot connect to the Docker daemon at tcp://docker:2375"）。' +
        '请将 "{client}" 添加到 volumes。',
      'tls-certs-volume-missing.fix-share': '在 Runner `{runner}` 的 volumes 中共享 "{client}"',
      'tls-certs-volume-missing.fix-disable-tls':
        '为 dind 关闭 TLS：DOCKER_TLS_CERTDIR: "" 并设置 DOCKER_HOST: tcp://docker:2375',
    },
  },

  checkJob(check, report) {
    const runner = check.runner;
    if (!runner) return;
    for (const p of problems(check.job, runner, check.settings)) {
      const client = clientDir(p.dir);
      const ciPlace: Place = { file: p.certDir.file, span: p.certDir.span };
      const tomlPlace = check.runnerAssumed ? null : runnerPlace(runner, runner.docker, 'volumes');
      const shareTitle = msg('tls-certs-volume-missing.fix-share', { client, runner: runner.label });
      const shareFix = (): Fix | undefined =>
        check.runnerAssumed ? undefined : makeFix(shareTitle, true, true, shareCertsVolumeEdit(check, runner, p.dir));
      const tlsOff = (): Fix | undefined =>
        makeFix(DISABLE_TLS_TITLE, false, false, disableTlsEdit(check, p.facts, p.s));
      report({
        message: msg(
          check.runnerAssumed ? 'tls-certs-volume-missing.message-assumed' : 'tls-certs-volume-missing.message',
          {
            dir: p.dir,
            client,
            runner: runner.label,
            job: check.job.name,
            failure: runtimeFailure(p.facts, p.dir),
          },
        ),
        file: ciPlace.file,
        span: ciPlace.span,
        ...(tomlPlace ? { related: [related(tomlPlace, `runner \`${runner.label}\` volumes`)] } : {}),
        fixes: () => fixes(shareFix(), tlsOff()),
      });
      if (!tomlPlace) continue;
      const jobs = affectedJobs(seen, check, (j, r, settings) => problems(j, r, settings).length > 0);
      report({
        message: msg(
          jobs.length === 1 ? 'tls-certs-volume-missing.runner-message-one' : 'tls-certs-volume-missing.runner-message',
          { runner: runner.label, client, jobs: jobNames(jobs, Infinity), dir: p.dir },
        ),
        file: tomlPlace.file,
        span: tomlPlace.span,
        job: null,
        related: [related(ciPlace, `DOCKER_TLS_CERTDIR=${p.dir} for job \`${check.job.name}\``)],
        fixes: () => fixes(shareFix()),
      });
    }
  },
};
