// Finds what to check in a workspace folder: the root pipeline and the runner configs.

import { looksLikeRunnerConfig } from './runner/config';
import { embedsRunnerConfig, isHelmValuesName } from './runner/helm';
import { MAX_FILE_BYTES } from './sources';
import type { Host } from './types';

export interface WorkspaceFiles {
  /** `<root>/.gitlab-ci.yml` when it exists. */
  readonly pipelines: readonly string[];
  /**
   * Files named `config.toml` that hold a `[[runners]]` table, and Helm values files (`values*.yaml`,
   * `*.values.yaml`) whose `runners.config` block scalar holds one.
   */
  readonly runnerConfigs: readonly string[];
}

const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);
/** Directories visited at most, so a huge tree cannot stall discovery. */
const MAX_DIRS = 5000;

export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

export function discoverWorkspace(host: Host, root: string): WorkspaceFiles {
  const pipelines: string[] = [];
  const rootPipeline = joinPath(root, '.gitlab-ci.yml');
  if (host.readFile(rootPipeline).kind === 'ok') pipelines.push(rootPipeline);

  const runnerConfigs: string[] = [];
  const queue = [root];
  let visited = 0;
  while (queue.length > 0 && visited < MAX_DIRS) {
    const dir = queue.shift() as string;
    visited++;
    const entries = host.readDirectory(dir);
    if (!entries) continue;
    for (const e of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = joinPath(dir, e.name);
      if (e.isDirectory) {
        if (!SKIPPED_DIRS.has(e.name)) queue.push(full);
      } else if (e.name === 'config.toml') {
        const r = host.readFile(full);
        if (r.kind === 'ok' && looksLikeRunnerConfig(r.text)) runnerConfigs.push(full);
      } else if (isHelmValuesName(e.name)) {
        const r = host.readFile(full);
        if (r.kind === 'ok' && r.text.length <= MAX_FILE_BYTES && embedsRunnerConfig(r.text)) runnerConfigs.push(full);
      }
    }
  }
  return { pipelines, runnerConfigs };
}
