// Inline workspaces with a `|` caret marking the cursor, analysed in memory.

import { analyze, type Analysis, type Settings, DEFAULT_SETTINGS } from '@engine';

import { MemoryHost } from '../helpers/memory-host';

export const ROOT = '/ws';
export const CI = `${ROOT}/.gitlab-ci.yml`;
export const RUNNER = `${ROOT}/runner/config.toml`;

export interface Setup {
  readonly analysis: Analysis;
  readonly host: MemoryHost;
  /** The cursor offset in `file`. */
  readonly offset: number;
  readonly file: string;
  readonly settings: Settings;
}

/**
 * Analyses `files` (workspace-relative path → text); exactly one text holds the `|` caret (no block scalars in
 * these inputs), which is removed.
 * Pipelines are `.gitlab-ci.yml`; runner configs are the `.toml` files.
 */
export function setup(files: Record<string, string>, settings: Partial<Settings> = {}): Setup {
  const host = new MemoryHost({}, ROOT);
  let offset = -1;
  let file = '';
  for (const [rel, raw] of Object.entries(files)) {
    const at = raw.indexOf('|');
    if (at >= 0) {
      if (offset >= 0) throw new Error('more than one caret');
      offset = at;
      file = host.abs(rel);
      host.set(rel, raw.slice(0, at) + raw.slice(at + 1));
    } else {
      host.set(rel, raw);
    }
  }
  if (offset < 0) throw new Error('no caret in the inline files');
  const merged: Settings = { ...DEFAULT_SETTINGS, ...settings };
  const analysis = analyze(host, {
    workspaceRoot: ROOT,
    pipelines: Object.keys(files)
      .filter((f) => f.endsWith('.gitlab-ci.yml'))
      .map((f) => host.abs(f)),
    runnerConfigs: Object.keys(files)
      .filter((f) => f.endsWith('.toml'))
      .map((f) => host.abs(f)),
    settings: merged,
  });
  return { analysis, host, offset, file, settings: merged };
}

/** The offset of the first occurrence of `needle` (plus `delta`) in `text`. */
export function offsetOf(text: string, needle: string, delta = 0): number {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`${needle} not found`);
  return i + delta;
}

export const PRIVILEGED_RUNNER = `[[runners]]
  name = "dind-runner"
  executor = "docker"
  [runners.docker]
    image = "alpine"
    privileged = true
    volumes = ["/certs/client", "/cache"]
`;
