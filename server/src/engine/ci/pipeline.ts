// Builds the effective-configuration model of one pipeline (see model.ts).

import { MODEL_FINDINGS } from '../ids';
import type { Settings } from '../settings';
import type { SourceStore } from '../sources';
import type { Finding } from '../types';
import type { Pipeline } from './model';

export interface PipelineOptions {
  /** Absolute workspace (repository) root: `include: local:` paths resolve against it and may not leave it. */
  readonly workspaceRoot: string;
  readonly settings: Settings;
}

export function buildPipeline(sources: SourceStore, root: string, _options: PipelineOptions): Pipeline {
  const findings: Finding[] = [];
  const parsed = sources.yaml(root);
  if (parsed) {
    for (const p of parsed.problems) {
      findings.push({
        ruleId: MODEL_FINDINGS.yamlSyntax.id,
        severity: 'error',
        message: p.message,
        file: root,
        span: p.span,
        job: null,
        runner: null,
        related: [],
        fixes: [],
      });
    }
  }
  return { root, files: [root], jobs: [], children: [], findings };
}
