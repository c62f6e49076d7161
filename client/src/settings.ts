// Raw VS Code configuration → the shape the server expects. The server validates again (other editors send
// whatever their users typed); here values of the wrong type are dropped before they leave the editor.

import type { WorkspaceConfiguration } from 'vscode';

export const SECTION = 'gitlabCiDind';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const stringList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s) => typeof s === 'string') : []);

const record = <T extends Json>(v: unknown, item: (x: unknown) => T | undefined): Record<string, T> => {
  const out: Record<string, T> = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    const value = item(x);
    if (value !== undefined && k !== '__proto__') out[k] = value;
  }
  return out;
};

/** The `gitlabCiDind` settings for one resource, as plain JSON for `workspace/configuration`. */
export function sanitize(config: WorkspaceConfiguration): Record<string, Json> {
  const runner = config.get<unknown>('runner');
  return {
    runnerConfigs: stringList(config.get('runnerConfigs')),
    runner: typeof runner === 'string' && runner !== '' ? runner : null,
    runnerTags: record(config.get('runnerTags'), (x) => (Array.isArray(x) ? stringList(x) : undefined)),
    assumeRunner: config.get('assumeRunner') === 'gitlab-saas' ? 'gitlab-saas' : 'none',
    projects: record(config.get('projects'), (x) => (typeof x === 'string' ? x : undefined)),
    rules: record(config.get('rules'), (x) =>
      x === 'off' || x === 'info' || x === 'warning' || x === 'error' ? x : undefined,
    ),
    dindImages: stringList(config.get('dindImages')),
  };
}
