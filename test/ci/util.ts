// Helpers for the CI model tests: build a pipeline from an in-memory workspace and describe it as plain data with
// human-readable origins (`file:line via …`), so expectations read like the YAML they test.

import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import {
  buildPipeline,
  DEFAULT_SETTINGS,
  jobData,
  SourceStore,
  type EffectiveJob,
  type Origin,
  type Pipeline,
  type Settings,
  type ViaStep,
} from '@engine';

import { MemoryHost } from '../helpers/memory-host';
import { REPO_ROOT } from '../helpers/paths';

export const ROOT = '/ws';

export interface Built {
  readonly host: MemoryHost;
  readonly sources: SourceStore;
  readonly pipeline: Pipeline;
  job(name: string): EffectiveJob;
  /** `file:line` of an origin plus its via chain, e.g. `ci/docker.yml:3 via include ci/docker.yml → extends .docker`. */
  at(origin: Origin | null | undefined): string | null;
  /** Findings as `ruleId severity file:line`. */
  findings(): string[];
}

export function build(
  files: Record<string, string>,
  options: { settings?: Partial<Settings>; root?: string } = {},
): Built {
  const host = new MemoryHost(files, ROOT);
  const sources = new SourceStore(host);
  const pipeline = buildPipeline(sources, host.abs(options.root ?? '.gitlab-ci.yml'), {
    workspaceRoot: ROOT,
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
  });
  const at = (origin: Origin | null | undefined): string | null => describe(sources, origin);
  return {
    host,
    sources,
    pipeline,
    job(name) {
      const job = pipeline.jobs.find((j) => j.name === name);
      assert.ok(job, `job ${name} exists (jobs: ${pipeline.jobs.map((j) => j.name).join(', ')})`);
      return job;
    },
    at,
    findings: () =>
      pipeline.findings.map((f) => `${f.ruleId} ${f.severity} ${rel(f.file)}:${lineOf(sources, f.file, f.span.start)}`),
  };
}

export function rel(file: string): string {
  return file.startsWith(`${ROOT}/`) ? file.slice(ROOT.length + 1) : file;
}

export function lineOf(sources: SourceStore, file: string, offset: number): number {
  const f = sources.file(file);
  assert.ok(f, `file ${file} was read`);
  return f.lines.positionAt(offset).line + 1;
}

function via(step: ViaStep): string {
  switch (step.kind) {
    case 'extends':
      return `extends ${step.name}`;
    case 'include':
      return `include ${rel(step.file)}`;
    case 'reference':
      return `!reference [${step.target.join(', ')}]`;
    case 'runner':
      return `runner ${step.runner}`;
    case 'image-default':
      return `image-default ${step.image}`;
    default:
      return step.kind;
  }
}

export function describe(sources: SourceStore, origin: Origin | null | undefined): string | null {
  if (!origin) return null;
  const base = `${rel(origin.file)}:${lineOf(sources, origin.file, origin.span.start)}`;
  return origin.via.length > 0 ? `${base} via ${origin.via.map(via).join(' → ')}` : base;
}

/** A job as plain data with readable origins: what golden files hold. */
export function summarizeJob(b: Built, job: EffectiveJob): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const [name, v] of job.variables) {
    variables[name] = {
      value: v.value,
      layer: v.layer,
      ...(v.conditional ? { conditional: true } : {}),
      ...(v.expand ? {} : { expand: false }),
      at: b.at(v.origin),
      ...(v.alternatives ? { alternatives: v.alternatives.map((a) => ({ value: a.value, layer: a.layer })) } : {}),
    };
  }
  return {
    name: job.name,
    definedAt: `${rel(job.file)}:${lineOf(b.sources, job.file, job.nameSpan.start)}`,
    ...(job.matrix ? { matrix: job.matrix } : {}),
    image: job.image ? { name: job.image.ref.expanded, at: b.at(job.image.origin) } : null,
    services: job.services.map((s) => ({
      name: s.ref.expanded,
      aliases: s.aliases,
      derivedAliases: s.derivedAliases,
      at: b.at(s.origin),
    })),
    servicesAt: b.at(job.servicesOrigin),
    variables,
    script: job.script.map((l) => `${l.section}: ${l.text}  @ ${b.at(l.origin) ?? ''}`),
    extendsChain: job.extendsChain,
    replaced: job.replaced.map((r) => ({
      key: r.key,
      reason: r.reason,
      lost: b.at(r.lost),
      by: b.at(r.by),
      lostValue: r.lostValue,
    })),
    data: jobData(job),
  };
}

export function summarize(b: Built): Record<string, unknown> {
  return {
    files: b.pipeline.files.map(rel),
    jobs: b.pipeline.jobs.map((j) => summarizeJob(b, j)),
    findings: b.findings(),
  };
}

/** Compares with test/ci/fixtures/<name>.json; `UPDATE_GOLDEN=1` rewrites the file instead. */
export function golden(name: string, actual: unknown): void {
  const file = resolve(REPO_ROOT, 'test', 'ci', 'fixtures', `${name}.json`);
  const text = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  assert.ok(existsSync(file), `golden file ${name}.json is missing (run with UPDATE_GOLDEN=1 and review it)`);
  assert.deepEqual(JSON.parse(text), JSON.parse(readFileSync(file, 'utf8')));
}
