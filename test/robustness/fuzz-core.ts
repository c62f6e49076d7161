// The mutation fuzzer shared by `npm test` (a few thousand inputs) and scripts/fuzz/run.mjs (100,000 and more).
// Seeds are the corpus files; each input is one seed after 1–4 random mutations (YAML/TOML edits, truncations,
// character flips, line duplication/deletion/swaps, indentation changes, splices from another seed). Randomness
// comes from a seeded generator, so a failure is reproduced from its seed number alone.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import {
  analyze,
  fixPreservesSyntax,
  ParseCache,
  parseToml,
  parseYaml,
  type Analysis,
  type AnalysisOptions,
  type Finding,
  type Host,
  type ReadResult,
} from '@engine';

import { withMergedData } from '../helpers/jobs';

export interface Seed {
  readonly name: string;
  readonly kind: 'yaml' | 'toml';
  readonly text: string;
}

/** Every `.yml`/`.yaml`/`.toml` file under `dir` (sorted, so that seed numbers are stable). */
export function loadSeeds(dir: string): Seed[] {
  const out: Seed[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ya?ml|toml)$/.test(name)) {
        out.push({
          name: relative(dir, full).split('\\').join('/'),
          kind: name.endsWith('.toml') ? 'toml' : 'yaml',
          text: readFileSync(full, 'utf8'),
        });
      }
    }
  };
  walk(dir);
  return out;
}

/** mulberry32: small, fast, good enough to drive mutations. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

const CHARS = [
  ':',
  '-',
  ' ',
  '\n',
  '\t',
  '[',
  ']',
  '{',
  '}',
  '&',
  '*',
  '!',
  '|',
  '>',
  '#',
  '"',
  "'",
  '=',
  ',',
  '.',
  '$',
  '\\',
  '\r',
  '\u0000',
  '\uFFFD',
  '\uD800',
  'é',
  '𝄞',
  '0',
  'x',
];

const YAML_SNIPPETS = [
  'include: missing.yml',
  'include:\n  - local: ../escape.yml',
  'include: [{local: "*.yml"}, {project: a/b, file: c.yml}, {remote: "https://x/y.yml"}, {template: Docker.gitlab-ci.yml}]',
  'extends: .missing',
  'extends: [.a, .b]',
  '.a: &a\n  image: docker:24\n  services: [docker:24-dind]',
  '.b:\n  extends: .a\n  <<: *a',
  'x:\n  extends: x',
  '<<: *a',
  'script: !reference [.a, script]',
  'image: !reference [.a, image]',
  'services:\n  - name: docker:dind\n    alias: docker\n    command: ["--tls=false"]\n  - docker:24-dind',
  'variables:\n  DOCKER_HOST: tcp://docker:2376\n  DOCKER_TLS_CERTDIR: "/certs"\n  DOCKER_TLS_VERIFY: 1',
  'variables:\n  DOCKER_HOST: tcp://localhost:2375\n  DOCKER_TLS_CERTDIR: ""',
  'default:\n  image: docker:latest\n  services: [docker:dind]',
  'tags: [docker, $RUNNER]',
  'script:\n  - docker build -t x .\n  - docker buildx build --push .',
  'trigger:\n  include: child.yml',
  'spec:\n  inputs:\n    x:\n      default: y\n---',
  '? [a, b]\n: c',
  '&anchor',
  '*undefined',
  '"unterminated',
  'key: |\n  block\n text',
  '---\n...\n---',
];

const TOML_SNIPPETS = [
  '[[runners]]\n  name = "fuzz"\n  executor = "docker"',
  '[runners.docker]\n  privileged = true\n  volumes = ["/certs/client", "/cache", "/var/run/docker.sock:/var/run/docker.sock"]',
  '[runners.docker]\n  tls_verify = false\n  network_mode = "host"\n  allowed_images = ["alpine"]\n  services_privileged = false',
  '[[runners.docker.services]]\n  name = "docker:24-dind"\n  alias = "docker"',
  '[runners.kubernetes]\n  privileged = true\n  allow_privilege_escalation = false\n  [[runners.kubernetes.volumes.empty_dir]]\n    name = "certs"\n    mount_path = "/certs/client"',
  'environment = ["DOCKER_HOST=tcp://docker:2375", "DOCKER_TLS_CERTDIR=", "BROKEN"]',
  'executor = "kubernetes"',
  'executor = 42',
  '[runners.feature_flags]\n  FF_NETWORK_PER_BUILD = true',
  'concurrent = "many"',
  'x = [[[',
  'a.b.c = {d = {e = 1}}',
  '"unterminated = 1',
  "'''\nmulti",
  '[[runners]]\n[[runners]]\n[runners]',
];

type Mutation = (text: string, rng: Rng, other: Seed) => string;

function lines(text: string): string[] {
  return text.split('\n');
}

const MUTATIONS: readonly Mutation[] = [
  // Truncation.
  (t, r) => t.slice(0, r.int(t.length + 1)),
  // Character flips.
  (t, r) => {
    const chars = [...t];
    const n = 1 + r.int(8);
    for (let i = 0; i < n && chars.length > 0; i++) chars[r.int(chars.length)] = r.pick(CHARS);
    return chars.join('');
  },
  // Character insertion and deletion.
  (t, r) => {
    const at = r.int(t.length + 1);
    return r.next() < 0.5 ? t.slice(0, at) + r.pick(CHARS) + t.slice(at) : t.slice(0, at) + t.slice(at + 1 + r.int(20));
  },
  // Line duplication.
  (t, r) => {
    const ls = lines(t);
    const i = r.int(ls.length);
    ls.splice(i, 0, ...ls.slice(i, i + 1 + r.int(5)));
    return ls.join('\n');
  },
  // Line deletion.
  (t, r) => {
    const ls = lines(t);
    ls.splice(r.int(ls.length), 1 + r.int(4));
    return ls.join('\n');
  },
  // Line swap.
  (t, r) => {
    const ls = lines(t);
    const a = r.int(ls.length);
    const b = r.int(ls.length);
    const la = ls[a] ?? '';
    ls[a] = ls[b] ?? '';
    ls[b] = la;
    return ls.join('\n');
  },
  // Indentation change of a block of lines.
  (t, r) => {
    const ls = lines(t);
    const start = r.int(ls.length);
    const end = Math.min(ls.length, start + 1 + r.int(6));
    const delta = r.pick([-4, -2, -1, 1, 2, 4]);
    for (let i = start; i < end; i++) {
      const l = ls[i] ?? '';
      ls[i] = delta > 0 ? ' '.repeat(delta) + l : l.replace(new RegExp(`^ {0,${-delta}}`), '');
    }
    return ls.join('\n');
  },
  // A YAML or TOML snippet inserted at a line start, at a random indentation.
  (t, r, o) => {
    const ls = lines(t);
    const snippet = r.pick(o.kind === 'toml' ? TOML_SNIPPETS : YAML_SNIPPETS);
    const indent = ' '.repeat(r.pick([0, 0, 2, 4]));
    ls.splice(r.int(ls.length + 1), 0, ...snippet.split('\n').map((l) => indent + l));
    return ls.join('\n');
  },
  // A splice of another seed's lines.
  (t, r, o) => {
    const ls = lines(t);
    const src = lines(o.text);
    const from = r.int(src.length);
    ls.splice(r.int(ls.length + 1), r.int(3), ...src.slice(from, from + 1 + r.int(15)));
    return ls.join('\n');
  },
  // Line endings: CRLF, lone CR, or none at the end.
  (t, r) => r.pick([t.replace(/\n/g, '\r\n'), t.replace(/\n/g, '\r'), t.replace(/\n+$/, ''), `\uFEFF${t}`]),
];

/** One fuzz input: `seed` after 1–4 mutations drawn by `rng`. */
export function mutate(seed: Seed, seeds: readonly Seed[], rng: Rng): string {
  let text = seed.text;
  const n = 1 + rng.int(4);
  const sameKind = seeds.filter((s) => s.kind === seed.kind);
  for (let i = 0; i < n; i++) {
    const other = rng.next() < 0.8 ? rng.pick(sameKind) : seed;
    text = rng.pick(MUTATIONS)(text, rng, { ...other, kind: seed.kind });
  }
  return text;
}

/** A Docker-executor runner config with dind essentials, so that job × runner rules run on mutated pipelines. */
export const RUNNER_TOML = `concurrent = 2
[[runners]]
  name = "docker"
  executor = "docker"
  [runners.docker]
    image = "alpine:3.20"
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;

/** A pipeline with a dind job, so that runner rules see jobs on mutated runner configs. */
export const PIPELINE_YAML = `build:
  image: docker:24.0.7
  services:
    - name: docker:24.0.7-dind
      alias: docker
  variables:
    DOCKER_HOST: tcp://docker:2376
    DOCKER_TLS_CERTDIR: "/certs"
  script:
    - docker build -t app .
`;

const ROOT = '/ws';

class FuzzHost implements Host {
  constructor(readonly files: ReadonlyMap<string, string>) {}

  readFile(path: string): ReadResult {
    const text = this.files.get(path);
    return text === undefined ? { kind: 'missing' } : { kind: 'ok', text };
  }

  readDirectory(path: string): { name: string; isDirectory: boolean }[] | undefined {
    const prefix = `${path}/`;
    const names = [...this.files.keys()].filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length));
    return names.length === 0
      ? undefined
      : names.map((n) => ({ name: n.split('/')[0] ?? n, isDirectory: n.includes('/') }));
  }
}

export interface CaseResult {
  readonly ms: number;
  readonly findings: number;
  readonly fixesChecked: number;
  /** Crash-safety violations: an escaped exception or a finding span outside its file. */
  readonly failures: readonly string[];
  /** Fixes whose edits are out of range, overlap, or leave new syntax errors. */
  readonly fixFailures: readonly string[];
  /** `dind/internal-error` findings: an exception caught inside the engine (a bug, though not a crash). */
  readonly internalErrors: readonly string[];
}

/** The workspace a mutated seed is analysed in: the mutant is the pipeline root or the runner config. */
export function workspaceFor(seed: Seed, text: string): Map<string, string> {
  return new Map([
    [`${ROOT}/.gitlab-ci.yml`, seed.kind === 'yaml' ? text : PIPELINE_YAML],
    [`${ROOT}/config.toml`, seed.kind === 'toml' ? text : RUNNER_TOML],
    [`${ROOT}/ci/other.yml`, 'other:\n  script: [echo]\n'],
  ]);
}

function runAnalysis(files: ReadonlyMap<string, string>, options: Partial<AnalysisOptions> = {}): Analysis {
  return analyze(new FuzzHost(files), {
    workspaceRoot: ROOT,
    pipelines: [`${ROOT}/.gitlab-ci.yml`],
    runnerConfigs: [`${ROOT}/config.toml`],
    ...options,
  });
}

const asData = (_key: string, value: unknown): unknown => (value instanceof Map ? [...value.entries()] : value);

/**
 * The editor's case: the workspace before the mutation analysed with a cache, then the mutated one with the same
 * cache (re-parsing one block, reusing and moving jobs and rule results) must equal a cold analysis of the mutant,
 * findings and jobs alike. Returns the failures.
 */
export function checkIncremental(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  cold: Analysis,
): string[] {
  try {
    const cache = new ParseCache();
    runAnalysis(before, { cache });
    const incremental = runAnalysis(after, { cache });
    const print = (a: Analysis): string =>
      JSON.stringify({ findings: a.findings, jobs: a.pipelines.map((p) => p.jobs.map(withMergedData)) }, asData);
    return print(incremental) === print(cold)
      ? []
      : ['the incremental analysis after the edit differs from a cold one'];
  } catch (e) {
    return [`the incremental analysis threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`];
  }
}

function syntaxErrors(path: string, text: string): number {
  if (path.endsWith('.toml')) return parseToml(text).problems.length;
  return parseYaml(text).problems.filter((p) => p.severity === 'error').length;
}

/**
 * Checks one fix. `hard` failures (edits out of range, outside the workspace, overlapping) would reach users; a fix
 * that adds syntax errors is withheld by the adapters' safety net (`fixPreservesSyntax`), so it is a rule bug to
 * report (`syntax`), not a user-visible failure.
 */
function checkFix(
  finding: Finding,
  fixIndex: number,
  files: ReadonlyMap<string, string>,
): { hard: string[]; syntax: string[] } {
  const fix = finding.fixes[fixIndex];
  if (!fix) return { hard: [], syntax: [] };
  const where = `fix "${fix.title}" of ${finding.ruleId}`;
  const byFile = new Map<string, { start: number; end: number; newText: string }[]>();
  for (const e of fix.edits) {
    const text = files.get(e.file);
    if (text === undefined) return { hard: [`${where} edits a file outside the workspace: ${e.file}`], syntax: [] };
    if (!(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= text.length)) {
      const message = `${where} has an edit out of range [${e.span.start}, ${e.span.end}) in ${e.file} (${text.length})`;
      return { hard: [message], syntax: [] };
    }
    let list = byFile.get(e.file);
    if (!list) byFile.set(e.file, (list = []));
    list.push({ ...e.span, newText: e.newText });
  }
  const failures: string[] = [];
  const syntax: string[] = [];
  for (const [file, edits] of byFile) {
    const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1];
      const cur = sorted[i];
      // Two insertions at one offset are fine (applied in order); anything else sharing text is an overlap.
      if (prev && cur && (cur.start < prev.end || (cur.start === prev.start && prev.end > prev.start))) {
        failures.push(`${where} has overlapping edits in ${file}`);
      }
    }
    const original = files.get(file) ?? '';
    let result = original;
    for (const e of [...sorted].reverse()) result = result.slice(0, e.start) + e.newText + result.slice(e.end);
    const before = syntaxErrors(file, original);
    const after = syntaxErrors(file, result);
    if (after > before) syntax.push(`${where} adds syntax errors to ${file} (${before} → ${after})`);
  }
  if (syntax.length > 0 && fixPreservesSyntax(fix, (f) => files.get(f))) {
    failures.push(`${where} adds syntax errors but the safety net would still offer it`);
  }
  return { hard: failures, syntax };
}

/**
 * Analyses one mutated workspace and checks the properties: no exception escapes `analyze`, every finding's span
 * lies in its file, every offered fix (up to `maxFixes` per input) applies cleanly and re-parses without new errors.
 */
export function checkCase(
  files: ReadonlyMap<string, string>,
  maxFixes: number,
  before?: ReadonlyMap<string, string>,
): CaseResult {
  const failures: string[] = [];
  const started = performance.now();
  let analysis: Analysis;
  try {
    analysis = runAnalysis(files);
  } catch (e) {
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    return {
      ms: performance.now() - started,
      findings: 0,
      fixesChecked: 0,
      failures: [`analyze threw: ${detail}`],
      fixFailures: [],
      internalErrors: [],
    };
  }
  const ms = performance.now() - started;
  const internalErrors: string[] = [];
  const fixFailures: string[] = [];
  let fixesChecked = 0;
  for (const f of analysis.findings) {
    if (f.ruleId === 'dind/internal-error') internalErrors.push(f.message);
    const text = files.get(f.file);
    if (text !== undefined && !(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length)) {
      failures.push(`${f.ruleId} has a span out of range [${f.span.start}, ${f.span.end}) in ${f.file}`);
    }
    for (let i = 0; i < f.fixes.length && fixesChecked < maxFixes; i++, fixesChecked++) {
      const checked = checkFix(f, i, files);
      failures.push(...checked.hard);
      fixFailures.push(...checked.syntax);
    }
  }
  if (before) failures.push(...checkIncremental(before, files, analysis));
  return { ms, findings: analysis.findings.length, fixesChecked, failures, fixFailures, internalErrors };
}

export interface FuzzTotals {
  inputs: number;
  findings: number;
  fixesChecked: number;
  maxMs: number;
  totalMs: number;
  slow: number;
  failures: { seed: number; source: string; message: string }[];
  fixFailures: { seed: number; source: string; message: string }[];
  internalErrors: { seed: number; source: string; message: string }[];
}

/** Runs inputs `first` .. `first + count - 1`; input i is reproducible from (seeds, i) alone. */
export function fuzz(
  seeds: readonly Seed[],
  first: number,
  count: number,
  options: {
    maxFixes: number;
    slowMs: number;
    deadline?: number;
    /** Every how many inputs the incremental analysis (from the unmutated workspace) is compared with a cold one. */
    incrementalEvery?: number;
  },
): FuzzTotals {
  const totals: FuzzTotals = {
    inputs: 0,
    findings: 0,
    fixesChecked: 0,
    maxMs: 0,
    totalMs: 0,
    slow: 0,
    failures: [],
    fixFailures: [],
    internalErrors: [],
  };
  for (let i = first; i < first + count; i++) {
    if (options.deadline !== undefined && performance.now() > options.deadline) break;
    const rng = new Rng(i);
    const seed = rng.pick(seeds);
    const text = mutate(seed, seeds, rng);
    const every = options.incrementalEvery ?? 1;
    const before = every > 0 && i % every === 0 ? workspaceFor(seed, seed.text) : undefined;
    const r = checkCase(workspaceFor(seed, text), options.maxFixes, before);
    totals.inputs++;
    totals.findings += r.findings;
    totals.fixesChecked += r.fixesChecked;
    totals.totalMs += r.ms;
    totals.maxMs = Math.max(totals.maxMs, r.ms);
    if (r.ms > options.slowMs) {
      totals.slow++;
      totals.failures.push({ seed: i, source: seed.name, message: `took ${r.ms.toFixed(0)} ms` });
    }
    for (const message of r.failures) totals.failures.push({ seed: i, source: seed.name, message });
    for (const message of r.fixFailures) totals.fixFailures.push({ seed: i, source: seed.name, message });
    for (const message of r.internalErrors) totals.internalErrors.push({ seed: i, source: seed.name, message });
  }
  return totals;
}
