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

/** `initializationOptions` the client may send. */
export interface InitializationOptions {
  /** False in an untrusted (restricted) VS Code workspace. Other editors have no such notion: default true. */
  readonly trusted?: boolean;
}
