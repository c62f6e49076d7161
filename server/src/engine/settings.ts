// The settings contract shared by the VS Code client (package.json `contributes.configuration`), the language
// server (workspace/configuration) and the CLI (flags). A test keeps package.json in sync with SETTINGS.

import type { SeveritySetting } from './types';

export type AssumeRunner = 'gitlab-saas' | 'none';

export interface Settings {
  /** Runner config files (paths or globs, workspace-relative or absolute). Empty: discover `config.toml` files holding `[[runners]]`. */
  readonly runnerConfigs: readonly string[];
  /** When `runnerConfigs` is empty: discover `config.toml` files holding `[[runners]]` in the workspace (editor only). */
  readonly discoverRunnerConfigs: boolean;
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
  discoverRunnerConfigs: true,
  runner: null,
  runnerTags: {},
  assumeRunner: 'none',
  projects: {},
  rules: {},
  dindImages: [],
};

/** The configuration section: VS Code settings are `gitlabCiDind.<key>`. */
export const SETTINGS_SECTION = 'gitlabCiDind';

export const SEVERITY_SETTINGS: readonly SeveritySetting[] = ['off', 'info', 'warning', 'error'];
export const ASSUME_RUNNER_VALUES: readonly AssumeRunner[] = ['gitlab-saas', 'none'];

/** A JSON-schema fragment, as VS Code's `contributes.configuration` takes it. */
export interface SettingSchema {
  readonly type: string | readonly string[];
  readonly enum?: readonly string[];
  readonly items?: SettingSchema;
  readonly additionalProperties?: SettingSchema;
}

/** One contributed setting: package.json `contributes.configuration.properties` must match these exactly. */
export interface SettingDefinition extends SettingSchema {
  /** Key below the section, e.g. `runnerConfigs` (`trace.server` for the client's trace level). */
  readonly key: string;
  readonly default: unknown;
  readonly scope: 'resource' | 'window';
  /** English description; package.nls.json holds the same text under `gitlabCiDind.<key>.description`. */
  readonly description: string;
  /** False for settings only the client reads (not part of `Settings`). */
  readonly engine: boolean;
}

const stringArray: SettingSchema = { type: 'array', items: { type: 'string' } };

export const SETTING_DEFINITIONS: readonly SettingDefinition[] = [
  {
    key: 'runnerConfigs',
    ...stringArray,
    default: DEFAULT_SETTINGS.runnerConfigs,
    scope: 'resource',
    engine: true,
    description:
      'GitLab Runner config.toml files to check against (paths or globs, relative to the workspace folder, or absolute). Empty: discover config.toml files that hold a [[runners]] table.',
  },
  {
    key: 'discoverRunnerConfigs',
    type: 'boolean',
    default: DEFAULT_SETTINGS.discoverRunnerConfigs,
    scope: 'resource',
    engine: true,
    description:
      'When runnerConfigs is empty, discover config.toml files that hold a [[runners]] table in the workspace folder. Turn off to use assumeRunner even though the workspace contains a runner config.',
  },
  {
    key: 'runner',
    type: ['string', 'null'],
    default: DEFAULT_SETTINGS.runner,
    scope: 'resource',
    engine: true,
    description: 'Check only the [[runners]] entry with this name. Null: every runner.',
  },
  {
    key: 'runnerTags',
    type: 'object',
    additionalProperties: stringArray,
    default: DEFAULT_SETTINGS.runnerTags,
    scope: 'resource',
    engine: true,
    description:
      'Runner name → the tags it runs (config.toml holds no tags), so that each job is checked against the runners that pick it up.',
  },
  {
    key: 'assumeRunner',
    type: 'string',
    enum: ASSUME_RUNNER_VALUES,
    default: DEFAULT_SETTINGS.assumeRunner,
    scope: 'resource',
    engine: true,
    description:
      'What to assume when no runner config is found or given: gitlab-saas = GitLab.com instance runners (docker executor, privileged, /certs/client shared); none = skip runner-dependent checks.',
  },
  {
    key: 'projects',
    type: 'object',
    additionalProperties: { type: 'string' },
    default: DEFAULT_SETTINGS.projects,
    scope: 'resource',
    engine: true,
    description:
      'group/project → local folder (relative to the workspace folder, or absolute) used to follow include: project: entries.',
  },
  {
    key: 'rules',
    type: 'object',
    additionalProperties: { type: 'string', enum: SEVERITY_SETTINGS },
    default: DEFAULT_SETTINGS.rules,
    scope: 'resource',
    engine: true,
    description: 'Rule id (e.g. dind/tls-disabled) → off, info, warning or error, overriding the default severity.',
  },
  {
    key: 'dindImages',
    ...stringArray,
    default: DEFAULT_SETTINGS.dindImages,
    scope: 'resource',
    engine: true,
    description: 'Extra image name patterns (globs) to treat as Docker-in-Docker daemons, for in-house dind images.',
  },
  {
    key: 'trace.server',
    type: 'string',
    enum: ['off', 'messages', 'verbose'],
    default: 'off',
    scope: 'window',
    engine: false,
    description: 'Traces the communication between VS Code and the language server in the GitLab CI DinD output.',
  },
];

/**
 * Turns raw configuration (from an editor, a config file or the network) into `Settings`: unknown keys are
 * dropped and every value of the wrong type falls back to its default, entry by entry.
 */
export function sanitizeSettings(raw: unknown): Settings {
  const r = isRecord(raw) ? raw : {};
  const assume = r['assumeRunner'];
  return {
    runnerConfigs: stringList(r['runnerConfigs']),
    discoverRunnerConfigs:
      typeof r['discoverRunnerConfigs'] === 'boolean'
        ? r['discoverRunnerConfigs']
        : DEFAULT_SETTINGS.discoverRunnerConfigs,
    runner: typeof r['runner'] === 'string' && r['runner'] !== '' ? r['runner'] : null,
    runnerTags: recordOf(r['runnerTags'], (v) => (Array.isArray(v) ? stringList(v) : undefined)),
    assumeRunner: ASSUME_RUNNER_VALUES.find((v) => v === assume) ?? DEFAULT_SETTINGS.assumeRunner,
    projects: recordOf(r['projects'], (v) => (typeof v === 'string' ? v : undefined)),
    rules: recordOf(r['rules'], (v) => SEVERITY_SETTINGS.find((s) => s === v)),
    dindImages: stringList(r['dindImages']),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '') : [];
}

function recordOf<T>(v: unknown, item: (value: unknown) => T | undefined): Record<string, T> {
  const out: Record<string, T> = {};
  if (!isRecord(v)) return out;
  for (const [k, value] of Object.entries(v)) {
    if (k === '__proto__') continue;
    const t = item(value);
    if (t !== undefined) out[k] = t;
  }
  return out;
}
