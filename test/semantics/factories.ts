// Hand-built model objects for the semantics tests: EffectiveJob (ci/model) and Runner (runner/model), with
// distinct synthetic spans so tests can check which origin a fact points at.

import type {
  EffectiveJob,
  JobService,
  Origin,
  Runner,
  RunnerService,
  ScriptLine,
  TomlData,
  TomlEntry,
  TomlTable,
  Variable,
  VariableLayer,
} from '@engine';
import { deriveAliases, parseImageRef, splitAliases } from '@engine';

export const CI_FILE = '/ws/.gitlab-ci.yml';
export const TOML_FILE = '/ws/config.toml';

let next = 0;
/** A fresh span of length `len` (spans never overlap, so origins are distinguishable). */
function span(len = 5): { start: number; end: number } {
  const start = next;
  next += len + 1;
  return { start, end: start + len };
}

export function origin(file = CI_FILE): Origin {
  return { file, span: span(), keySpan: span(), via: [] };
}

export interface VarSpec {
  readonly value: string;
  readonly layer?: VariableLayer;
  readonly expand?: boolean;
  readonly conditional?: boolean;
  readonly alternatives?: readonly Variable[];
}

export function variable(name: string, spec: string | VarSpec): Variable {
  const s: VarSpec = typeof spec === 'string' ? { value: spec } : spec;
  return {
    name,
    value: s.value,
    expand: s.expand ?? true,
    layer: s.layer ?? 'job',
    conditional: s.conditional ?? false,
    origin: origin(),
    ...(s.alternatives ? { alternatives: s.alternatives } : {}),
  };
}

export function variables(
  vars: Record<string, string | VarSpec> = {},
  layer: VariableLayer = 'job',
): Map<string, Variable> {
  const out = new Map<string, Variable>();
  for (const [k, v] of Object.entries(vars)) out.set(k, variable(k, typeof v === 'string' ? { value: v, layer } : v));
  return out;
}

export interface ServiceSpec {
  readonly name: string;
  readonly alias?: string;
  readonly variables?: Record<string, string>;
  readonly command?: readonly string[];
  readonly entrypoint?: readonly string[];
}

export function service(spec: string | ServiceSpec, index = 0): JobService {
  const s: ServiceSpec = typeof spec === 'string' ? { name: spec } : spec;
  const ref = parseImageRef(s.name);
  return {
    index,
    name: { value: s.name, origin: origin() },
    ref,
    aliases: s.alias === undefined ? [] : splitAliases(s.alias),
    aliasOrigin: s.alias === undefined ? null : origin(),
    derivedAliases: deriveAliases(s.name),
    command: s.command ? { value: s.command, origin: origin() } : null,
    entrypoint: s.entrypoint ? { value: s.entrypoint, origin: origin() } : null,
    variables: variables(s.variables ?? {}, 'service'),
    pullPolicy: null,
    origin: origin(),
  };
}

export interface JobSpec {
  readonly name?: string;
  readonly image?: string | { readonly name: string; readonly entrypoint?: readonly string[] } | null;
  readonly services?: readonly (string | ServiceSpec)[];
  readonly variables?: Record<string, string | VarSpec>;
  readonly script?: readonly string[];
}

export function job(spec: JobSpec = {}): EffectiveJob {
  const img =
    spec.image === undefined || spec.image === null
      ? null
      : typeof spec.image === 'string'
        ? { name: spec.image }
        : spec.image;
  const script: ScriptLine[] = (spec.script ?? []).map((text) => ({ section: 'script', text, origin: origin() }));
  return {
    name: spec.name ?? 'build',
    file: CI_FILE,
    nameSpan: span(),
    matrix: null,
    image: img
      ? {
          name: { value: img.name, origin: origin() },
          ref: parseImageRef(img.name),
          entrypoint: img.entrypoint ? { value: img.entrypoint, origin: origin() } : null,
          pullPolicy: null,
          origin: origin(),
        }
      : null,
    services: (spec.services ?? []).map((s, i) => service(s, i)),
    servicesOrigin: spec.services ? origin() : null,
    variables: variables(spec.variables ?? {}),
    script,
    tags: [],
    inherit: { default: true, variables: true },
    extendsChain: [],
    replaced: [],
  };
}

type Plain = { [key: string]: TomlData | Plain | Plain[] };

function isPlainObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

/** Builds a TomlTable from plain data: objects become tables, arrays of objects become arrays of tables. */
export function table(path: string, data: Plain): TomlTable {
  const entries = new Map<string, TomlEntry>();
  const tables = new Map<string, TomlTable>();
  const tableArrays = new Map<string, TomlTable[]>();
  for (const [key, value] of Object.entries(data)) {
    const sub = path === '' ? key : `${path}.${key}`;
    if (isPlainObject(value)) {
      tables.set(key, table(sub, value));
    } else if (Array.isArray(value) && value.length > 0 && value.every(isPlainObject)) {
      tableArrays.set(
        key,
        (value as Plain[]).map((v) => table(sub, v)),
      );
    } else {
      const keySpan = span(key.length);
      const valueSpan = span(10);
      const itemSpans = Array.isArray(value) ? value.map(() => span(3)) : [];
      entries.set(key, {
        key,
        keySpan,
        value: value,
        valueSpan,
        itemSpans,
        span: { start: keySpan.start, end: valueSpan.end },
      });
    }
  }
  return { path, headerSpan: span(), insertOffset: 0, indent: '  ', entries, tables, tableArrays };
}

function envMap(v: unknown): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(v)) return out;
  for (const item of v) {
    if (typeof item !== 'string') continue;
    const eq = item.indexOf('=');
    out.set(eq < 0 ? item : item.slice(0, eq), eq < 0 ? '' : item.slice(eq + 1));
  }
  return out;
}

/** A `[[runners]]` entry from plain data shaped like the TOML (`{ executor, docker: {...}, kubernetes: {...} }`). */
export function runner(data: Plain): Runner {
  const t = table('runners', data);
  const executor = typeof data['executor'] === 'string' ? data['executor'] : null;
  const name = typeof data['name'] === 'string' ? data['name'] : null;
  const docker = t.tables.get('docker') ?? null;
  const kubernetes = t.tables.get('kubernetes') ?? null;
  const section = executor === 'kubernetes' ? kubernetes : docker;
  const services: RunnerService[] = (section?.tableArrays.get('services') ?? []).map((st) => {
    const str = (k: string): string | null => {
      const v = st.entries.get(k)?.value;
      return typeof v === 'string' ? v : null;
    };
    const list = (k: string): string[] | null => {
      const v = st.entries.get(k)?.value;
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null;
    };
    return {
      table: st,
      name: str('name'),
      alias: str('alias'),
      command: list('command'),
      entrypoint: list('entrypoint'),
      environment: envMap(st.entries.get('environment')?.value),
    };
  });
  const ff = new Map<string, boolean>();
  for (const [k, e] of t.tables.get('feature_flags')?.entries ?? [])
    if (typeof e.value === 'boolean') ff.set(k, e.value);
  return {
    file: TOML_FILE,
    index: 0,
    name,
    label: name ?? 'runners[0]',
    table: t,
    executor,
    dockerLike: executor === 'docker' || executor === 'docker+machine' || executor === 'docker-autoscaler',
    environment: envMap(t.entries.get('environment')?.value),
    featureFlags: ff,
    docker,
    kubernetes,
    services,
  };
}
