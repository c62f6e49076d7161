// The server's custom requests, as the client sends them (the server defines the same names in lsp/protocol.ts;
// a test keeps the two in step).

import { RequestType } from 'vscode-languageclient/node';

export const ListJobsRequest = new RequestType<{ uri: string }, string[], void>('gitlabCiDind/listJobs');

export const EffectiveJobRequest = new RequestType<{ uri: string; job: string }, { content: string }, void>(
  'gitlabCiDind/effectiveJob',
);

export interface RunnerStatusResult {
  label: string;
  configs: string[];
  assumed: boolean;
  available: string[];
  folder: string | null;
}

export const RunnerStatusRequest = new RequestType<{ uri: string }, RunnerStatusResult | null, void>(
  'gitlabCiDind/runnerStatus',
);
