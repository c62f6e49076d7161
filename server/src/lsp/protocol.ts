// Custom requests between the VS Code client and the server (the client keeps its own copy of these names).

import { RequestType } from 'vscode-languageserver';

export interface ListJobsParams {
  readonly uri: string;
}

export interface EffectiveJobParams {
  readonly uri: string;
  readonly job: string;
}

export interface EffectiveJobResult {
  readonly content: string;
}

/** Names of the non-hidden jobs of the pipeline the document belongs to (empty when it belongs to none). */
export const ListJobsRequest = new RequestType<ListJobsParams, string[], void>('gitlabCiDind/listJobs');

/** A job's effective configuration, rendered as YAML annotated with the origin of each value. */
export const EffectiveJobRequest = new RequestType<EffectiveJobParams, EffectiveJobResult, void>(
  'gitlabCiDind/effectiveJob',
);

export interface RunnerStatusParams {
  readonly uri: string;
}

export interface RunnerStatusResult {
  /** Status-bar text: `gitlab-runner/config.toml`, `GitLab.com (assumed)`, `no runner config`. */
  readonly label: string;
  /** URIs of the runner configs the document's pipeline is checked against. */
  readonly configs: readonly string[];
  readonly assumed: boolean;
  /** URIs of the runner configs found in the workspace folder (choices for "Select Runner Config"). */
  readonly available: readonly string[];
  /** URI of the workspace folder the document belongs to, or null for a file outside every folder. */
  readonly folder: string | null;
}

/** Which runner config the pipeline of a document is checked against (for the status bar). */
export const RunnerStatusRequest = new RequestType<RunnerStatusParams, RunnerStatusResult | null, void>(
  'gitlabCiDind/runnerStatus',
);

/** `initializationOptions` the client may send. */
export interface InitializationOptions {
  /** False in an untrusted (restricted) VS Code workspace. Other editors have no such notion: default true. */
  readonly trusted?: boolean;
}
