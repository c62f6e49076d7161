// The containers of a job: its effective image (the job's, or the runner's default) and SVC(J), the services the
// runner starts: `[[runners.*.services]]` first, then the job's `services:` (spec 0.1, R10). A runner service
// becomes a JobService-like object whose origins are in config.toml. Aliases(s) = explicit ∪ derived.

import type { EffectiveJob, ImageRef, JobService, Origin, Valued, Variable } from '../ci/model';
import type { Runner, RunnerService, TomlEntry } from '../runner/model';
import type { Settings } from '../settings';
import { deriveAliases, isDindImage, isRootlessDind, parseImageRef, splitAliases } from './images';
import { environmentItems, executorClass, runnerDefaultImage, tableOrigin, tomlOrigin } from './runner';
import type { VariableScope } from './variables';

/** The image the build container runs. */
export interface EffectiveImage {
  readonly name: Valued<string>;
  readonly ref: ImageRef;
  /** `image: { entrypoint: [...] }`; null when not overridden or when the image comes from the runner. */
  readonly entrypoint: Valued<readonly string[]> | null;
  /** `job`: `.gitlab-ci.yml` (`image:`/`default:image`); `runner`: `[runners.docker|kubernetes] image`. */
  readonly source: 'job' | 'runner';
  readonly origin: Origin;
}

/** The job's image, or the runner's default image when the job has none; null when neither is known. */
export function effectiveImage(job: EffectiveJob, runner: Runner | null, scope: VariableScope): EffectiveImage | null {
  if (job.image) {
    return {
      name: job.image.name,
      ref: job.image.ref,
      entrypoint: job.image.entrypoint,
      source: 'job',
      origin: job.image.origin,
    };
  }
  const def = runner ? runnerDefaultImage(runner) : null;
  if (!def) return null;
  return {
    name: { value: def.value, origin: def.origin },
    ref: parseImageRef(def.value, scope.expand(def.value).value),
    entrypoint: null,
    source: 'runner',
    origin: def.origin,
  };
}

/** One service of SVC(J). */
export interface Svc extends JobService {
  /** `runner`: `[[runners.*.services]]` (added first, never subject to `allowed_services`); `job`: `services:`. */
  readonly source: 'runner' | 'job';
  /** Position in SVC(J) (runner services first). `index` stays the position in its own list. */
  readonly position: number;
  readonly jobService: JobService | null;
  readonly runnerService: RunnerService | null;
}

function valuedList(runner: Runner, entry: TomlEntry | undefined, value: readonly string[] | null) {
  if (!entry || value === null) return null;
  return { value, origin: tomlOrigin(runner, entry) };
}

/** A runner-defined service as a JobService-like object; names expand with the job's variables. */
export function runnerServiceAsSvc(
  runner: Runner,
  svc: RunnerService,
  index: number,
  scope: VariableScope,
): Svc | null {
  if (svc.name === null) return null;
  const nameEntry = svc.table.entries.get('name');
  const origin = tableOrigin(runner, svc.table);
  const nameOrigin = nameEntry ? tomlOrigin(runner, nameEntry) : origin;
  const expanded = scope.expand(svc.name).value;
  const aliasEntry = svc.table.entries.get('alias');
  const variables = new Map<string, Variable>();
  for (const item of environmentItems(runner, svc.table).values()) {
    variables.set(item.name, {
      name: item.name,
      value: item.value,
      expand: true,
      layer: 'runner-service',
      conditional: false,
      origin: item.origin,
    });
  }
  return {
    index,
    position: index,
    source: 'runner',
    name: { value: svc.name, origin: nameOrigin },
    ref: parseImageRef(svc.name, expanded),
    aliases: svc.alias === null ? [] : splitAliases(svc.alias),
    aliasOrigin: aliasEntry ? tomlOrigin(runner, aliasEntry) : null,
    derivedAliases: deriveAliases(expanded),
    command: valuedList(runner, svc.table.entries.get('command'), svc.command),
    entrypoint: valuedList(runner, svc.table.entries.get('entrypoint'), svc.entrypoint),
    variables,
    pullPolicy: null,
    origin,
    jobService: null,
    runnerService: svc,
  };
}

/**
 * SVC(J): the runner's services (for its executor) first, then the job's. Executors that run no containers have
 * no services at all; the job's list is still returned for them so rules can point at it.
 */
export function serviceList(job: EffectiveJob, runner: Runner | null, scope: VariableScope): Svc[] {
  const out: Svc[] = [];
  if (runner && executorClass(runner) !== 'no-containers') {
    runner.services.forEach((rs, i) => {
      const s = runnerServiceAsSvc(runner, rs, i, scope);
      if (s) out.push(s);
    });
  }
  const offset = out.length;
  job.services.forEach((s, i) => {
    out.push({
      ...s,
      derivedAliases: s.derivedAliases.length > 0 ? s.derivedAliases : deriveAliases(s.ref.expanded),
      source: 'job',
      position: offset + i,
      jobService: s,
      runnerService: null,
    });
  });
  return out;
}

/** Aliases(s): explicit aliases, then derived ones, without duplicates. */
export function serviceAliases(s: Pick<JobService, 'aliases' | 'derivedAliases'>): string[] {
  return [...new Set([...s.aliases, ...s.derivedAliases])];
}

/** Explicit aliases that contain a variable reference (not supported for `alias`, S8). */
export function aliasesWithVariables(s: Pick<JobService, 'aliases'>): string[] {
  return s.aliases.filter((a) => a.includes('$'));
}

/** DIND(s) for a service. */
export function isDindService(s: Pick<JobService, 'ref'>, settings?: Pick<Settings, 'dindImages'>): boolean {
  return isDindImage(s.ref, settings);
}

/** ROOTLESS(s) for a service. */
export function isRootlessService(s: Pick<JobService, 'ref'>): boolean {
  return isRootlessDind(s.ref);
}
