// A1 `dind/no-daemon-for-docker-commands` — see the rule catalogue (spec section A, A1).
//
// Also home of the helpers the topology and privilege rules (A1–A8) share: where a runner-side finding lands in
// config.toml, the quick-fix that gives a job a working Docker-in-Docker service, and the A5 condition (a wrong
// image variant explains the missing daemon, so A1 stays silent for that job).
//
// When a merge dropped the job's dind service (A39 a, b, d, e), the user clearly meant Docker-in-Docker: A1 still
// reports the failing job, names the dropped service, and offers no socket binding (no config.toml finding).

import { TomlEditor } from '../fix/toml-edit';
import { msg, type Msg } from '../i18n';
import { YamlEditor } from '../fix/yaml-edit';
import type { Runner, TomlTable } from '../runner/model';
import {
  allowListMatch,
  certsSharedVolume,
  containerRuntime,
  DOCKER_SOCKET,
  dockerTag,
  executorClass,
  hiddenServiceLists,
  isDindImage,
  isKnownDindImage,
  isKnownDockerClientImage,
  isPathOrParent,
  JobFacts,
  parseDockerTag,
  parseImageRef,
  runnerVolumes,
  servicePrivilege,
  socketMount,
  type Svc,
} from '../semantics';
import type { Settings } from '../settings';
import type { Fix, RelatedLocation, Span } from '../types';
import type { JobCheck, Rule, RuleFinding } from './rule';

/** A place in a file, for findings and their `related` links. */
export interface Place {
  readonly file: string;
  readonly span: Span;
}

/** The `key = value` entry of `table` when present; else the table's header; else the `[[runners]]` header. */
export function runnerPlace(runner: Runner, table: TomlTable | null, key: string | null): Place {
  const entry = key === null ? undefined : table?.entries.get(key);
  const span = entry?.span ?? table?.headerSpan ?? runner.table.headerSpan ?? { start: 0, end: 0 };
  return { file: runner.file, span };
}

/** True when the runner is real (a file the user can edit), not the assumed GitLab.com runner. */
export function realRunner(check: Pick<JobCheck, 'runner' | 'runnerAssumed'>): Runner | null {
  return check.runner && !check.runnerAssumed ? check.runner : null;
}

/** Reports a CI-side and a runner-side finding that point at each other. */
export function reportPair(
  report: (f: RuleFinding) => void,
  ci: RuleFinding,
  toml: RuleFinding,
  ciLabel: string,
  tomlLabel: string,
): void {
  const ciRel: RelatedLocation = { file: toml.file, span: toml.span, message: tomlLabel };
  const tomlRel: RelatedLocation = { file: ci.file, span: ci.span, message: ciLabel };
  report({ ...ci, related: [...(ci.related ?? []), ciRel] });
  report({ ...toml, related: [...(toml.related ?? []), tomlRel] });
}

/** Collects findings once per place and message (several variable variants may find the same problem). */
export class FindingSet {
  private readonly seen = new Set<string>();
  private readonly list: RuleFinding[] = [];

  add(f: RuleFinding): void {
    const text = typeof f.message === 'string' ? f.message : JSON.stringify(f.message);
    const key = `${f.file}\0${f.span.start}\0${f.span.end}\0${text}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(f);
  }

  flush(report: (f: RuleFinding) => void): void {
    for (const f of this.list) report(f);
  }
}

/** The `docker` daemon image that pairs with the job's client image: `docker:24.0.5-cli` → `docker:24.0.5-dind`. */
export function daemonImageFor(facts: JobFacts): string {
  const ref = facts.image?.ref;
  const tag = ref ? dockerTag(ref) : null;
  if (tag?.version.kind === 'pinned') {
    const pre = tag.version.prerelease ? `-${tag.version.prerelease}` : '';
    return `docker:${tag.version.text}${pre}-dind`;
  }
  return 'docker:dind';
}

/**
 * Whether a new `docker:*-dind` service named `name` would start as a working daemon on the job's runner: privileged
 * (or Sysbox) and allowed. With no runner (or the assumed GitLab.com runner) it would.
 */
export function dindWouldRun(check: JobCheck, name: string): boolean {
  const runner = realRunner(check);
  if (!runner) return true;
  const cls = executorClass(runner);
  if (cls !== 'docker-like' && cls !== 'kubernetes' && cls !== 'unknown') return false;
  if (socketMount(runner)) return false;
  const allowed = allowListMatch(runner, 'allowed_services', name);
  if (allowed && allowed.matched === null) return false;
  return servicePrivilege(runner, name).privileged || containerRuntime(runner)?.sysbox === true;
}

/**
 * The variables a job needs next to a new dind service: TLS through the shared `/certs/client` volume when the
 * client entrypoint configures itself and the runner shares the certificates (S1's recommended setup), else a
 * plain TCP daemon the client reaches through `DOCKER_HOST`.
 */
export function dindVariables(check: JobCheck, facts: JobFacts): Record<string, string> {
  const runner = realRunner(check);
  const host = facts.buildVar('DOCKER_HOST');
  const dockerLike = runner === null || ['docker-like', 'unknown'].includes(executorClass(runner));
  const certs = runner === null || certsSharedVolume(runner, '/certs') !== null;
  if (host.state === 'unset' && facts.clientAuto.value && dockerLike && certs) return { DOCKER_TLS_CERTDIR: '/certs' };
  return { DOCKER_HOST: 'tcp://docker:2375', DOCKER_TLS_CERTDIR: '' };
}

/**
 * The fix that adds a dind service (and the variables it needs) to the job's own definition. Offered only when the
 * job defines no services elsewhere (adding `services:` to the job would drop inherited ones) and the daemon would
 * run on the runner; undefined otherwise.
 */
export function addDindServiceFix(
  check: JobCheck,
  facts: JobFacts,
  name: string,
  extra: Readonly<Record<string, string>> = {},
): Fix | undefined {
  const job = check.job;
  if (!dindWouldRun(check, name) || job.variables.get('DOCKER_HOST')?.conditional) return undefined;
  const editor = YamlEditor.fromSources(check.sources, job.file);
  const map = editor?.valueOfKeyAt(job.nameSpan);
  if (!editor || !map) return undefined;
  const variables = { ...dindVariables(check, facts), ...extra };
  let result;
  if (job.services.length === 0) {
    result = editor.setKeys(map, { services: [name], variables });
  } else {
    const own = job.servicesOrigin;
    const seq = own && own.file === job.file ? editor.locate(own.span)?.node : undefined;
    const mapRange = map.range;
    const inJob = seq?.range && mapRange && seq.range[0] >= mapRange[0] && seq.range[1] <= mapRange[2];
    if (!seq || !inJob) return undefined;
    const added = editor.appendItem(seq, name);
    const vars = editor.setKeys(map, { variables });
    result = added.ok && vars.ok ? { ok: true as const, edits: [...added.edits, ...vars.edits] } : added;
  }
  if (!result.ok || result.edits.length === 0) return undefined;
  return {
    title: '',
    l10nTitle: msg('no-daemon-for-docker-commands.fix-add-service', { name, job: job.name }),
    safe: false,
    edits: result.edits,
  };
}

/**
 * A5 (a): the job's own image is the Docker daemon image (`docker:*-dind`), which starts `sh`, not dockerd. An
 * unresolved registry prefix (the Dependency Proxy's) does not hide it (see `isKnownDindImage`).
 */
export function daemonImageAsJobImage(facts: JobFacts, settings: Settings): boolean {
  const image = facts.image;
  return image !== null && image.source === 'job' && isKnownDindImage(image.ref, settings);
}

/**
 * A5 (b): the services that are a Docker client image (no daemon) while the job uses Docker. An unresolved
 * registry prefix does not hide them; a variable in the tag does (see `isKnownDockerClientImage`).
 */
export function clientImageServices(facts: JobFacts): Svc[] {
  if (!facts.usesDocker.value) return [];
  return facts.services.filter(
    (s) => isKnownDockerClientImage(s.ref) && parseDockerTag(s.ref.tag).variant !== 'windows',
  );
}

/** A dind service the job lost to GitLab's merge rules, and where it was defined. */
interface DroppedDind extends Place {
  readonly name: string;
}

/** The first dind image named in a `services` value (strings or `{ name: ... }` items), or null. */
function dindNameIn(value: unknown, settings: Settings): string | null {
  const items: unknown[] = Array.isArray(value) ? value.flat() : [value];
  for (const item of items) {
    const name =
      typeof item === 'string'
        ? item
        : item !== null && typeof item === 'object' && 'name' in item && typeof item.name === 'string'
          ? item.name
          : null;
    if (name !== null && isDindImage(parseImageRef(name, name), settings)) return name;
  }
  return null;
}

const hiddenDindNames = new WeakMap<object, WeakMap<Settings, string | null>>();

/** `dindNameIn` of a hidden job's `services:` list, once per list and settings (every job of the pipeline asks). */
function hiddenDindName(hidden: { readonly value: unknown }, settings: Settings): string | null {
  let bySettings = hiddenDindNames.get(hidden);
  if (!bySettings) hiddenDindNames.set(hidden, (bySettings = new WeakMap()));
  let name = bySettings.get(settings);
  if (name === undefined) bySettings.set(settings, (name = dindNameIn(hidden.value, settings)));
  return name;
}

/**
 * The dind service a merge dropped from the job (A39): replaced by the job's own `services:`, filtered out by
 * `inherit: default`, removed with `null`, or defined only in a hidden job the job does not extend. Null otherwise.
 */
function droppedDindService(check: JobCheck): DroppedDind | null {
  for (const r of check.job.replaced) {
    if (r.key !== 'services') continue;
    const name = dindNameIn(r.lostValue, check.settings);
    if (name !== null) return { name, file: r.lost.file, span: r.lost.span };
  }
  for (const hidden of hiddenServiceLists(check.sources, check.pipeline.files)) {
    if (!hidden.span || check.job.extendsChain.includes(hidden.key)) continue;
    const name = hiddenDindName(hidden, check.settings);
    if (name !== null) return { name, file: hidden.file, span: hidden.span };
  }
  return null;
}

/** Whether any job on the runner (or the runner itself) starts a dind service. */
function runnerHasDindJobs(check: JobCheck, runner: Runner): boolean {
  if (runner.services.some((s) => s.name !== null && /dind/i.test(s.name))) return true;
  return check.jobsOnRunner.some((j) => j.services.some((s) => isDindImage(s.ref, check.settings)));
}

/** The config.toml fix that binds the host's Docker socket into the runner's containers (socket binding). */
function socketBindingFix(check: JobCheck, runner: Runner): Fix | undefined {
  if (runnerHasDindJobs(check, runner)) return undefined;
  const editor = TomlEditor.fromSources(check.sources, runner.file);
  if (!editor) return undefined;
  const cls = executorClass(runner);
  let result;
  if (cls === 'kubernetes') {
    if (!runner.kubernetes || runner.kubernetes.kind === 'inline' || runner.kubernetes.kind === 'dotted')
      return undefined;
    result = editor.addTable(
      runner.kubernetes,
      ['volumes', 'host_path'],
      { name: 'docker-sock', mount_path: DOCKER_SOCKET, host_path: DOCKER_SOCKET, read_only: true },
      { array: true },
    );
  } else if (runner.docker) {
    result = editor.appendToArray(runner.docker, 'volumes', `${DOCKER_SOCKET}:${DOCKER_SOCKET}`);
  } else {
    result = editor.setInTable(runner.table, ['docker'], { volumes: [`${DOCKER_SOCKET}:${DOCKER_SOCKET}`] });
  }
  if (!result.ok) return undefined;
  return {
    title: '',
    l10nTitle: msg('no-daemon-for-docker-commands.fix-socket-binding', { runner: runner.label }),
    safe: false,
    edits: result.edits,
  };
}

/** A `tcp://` or `unix://` DOCKER_HOST that can only mean a daemon in the job itself: `docker`, `localhost`, the default socket. */
function pointsAtJobDaemon(value: string): boolean {
  const m = /^tcp:\/\/\[?([^\]/:]*)\]?/i.exec(value.trim());
  if (m) return ['docker', 'localhost', '127.0.0.1', '::1', '0.0.0.0'].includes((m[1] ?? '').toLowerCase());
  return /^unix:\/\/\/+var\/run\/docker\.sock$/i.test(value.trim());
}

/** The Unix socket the client uses: the `unix://` DOCKER_HOST path, else the default socket. */
function clientSocketPath(value: string | null): string {
  return value && /^unix:\/\//i.test(value.trim()) ? value.trim().replace(/^unix:\/\//i, '') : DOCKER_SOCKET;
}

/**
 * What the client does without a daemon: with DOCKER_HOST set it connects there (no host named `docker`, or nothing
 * listening on the loopback address or socket); unset, the `docker:` client entrypoint falls back to
 * `tcp://docker:2375` and other images use the default socket.
 */
function failureOf(facts: JobFacts, host: string | null): Msg {
  if (host !== null) {
    const m = /^tcp:\/\/\[?([^\]/:]*)/i.exec(host.trim());
    if ((m?.[1] ?? '').toLowerCase() === 'docker')
      return msg('no-daemon-for-docker-commands.failure-host-lookup', { host });
    return msg('no-daemon-for-docker-commands.failure-host-refused', { host });
  }
  return facts.clientAuto.value
    ? msg('no-daemon-for-docker-commands.failure-fallback')
    : msg('no-daemon-for-docker-commands.failure-socket');
}

export const noDaemonForDockerCommands: Rule = {
  meta: {
    id: 'dind/no-daemon-for-docker-commands',
    catalogue: 'A1',
    defaultSeverity: 'error',
    scope: 'BOTH',
    title: 'A job runs docker commands but no Docker daemon (dind service or socket binding) is reachable',
    docs: 'https://docs.gitlab.com/ci/docker/using_docker_build/#enable-docker-commands-in-your-cicd-jobs',
    fixSafe: false,
  },

  messages: {
    en: {
      'no-daemon-for-docker-commands.message':
        'Job `{job}` runs `docker` but no Docker daemon is reachable on runner `{runner}`: {failure}. ' +
        'Add a `docker:<ver>-dind` service (Docker-in-Docker) or mount the host socket in config.toml (socket binding).',
      'no-daemon-for-docker-commands.message-no-runner':
        'Job `{job}` runs `docker` but no Docker daemon is reachable (no runner config known; unless the runner ' +
        'mounts the host socket): {failure}. ' +
        'Add a `docker:<ver>-dind` service (Docker-in-Docker) or mount the host socket in config.toml (socket binding).',
      'no-daemon-for-docker-commands.failure-fallback':
        'the client falls back to `tcp://docker:2375` and fails with ' +
        '`error during connect: ... dial tcp: lookup docker ... no such host`',
      'no-daemon-for-docker-commands.failure-socket':
        'it fails with `Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?`',
      'no-daemon-for-docker-commands.failure-host-lookup':
        'DOCKER_HOST is `{host}` but no service container is named `docker`, so the client fails with ' +
        '`error during connect: ... dial tcp: lookup docker ... no such host`',
      'no-daemon-for-docker-commands.failure-host-refused':
        'DOCKER_HOST is `{host}` but nothing listens there, so the client fails with ' +
        '`Cannot connect to the Docker daemon at {host}. Is the docker daemon running?`',
      'no-daemon-for-docker-commands.message-dropped':
        "Job `{job}` runs `docker` but no Docker daemon is reachable: GitLab's merge rules dropped its `{name}` " +
        'service (see dind/merge-drops-dind-config), so {failure}. Restore the dind service in the job.',
      'no-daemon-for-docker-commands.runner-message':
        'Runner `{runner}` gives job `{job}` no Docker daemon: no dind service and no socket binding, so `docker` ' +
        'commands fail. Bind-mount /var/run/docker.sock here, or add a `docker:<ver>-dind` service to the job.',
      'no-daemon-for-docker-commands.fix-add-service': 'Add a `{name}` service to job `{job}`',
      'no-daemon-for-docker-commands.fix-socket-binding':
        "Bind-mount the host's Docker socket in runner `{runner}` (socket binding)",
    },
    'zh-cn': {
      'no-daemon-for-docker-commands.message':
        '作业 `{job}` 运行了 `docker`，但在 Runner `{runner}` 上无法访问任何 Docker 守护进程：{failure}。' +
        '请添加 `docker:<ver>-dind` 服务（Docker-in-Docker），或在 config.toml 中挂载主机的 Docker 套接字（套接字绑定）。',
      'no-daemon-for-docker-commands.message-no-runner':
        '作业 `{job}` 运行了 `docker`，但无法访问任何 Docker 守护进程（未知 Runner 配置；除非 Runner 挂载了主机的套接字）：' +
        '{failure}。请添加 `docker:<ver>-dind` 服务（Docker-in-Docker），或在 config.toml 中挂载主机的 Docker 套接字（套接字绑定）。',
      'no-daemon-for-docker-commands.failure-fallback':
        '客户端会回退到 `tcp://docker:2375`，并以 `error during connect: ... dial tcp: lookup docker ... no such host` 失败',
      'no-daemon-for-docker-commands.failure-socket':
        '作业会以 `Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?` 失败',
      'no-daemon-for-docker-commands.failure-host-lookup':
        'DOCKER_HOST 为 `{host}`，但没有名为 `docker` 的服务容器，因此客户端会以 ' +
        '`error during connect: ... dial tcp: lookup docker ... no such host` 失败',
      'no-daemon-for-docker-commands.failure-host-refused':
        'DOCKER_HOST 为 `{host}`，但那里没有任何进程监听，因此客户端会以 ' +
        '`Cannot connect to the Docker daemon at {host}. Is the docker daemon running?` 失败',
      'no-daemon-for-docker-commands.message-dropped':
        '作业 `{job}` 运行了 `docker`，但无法访问任何 Docker 守护进程：GitLab 的合并规则丢弃了它的 `{name}` 服务' +
        '（参见 dind/merge-drops-dind-config），因此{failure}。请在该作业中恢复 dind 服务。',
      'no-daemon-for-docker-commands.runner-message':
        'Runner `{runner}` 没有为作业 `{job}` 提供 Docker 守护进程：既没有 dind 服务，也没有套接字绑定，因此 `docker` ' +
        '命令会失败。请在此处绑定挂载 /var/run/docker.sock，或为该作业添加 `docker:<ver>-dind` 服务。',
      'no-daemon-for-docker-commands.fix-add-service': '为作业 `{job}` 添加 `{name}` 服务',
      'no-daemon-for-docker-commands.fix-socket-binding':
        '在 Runner `{runner}` 中绑定挂载主机的 Docker 套接字（套接字绑定）',
    },
  },

  checkJob(check, report) {
    const runner = check.runner;
    const cls = runner ? executorClass(runner) : null;
    if (runner && cls !== 'docker-like' && cls !== 'kubernetes') return;
    // An include we cannot read may define the job's services (`default:`, an `extends` parent): no verdict.
    if (
      check.pipeline.findings.some((f) => f.ruleId === 'dind/include-not-followed' || f.ruleId === 'dind/include-error')
    ) {
      return;
    }
    const found = new FindingSet();
    const dropped = droppedDindService(check);
    for (const facts of JobFacts.variants(check.job, runner, check.settings)) {
      const usage = facts.usesDocker;
      // A runner's default image alone is no sign the job uses Docker (B2 sets `docker:24.0.5-cli` for every job).
      const uses = usage.line !== null || (usage.reason === 'image' && facts.image?.source === 'job');
      if (!uses || facts.dindServices.length > 0 || facts.socketMount) continue;
      // A5 explains the missing daemon (the daemon image as the job image, or a client image as the service).
      if (daemonImageAsJobImage(facts, check.settings) || clientImageServices(facts).length > 0) continue;
      const host = facts.buildVar('DOCKER_HOST');
      if (host.state === 'unknown') continue;
      if (host.state === 'set' && !pointsAtJobDaemon(host.value)) continue;
      const socketPath = clientSocketPath(host.state === 'set' ? host.value : null);
      if (
        runner &&
        runnerVolumes(runner).some(
          (v) => v.kind !== 'anonymous' && isPathOrParent(v.containerPath, socketPath) && v.containerPath !== '/',
        )
      ) {
        continue;
      }
      const place = usage.line?.origin ?? facts.image?.name.origin;
      if (!place) continue;
      const job = check.job.name;
      const sev = runner ? 'error' : 'warning';
      const failure = failureOf(facts, host.state === 'set' ? host.value : null);
      const real = realRunner(check);
      if (dropped) {
        const name = dropped.name;
        found.add({
          message: msg('no-daemon-for-docker-commands.message-dropped', { job, name: dropped.name, failure }),
          file: place.file,
          span: place.span,
          severity: sev,
          related: [{ file: dropped.file, span: dropped.span, message: `The dropped \`${dropped.name}\` service.` }],
          fixes: () => {
            const restore = addDindServiceFix(check, facts, name);
            return restore ? [{ ...restore, preferred: true }] : [];
          },
        });
        continue;
      }
      const message = runner
        ? msg('no-daemon-for-docker-commands.message', { job, runner: runner.label, failure })
        : msg('no-daemon-for-docker-commands.message-no-runner', { job, failure });
      const fixes = (): Fix[] => {
        const list: Fix[] = [];
        const dind = addDindServiceFix(check, facts, daemonImageFor(facts));
        const socket = real ? socketBindingFix(check, real) : undefined;
        if (dind) list.push({ ...dind, preferred: true });
        if (socket) list.push(dind ? socket : { ...socket, preferred: true });
        return list;
      };
      const ci: RuleFinding = { message, file: place.file, span: place.span, severity: sev, fixes };
      if (!real) {
        found.add(ci);
        continue;
      }
      const section = cls === 'kubernetes' ? real.kubernetes : real.docker;
      const tomlPlace = runnerPlace(real, section, cls === 'kubernetes' ? null : 'volumes');
      const toml: RuleFinding = {
        message: msg('no-daemon-for-docker-commands.runner-message', { runner: real.label, job }),
        file: tomlPlace.file,
        span: tomlPlace.span,
        fixes: () => {
          const socket = socketBindingFix(check, real);
          return socket ? [{ ...socket, preferred: true }] : [];
        },
      };
      const ciRel = { file: tomlPlace.file, span: tomlPlace.span, message: `runner \`${real.label}\`` };
      const tomlRel = { file: ci.file, span: ci.span, message: `docker command of job \`${job}\`` };
      found.add({ ...ci, related: [ciRel] });
      found.add({ ...toml, related: [tomlRel] });
    }
    found.flush(report);
  },
};
