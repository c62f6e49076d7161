// The effective-configuration model of a GitLab CI pipeline: what each non-hidden job's image, services and
// variables really are after include, extends, default:, anchors, !reference and inherit, and where each value
// came from. Built by `buildPipeline` (pipeline.ts); consumed by rules, hover and the effective-job view.

import type { Finding, Span } from '../types';

/** One step of the chain that brought a value into a job, outermost last. */
export type ViaStep =
  | { readonly kind: 'default' }
  | { readonly kind: 'global' }
  | { readonly kind: 'extends'; readonly name: string }
  | { readonly kind: 'include'; readonly file: string }
  | { readonly kind: 'reference'; readonly target: readonly string[] }
  | { readonly kind: 'workflow-rules' }
  | { readonly kind: 'job-rules' }
  | { readonly kind: 'matrix' }
  | { readonly kind: 'runner'; readonly runner: string }
  | { readonly kind: 'image-default'; readonly image: string };

/** Where an effective value is written: the file, the value's range, the key's range, and how it got into the job. */
export interface Origin {
  readonly file: string;
  /** Range of the value node (for a mapping entry: the value; for a sequence item: the item). */
  readonly span: Span;
  /** Range of the key when the value is a mapping entry. */
  readonly keySpan?: Span;
  readonly via: readonly ViaStep[];
}

export interface Valued<T> {
  readonly value: T;
  readonly origin: Origin;
}

/** An image reference split the way the runner splits it. */
export interface ImageRef {
  /** As written. */
  readonly raw: string;
  /** After `$VAR`/`${VAR}` expansion with the job's known variables; unknown variables stay as written. */
  readonly expanded: string;
  /** True when `expanded` still contains a variable reference. */
  readonly unresolved: boolean;
  /** Registry host (with port) when the first path segment looks like one, else null. */
  readonly registry: string | null;
  /** Path without registry and tag: `docker`, `library/docker`, `group/image`. */
  readonly path: string;
  /** Last path segment: `docker` for `registry.hub.docker.com/library/docker:24-dind`. */
  readonly repository: string;
  readonly tag: string | null;
  readonly digest: string | null;
}

export type VariableLayer =
  'job' | 'global' | 'workflow-rules' | 'job-rules' | 'service' | 'runner' | 'runner-service' | 'image-default';

export interface Variable {
  readonly name: string;
  /** The value as written (YAML scalars are stringified as GitLab does: `1` → "1", `true` → "true"). */
  readonly value: string;
  /** False when `expand: false` is set on the variable. */
  readonly expand: boolean;
  readonly layer: VariableLayer;
  /** Set only under some `rules:`/`workflow:rules:` branch; the other branch keeps the lower layer's value. */
  readonly conditional: boolean;
  readonly origin: Origin;
  /**
   * When `conditional`: the other values the variable may have, highest layer first (other rules' values, then the
   * value that applies when no rule sets it). Absent otherwise.
   */
  readonly alternatives?: readonly Variable[];
}

export interface JobImage {
  readonly name: Valued<string>;
  readonly ref: ImageRef;
  /** `image: { entrypoint: [...] }`, or null when not overridden. */
  readonly entrypoint: Valued<readonly string[]> | null;
  readonly pullPolicy: readonly string[] | null;
  /** The whole `image:` value node (string or mapping). */
  readonly origin: Origin;
}

export interface JobService {
  /** Position in the job's effective `services:` list (runner-defined services are not in this list). */
  readonly index: number;
  readonly name: Valued<string>;
  readonly ref: ImageRef;
  /** Explicit aliases (`alias:` split on spaces and commas). */
  readonly aliases: readonly string[];
  readonly aliasOrigin: Origin | null;
  /** Aliases the runner derives from the name (R14): `docker`, or `registry__path__docker` and `registry-path-docker`. */
  readonly derivedAliases: readonly string[];
  readonly command: Valued<readonly string[]> | null;
  readonly entrypoint: Valued<readonly string[]> | null;
  /** Service-level `variables:` only. */
  readonly variables: ReadonlyMap<string, Variable>;
  readonly pullPolicy: readonly string[] | null;
  /** The sequence item (string scalar or mapping) that defines the service. */
  readonly origin: Origin;
}

/** A value a lower layer provided that the job's effective configuration no longer has (merge traps, A39). */
export interface Replacement {
  readonly key: 'services' | 'image' | 'variables';
  /** Where the lost value was defined. */
  readonly lost: Origin;
  /** The lost value, as plain data. */
  readonly lostValue: unknown;
  /** What replaced or removed it: a job key, an `extends` parent, `inherit:` or `null`. */
  readonly by: Origin;
  readonly reason: 'replaced' | 'inherit-default' | 'inherit-variables' | 'null';
}

export interface ScriptLine {
  readonly section: 'before_script' | 'script' | 'after_script';
  readonly text: string;
  readonly origin: Origin;
}

export interface EffectiveJob {
  readonly name: string;
  /** File and key range of the job's own definition (the last one merged, i.e. the one that wins). */
  readonly file: string;
  readonly nameSpan: Span;
  /** Values of `parallel:matrix` this instance was expanded with, or null. */
  readonly matrix: Readonly<Record<string, string>> | null;
  readonly image: JobImage | null;
  readonly services: readonly JobService[];
  /** Where the effective `services:` list itself came from (job, extends parent, default:, global). */
  readonly servicesOrigin: Origin | null;
  /** Effective CI variables: job and job-rules over workflow-rules over global (after `inherit:variables`). */
  readonly variables: ReadonlyMap<string, Variable>;
  readonly script: readonly ScriptLine[];
  readonly tags: readonly string[];
  readonly inherit: {
    readonly default: boolean | readonly string[];
    readonly variables: boolean | readonly string[];
  };
  /** `extends` parents in resolution order (nearest first, transitively). */
  readonly extendsChain: readonly string[];
  readonly replaced: readonly Replacement[];
  // The merged job as plain data and the origin of each of its values are made on demand: `jobData` and
  // `jobProvenance` (ci/jobs.ts). Most jobs never need them, and a 5,000-job workspace held ~9 MB of them.
}

export interface Pipeline {
  /** The root pipeline file. */
  readonly root: string;
  /** Every file loaded for this pipeline, root first. */
  readonly files: readonly string[];
  /** Non-hidden jobs, in definition order (matrix instances expanded). */
  readonly jobs: readonly EffectiveJob[];
  /** Child pipelines started by `trigger: include:` (each validated as its own pipeline). */
  readonly children: readonly Pipeline[];
  /** Model findings: include/extends/!reference problems, syntax errors, limits. */
  readonly findings: readonly Finding[];
}
