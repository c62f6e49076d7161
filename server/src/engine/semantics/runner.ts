// Runner facts from config.toml (spec 0.1, C2–C5): executor classes, volumes (SOCKET_MOUNT, CERTS_SHARED), the
// privilege a service container gets (PRIV_SVC), the runtime, and feature flags with their precedence. Every fact
// carries the TOML entry (and array item) that decides it, so rules can point at it and fixes can edit it.

import type { Origin, Variable } from '../ci/model';
import type { Runner, TomlData, TomlEntry, TomlTable } from '../runner/model';
import type { ImageRef } from '../ci/model';
import type { Span } from '../types';
import { firstMatch } from './match';
import { memoByObject, memoByPair } from './memo';

/** How an executor relates to containers: DockerLike (spec 0.1), Windows Docker, Kubernetes, or no containers. */
export type ExecutorClass = 'docker-like' | 'docker-windows' | 'kubernetes' | 'no-containers' | 'custom' | 'unknown';

const DOCKER_LIKE = new Set(['docker', 'docker+machine', 'docker-autoscaler']);
const NO_CONTAINERS = new Set(['shell', 'ssh', 'virtualbox', 'parallels', 'instance']);

/**
 * The runner's executor class. Without `executor` (the Helm chart sets it outside the TOML), a runner that has a
 * `[runners.kubernetes]` section and no `[runners.docker]` is taken as Kubernetes.
 */
export function executorClass(runner: Runner): ExecutorClass {
  const e = runner.executor;
  if (e === null) return runner.kubernetes && !runner.docker ? 'kubernetes' : 'unknown';
  if (DOCKER_LIKE.has(e)) return 'docker-like';
  if (e === 'docker-windows') return 'docker-windows';
  if (e === 'kubernetes') return 'kubernetes';
  if (NO_CONTAINERS.has(e)) return 'no-containers';
  if (e === 'custom') return 'custom';
  return 'unknown';
}

/** True for executors that run the job image's entrypoint without a feature flag (Docker-based ones). */
function isDockerBased(cls: ExecutorClass): boolean {
  return cls === 'docker-like' || cls === 'docker-windows';
}

/** Origin of a TOML entry of `runner`; with `item`, of that array element. */
export function tomlOrigin(runner: Runner, entry: TomlEntry, item?: number): Origin {
  const span: Span = (item === undefined ? undefined : entry.itemSpans[item]) ?? entry.valueSpan;
  return { file: runner.file, span, keySpan: entry.keySpan, via: [{ kind: 'runner', runner: runner.label }] };
}

/** Origin of a whole table of `runner` (its header, or the runner's header for implicit tables). */
export function tableOrigin(runner: Runner, table: TomlTable): Origin {
  const span = table.headerSpan ?? runner.table.headerSpan ?? { start: 0, end: 0 };
  return { file: runner.file, span, via: [{ kind: 'runner', runner: runner.label }] };
}

/** An entry of `table`, or null. */
export function entryOf(table: TomlTable | null | undefined, key: string): TomlEntry | null {
  return table?.entries.get(key) ?? null;
}

/** A boolean entry's value, or null when absent or not a boolean. */
export function boolEntry(
  table: TomlTable | null | undefined,
  key: string,
): { value: boolean; entry: TomlEntry } | null {
  const entry = entryOf(table, key);
  return entry && typeof entry.value === 'boolean' ? { value: entry.value, entry } : null;
}

/** A string entry's value, or null when absent or not a string. */
export function stringEntry(
  table: TomlTable | null | undefined,
  key: string,
): { value: string; entry: TomlEntry } | null {
  const entry = entryOf(table, key);
  return entry && typeof entry.value === 'string' ? { value: entry.value, entry } : null;
}

/** The string items of an array entry with their indices (non-strings are skipped), or null when absent. */
export function stringItems(
  table: TomlTable | null | undefined,
  key: string,
): { entry: TomlEntry; items: { value: string; index: number }[] } | null {
  const entry = entryOf(table, key);
  if (!entry) return null;
  const values: readonly TomlData[] = Array.isArray(entry.value) ? entry.value : [entry.value];
  const items: { value: string; index: number }[] = [];
  values.forEach((value, index) => {
    if (typeof value === 'string') items.push({ value, index });
  });
  return { entry, items };
}

/** The executor's own section: `[runners.kubernetes]` for kubernetes, `[runners.docker]` otherwise. */
export function executorSection(runner: Runner): TomlTable | null {
  return executorClass(runner) === 'kubernetes' ? runner.kubernetes : runner.docker;
}

/** `[runners.docker] image` / `[runners.kubernetes] image`: the job image when `.gitlab-ci.yml` sets none. */
export function runnerDefaultImage(runner: Runner): { value: string; origin: Origin } | null {
  const e = stringEntry(executorSection(runner), 'image');
  return e && e.value.trim() !== '' ? { value: e.value, origin: tomlOrigin(runner, e.entry) } : null;
}

// ---- volumes ----------------------------------------------------------------------------------------------------

export interface RunnerVolume {
  /** `anonymous` (`"/path"`), `bind` (`"host:ctr[:mode]"`), or a Kubernetes volume. */
  readonly kind: 'anonymous' | 'bind' | 'kubernetes';
  /** Kubernetes volume type (`empty_dir`, `host_path`, `pvc`, `config_map`, ...), else null. */
  readonly k8sType: string | null;
  /** Host path of a bind mount or a Kubernetes `host_path`; null otherwise. */
  readonly source: string | null;
  /** Normalised container path (no trailing `/`). */
  readonly containerPath: string;
  /** `ro`, `rw`, `ro,z`, ... or null. */
  readonly mode: string | null;
  readonly readOnly: boolean;
  /** The array item (Docker) or the `mount_path` value (Kubernetes). */
  readonly origin: Origin;
  readonly raw: string;
  readonly entry: TomlEntry;
  /** Index of the item in the `volumes` array (Docker), or of the table in its array (Kubernetes). */
  readonly index: number;
}

/** Normalises a container path: collapses `//` and `.`, drops the trailing `/`. */
export function normalizePath(p: string): string {
  if (p.startsWith('\\\\')) return p;
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

/** Splits a Docker volume spec on `:`, keeping Windows drive letters (`C:\x`) together. */
function splitVolumeSpec(spec: string): string[] {
  const raw = spec.split(':');
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const part = raw[i] ?? '';
    const next = raw[i + 1];
    if (/^[A-Za-z]$/.test(part) && next !== undefined && /^[\\/]/.test(next)) {
      out.push(`${part}:${next}`);
      i++;
    } else {
      out.push(part);
    }
  }
  return out;
}

/** Parses one `[runners.docker] volumes` item. */
export function parseDockerVolume(spec: string): {
  kind: 'anonymous' | 'bind';
  source: string | null;
  target: string;
  mode: string | null;
} {
  const parts = splitVolumeSpec(spec.trim());
  const [a = '', b, c] = parts;
  if (b === undefined) return { kind: 'anonymous', source: null, target: a, mode: null };
  if (c === undefined && /^(ro|rw)$/.test(b)) return { kind: 'anonymous', source: null, target: a, mode: b };
  return { kind: 'bind', source: a, target: b, mode: c ?? null };
}

function isWindowsPath(p: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** `[runners.docker] volumes`, parsed, with each item's range (computed once per runner). */
export function dockerVolumes(runner: Runner): readonly RunnerVolume[] {
  return dockerVolumesOf(runner);
}

const dockerVolumesOf = memoByObject((runner: Runner): readonly RunnerVolume[] => {
  const list = stringItems(runner.docker, 'volumes');
  if (!list) return [];
  return list.items.map(({ value, index }) => {
    const v = parseDockerVolume(value);
    const mode = v.mode;
    return {
      kind: v.kind,
      k8sType: null,
      source: v.source,
      containerPath: isWindowsPath(v.target) ? v.target : normalizePath(v.target),
      mode,
      readOnly: mode !== null && mode.split(',').includes('ro'),
      origin: tomlOrigin(runner, list.entry, index),
      raw: value,
      entry: list.entry,
      index,
    };
  });
});

/** `[[runners.kubernetes.volumes.<type>]]` tables with a `mount_path` (computed once per runner). */
export function kubernetesVolumes(runner: Runner): readonly RunnerVolume[] {
  return kubernetesVolumesOf(runner);
}

const kubernetesVolumesOf = memoByObject((runner: Runner): readonly RunnerVolume[] => {
  const volumes = runner.kubernetes?.tables.get('volumes');
  if (!volumes) return [];
  const out: RunnerVolume[] = [];
  for (const [type, tables] of volumes.tableArrays) {
    tables.forEach((table, index) => {
      const mount = stringEntry(table, 'mount_path');
      if (!mount) return;
      const ro = boolEntry(table, 'read_only');
      out.push({
        kind: 'kubernetes',
        k8sType: type,
        source: type === 'host_path' ? (stringEntry(table, 'host_path')?.value ?? null) : null,
        containerPath: normalizePath(mount.value),
        mode: null,
        readOnly: ro?.value ?? false,
        origin: tomlOrigin(runner, mount.entry),
        raw: mount.value,
        entry: mount.entry,
        index,
      });
    });
  }
  return out;
});

/** The volumes of the runner's executor: Kubernetes volumes for kubernetes, `[runners.docker] volumes` otherwise. */
export function runnerVolumes(runner: Runner): readonly RunnerVolume[] {
  return executorClass(runner) === 'kubernetes' ? kubernetesVolumes(runner) : dockerVolumes(runner);
}

export const DOCKER_SOCKET = '/var/run/docker.sock';
export const DOCKER_PIPE = '\\\\.\\pipe\\docker_engine';

/**
 * SOCKET_MOUNT(R): the volume that puts the host's Docker socket at `/var/run/docker.sock` in the job (DockerLike
 * `volumes`; Kubernetes `host_path` with that `mount_path`), or the Windows engine pipe; null when there is none.
 */
export function socketMount(runner: Runner): RunnerVolume | null {
  const cls = executorClass(runner);
  for (const v of runnerVolumes(runner)) {
    if (cls === 'kubernetes' && v.k8sType !== 'host_path') continue;
    if (v.containerPath === DOCKER_SOCKET || v.containerPath.toLowerCase() === DOCKER_PIPE) return v;
  }
  return null;
}

/** True when `parent` is `path` or one of its ancestors. */
export function isPathOrParent(parent: string, path: string): boolean {
  const p = normalizePath(parent);
  const c = normalizePath(path);
  return p === c || p === '/' || c.startsWith(`${p}/`);
}

/**
 * CERTS_SHARED(R, dir): the first volume of the runner's executor whose container path is `dir/client` or a parent
 * of it (volumes reach service containers too, R2/R3/R10), or null. An empty `dir` shares nothing.
 */
export function certsSharedVolume(runner: Runner, dir: string): RunnerVolume | null {
  if (dir.trim() === '') return null;
  let byDir = certsSharedByDir.get(runner);
  if (!byDir) certsSharedByDir.set(runner, (byDir = new Map<string, RunnerVolume | null>()));
  let hit = byDir.get(dir);
  if (hit === undefined) {
    const target = normalizePath(`${dir}/client`);
    byDir.set(dir, (hit = runnerVolumes(runner).find((v) => isPathOrParent(v.containerPath, target)) ?? null));
  }
  return hit;
}

/** CERTS_SHARED verdicts per runner and cert dir (the jobs of a workspace ask about the same one or two dirs). */
const certsSharedByDir = new WeakMap<Runner, Map<string, RunnerVolume | null>>();

// ---- privileges -------------------------------------------------------------------------------------------------

export interface ServicePrivilege {
  /** Whether the service container runs privileged. */
  readonly privileged: boolean;
  /** What decided it. `allow-list`: privileged is on but `allowed_privileged_services` does not match the name. */
  readonly source:
    'services_privileged' | 'privileged' | 'service_container_security_context' | 'allow-list' | 'default' | 'executor';
  /** The TOML entry that decided it (absent for `default`/`executor`). */
  readonly entry: TomlEntry | null;
  readonly origin: Origin | null;
  /** `allowed_privileged_services` when non-empty (DockerLike), with the pattern that matched, if any. */
  readonly allowList: {
    readonly entry: TomlEntry;
    readonly origin: Origin;
    readonly patterns: readonly string[];
    readonly matched: { readonly pattern: string; readonly index: number } | null;
  } | null;
}

/**
 * PRIV_SVC(R, s). DockerLike: `(services_privileged ?? privileged)` and, when `allowed_privileged_services` is
 * non-empty, a doublestar match of the name as written after expansion (R10). Kubernetes:
 * `service_container_security_context.privileged ?? privileged` (R9). Other executors: false.
 */
export function servicePrivilege(runner: Runner, serviceName: string): ServicePrivilege {
  const cls = executorClass(runner);
  if (cls === 'kubernetes') {
    const ctx = runner.kubernetes?.tables.get('service_container_security_context');
    const decided = boolEntry(ctx, 'privileged') ?? null;
    if (decided) return priv(runner, decided.value, 'service_container_security_context', decided.entry, null);
    const global = boolEntry(runner.kubernetes, 'privileged');
    if (global) return priv(runner, global.value, 'privileged', global.entry, null);
    return priv(runner, false, 'default', null, null);
  }
  if (!isDockerBased(cls) && cls !== 'unknown') return priv(runner, false, 'executor', null, null);
  const docker = runner.docker;
  const sp = boolEntry(docker, 'services_privileged');
  const p = boolEntry(docker, 'privileged');
  const decided = sp ?? p;
  const list = stringItems(docker, 'allowed_privileged_services');
  const patterns = list?.items.map((i) => i.value) ?? [];
  const allowList =
    list && patterns.length > 0
      ? {
          entry: list.entry,
          origin: tomlOrigin(runner, list.entry),
          patterns,
          matched: firstMatch(patterns, serviceName),
        }
      : null;
  if (!decided) return priv(runner, false, 'default', null, allowList);
  const source = sp ? 'services_privileged' : 'privileged';
  if (decided.value && allowList && allowList.matched === null) {
    return priv(runner, false, 'allow-list', allowList.entry, allowList);
  }
  return priv(runner, decided.value, source, decided.entry, allowList);
}

function priv(
  runner: Runner,
  privileged: boolean,
  source: ServicePrivilege['source'],
  entry: TomlEntry | null,
  allowList: ServicePrivilege['allowList'],
): ServicePrivilege {
  return { privileged, source, entry, origin: entry ? tomlOrigin(runner, entry) : null, allowList };
}

/** The OCI runtime of job and service containers: DockerLike `runtime`, Kubernetes `runtime_class_name`. */
export function containerRuntime(runner: Runner): { value: string; sysbox: boolean; origin: Origin } | null {
  const key = executorClass(runner) === 'kubernetes' ? 'runtime_class_name' : 'runtime';
  const e = stringEntry(executorSection(runner), key);
  if (!e || e.value.trim() === '') return null;
  return { value: e.value, sysbox: /sysbox/i.test(e.value), origin: tomlOrigin(runner, e.entry) };
}

/** Whether `name` (after expansion) is allowed by a non-empty allow-list of the runner section; null when empty. */
export function allowListMatch(
  runner: Runner,
  key: 'allowed_images' | 'allowed_services' | 'allowed_privileged_images' | 'allowed_privileged_services',
  name: string | ImageRef,
): { origin: Origin; patterns: string[]; matched: { pattern: string; index: number } | null } | null {
  const list = stringItems(executorSection(runner), key);
  const patterns = list?.items.map((i) => i.value) ?? [];
  if (!list || patterns.length === 0) return null;
  const text = typeof name === 'string' ? name : name.expanded;
  return { origin: tomlOrigin(runner, list.entry), patterns, matched: firstMatch(patterns, text) };
}

// ---- environment and feature flags ------------------------------------------------------------------------------

/** One `K=V` item of an `environment` array, with its origin. */
export interface EnvItem {
  readonly name: string;
  readonly value: string;
  readonly origin: Origin;
}

/** Parses an `environment = ["K=V"]` entry of `table`; later items override earlier ones (once per table). */
export function environmentItems(runner: Runner, table: TomlTable | null | undefined): ReadonlyMap<string, EnvItem> {
  return environmentItemsOf(runner, table);
}

const environmentItemsOf = memoByPair((runner: Runner, table: TomlTable | null | undefined) => {
  const out = new Map<string, EnvItem>();
  const list = stringItems(table, 'environment');
  if (!list) return out;
  for (const { value, index } of list.items) {
    const eq = value.indexOf('=');
    const name = (eq < 0 ? value : value.slice(0, eq)).trim();
    if (name === '') continue;
    out.set(name, { name, value: eq < 0 ? '' : value.slice(eq + 1), origin: tomlOrigin(runner, list.entry, index) });
  }
  return out;
});

/** `[[runners]] environment` with origins. */
export function runnerEnvironment(runner: Runner): ReadonlyMap<string, EnvItem> {
  return environmentItems(runner, runner.table);
}

/** Built-in defaults of the feature flags that matter for DinD (R5). Unlisted flags default to false. */
export const FEATURE_FLAG_DEFAULTS: Readonly<Record<string, boolean>> = {
  FF_NETWORK_PER_BUILD: false,
  FF_KUBERNETES_HONOR_ENTRYPOINT: false,
  FF_USE_LEGACY_KUBERNETES_EXECUTION_STRATEGY: false,
  FF_USE_INIT_WITH_DOCKER_EXECUTOR: false,
  FF_DISABLE_UMASK_FOR_DOCKER_EXECUTOR: false,
};

/** Go `strconv.ParseBool`, as the runner reads `FF_*` variables; null for anything else. */
export function parseGoBool(text: string): boolean | null {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
  return null;
}

export interface FeatureFlag {
  readonly name: string;
  readonly value: boolean;
  /** Where the value comes from, highest precedence first: `[runners.feature_flags]`, a CI variable, `environment`. */
  readonly source: 'runner-feature-flags' | 'variable' | 'runner-environment' | 'default';
  readonly origin: Origin | null;
  /** True when a CI variable sets the flag only under some `rules:` branch. */
  readonly conditional: boolean;
}

/**
 * A feature flag for a job on a runner, with R12's precedence: `[runners.feature_flags]` > the job's CI variable >
 * `[[runners]] environment` > the built-in default. Values that do not parse as Go booleans are ignored.
 * `runner` may be null (no config known): then only the job variable and the default count.
 */
export function featureFlag(
  runner: Runner | null,
  variables: ReadonlyMap<string, Variable>,
  name: string,
): FeatureFlag {
  if (runner) {
    const table = runner.table.tables.get('feature_flags');
    const e = boolEntry(table, name);
    if (e) {
      return {
        name,
        value: e.value,
        source: 'runner-feature-flags',
        origin: tomlOrigin(runner, e.entry),
        conditional: false,
      };
    }
    const fromModel = runner.featureFlags.get(name);
    if (fromModel !== undefined) {
      const origin = table ? tableOrigin(runner, table) : null;
      return { name, value: fromModel, source: 'runner-feature-flags', origin, conditional: false };
    }
  }
  const v = variables.get(name);
  const parsed = v ? parseGoBool(v.value.trim()) : null;
  if (v && parsed !== null) {
    return { name, value: parsed, source: 'variable', origin: v.origin, conditional: v.conditional };
  }
  if (runner) {
    const env = runnerEnvironment(runner).get(name);
    const envValue = env ? parseGoBool(env.value.trim()) : null;
    if (env && envValue !== null) {
      return { name, value: envValue, source: 'runner-environment', origin: env.origin, conditional: false };
    }
  }
  return { name, value: FEATURE_FLAG_DEFAULTS[name] ?? false, source: 'default', origin: null, conditional: false };
}

/**
 * Whether the executor runs the job image's entrypoint: Docker-based executors do (unless nothing is known);
 * Kubernetes only with FF_KUBERNETES_HONOR_ENTRYPOINT (R3, R5, I3); executors without containers do not.
 */
export function runsImageEntrypoint(
  runner: Runner,
  variables: ReadonlyMap<string, Variable>,
): { value: boolean; flag: FeatureFlag | null } {
  const cls = executorClass(runner);
  if (cls === 'kubernetes') {
    const flag = featureFlag(runner, variables, 'FF_KUBERNETES_HONOR_ENTRYPOINT');
    return { value: flag.value, flag };
  }
  return { value: isDockerBased(cls) || cls === 'unknown', flag: null };
}
