// What the status bar shows: which runner config(s) the pipelines of a folder are checked against.

import type { Analysis } from '../analyze';
import { DEFAULT_SETTINGS } from '../settings';
import { relativePath, runnerContext, t, type FeatureOptions } from './common';

export interface RunnerStatus {
  /** Short text, e.g. `gitlab-runner/config.toml`, `GitLab.com (assumed)`, `2 runner configs` or `no runner config`. */
  readonly label: string;
  /** The runner config files checked against (absolute paths). */
  readonly configs: readonly string[];
  /** True when no config is known and GitLab.com instance runners are assumed. */
  readonly assumed: boolean;
  /** Labels of the runners jobs are checked against (after the `runner` setting). */
  readonly runners: readonly string[];
}

export function runnerStatus(analysis: Analysis, options: FeatureOptions): RunnerStatus {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const configs = analysis.runnerConfigs.map((c) => c.file);
  const ctx = runnerContext(analysis, settings);
  const locale = options.locale ?? 'en';
  const runners = ctx.assumed ? [] : ctx.candidates.map((r) => r.label);
  let label: string;
  if (ctx.assumed) label = t(locale, 'features.status.assumed');
  else if (configs.length === 0) label = t(locale, 'features.status.none');
  else if (configs.length === 1) label = relativePath(configs[0] ?? '', options.root);
  else label = t(locale, 'features.status.many', { count: configs.length });
  if (!ctx.assumed && settings.runner !== null) label += ` (${settings.runner})`;
  return { label, configs, assumed: ctx.assumed, runners };
}
