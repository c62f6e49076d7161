// Turns the command-line paths into analysis inputs: a workspace root, its pipeline roots and runner configs.
// A path or runner config that cannot be read is an InputError (exit status 2) naming the path and the reason.

import { statSync } from 'node:fs';
import { dirname } from 'node:path';

import { discoverWorkspace, embedsRunnerConfig, isYamlPath, parseYaml, type Host } from '../engine/index';
import { displayPath, toEnginePath } from './disk-host';

export class InputError extends Error {
  override readonly name = 'InputError';
}

export interface Target {
  /** The path as the user gave it (for messages). */
  readonly given: string;
  readonly workspaceRoot: string;
  readonly pipelines: readonly string[];
  readonly runnerConfigs: readonly string[];
}

/**
 * Resolves and reads the `--runner-config` files; each must be a readable text file. A YAML file is a Helm values
 * file and must embed the config.toml as a `runners.config: |` block (unless it does not parse: that is a finding).
 */
export function resolveRunnerConfigs(host: Host, cwd: string, given: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of given) {
    const abs = toEnginePath(p, cwd);
    const text = requireReadable(host, abs, `runner config "${p}"`);
    if (isYamlPath(abs) && !embedsRunnerConfig(text) && !hasYamlErrors(text)) {
      throw new InputError(`runner config "${p}": no \`runners.config: |\` block holding a [[runners]] table`);
    }
    if (!out.includes(abs)) out.push(abs);
  }
  return out;
}

/**
 * Resolves one command-line path: a directory, a pipeline file, or a runner config (a `*.toml` file, or a YAML
 * file that embeds one in `runners.config: |`, as a Helm chart's values.yaml does).
 */
export function resolveTarget(host: Host, cwd: string, given: string, runnerConfigs: readonly string[]): Target {
  const abs = toEnginePath(given, cwd);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(abs).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' || code === 'ENOTDIR' ? 'no such file or directory' : errorText(e);
    throw new InputError(`cannot read "${given}": ${why}`);
  }
  if (isDirectory) {
    if (host.readDirectory(abs) === undefined) throw new InputError(`cannot read directory "${given}"`);
    const rootPipeline = `${abs.endsWith('/') ? abs : `${abs}/`}.gitlab-ci.yml`;
    const r = host.readFile(rootPipeline);
    if (r.kind === 'error') throw new InputError(`cannot read "${displayPath(rootPipeline, cwd)}": ${r.message}`);
    const found = discoverWorkspace(host, abs);
    return {
      given,
      workspaceRoot: abs,
      pipelines: found.pipelines,
      runnerConfigs: runnerConfigs.length > 0 ? runnerConfigs : found.runnerConfigs,
    };
  }
  const text = requireReadable(host, abs, `"${given}"`);
  const root = workspaceRootOf(abs);
  if (abs.toLowerCase().endsWith('.toml') || (isYamlPath(abs) && embedsRunnerConfig(text))) {
    return { given, workspaceRoot: root, pipelines: [], runnerConfigs: unique([abs, ...runnerConfigs]) };
  }
  return {
    given,
    workspaceRoot: root,
    pipelines: [abs],
    runnerConfigs: runnerConfigs.length > 0 ? runnerConfigs : discoverWorkspace(host, root).runnerConfigs,
  };
}

/** The file's text; an InputError when it cannot be read. */
function requireReadable(host: Host, abs: string, what: string): string {
  const r = host.readFile(abs);
  if (r.kind === 'missing') throw new InputError(`cannot read ${what}: no such file`);
  if (r.kind === 'error') throw new InputError(`cannot read ${what}: ${r.message}`);
  return r.text;
}

/** The nearest folder above `file` that holds `.git` (the repository root), else the file's own folder. */
function workspaceRootOf(file: string): string {
  const own = toEnginePath(dirname(file));
  let dir = own;
  for (;;) {
    try {
      statSync(`${dir}/.git`);
      return dir;
    } catch {
      const parent = toEnginePath(dirname(dir));
      if (parent === dir) return own;
      dir = parent;
    }
  }
}

function hasYamlErrors(text: string): boolean {
  return parseYaml(text).problems.some((e) => e.severity === 'error');
}

function unique(paths: readonly string[]): string[] {
  return [...new Set(paths)];
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
