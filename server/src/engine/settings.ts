// The settings contract shared by the VS Code client (package.json `contributes.configuration`), the language
// server (workspace/configuration) and the CLI (flags). A test keeps package.json in sync with SETTINGS.

import type { SeveritySetting } from './types';

export type AssumeRunner = 'gitlab-saas' | 'none';

export interface Settings {
  /** Runner config files (paths or globs, workspace-relative or absolute). Empty: discover `config.toml` files holding `[[runners]]`. */
  readonly runnerConfigs: readonly string[];
  /** Check only the `[[runners]]` entry with this name. */
  readonly runner: string | null;
  /** Runner name → the tags it runs (config.toml holds no tags). */
  readonly runnerTags: Readonly<Record<string, readonly string[]>>;
  /** What to assume when there is no runner config. */
  readonly assumeRunner: AssumeRunner;
  /** `group/project` → local folder (workspace-relative or absolute) for `include: project:`. */
  readonly projects: Readonly<Record<string, string>>;
  /** Rule id → severity override. */
  readonly rules: Readonly<Record<string, SeveritySetting>>;
  /** Extra image name patterns (globs) to treat as Docker-in-Docker daemons, for in-house dind images. */
  readonly dindImages: readonly string[];
}

export const DEFAULT_SETTINGS: Settings = {
  runnerConfigs: [],
  runner: null,
  runnerTags: {},
  assumeRunner: 'none',
  projects: {},
  rules: {},
  dindImages: [],
};
