// Variable values as the build and service containers see them (spec 0.1 Var_build / Var_svc, D7), with the layer
// and Origin that provide each value, and `$VAR` expansion with the known values.
//
// Tri-state design. A lookup answers one of:
// - `set`: some file (CI YAML, config.toml) or the image's ENV provides the value, fully expanded;
// - `unknown`: a file sets it, but the value refers to variables no file defines (`DOCKER_HOST: $MY_HOST`), so its
//   real value is decided by project/group/instance or predefined variables we cannot see;
// - `unset`: no file and no image default sets it.
// Project, group and instance variables are invisible offline and could set anything, so `unset` really means
// "unset in every file we can read". Rules treat `unset` as unset (that is what linting a repository means), and
// the lookup carries `externalPossible: true` so messages can add "unless it is set in the project's CI/CD
// settings". Rules must not treat `unknown` as either value.
//
// Conditional variables (set only under some `rules:`/`workflow:rules:` branch) make two variants of the variable
// map possible; `variableVariants` returns both so rules can report when any branch fails.

import type { EffectiveJob, ImageRef, Origin, Variable, VariableLayer } from '../ci/model';
import type { Runner } from '../runner/model';
import type { Settings } from '../settings';
import { imageTlsCertdirDefault } from './images';
import { memoByObject, memoByPair } from './memo';
import { environmentItems, runnerEnvironment } from './runner';

/** One candidate value of a variable in one layer. */
export interface ScopeEntry {
  readonly name: string;
  /** The value as written. */
  readonly raw: string;
  /** False for `expand: false` variables: `$` is kept literally. */
  readonly expand: boolean;
  readonly layer: VariableLayer;
  readonly conditional: boolean;
  readonly origin: Origin;
}

export interface KnownVar {
  /** `set`: the value is known; `unknown`: it refers to variables no file defines (see `unresolved`). */
  readonly state: 'set' | 'unknown';
  readonly name: string;
  readonly raw: string;
  /** The value after expansion with the known variables; unresolved references stay as written. */
  readonly value: string;
  /** Names of referenced variables that no layer defines (project/predefined variables). */
  readonly unresolved: readonly string[];
  readonly layer: VariableLayer;
  readonly conditional: boolean;
  readonly origin: Origin;
}

export interface UnsetVar {
  readonly state: 'unset';
  readonly name: string;
  /** Always true offline: a project, group or instance CI/CD variable could still set it. */
  readonly externalPossible: true;
}

export type VarLookup = KnownVar | UnsetVar;

/** True when the lookup has a known value (not unset, not depending on invisible variables). */
export function isSet(v: VarLookup): v is KnownVar & { state: 'set' } {
  return v.state === 'set';
}

/** The known value of a lookup, or undefined when unset or unknown. */
export function valueOf(v: VarLookup): string | undefined {
  return v.state === 'set' ? v.value : undefined;
}

const MAX_DEPTH = 10;
const REF = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** An ordered stack of variable layers, highest precedence first. */
export class VariableScope {
  private readonly layers: readonly ReadonlyMap<string, ScopeEntry>[];
  /** `get` results by name: the layers never change, and rules ask for the same few names again and again. */
  private readonly lookups = new Map<string, VarLookup>();

  constructor(layers: readonly ReadonlyMap<string, ScopeEntry>[]) {
    this.layers = layers;
  }

  /** The entry that wins for `name`, or undefined. */
  entry(name: string): ScopeEntry | undefined {
    for (const layer of this.layers) {
      const e = layer.get(name);
      if (e) return e;
    }
    return undefined;
  }

  /** Every entry for `name`, highest precedence first (what each layer would provide). */
  entries(name: string): ScopeEntry[] {
    const out: ScopeEntry[] = [];
    for (const layer of this.layers) {
      const e = layer.get(name);
      if (e) out.push(e);
    }
    return out;
  }

  get(name: string): VarLookup {
    let hit = this.lookups.get(name);
    if (!hit) this.lookups.set(name, (hit = this.lookup(name)));
    return hit;
  }

  private lookup(name: string): VarLookup {
    const e = this.entry(name);
    if (!e) return { state: 'unset', name, externalPossible: true };
    const x = e.expand ? this.expandWith(e.raw, [name]) : { value: e.raw, unresolved: [] };
    return {
      state: x.unresolved.length > 0 ? 'unknown' : 'set',
      name,
      raw: e.raw,
      value: x.value,
      unresolved: x.unresolved,
      layer: e.layer,
      conditional: e.conditional,
      origin: e.origin,
    };
  }

  /** Expands `$VAR`, `${VAR}` and `$$` in `text` with the known values; unknown references stay as written. */
  expand(text: string): { value: string; unresolved: string[] } {
    return this.expandWith(text, []);
  }

  private expandWith(text: string, stack: readonly string[]): { value: string; unresolved: string[] } {
    const unresolved: string[] = [];
    const value = text.replace(REF, (match: string, braced?: string, bare?: string) => {
      const ref = braced ?? bare;
      if (ref === undefined) return '$';
      const e = this.entry(ref);
      if (!e || stack.includes(ref) || stack.length >= MAX_DEPTH) {
        if (!unresolved.includes(ref)) unresolved.push(ref);
        return match;
      }
      if (!e.expand) return e.raw;
      const inner = this.expandWith(e.raw, [...stack, ref]);
      for (const u of inner.unresolved) if (!unresolved.includes(u)) unresolved.push(u);
      return inner.value;
    });
    return { value, unresolved };
  }
}

/** A layer built from CI `Variable`s (once per variable map). */
export function variableLayer(vars: ReadonlyMap<string, Variable>): ReadonlyMap<string, ScopeEntry> {
  return variableLayerOf(vars);
}

const variableLayerOf = memoByObject((vars: ReadonlyMap<string, Variable>) => {
  const out = new Map<string, ScopeEntry>();
  for (const [name, v] of vars) {
    out.set(name, {
      name,
      raw: v.value,
      expand: v.expand,
      layer: v.layer,
      conditional: v.conditional,
      origin: v.origin,
    });
  }
  return out;
});

const NO_LAYER: ReadonlyMap<string, ScopeEntry> = new Map();

/** `[[runners]] environment` as a layer (each item's range is its origin; once per runner). */
export function runnerEnvironmentLayer(runner: Runner | null): ReadonlyMap<string, ScopeEntry> {
  return runner ? runnerEnvironmentLayerOf(runner) : NO_LAYER;
}

const runnerEnvironmentLayerOf = memoByObject((runner: Runner) => {
  const out = new Map<string, ScopeEntry>();
  for (const item of runnerEnvironment(runner).values()) {
    out.set(item.name, {
      name: item.name,
      raw: item.value,
      expand: true,
      layer: 'runner',
      conditional: false,
      origin: item.origin,
    });
  }
  return out;
});

/** `environment` of a `[[runners.*.services]]` table as a layer (once per table). */
export function runnerServiceEnvironmentLayer(
  runner: Runner,
  table: Parameters<typeof environmentItems>[1],
): ReadonlyMap<string, ScopeEntry> {
  return runnerServiceEnvironmentLayerOf(runner, table);
}

const runnerServiceEnvironmentLayerOf = memoByPair((runner: Runner, table: Parameters<typeof environmentItems>[1]) => {
  const out = new Map<string, ScopeEntry>();
  for (const item of environmentItems(runner, table).values()) {
    out.set(item.name, {
      name: item.name,
      raw: item.value,
      expand: true,
      layer: 'runner-service',
      conditional: false,
      origin: item.origin,
    });
  }
  return out;
});

/** The image's `ENV` defaults that matter here (DOCKER_TLS_CERTDIR, D1), as a layer whose origin is the image. */
export function imageDefaultLayer(
  image: { readonly ref: ImageRef; readonly origin: Origin } | null,
  settings?: Pick<Settings, 'dindImages'>,
): Map<string, ScopeEntry> {
  const out = new Map<string, ScopeEntry>();
  if (!image) return out;
  const certdir = imageTlsCertdirDefault(image.ref, settings);
  if (certdir !== undefined) {
    out.set('DOCKER_TLS_CERTDIR', {
      name: 'DOCKER_TLS_CERTDIR',
      raw: certdir,
      expand: false,
      layer: 'image-default',
      conditional: false,
      origin: { ...image.origin, via: [...image.origin.via, { kind: 'image-default', image: image.ref.expanded }] },
    });
  }
  return out;
}

/** One possible variable map of a job: every conditional value applied, or none of them. */
export interface VariableVariant {
  readonly label: 'all' | 'without-conditional';
  readonly variables: ReadonlyMap<string, Variable>;
}

/**
 * The variable maps a job can run with. Without conditional variables: one variant. With some: the map with every
 * conditional value applied, and the map where no rule matched: each conditional variable falls back to its
 * unconditional alternative (`Variable.alternatives`), or is absent so the runner environment and image defaults
 * show through. Rules evaluate each variant and report when any fails. Mixed branches (one rule's value for one
 * variable, another's for the next) are not enumerated.
 */
export function variableVariants(job: Pick<EffectiveJob, 'variables'>): VariableVariant[] {
  const all: VariableVariant = { label: 'all', variables: job.variables };
  const base = new Map<string, Variable>();
  let conditional = false;
  for (const [name, v] of job.variables) {
    if (!v.conditional) {
      base.set(name, v);
      continue;
    }
    conditional = true;
    const fallback = v.alternatives?.find((a) => !a.conditional);
    if (fallback) base.set(name, fallback);
  }
  return conditional ? [all, { label: 'without-conditional', variables: base }] : [all];
}
