// Finding ids the engine itself reports (outside the rule catalogue). Rule ids are public API: never rename one.

import type { Severity } from './types';

export const DOCS_BASE = 'https://github.com/gitlab-ci-dind/gitlab-ci-dind/blob/main/docs/rules.md';

export interface ModelFindingMeta {
  readonly id: string;
  readonly defaultSeverity: Severity;
  readonly description: string;
  readonly docs: string;
}

function meta(id: string, defaultSeverity: Severity, description: string, docs?: string): ModelFindingMeta {
  return { id, defaultSeverity, description, docs: docs ?? `${DOCS_BASE}#${id.replace('dind/', '')}` };
}

export const MODEL_FINDINGS = {
  yamlSyntax: meta('dind/yaml-syntax', 'error', 'The YAML file does not parse.'),
  tomlSyntax: meta('dind/toml-syntax', 'error', 'The TOML file does not parse.'),
  noRunnerConfig: meta(
    'dind/no-runner-config',
    'info',
    'No runner config.toml was found or given; runner-dependent checks are skipped.',
  ),
  includeError: meta(
    'dind/include-error',
    'error',
    'An include cannot be resolved: missing file, cycle, path outside the workspace, or the include limit.',
    'https://docs.gitlab.com/ci/yaml/includes/',
  ),
  includeNotFollowed: meta(
    'dind/include-not-followed',
    'info',
    'A remote, template, component or unmapped project include is not followed offline.',
    'https://docs.gitlab.com/ci/yaml/includes/',
  ),
  extendsError: meta(
    'dind/extends-error',
    'error',
    'An extends parent is missing, extends forms a cycle, or nests too deep.',
    'https://docs.gitlab.com/ci/yaml/yaml_optimization/#use-extends-to-reuse-configuration-sections',
  ),
  referenceError: meta(
    'dind/reference-error',
    'error',
    'A !reference points at a job or key that does not exist, or nests too deep.',
    'https://docs.gitlab.com/ci/yaml/yaml_optimization/#reference-tags',
  ),
  pipelineStructure: meta(
    'dind/pipeline-structure',
    'warning',
    'The pipeline file has a shape GitLab rejects or ignores (a non-mapping root, a duplicate job, a limit hit).',
    'https://docs.gitlab.com/ci/yaml/',
  ),
  runnerConfigSchema: meta(
    'dind/runner-config-schema',
    'warning',
    'A config.toml key is unknown to GitLab Runner or has the wrong type.',
    'https://docs.gitlab.com/runner/configuration/advanced-configuration/',
  ),
  internalError: meta('dind/internal-error', 'error', 'The checker failed on this input; please report it.'),
} as const;

export const MODEL_FINDING_LIST: readonly ModelFindingMeta[] = Object.values(MODEL_FINDINGS);
